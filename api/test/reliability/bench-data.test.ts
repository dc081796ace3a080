/**
 * The benchmark data set is what the API itself would have stored: after generating a small one,
 * the integrity check recomputes every hash of the record chain and of the activity log, numbering is
 * continuous, every entry balances, the journal's totals equal its rows, its sums per day equal the
 * documents', and the API keeps working on it.
 * Simulating on a worker thread or on the writing thread gives the same documents.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateCompany } from "../../bench/generate.js";
import { openDatabase } from "../../src/db/connection.js";
import { checkIntegrity } from "../../src/services/integrity.js";
import { customerIdentity, sellerIdentity } from "../../src/services/identities.js";
import { readEntries } from "../../src/services/entries.js";
import { salesJournal, scannedTotals } from "../../src/services/journal.js";
import { aggregateProblems, periodTotals } from "../../src/db/journal-aggregates.js";
import { tempDir } from "./support.js";

describe("benchmark data set", () => {
  const dir = tempDir("bench-data");
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("2,000 generated invoices verify like documents made through the API", { timeout: 120_000 }, async () => {
    const file = path.join(dir, "bench.db");
    const g = await generateCompany({ file, invoices: 2000, customers: 30, batchInvoices: 500, threads: 2 });
    expect(g.threads).toBe(2);
    const db = openDatabase(file);
    try {
      const invoices = db.prepare("SELECT COUNT(*) FROM invoices WHERE company_id = ? AND type = 'invoice'").pluck().get(g.companyId);
      const credits = db.prepare("SELECT COUNT(*) FROM invoices WHERE company_id = ? AND type = 'credit_note'").pluck().get(g.companyId) as number;
      const paid = db.prepare("SELECT COUNT(DISTINCT invoice_id) FROM payments WHERE company_id = ?").pluck().get(g.companyId) as number;
      expect(invoices).toBe(2000);
      // 5 % credited, 90 % paid (a few credits or payments fall after the last day and do not happen)
      expect(credits).toBeGreaterThan(2000 * 0.035);
      expect(credits).toBeLessThan(2000 * 0.065);
      expect(paid).toBeGreaterThan(2000 * 0.85);
      expect(paid).toBeLessThan(2000 * 0.93);
      const years = db.prepare("SELECT DISTINCT substr(issue_date, 1, 4) FROM invoices WHERE company_id = ? ORDER BY 1").pluck().all(g.companyId);
      expect(years).toEqual(["2023", "2024", "2025"]);
      const rates = db.prepare("SELECT DISTINCT vat_rate_bp FROM invoice_lines ORDER BY 1").pluck().all();
      expect(rates).toEqual([210, 550, 1000, 2000]);

      const report = checkIntegrity(db, g.companyId);
      expect(report).toMatchObject({ ok: true, chain: "valid", numbering: "continuous", problems: [] });
      const stored = (table: string) => db.prepare(`SELECT COUNT(*) FROM ${table} WHERE company_id = ?`).pluck().get(g.companyId) as number;
      expect(report.checkedRecords).toBe(stored("record_chain") + stored("activity"));
      expect(stored("record_chain")).toBe(2000 + credits + g.counts.payments!);

      const entries = [...readEntries(db, g.companyId, { lockedUntil: null })];
      expect(entries.length).toBe(2000 + credits + g.counts.payments!);
      for (const e of entries) {
        const debit = e.lines.reduce((s, l) => s + l.debitCents, 0);
        const credit = e.lines.reduce((s, l) => s + l.creditCents, 0);
        expect(debit, `${e.journalCode} ${e.entryNumber}`).toBe(credit);
      }
      // every settled invoice is lettered
      const lettered = db.prepare("SELECT COUNT(*) FROM lettering WHERE company_id = ?").pluck().get(g.companyId);
      const settled = db.prepare("SELECT COUNT(*) FROM invoices WHERE company_id = ? AND type = 'invoice' AND ttc_cents = paid_cents + credited_cents").pluck().get(g.companyId);
      expect(lettered).toBe(settled);

      // the journal's sums per day, computed after the load, are those the services keep as they write
      expect(aggregateProblems(db, g.companyId)).toEqual([]);
      for (const period of [{}, { from: "2024-03-01", to: "2024-03-31" }, { from: "2024-04-01", to: "2024-06-30", type: "credit_note" as const }, { from: "2025-01-01", to: "2025-12-31" }, { from: "2023-02-14", to: "2024-11-03", type: "invoice" as const }]) {
        const totals = periodTotals(db, g.companyId, period);
        expect(totals.count).toBeGreaterThan(0);
        expect(totals).toEqual(scannedTotals(db, g.companyId, period));
      }

      const journal = salesJournal(db, g.companyId, { limit: 1000, from: "2024-03-01", to: "2024-03-31" });
      const sum = journal.items.reduce((s, r) => s + r.ttcCents, 0);
      expect(journal.totals.count).toBe(journal.items.length);
      expect(journal.totals.ttcCents).toBe(sum);
      expect(journal.items.every((r) => r.date >= "2024-03-01" && r.date <= "2024-03-31")).toBe(true);
    } finally {
      db.close();
    }
  });

  it("the simulation on a worker thread and on the writing thread give the same documents, both verified", { timeout: 120_000 }, async () => {
    const options = { invoices: 600, customers: 12, batchInvoices: 200, seed: 42 };
    const uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
    const read = async (threads: 1 | 2) => {
      const g = await generateCompany({ ...options, file: path.join(dir, `threads-${threads}.db`), threads });
      const db = openDatabase(g.file);
      try {
        expect(checkIntegrity(db, g.companyId)).toMatchObject({ ok: true, chain: "valid", numbering: "continuous" });
        // the identities frozen on the documents are the services' own
        const seller = db.prepare("SELECT DISTINCT f.json FROM invoices i JOIN frozen_identities f ON f.id = i.seller_identity_id").pluck().all();
        expect(seller).toEqual([JSON.stringify(sellerIdentity(db, g.companyId))]);
        const customers = db.prepare("SELECT DISTINCT i.customer_id, f.json FROM invoices i JOIN frozen_identities f ON f.id = i.customer_identity_id").raw().all() as [string, string][];
        expect(customers.length).toBe(options.customers);
        for (const [customerId, json] of customers) expect(json).toBe(JSON.stringify(customerIdentity(db, g.companyId, customerId)));
        expect(db.prepare("SELECT COUNT(*) FROM invoices WHERE customer_identity_id IS NULL OR seller_identity_id IS NULL").pluck().get()).toBe(0);
        const rows = (sql: string) => JSON.stringify(db.prepare(sql).raw().all()).replace(uuid, "<id>");
        return {
          threads: g.threads,
          invoices: rows(`SELECT i.number, i.type, i.status, i.series_key, i.series_counter, c.code, i.issue_date, i.due_date, o.number, fc.json,
                                 i.ht_cents, i.vat_cents, i.ttc_cents, i.paid_cents, i.credited_cents, i.created_at, i.updated_at, i.issued_at
                          FROM invoices i JOIN customers c ON c.id = i.customer_id LEFT JOIN invoices o ON o.id = i.credited_invoice_id
                          JOIN frozen_identities fc ON fc.id = i.customer_identity_id ORDER BY i.pk`),
          lines: rows(`SELECT i.number, l.position, p.name, l.description, l.quantity, l.unit_price_cents, l.vat_rate_bp, l.discount_cents, l.kind, l.net_cents, ci.number, cl.position
                       FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id LEFT JOIN products p ON p.id = l.product_id
                       LEFT JOIN invoice_lines cl ON cl.id = l.credited_line_id LEFT JOIN invoices ci ON ci.id = cl.invoice_id ORDER BY i.pk, l.position`),
          vat: rows("SELECT i.number, v.vat_rate_bp, v.base_cents, v.vat_cents FROM invoice_vat v JOIN invoices i ON i.id = v.invoice_id ORDER BY i.pk, v.vat_rate_bp"),
          payments: rows("SELECT i.number, p.amount_cents, p.date, p.method, p.created_at FROM payments p JOIN invoices i ON i.id = p.invoice_id ORDER BY p.pk"),
          chain: rows(`SELECT r.position, r.record_kind, COALESCE(i.number, pi.number), p.amount_cents FROM record_chain r LEFT JOIN invoices i ON i.id = r.record_id
                       LEFT JOIN payments p ON p.id = r.record_id LEFT JOIN invoices pi ON pi.id = p.invoice_id ORDER BY r.position`),
          activity: rows("SELECT seq, at, action, record_kind, record_date, before_json, after_json FROM activity WHERE record_kind != 'company' AND action NOT LIKE 'customer.%' AND action NOT LIKE 'product.%' ORDER BY seq"),
          lettering: rows("SELECT l.position, i.number, l.assigned_at FROM lettering l JOIN invoices i ON i.id = l.invoice_id ORDER BY l.position"),
          journalDays: rows("SELECT day, type, documents, ht_cents, vat_cents, ttc_cents, paid_cents FROM journal_days ORDER BY day, type"),
          journalRates: rows("SELECT day, type, vat_rate_bp, documents, base_cents, vat_cents FROM journal_day_rates ORDER BY day, type, vat_rate_bp"),
        };
      } finally {
        db.close();
      }
    };
    const worker = await read(2);
    const single = await read(1);
    expect(worker.threads).toBe(2);
    expect(single.threads).toBe(1);
    expect(JSON.parse(worker.invoices)).toHaveLength(600 + JSON.parse(worker.invoices).filter((r: unknown[]) => r[1] === "credit_note").length);
    expect({ ...single, threads: 2 }).toEqual(worker);
  });
});
