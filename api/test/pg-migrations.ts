/**
 * The PostgreSQL migrations (src/db/migrations-pg) applied to PGlite, PostgreSQL compiled to
 * WebAssembly and run in the test's own process: no server needed. Applied as SQLite's are
 * (db/connection.ts migrate): numbered files not yet recorded in `schema_version`, each in its own
 * transaction with its record.
 */
import { PGlite } from "@electric-sql/pglite";
import { citext } from "@electric-sql/pglite/contrib/citext";
import fs from "node:fs";
import path from "node:path";
import { API_DIR } from "../src/paths.js";

export const PG_MIGRATIONS_DIR = path.join(API_DIR, "src", "db", "migrations-pg");

/** The numbered PostgreSQL migrations, in order. */
export function pgMigrationFiles(): string[] {
  return fs.readdirSync(PG_MIGRATIONS_DIR).filter((f) => /^\d{3}_.+\.sql$/.test(f)).sort();
}

/** A fresh, empty in-memory PostgreSQL (with citext, which the migrations use for e-mails). */
export function openPglite(): Promise<PGlite> {
  return PGlite.create({ extensions: { citext } });
}

/** Applies the migrations up to `upTo` (all by default) not yet applied; returns the versions applied. */
export async function migratePostgres(db: PGlite, upTo = Number.POSITIVE_INFINITY): Promise<number[]> {
  await db.exec("CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)");
  const done: number[] = [];
  for (const file of pgMigrationFiles()) {
    const version = Number(file.slice(0, 3));
    if (version > upTo) break;
    const sql = fs.readFileSync(path.join(PG_MIGRATIONS_DIR, file), "utf8");
    const ran = await db.transaction(async (tx) => {
      await tx.query("LOCK TABLE schema_version IN EXCLUSIVE MODE");
      if ((await tx.query("SELECT 1 FROM schema_version WHERE version = $1", [version])).rows.length > 0) return false;
      await tx.exec(sql);
      await tx.query("INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)", [version, file, new Date().toISOString()]);
      return true;
    });
    if (ran) done.push(version);
  }
  return done;
}
