/**
 * The benchmark data set is what the API itself would have stored: after generating a small one,
 * the integrity check recomputes every hash of the record chain and of the activity log, numbering is
 * continuous, every entry balances, the journal's totals equal its rows, and the API keeps working on it.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generateCompany } from "../../bench/generate.js";
import { openDatabase } from "../../src/db/connection.js";
import { checkIntegrity } from "../../src/services/integrity.js";
import { readEntries } from "../../src/services/entries.js";
import { salesJournal } from "../../src/services/journal.js";
import { tempDir } from "./support.js";

describe("benchmark data set", () => {
  const dir = tempDir("bench-data");
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("2,000 generated invoices verify like documents made through the API", { timeout: 120_000 }, async () => {
    const file = path.join(dir, "bench.db");
    const g = await generateCompany({ file, invoices: 2000, customers: 30, batchInvoices: 500 });
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

      const journal = salesJournal(db, g.companyId, { limit: 1000, from: "2024-03-01", to: "2024-03-31" });
      const sum = journal.items.reduce((s, r) => s + r.ttcCents, 0);
      expect(journal.totals.count).toBe(journal.items.length);
      expect(journal.totals.ttcCents).toBe(sum);
      expect(journal.items.every((r) => r.date >= "2024-03-01" && r.date <= "2024-03-31")).toBe(true);
    } finally {
      db.close();
    }
  });
});
