import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export type Db = Database.Database;

const MIGRATIONS_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), "migrations");

export function openDatabase(file: string, options: { durable?: boolean } = {}): Db {
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma("busy_timeout = 5000");
  whileBusy(() => db.pragma("journal_mode = WAL"));
  db.pragma(`synchronous = ${options.durable ? "FULL" : "NORMAL"}`);
  db.pragma("foreign_keys = ON");
  migrate(db);
  return db;
}

/**
 * Switching a fresh file to WAL needs an exclusive lock, and SQLite answers SQLITE_BUSY at once
 * (without the busy handler) when another process opens the same new file at that moment.
 */
function whileBusy<T>(fn: () => T, timeoutMs = 5000): T {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return fn();
    } catch (error) {
      if ((error as { code?: string }).code !== "SQLITE_BUSY" || Date.now() > deadline) throw error;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
    }
  }
}

/**
 * Applies numbered migrations (`NNN_name.sql`) not yet recorded in `schema_version`, each in its own
 * transaction. Whether a migration is applied is decided inside its BEGIN IMMEDIATE transaction, so
 * processes opening the same database at once apply each migration exactly once.
 */
export function migrate(db: Db): number[] {
  db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
  const isApplied = db.prepare("SELECT 1 FROM schema_version WHERE version = ?").pluck();
  const applied = new Set(db.prepare("SELECT version FROM schema_version").pluck().all() as number[]);
  const files = fs
    .readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{3}_.+\.sql$/.test(f))
    .sort();
  const done: number[] = [];
  for (const file of files) {
    const version = Number(file.slice(0, 3));
    if (applied.has(version)) continue;
    const sql = fs.readFileSync(path.join(MIGRATIONS_DIR, file), "utf8");
    const ran = db.transaction(() => {
      if (isApplied.get(version)) return false; // another process applied it meanwhile
      db.exec(sql);
      db.prepare("INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)").run(version, file, new Date().toISOString());
      return true;
    }).immediate();
    if (ran) done.push(version);
  }
  return done;
}

/** Runs `fn` in a `BEGIN IMMEDIATE` transaction: one writer, no upgrade deadlocks. */
export function inTransaction<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}

/** Opens an existing database without changing it (no migration, no journal-mode switch): for checks of copies. */
export function openReadOnly(file: string): Db {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  return db;
}
