import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { invoiceTotals } from "@passerelle/shared";
import { createTestApp, draftBody, expectProblem, issuedInvoice, ownerWithCompany, signupOwner, type TestApp } from "./helpers.js";
import { accountantOf, allEntries } from "./accounting-helpers.js";
import { isPostgres } from "../src/db/connection.js";

/** A node of PostgreSQL's plan (EXPLAIN (FORMAT JSON)), the fields read here. */
interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  Alias?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  Plans?: PlanNode[];
}

const planNodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(planNodes)];

const THREE_LINES = [1, 2, 3].map((n) => ({ description: `Étude ${n}`, quantity: "1", unitPriceCents: 1001, vatRateBp: 2000, kind: "services" as const }));

type Owner = Awaited<ReturnType<typeof ownerWithCompany>>;

async function journal(t: TestApp, token: string, companyId: string, query = "") {
  const res = await t.call("GET", `/companies/${companyId}/sales-journal${query ? `?${query}` : ""}`, { token });
  if (res.status !== 200) throw new Error(`journal: ${res.status} ${res.text}`);
  return res.json as { items: any[]; nextCursor: string | null; totals: any; changedIds?: string[] };
}

async function allRows(t: TestApp, token: string, companyId: string, query = "", limit = 3) {
  const rows: any[] = [];
  let cursor: string | null = null;
  let totals: any;
  do {
    const page = await journal(t, token, companyId, `${query}${query ? "&" : ""}limit=${limit}${cursor ? `&cursor=${cursor}` : ""}`);
    rows.push(...page.items);
    totals ??= page.totals;
    expect(page.totals).toEqual(totals); // the same totals on every page
    cursor = page.nextCursor;
  } while (cursor);
  return { rows, totals };
}

async function creditNote(t: TestApp, o: Owner, invoiceId: string, body: object) {
  const res = await t.call("POST", `/companies/${o.companyId}/invoices/${invoiceId}/credit-note`, { token: o.token, body });
  if (res.status !== 201) throw new Error(`credit note: ${res.text}`);
  return res.json;
}

describe("the sales journal", () => {
  it("the 3 × 10,01 € example appears exactly: HT 30,03 €, VAT 6,01 €, TTC 36,04 €", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const invoice = await issuedInvoice(t, o, "2026-11-02", THREE_LINES);
    const page = await journal(t, o.token, o.companyId);
    expect(page).toEqual({
      items: [
        {
          id: invoice.id,
          date: "2026-11-02",
          number: "F2026-00001",
          type: "invoice",
          customerId: o.customerId,
          customerCode: "C0001",
          customerName: "Boulangerie Dupont",
          htCents: 3003,
          vatCents: 601,
          ttcCents: 3604,
          byRate: [{ vatRateBp: 2000, baseCents: 3003, vatCents: 601 }],
          status: "issued",
          paidCents: 0,
          dueDate: "2026-12-02",
          creditedInvoiceNumber: null,
        },
      ],
      nextCursor: null,
      totals: { count: 1, htCents: 3003, vatCents: 601, ttcCents: 3604, paidCents: 0, byRate: [{ vatRateBp: 2000, baseCents: 3003, vatCents: 601 }] },
    });
  });

  it("chronological by date then number; credit notes count negative; drafts never appear; status and paid amount per row", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const a = await issuedInvoice(t, o, "2026-11-02", THREE_LINES);
    const b = await issuedInvoice(t, o, "2026-11-02", [{ description: "Livre", quantity: "2", unitPriceCents: 2900, vatRateBp: 550, kind: "goods" }]);
    await t.call("POST", `/companies/${o.companyId}/invoices`, { token: o.token, body: draftBody(o.customerId) }); // a draft
    const cn = await creditNote(t, o, a.id, { issueDate: "2026-11-03", lines: [{ lineId: a.lines[0].id }] });
    await t.call("POST", `/companies/${o.companyId}/payments`, { token: o.token, body: { invoiceId: b.id, amountCents: 1000, date: "2026-11-04", method: "card" } });
    const { rows, totals } = await allRows(t, o.token, o.companyId, "", 2);
    expect(rows.map((r) => [r.date, r.number, r.type, r.htCents, r.vatCents, r.ttcCents, r.status, r.paidCents, r.creditedInvoiceNumber])).toEqual([
      ["2026-11-02", "F2026-00001", "invoice", 3003, 601, 3604, "issued", 0, null],
      ["2026-11-02", "F2026-00002", "invoice", 5800, 319, 6119, "partially_paid", 1000, null],
      ["2026-11-03", "AV2026-00001", "credit_note", -1001, -200, -1201, "issued", 0, "F2026-00001"],
    ]);
    expect(rows[2].id).toBe(cn.id);
    expect(rows[2].byRate).toEqual([{ vatRateBp: 2000, baseCents: -1001, vatCents: -200 }]);
    expect(totals).toEqual({
      count: 3,
      htCents: 3003 + 5800 - 1001,
      vatCents: 601 + 319 - 200,
      ttcCents: 3604 + 6119 - 1201,
      paidCents: 1000,
      byRate: [
        { vatRateBp: 2000, baseCents: 2002, vatCents: 401 },
        { vatRateBp: 550, baseCents: 5800, vatCents: 319 },
      ],
    });
    expect((await journal(t, o.token, o.companyId, "status=draft")).items).toEqual([]);
  });

  it("filters: period, customer, type, status, category — totals follow the filter", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const other = await t.call("POST", `/companies/${o.companyId}/customers`, {
      token: o.token,
      body: { name: "Mme Leroy", address: "1 rue Mercière, 69002 Lyon", category: "Particuliers" },
    });
    const i1 = await issuedInvoice(t, o, "2026-10-05", THREE_LINES);
    const i2 = await issuedInvoice(t, { ...o, customerId: other.json.id }, "2026-10-20", THREE_LINES);
    await issuedInvoice(t, o, "2026-11-02", THREE_LINES);
    await creditNote(t, o, i1.id, { issueDate: "2026-11-03" });
    await t.call("POST", `/companies/${o.companyId}/payments`, { token: o.token, body: { invoiceId: i2.id, amountCents: 3604, date: "2026-11-04", method: "transfer" } });
    const numbers = async (q: string) => (await allRows(t, o.token, o.companyId, q)).rows.map((r) => r.number);
    expect(await numbers("from=2026-10-06&to=2026-11-02")).toEqual(["F2026-00002", "F2026-00003"]);
    expect(await numbers(`customerId=${other.json.id}`)).toEqual(["F2026-00002"]);
    expect(await numbers("type=credit_note")).toEqual(["AV2026-00001"]);
    expect(await numbers("status=paid")).toEqual(["F2026-00002"]);
    expect(await numbers("status=issued")).toEqual(["F2026-00001", "F2026-00003", "AV2026-00001"]);
    expect(await numbers("category=Particuliers")).toEqual(["F2026-00002"]);
    expect(await numbers("q=Leroy")).toEqual(["F2026-00002"]);
    // totals over the filter's rows, whether the filter reads the customers (category, search) or not
    for (const q of ["category=Particuliers", "q=Leroy", "from=2026-10-06&to=2026-11-02", "type=invoice"]) {
      const { rows, totals } = await allRows(t, o.token, o.companyId, q);
      expect([totals.count, totals.htCents, totals.ttcCents], q).toEqual([rows.length, rows.reduce((s, r) => s + r.htCents, 0), rows.reduce((s, r) => s + r.ttcCents, 0)]);
    }
    const credit = await journal(t, o.token, o.companyId, "type=credit_note");
    expect(credit.totals).toMatchObject({ count: 1, htCents: -3003, vatCents: -601, ttcCents: -3604 });
    expectProblem(await t.call("GET", `/companies/${o.companyId}/sales-journal?from=2026-13-01`, { token: o.token }), 422, "from");
    expectProblem(await t.call("GET", `/companies/${o.companyId}/sales-journal?cursor=nope`, { token: o.token }), 422, "cursor");
  });

  it("changedSince serves only the documents changed after a sequence; changedIds also names those that left the filter", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const a = await issuedInvoice(t, o, "2026-11-02", THREE_LINES);
    const b = await issuedInvoice(t, o, "2026-11-03", THREE_LINES);
    const c = await issuedInvoice(t, o, "2026-11-04", THREE_LINES);
    const seq = (await t.call("GET", `/companies/${o.companyId}/changes?since=0`, { token: o.token })).json.lastSeq as number;
    // nothing changed since: nothing served, the totals still cover the whole filter
    const none = await journal(t, o.token, o.companyId, `changedSince=${seq}`);
    expect([none.items, none.changedIds, none.totals.count, none.totals.ttcCents]).toEqual([[], [], 3, 3 * 3604]);
    // a payment settles a; a credit note credits b (b and the credit note change); a draft does not count
    await t.call("POST", `/companies/${o.companyId}/payments`, { token: o.token, body: { invoiceId: a.id, amountCents: 3604, date: "2026-11-05", method: "transfer" } });
    const cn = await creditNote(t, o, b.id, { issueDate: "2026-11-06", lines: [{ lineId: b.lines[0].id }] });
    await t.call("POST", `/companies/${o.companyId}/invoices`, { token: o.token, body: draftBody(o.customerId) });
    const all = await journal(t, o.token, o.companyId, `changedSince=${seq}`);
    expect(all.items.map((r) => [r.number, r.status, r.paidCents])).toEqual([
      ["F2026-00001", "paid", 3604],
      ["F2026-00002", "issued", 0],
      ["AV2026-00001", "issued", 0],
    ]);
    expect(all.changedIds).toEqual([a.id, b.id, cn.id].sort());
    expect(all.changedIds).not.toContain(c.id);
    // under the "unpaid" filter the paid invoice is named but not served
    const unpaid = await journal(t, o.token, o.companyId, `status=issued&changedSince=${seq}`);
    expect(unpaid.items.map((r) => r.number)).toEqual(["F2026-00002", "AV2026-00001"]);
    expect(unpaid.changedIds).toEqual([a.id, b.id, cn.id].sort());
    expect(unpaid.totals.count).toBe(3); // b, c and the credit note are unpaid
    // without changedSince nothing changes in the answer's shape
    expect(await journal(t, o.token, o.companyId, "status=issued")).not.toHaveProperty("changedIds");
    expectProblem(await t.call("GET", `/companies/${o.companyId}/sales-journal?changedSince=-1`, { token: o.token }), 422, "changedSince");
    expectProblem(await t.call("GET", `/companies/${o.companyId}/sales-journal?changedSince=abc`, { token: o.token }), 422, "changedSince");
  });

  it("pages stay consistent while new invoices arrive: no row twice, none skipped", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    for (let d = 1; d <= 5; d++) await issuedInvoice(t, o, `2026-11-0${d}`, THREE_LINES);
    const first = await journal(t, o.token, o.companyId, "limit=2");
    expect(first.items.map((r) => r.number)).toEqual(["F2026-00001", "F2026-00002"]);
    await issuedInvoice(t, o, "2026-11-06", THREE_LINES); // arrives between two pages
    const seen = first.items.map((r) => r.number);
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await journal(t, o.token, o.companyId, `limit=2&cursor=${cursor}`);
      seen.push(...page.items.map((r) => r.number));
      cursor = page.nextCursor;
    }
    expect(seen).toEqual(["F2026-00001", "F2026-00002", "F2026-00003", "F2026-00004", "F2026-00005", "F2026-00006"]);
  });

  it("a page reads its rows in the journal's order from an index, never sorting a day: with or without a period, from a cursor", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const a = await issuedInvoice(t, o, "2026-11-02", THREE_LINES);
    await issuedInvoice(t, o, "2026-11-02", THREE_LINES);
    await creditNote(t, o, a.id, { issueDate: "2026-11-02", lines: [{ lineId: a.lines[0].id }] });
    await issuedInvoice(t, o, "2026-11-03", THREE_LINES);
    const db = t.deps.db;
    const pageStatements: { sql: string; args: unknown[] }[] = [];
    const prepare = db.prepare.bind(db);
    (db as any).prepare = (sql: string) => {
      const statement = prepare(sql) as any;
      if (!sql.includes("ORDER BY i.issue_date, i.series_key, i.series_counter")) return statement;
      return new Proxy(statement, {
        get: (target, key) => (key === "all" ? (...args: unknown[]) => (pageStatements.push({ sql, args }), target.all(...args)) : Reflect.get(target, key)),
      });
    };
    try {
      const first = await journal(t, o.token, o.companyId, "limit=2");
      expect(first.items.map((r) => r.number)).toEqual(["AV2026-00001", "F2026-00001"]);
      const next = await journal(t, o.token, o.companyId, `limit=2&cursor=${first.nextCursor}`);
      expect(next.items.map((r) => r.number)).toEqual(["F2026-00002", "F2026-00003"]);
      await journal(t, o.token, o.companyId, "limit=2&from=2026-11-02&to=2026-11-02");
    } finally {
      (db as any).prepare = prepare;
    }
    expect(pageStatements).toHaveLength(3);
    for (const { sql, args } of pageStatements) {
      if (isPostgres(db)) {
        // a few rows make any table scan cheapest to PostgreSQL's planner: with scans and sorts
        // priced out, what it still finds is a plan that reads the rows in order from the index
        const nodes = db.transaction(() => {
          db.exec("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_sort = off");
          const plan = db.prepare(`EXPLAIN (FORMAT JSON) ${sql}`).pluck().get(...args) as string;
          return planNodes((JSON.parse(plan) as { Plan: PlanNode }[])[0]!.Plan);
        })();
        const invoices = nodes.filter((n) => n["Relation Name"] === "invoices" && n.Alias === "i");
        expect(invoices.map((n) => [n["Node Type"], n["Index Name"], n["Index Cond"]?.replace(/^\(+/, "").startsWith(`company_id = '${o.companyId}'`)])).toEqual([["Index Scan", "invoices_journal_order", true]]);
        expect(nodes.map((n) => n["Node Type"]).filter((type) => type.includes("Sort"))).toEqual([]);
        continue;
      }
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((step) => step.detail);
      expect(plan[0]).toMatch(/^SEARCH i USING INDEX invoices_journal_order \(company_id=\?/);
      expect(plan.filter((detail) => detail.includes("TEMP B-TREE"))).toEqual([]);
    }
  });

  it("totals follow every write: an invoice or a payment between two pages shows in the next page's totals", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    await issuedInvoice(t, o, "2026-11-02", THREE_LINES);
    const first = await journal(t, o.token, o.companyId, "limit=1");
    expect(first.totals).toMatchObject({ count: 1, htCents: 3003, vatCents: 601, ttcCents: 3604, paidCents: 0 });
    const second = await issuedInvoice(t, o, "2026-11-03", THREE_LINES);
    expect((await journal(t, o.token, o.companyId, "limit=1")).totals).toMatchObject({ count: 2, ttcCents: 7208, paidCents: 0 });
    await t.call("POST", `/companies/${o.companyId}/payments`, { token: o.token, body: { invoiceId: second.id, amountCents: 1000, date: "2026-11-04", method: "card" } });
    expect((await journal(t, o.token, o.companyId, "limit=1")).totals).toMatchObject({ count: 2, ttcCents: 7208, paidCents: 1000 });
    // another filter has its own totals
    expect((await journal(t, o.token, o.companyId, "limit=1&to=2026-11-02")).totals).toMatchObject({ count: 1, ttcCents: 3604 });
  });

  it("owners and accountants read it; anyone else gets 404", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const accountant = await accountantOf(t, o.companyId);
    await issuedInvoice(t, o, "2026-11-02", THREE_LINES);
    expect((await journal(t, accountant.token, o.companyId)).totals.count).toBe(1);
    const stranger = await signupOwner(t);
    expectProblem(await t.call("GET", `/companies/${o.companyId}/sales-journal`, { token: stranger.token }), 404);
    expectProblem(await t.call("GET", `/companies/${o.companyId}/sales-journal`), 401);
  });
});

// ---- property-based, through the API ----

const lineArb = fc.record({
  description: fc.constant("Article"),
  quantity: fc.oneof(fc.integer({ min: 1, max: 12 }).map(String), fc.constantFrom("0.5", "1.25", "2.3333", "0.0001")),
  unitPriceCents: fc.integer({ min: 1, max: 150_000 }),
  vatRateBp: fc.constantFrom(2000, 1000, 550, 210),
  kind: fc.constantFrom("goods" as const, "services" as const),
});
const planArb = fc.array(
  fc.record({
    // what the API would refuse to issue (a total of 0, e.g. 0.0001 × 0,01 €) is not generated
    lines: fc.array(lineArb, { minLength: 1, maxLength: 4 }).filter((lines) => invoiceTotals(lines).ttcCents > 0),
    credit: fc.constantFrom("none", "none", "all", "first"),
    pay: fc.constantFrom(0, 0.5, 1),
  }),
  { minLength: 1, maxLength: 8 },
);

describe("journal and entries agree with the invoices (property-based)", () => {
  it("journal totals = Σ rows = Σ signed invoice totals; entries balance and carry each rate's VAT", async () => {
    await fc.assert(
      fc.asyncProperty(planArb, fc.boolean(), async (plan, vatOnPayments) => {
        const t = createTestApp();
        const o = await ownerWithCompany(t);
        const accountant = await accountantOf(t, o.companyId);
        if (vatOnPayments) await t.call("PUT", `/companies/${o.companyId}/accounting/settings`, { token: accountant.token, body: { vatOnPayments } });
        const docs: any[] = [];
        for (const [i, p] of plan.entries()) {
          const invoice = await issuedInvoice(t, o, `2026-11-${String(i + 1).padStart(2, "0")}`, p.lines);
          docs.push(invoice);
          if (p.credit !== "none") docs.push(await creditNote(t, o, invoice.id, { issueDate: "2026-11-19", ...(p.credit === "first" ? { lines: [{ lineId: invoice.lines[0].id }] } : {}) }));
          const due = (await t.call("GET", `/companies/${o.companyId}/invoices/${invoice.id}`, { token: o.token })).json.dueCents;
          const amount = Math.floor(due * p.pay);
          if (amount > 0) await t.call("POST", `/companies/${o.companyId}/payments`, { token: o.token, body: { invoiceId: invoice.id, amountCents: amount, date: "2026-11-20", method: "transfer" } });
        }
        const { rows, totals } = await allRows(t, accountant.token, o.companyId, "", 4);
        const sign = (d: any) => (d.type === "credit_note" ? -1 : 1);
        const sum = (f: (x: any) => number, xs: any[]) => xs.reduce((s, x) => s + f(x), 0);
        expect(rows).toHaveLength(docs.length);
        expect(totals.count).toBe(docs.length);
        for (const key of ["htCents", "vatCents", "ttcCents"] as const) {
          expect(totals[key]).toBe(sum((r) => r[key], rows));
          expect(totals[key]).toBe(sum((d) => sign(d) * d.totals[key], docs));
        }
        const byRate = new Map<number, number>();
        for (const d of docs) for (const r of d.totals.byRate) byRate.set(r.vatRateBp, (byRate.get(r.vatRateBp) ?? 0) + sign(d) * r.vatCents);
        expect(new Map(totals.byRate.map((r: any) => [r.vatRateBp, r.vatCents]))).toEqual(byRate);

        const entries = await allEntries(t, accountant.token, o.companyId);
        for (const e of entries) expect(e.lines.reduce((s, l) => s + l.debitCents - l.creditCents, 0)).toBe(0);
        const vatRateOf: Record<string, number> = { "4457120": 2000, "4457420": 2000, "4457110": 1000, "4457410": 1000, "4457105": 550, "4457405": 550, "4457102": 210, "4457402": 210 };
        for (const d of docs) {
          const entry = entries.find((e) => e.source.id === d.id)!;
          const fromEntry = new Map<number, number>();
          for (const l of entry.lines) {
            const rate = vatRateOf[l.account];
            if (rate !== undefined) fromEntry.set(rate, (fromEntry.get(rate) ?? 0) + sign(d) * (l.creditCents - l.debitCents));
          }
          expect(new Map([...fromEntry].filter(([, v]) => v !== 0))).toEqual(new Map(d.totals.byRate.filter((r: any) => r.vatCents !== 0).map((r: any) => [r.vatRateBp, r.vatCents])));
        }
      }),
      { numRuns: 25 },
    );
    // 25 companies, each on a database of its own: a fresh PostgreSQL database takes longer to make than a SQLite one
  }, 120_000);
});
