import { describe, expect, it } from "vitest";
import { formatEuros } from "@passerelle/shared";
import { createTestApp, draftBody, expectProblem, issuedInvoice, ownerWithCompany, type TestApp } from "./helpers.js";

type Owner = Awaited<ReturnType<typeof ownerWithCompany>>;

function pay(t: TestApp, o: Owner, body: object) {
  return t.call("POST", `/companies/${o.companyId}/payments`, { token: o.token, body });
}
async function invoice(t: TestApp, o: Owner, id: string) {
  return (await t.call("GET", `/companies/${o.companyId}/invoices/${id}`, { token: o.token })).json;
}
const snapshot = (t: TestApp, companyId: string) => ({
  payments: t.deps.db.prepare("SELECT COUNT(*) FROM payments WHERE company_id = ?").pluck().get(companyId),
  chain: t.deps.db.prepare("SELECT COUNT(*) FROM record_chain WHERE company_id = ?").pluck().get(companyId),
  activity: t.deps.db.prepare("SELECT COUNT(*) FROM activity WHERE company_id = ?").pluck().get(companyId),
  invoices: t.deps.db.prepare("SELECT id, status, paid_cents FROM invoices WHERE company_id = ? ORDER BY pk").all(companyId),
});

describe("payments", () => {
  it("a partial payment makes the invoice partially_paid, the rest makes it paid; each payment is chained", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const inv = await issuedInvoice(t, o, "2026-11-02"); // 36,04 €
    const first = await pay(t, o, { invoiceId: inv.id, amountCents: 1000, date: "2026-11-05", method: "transfer", reference: "VIR SEPA 0042" });
    expect(first.status).toBe(201);
    expect(first.json).toEqual({
      id: expect.any(String),
      invoiceId: inv.id,
      invoiceNumber: "F2026-00001",
      amountCents: 1000,
      date: "2026-11-05",
      method: "transfer",
      reference: "VIR SEPA 0042",
      createdAt: "2026-11-20T10:00:00.000Z",
    });
    expect(await invoice(t, o, inv.id)).toMatchObject({ status: "partially_paid", paidCents: 1000, dueCents: 2604 });

    const rest = await pay(t, o, { invoiceId: inv.id, amountCents: 2604, date: "2026-11-20", method: "cheque" });
    expect(rest.status).toBe(201);
    expect(rest.json.reference).toBeNull();
    expect(await invoice(t, o, inv.id)).toMatchObject({ status: "paid", paidCents: 3604, dueCents: 0 });

    const chain = t.deps.db.prepare("SELECT position, record_kind, record_id FROM record_chain WHERE company_id = ? ORDER BY position").all(o.companyId);
    expect(chain).toEqual([
      { position: 1, record_kind: "invoice", record_id: inv.id },
      { position: 2, record_kind: "payment", record_id: first.json.id },
      { position: 3, record_kind: "payment", record_id: rest.json.id },
    ]);
    const log = t.deps.db.prepare("SELECT action, record_date, after_json FROM activity WHERE record_id = ?").get(first.json.id) as Record<string, string>;
    expect(log.action).toBe("payment.recorded");
    expect(log.record_date).toBe("2026-11-05");
    expect(JSON.parse(log.after_json!)).toEqual({ invoice: "F2026-00001", amountCents: 1000, method: "transfer" });
  });

  it("refuses to overpay (409 on amountCents) and changes nothing", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const inv = await issuedInvoice(t, o, "2026-11-02");
    const before = snapshot(t, o.companyId);
    const over = expectProblem(await pay(t, o, { invoiceId: inv.id, amountCents: 3605, date: "2026-11-05", method: "card" }), 409, "amountCents");
    expect(over.errors).toEqual([{ path: "amountCents", message: `must not exceed what is due on F2026-00001 (${formatEuros(3604)})` }]);
    expect(formatEuros(3604)).toMatch(/^36,04\s€$/u);
    expect(snapshot(t, o.companyId)).toEqual(before);

    expect((await pay(t, o, { invoiceId: inv.id, amountCents: 3000, date: "2026-11-05", method: "card" })).status).toBe(201);
    const after = snapshot(t, o.companyId);
    const second = expectProblem(await pay(t, o, { invoiceId: inv.id, amountCents: 605, date: "2026-11-06", method: "card" }), 409, "amountCents");
    expect(second.errors![0]!.message).toBe(`must not exceed what is due on F2026-00001 (${formatEuros(604)})`);
    expect(snapshot(t, o.companyId)).toEqual(after);
    expect((await pay(t, o, { invoiceId: inv.id, amountCents: 604, date: "2026-11-06", method: "card" })).status).toBe(201);
  });

  it("refuses a payment dated before the invoice or in the future (422 on date)", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const inv = await issuedInvoice(t, o, "2026-11-10");
    const before = snapshot(t, o.companyId);
    const early = expectProblem(await pay(t, o, { invoiceId: inv.id, amountCents: 100, date: "2026-11-09", method: "cash" }), 422, "date");
    expect(early.errors).toEqual([{ path: "date", message: "must be on or after the invoice's date (2026-11-10)" }]);
    const future = expectProblem(await pay(t, o, { invoiceId: inv.id, amountCents: 100, date: "2026-11-21", method: "cash" }), 422, "date");
    expect(future.errors).toEqual([{ path: "date", message: "must not be in the future (today is 2026-11-20)" }]);
    expect(snapshot(t, o.companyId)).toEqual(before);
    expect((await pay(t, o, { invoiceId: inv.id, amountCents: 100, date: "2026-11-10", method: "cash" })).status).toBe(201);
  });

  it("refuses a payment on a draft (409), on a credit note or an unknown invoice (422), and invalid fields (422)", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const d = await t.call("POST", `/companies/${o.companyId}/invoices`, { token: o.token, body: draftBody(o.customerId) });
    const draft = expectProblem(await pay(t, o, { invoiceId: d.json.id, amountCents: 100, date: "2026-11-10", method: "cash" }), 409, "invoiceId");
    expect(draft.detail).toBe("This invoice is a draft: issue it before recording a payment.");
    const inv = await issuedInvoice(t, o, "2026-11-02");
    const cn = await t.call("POST", `/companies/${o.companyId}/invoices/${inv.id}/credit-note`, { token: o.token, body: { lines: [{ lineId: inv.lines[0].id, quantity: "1" }] } });
    const onCredit = expectProblem(await pay(t, o, { invoiceId: cn.json.id, amountCents: 100, date: "2026-11-20", method: "cash" }), 422, "invoiceId");
    expect(onCredit.errors).toEqual([{ path: "invoiceId", message: "must be an invoice, not a credit note" }]);
    expectProblem(await pay(t, o, { invoiceId: "nope", amountCents: 100, date: "2026-11-20", method: "cash" }), 422, "invoiceId");

    const valid = { invoiceId: inv.id, amountCents: 100, date: "2026-11-20", method: "transfer" };
    expectProblem(await pay(t, o, { ...valid, amountCents: 0 }), 422, "amountCents");
    expectProblem(await pay(t, o, { ...valid, amountCents: -100 }), 422, "amountCents");
    expectProblem(await pay(t, o, { ...valid, amountCents: 1.5 }), 422, "amountCents");
    expectProblem(await pay(t, o, { ...valid, amountCents: "100" }), 422, "amountCents");
    expectProblem(await pay(t, o, { ...valid, method: "bitcoin" }), 422, "method");
    expectProblem(await pay(t, o, { ...valid, date: "2026-13-01" }), 422, "date");
    expectProblem(await pay(t, o, { ...valid, date: undefined }), 422, "date");
    expectProblem(await pay(t, o, { ...valid, reference: "x".repeat(141) }), 422, "reference");
    expectProblem(await pay(t, o, { ...valid, invoiceNumber: "F2026-00001" }), 422, "invoiceNumber");
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM payments").pluck().get()).toBe(0);
  });

  it("lists payments newest first, by invoice, page by page; reads one", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const a = await issuedInvoice(t, o, "2026-11-01");
    const b = await issuedInvoice(t, o, "2026-11-02");
    const p1 = (await pay(t, o, { invoiceId: a.id, amountCents: 100, date: "2026-11-03", method: "card" })).json;
    const p2 = (await pay(t, o, { invoiceId: b.id, amountCents: 200, date: "2026-11-10", method: "transfer" })).json;
    const p3 = (await pay(t, o, { invoiceId: a.id, amountCents: 300, date: "2026-11-05", method: "cash" })).json;
    const c = `/companies/${o.companyId}/payments`;
    const all = await t.call("GET", c, { token: o.token });
    expect(all.status).toBe(200);
    expect(all.json).toEqual({ items: [p2, p3, p1], nextCursor: null });
    expect((await t.call("GET", `${c}?invoiceId=${a.id}`, { token: o.token })).json.items).toEqual([p3, p1]);
    const page1 = await t.call("GET", `${c}?limit=2`, { token: o.token });
    expect(page1.json.items).toEqual([p2, p3]);
    const page2 = await t.call("GET", `${c}?limit=2&cursor=${page1.json.nextCursor}`, { token: o.token });
    expect(page2.json).toEqual({ items: [p1], nextCursor: null });
    expect((await t.call("GET", `${c}/${p3.id}`, { token: o.token })).json).toEqual(p3);
    expectProblem(await t.call("GET", `${c}/nope`, { token: o.token }), 404);
    expectProblem(await t.call("GET", `${c}?limit=-1`, { token: o.token }), 422, "limit");
  });
});
