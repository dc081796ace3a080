/**
 * The journal's sums per day (db/journal-aggregates.ts) against a full recomputation: after random
 * sequences of what changes a journal figure — invoices issued, credit notes (whole, a line, an
 * amount), payments recorded and deleted, deposits and balance invoices, drafts left as drafts —
 * the totals of random period filters (dates, document type) served from the sums equal the totals
 * summed over the documents, and the integrity check finds nothing to report.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { addDays, invoiceTotals } from "@passerelle/shared";
import { createTestApp, draftBody, ownerWithCompany, type TestApp } from "./helpers.js";
import { aggregateProblems, periodTotals, rebuildJournalAggregates } from "../src/db/journal-aggregates.js";
import { isPeriodOnly, scannedTotals } from "../src/services/journal.js";

type Owner = Awaited<ReturnType<typeof ownerWithCompany>>;

const FIRST_DAY = "2026-01-01";
const LAST_DAY = "2026-12-31";

const lineArb = fc.record({
  description: fc.constant("Article"),
  quantity: fc.oneof(fc.integer({ min: 1, max: 12 }).map(String), fc.constantFrom("0.5", "1.25", "2.3333")),
  unitPriceCents: fc.integer({ min: 1, max: 150_000 }),
  vatRateBp: fc.constantFrom(2000, 1000, 550, 210),
  kind: fc.constantFrom("goods" as const, "services" as const),
});
const linesArb = fc.array(lineArb, { minLength: 1, maxLength: 4 }).filter((lines) => invoiceTotals(lines).ttcCents > 0);
const step = fc.integer({ min: 0, max: 45 });

const actionArb = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant("issue" as const), lines: linesArb, step }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("draft" as const), lines: linesArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant("credit" as const), pick: fc.nat(), how: fc.constantFrom("all", "line", "amount"), step }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant("pay" as const), pick: fc.nat(), share: fc.constantFrom(0.3, 0.5, 1), step }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("unpay" as const), pick: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("deposit" as const), lines: linesArb, percentBp: fc.integer({ min: 500, max: 5000 }), step }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("balance" as const), pick: fc.nat(), step }) },
);

type Action = typeof actionArb extends fc.Arbitrary<infer A> ? A : never;

const dayArb = fc.integer({ min: 0, max: 364 }).map((n) => addDays(FIRST_DAY, n));
const filterArb = fc.record(
  { from: dayArb, to: dayArb, type: fc.constantFrom("invoice" as const, "credit_note" as const) },
  { requiredKeys: [] },
);

/** Plays the actions through the API; the dates only go forward, as numbering requires. */
async function play(t: TestApp, o: Owner, actions: Action[]) {
  const call = async (method: string, url: string, body?: unknown) => t.call(method, `/companies/${o.companyId}${url}`, { token: o.token, body });
  const ok = (res: { status: number; text: string }, what: string) => {
    if (res.status >= 300) throw new Error(`${what}: ${res.status} ${res.text}`);
    return (res as unknown as { json: any }).json;
  };
  let day = FIRST_DAY;
  const forward = (days: number) => (day = [addDays(day, days), LAST_DAY].sort()[0]!);
  const invoices: { id: string; lines: { id: string }[]; rates: number[] }[] = [];
  const payments: string[] = [];
  const orders: string[] = [];
  const issue = async (draftId: string) => {
    const issued = ok(await call("POST", `/invoices/${draftId}/issue`, { issueDate: day }), "issue");
    invoices.push({ id: issued.id, lines: issued.lines, rates: issued.totals.byRate.map((r: { vatRateBp: number }) => r.vatRateBp) });
  };
  for (const a of actions) {
    if (a.kind === "issue") {
      forward(a.step);
      await issue(ok(await call("POST", "/invoices", draftBody(o.customerId, a.lines)), "draft").id);
    } else if (a.kind === "draft") {
      ok(await call("POST", "/invoices", draftBody(o.customerId, a.lines)), "draft");
    } else if (a.kind === "credit" && invoices.length > 0) {
      forward(a.step);
      const invoice = invoices[a.pick % invoices.length]!;
      const body =
        a.how === "all"
          ? { issueDate: day }
          : a.how === "line"
            ? { issueDate: day, lines: [{ lineId: invoice.lines[0]!.id }] }
            : { issueDate: day, amount: { amountCents: 100, basis: "ttc", vatRateBp: invoice.rates[0], reason: "Geste commercial" } };
      const res = await call("POST", `/invoices/${invoice.id}/credit-note`, body);
      // already credited (in full, or that line), a balance invoice, a deposit its balance deducts: refused, nothing changes
      if (res.status !== 409 && res.status !== 422) ok(res, "credit note");
    } else if (a.kind === "pay" && invoices.length > 0) {
      forward(a.step);
      const invoice = invoices[a.pick % invoices.length]!;
      const due = ok(await call("GET", `/invoices/${invoice.id}`), "invoice").dueCents as number;
      const amountCents = Math.floor(due * a.share);
      if (amountCents > 0) payments.push(ok(await call("POST", "/payments", { invoiceId: invoice.id, amountCents, date: day, method: "transfer" }), "payment").id);
    } else if (a.kind === "unpay" && payments.length > 0) {
      const [id] = payments.splice(a.pick % payments.length, 1);
      expect((await call("DELETE", `/payments/${id}`)).status).toBe(204);
    } else if (a.kind === "deposit") {
      forward(a.step);
      const order = ok(await call("POST", "/orders", { customerId: o.customerId, orderDate: day, lines: a.lines }), "order");
      orders.push(order.id);
      const deposit = await call("POST", `/orders/${order.id}/deposits`, { percentBp: a.percentBp });
      // a share of a few cents that comes to less than one cent before VAT: refused, nothing changes
      if (deposit.status === 422 && /percentBp: must come to at least one cent/.test(deposit.text)) continue;
      await issue(ok(deposit, "deposit").id);
    } else if (a.kind === "balance" && orders.length > 0) {
      forward(a.step);
      const [orderId] = orders.splice(a.pick % orders.length, 1);
      await issue(ok(await call("POST", `/orders/${orderId}/balance`, {}), "balance invoice").id);
    }
  }
}

describe("the journal's sums per day", () => {
  it("period totals from the sums equal the totals over the documents, after any sequence of writes (property-based)", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(actionArb, { minLength: 1, maxLength: 14 }), fc.array(filterArb, { minLength: 1, maxLength: 8 }), async (actions, filters) => {
        const t = createTestApp({ now: `${LAST_DAY}T18:00:00Z` });
        const o = await ownerWithCompany(t);
        await play(t, o, actions);
        const db = t.deps.db;
        expect(aggregateProblems(db, o.companyId)).toEqual([]);
        for (const filter of [{}, ...filters]) {
          expect(isPeriodOnly(filter)).toBe(true);
          const expected = scannedTotals(db, o.companyId, filter);
          expect(periodTotals(db, o.companyId, filter)).toEqual(expected);
          const query = new URLSearchParams({ limit: "1", ...filter }).toString();
          const res = await t.call("GET", `/companies/${o.companyId}/sales-journal?${query}`, { token: o.token });
          expect(res.json.totals).toEqual(expected);
        }
        const report = (await t.call("GET", `/companies/${o.companyId}/integrity`, { token: o.token })).json;
        expect(report).toMatchObject({ ok: true, problems: [] });
      }),
      { numRuns: 30 },
    );
  });

  it("a rate whose documents cancel out is still listed, at zero, as the documents' sum lists it", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const call = (method: string, url: string, body?: unknown) => t.call(method, `/companies/${o.companyId}${url}`, { token: o.token, body });
    const draft = (await call("POST", "/invoices", draftBody(o.customerId, [{ description: "Pose", quantity: "2", unitPriceCents: 6800, vatRateBp: 1000, kind: "services" }]))).json;
    const invoice = (await call("POST", `/invoices/${draft.id}/issue`, { issueDate: "2026-11-05" })).json;
    expect((await call("POST", `/invoices/${invoice.id}/credit-note`, { issueDate: "2026-11-05" })).status).toBe(201);
    const totals = (await call("GET", "/sales-journal?from=2026-11-01&to=2026-11-30")).json.totals;
    expect(totals).toEqual({ count: 2, htCents: 0, vatCents: 0, ttcCents: 0, paidCents: 0, byRate: [{ vatRateBp: 1000, baseCents: 0, vatCents: 0 }] });
    expect(totals).toEqual(scannedTotals(t.deps.db, o.companyId, { from: "2026-11-01", to: "2026-11-30" }));
    // a period without documents
    expect((await call("GET", "/sales-journal?from=2026-10-01&to=2026-10-31")).json.totals).toEqual({ count: 0, htCents: 0, vatCents: 0, ttcCents: 0, paidCents: 0, byRate: [] });
  });

  it("filters on customer, status, category or text are summed over the documents; the sums are rebuilt from them after a bulk load", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    for (const filter of [{ customerId: o.customerId }, { status: "paid" as const }, { category: "Luminaires" }, { q: "F2026" }, { from: "2026-11-01", status: "issued" as const }]) {
      expect(isPeriodOnly(filter)).toBe(false);
    }
    expect(isPeriodOnly({ from: "2026-11-01", to: "2026-11-30", type: "invoice" })).toBe(true);
    const draft = (await t.call("POST", `/companies/${o.companyId}/invoices`, { token: o.token, body: draftBody(o.customerId) })).json;
    await t.call("POST", `/companies/${o.companyId}/invoices/${draft.id}/issue`, { token: o.token, body: { issueDate: "2026-11-05" } });
    const db = t.deps.db;
    const stored = () => db.prepare("SELECT * FROM journal_days ORDER BY company_id, day, type").all();
    const before = stored();
    expect(before).toHaveLength(1);
    db.exec("DELETE FROM journal_days");
    expect(aggregateProblems(db, o.companyId)).toEqual([{ day: "2026-11-05", type: "invoice", table: "journal_days" }]);
    rebuildJournalAggregates(db);
    expect(stored()).toEqual(before);
    expect(aggregateProblems(db, o.companyId)).toEqual([]);
  });
});
