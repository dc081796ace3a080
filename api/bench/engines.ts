/**
 * The two engines a benchmark can run on (`npm run bench -- --engine sqlite|postgres|both`): where the
 * data set is, how a server and an in-process app reach it, and each engine's floor for a group of
 * captured statements — the engine's own command-line tool running the same statements, arguments
 * written in (`sqlite3` with `.timer on`, `psql` with `\timing on`).
 */
import { execFileSync } from "node:child_process";
import { toPostgres } from "../src/db/postgres/dialect.js";
import { cliTimedGroups, groupTimes, inlineArgs, type Captured } from "./support.js";

export type EngineId = "sqlite" | "postgres";

export interface Engine {
  id: EngineId;
  name: "SQLite" | "PostgreSQL";
  /** The data set: the SQLite file, or the PostgreSQL database's URL. */
  location: string;
  /** Settings that make a server (or an in-process app) use this engine's copy of the data set. */
  env: Record<string, string>;
  /** The floor's tool, as the table names it. */
  tool: string;
  /** Each group's statements run by the engine's command-line tool: the sum of their times per group, in ms. */
  timedGroups: (groups: Captured[][]) => number[];
}

/** `--engine` → the engines asked for, SQLite first. */
export function enginesOf(option: string | undefined): EngineId[] {
  const value = option ?? "sqlite";
  if (value === "both") return ["sqlite", "postgres"];
  if (value === "sqlite" || value === "postgres") return [value];
  throw new Error(`--engine: expected sqlite, postgres or both, not ${value}`);
}

export function sqliteEngine(file: string): Engine {
  return { id: "sqlite", name: "SQLite", location: file, env: {}, tool: "sqlite3 CLI", timedGroups: (groups) => cliTimedGroups(file, groups.map((g) => g.map(inlineArgs))) };
}

export function postgresEngine(url: string): Engine {
  return {
    id: "postgres",
    name: "PostgreSQL",
    location: url,
    env: { PASSERELLE_DATABASE_URL: url },
    tool: "psql",
    timedGroups: (groups) => psqlTimedGroups(url, groups.map((g) => g.map(postgresText))),
  };
}

/** A captured statement as PostgreSQL runs it: arguments written in as literals, then the API's own rewrite (dialect.ts). */
export function postgresText(c: Captured): string {
  return toPostgres(inlineArgs(c)).text;
}

/**
 * Runs groups of statements in one `psql` session with `\timing on` and returns, per group, the sum
 * of the statements' times (psql's: sent, run, every row received; the rows written to /dev/null).
 */
export function psqlTimedGroups(url: string, groups: string[][]): number[] {
  const script = ["\\set ON_ERROR_STOP on", "\\pset format unaligned", "\\o /dev/null", "\\timing on"];
  const marks: number[] = [];
  for (const group of groups) {
    marks.push(group.length);
    for (const sql of group) script.push(sql.replace(/\s+/g, " ").trim().replace(/;?$/, ";"));
  }
  const out = execFileSync("psql", ["-X", "-q", "-d", url], { input: script.join("\n"), encoding: "utf8", maxBuffer: 1 << 30 });
  return groupTimes(psqlTimes(out), marks, "psql");
}

/** The times `\timing` printed, in ms ("Time: 1.234 ms", and for long ones "Time: 1234.567 ms (00:01.235)"). */
export function psqlTimes(output: string): number[] {
  return [...output.matchAll(/^Time: ([\d.]+) ms/gm)].map((m) => Number(m[1]));
}
