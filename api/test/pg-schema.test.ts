/**
 * The PostgreSQL migrations build the schema SQLite's build: the same tables with the same columns
 * in the same order, the same NOT NULL columns, defaults, primary keys, unique constraints, foreign
 * keys, CHECK constraints, indexes and append-only triggers — read from both engines' catalogs
 * after a fresh migration, never from a list written here.
 */
import Database from "better-sqlite3";
import type { PGlite } from "@electric-sql/pglite";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../src/db/connection.js";
import { MIGRATIONS_DIR } from "../src/paths.js";
import { migratePostgres, openPglite, pgMigrationFiles } from "./pg-migrations.js";
import { postgresShape, sqliteShape, type SchemaShape } from "./schema-shape.js";

const rowsOf = (pg: PGlite) => async (sql: string, params?: unknown[]) => (await pg.query<Record<string, unknown>>(sql, params)).rows;

describe("PostgreSQL schema", () => {
  let pg: PGlite;
  let sqlite: Db;
  let sqliteSchema: SchemaShape;
  let pgSchema: SchemaShape;

  beforeAll(async () => {
    sqlite = openDatabase(":memory:");
    sqliteSchema = sqliteShape(sqlite);
    pg = await openPglite();
    await migratePostgres(pg);
    pgSchema = await postgresShape(rowsOf(pg));
  });
  afterAll(async () => {
    sqlite.close();
    await pg.close();
  });

  it("has one migration for each SQLite migration, with the same number and name", () => {
    const sqliteFiles = fs.readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{3}_.+\.sql$/.test(f)).sort();
    expect(pgMigrationFiles()).toEqual(sqliteFiles);
  });

  it("records every migration in schema_version, as SQLite does", async () => {
    const pgVersions = (await pg.query<{ version: number; name: string }>("SELECT version, name FROM schema_version ORDER BY version")).rows;
    expect(pgVersions).toEqual(sqlite.prepare("SELECT version, name FROM schema_version ORDER BY version").all());
  });

  it("has the same tables", () => {
    expect(Object.keys(pgSchema.tables)).toEqual(Object.keys(sqliteSchema.tables));
    expect(Object.keys(pgSchema.tables).length).toBeGreaterThan(30);
  });

  it("gives each table the same columns in the same order, of the same kind, NOT NULL and default", () => {
    for (const [table, shape] of Object.entries(sqliteSchema.tables)) expect({ table, columns: pgSchema.tables[table]?.columns }).toEqual({ table, columns: shape.columns });
  });

  it("gives each table the same primary key, unique constraints, foreign keys and number of CHECK constraints", () => {
    for (const [table, shape] of Object.entries(sqliteSchema.tables)) {
      const { columns: _pg, ...pgKeys } = pgSchema.tables[table]!;
      const { columns: _sqlite, ...sqliteKeys } = shape;
      expect({ table, ...pgKeys }).toEqual({ table, ...sqliteKeys });
    }
  });

  it("has the same indexes: columns in order and direction, unique or not, the same partial predicate", () => {
    expect(pgSchema.indexes).toEqual(sqliteSchema.indexes);
    expect(Object.values(pgSchema.indexes).filter((i) => i.where !== null).length).toBeGreaterThan(10);
  });

  it("has the same append-only triggers, refusing with the same messages", () => {
    expect(pgSchema.triggers).toEqual(sqliteSchema.triggers);
  });
});

describe("PostgreSQL schema at work", () => {
  let pg: PGlite;
  beforeAll(async () => {
    pg = await openPglite();
    await migratePostgres(pg);
    await pg.exec(`
      INSERT INTO users (id, email, name, password_hash, created_at) VALUES ('u1', 'Anne@Example.fr', 'Anne', 'h', '2026-01-01T00:00:00.000Z');
      INSERT INTO companies (id, name, siren, address_line1, postal_code, city, country, fiscal_year_start, payment_terms_days, created_at)
        VALUES ('c1', 'Atelier', '123456789', '1 rue', '75001', 'Paris', 'FR', '01-01', 30, '2026-01-01T00:00:00.000Z');
      INSERT INTO activity (company_id, seq, at, action, record_kind, record_id, hash) VALUES ('c1', 1, '2026-01-01T00:00:00.000Z', 'create', 'company', 'c1', 'x');`);
  });
  afterAll(() => pg.close());

  it("refuses to change or delete an activity row, with the SQLite trigger's message", async () => {
    await expect(pg.exec("UPDATE activity SET hash = 'y'")).rejects.toThrow("the activity log is append-only");
    await expect(pg.exec("DELETE FROM activity")).rejects.toThrow("the activity log is append-only");
    expect((await pg.query("SELECT hash FROM activity")).rows).toEqual([{ hash: "x" }]);
  });

  it("compares e-mails without regard to case, as SQLite's NOCASE does, and keeps them as written", async () => {
    await expect(pg.exec("INSERT INTO users (id, email, name, password_hash, created_at) VALUES ('u2', 'anne@example.FR', 'A', 'h', 'now')")).rejects.toThrow(/users_email_key/);
    expect((await pg.query("SELECT id, email FROM users WHERE email = $1", ["ANNE@EXAMPLE.FR"])).rows).toEqual([{ id: "u1", email: "Anne@Example.fr" }]);
  });

  it("orders text byte by byte, as SQLite does: credit notes' series (AV…) before invoices' (F…), capitals before small letters", async () => {
    const order = (await pg.query<{ k: string }>("SELECT k FROM (VALUES ('F2026'), ('a'), ('AV2026'), ('Z'), ('é')) v(k) ORDER BY k")).rows.map((r) => r.k);
    const sqlite = new Database(":memory:");
    const sqliteOrder = (sqlite.prepare("SELECT k FROM (SELECT 'F2026' k UNION ALL SELECT 'a' UNION ALL SELECT 'AV2026' UNION ALL SELECT 'Z' UNION ALL SELECT 'é') ORDER BY k").pluck().all() as string[]);
    sqlite.close();
    expect(order).toEqual(["AV2026", "F2026", "Z", "a", "é"]);
    expect(order).toEqual(sqliteOrder);
  });

  it("gives identity keys from 1, as SQLite's rowids, and reads cents as numbers", async () => {
    const row = (await pg.query("SELECT pk, payment_terms_days, last_seq FROM companies")).rows;
    expect(row).toEqual([{ pk: 1, payment_terms_days: 30, last_seq: 0 }]);
  });
});
