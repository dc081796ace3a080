import { beforeAll, describe, expect, it } from "vitest";
import { createTestApp, CUSTOMER, expectProblem, ownerWithCompany, signupOwner, type TestApp } from "./helpers.js";
import { invitedAccountant } from "./access-helpers.js";

/**
 * One company on 2026-11-20 (fiscal year = calendar year), two customers:
 * - Boulangerie Dupont: D 2025-11-30 100,00 € HT paid in full on 2025-12-20 (outside the 12 months
 *   and the fiscal year); C 2025-12-15 500,00 € HT due 2026-01-14, 100,00 € paid on 2026-02-03;
 *   A 2026-10-31 1 000,00 € HT due 2026-11-15, 200,00 € paid on 2026-11-01 (the month after its
 *   issue); B 2026-11-01 3 × 10,01 € HT due 2026-12-01, credited one line on 2026-11-10 (10,01 € HT,
 *   12,01 € TTC), and 5,00 € paid then deleted; a draft of 9 999,00 € HT.
 * - Fromagerie Martin: E 2026-11-05 50,00 € HT due 2026-11-10.
 * All at 20 %.
 */
let t: TestApp;
let o: Awaited<ReturnType<typeof ownerWithCompany>>;
let martinId: string;
const ids: Record<string, { id: string; number: string }> = {};

async function invoice(customerId: string, issueDate: string, dueDate: string, lines: { quantity: string; unitPriceCents: number }[]) {
  const draft = await t.call("POST", `/companies/${o.companyId}/invoices`, {
    token: o.token,
    body: { customerId, dueDate, lines: lines.map((l) => ({ description: "Prestation", vatRateBp: 2000, kind: "services", ...l })) },
  });
  expect(draft.status).toBe(201);
  const issued = await t.call("POST", `/companies/${o.companyId}/invoices/${draft.json.id}/issue`, { token: o.token, body: { issueDate } });
  expect(issued.status).toBe(200);
  return issued.json as { id: string; number: string; lines: { id: string }[] };
}

async function pay(invoiceId: string, amountCents: number, date: string) {
  const res = await t.call("POST", `/companies/${o.companyId}/payments`, { token: o.token, body: { invoiceId, amountCents, date, method: "transfer" } });
  expect(res.status).toBe(201);
  return res.json.id as string;
}

beforeAll(async () => {
  t = createTestApp();
  o = await ownerWithCompany(t);
  await t.call("PATCH", `/companies/${o.companyId}/customers/${o.customerId}`, { token: o.token, body: { email: "compta@boulangerie-dupont.fr" } });
  martinId = (await t.call("POST", `/companies/${o.companyId}/customers`, { token: o.token, body: { ...CUSTOMER, name: "Fromagerie Martin", siren: undefined, vatNumber: undefined } })).json.id;
  const d = await invoice(o.customerId, "2025-11-30", "2025-12-30", [{ quantity: "1", unitPriceCents: 10000 }]);
  await pay(d.id, 12000, "2025-12-20");
  const c = await invoice(o.customerId, "2025-12-15", "2026-01-14", [{ quantity: "1", unitPriceCents: 50000 }]);
  await pay(c.id, 10000, "2026-02-03");
  const a = await invoice(o.customerId, "2026-10-31", "2026-11-15", [{ quantity: "1", unitPriceCents: 100000 }]);
  await pay(a.id, 20000, "2026-11-01");
  const b = await invoice(o.customerId, "2026-11-01", "2026-12-01", [
    { quantity: "1", unitPriceCents: 1001 },
    { quantity: "2", unitPriceCents: 1001 },
  ]);
  const e = await invoice(martinId, "2026-11-05", "2026-11-10", [{ quantity: "1", unitPriceCents: 5000 }]);
  const cn = await t.call("POST", `/companies/${o.companyId}/invoices/${b.id}/credit-note`, {
    token: o.token,
    body: { issueDate: "2026-11-10", lines: [{ lineId: b.lines[0]!.id, quantity: "1" }] },
  });
  expect(cn.status).toBe(201);
  const mistaken = await pay(b.id, 500, "2026-11-12");
  expect((await t.call("DELETE", `/companies/${o.companyId}/payments/${mistaken}`, { token: o.token })).status).toBe(204);
  await t.call("POST", `/companies/${o.companyId}/invoices`, { token: o.token, body: { customerId: o.customerId, lines: [{ description: "Brouillon", quantity: "1", unitPriceCents: 999900, vatRateBp: 2000 }] } });
  Object.assign(ids, { a, b, c, d, e, cn: cn.json });
});

describe("where the money stands", () => {
  it("sums revenue HT (credit notes taken off) by issue date and payments by payment date, for the month and the fiscal year", async () => {
    const res = await t.call("GET", `/companies/${o.companyId}/money-standing`, { token: o.token });
    expect(res.status).toBe(200);
    expect(res.json.today).toBe("2026-11-20");
    // November: B 30,03 − its credit note 10,01 + E 50,00; A's 200,00 € paid on 1 November counts in November
    expect(res.json.month).toEqual({ from: "2026-11-01", to: "2026-11-30", revenueHtCents: 7002, receivedCents: 20000 });
    // 2026: A 1 000,00 + November's 70,02; C's 100,00 € and A's 200,00 € received (D's payment was in 2025)
    expect(res.json.fiscalYear).toEqual({ from: "2026-01-01", to: "2026-12-31", revenueHtCents: 107002, receivedCents: 30000 });
  });

  it("counts as due what is left on issued invoices after credit notes and payments, and as overdue the part past its due date", async () => {
    const res = await t.call("GET", `/companies/${o.companyId}/money-standing`, { token: o.token });
    // A 1 000,00 + B 24,03 (36,04 − 12,01) + C 500,00 + E 60,00
    expect(res.json.dueCents).toBe(158403);
    expect(res.json.dueCount).toBe(4);
    // C, A and E are past their due date; B is due on 1 December
    expect(res.json.overdueCents).toBe(156000);
    expect(res.json.overdueCount).toBe(3);
    expect(res.json.mostOverdue).toEqual([
      { id: ids.c!.id, number: ids.c!.number, customer: { id: o.customerId, code: "C0001", name: "Boulangerie Dupont" }, issueDate: "2025-12-15", dueDate: "2026-01-14", daysLate: 310, ttcCents: 60000, dueCents: 50000 },
      { id: ids.e!.id, number: ids.e!.number, customer: { id: martinId, code: "C0002", name: "Fromagerie Martin" }, issueDate: "2026-11-05", dueDate: "2026-11-10", daysLate: 10, ttcCents: 6000, dueCents: 6000 },
      { id: ids.a!.id, number: ids.a!.number, customer: { id: o.customerId, code: "C0001", name: "Boulangerie Dupont" }, issueDate: "2026-10-31", dueDate: "2026-11-15", daysLate: 5, ttcCents: 120000, dueCents: 100000 },
    ]);
  });

  it("gives the revenue HT of the 12 months ending this month, a month that had none at 0", async () => {
    const res = await t.call("GET", `/companies/${o.companyId}/money-standing`, { token: o.token });
    expect(res.json.monthlyRevenue).toEqual([
      { month: "2025-12", revenueHtCents: 50000 },
      ...["01", "02", "03", "04", "05", "06", "07", "08", "09"].map((m) => ({ month: `2026-${m}`, revenueHtCents: 0 })),
      { month: "2026-10", revenueHtCents: 100000 },
      { month: "2026-11", revenueHtCents: 7002 },
    ]);
  });

  it("lists the 5 invoices overdue longest, oldest due date first", async () => {
    const t2 = createTestApp();
    const owner = await ownerWithCompany(t2);
    for (const day of ["03", "01", "05", "02", "06", "04"]) {
      const draft = await t2.call("POST", `/companies/${owner.companyId}/invoices`, {
        token: owner.token,
        body: { customerId: owner.customerId, dueDate: `2026-11-${day}`, lines: [{ description: "Prestation", quantity: "1", unitPriceCents: 100, vatRateBp: 2000 }] },
      });
      await t2.call("POST", `/companies/${owner.companyId}/invoices/${draft.json.id}/issue`, { token: owner.token, body: { issueDate: "2026-10-20" } });
    }
    const res = await t2.call("GET", `/companies/${owner.companyId}/money-standing`, { token: owner.token });
    expect(res.json.overdueCount).toBe(6);
    expect(res.json.overdueCents).toBe(720);
    expect(res.json.mostOverdue.map((r: { dueDate: string; daysLate: number }) => [r.dueDate, r.daysLate])).toEqual([
      ["2026-11-01", 19],
      ["2026-11-02", 18],
      ["2026-11-03", 17],
      ["2026-11-04", 16],
      ["2026-11-05", 15],
    ]);
  });

  it("a company with nothing issued stands at zero", async () => {
    const t2 = createTestApp({ now: "2026-03-01T10:00:00Z" });
    const owner = await ownerWithCompany(t2);
    const res = await t2.call("GET", `/companies/${owner.companyId}/money-standing`, { token: owner.token });
    expect(res.json).toMatchObject({ today: "2026-03-01", dueCents: 0, dueCount: 0, overdueCents: 0, overdueCount: 0, mostOverdue: [] });
    expect(res.json.month).toEqual({ from: "2026-03-01", to: "2026-03-31", revenueHtCents: 0, receivedCents: 0 });
    expect(res.json.monthlyRevenue.map((m: { month: string }) => m.month)).toEqual([
      "2025-04", "2025-05", "2025-06", "2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2025-12", "2026-01", "2026-02", "2026-03",
    ]);
  });
});

describe("a customer's balance and sendings", () => {
  it("adds up what the customer was billed (credit notes off), paid and still owes", async () => {
    const dupont = await t.call("GET", `/companies/${o.companyId}/customers/${o.customerId}/balance`, { token: o.token });
    expect(dupont.status).toBe(200);
    // D 120,00 + C 600,00 + A 1 200,00 + B 36,04 − 12,01; paid 120,00 + 100,00 + 200,00
    expect(dupont.json).toEqual({ customerId: o.customerId, billedCents: 194403, receivedCents: 42000, dueCents: 152403, overdueCents: 150000, overdueCount: 2 });
    const martin = await t.call("GET", `/companies/${o.companyId}/customers/${martinId}/balance`, { token: o.token });
    expect(martin.json).toEqual({ customerId: martinId, billedCents: 6000, receivedCents: 0, dueCents: 6000, overdueCents: 6000, overdueCount: 1 });
  });

  it("lists the e-mails sent to the customer about its documents, newest first, with their kind and number", async () => {
    const send = (invoiceId: string, subject: string) =>
      t.call("POST", `/companies/${o.companyId}/invoices/${invoiceId}/sendings`, { token: o.token, body: { to: ["compta@boulangerie-dupont.fr"], subject, message: "Bonjour" } });
    expect((await send(ids.b!.id, "Votre facture")).status).toBe(201);
    t.clock.advance(60_000);
    expect((await send(ids.cn!.id, "Votre avoir")).status).toBe(201);
    const res = await t.call("GET", `/companies/${o.companyId}/customers/${o.customerId}/sendings`, { token: o.token });
    expect(res.status).toBe(200);
    expect(res.json.items.map((s: { kind: string; invoiceNumber: string; subject: string; status: string; to: string[] }) => [s.kind, s.invoiceNumber, s.subject, s.status, s.to])).toEqual([
      ["credit_note", ids.cn!.number, "Votre avoir", "sent", ["compta@boulangerie-dupont.fr"]],
      ["invoice", ids.b!.number, "Votre facture", "sent", ["compta@boulangerie-dupont.fr"]],
    ]);
    expect(res.json.nextCursor).toBeNull();
    const firstPage = await t.call("GET", `/companies/${o.companyId}/customers/${o.customerId}/sendings?limit=1`, { token: o.token });
    expect(firstPage.json.items.map((s: { subject: string }) => s.subject)).toEqual(["Votre avoir"]);
    const next = await t.call("GET", `/companies/${o.companyId}/customers/${o.customerId}/sendings?limit=1&cursor=${firstPage.json.nextCursor}`, { token: o.token });
    expect(next.json.items.map((s: { subject: string }) => s.subject)).toEqual(["Votre facture"]);
    expect(next.json.nextCursor).toBeNull();
    const martin = await t.call("GET", `/companies/${o.companyId}/customers/${martinId}/sendings`, { token: o.token });
    expect(martin.json).toEqual({ items: [], nextCursor: null });
  });

  it("lists a reminder by its level", async () => {
    t.clock.advance(60_000);
    const reminder = await t.call("POST", `/companies/${o.companyId}/invoices/${ids.c!.id}/sendings`, {
      token: o.token,
      body: { to: ["compta@boulangerie-dupont.fr"], subject: "Deuxième relance", message: "Bonjour", reminderLevel: 2 },
    });
    expect(reminder.status).toBe(201);
    const res = await t.call("GET", `/companies/${o.companyId}/customers/${o.customerId}/sendings`, { token: o.token });
    expect(res.json.items.map((s: { kind: string; invoiceNumber: string; subject: string; reminderLevel: number | null }) => [s.kind, s.invoiceNumber, s.subject, s.reminderLevel])).toEqual([
      ["reminder_2", ids.c!.number, "Deuxième relance", 2],
      ["credit_note", ids.cn!.number, "Votre avoir", null],
      ["invoice", ids.b!.number, "Votre facture", null],
    ]);
  });

  it("the accountant reads the figures, the balance and the sendings; another owner gets nothing; an unknown customer is 404", async () => {
    const accountant = await invitedAccountant(t, o);
    for (const url of ["money-standing", `customers/${o.customerId}/balance`, `customers/${o.customerId}/sendings`]) {
      expect((await t.call("GET", `/companies/${o.companyId}/${url}`, { token: accountant.token })).status).toBe(200);
    }
    const stranger = await signupOwner(t, "Autre");
    expectProblem(await t.call("GET", `/companies/${o.companyId}/money-standing`, { token: stranger.token }), 404);
    expectProblem(await t.call("GET", `/companies/${o.companyId}/customers/nope/balance`, { token: o.token }), 404);
    expectProblem(await t.call("GET", `/companies/${o.companyId}/customers/nope/sendings`, { token: o.token }), 404);
  });
});
