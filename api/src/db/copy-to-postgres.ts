/**
 * A SQLite database's rows copied into an empty PostgreSQL database of the same schema version
 * (`npm run cli -- migrate-to-postgres <url>`):
 *
 * - in one PostgreSQL transaction, holding the writer lock every API process takes to write: a copy
 *   that fails anywhere leaves the target as empty as it was, and no server writes meanwhile;
 * - from one SQLite read transaction: the rows of one moment, even if a server still writes (stop
 *   it first all the same: what it writes after that moment stays behind);
 * - table after table, each after the tables it refers to, a page of rows at a time in key order
 *   (tables.ts), written by multi-row INSERTs: memory holds a page, whatever the database's size;
 * - a column referring to its own table's rows (a credit note to its invoice, a line to the line it
 *   credits) is written NULL first, then set once the whole table is in: key order is not creation
 *   order (ids of different processes), so the row it points to may come later;
 * - PostgreSQL's key sequences are set after the rows (`setval`), so the next row numbered by the
 *   server follows the last one copied.
 *
 * What is not copied: `sessions`. A session is a bearer credential of the server being retired;
 * everyone signs in again once, on the new one. Known devices are copied: they hold no credential
 * (a hash of a cookie that only marks a device a user signed in from), and without them every user's
 * own devices would count with strangers' attempts in the sign-in limits (auth/sign-in-limits.ts)
 * right after the move. The appended-only tables (record chain, activity, export log…) refuse
 * UPDATE and DELETE, not INSERT: they are copied as the others are.
 */
import type { Db } from "./connection.js";
import { isPostgres, knownSchemaVersion, openDatabase, schemaVersionOf } from "./connection.js";
import { PostgresDatabase } from "./postgres/database.js";
import { redactedUrl } from "./postgres/urls.js";
import { quoted, sqliteTables, tablePages, type TableShape } from "./tables.js";

/** Tables left out of the copy (and out of its comparison), with the reason the summary prints. */
export const NOT_COPIED: ReadonlyMap<string, string> = new Map([["sessions", "sessions are not copied: everyone signs in again on the new server"]]);

/** PostgreSQL takes at most 65,535 parameters per statement; a page keeps well under. */
const MAX_PARAMETERS = 30_000;
const MAX_ROWS_PER_INSERT = 1_000;

/** The target was not empty, or not Passerelle's schema: nothing was written. */
export class CopyRefused extends Error {}

export interface CopiedTable {
  name: string;
  rows: number;
}

export interface CopySummary {
  schemaVersion: number;
  tables: CopiedTable[];
  skipped: string[];
  ms: number;
}

/** Tables of the target holding rows (schema_version aside), with whether each has any. */
export function nonEmptyTables(target: Db): string[] {
  const names = target
    .prepare("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name != 'schema_version' ORDER BY table_name")
    .pluck()
    .all() as string[];
  return names.filter((name) => target.prepare(`SELECT 1 FROM ${quoted(name)} LIMIT 1`).get() !== undefined);
}

/** Refuses a target holding rows, naming its tables that do. */
export function refuseNonEmpty(target: Db, name: string): void {
  const filled = nonEmptyTables(target);
  if (filled.length > 0) {
    const shown = filled.slice(0, 5).join(", ") + (filled.length > 5 ? ` and ${filled.length - 5} more` : "");
    throw new CopyRefused(`${name} is not empty (rows in ${shown}): a copy goes into an empty database only; nothing was written.`);
  }
}

export function copyToPostgres(source: Db, target: Db, options: { pageSize?: number; targetName?: string } = {}): CopySummary {
  if (isPostgres(source) || !isPostgres(target)) throw new Error("copyToPostgres copies a SQLite database into a PostgreSQL one");
  const started = performance.now();
  const targetName = options.targetName ?? "the PostgreSQL database";
  const known = knownSchemaVersion();
  const sourceVersion = schemaVersionOf(source);
  const targetVersion = schemaVersionOf(target);
  if (sourceVersion !== known) throw new CopyRefused(`the SQLite database is at schema ${sourceVersion ?? "none"}, this release at ${known}: open it with this release first.`);
  if (targetVersion !== known) throw new CopyRefused(`${targetName} is at schema ${targetVersion ?? "none"}, this release at ${known}; nothing was written.`);

  const tables = sqliteTables(source);
  const targetColumns = columnsOf(target);
  for (const table of tables) {
    const columns = targetColumns.get(table.name);
    if (!columns) throw new CopyRefused(`${targetName} has no table ${table.name}: it is not this release's schema; nothing was written.`);
    const missing = table.columns.filter((c) => !columns.has(c));
    if (missing.length > 0 || columns.size !== table.columns.length) {
      throw new CopyRefused(`${targetName}'s table ${table.name} does not have SQLite's columns (${table.columns.join(", ")}); nothing was written.`);
    }
  }

  const copied: CopiedTable[] = [];
  // one snapshot of the source (a read transaction), one transaction on the target holding the writer lock
  source.transaction(() => {
    target.transaction(() => {
      refuseNonEmpty(target, targetName); // again, under the writer lock: no server filled it meanwhile
      for (const table of tables) {
        if (NOT_COPIED.has(table.name)) continue;
        copied.push({ name: table.name, rows: copyTable(source, target, table, options.pageSize) });
      }
      setSequences(target);
    }).immediate();
  })();
  return { schemaVersion: known, tables: copied, skipped: [...NOT_COPIED.keys()], ms: performance.now() - started };
}

function copyTable(source: Db, target: Db, table: TableShape, pageSize = 500): number {
  const columns = table.columns;
  const later = new Set(table.selfReferences);
  const rowsPerInsert = Math.max(1, Math.min(MAX_ROWS_PER_INSERT, pageSize, Math.floor(MAX_PARAMETERS / columns.length)));
  // a quoted table name: the dialect asks no key back (RETURNING) of an INSERT it does not recognise
  const head = `INSERT INTO ${quoted(table.name)} (${columns.map(quoted).join(", ")}) VALUES `;
  const tuple = `(${columns.map(() => "?").join(", ")})`;
  const insert = (count: number) => target.prepare(head + Array.from({ length: count }, () => tuple).join(", "));
  const full = insert(rowsPerInsert);
  const laterAt = columns.flatMap((c, i) => (later.has(c) ? [i] : []));
  let rows = 0;
  for (const page of tablePages(source, table, columns, rowsPerInsert)) {
    const values: unknown[] = [];
    for (const row of page) {
      for (const i of laterAt) row[i] = null;
      values.push(...row);
    }
    (page.length === rowsPerInsert ? full : insert(page.length)).run(values);
    rows += page.length;
  }
  for (const column of table.selfReferences) {
    const update = target.prepare(`UPDATE ${quoted(table.name)} SET ${quoted(column)} = ? WHERE ${table.key.map((k) => `${quoted(k)} = ?`).join(" AND ")}`);
    for (const page of tablePages(source, table, [...table.key, column], pageSize, `${quoted(column)} IS NOT NULL`)) {
      for (const row of page) update.run(row[table.key.length], ...row.slice(0, table.key.length));
    }
  }
  return rows;
}

function columnsOf(target: Db): Map<string, Set<string>> {
  const rows = target.prepare("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()").all() as { table_name: string; column_name: string }[];
  const byTable = new Map<string, Set<string>>();
  for (const r of rows) {
    let columns = byTable.get(r.table_name);
    if (!columns) byTable.set(r.table_name, (columns = new Set()));
    columns.add(r.column_name);
  }
  return byTable;
}

/** Each identity column's sequence continues after the largest key copied. */
function setSequences(target: Db): void {
  const identities = target
    .prepare("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema() AND is_identity = 'YES' ORDER BY table_name")
    .all() as { table_name: string; column_name: string }[];
  for (const { table_name: table, column_name: column } of identities) {
    const next = (target.prepare(`SELECT COALESCE(MAX(${quoted(column)}), 0) + 1 FROM ${quoted(table)}`).pluck().get() as number) ?? 1;
    target.prepare("SELECT setval(pg_get_serial_sequence(?, ?), ?, false)").get(quoted(table), column, next);
  }
}

/**
 * The target of a copy, opened and migrated, once it is known to hold no rows: a database that holds
 * any (Passerelle's or not) is refused before anything is created in it.
 */
export function openEmptyTarget(url: string): Db {
  if (!url.startsWith("pglite:")) {
    const existing = PostgresDatabase.connect(url);
    try {
      refuseNonEmpty(existing as unknown as Db, redactedUrl(url));
    } finally {
      existing.close();
    }
  }
  return openDatabase(url);
}
