import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";

export type Db = Database.Database;
type Statement = Database.Statement<unknown[], unknown>;

import { MIGRATIONS_DIR, POSTGRES_MIGRATIONS_DIR } from "../paths.js";
import { beforeTransaction } from "./group-commit.js";
import { PostgresDatabase } from "./postgres/database.js";

/** `postgres://…` (or `postgresql://…`) names a PostgreSQL database; `pglite:` an in-memory PGlite one (tests). */
export function isPostgresUrl(location: string): boolean {
  return /^(postgres(ql)?:\/\/|pglite:)/.test(location);
}

/** Whether `db` is a PostgreSQL database (PostgresDatabase behind the better-sqlite3 interface). */
export function isPostgres(db: Db): boolean {
  return (db as unknown as { engine?: string }).engine === "postgres";
}

/**
 * Opens the database at `file`: a SQLite file (or `:memory:`), or a PostgreSQL database when
 * `file` is a URL (isPostgresUrl); either way migrated to the newest schema.
 */
export function openDatabase(file: string, options: { durable?: boolean } = {}): Db {
  if (isPostgresUrl(file)) return openPostgres(file);
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma("busy_timeout = 5000");
  whileBusy(() => db.pragma("journal_mode = WAL"));
  db.pragma(`synchronous = ${options.durable ? "FULL" : "NORMAL"}`);
  db.pragma("foreign_keys = ON");
  migrate(db);
  return cacheStatements(db);
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
  const postgres = isPostgres(db);
  const dir = postgres ? POSTGRES_MIGRATIONS_DIR : MIGRATIONS_DIR;
  db.exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
  const isApplied = db.prepare("SELECT 1 FROM schema_version WHERE version = ?").pluck();
  const applied = new Set(db.prepare("SELECT version FROM schema_version").pluck().all() as number[]);
  const files = fs
    .readdirSync(dir)
    .filter((f) => /^\d{3}_.+\.sql$/.test(f))
    .sort();
  const done: number[] = [];
  for (const file of files) {
    const version = Number(file.slice(0, 3));
    if (applied.has(version)) continue;
    const sql = fs.readFileSync(path.join(dir, file), "utf8");
    const ran = db.transaction(() => {
      if (postgres) db.exec("LOCK TABLE schema_version IN EXCLUSIVE MODE");
      if (isApplied.get(version)) return false; // another process applied it meanwhile
      db.exec(sql);
      db.prepare("INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)").run(version, file, new Date().toISOString());
      return true;
    }).immediate();
    if (ran) done.push(version);
  }
  return done;
}

/** The newest schema version this code knows: its last numbered migration. */
export function knownSchemaVersion(): number {
  return Math.max(0, ...fs.readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{3}_.+\.sql$/.test(f)).map((f) => Number(f.slice(0, 3))));
}

/** The newest migration recorded in a database; null when it has no `schema_version` (not a Passerelle database, or an empty one). */
export function schemaVersionOf(db: Db): number | null {
  const table = isPostgres(db)
    ? db.prepare("SELECT 1 FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'schema_version'").get()
    : db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").get();
  return table ? ((db.prepare("SELECT MAX(version) FROM schema_version").pluck().get() as number | null) ?? 0) : null;
}

/**
 * Runs `fn` in a `BEGIN IMMEDIATE` transaction: one writer, no upgrade deadlocks. Inside a write
 * route's handler, on the server's connection, it is a savepoint of the turn's group commit.
 */
export function inTransaction<T>(db: Db, fn: () => T): T {
  beforeTransaction(db); // a write route's use-case joins the turn's group commit (group-commit.ts)
  return db.transaction(fn).immediate();
}

/** The migrated PGlite database each new `pglite:` database of this process is copied from. */
let pgliteTemplate: PostgresDatabase | undefined;

function openPostgres(url: string): Db {
  let db: PostgresDatabase;
  if (url.startsWith("pglite:")) {
    if (!pgliteTemplate) {
      const template = PostgresDatabase.connect(url);
      migrate(template as unknown as Db);
      pgliteTemplate = template;
    }
    db = PostgresDatabase.connect(url, pgliteTemplate);
  } else {
    db = PostgresDatabase.connect(url);
    migrate(db as unknown as Db);
  }
  db.learnSchema();
  return db as unknown as Db;
}

/** Opens an existing database without changing it (no migration, no journal-mode switch): for checks of copies. */
export function openReadOnly(file: string): Db {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  db.pragma("busy_timeout = 5000");
  return cacheStatements(db);
}

/**
 * Opens an existing database read-only, without migrating it: a SQLite file (openReadOnly) or a
 * PostgreSQL database, whose connection refuses writes (`default_transaction_read_only`).
 */
export function openExisting(location: string): Db {
  if (!isPostgresUrl(location)) return openReadOnly(location);
  const db = PostgresDatabase.connect(location);
  try {
    db.exec("SET default_transaction_read_only = on");
    db.learnSchema();
  } catch (error) {
    db.close();
    throw error;
  }
  return db as unknown as Db;
}

/** How many SQL texts a connection keeps compiled (least recently used first out). */
export const STATEMENT_CACHE_SIZE = 500;

type Mode = "flat" | "pluck" | "raw" | "expand";
interface Compiled {
  flat: Statement;
  pluck?: Statement;
  raw?: Statement;
  expand?: Statement;
}

const compile = Database.prototype.prepare as (this: Db, sql: string) => Statement;

/**
 * Makes `db.prepare(sql)` return a statement compiled once per connection and SQL text (SQLite
 * parses and plans a statement on every prepare; the server's requests run the same few hundred
 * statements again and again). What callers do to a statement never reaches another caller:
 *
 * - `pluck()`, `raw()` and `expand()` do not change a cached statement: they return the statement
 *   of the same SQL compiled in that mode (cached too), so `db.prepare(sql).pluck().get()` works as
 *   before and a later `db.prepare(sql).get()` still returns rows.
 * - `iterate()` runs on a freshly compiled statement, never the shared one: an iteration in progress
 *   keeps its statement busy, and a caller running the same SQL meanwhile (inside the loop) must
 *   not find it busy.
 * - `bind()` and `safeIntegers()`, which change a statement for good, return a fresh statement too.
 *
 * Use the statement these methods return (as every caller does), not the one they were called on.
 * Bounded: past `capacity` SQL texts, the least recently used one is dropped (with its modes).
 */
export function cacheStatements(db: Db, capacity = STATEMENT_CACHE_SIZE): Db {
  const cache = new Map<string, Compiled>();
  const fresh = (sql: string, mode: Mode): Statement => {
    const statement = compile.call(db, sql);
    return mode === "flat" ? statement : statement[mode](true);
  };
  const inMode = (sql: string, compiled: Compiled, mode: Mode): Statement =>
    (compiled[mode] ??= shared(sql, compiled, mode, fresh(sql, mode)));
  const toggle = (sql: string, compiled: Compiled, current: Mode, method: Exclude<Mode, "flat">, args: unknown[]): Statement => {
    if (args.length > 0 && typeof args[0] !== "boolean") throw new TypeError("Expected first argument to be a boolean");
    const on = args.length === 0 || args[0] === true;
    return inMode(sql, compiled, on ? method : current === method ? "flat" : current);
  };
  const shared = (sql: string, compiled: Compiled, mode: Mode, statement: Statement): Statement => {
    const own = (name: string, value: (...args: any[]) => unknown) => Object.defineProperty(statement, name, { value, configurable: true, writable: true });
    own("pluck", (...args: unknown[]) => toggle(sql, compiled, mode, "pluck", args));
    own("raw", (...args: unknown[]) => toggle(sql, compiled, mode, "raw", args));
    own("expand", (...args: unknown[]) => toggle(sql, compiled, mode, "expand", args));
    own("iterate", (...args: unknown[]) => fresh(sql, mode).iterate(...args));
    own("bind", (...args: unknown[]) => fresh(sql, mode).bind(...args));
    own("safeIntegers", (...args: unknown[]) => fresh(sql, mode).safeIntegers(...(args as [boolean?])));
    return statement;
  };
  const prepare = (sql: string): Statement => {
    const hit = cache.get(sql);
    if (hit !== undefined) {
      cache.delete(sql); // most recently used goes last
      cache.set(sql, hit);
      // not reachable through this cache (iterate runs on its own statement), but a busy statement is never shared
      if (!hit.flat.busy) return hit.flat;
    }
    if (typeof sql !== "string") return compile.call(db, sql); // the driver's own TypeError
    const compiled = {} as Compiled;
    compiled.flat = shared(sql, compiled, "flat", compile.call(db, sql));
    cache.set(sql, compiled);
    if (cache.size > capacity) cache.delete(cache.keys().next().value!);
    return compiled.flat;
  };
  const close = db.close;
  const closing = () => {
    cache.clear(); // a closed connection refuses prepare, as the driver's does
    return close.call(db);
  };
  Object.defineProperty(db, "prepare", { value: prepare, configurable: true, writable: true });
  Object.defineProperty(db, "close", { value: closing, configurable: true, writable: true });
  return db;
}

/** The driver's own `prepare` (no cache): for code that instruments the statements it gets. */
export function prepareUncached(db: Db, sql: string): Statement {
  // PostgresDatabase keeps no statements (each prepare is a new one): its own prepare is uncached
  return isPostgres(db) ? (PostgresDatabase.prototype.prepare.call(db as unknown as PostgresDatabase, sql) as unknown as Statement) : compile.call(db, sql);
}
