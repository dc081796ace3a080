import { beforeAll, describe, expect, it } from "vitest";
import { COMPANY, CUSTOMER, createTestApp, expectProblem, issuedInvoice, signupOwner, type TestApp } from "./helpers.js";
import { accountantOf } from "./accounting-helpers.js";
import { createCompany } from "../src/services/companies.js";
import { createCustomer } from "../src/services/customers.js";
import { createDraft, issueInvoice } from "../src/services/invoices.js";
import { sirenFrom } from "../src/demo/random.js";
import { isPostgres } from "../src/db/connection.js";

type Company = { token: string; companyId: string; customerId: string; name: string; siren: string };

let t: TestApp;
let a: Company, b: Company, c: Company, d: Company;
let accountant: { token: string; user: { id: string } };

async function company(name: string, siren: string): Promise<Company> {
  const owner = await signupOwner(t, `Dirigeant ${name}`);
  const res = await t.call("POST", "/companies", { token: owner.token, body: { ...COMPANY, name, siren, vatNumber: undefined } });
  if (res.status !== 201) throw new Error(`company failed: ${res.text}`);
  const customer = await t.call("POST", `/companies/${res.json.id}/customers`, { token: owner.token, body: CUSTOMER });
  return { token: owner.token, companyId: res.json.id, customerId: customer.json.id, name, siren };
}

const line = (quantity: string, unitPriceCents: number, vatRateBp: number) => ({ description: "Prestation", quantity, unitPriceCents, vatRateBp, kind: "services" as const });

async function consolidated(token: string, query: string) {
  const res = await t.call("GET", `/accountant/sales-journal?${query}`, { token });
  if (res.status !== 200) throw new Error(`consolidated journal: ${res.status} ${res.text}`);
  return res.json as { items: any[]; nextCursor: string | null; companies: any[]; totals: any };
}

const NOVEMBER = "from=2026-11-01&to=2026-11-30";

beforeAll(async () => {
  t = createTestApp();
  a = await company("Atelier Alpha SARL", "732829320");
  b = await company("Boutique Bêta SAS", "552100554");
  c = await company("Cuisine Gamma EURL", "443061841");
  d = await company("Domaine Delta Secret", "542065479");
  accountant = await accountantOf(t, a.companyId);
  for (const x of [b, c]) {
    t.deps.db
      .prepare("INSERT INTO memberships (company_id, user_id, role, created_at) VALUES (?, ?, 'accountant', ?)")
      .run(x.companyId, accountant.user.id, t.clock.now().toISOString());
  }
  // A: 3 × 10,01 € at 20 % (HT 30,03 €, VAT 6,01 €) and 2 × 49,99 € at 5,5 % (HT 99,98 €, VAT 5,50 €)
  await issuedInvoice(t, a, "2026-11-02", [line("1", 1001, 2000), line("1", 1001, 2000), line("1", 1001, 2000)]);
  await issuedInvoice(t, a, "2026-11-05", [line("2", 4999, 550)]);
  // B: 123,45 € at 20 % (VAT 24,69 €) and 67,89 € at 10 % (VAT 6,79 €), 50 € paid
  const bInvoice = await issuedInvoice(t, b, "2026-11-03", [line("1", 12345, 2000), line("1", 6789, 1000)]);
  const payment = await t.call("POST", `/companies/${b.companyId}/payments`, { token: b.token, body: { invoiceId: bInvoice.id, amountCents: 5000, date: "2026-11-10", method: "transfer" } });
  expect(payment.status).toBe(201);
  // C: one invoice in October (outside the filter), one in November
  await issuedInvoice(t, c, "2026-10-15", [line("1", 10000, 2000)]);
  await issuedInvoice(t, c, "2026-11-02", [line("3", 1001, 2000)]);
  // D, not shared with the accountant
  await issuedInvoice(t, d, "2026-11-02", [line("1", 99999, 2000)]);
});

describe("the consolidated sales journal", () => {
  it("lists the companies' rows by date, company, number, with each company's totals and their sum, exactly", async () => {
    const ids = [a, b, c].map((x) => x.companyId);
    const page = await consolidated(accountant.token, `companies=${ids.join(",")}&${NOVEMBER}`);
    // the 2 November rows of A and C in the order of their companies' ids
    const [first, second] = a.companyId < c.companyId ? [a, c] : [c, a];
    const numberOn2November = (x: Company) => (x === a ? "F2026-00001" : "F2026-00002");
    expect(page.items.map((r) => [r.date, r.companyName, r.siren, r.number, r.ttcCents])).toEqual([
      ["2026-11-02", first.name, first.siren, numberOn2November(first), 3604],
      ["2026-11-02", second.name, second.siren, numberOn2November(second), 3604],
      ["2026-11-03", b.name, b.siren, "F2026-00001", 22282],
      ["2026-11-05", a.name, a.siren, "F2026-00002", 10548],
    ]);
    expect(page.items.find((r) => r.companyId === b.companyId)).toMatchObject({
      htCents: 19134,
      vatCents: 3148,
      ttcCents: 22282,
      paidCents: 5000,
      status: "partially_paid",
      byRate: [
        { vatRateBp: 2000, baseCents: 12345, vatCents: 2469 },
        { vatRateBp: 1000, baseCents: 6789, vatCents: 679 },
      ],
    });
    expect(page.nextCursor).toBeNull();
    // each company by name, its totals exactly its own journal's
    expect(page.companies.map((x) => x.companyName)).toEqual([a.name, b.name, c.name]);
    for (const x of [a, b, c]) {
      const own = (await t.call("GET", `/companies/${x.companyId}/sales-journal?${NOVEMBER}`, { token: accountant.token })).json;
      const sub = page.companies.find((s) => s.companyId === x.companyId);
      expect(sub.totals).toEqual(own.totals);
      expect(sub.siren).toBe(x.siren);
      expect(sub.lastSeq).toBe((await t.call("GET", `/companies/${x.companyId}/changes?since=0&limit=1`, { token: accountant.token })).json.lastSeq);
    }
    expect(page.companies.find((s) => s.companyId === a.companyId).totals).toEqual({
      count: 2,
      htCents: 13001,
      vatCents: 1151,
      ttcCents: 14152,
      paidCents: 0,
      byRate: [
        { vatRateBp: 2000, baseCents: 3003, vatCents: 601 },
        { vatRateBp: 550, baseCents: 9998, vatCents: 550 },
      ],
    });
    expect(page.totals).toEqual({
      count: 4,
      htCents: 35138,
      vatCents: 4900,
      ttcCents: 40038,
      paidCents: 5000,
      byRate: [
        { vatRateBp: 2000, baseCents: 18351, vatCents: 3671 },
        { vatRateBp: 1000, baseCents: 6789, vatCents: 679 },
        { vatRateBp: 550, baseCents: 9998, vatCents: 550 },
      ],
    });
  });

  it("pages keep the order and the totals; all is every company of the caller", async () => {
    const whole = await consolidated(accountant.token, `companies=all&${NOVEMBER}`);
    expect(whole.companies.map((x) => x.companyId)).toEqual([a.companyId, b.companyId, c.companyId]);
    const rows: any[] = [];
    let cursor: string | null = null;
    do {
      const page = await consolidated(accountant.token, `companies=all&${NOVEMBER}&limit=1${cursor ? `&cursor=${cursor}` : ""}`);
      expect(page.items).toHaveLength(1);
      expect(page.totals).toEqual(whole.totals);
      expect(page.companies).toEqual(whole.companies);
      rows.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    expect(rows).toEqual(whole.items);
    // the rows add up to the totals
    expect(rows.reduce((s, r) => s + r.ttcCents, 0)).toBe(whole.totals.ttcCents);
    // without a period: C's October invoice too
    expect((await consolidated(accountant.token, "companies=all")).totals.ttcCents).toBe(40038 + 12000);
  });

  it("filters as the one-company journal, and a company without a row keeps its line", async () => {
    const page = await consolidated(accountant.token, `companies=${a.companyId},${b.companyId}&${NOVEMBER}&status=partially_paid`);
    expect(page.items.map((r) => r.companyId)).toEqual([b.companyId]);
    expect(page.companies.map((x) => [x.companyName, x.totals.count, x.totals.ttcCents])).toEqual([
      [a.name, 0, 0],
      [b.name, 1, 22282],
    ]);
    expect(page.totals.ttcCents).toBe(22282);
  });

  it("a company not shared with the caller is refused by name, nothing read", async () => {
    const res = await t.call("GET", `/accountant/sales-journal?companies=${a.companyId},${d.companyId}`, { token: accountant.token });
    expectProblem(res, 404, "companies");
    expect(res.json.detail).toContain(d.companyId);
    expect(res.text).not.toContain(d.name);
    expect(res.text).not.toContain(a.name);
    expectProblem(await t.call("GET", "/accountant/sales-journal?companies=inconnue", { token: accountant.token }), 404, "companies");
    // the owner of D sees only D with all
    const own = await consolidated(d.token, "companies=all");
    expect(own.companies.map((x) => x.companyName)).toEqual([d.name]);
    expect(own.items.map((r) => r.companyId)).toEqual([d.companyId]);
  });

  it("a key limited to one company reads only that company", async () => {
    const key = await t.call("POST", "/api-keys", { token: accountant.token, body: { name: "Alpha seulement", scope: "read", companyId: a.companyId } });
    expect(key.status).toBe(201);
    const page = await consolidated(key.json.secret, "companies=all");
    expect(page.companies.map((x) => x.companyId)).toEqual([a.companyId]);
    expectProblem(await t.call("GET", `/accountant/sales-journal?companies=${b.companyId}`, { token: key.json.secret }), 404, "companies");
  });

  it("bad input is a 422 naming the field; no credentials is a 401", async () => {
    expect((await consolidated(accountant.token, NOVEMBER)).totals.ttcCents).toBe(40038); // without companies: all of them
    expectProblem(await t.call("GET", `/accountant/sales-journal?companies=${a.companyId},${a.companyId}`, { token: accountant.token }), 422, "companies");
    expectProblem(await t.call("GET", "/accountant/sales-journal?companies=a;b", { token: accountant.token }), 422, "companies");
    expectProblem(await t.call("GET", `/accountant/sales-journal?companies=${Array.from({ length: 201 }, (_, i) => `c${i}`).join(",")}`, { token: accountant.token }), 422, "companies");
    expectProblem(await t.call("GET", `/accountant/sales-journal?companies=all&customerId=${a.customerId}`, { token: accountant.token }), 422, "customerId");
    expectProblem(await t.call("GET", "/accountant/sales-journal?companies=all&from=2026-13-01", { token: accountant.token }), 422, "from");
    expectProblem(await t.call("GET", "/accountant/sales-journal?companies=all&cursor=nope", { token: accountant.token }), 422, "cursor");
    expectProblem(await t.call("GET", "/accountant/sales-journal?companies=all"), 401);
  });
});

describe("the consolidated journal of a large portfolio", () => {
  it("300 companies (100 on PostgreSQL), 3 invoices each: all of them page after page, the sum of the pages equal to the totals", { timeout: 120_000 }, async () => {
    const big = createTestApp();
    const owner = await signupOwner(big, "Dirigeant");
    const ctx = { db: big.deps.db, clock: big.deps.clock, config: big.deps.config, actorId: owner.user.id };
    // 300 companies on SQLite; 100 on PostgreSQL, where making each one through the use-cases costs a
    // round trip per statement (100 still take 3 pages)
    const COUNT = isPostgres(big.deps.db) ? 100 : 300;
    for (let i = 1; i <= COUNT; i++) {
      const siren = sirenFrom(String(40_000_000 + i * 1_234_567).slice(0, 8));
      const company = createCompany(ctx, { ...COMPANY, name: `Société ${String(i).padStart(3, "0")}`, siren, vatNumber: undefined, fiscalYearStart: "01-01", paymentTermsDays: 30 });
      const customer = createCustomer(ctx, company.id, { name: `Client ${i}`, address: "1 place Bellecour, 69002 Lyon" });
      for (const day of [2, 9, 16]) {
        const draft = createDraft(ctx, company.id, { customerId: customer.id, lines: [line("1", 1000 + i, 2000)] });
        issueInvoice(ctx, company.id, draft.id, { issueDate: `2026-11-${String(day).padStart(2, "0")}` });
      }
    }
    const times: number[] = [];
    const rows: any[] = [];
    let totals: any;
    let cursor: string | null = null;
    do {
      const started = performance.now();
      const res = await big.call("GET", `/accountant/sales-journal?companies=all&limit=100${cursor ? `&cursor=${cursor}` : ""}`, { token: owner.token });
      times.push(performance.now() - started);
      expect(res.status).toBe(200);
      rows.push(...res.json.items);
      totals ??= res.json.totals;
      expect(res.json.companies).toHaveLength(COUNT);
      cursor = res.json.nextCursor;
    } while (cursor);
    expect(rows).toHaveLength(3 * COUNT);
    expect(new Set(rows.map((r) => `${r.companyId}:${r.id}`)).size).toBe(3 * COUNT);
    // HT of company i: 3 × (1000 + i) cents; VAT 20 % of each invoice, rounded per invoice
    const ht = Array.from({ length: COUNT }, (_, k) => 3 * (1001 + k)).reduce((s, x) => s + x, 0);
    const vat = Array.from({ length: COUNT }, (_, k) => 3 * Math.round((1001 + k) * 0.2)).reduce((s, x) => s + x, 0);
    expect(totals).toMatchObject({ count: 3 * COUNT, htCents: ht, vatCents: vat, ttcCents: ht + vat });
    expect(rows.reduce((s, r) => s + r.ttcCents, 0)).toBe(totals.ttcCents);
    const sorted = [...times].sort((x, y) => x - y);
    console.log(
      `consolidated journal of ${COUNT} companies, ${rows.length} rows in ${times.length} pages of 100: first page ${times[0]!.toFixed(0)} ms, median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms, slowest ${sorted.at(-1)!.toFixed(0)} ms`,
    );
  });
});
