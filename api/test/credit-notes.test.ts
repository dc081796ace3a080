import { describe, expect, it } from "vitest";
import { createTestApp, draftBody, expectProblem, issuedInvoice, ownerWithCompany, type TestApp } from "./helpers.js";

type Owner = Awaited<ReturnType<typeof ownerWithCompany>>;

const TWO_RATES = [
  { description: "Étude d'éclairage", quantity: "3", unitPriceCents: 1001, vatRateBp: 2000, kind: "services" as const },
  { description: "Livre « Éclairer la maison »", quantity: "2", unitPriceCents: 2500, vatRateBp: 550, kind: "goods" as const },
];
// 20 %: 30,03 € → VAT 6,01 €; 5,5 %: 50,00 € → VAT 2,75 €
const TWO_RATES_TOTALS = {
  htCents: 8003,
  vatCents: 876,
  ttcCents: 8879,
  byRate: [
    { vatRateBp: 2000, baseCents: 3003, vatCents: 601 },
    { vatRateBp: 550, baseCents: 5000, vatCents: 275 },
  ],
};

function credit(t: TestApp, o: Owner, invoiceId: string, body: object = {}) {
  return t.call("POST", `/companies/${o.companyId}/invoices/${invoiceId}/credit-note`, { token: o.token, body });
}
async function invoice(t: TestApp, o: Owner, id: string) {
  return (await t.call("GET", `/companies/${o.companyId}/invoices/${id}`, { token: o.token })).json;
}

describe("credit notes", () => {
  it("a full credit note mirrors the invoice, has its own series and references the invoice", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const inv = await issuedInvoice(t, o, "2026-11-02", TWO_RATES);
    expect(inv.totals).toEqual(TWO_RATES_TOTALS);
    const res = await credit(t, o, inv.id, { notes: "Commande annulée" });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      id: expect.any(String),
      number: "AV2026-00001",
      type: "credit_note",
      status: "issued",
      issueDate: "2026-11-20",
      dueDate: "2026-11-20",
      customer: inv.customer,
      lines: inv.lines.map((l: Record<string, unknown>) => ({ ...l, id: expect.any(String), creditedLineId: l.id })),
      totals: TWO_RATES_TOTALS,
      paidCents: 0,
      creditedCents: 0,
      dueCents: 0,
      creditedInvoiceId: inv.id,
      creditedInvoiceNumber: "F2026-00001",
      notes: "Commande annulée",
      vatExemption: null,
      deliveryDate: null,
      servicePeriod: null,
      deliveryAddress: null,
      orderId: null,
      orderRole: null,
      orderReference: null,
      orderTotals: null,
      deductions: [],
      createdAt: "2026-11-20T10:00:00.000Z",
      issuedAt: "2026-11-20T10:00:00.000Z",
    });
    expect(await invoice(t, o, inv.id)).toMatchObject({ status: "issued", creditedCents: 8879, paidCents: 0, dueCents: 0 });
    const chain = t.deps.db.prepare("SELECT record_kind, record_id FROM record_chain WHERE company_id = ? ORDER BY position").all(o.companyId);
    expect(chain).toEqual([
      { record_kind: "invoice", record_id: inv.id },
      { record_kind: "credit_note", record_id: res.json.id },
    ]);
    expect(t.deps.db.prepare("SELECT last_counter FROM number_series WHERE company_id = ? AND series_key = 'AV2026'").pluck().get(o.companyId)).toBe(1);
    expect(t.deps.db.prepare("SELECT action FROM activity WHERE record_id = ?").pluck().all(res.json.id)).toEqual(["credit_note.issued"]);

    // nothing is left: a second credit note is a conflict, and naming a line says why
    const again = expectProblem(await credit(t, o, inv.id), 409, "lines");
    expect(again.detail).toBe("lines: nothing is left to credit on this invoice");
    const line = expectProblem(await credit(t, o, inv.id, { lines: [{ lineId: inv.lines[0].id }] }), 422, "lines.0.lineId");
    expect(line.errors).toEqual([{ path: "lines.0.lineId", message: "has already been credited in full" }]);
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM invoices WHERE type = 'credit_note'").pluck().get()).toBe(1);
  });

  it("credits some lines only, then the rest", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const inv = await issuedInvoice(t, o, "2026-11-02", TWO_RATES);
    const books = await credit(t, o, inv.id, { lines: [{ lineId: inv.lines[1].id }] });
    expect(books.status).toBe(201);
    expect(books.json.lines).toHaveLength(1);
    expect(books.json.lines[0]).toMatchObject({ creditedLineId: inv.lines[1].id, quantity: "2", unitPriceCents: 2500, vatRateBp: 550, netCents: 5000 });
    expect(books.json.totals).toEqual({ htCents: 5000, vatCents: 275, ttcCents: 5275, byRate: [{ vatRateBp: 550, baseCents: 5000, vatCents: 275 }] });
    expect(await invoice(t, o, inv.id)).toMatchObject({ status: "issued", creditedCents: 5275, dueCents: 3604 });

    const rest = await credit(t, o, inv.id);
    expect(rest.status).toBe(201);
    expect(rest.json.number).toBe("AV2026-00002");
    expect(rest.json.lines.map((l: { creditedLineId: string }) => l.creditedLineId)).toEqual([inv.lines[0].id]);
    expect(rest.json.totals).toEqual({ htCents: 3003, vatCents: 601, ttcCents: 3604, byRate: [{ vatRateBp: 2000, baseCents: 3003, vatCents: 601 }] });
    expect(await invoice(t, o, inv.id)).toMatchObject({ creditedCents: 8879, dueCents: 0 });
  });

  it("credits part of a quantity, never more than remains (422 on lines.0.quantity), and the last part cancels the invoice to the cent", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const inv = await issuedInvoice(t, o, "2026-11-02"); // 3 × 10,01 € at 20 % = 36,04 €
    const lineId = inv.lines[0].id;
    const one = await credit(t, o, inv.id, { lines: [{ lineId, quantity: "1" }] });
    expect(one.status).toBe(201);
    expect(one.json.lines[0]).toMatchObject({ quantity: "1", netCents: 1001, creditedLineId: lineId });
    expect(one.json.totals).toEqual({ htCents: 1001, vatCents: 200, ttcCents: 1201, byRate: [{ vatRateBp: 2000, baseCents: 1001, vatCents: 200 }] });
    expect(await invoice(t, o, inv.id)).toMatchObject({ status: "issued", creditedCents: 1201, dueCents: 2403 });

    const tooMuch = expectProblem(await credit(t, o, inv.id, { lines: [{ lineId, quantity: "2.5" }] }), 422, "lines.0.quantity");
    expect(tooMuch.errors).toEqual([{ path: "lines.0.quantity", message: "must not exceed what remains to credit (2)" }]);
    expectProblem(await credit(t, o, inv.id, { lines: [{ lineId, quantity: "0" }] }), 422, "lines.0.quantity");
    expectProblem(await credit(t, o, inv.id, { lines: [{ lineId, quantity: "0.00001" }] }), 422, "lines.0.quantity");
    expectProblem(await credit(t, o, inv.id, { lines: [{ lineId: "nope" }] }), 422, "lines.0.lineId");
    expectProblem(await credit(t, o, inv.id, { lines: [{ lineId, quantity: "1" }, { lineId, quantity: "1" }] }), 422, "lines.1.lineId");
    expectProblem(await credit(t, o, inv.id, { lines: [] }), 422, "lines");
    expectProblem(await credit(t, o, inv.id, { lines: [{ lineId, unitPriceCents: 1 }] }), 422, "lines.0.unitPriceCents");
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM invoices WHERE type = 'credit_note'").pluck().get()).toBe(1);

    // 2 × 10,01 € at 20 % would be 4,00 € of VAT by itself; as the last part it takes the 4,01 € left
    const two = await credit(t, o, inv.id, { lines: [{ lineId, quantity: "2" }] });
    expect(two.status).toBe(201);
    expect(two.json.totals).toEqual({ htCents: 2002, vatCents: 401, ttcCents: 2403, byRate: [{ vatRateBp: 2000, baseCents: 2002, vatCents: 401 }] });
    expect(one.json.totals.vatCents + two.json.totals.vatCents).toBe(inv.totals.vatCents);
    expect(await invoice(t, o, inv.id)).toMatchObject({ status: "issued", creditedCents: 3604, dueCents: 0 });
    expectProblem(await credit(t, o, inv.id), 409, "lines");
  });

  it("a partly credited discount is shared pro rata and the parts add up to the line", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const inv = await issuedInvoice(t, o, "2026-11-02", [{ description: "Applique", quantity: "4", unitPriceCents: 2500, vatRateBp: 2000, discountCents: 1000 }]);
    expect(inv.totals).toMatchObject({ htCents: 9000, vatCents: 1800, ttcCents: 10800 });
    const lineId = inv.lines[0].id;
    const one = await credit(t, o, inv.id, { lines: [{ lineId, quantity: "1" }] });
    expect(one.json.lines[0]).toMatchObject({ quantity: "1", discountCents: 250, netCents: 2250 });
    const rest = await credit(t, o, inv.id);
    expect(rest.json.lines[0]).toMatchObject({ quantity: "3", discountCents: 750, netCents: 6750 });
    expect(one.json.totals.ttcCents + rest.json.totals.ttcCents).toBe(10800);
  });

  it("refuses to credit a credit note or a draft (409), or to date the credit note before the invoice or in the future (422)", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const inv = await issuedInvoice(t, o, "2026-11-10");
    const early = expectProblem(await credit(t, o, inv.id, { issueDate: "2026-11-09" }), 422, "issueDate");
    expect(early.errors).toEqual([{ path: "issueDate", message: "must be on or after the invoice's date (2026-11-10)" }]);
    expectProblem(await credit(t, o, inv.id, { issueDate: "2026-11-21" }), 422, "issueDate");
    const cn = (await credit(t, o, inv.id, { issueDate: "2026-11-15", lines: [{ lineId: inv.lines[0].id, quantity: "1" }] })).json;
    expect(cn.issueDate).toBe("2026-11-15");

    const ofCredit = expectProblem(await credit(t, o, cn.id), 409);
    expect(ofCredit.detail).toBe("A credit note corrects an invoice; it cannot itself be credited.");
    const d = await t.call("POST", `/companies/${o.companyId}/invoices`, { token: o.token, body: draftBody(o.customerId) });
    const ofDraft = expectProblem(await credit(t, o, d.json.id), 409);
    expect(ofDraft.detail).toBe("This invoice is a draft: change or delete it instead of crediting it.");
    expectProblem(await credit(t, o, "nope"), 404);

    // credit notes are numbered chronologically too
    const backwards = expectProblem(await credit(t, o, inv.id, { issueDate: "2026-11-12", lines: [{ lineId: inv.lines[0].id, quantity: "1" }] }), 409, "issueDate");
    expect(backwards.detail).toContain("AV2026-00001 was issued on 2026-11-15");

    // and are as final as invoices
    const url = `/companies/${o.companyId}/invoices/${cn.id}`;
    const patch = expectProblem(await t.call("PATCH", url, { token: o.token, body: { notes: "x" } }), 409);
    expect(patch.detail).toBe("Credit note AV2026-00001 is issued and can no longer be changed: issued documents are final. Correct it with a credit note.");
    expectProblem(await t.call("DELETE", url, { token: o.token }), 409);
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM invoices WHERE type = 'credit_note'").pluck().get()).toBe(1);
  });

  it("payments and credit notes together decide the status and what is due", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const inv = await issuedInvoice(t, o, "2026-11-02"); // 36,04 €
    const pay = (amountCents: number) =>
      t.call("POST", `/companies/${o.companyId}/payments`, { token: o.token, body: { invoiceId: inv.id, amountCents, date: "2026-11-18", method: "transfer" } });
    expect((await pay(2000)).status).toBe(201);
    expect(await invoice(t, o, inv.id)).toMatchObject({ status: "partially_paid", paidCents: 2000, creditedCents: 0, dueCents: 1604 });
    await credit(t, o, inv.id, { lines: [{ lineId: inv.lines[0].id, quantity: "1" }] }); // 12,01 €
    expect(await invoice(t, o, inv.id)).toMatchObject({ status: "partially_paid", paidCents: 2000, creditedCents: 1201, dueCents: 403 });
    expectProblem(await pay(404), 409, "amountCents");
    expect((await pay(403)).status).toBe(201);
    expect(await invoice(t, o, inv.id)).toMatchObject({ status: "paid", paidCents: 2403, creditedCents: 1201, dueCents: 0 });
    expectProblem(await pay(1), 409, "amountCents");
  });
});
