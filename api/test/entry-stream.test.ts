/**
 * The entries as a stream (services/entries.ts) are exactly what the pure ledger computes over the
 * company's whole history (shared/src/entries.ts `ledgerEntries`, the frozen entries kept as they
 * were), whatever the page size, the range, the journals, a cursor or a document filter — before and
 * after a lock, with VAT on payment and account codes changed after it. And an open year's FEC does
 * not hold the year in memory.
 */
import fs from "node:fs";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyLettering, defaultAccountingSettings, fecHeader, fecRecordLine, fecRecords, ledgerEntries, letteringCode, sourceKey, type AccountingEntry, type RateAmount } from "@passerelle/shared";
import { fecBody, planFec } from "../src/exports/fec.js";
import { generateCompany } from "../bench/generate.js";
import { fixedClock } from "../src/clock.js";
import { testConfig } from "../src/config.js";
import { openDatabase, type Db } from "../src/db/connection.js";
import { DocHeaders, entryLinesAtMost, groupDocuments, groupPayments, invoiceLettering, LetteringMemo } from "../src/db/ledger.js";
import { invoiceFilterSql } from "../src/db/invoices.js";
import { loadAccountingSettings, saveAccountingSettings } from "../src/services/accounting-settings.js";
import { compareKeys, entryKey, readEntries, type EntryScope } from "../src/services/entries.js";
import { lockPeriod, lockState } from "../src/services/locks.js";
import { deletePayment } from "../src/services/payments.js";
import { apiUrl, createTestApp, ownerWithCompany, type TestApp } from "./helpers.js";
import { accountantOf } from "./export-support.js";
import { seedPaidInvoices } from "./export-volume.js";
import { checkFec } from "./fec-check.js";
import { tempDir } from "./reliability/support.js";

/** The whole history computed at once, as the ledger defines it (the reference the stream must equal). */
function wholeLedger(db: Db, companyId: string): AccountingEntry[] {
  const settings = loadAccountingSettings(db, companyId);
  const frozenRows = db.prepare("SELECT journal, sequence, source_kind, source_id, entry_json, waiting_json FROM frozen_entries WHERE company_id = ?").all(companyId) as {
    journal: "sales" | "bank";
    sequence: number;
    source_kind: "invoice" | "credit_note" | "payment";
    source_id: string;
    entry_json: string;
    waiting_json: string;
  }[];
  const next = { sales: 1, bank: 1 };
  for (const r of frozenRows) next[r.journal] = Math.max(next[r.journal], r.sequence + 1);
  const groups = db
    .prepare("SELECT id FROM invoices WHERE company_id = ? AND number IS NOT NULL AND (type = 'invoice' OR credited_invoice_id IS NULL)")
    .pluck()
    .all(companyId) as string[];
  const { entries, settled } = ledgerEntries({
    documents: groupDocuments(db, new DocHeaders(db), companyId, groups),
    payments: groupPayments(db, companyId, groups),
    settings,
    frozen: new Map(frozenRows.map((r) => [sourceKey(r.source_kind, r.source_id), { waiting: JSON.parse(r.waiting_json) as RateAmount[] }])),
    nextSequence: next,
  });
  const all = [...frozenRows.map((r) => JSON.parse(r.entry_json) as AccountingEntry), ...entries.map((c) => c.entry)];
  const positions = new Map((db.prepare("SELECT invoice_id, position FROM lettering WHERE company_id = ?").all(companyId) as { invoice_id: string; position: number }[]).map((r) => [r.invoice_id, r.position]));
  const lettered = new Map<string, { code: string; date: string }>();
  for (const [invoiceId, date] of settled) {
    const position = positions.get(invoiceId);
    if (position !== undefined) lettered.set(invoiceId, { code: letteringCode(position), date });
  }
  applyLettering(all, lettered);
  return all.sort((a, b) => compareKeys(entryKey(a), entryKey(b)));
}

const read = (db: Db, companyId: string, scope: Omit<EntryScope, "lockedUntil"> = {}) => [...readEntries(db, companyId, { lockedUntil: lockState(db, companyId).lockedUntil, ...scope })];

describe("entries read as a stream", () => {
  const dir = tempDir("entry-stream");
  let db: Db;
  let companyId: string;
  let actorId: string;
  const clock = fixedClock("2026-11-20T10:00:00Z");
  const ctx = () => ({ db, clock, config: testConfig({ dataDir: dir }), actorId });

  beforeAll(async () => {
    const g = await generateCompany({ file: path.join(dir, "stream.db"), invoices: 600, customers: 12, batchInvoices: 300, seed: 7 });
    db = openDatabase(g.file);
    companyId = g.companyId;
    actorId = db.prepare("SELECT id FROM users LIMIT 1").pluck().get() as string;
  }, 120_000);
  afterAll(() => {
    db?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("equals the whole ledger, at any page size, before any lock", () => {
    expect(loadAccountingSettings(db, companyId).vatOnPayments).toBe(false);
    const plain = wholeLedger(db, companyId);
    expect(plain.flatMap((e) => e.lines).some((l) => l.account.startsWith("44574"))).toBe(false);
    expect(read(db, companyId, { pageSize: 7 })).toEqual(plain);

    // services' VAT waits for payment: credit notes and payments move it, so each entry depends on the ones before it
    saveAccountingSettings(ctx(), companyId, { ...loadAccountingSettings(db, companyId), vatOnPayments: true });
    const whole = wholeLedger(db, companyId);
    const waiting = whole.flatMap((e) => e.lines).filter((l) => l.account.startsWith("44574"));
    expect(waiting.some((l) => l.creditCents > 0) && waiting.some((l) => l.debitCents > 0)).toBe(true);
    expect(whole.some((e) => e.source.kind === "credit_note")).toBe(true);
    expect(whole.filter((e) => e.lines.some((l) => l.lettering)).length).toBeGreaterThan(500);
    expect(new Set(whole.map((e) => e.journalCode))).toEqual(new Set(["VE", "BQ"]));
    expect(read(db, companyId)).toEqual(whole);
    expect(read(db, companyId, { pageSize: 7 })).toEqual(whole);
    expect(read(db, companyId, { pageSize: 1 })).toEqual(whole);
  });

  it("the lettering kept for a read answers as the query does, whatever it has kept or let go", () => {
    const ids = db.prepare("SELECT id FROM invoices WHERE company_id = ? AND number IS NOT NULL ORDER BY pk").pluck().all(companyId) as string[];
    const memo = new LetteringMemo(db, companyId, 5);
    let lettered = 0;
    // overlapping windows, as an invoice comes again with the page of its payments
    for (let at = 0; at < ids.length; at += 3) {
      const window = ids.slice(Math.max(0, at - 8), at + 4);
      const asked = memo.of(window);
      expect(asked).toEqual(invoiceLettering(db, companyId, window));
      lettered += asked.size;
    }
    expect(lettered).toBeGreaterThan(500);
  });

  it("a lock freezes exactly those entries, and the stream goes on equal to the ledger with frozen entries kept", () => {
    const before = wholeLedger(db, companyId);
    lockPeriod(ctx(), companyId, { until: "2024-06-30", kind: "soft" });
    const frozen = db.prepare("SELECT COUNT(*) FROM frozen_entries WHERE company_id = ?").pluck().get(companyId) as number;
    expect(frozen).toBe(before.filter((e) => e.date <= "2024-06-30").length);
    const expected = before.map((e) => (e.date <= "2024-06-30" ? { ...e, validatedOn: "2026-11-20" } : e));
    expect(read(db, companyId, { pageSize: 13 })).toEqual(expected);
    expect(wholeLedger(db, companyId)).toEqual(expected);

    // a later lock freezes from where the first one stopped
    lockPeriod(ctx(), companyId, { until: "2024-12-31", kind: "soft" });
    const twice = before.map((e) => (e.date <= "2024-12-31" ? { ...e, validatedOn: "2026-11-20" } : e));
    expect(read(db, companyId, { pageSize: 29 })).toEqual(twice);
  });

  it("after account codes change, open entries follow them and frozen ones do not — as the ledger has it", () => {
    const settings = loadAccountingSettings(db, companyId);
    saveAccountingSettings(ctx(), companyId, { ...settings, accounts: { ...settings.accounts, bank: "512100" } });
    const whole = wholeLedger(db, companyId);
    const bankAccounts = (from: string, to: string) => new Set(whole.filter((e) => e.journal === "bank" && e.date >= from && e.date <= to).flatMap((e) => e.lines.filter((l) => l.account.startsWith("512")).map((l) => l.account)));
    expect(bankAccounts("2025-01-01", "2025-12-31")).toEqual(new Set(["512100"]));
    expect(bankAccounts("2023-01-01", "2024-12-31")).toEqual(new Set([defaultAccountingSettings().accounts.bank]));
    expect(read(db, companyId, { pageSize: 50 })).toEqual(whole);
  });

  it("a FEC is, byte for byte, the ledger's entries of its period in the records' text, open and locked years alike", async () => {
    const whole = wholeLedger(db, companyId);
    for (const [from, to] of [
      ["2024-01-01", "2024-12-31"],
      ["2025-01-01", "2025-12-31"],
      ["2024-06-01", "2025-03-31"],
    ] as const) {
      for (const separator of ["tab", "pipe"] as const) {
        const plan = planFec(db, companyId, { from, to, separator }, "2026-11-20", {});
        const chunks: Uint8Array[] = [];
        for await (const chunk of fecBody(db, plan)) chunks.push(chunk);
        const expected =
          fecHeader(separator) +
          whole
            .filter((e) => e.date >= from && e.date <= to)
            .flatMap((e) => fecRecords(e, { unvalidatedDate: "2026-11-20" }))
            .map((r) => fecRecordLine(r, separator))
            .join("");
        expect(expected.split("\r\n").length).toBeGreaterThan(1_000);
        expect(Buffer.concat(chunks).toString("utf8")).toBe(expected);
      }
    }
  });

  it("ranges, journals and cursors give the same entries as the ledger filtered", () => {
    // deleted payments have no entry and take no number: two in the open period
    const deleted = db
      .prepare("SELECT id FROM payments WHERE company_id = ? AND date BETWEEN '2025-03-01' AND '2025-06-30' ORDER BY date LIMIT 2")
      .pluck()
      .all(companyId) as string[];
    for (const id of deleted) deletePayment(ctx(), companyId, id);
    const whole = wholeLedger(db, companyId);
    expect(whole.some((e) => deleted.includes(e.source.id))).toBe(false);
    const ranges: [string | undefined, string | undefined][] = [
      ["2024-03-15", "2024-09-10"], // across the first lock
      ["2025-02-01", "2025-02-28"], // open only
      ["2023-05-01", "2023-05-31"], // frozen only
      [undefined, "2024-01-10"],
      ["2025-11-30", undefined],
    ];
    for (const [from, to] of ranges) {
      for (const journals of [undefined, new Set(["bank"] as const), new Set(["sales"] as const)]) {
        const expected = whole.filter((e) => (!from || e.date >= from) && (!to || e.date <= to) && (!journals || journals.has(e.journal as never)));
        expect(read(db, companyId, { from, to, journals, pageSize: 11 }), `${from}…${to} ${journals ? [...journals] : "all"}`).toEqual(expected);
      }
    }
    for (const at of [0, 1, 333, 700, 1200, whole.length - 2]) {
      const after = entryKey(whole[at]!);
      expect(read(db, companyId, { after, pageSize: 17 }).slice(0, 40), `after ${after.join(" ")}`).toEqual(whole.slice(at + 1, at + 41));
    }
  });

  it("a document filter keeps the entries of those documents (and their payments), numbered as in the journal", () => {
    const whole = wholeLedger(db, companyId);
    const customerId = db.prepare("SELECT customer_id FROM invoices WHERE company_id = ? GROUP BY customer_id ORDER BY COUNT(*) DESC LIMIT 1").pluck().get(companyId) as string;
    const ofCustomer = new Set(db.prepare("SELECT id FROM invoices WHERE company_id = ? AND customer_id = ?").pluck().all(companyId, customerId) as string[]);
    const expected = whole.filter((e) => ofCustomer.has(e.source.kind === "payment" ? e.source.invoiceId : e.source.id));
    expect(expected.length).toBeGreaterThan(60);
    expect(read(db, companyId, { documents: invoiceFilterSql({ customerId }), pageSize: 9 })).toEqual(expected);
  });

  it("never has more lines than entryLinesAtMost counts: frozen entries as they are, open ones from their documents, VAT on payment or not", () => {
    const lockedUntil = lockState(db, companyId).lockedUntil;
    expect(lockedUntil).toBe("2024-12-31");
    const ranges: [string | null, string][] = [[null, "2026-12-31"], ["2023-01-01", "2023-12-31"], ["2024-07-01", "2025-03-31"], ["2025-01-01", "2025-12-31"], ["2025-06-01", "2025-06-30"]];
    const settings = loadAccountingSettings(db, companyId);
    expect(settings.vatOnPayments).toBe(true); // the locked entries were computed with it: waiting VAT on their lines
    for (const vatOnPayments of [true, false]) {
      saveAccountingSettings(ctx(), companyId, { ...settings, vatOnPayments });
      const whole = wholeLedger(db, companyId);
      for (const [from, to] of ranges) {
        const lines = whole.filter((e) => (!from || e.date >= from) && e.date <= to).reduce((n, e) => n + e.lines.length, 0);
        const bound = entryLinesAtMost(db, companyId, from, to, lockedUntil, { vatOnPayments });
        const label = `${from}…${to}, VAT on payment ${vatOnPayments}`;
        expect(lines, label).toBeGreaterThan(0);
        expect(bound, label).toBeGreaterThanOrEqual(lines);
        // frozen entries count exactly, and without waiting VAT the open ones nearly so (revenue accounts merge lines)
        if (to <= lockedUntil!) expect(bound, label).toBe(lines);
        else if (!vatOnPayments) expect(bound / lines, label).toBeLessThan(1.25);
      }
    }
  });
});

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;
const MB = 1024 * 1024;

describe("an open year's FEC", () => {
  let t: TestApp;
  let o: Awaited<ReturnType<typeof ownerWithCompany>>;
  let accountant: Awaited<ReturnType<typeof accountantOf>>;
  const dir = tempDir("open-fec");

  beforeAll(async () => {
    t = createTestApp({ config: { dataDir: dir, databasePath: path.join(dir, "passerelle.db") } });
    o = await ownerWithCompany(t);
    accountant = await accountantOf(t, o.companyId);
    seedPaidInvoices(t.deps.db, o.companyId, o.customerId, 20_000, 2025); // 160,000 entry lines, nothing locked
  }, 120_000);
  afterAll(() => {
    t.deps.db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("is computed page by page: 160,000 lines while memory stays flat, and the file passes every rule", async () => {
    expect(lockState(t.deps.db, o.companyId).lockedUntil).toBe(null);
    const memory = () => {
      gc();
      gc();
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const base = memory();
    let peak = base;
    const response = await t.app.request(apiUrl(`/companies/${o.companyId}/exports/fec?from=2025-01-01&to=2025-12-31`), { headers: { authorization: `Bearer ${accountant.token}` } });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const chunks: Buffer[] = [];
    let bytes = 0;
    for (let n = 1; ; n++) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (n % 16 === 0) peak = Math.max(peak, memory());
      chunks.push(Buffer.from(value));
    }
    // the chunks kept for the check below are the file itself; what the export held besides is the growth
    const growth = Math.max(peak, memory()) - base - bytes;
    console.log(`open-year FEC: ${bytes} bytes, heap and buffers +${(growth / MB).toFixed(1)} MB beyond the file kept by the test`);
    expect(bytes).toBeGreaterThan(22 * MB);
    expect(growth).toBeLessThan(12 * MB);
    const fec = checkFec(Buffer.concat(chunks));
    expect(fec.entries).toBe(40_000);
    expect(fec.rows).toHaveLength(160_000);
    expect(fec.rows[0]).toMatchObject({ EcritureNum: "VE000001", EcritureLet: "AA", ValidDate: "20261120" });
    expect(fec.rows.at(-1)).toMatchObject({ JournalCode: "BQ", EcritureNum: "BQ020000", EcritureLet: letteringCode(19_999) });
  }, 120_000);
});
