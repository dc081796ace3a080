/** What the benchmarks share: timing statistics, a real server process, its memory, SQL capture, the sqlite3 CLI. */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { prepareUncached, type Db } from "../src/db/connection.js";
import { API_DIR, startServer, type ServerProcess } from "../test/reliability/support.js";

export { startServer, stopServer, type ServerProcess } from "../test/reliability/support.js";

export interface Stats {
  n: number;
  p50: number;
  p99: number;
  mean: number;
  min: number;
  max: number;
}

export function stats(samples: number[]): Stats {
  const s = [...samples].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))]!;
  return { n: s.length, p50: at(50), p99: at(99), mean: s.reduce((a, b) => a + b, 0) / s.length, min: s[0]!, max: s.at(-1)! };
}

export const ms = (x: number) => (x >= 100 ? `${x.toFixed(0)} ms` : x >= 10 ? `${x.toFixed(1)} ms` : `${x.toFixed(2)} ms`);
export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
export const ratio = (a: number, b: number) => `${(a / b).toFixed(a / b >= 10 ? 0 : 1)}×`;

/** Peak and current resident memory of a process (Linux /proc). */
export function memoryOf(pid: number): { peak: number; now: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? 0) * 1024;
  return { peak: kb("VmHWM"), now: kb("VmRSS") };
}

/** A server on the benchmark database (its own process, so its memory is its own). */
let bundle: string | undefined;

/** The server as `npm start` runs it (bundled by scripts/build.mjs, built once per run) on the data set. */
export function benchServer(file: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const dataDir = `${file}.data`;
  fs.mkdirSync(dataDir, { recursive: true });
  if (!bundle) {
    bundle = path.join(API_DIR, "dist", "server.mjs");
    execFileSync(process.execPath, ["scripts/build.mjs", bundle], { cwd: API_DIR, stdio: "inherit" });
  }
  return startServer(dataDir, { PASSERELLE_DB: file, ...env }, { bundle });
}

export async function login(base: string, email: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) });
  const json: any = await res.json();
  if (res.status !== 200) throw new Error(`login: ${res.status} ${JSON.stringify(json)}`);
  return json.token;
}

export interface Captured {
  sql: string;
  args: unknown[];
}

/**
 * Records every statement `fn` runs on `db` (SQL and arguments), so the same work can be replayed
 * elsewhere: through the sqlite3 command-line tool, or through another driver. The statements are
 * compiled afresh (not taken from the connection's cache), so instrumenting them changes no other caller's.
 */
export async function captureStatements<T>(db: Db, fn: () => Promise<T>): Promise<{ result: T; statements: Captured[] }> {
  const statements: Captured[] = [];
  const prepare = db.prepare;
  (db as any).prepare = function (sql: string) {
    const statement = prepareUncached(db, sql) as any;
    for (const method of ["all", "get", "iterate", "run"]) {
      const original = statement[method];
      statement[method] = (...args: unknown[]) => {
        statements.push({ sql, args });
        return original.apply(statement, args);
      };
    }
    return statement;
  };
  try {
    return { result: await fn(), statements };
  } finally {
    (db as any).prepare = prepare;
  }
}

function literal(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  return `'${String(value).replace(/'/g, "''")}'`;
}

/** The statement with its arguments written in as SQL literals (named @x / $x / :x, and anonymous ?). */
export function inlineArgs(c: Captured): string {
  const [first] = c.args;
  if (first && typeof first === "object" && !Array.isArray(first)) {
    const named = first as Record<string, unknown>;
    return c.sql.replace(/[@$:](\w+)/g, (m, name: string) => (name in named ? literal(named[name]) : m));
  }
  const positional = c.args.flat();
  let i = 0;
  return c.sql.replace(/\?/g, () => literal(positional[i++]));
}

export function sqliteCliVersion(): string | null {
  const r = spawnSync("sqlite3", ["--version"], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim().split(" ").slice(0, 2).join(" ") : null;
}

/** The Debian sqlite3 tool, installed if missing (benchmarks only; tests never need it). */
export function ensureSqliteCli(): string {
  let version = sqliteCliVersion();
  if (!version) {
    console.log("installing the sqlite3 command-line tool (apt-get install sqlite3)…");
    execFileSync("apt-get", ["install", "-y", "sqlite3"], { stdio: "inherit" });
    version = sqliteCliVersion();
  }
  if (!version) throw new Error("the sqlite3 command-line tool is needed for the floor measurements");
  return version;
}

/**
 * Runs groups of statements in one sqlite3 process with `.timer on` and returns, per group, the
 * sum of the statements' real times (the rows are formatted as JSON and written to /dev/null).
 */
export function cliTimedGroups(file: string, groups: string[][]): number[] {
  const script = ["PRAGMA query_only = 1;", ".mode json", ".output /dev/null", ".timer on"];
  const marks: number[] = [];
  for (const group of groups) {
    marks.push(group.length);
    for (const sql of group) script.push(`${sql.replace(/\s+/g, " ").trim().replace(/;?$/, ";")}`);
  }
  const out = execFileSync("sqlite3", [file], { input: script.join("\n"), encoding: "utf8", maxBuffer: 1 << 30 });
  // the PRAGMA runs before `.timer on`: every timing printed is one of the groups' statements
  const times = [...out.matchAll(/Run Time: real ([\d.]+)/g)].map((m) => Number(m[1]) * 1000);
  return groupTimes(times, marks, "sqlite3");
}

/** Statement times summed per group of `marks[i]` statements; the count must match. */
export function groupTimes(times: number[], marks: number[], tool: string): number[] {
  const statements = marks.reduce((a, b) => a + b, 0);
  if (times.length !== statements) throw new Error(`${tool} timed ${times.length} statements of ${statements}`);
  const result: number[] = [];
  let at = 0;
  for (const count of marks) {
    result.push(times.slice(at, at + count).reduce((a, b) => a + b, 0));
    at += count;
  }
  return result;
}

/** Runs a command, returns wall time and the peak RSS of the process (GNU time -f %M when present, else /proc polling). */
export async function timedProcess(command: string, args: string[], outFile: string): Promise<{ seconds: number; peak: number; bytes: number }> {
  const started = performance.now();
  const out = fs.openSync(outFile, "w");
  const child = spawn(command, args, { stdio: ["ignore", out, "inherit"] });
  let peak = 0;
  const poll = setInterval(() => {
    try {
      peak = Math.max(peak, memoryOf(child.pid!).now);
    } catch {
      // exited
    }
  }, 5);
  const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
  clearInterval(poll);
  fs.closeSync(out);
  if (code !== 0) throw new Error(`${command} exited with ${code}`);
  return { seconds: (performance.now() - started) / 1000, peak, bytes: fs.statSync(outFile).size };
}

export function machine() {
  const cpus = os.cpus();
  return {
    cpu: `${cpus[0]?.model ?? "unknown"} × ${cpus.length}`,
    memory: mb(os.totalmem()),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    loadAverage: os.loadavg().map((x) => x.toFixed(2)).join(" "),
  };
}

export function packageVersion(name: string): string {
  for (const base of [path.resolve("node_modules"), path.resolve("../node_modules")]) {
    const file = path.join(base, name, "package.json");
    if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, "utf8")).version;
  }
  return "?";
}
