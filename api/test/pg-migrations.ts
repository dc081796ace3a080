/**
 * The PostgreSQL migrations (src/db/migrations-pg) applied to an empty database, as SQLite's are
 * (db/connection.ts migrate): numbered files not yet recorded in `schema_version`, each in its own
 * transaction with its record. The database is PGlite (PostgreSQL compiled to WebAssembly, run in
 * the test's own process: no server needed) or, where PASSERELLE_TEST_POSTGRES_URL names one, a
 * PostgreSQL server.
 */
import { PGlite, type Transaction } from "@electric-sql/pglite";
import { citext } from "@electric-sql/pglite/contrib/citext";
import fs from "node:fs";
import path from "node:path";
import postgres from "postgres";
import { API_DIR } from "../src/paths.js";

export const PG_MIGRATIONS_DIR = path.join(API_DIR, "src", "db", "migrations-pg");

/** The numbered PostgreSQL migrations, in order. */
export function pgMigrationFiles(): string[] {
  return fs.readdirSync(PG_MIGRATIONS_DIR).filter((f) => /^\d{3}_.+\.sql$/.test(f)).sort();
}

export type Row = Record<string, unknown>;

/** What the tests ask of a PostgreSQL connection, whichever engine is behind it. */
export interface PgSession {
  /** Statements without parameters, several at once. */
  exec(sql: string): Promise<void>;
  rows<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]>;
  transaction<T>(fn: (tx: Omit<PgSession, "transaction" | "close">) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export interface PgEngine {
  name: string;
  /** A connection to an empty database (schema `public` new and empty). */
  open(): Promise<PgSession>;
}

/** A fresh, empty in-memory PGlite (with citext, which the migrations use for e-mails). */
export const pglite: PgEngine = {
  name: "PGlite",
  async open() {
    const db = await PGlite.create({ extensions: { citext } });
    const on = (q: PGlite | Transaction) => ({
      exec: async (sql: string) => void (await q.exec(sql)),
      rows: async <T extends Row>(sql: string, params?: unknown[]) => (await q.query<T>(sql, params)).rows,
    });
    return { ...on(db), transaction: (fn) => db.transaction((tx) => fn(on(tx))), close: () => db.close() };
  },
};

/** A PostgreSQL server's database, its schema `public` dropped and made again; int8 read as numbers, as PGlite reads them. */
export function postgresServer(url: string): PgEngine {
  return {
    name: "PostgreSQL server",
    async open() {
      const sql = postgres(url, { max: 1, onnotice: () => {}, types: { bigint: { to: 20, from: [20], serialize: (x: number) => String(x), parse: (x: string) => Number(x) } } });
      await sql.unsafe("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;");
      const on = (q: postgres.Sql | postgres.TransactionSql) => ({
        exec: async (text: string) => void (await q.unsafe(text)),
        rows: async <T extends Row>(text: string, params?: unknown[]) => [...(await q.unsafe(text, params as never[]))] as unknown as T[],
      });
      return { ...on(sql), transaction: async (fn) => (await sql.begin((tx) => fn(on(tx)))) as never, close: () => sql.end() };
    },
  };
}

/** PGlite always; a server too where PASSERELLE_TEST_POSTGRES_URL names one (CI's PostgreSQL 15). */
export const PG_ENGINES: PgEngine[] = [pglite, ...(process.env.PASSERELLE_TEST_POSTGRES_URL ? [postgresServer(process.env.PASSERELLE_TEST_POSTGRES_URL)] : [])];

/** Applies the migrations up to `upTo` (all by default) not yet applied; returns the versions applied. */
export async function migratePostgres(db: PgSession, upTo = Number.POSITIVE_INFINITY): Promise<number[]> {
  await db.exec("CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, name text NOT NULL, applied_at text NOT NULL)");
  const done: number[] = [];
  for (const file of pgMigrationFiles()) {
    const version = Number(file.slice(0, 3));
    if (version > upTo) break;
    const sql = fs.readFileSync(path.join(PG_MIGRATIONS_DIR, file), "utf8");
    const ran = await db.transaction(async (tx) => {
      await tx.exec("LOCK TABLE schema_version IN EXCLUSIVE MODE");
      if ((await tx.rows("SELECT 1 FROM schema_version WHERE version = $1", [version])).length > 0) return false;
      await tx.exec(sql);
      await tx.rows("INSERT INTO schema_version (version, name, applied_at) VALUES ($1, $2, $3)", [version, file, new Date().toISOString()]);
      return true;
    });
    if (ran) done.push(version);
  }
  return done;
}
