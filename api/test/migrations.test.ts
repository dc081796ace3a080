/**
 * Migrations applied to a database made before them, holding books made through the API: 009
 * rebuilds the document lines, the VAT by rate, the record chain, the activity log and the lettering
 * as WITHOUT ROWID tables; 010 stores the identities frozen on documents once each. Every row is
 * kept with its constraints and append-only triggers, and the books still verify.
 */
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { createDeps } from "../src/deps.js";
import { testConfig } from "../src/config.js";
import { fixedClock } from "../src/clock.js";
import { MIGRATIONS_DIR } from "../src/paths.js";
import { createTestApp, issuedInvoice, ownerWithCompany, type TestApp } from "./helpers.js";

/** Every numbered migration, 1 to the latest: a database opened by the app has them all. */
const VERSIONS = fs.readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{3}_.+\.sql$/.test(f)).map((f) => Number(f.slice(0, 3))).sort((a, b) => a - b);

const REBUILT = { invoice_lines: "invoice_id, position", invoice_vat: "invoice_id, vat_rate_bp", record_chain: "company_id, position", activity: "company_id, seq", lettering: "company_id, invoice_id" };

/** Invoices at two rates, payments settling one, a credit note (its lines refer to the credited ones). */
async function books(t: TestApp) {
  const o = await ownerWithCompany(t);
  const i1 = await issuedInvoice(t, o, "2026-11-02");
  const i2 = await issuedInvoice(t, o, "2026-11-05", [
    { description: "Pose", quantity: "2", unitPriceCents: 6800, vatRateBp: 1000, kind: "services" },
    { description: "Applique", quantity: "1", unitPriceCents: 12_900, vatRateBp: 2000, kind: "goods" },
  ]);
  const pay = (invoiceId: string, amountCents: number, date: string) =>
    t.call("POST", `/companies/${o.companyId}/payments`, { token: o.token, body: { invoiceId, amountCents, date, method: "transfer" } });
  expect((await pay(i1.id, 1000, "2026-11-12")).status).toBe(201);
  expect((await pay(i1.id, i1.totals.ttcCents - 1000, "2026-11-13")).status).toBe(201);
  expect((await t.call("POST", `/companies/${o.companyId}/invoices/${i2.id}/credit-note`, { token: o.token, body: {} })).status).toBe(201);
  return o;
}

/**
 * Columns a later migration moved or dropped, as the earlier schema held them, computed from the
 * current database `source` (row alias `s`), or null for SQLite to number: migration 009 dropped
 * the lines' internal rowid key, 010 put the frozen identities in their own table.
 */
const MOVED: Record<string, Record<string, string | null>> = {
  invoice_lines: { pk: null },
  invoices: {
    customer_snapshot: "(SELECT f.json FROM source.frozen_identities f WHERE f.id = s.customer_identity_id)",
    seller_snapshot: "(SELECT f.json FROM source.frozen_identities f WHERE f.id = s.seller_identity_id)",
  },
};

/** A database file at migration `version` (the files up to it, applied as `migrate` applies them), holding every row of `source`. */
function databaseAt(version: number, source: string, file: string): void {
  const db = new Database(file);
  db.pragma("foreign_keys = ON");
  db.exec("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
  for (const name of fs.readdirSync(MIGRATIONS_DIR).filter((f) => /^\d{3}_.+\.sql$/.test(f) && Number(f.slice(0, 3)) <= version).sort()) {
    db.transaction(() => {
      db.exec(fs.readFileSync(path.join(MIGRATIONS_DIR, name), "utf8"));
      db.prepare("INSERT INTO schema_version VALUES (?, ?, ?)").run(Number(name.slice(0, 3)), name, "2026-11-01T00:00:00.000Z");
    })();
  }
  db.prepare("ATTACH ? AS source").run(source);
  db.transaction(() => {
    db.pragma("defer_foreign_keys = ON");
    const tables = db.prepare("SELECT name FROM main.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_version'").pluck().all() as string[];
    for (const table of tables) {
      const present = new Set(db.prepare("SELECT name FROM pragma_table_info(?, 'source')").pluck().all(table) as string[]);
      const all = (db.prepare("SELECT name FROM pragma_table_info(?, 'main')").pluck().all(table) as string[]).map((c) => ({
        name: c,
        value: present.has(c) ? `s.${c}` : MOVED[table]?.[c],
      }));
      const unknown = all.find((c) => c.value === undefined);
      if (unknown) throw new Error(`${table}.${unknown.name} at migration ${version}: where is it now? (MOVED)`);
      const columns = all.filter((c) => c.value !== null);
      db.exec(`INSERT INTO main.${table} (${columns.map((c) => c.name).join(", ")}) SELECT ${columns.map((c) => c.value).join(", ")} FROM source.${table} s`);
    }
  })();
  db.exec("DETACH source");
  db.close();
}

/** The app's database copied to `file` as it would have been at migration `version`. */
function copyAt(t: TestApp, version: number, name: string): { source: string; file: string } {
  const source = path.join(t.dataDir, "current.db");
  if (!fs.existsSync(source)) t.deps.db.prepare("VACUUM INTO ?").run(source);
  const file = path.join(t.dataDir, name);
  databaseAt(version, source, file);
  return { source, file };
}

/** Calls the company's routes on an app over `deps` (the migrated database) as the owner. */
function companyCall(deps: ReturnType<typeof createDeps>, o: { token: string; companyId: string }) {
  const app = createApp(deps);
  return async (method: string, url: string, body?: unknown) => {
    const res = await app.request(`/api/v1/companies/${o.companyId}${url}`, {
      method,
      headers: { authorization: `Bearer ${o.token}`, ...(body ? { "content-type": "application/json" } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, json: (await res.json()) as any };
  };
}

function rowsOf(db: Database.Database | ReturnType<typeof createDeps>["db"], table: keyof typeof REBUILT): unknown[] {
  const columns = (db.prepare("SELECT name FROM pragma_table_info(?) WHERE name <> 'pk' ORDER BY cid").pluck().all(table) as string[]).join(", ");
  return db.prepare(`SELECT ${columns} FROM ${table} ORDER BY ${REBUILT[table]}`).raw().all();
}

describe("migrations", () => {
  it("009 rebuilds five tables without rowid: every row kept, constraints and append-only triggers in place, the books still verify", async () => {
    const t = createTestApp();
    const o = await books(t);
    const integrityBefore = (await t.call("GET", `/companies/${o.companyId}/integrity`, { token: o.token })).json;
    expect(integrityBefore).toMatchObject({ ok: true, chain: "valid", numbering: "continuous" });
    const { source, file } = copyAt(t, 8, "before-009.db");
    const before = new Database(file, { readonly: true });
    expect(before.prepare("SELECT sql FROM sqlite_master WHERE name = 'activity'").pluck().get()).not.toMatch(/WITHOUT ROWID/);
    before.close();

    const deps = createDeps(testConfig({ dataDir: t.dataDir, databasePath: file }), { clock: fixedClock("2026-11-20T10:00:00Z") });
    const db = deps.db;
    expect(db.prepare("SELECT version FROM schema_version ORDER BY version").pluck().all()).toEqual(VERSIONS);
    const reference = new Database(source, { readonly: true });
    for (const table of Object.keys(REBUILT) as (keyof typeof REBUILT)[]) {
      expect(db.prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?").pluck().get(table)).toMatch(/\) WITHOUT ROWID$/);
      const rows = rowsOf(db, table);
      expect(rows.length).toBeGreaterThan(0);
      expect(rows).toEqual(rowsOf(reference, table));
    }
    reference.close();
    expect(db.prepare("SELECT COUNT(*) FROM invoice_lines WHERE credited_line_id IS NOT NULL").pluck().get()).toBe(2);
    expect(db.prepare("PRAGMA foreign_key_check").all()).toEqual([]);
    expect(db.prepare("PRAGMA integrity_check").pluck().all()).toEqual(["ok"]);
    expect(db.prepare("SELECT name FROM sqlite_master WHERE type IN ('index', 'trigger') AND tbl_name IN ('invoice_lines', 'activity', 'record_chain', 'lettering') AND sql IS NOT NULL ORDER BY name").pluck().all()).toEqual([
      "activity_company_actor",
      "activity_company_at",
      "activity_no_delete",
      "activity_no_update",
      "invoice_lines_credited",
      "lettering_no_delete",
      "lettering_no_update",
      "record_chain_no_delete",
      "record_chain_no_update",
    ]);
    expect(() => db.prepare("UPDATE activity SET action = 'x'").run()).toThrow("the activity log is append-only");
    expect(() => db.prepare("DELETE FROM record_chain").run()).toThrow("the record chain is append-only");
    expect(() => db.prepare("DELETE FROM lettering").run()).toThrow("lettering codes never move");
    expect(() => db.prepare("UPDATE invoice_lines SET credited_line_id = 'nowhere' WHERE credited_line_id IS NOT NULL").run()).toThrow("FOREIGN KEY constraint failed");
    expect(() => db.prepare("INSERT INTO invoice_vat SELECT * FROM invoice_vat LIMIT 1").run()).toThrow("UNIQUE constraint failed");

    // the migrated books verify, and take new documents
    const call = companyCall(deps, o);
    expect((await call("GET", "/integrity")).json).toEqual(integrityBefore);
    const draft = await call("POST", "/invoices", { customerId: o.customerId, lines: [{ description: "Reprise", quantity: "1", unitPriceCents: 5000, vatRateBp: 2000, kind: "services" }] });
    expect(draft.status).toBe(201);
    const issued = await call("POST", `/invoices/${draft.json.id}/issue`, { issueDate: "2026-11-20" });
    expect(issued.status).toBe(200);
    expect(issued.json.number).toBe("F2026-00003");
    expect((await call("GET", "/integrity")).json).toMatchObject({ ok: true, chain: "valid", numbering: "continuous", checkedRecords: integrityBefore.checkedRecords + 3 });
    db.close();
  });
  it("010 stores each frozen identity once: every document prints and hashes the same, the books verify, new documents reuse them", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const call = (method: string, url: string, body?: unknown) => t.call(method, `/companies/${o.companyId}${url}`, { token: o.token, ...(body ? { body } : {}) });
    const i1 = await issuedInvoice(t, o, "2026-11-02");
    await issuedInvoice(t, o, "2026-11-03");
    // the company moves and the customer is renamed: documents issued after print the new identities
    expect((await call("PATCH", "", { address: { line1: "3 quai Saint-Vincent", postalCode: "69001", city: "Lyon", country: "FR" } })).status).toBe(200);
    expect((await call("PATCH", `/customers/${o.customerId}`, { name: "Atelier Lumière SAS" })).status).toBe(200);
    await issuedInvoice(t, o, "2026-11-06");
    expect((await call("POST", `/invoices/${i1.id}/credit-note`, { issueDate: "2026-11-06" })).status).toBe(201);
    const draft = await call("POST", "/invoices", { customerId: o.customerId, lines: [{ description: "Devis", quantity: "1", unitPriceCents: 1000, vatRateBp: 2000, kind: "services" }] });
    expect(draft.status).toBe(201);
    const documents = (await call("GET", "/invoices?limit=100")).json;
    const integrityBefore = (await call("GET", "/integrity")).json;
    expect(integrityBefore).toMatchObject({ ok: true, chain: "valid", numbering: "continuous", checkedRecords: 16 }); // 4 chained records, 12 activity entries

    const { file } = copyAt(t, 9, "before-010.db");
    const before = new Database(file, { readonly: true });
    const printed = before.prepare("SELECT id, number, customer_snapshot, seller_snapshot FROM invoices ORDER BY pk").raw().all() as [string, string | null, string | null, string | null][];
    before.close();
    expect(printed.map(([, number]) => number)).toEqual(["F2026-00001", "F2026-00002", "F2026-00003", "AV2026-00001", null]);
    expect(new Set(printed.map(([, , c]) => c)).size).toBe(3); // two names and the draft's none
    expect(new Set(printed.map(([, , , s]) => s)).size).toBe(3); // two addresses and none

    const deps = createDeps(testConfig({ dataDir: t.dataDir, databasePath: file }), { clock: fixedClock("2026-11-20T10:00:00Z") });
    const db = deps.db;
    expect(db.prepare("SELECT MAX(version) FROM schema_version").pluck().get()).toBe(VERSIONS.at(-1));
    const columns = db.prepare("SELECT name FROM pragma_table_info('invoices')").pluck().all();
    expect(columns).toContain("customer_identity_id");
    expect(columns).not.toContain("customer_snapshot");
    expect(columns).not.toContain("seller_snapshot");
    expect(db.prepare("SELECT COUNT(*) FROM frozen_identities").pluck().get()).toBe(4);
    expect(
      db.prepare("SELECT i.id, i.number, fc.json, fs.json FROM invoices i LEFT JOIN frozen_identities fc ON fc.id = i.customer_identity_id LEFT JOIN frozen_identities fs ON fs.id = i.seller_identity_id ORDER BY i.pk").raw().all(),
    ).toEqual(printed);
    expect(db.prepare("PRAGMA foreign_key_check").all()).toEqual([]);
    expect(db.prepare("PRAGMA integrity_check").pluck().all()).toEqual(["ok"]);
    expect(() => db.prepare("UPDATE frozen_identities SET json = '{}'").run()).toThrow("frozen identities never change");
    expect(() => db.prepare("DELETE FROM frozen_identities").run()).toThrow("frozen identities never change");
    expect(() => db.prepare("INSERT INTO frozen_identities (company_id, json) SELECT company_id, json FROM frozen_identities LIMIT 1").run()).toThrow("UNIQUE constraint failed");

    const migrated = companyCall(deps, o);
    expect((await migrated("GET", "/invoices?limit=100")).json).toEqual(documents);
    expect((await migrated("GET", "/integrity")).json).toEqual(integrityBefore);
    // the draft, issued now, prints the identities as they are: the same two as the last documents
    expect((await migrated("POST", `/invoices/${draft.json.id}/issue`, { issueDate: "2026-11-20" })).json.number).toBe("F2026-00004");
    expect(db.prepare("SELECT COUNT(*) FROM frozen_identities").pluck().get()).toBe(4);
    expect(db.prepare("SELECT COUNT(DISTINCT customer_identity_id) || '/' || COUNT(DISTINCT seller_identity_id) FROM invoices WHERE issue_date >= '2026-11-06'").pluck().get()).toBe("1/1");
    expect((await migrated("GET", "/integrity")).json).toMatchObject({ ok: true, chain: "valid", numbering: "continuous", checkedRecords: 18 });
    db.close();
  });

  it("022 fills the journal's sums per day from the documents already issued: the same rows as kept by the writes, the totals the same", async () => {
    const t = createTestApp();
    const o = await books(t);
    const call = (url: string) => t.call("GET", `/companies/${o.companyId}${url}`, { token: o.token });
    const journal = (await call("/sales-journal?from=2026-11-01&to=2026-11-30")).json;
    const integrityBefore = (await call("/integrity")).json;
    const { source, file } = copyAt(t, 21, "before-022.db");
    const before = new Database(file, { readonly: true });
    expect(before.prepare("SELECT name FROM sqlite_master WHERE name LIKE 'journal_day%'").all()).toEqual([]);
    before.close();

    const deps = createDeps(testConfig({ dataDir: t.dataDir, databasePath: file }), { clock: fixedClock("2026-11-20T10:00:00Z") });
    const db = deps.db;
    const reference = new Database(source, { readonly: true });
    for (const table of ["journal_days", "journal_day_rates"]) {
      const rows = (d: { prepare: Database.Database["prepare"] }) => d.prepare(`SELECT * FROM ${table} ORDER BY 1, 2, 3, 4`).raw().all();
      expect(rows(db).length).toBeGreaterThan(0);
      expect(rows(db)).toEqual(rows(reference));
    }
    reference.close();
    // two invoices (one paid in full) and the credit note of the second, at 20 % and 10 %
    expect(db.prepare("SELECT day, type, documents, paid_cents FROM journal_days ORDER BY day, type").raw().all()).toEqual([
      ["2026-11-02", "invoice", 1, 3604],
      ["2026-11-05", "invoice", 1, 0],
      ["2026-11-20", "credit_note", 1, 0],
    ]);
    const migrated = companyCall(deps, o);
    expect((await migrated("GET", "/sales-journal?from=2026-11-01&to=2026-11-30")).json).toEqual(journal);
    expect((await migrated("GET", "/integrity")).json).toEqual(integrityBefore);
    db.close();
  });
});
