/**
 * Whether a database file can be trusted as the books: SQLite's own integrity check, a schema this
 * release knows, and every company's record chain, activity chain and numbering (checkIntegrity).
 * Run on every backup before it is kept, and on a file before it is restored.
 */
import type { IntegrityReport } from "@passerelle/shared";
import { knownSchemaVersion, openExisting, openReadOnly, schemaVersionOf, type Db } from "../db/connection.js";
import { checkIntegrity } from "../services/integrity.js";

export interface DatabaseCheck {
  ok: boolean;
  /** What is wrong with the file as a whole (then no company is checked), said of the file. */
  problem: string | null;
  schemaVersion: number | null;
  companies: (IntegrityReport & { name: string })[];
}

export function checkDatabaseFile(file: string): DatabaseCheck {
  const refused = (problem: string, schemaVersion: number | null = null): DatabaseCheck => ({ ok: false, problem, schemaVersion, companies: [] });
  let db;
  try {
    db = openReadOnly(file);
  } catch (error) {
    return refused(`cannot be opened (${(error as Error).message})`);
  }
  try {
    let schemaVersion: number | null;
    try {
      schemaVersion = schemaVersionOf(db);
    } catch (error) {
      return refused(`not a SQLite database (${(error as Error).message})`);
    }
    const sqlite = db.pragma("integrity_check", { simple: true }) as string;
    if (sqlite !== "ok") return refused(`SQLite's integrity check fails: ${sqlite}`, schemaVersion);
    return checkBooks(db, schemaVersion);
  } finally {
    db.close();
  }
}

/**
 * A PostgreSQL database (`postgres://…`): a schema this release knows, and every company's chains
 * and numbering, read from one snapshot on a read-only connection (the server's own checks of its
 * pages and files are PostgreSQL's: data checksums, `pg_amcheck`).
 */
export function checkPostgresDatabase(url: string): DatabaseCheck {
  let db;
  try {
    db = openExisting(url);
  } catch (error) {
    return { ok: false, problem: `cannot be opened (${(error as Error).message})`, schemaVersion: null, companies: [] };
  }
  try {
    return db.transaction(() => checkBooks(db, schemaVersionOf(db)))();
  } finally {
    db.close();
  }
}

/** The checks both engines share, on an open database whose schema version was read. */
export function checkBooks(db: Db, schemaVersion: number | null): DatabaseCheck {
  const refused = (problem: string, version: number | null = null): DatabaseCheck => ({ ok: false, problem, schemaVersion: version, companies: [] });
  if (schemaVersion === null) return refused("not a Passerelle database (it has no schema_version)");
  const known = knownSchemaVersion();
  if (schemaVersion > known) return refused(`comes from a newer Passerelle (schema ${schemaVersion}; this release knows ${known})`, schemaVersion);
  const companies = (db.prepare("SELECT id, name FROM companies ORDER BY name, id").all() as { id: string; name: string }[]).map((c) => ({
    name: c.name,
    ...checkIntegrity(db, c.id),
  }));
  return { ok: companies.every((c) => c.ok), problem: null, schemaVersion, companies };
}

/** One line per company, as `cli verify` prints them, then the problems found; `file` names the file as the operator knows it. */
export function describeCheck(check: DatabaseCheck, file: string): string[] {
  if (check.problem) return [`FAIL ${file}: ${check.problem}`];
  const lines: string[] = [];
  for (const c of check.companies) {
    lines.push(`${c.ok ? "ok  " : "FAIL"} ${c.name}: chain ${c.chain}, numbering ${c.numbering}, ${c.checkedRecords} records`);
    for (const p of c.problems) lines.push(`     - [${p.kind}] ${p.message}`);
  }
  const failed = check.companies.filter((c) => !c.ok).length;
  lines.push(`${check.companies.length - failed} valid, ${failed} with problems`);
  return lines;
}
