/**
 * The PostgreSQL migrations build the schema SQLite's build: the same tables with the same columns
 * in the same order, the same NOT NULL columns, defaults, primary keys, unique constraints, foreign
 * keys, CHECK constraints, indexes and append-only triggers — read from both engines' catalogs
 * after a fresh migration, never from a list written here.
 */
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate, openDatabase, type Db } from "../src/db/connection.js";
import { MIGRATIONS_DIR } from "../src/paths.js";
import { migratePostgres, PG_ENGINES, pgMigrationFiles, type PgSession } from "./pg-migrations.js";
import { postgresShape, sqliteShape, type SchemaShape } from "./schema-shape.js";

describe.each(PG_ENGINES)("PostgreSQL schema on $name", (engine) => {
  let pg: PgSession;
  let sqlite: Db;
  let sqliteSchema: SchemaShape;
  let pgSchema: SchemaShape;

  beforeAll(async () => {
    sqlite = openDatabase(":memory:");
    sqliteSchema = sqliteShape(sqlite);
    pg = await engine.open();
    await migratePostgres(pg);
    pgSchema = await postgresShape((sql, params) => pg.rows(sql, params));
  }, 180_000); // PGlite starts and migrates slowly on a loaded machine
  afterAll(async () => {
    sqlite.close();
    await pg.close();
  });

  it("has one migration for each SQLite migration, with the same number and name", () => {
    const sqliteFiles = fs.readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{3}_.+\.sql$/.test(f)).sort();
    expect(pgMigrationFiles()).toEqual(sqliteFiles);
  });

  it("records every migration in schema_version, as SQLite does, and applies none a second time", async () => {
    expect(await migratePostgres(pg)).toEqual([]);
    const pgVersions = await pg.rows("SELECT version, name FROM schema_version ORDER BY version");
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

  it("keeps every amount in cents, counter and sequence in bigint", async () => {
    const wide = await pg.rows<{ column: string; type: string }>(
      `SELECT c.relname || '.' || a.attname AS column, t.typname AS type
         FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid
        WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
          AND (a.attname LIKE '%\\_cents' OR a.attname IN ('seq', 'last_seq', 'series_counter', 'last_counter', 'cursor_seq', 'activity_seq', 'size_bytes', 'byte_count', 'row_count'))
        ORDER BY 1`,
    );
    expect(wide.filter((c) => c.type !== "int8")).toEqual([]);
    expect(wide.filter((c) => c.column.endsWith("_cents")).length).toBe(Object.values(sqliteSchema.tables).flatMap((t) => t.columns).filter((c) => c.name.endsWith("_cents")).length);
    expect(wide.length).toBeGreaterThan(40);
  });
});

describe.each(PG_ENGINES)("PostgreSQL schema at work on $name", (engine) => {
  let pg: PgSession;
  beforeAll(async () => {
    pg = await engine.open();
    await migratePostgres(pg);
    await pg.exec(`
      INSERT INTO users (id, email, name, password_hash, created_at) VALUES ('u1', 'Anne@Example.fr', 'Anne', 'h', '2026-01-01T00:00:00.000Z');
      INSERT INTO companies (id, name, siren, address_line1, postal_code, city, country, fiscal_year_start, payment_terms_days, created_at)
        VALUES ('c1', 'Atelier', '123456789', '1 rue', '75001', 'Paris', 'FR', '01-01', 30, '2026-01-01T00:00:00.000Z');
      INSERT INTO activity (company_id, seq, at, action, record_kind, record_id, hash) VALUES ('c1', 1, '2026-01-01T00:00:00.000Z', 'create', 'company', 'c1', 'x');`);
  }, 180_000); // PGlite starts and migrates slowly on a loaded machine
  afterAll(() => pg.close());

  it("refuses to change or delete an activity row, with the SQLite trigger's message", async () => {
    await expect(pg.exec("UPDATE activity SET hash = 'y'")).rejects.toThrow("the activity log is append-only");
    await expect(pg.exec("DELETE FROM activity")).rejects.toThrow("the activity log is append-only");
    expect(await pg.rows("SELECT hash FROM activity")).toEqual([{ hash: "x" }]);
  });

  it("compares e-mails without regard to case, as SQLite's NOCASE does, and keeps them as written", async () => {
    await expect(pg.exec("INSERT INTO users (id, email, name, password_hash, created_at) VALUES ('u2', 'anne@example.FR', 'A', 'h', 'now')")).rejects.toThrow(/users_email_key/);
    expect(await pg.rows("SELECT id, email FROM users WHERE email = $1", ["ANNE@EXAMPLE.FR"])).toEqual([{ id: "u1", email: "Anne@Example.fr" }]);
  });

  it("orders text byte by byte, as SQLite does: credit notes' series (AV…) before invoices' (F…), capitals before small letters", async () => {
    const order = (await pg.rows<{ k: string }>("SELECT k FROM (VALUES ('F2026'), ('a'), ('AV2026'), ('Z'), ('é')) v(k) ORDER BY k")).map((r) => r.k);
    const sqlite = new Database(":memory:");
    const sqliteOrder = (sqlite.prepare("SELECT k FROM (SELECT 'F2026' k UNION ALL SELECT 'a' UNION ALL SELECT 'AV2026' UNION ALL SELECT 'Z' UNION ALL SELECT 'é') ORDER BY k").pluck().all() as string[]);
    sqlite.close();
    expect(order).toEqual(["AV2026", "F2026", "Z", "a", "é"]);
    expect(order).toEqual(sqliteOrder);
  });

  it("gives identity keys from 1, as SQLite's rowids, and reads cents as numbers", async () => {
    const row = await pg.rows("SELECT pk, payment_terms_days, last_seq FROM companies");
    expect(row).toEqual([{ pk: 1, payment_terms_days: 30, last_seq: 0 }]);
  });
});

/**
 * Books made before the migrations that fill new tables from existing rows (002 gives settled
 * invoices their lettering codes, 010 stores the identities frozen on documents once each, 017
 * brings payment terms within 60 days, 022 sums the journal per day) come out the same on both engines.
 */
describe.each(PG_ENGINES)("PostgreSQL migrations of existing books on $name", (engine) => {
  const BOOKS = `
    INSERT INTO users (id, email, name, password_hash, created_at) VALUES ('u1', 'anne@example.fr', 'Anne', 'h', '2026-01-01T00:00:00.000Z');
    INSERT INTO companies (id, name, siren, address_line1, postal_code, city, country, fiscal_year_start, payment_terms_days, created_at) VALUES
      ('c1', 'Atelier', '123456789', '1 rue', '75001', 'Paris', 'FR', '01-01', 90, '2026-01-01T00:00:00.000Z'),
      ('c2', 'Boutique', '987654321', '2 rue', '69001', 'Lyon', 'FR', '01-01', 30, '2026-01-01T00:00:00.000Z');
    INSERT INTO customers (id, company_id, code, name, address_line1, postal_code, city, country, created_at, updated_at) VALUES
      ('k1', 'c1', 'C1', 'Client', '3 rue', '13001', 'Marseille', 'FR', '2026-01-01', '2026-01-01'),
      ('k2', 'c2', 'C1', 'Client', '3 rue', '13001', 'Marseille', 'FR', '2026-01-01', '2026-01-01');
    INSERT INTO invoices (id, company_id, type, status, number, series_key, series_counter, customer_id, issue_date, seller_snapshot, customer_snapshot,
                          ht_cents, vat_cents, ttc_cents, paid_cents, credited_cents, created_at, updated_at) VALUES
      ('i1', 'c1', 'invoice', 'paid', 'F2026-00002', 'F2026', 2, 'k1', '2026-01-10', '{"name":"Atelier"}', '{"name":"Client","code":"C1"}', 1000, 200, 1200, 1200, 0, '2026-01-10', '2026-01-10'),
      ('i2', 'c1', 'invoice', 'issued', 'F2026-00001', 'F2026', 1, 'k1', '2026-01-05', '{"name":"Atelier"}', '{"code":"C1","name":"Client"}', 500, 100, 600, 0, 600, '2026-01-05', '2026-01-05'),
      ('i3', 'c1', 'invoice', 'draft', NULL, NULL, NULL, 'k1', NULL, NULL, NULL, 100, 20, 120, 0, 0, '2026-01-06', '2026-01-06'),
      ('i4', 'c2', 'invoice', 'paid', 'F2026-00001', 'F2026', 1, 'k2', '2026-02-01', '{"name":"Atelier"}', '{"name":"Client","code":"C1"}', 100, 20, 120, 120, 0, '2026-02-01', '2026-02-01');
    INSERT INTO invoice_lines (id, invoice_id, position, description, quantity, unit_price_cents, vat_rate_bp, discount_cents, kind, net_cents) VALUES
      ('l1', 'i1', 1, 'Pose', '1', 1000, 2000, 0, 'services', 1000);`;
  const READ = {
    lettering: "SELECT company_id, invoice_id, position FROM lettering ORDER BY company_id, invoice_id",
    identities: "SELECT id, company_id, json FROM frozen_identities ORDER BY id",
    invoices: "SELECT id, seller_identity_id, customer_identity_id FROM invoices ORDER BY id",
    terms: "SELECT id, payment_terms_days FROM companies ORDER BY id",
    lines: "SELECT invoice_id, position, id, unit FROM invoice_lines ORDER BY invoice_id, position",
    journal: "SELECT company_id, day, type, documents, ht_cents, vat_cents, ttc_cents, paid_cents FROM journal_days ORDER BY company_id, day, type",
  };
  const INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

  let sqlite: InstanceType<typeof Database>;
  let pg: PgSession;
  beforeAll(async () => {
    sqlite = new Database(":memory:");
    sqlite.exec("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
    sqlite.exec(fs.readFileSync(path.join(MIGRATIONS_DIR, "001_core.sql"), "utf8"));
    sqlite.prepare("INSERT INTO schema_version VALUES (1, '001_core.sql', '2026-01-01')").run();
    sqlite.exec(BOOKS);
    migrate(sqlite);

    pg = await engine.open();
    await migratePostgres(pg, 1);
    await pg.exec(BOOKS);
    await migratePostgres(pg);
  }, 180_000); // PGlite starts and migrates slowly on a loaded machine
  afterAll(async () => {
    sqlite.close();
    await pg.close();
  });

  it("gives the rows SQLite gives: lettering codes in invoice order, identities once per company, terms of 60 days, the journal's sums per day", async () => {
    for (const [what, sql] of Object.entries(READ)) expect({ what, rows: await pg.rows(sql) }).toEqual({ what, rows: sqlite.prepare(sql).all() });
    expect(await pg.rows(READ.lettering)).toEqual([
      { company_id: "c1", invoice_id: "i1", position: 1 },
      { company_id: "c1", invoice_id: "i2", position: 0 },
      { company_id: "c2", invoice_id: "i4", position: 0 },
    ]);
    expect(await pg.rows(READ.identities)).toEqual([
      { id: 1, company_id: "c1", json: '{"code":"C1","name":"Client"}' },
      { id: 2, company_id: "c1", json: '{"name":"Atelier"}' },
      { id: 3, company_id: "c1", json: '{"name":"Client","code":"C1"}' },
      { id: 4, company_id: "c2", json: '{"name":"Atelier"}' },
      { id: 5, company_id: "c2", json: '{"name":"Client","code":"C1"}' },
    ]);
    expect(await pg.rows(READ.invoices)).toEqual([
      { id: "i1", seller_identity_id: 2, customer_identity_id: 3 },
      { id: "i2", seller_identity_id: 2, customer_identity_id: 1 },
      { id: "i3", seller_identity_id: null, customer_identity_id: null },
      { id: "i4", seller_identity_id: 4, customer_identity_id: 5 },
    ]);
    expect(await pg.rows(READ.terms)).toEqual([{ id: "c1", payment_terms_days: 60 }, { id: "c2", payment_terms_days: 30 }]);
    expect(await pg.rows(READ.journal)).toEqual([
      { company_id: "c1", day: "2026-01-05", type: "invoice", documents: 1, ht_cents: 500, vat_cents: 100, ttc_cents: 600, paid_cents: 0 },
      { company_id: "c1", day: "2026-01-10", type: "invoice", documents: 1, ht_cents: 1000, vat_cents: 200, ttc_cents: 1200, paid_cents: 1200 },
      { company_id: "c2", day: "2026-02-01", type: "invoice", documents: 1, ht_cents: 100, vat_cents: 20, ttc_cents: 120, paid_cents: 120 },
    ]);
    const assigned = (await pg.rows<{ assigned_at: string }>("SELECT assigned_at FROM lettering")).map((r) => r.assigned_at);
    expect(assigned.filter((at) => INSTANT.test(at)).length).toBe(3);
    expect((sqlite.prepare("SELECT assigned_at FROM lettering").pluck().all() as string[]).filter((at) => INSTANT.test(at)).length).toBe(3);
  });
});
