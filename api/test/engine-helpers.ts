import { isPostgres, type Db } from "../src/db/connection.js";

/**
 * Drops a trigger, as someone holding the database would to tamper with it: SQLite names a trigger
 * alone, PostgreSQL with its table.
 */
export function dropTrigger(db: Db, trigger: string, table: string): void {
  db.exec(isPostgres(db) ? `DROP TRIGGER ${trigger} ON ${table}` : `DROP TRIGGER ${trigger}`);
}

/** The database's tables, by name (binary order, as SQLite's `ORDER BY name`). */
export function tableNames(db: Db): string[] {
  const sql = isPostgres(db)
    ? "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
    : "SELECT name FROM sqlite_master WHERE type = 'table'";
  return (db.prepare(sql).pluck().all() as string[]).sort();
}
