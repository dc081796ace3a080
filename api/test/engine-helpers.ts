import { isPostgres, type Db } from "../src/db/connection.js";

/**
 * Drops a trigger, as someone holding the database would to tamper with it: SQLite names a trigger
 * alone, PostgreSQL with its table.
 */
export function dropTrigger(db: Db, trigger: string, table: string): void {
  db.exec(isPostgres(db) ? `DROP TRIGGER ${trigger} ON ${table}` : `DROP TRIGGER ${trigger}`);
}
