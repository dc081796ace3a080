/**
 * Migrations applied to a database made before them: migration 009 rebuilds the document lines, the
 * VAT by rate, the record chain, the activity log and the lettering as WITHOUT ROWID tables. A
 * database at migration 008 holding books made through the API keeps every row, its constraints and
 * append-only triggers, and still verifies.
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

/** A database file at migration 008 (the files before 009, applied as `migrate` applies them), holding every row of `source`. */
function databaseBefore009(source: string, file: string): void {
  const db = new Database(file);
  db.pragma("foreign_keys = ON");
  db.exec("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
  for (const name of fs.readdirSync(MIGRATIONS_DIR).filter((f) => /^00[1-8]_.+\.sql$/.test(f)).sort()) {
    db.transaction(() => {
      db.exec(fs.readFileSync(path.join(MIGRATIONS_DIR, name), "utf8"));
      db.prepare("INSERT INTO schema_version VALUES (?, ?, ?)").run(Number(name.slice(0, 3)), name, "2026-11-01T00:00:00.000Z");
    })();
  }
  expect(db.prepare("SELECT sql FROM sqlite_master WHERE name = 'activity'").pluck().get()).not.toMatch(/WITHOUT ROWID/);
  db.prepare("ATTACH ? AS source").run(source);
  db.transaction(() => {
    db.pragma("defer_foreign_keys = ON");
    const tables = db.prepare("SELECT name FROM source.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_version'").pluck().all() as string[];
    for (const table of tables) {
      const columns = (db.prepare("SELECT name FROM pragma_table_info(?, 'source')").pluck().all(table) as string[]).join(", ");
      db.exec(`INSERT INTO main.${table} (${columns}) SELECT ${columns} FROM source.${table}`);
    }
  })();
  db.exec("DETACH source");
  db.close();
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
    const source = path.join(t.dataDir, "current.db");
    t.deps.db.prepare("VACUUM INTO ?").run(source);
    const file = path.join(t.dataDir, "before-009.db");
    databaseBefore009(source, file);

    const deps = createDeps(testConfig({ dataDir: t.dataDir, databasePath: file }), { clock: fixedClock("2026-11-20T10:00:00Z") });
    const db = deps.db;
    expect(db.prepare("SELECT version FROM schema_version ORDER BY version").pluck().all()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
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
    const app = createApp(deps);
    const call = async (method: string, url: string, body?: unknown) => {
      const res = await app.request(`/api/v1/companies/${o.companyId}${url}`, {
        method,
        headers: { authorization: `Bearer ${o.token}`, ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, json: (await res.json()) as any };
    };
    expect((await call("GET", "/integrity")).json).toEqual(integrityBefore);
    const draft = await call("POST", "/invoices", { customerId: o.customerId, lines: [{ description: "Reprise", quantity: "1", unitPriceCents: 5000, vatRateBp: 2000, kind: "services" }] });
    expect(draft.status).toBe(201);
    const issued = await call("POST", `/invoices/${draft.json.id}/issue`, { issueDate: "2026-11-20" });
    expect(issued.status).toBe(200);
    expect(issued.json.number).toBe("F2026-00003");
    expect((await call("GET", "/integrity")).json).toMatchObject({ ok: true, chain: "valid", numbering: "continuous", checkedRecords: integrityBefore.checkedRecords + 3 });
    db.close();
  });
});
