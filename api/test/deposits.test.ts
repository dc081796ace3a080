import { describe, expect, it } from "vitest";
import { accountantOf, allEntries, ownerDataSnapshot } from "./accounting-helpers.js";
import { createTestApp, expectProblem, ownerWithCompany, type TestApp } from "./helpers.js";
import { download } from "./export-support.js";
import { pdfPlainText } from "./pdf-text.js";
import { ciiStructureErrors } from "./cii-structure.js";
import { isPostgres } from "../src/db/connection.js";
import { UNIQUE_REFUSAL } from "../src/db/errors.js";

type Owner = Awaited<ReturnType<typeof ownerWithCompany>>;

// 3 × 10,01 € at 20 % (services) and 100,00 € at 5,5 % (goods): 130,03 € HT, VAT 6,01 € + 5,50 €, 141,54 € TTC
const ORDER_LINES = [
  { description: "Étude d'éclairage", quantity: "3", unitPriceCents: 1001, vatRateBp: 2000, kind: "services" as const },
  { description: "Livre « Éclairer la maison »", quantity: "1", unitPriceCents: 10000, vatRateBp: 550, kind: "goods" as const },
];

async function order(t: TestApp, o: Owner, body: object = {}) {
  const res = await t.call("POST", `/companies/${o.companyId}/orders`, {
    token: o.token,
    body: { customerId: o.customerId, orderDate: "2026-11-03", reference: "BC-2026-17", lines: ORDER_LINES, ...body },
  });
  expect(res.status, res.text).toBe(201);
  return res.json;
}
function deposit(t: TestApp, o: Owner, orderId: string, body: object) {
  return t.call("POST", `/companies/${o.companyId}/orders/${orderId}/deposits`, { token: o.token, body });
}
function balance(t: TestApp, o: Owner, orderId: string, body: object = {}) {
  return t.call("POST", `/companies/${o.companyId}/orders/${orderId}/balance`, { token: o.token, body });
}
async function issue(t: TestApp, o: Owner, invoiceId: string, issueDate: string) {
  const res = await t.call("POST", `/companies/${o.companyId}/invoices/${invoiceId}/issue`, { token: o.token, body: { issueDate } });
  expect(res.status, res.text).toBe(200);
  return res.json;
}
async function pay(t: TestApp, o: Owner, invoiceId: string, amountCents: number, date: string) {
  const res = await t.call("POST", `/companies/${o.companyId}/payments`, { token: o.token, body: { invoiceId, amountCents, date, method: "transfer" } });
  expect(res.status, res.text).toBe(201);
}

describe("deposits and balance invoices", () => {
  it("order → 30 % deposit → payment → balance: invoices, totals per rate and entries agree to the cent", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const ord = await order(t, o);
    expect(ord).toMatchObject({
      quoteId: null,
      reference: "BC-2026-17",
      orderDate: "2026-11-03",
      totals: { htCents: 13003, vatCents: 1151, ttcCents: 14154 },
      deposits: [],
      balanceInvoiceId: null,
      leftTotals: { htCents: 13003, vatCents: 1151, ttcCents: 14154 },
    });

    const draft = await deposit(t, o, ord.id, { percentBp: 3000 });
    expect(draft.status, draft.text).toBe(201);
    expect(draft.json).toMatchObject({
      type: "invoice",
      status: "draft",
      orderId: ord.id,
      orderRole: "deposit",
      orderReference: "BC-2026-17",
      deductions: [],
      orderTotals: null,
      totals: {
        htCents: 3901,
        vatCents: 345,
        ttcCents: 4246,
        byRate: [
          { vatRateBp: 2000, baseCents: 901, vatCents: 180 },
          { vatRateBp: 550, baseCents: 3000, vatCents: 165 },
        ],
      },
    });
    expect(draft.json.lines.map((l: any) => [l.description, l.quantity, l.unitPriceCents, l.vatRateBp, l.kind])).toEqual([
      ["Acompte de 30\u00a0% sur la commande BC-2026-17 du 03/11/2026 (part à 20\u00a0% de TVA)", "1", 901, 2000, "services"],
      ["Acompte de 30\u00a0% sur la commande BC-2026-17 du 03/11/2026 (part à 5,5\u00a0% de TVA)", "1", 3000, 550, "goods"],
    ]);
    const dep = await issue(t, o, draft.json.id, "2026-11-05");
    expect(dep.number).toBe("F2026-00001");
    await pay(t, o, dep.id, 4246, "2026-11-09");

    const bal = await balance(t, o, ord.id, { notes: "Solde à la livraison" });
    expect(bal.status, bal.text).toBe(201);
    expect(bal.json).toMatchObject({
      orderRole: "balance",
      orderTotals: { htCents: 13003, vatCents: 1151, ttcCents: 14154 },
      deductions: [
        {
          invoiceId: dep.id,
          number: "F2026-00001",
          issueDate: "2026-11-05",
          htCents: 3901,
          vatCents: 345,
          ttcCents: 4246,
          byRate: [
            { vatRateBp: 2000, baseCents: 901, vatCents: 180 },
            { vatRateBp: 550, baseCents: 3000, vatCents: 165 },
          ],
        },
      ],
      totals: {
        htCents: 9102,
        vatCents: 806,
        ttcCents: 9908,
        byRate: [
          { vatRateBp: 2000, baseCents: 2102, vatCents: 421 },
          { vatRateBp: 550, baseCents: 7000, vatCents: 385 },
        ],
      },
    });
    expect(bal.json.lines.map((l: any) => l.netCents)).toEqual([3003, 10000]);
    const final = await issue(t, o, bal.json.id, "2026-11-18");
    expect(final).toMatchObject({ number: "F2026-00002", dueCents: 9908 });
    await pay(t, o, final.id, 9908, "2026-11-19");

    const after = (await t.call("GET", `/companies/${o.companyId}/orders/${ord.id}`, { token: o.token })).json;
    expect(after).toMatchObject({ balanceInvoiceId: final.id, leftTotals: { htCents: 9102, vatCents: 806, ttcCents: 9908 } });
    expect(after.deposits).toEqual([
      { invoiceId: dep.id, number: "F2026-00001", issueDate: "2026-11-05", status: "paid", htCents: 3901, vatCents: 345, ttcCents: 4246, byRate: expect.any(Array) },
    ]);

    // the PDFs print the same cents: the deposit, then the order less the deposit
    const depositPdf = await pdfPlainText((await download(t, `/companies/${o.companyId}/invoices/${dep.id}/pdf`, o.token)).bytes);
    for (const text of ["FACTURE D'ACOMPTE", "Acompte sur la commande BC-2026-17 du 03/11/2026", "Total HT 39,01", "Total TVA 3,45", "Total TTC 42,46"]) {
      expect(depositPdf.replace(/\s+/g, " ")).toContain(text.replace(/\s+/g, " "));
    }
    const balancePdf = (await pdfPlainText((await download(t, `/companies/${o.companyId}/invoices/${final.id}/pdf`, o.token)).bytes)).replace(/[\s\u202f\u00a0]+/g, " ");
    for (const text of [
      "FACTURE DE SOLDE",
      "Solde de la commande BC-2026-17 du 03/11/2026",
      "Total de la commande HT 130,03 €",
      "Total de la commande TTC 141,54 €",
      "Acompte F2026-00001 du 05/11/2026 -42,46 €",
      "dont HT 39,01 €, TVA 3,45 €",
      "20 % 21,02 € 4,21 €",
      "5,5 % 70,00 € 3,85 €",
      "Total HT du solde 91,02 €",
      "Total TVA du solde 8,06 €",
      "Solde TTC à payer 99,08 €",
    ]) {
      expect(balancePdf).toContain(text);
    }
    // the e-invoices: a prepayment invoice (386); the balance deducts the deposit as allowances at its rates
    const depositXml = (await t.call("GET", `/companies/${o.companyId}/invoices/${dep.id}/cii.xml`, { token: o.token })).text;
    expect(depositXml).toContain("<ram:TypeCode>386</ram:TypeCode>");
    const balanceXml = (await t.call("GET", `/companies/${o.companyId}/invoices/${final.id}/cii.xml`, { token: o.token })).text.replace(/>\s+</g, "><");
    expect(balanceXml).toContain("<ram:ID>M4</ram:ID>");
    expect(balanceXml.match(/<ram:ActualAmount>[^<]*<\/ram:ActualAmount>\s*<ram:Reason>Acompte F2026-00001 du 05\/11\/2026<\/ram:Reason>/g)).toEqual([
      "<ram:ActualAmount>9.01</ram:ActualAmount><ram:Reason>Acompte F2026-00001 du 05/11/2026</ram:Reason>",
      "<ram:ActualAmount>30.00</ram:ActualAmount><ram:Reason>Acompte F2026-00001 du 05/11/2026</ram:Reason>",
    ]);
    for (const amount of ["<ram:LineTotalAmount>130.03<", "<ram:AllowanceTotalAmount>39.01<", "<ram:TaxBasisTotalAmount>91.02<", '<ram:TaxTotalAmount currencyID="EUR">8.06<', "<ram:GrandTotalAmount>99.08<", "<ram:DuePayableAmount>99.08<"]) {
      expect(balanceXml).toContain(amount);
    }
    const ubl = (await t.call("GET", `/companies/${o.companyId}/invoices/${final.id}/ubl.xml`, { token: o.token })).text;
    expect(ubl).toContain('<cbc:AllowanceTotalAmount currencyID="EUR">39.01</cbc:AllowanceTotalAmount>');

    const accountant = await accountantOf(t, o.companyId);
    const entries = await allEntries(t, accountant.token, o.companyId);
    const lines = (e: (typeof entries)[number]) => e.lines.map((l) => [l.account, l.debitCents, l.creditCents]);
    expect(entries.map((e) => [e.entryNumber, e.label, lines(e)])).toEqual([
      [
        "VE000001",
        "Facture d'acompte F2026-00001 Boulangerie Dupont",
        [
          ["411000", 4246, 0],
          ["419100", 0, 3901],
          ["4457120", 0, 180],
          ["4457105", 0, 165],
        ],
      ],
      ["BQ000001", "Règlement F2026-00001 Boulangerie Dupont", [["512000", 4246, 0], ["411000", 0, 4246]]],
      [
        "VE000002",
        "Facture de solde F2026-00002 Boulangerie Dupont",
        [
          ["411000", 9908, 0],
          ["419100", 3901, 0],
          ["706000", 0, 3003],
          ["707000", 0, 10000],
          ["4457120", 0, 421],
          ["4457105", 0, 385],
        ],
      ],
      ["BQ000002", "Règlement F2026-00002 Boulangerie Dupont", [["512000", 9908, 0], ["411000", 0, 9908]]],
    ]);
    expect(entries[0]!.lines[1]!.accountLabel).toBe("Clients - Avances et acomptes reçus sur commandes");
    // 4191 is cleared; revenue and VAT are the order's, to the cent
    const balanceOf = (prefix: string) => entries.flatMap((e) => e.lines).filter((l) => l.account.startsWith(prefix)).reduce((s, l) => s + l.creditCents - l.debitCents, 0);
    expect(balanceOf("4191")).toBe(0);
    expect(balanceOf("70")).toBe(13003);
    expect(balanceOf("4457")).toBe(1151);
    expect(balanceOf("411")).toBe(0);
  });

  it("the deposits account follows the accountant's mapping", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const accountant = await accountantOf(t, o.companyId);
    const put = await t.call("PUT", `/companies/${o.companyId}/accounting/settings`, { token: accountant.token, body: { accounts: { deposits: "419120" } } });
    expect(put.status, put.text).toBe(200);
    expectProblem(
      await t.call("PUT", `/companies/${o.companyId}/accounting/settings`, { token: accountant.token, body: { accounts: { deposits: "411900" } } }),
      422,
      "accounts.deposits",
    );
    const ord = await order(t, o);
    const dep = await issue(t, o, (await deposit(t, o, ord.id, { amountCents: 5000 })).json.id, "2026-11-05");
    expect(dep.totals.htCents).toBe(5000);
    const entries = await allEntries(t, accountant.token, o.companyId);
    expect(entries[0]!.lines.map((l) => l.account)).toEqual(["411000", "419120", "4457120", "4457105"]);
  });

  it("a credit note on a deposit takes it back from 4191, and the balance no longer deducts it", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const ord = await order(t, o);
    const first = await issue(t, o, (await deposit(t, o, ord.id, { percentBp: 5000 })).json.id, "2026-11-05");
    expect(first.totals).toMatchObject({ htCents: 6502, vatCents: 575, ttcCents: 7077 });
    const credit = await t.call("POST", `/companies/${o.companyId}/invoices/${first.id}/credit-note`, { token: o.token, body: { issueDate: "2026-11-06" } });
    expect(credit.status, credit.text).toBe(201);
    expect(credit.json).toMatchObject({ number: "AV2026-00001", orderId: ord.id, orderRole: "deposit", totals: first.totals });
    const second = await issue(t, o, (await deposit(t, o, ord.id, { percentBp: 2000 })).json.id, "2026-11-07");
    expect(second.totals).toMatchObject({ htCents: 2601, vatCents: 230, ttcCents: 2831 });
    const bal = await balance(t, o, ord.id);
    expect(bal.json.deductions.map((d: any) => [d.number, d.ttcCents])).toEqual([["F2026-00002", 2831]]);
    expect(bal.json.totals).toMatchObject({ htCents: 13003 - 2601, ttcCents: 14154 - 2831 });
    const issued = await issue(t, o, bal.json.id, "2026-11-08");

    const accountant = await accountantOf(t, o.companyId);
    const entries = await allEntries(t, accountant.token, o.companyId);
    const creditEntry = entries.find((e) => e.source.kind === "credit_note")!;
    // 50 % = 65,02 €: 15,02 € at 20 % (VAT 3,00 €), 50,00 € at 5,5 % (VAT 2,75 €)
    expect(creditEntry.lines.map((l) => [l.account, l.debitCents, l.creditCents])).toEqual([
      ["419100", 6502, 0],
      ["4457120", 300, 0],
      ["4457105", 275, 0],
      ["411000", 0, 7077],
    ]);
    const balanceOf = (prefix: string) => entries.flatMap((e) => e.lines).filter((l) => l.account.startsWith(prefix)).reduce((s, l) => s + l.creditCents - l.debitCents, 0);
    expect(balanceOf("4191")).toBe(0);
    expect(balanceOf("70")).toBe(13003);
    expect(balanceOf("4457")).toBe(1151);
    expect(balanceOf("411")).toBe(-(14154));
    // the chain and the stored totals check out: a balance's totals are its lines less its deposits
    expect((await t.call("GET", `/companies/${o.companyId}/integrity`, { token: o.token })).json).toMatchObject({ ok: true, chain: "valid", numbering: "continuous", problems: [] });
    // once deducted by the balance, the deposit can no longer be credited; the balance cannot be either
    expectProblem(await t.call("POST", `/companies/${o.companyId}/invoices/${second.id}/credit-note`, { token: o.token, body: {} }), 409);
    expectProblem(await t.call("POST", `/companies/${o.companyId}/invoices/${issued.id}/credit-note`, { token: o.token, body: {} }), 409);
  });

  it("refuses bad requests with 422 naming the field, conflicts with 409, and changes nothing", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const ord = await order(t, o);
    const before = ownerDataSnapshot(t.deps.db, o.companyId);
    expectProblem(await deposit(t, o, ord.id, {}), 422, "percentBp");
    expectProblem(await deposit(t, o, ord.id, { percentBp: 3000, amountCents: 100 }), 422, "amountCents");
    expectProblem(await deposit(t, o, ord.id, { percentBp: 10000 }), 422, "percentBp");
    expectProblem(await deposit(t, o, ord.id, { percentBp: 2.5 }), 422, "percentBp");
    expectProblem(await deposit(t, o, ord.id, { amountCents: 13003 }), 422, "amountCents");
    expectProblem(await deposit(t, o, ord.id, { amountCents: 100, dueDate: "2026-11-01", issueDate: "2026-11-05" }), 422, "dueDate");
    expectProblem(await t.call("POST", `/companies/${o.companyId}/orders`, { token: o.token, body: { customerId: "nope", lines: ORDER_LINES } }), 422, "customerId");
    expectProblem(await t.call("POST", `/companies/${o.companyId}/orders`, { token: o.token, body: { customerId: o.customerId, lines: [] } }), 422, "lines");
    expectProblem(await deposit(t, o, "unknown", { percentBp: 3000 }), 404);
    expect(ownerDataSnapshot(t.deps.db, o.companyId)).toBe(before);

    const draft = (await deposit(t, o, ord.id, { percentBp: 3000 })).json;
    expectProblem(await t.call("PATCH", `/companies/${o.companyId}/invoices/${draft.id}`, { token: o.token, body: { lines: ORDER_LINES } }), 422, "lines");
    expectProblem(await balance(t, o, ord.id), 409);
    // a later deposit is shared among what the first left: 30 % then 70 % would leave nothing
    expectProblem(await deposit(t, o, ord.id, { percentBp: 7000 }), 422, "percentBp");
    await issue(t, o, draft.id, "2026-11-05");
    expect((await balance(t, o, ord.id)).status).toBe(201);
    expectProblem(await deposit(t, o, ord.id, { percentBp: 1000 }), 409);
    expectProblem(await balance(t, o, ord.id), 409);

    // another company's owner sees no such order
    const t2 = await ownerWithCompany(t);
    expectProblem(await t.call("GET", `/companies/${t2.companyId}/orders/${ord.id}`, { token: t2.token }), 404);
    expectProblem(await t.call("GET", `/companies/${o.companyId}/orders/${ord.id}`, { token: t2.token }), 404);
  });

  it("an accepted quote becomes an order with its lines, units and totals; deposit + balance = the quote per rate; a quote is ordered or invoiced, once", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const lines = [{ ...ORDER_LINES[0]!, unit: "hour" }, { ...ORDER_LINES[1]!, unit: "piece" }];
    const quotes = (path: string, body: object = {}) => t.call("POST", `/companies/${o.companyId}/quotes${path}`, { token: o.token, body });
    const draft = (await quotes("", { customerId: o.customerId, lines })).json;
    expectProblem(await quotes(`/${draft.id}/order`), 409);
    await quotes(`/${draft.id}/issue`, { issueDate: "2026-11-02" });
    expectProblem(await quotes(`/${draft.id}/order`), 409);
    expect((await quotes(`/${draft.id}/accept`, { date: "2026-11-03" })).status).toBe(200);
    const before = ownerDataSnapshot(t.deps.db, o.companyId);
    expectProblem(await quotes(`/${draft.id}/order`, { orderDate: "2026-11-02" }), 422, "orderDate");
    expectProblem(await quotes(`/${draft.id}/order`, { orderDate: "2026-11-21" }), 422, "orderDate");
    expectProblem(await quotes(`/${draft.id}/order`, { colour: "red" }), 422);
    const other = await ownerWithCompany(t);
    expectProblem(await t.call("POST", `/companies/${other.companyId}/quotes/${draft.id}/order`, { token: other.token, body: {} }), 404);
    expectProblem(await t.call("POST", `/companies/${o.companyId}/quotes/${draft.id}/order`, { token: other.token, body: {} }), 404);
    expect(ownerDataSnapshot(t.deps.db, o.companyId)).toBe(before);

    const made = await quotes(`/${draft.id}/order`, { reference: "BC-2026-17" });
    expect(made.status, made.text).toBe(201);
    const ord = made.json;
    expect(ord).toMatchObject({
      quoteId: draft.id,
      reference: "BC-2026-17",
      orderDate: "2026-11-03",
      totals: {
        htCents: 13003,
        vatCents: 1151,
        ttcCents: 14154,
        byRate: [
          { vatRateBp: 2000, baseCents: 3003, vatCents: 601 },
          { vatRateBp: 550, baseCents: 10000, vatCents: 550 },
        ],
      },
    });
    expect(ord.lines.map((l: any) => [l.description, l.quantity, l.unitPriceCents, l.vatRateBp, l.kind, l.unit, l.netCents])).toEqual([
      ["Étude d'éclairage", "3", 1001, 2000, "services", "hour", 3003],
      ["Livre « Éclairer la maison »", "1", 10000, 550, "goods", "piece", 10000],
    ]);
    const quote = (await t.call("GET", `/companies/${o.companyId}/quotes/${draft.id}`, { token: o.token })).json;
    expect([quote.orderId, quote.invoiceId]).toEqual([ord.id, null]);
    // a quote is ordered or invoiced, once
    expectProblem(await quotes(`/${draft.id}/order`), 409);
    expectProblem(await quotes(`/${draft.id}/invoice`), 409);
    // the database holds the rule too: a second order of the quote cannot be written
    const secondOrder = t.deps.db.prepare(
      `INSERT INTO orders (id, company_id, customer_id, quote_id, reference, order_date, ht_cents, vat_cents, ttc_cents, created_at, created_by)
       SELECT 'second', company_id, customer_id, quote_id, reference, order_date, ht_cents, vat_cents, ttc_cents, created_at, created_by FROM orders WHERE quote_id = ?`,
    );
    expect(() => secondOrder.run(draft.id)).toThrow(isPostgres(t.deps.db) ? UNIQUE_REFUSAL : /UNIQUE constraint failed: orders\.quote_id/);

    const dep = await issue(t, o, (await deposit(t, o, ord.id, { percentBp: 3000 })).json.id, "2026-11-05");
    await pay(t, o, dep.id, 4246, "2026-11-09");
    const bal = await issue(t, o, (await balance(t, o, ord.id)).json.id, "2026-11-18");
    const byRate = (x: any) => x.totals.byRate.map((r: any) => [r.vatRateBp, r.baseCents, r.vatCents]);
    expect(byRate(dep)).toEqual([[2000, 901, 180], [550, 3000, 165]]);
    expect(byRate(bal)).toEqual([[2000, 2102, 421], [550, 7000, 385]]);
    expect(byRate(dep).map((r: number[], i: number) => [r[0], r[1]! + byRate(bal)[i][1], r[2]! + byRate(bal)[i][2]])).toEqual(byRate(quote));
    expect([dep.totals.ttcCents + bal.totals.ttcCents, quote.totals.ttcCents]).toEqual([14154, 14154]);
    expect(bal.lines.map((l: any) => l.unit)).toEqual(["hour", "piece"]);
    // the e-invoices pass the structural checks: the balance's base per rate is its lines less the deposit, its VAT theirs less the deposit's
    const cii = async (id: string) => (await t.call("GET", `/companies/${o.companyId}/invoices/${id}/cii.xml`, { token: o.token })).text;
    expect(ciiStructureErrors(await cii(dep.id))).toEqual([]);
    const balanceXml = await cii(bal.id);
    expect(ciiStructureErrors(balanceXml)).toEqual([]);
    expect(ciiStructureErrors(balanceXml.replace("<ram:ActualAmount>9.01</ram:ActualAmount>", "<ram:ActualAmount>9.02</ram:ActualAmount>"))).toEqual([
      "BR-S-08: the base of S 20.00 % is 21.02, the sum of its lines' net amounts − allowances + charges is 21.01",
    ]);
    expect(ciiStructureErrors(balanceXml.replace(/<ram:CalculatedAmount>4\.21</, "<ram:CalculatedAmount>4.20<").replace(/(TaxTotalAmount[^>]*>)8\.06</, "$18.05<").replace(/GrandTotalAmount>99\.08</, "GrandTotalAmount>99.07<").replace(/DuePayableAmount>99\.08</, "DuePayableAmount>99.07<"))).toEqual([
      "BR-S-09: the VAT of S 20.00 % is 4.20, its lines' VAT less each allowance's is 4.21",
    ]);

    // an invoiced quote has no order
    const second = (await quotes("", { customerId: o.customerId, lines })).json;
    await quotes(`/${second.id}/issue`, { issueDate: "2026-11-19" });
    await quotes(`/${second.id}/accept`, { date: "2026-11-19" });
    expect((await quotes(`/${second.id}/invoice`)).status).toBe(201);
    expectProblem(await quotes(`/${second.id}/order`), 409);
  });

  it("the deposits and the balance of an exempt quote carry its exemption", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const quotes = (path: string, body: object = {}) => t.call("POST", `/companies/${o.companyId}/quotes${path}`, { token: o.token, body });
    const q = await quotes("", {
      customerId: o.customerId,
      vatExemption: "franchise",
      lines: [{ description: "Cours de dessin", quantity: "10", unitPriceCents: 4500, vatRateBp: 0, kind: "services", unit: "hour" }],
    });
    expect(q.status, q.text).toBe(201);
    await quotes(`/${q.json.id}/issue`, { issueDate: "2026-11-02" });
    await quotes(`/${q.json.id}/accept`, { date: "2026-11-02" });
    const ord = (await quotes(`/${q.json.id}/order`)).json;
    const dep = await issue(t, o, (await deposit(t, o, ord.id, { percentBp: 3000 })).json.id, "2026-11-05");
    const bal = await issue(t, o, (await balance(t, o, ord.id)).json.id, "2026-11-18");
    expect([dep.vatExemption, dep.totals.ttcCents, bal.vatExemption, bal.totals.ttcCents]).toEqual(["franchise", 13500, "franchise", 31500]);
  });
});
