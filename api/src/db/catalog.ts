/** What a database holds, read from its own catalog (sqlite_master and pragmas, or PostgreSQL's information_schema). */
import { isPostgres, type Db } from "./connection.js";

/** The names of the database's tables, in byte order (SQLite's own `sqlite_…` tables left out). */
export function tableNames(db: Db): string[] {
  const sql = isPostgres(db)
    ? "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name COLLATE \"C\""
    : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name";
  return db.prepare(sql).pluck().all() as string[];
}

/** The names of a table's columns, in their order. */
export function columnNames(db: Db, table: string): string[] {
  const sql = isPostgres(db)
    ? "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position"
    : "SELECT name FROM pragma_table_info(?)";
  return db.prepare(sql).pluck().all(table) as string[];
}
