import { describe, expect, it } from "vitest";
import { createTestApp, draftBody, expectProblem, issuedInvoice, ownerWithCompany, type TestApp } from "./helpers.js";
import { invitedAccountant, outbox } from "./access-helpers.js";

/** Ten days after the first invoice's due date. */
const NOW = "2026-12-12T10:00:00Z";

/**
 * An owner whose customer has an e-mail address and three invoices: 36,04 € due 2026-12-02, 149,60 €
 * due 2026-12-05 of which 49,60 € paid, and 36,04 € due 2026-12-06 paid in full.
 */
async function ownerWithInvoices(t: TestApp) {
  const owner = await ownerWithCompany(t);
  await t.call("PATCH", `/companies/${owner.companyId}/customers/${owner.customerId}`, { token: owner.token, body: { email: "compta@boulangerie-dupont.fr" } });
  const first = await issuedInvoice(t, owner, "2026-11-02");
  const second = await issuedInvoice(t, owner, "2026-11-05", [{ description: "Pose", quantity: "2", unitPriceCents: 6800, vatRateBp: 1000, kind: "services" }]);
  const paid = await issuedInvoice(t, owner, "2026-11-06");
  const pay = (invoiceId: string, amountCents: number, date: string) =>
    t.call("POST", `/companies/${owner.companyId}/payments`, { token: owner.token, body: { invoiceId, amountCents, date, method: "transfer" } });
  expect((await pay(second.id, 4960, "2026-11-18")).status).toBe(201);
  expect((await pay(paid.id, 3604, "2026-11-19")).status).toBe(201);
  return { owner, first, second, paid, company: `/companies/${owner.companyId}` };
}

describe("the overdue list", () => {
  it("lists the invoices still due after their due date, oldest due date first, with the days late and the totals", async () => {
    const t = createTestApp({ now: NOW });
    const { owner, first, second, company } = await ownerWithInvoices(t);
    t.clock.set("2026-12-02T10:00:00Z");
    expect((await t.call("GET", `${company}/overdue-invoices`, { token: owner.token })).json).toEqual({ items: [], totals: { count: 0, dueCents: 0 } });
    t.clock.set(NOW);

    const res = await t.call("GET", `${company}/overdue-invoices`, { token: owner.token });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({
      items: [
        {
          id: first.id,
          number: first.number,
          customer: { id: owner.customerId, code: first.customer.code, name: "Boulangerie Dupont" },
          issueDate: "2026-11-02",
          dueDate: "2026-12-02",
          ttcCents: 3604,
          dueCents: 3604,
          daysLate: 10,
          disputed: false,
          lastReminder: null,
        },
        {
          id: second.id,
          number: second.number,
          customer: { id: owner.customerId, code: second.customer.code, name: "Boulangerie Dupont" },
          issueDate: "2026-11-05",
          dueDate: "2026-12-05",
          ttcCents: 14960,
          dueCents: 10000,
          daysLate: 7,
          disputed: false,
          lastReminder: null,
        },
      ],
      totals: { count: 2, dueCents: 13604 },
    });
    const byAmount = await t.call("GET", `${company}/overdue-invoices?sort=amountDue`, { token: owner.token });
    expect(byAmount.json.items.map((i: { number: string }) => i.number)).toEqual([second.number, first.number]);
  });

  it("refuses an unknown sort, naming the field", async () => {
    const t = createTestApp({ now: NOW });
    const { owner, company } = await ownerWithInvoices(t);
    expectProblem(await t.call("GET", `${company}/overdue-invoices?sort=customer`, { token: owner.token }), 422, "sort");
  });
});

describe("reminders", () => {
  it("propose the formal notice stating what is due, the days late, the invoice's penalty rate and the 40 € indemnity", async () => {
    const t = createTestApp({ now: NOW });
    const { owner, first, company } = await ownerWithInvoices(t);
    const draft = await t.call("GET", `${company}/invoices/${first.id}/email-draft?reminder=3`, { token: owner.token });
    expect(draft.status).toBe(200);
    expect(draft.json).toEqual({
      to: ["compta@boulangerie-dupont.fr"],
      subject: `Mise en demeure de payer : facture ${first.number} — Atelier Test SARL`,
      message:
        `Madame, Monsieur,\n\nMalgré nos relances, la facture ${first.number} du 02/11/2026, échue le 02/12/2026, reste impayée depuis 10 jours. ` +
        "Nous vous mettons en demeure de régler la somme de 36,04\u00a0€ sous huit jours à compter de ce message.\n\n" +
        "Conformément à l'article L441-10 du Code de commerce et aux conditions de la facture, ce retard fait courir des pénalités de retard (trois fois le taux d'intérêt légal), " +
        "exigibles dès le lendemain de l'échéance, et l'indemnité forfaitaire pour frais de recouvrement de 40 € (art. D441-5 du Code de commerce) est due.\n\n" +
        "À défaut de paiement dans ce délai, nous engagerons sans autre avis les démarches de recouvrement.\n\nAtelier Test SARL",
      attachmentName: `${first.number}.pdf`,
    });
  });

  it("state the penalty rate frozen on the invoice when it was issued, not the company's current one", async () => {
    const t = createTestApp({ now: NOW });
    const owner = await ownerWithCompany(t);
    await t.call("PATCH", `/companies/${owner.companyId}`, { token: owner.token, body: { latePenaltyRate: "10 % l'an" } });
    const invoice = await issuedInvoice(t, owner, "2026-11-02");
    await t.call("PATCH", `/companies/${owner.companyId}`, { token: owner.token, body: { latePenaltyRate: "12 % l'an" } });
    const draft = await t.call("GET", `/companies/${owner.companyId}/invoices/${invoice.id}/email-draft?reminder=3`, { token: owner.token });
    expect(draft.json.message).toContain("des pénalités de retard (10 % l'an), exigibles dès le lendemain de l'échéance");
    expect(draft.json.message).toContain("reste impayée depuis 10 jours");
    expect(draft.json.to).toEqual([]);
  });

  it("are sent with the PDF attached and recorded on the invoice at their level; the overdue list shows the last one", async () => {
    const t = createTestApp({ now: NOW });
    const { owner, second, company } = await ownerWithInvoices(t);
    const draft = (await t.call("GET", `${company}/invoices/${second.id}/email-draft?reminder=1`, { token: owner.token })).json;
    expect(draft.subject).toBe(`Rappel : facture ${second.number} — Atelier Test SARL`);
    expect(draft.message).toBe(
      `Bonjour,\n\nSauf erreur de notre part, la facture ${second.number} du 05/11/2026, échue le 05/12/2026, reste à régler pour 100,00\u00a0€. Vous la trouverez ci-jointe.\n\nSi votre paiement est déjà parti, merci de ne pas tenir compte de ce message.\n\nCordialement,\nAtelier Test SARL`,
    );
    const before = outbox(t.dataDir).length;
    const sent = await t.call("POST", `${company}/invoices/${second.id}/sendings`, { token: owner.token, body: { to: draft.to, subject: draft.subject, message: draft.message, reminderLevel: 1 } });
    expect(sent.status).toBe(201);
    expect(sent.json).toMatchObject({ status: "sent", reminderLevel: 1, automatic: false, attachmentName: `${second.number}.pdf`, sentAt: "2026-12-12T10:00:00.000Z" });
    const mails = outbox(t.dataDir);
    expect(mails).toHaveLength(before + 1);
    expect(mails.at(-1)!.subject).toBe(draft.subject);
    expect(mails.at(-1)!.attachments.map((a: { filename: string }) => a.filename)).toEqual([`${second.number}.pdf`]);

    const list = (await t.call("GET", `${company}/overdue-invoices`, { token: owner.token })).json;
    expect(list.items.find((i: { id: string }) => i.id === second.id).lastReminder).toEqual({ level: 1, at: "2026-12-12T10:00:00.000Z", automatic: false });
    const sendings = (await t.call("GET", `${company}/invoices/${second.id}/sendings`, { token: owner.token })).json.items;
    expect(sendings.map((s: { reminderLevel: number | null }) => s.reminderLevel)).toEqual([1]);
  });

  it("are refused (409) for a paid invoice and a credit note, recording nothing", async () => {
    const t = createTestApp({ now: NOW });
    const { owner, first, paid, company } = await ownerWithInvoices(t);
    const credit = await t.call("POST", `${company}/invoices/${first.id}/credit-note`, { token: owner.token, body: {} });
    const body = { to: ["compta@boulangerie-dupont.fr"], subject: "Rappel", message: "Bonjour", reminderLevel: 2 };
    for (const id of [paid.id, first.id, credit.json.id]) {
      expectProblem(await t.call("GET", `${company}/invoices/${id}/email-draft?reminder=2`, { token: owner.token }), 409);
      expectProblem(await t.call("POST", `${company}/invoices/${id}/sendings`, { token: owner.token, body }), 409);
    }
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM invoice_sendings").pluck().get()).toBe(0);
  });

  it("are refused (409) before the due date has passed", async () => {
    const t = createTestApp({ now: NOW });
    const { owner, company } = await ownerWithInvoices(t);
    const recent = await issuedInvoice(t, owner, "2026-11-12"); // due 2026-12-12: today
    expectProblem(await t.call("GET", `${company}/invoices/${recent.id}/email-draft?reminder=1`, { token: owner.token }), 409);
    const body = { to: ["compta@boulangerie-dupont.fr"], subject: "Rappel", message: "Bonjour", reminderLevel: 1 };
    expectProblem(await t.call("POST", `${company}/invoices/${recent.id}/sendings`, { token: owner.token, body }), 409);
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM invoice_sendings").pluck().get()).toBe(0);
  });

  it("refuse a level that does not exist, naming the field", async () => {
    const t = createTestApp({ now: NOW });
    const { owner, first, company } = await ownerWithInvoices(t);
    expectProblem(await t.call("GET", `${company}/invoices/${first.id}/email-draft?reminder=4`, { token: owner.token }), 422, "reminder");
    const body = { to: ["compta@boulangerie-dupont.fr"], subject: "Rappel", message: "Bonjour", reminderLevel: 0 };
    expectProblem(await t.call("POST", `${company}/invoices/${first.id}/sendings`, { token: owner.token, body }), 422, "reminderLevel");
  });
});

describe("disputes", () => {
  it("are marked and lifted by the owner, each recorded with who, when and why, shown in the overdue list", async () => {
    const t = createTestApp({ now: NOW });
    const { owner, first, company } = await ownerWithInvoices(t);
    const url = `${company}/invoices/${first.id}/dispute`;
    expect((await t.call("GET", url, { token: owner.token })).json).toEqual({ invoiceId: first.id, disputed: false, reason: null, since: null, by: null });
    const marked = await t.call("PUT", url, { token: owner.token, body: { disputed: true, reason: "Luminaire livré cassé" } });
    expect(marked.status).toBe(200);
    expect(marked.json).toEqual({ invoiceId: first.id, disputed: true, reason: "Luminaire livré cassé", since: "2026-12-12T10:00:00.000Z", by: { id: owner.user.id, name: "Owner" } });
    expect((await t.call("GET", `${company}/overdue-invoices`, { token: owner.token })).json.items[0]).toMatchObject({ id: first.id, disputed: true });

    t.clock.set("2026-12-14T09:00:00Z");
    const lifted = await t.call("PUT", url, { token: owner.token, body: { disputed: false } });
    expect(lifted.json).toEqual({ invoiceId: first.id, disputed: false, reason: "Luminaire livré cassé", since: "2026-12-14T09:00:00.000Z", by: { id: owner.user.id, name: "Owner" } });
    const actions = t.deps.db.prepare("SELECT action FROM activity WHERE record_id = ? AND action LIKE 'invoice.dispute%' ORDER BY seq").pluck().all(first.id);
    expect(actions).toEqual(["invoice.disputed", "invoice.dispute_lifted"]);
  });

  it("are for issued invoices only (409 for a draft)", async () => {
    const t = createTestApp({ now: NOW });
    const owner = await ownerWithCompany(t);
    const draft = await t.call("POST", `/companies/${owner.companyId}/invoices`, { token: owner.token, body: draftBody(owner.customerId) });
    expectProblem(await t.call("PUT", `/companies/${owner.companyId}/invoices/${draft.json.id}/dispute`, { token: owner.token, body: { disputed: true } }), 409);
  });
});

describe("the accountant", () => {
  it("reads the overdue list, disputes, reminders and settings, and changes none of them", async () => {
    const t = createTestApp({ now: NOW });
    const { owner, first, company } = await ownerWithInvoices(t);
    const accountant = await invitedAccountant(t, owner);
    expect((await t.call("POST", `${company}/invoices/${first.id}/sendings`, { token: owner.token, body: { to: ["compta@boulangerie-dupont.fr"], subject: "Rappel", message: "Bonjour", reminderLevel: 1 } })).status).toBe(201);
    expect((await t.call("GET", `${company}/overdue-invoices`, { token: accountant.token })).json.totals).toEqual({ count: 2, dueCents: 13604 });
    expect((await t.call("GET", `${company}/invoices/${first.id}/sendings`, { token: accountant.token })).json.items[0].reminderLevel).toBe(1);
    expect((await t.call("GET", `${company}/invoices/${first.id}/dispute`, { token: accountant.token })).status).toBe(200);
    expect((await t.call("GET", `${company}/reminder-settings`, { token: accountant.token })).status).toBe(200);
    expectProblem(await t.call("PUT", `${company}/invoices/${first.id}/dispute`, { token: accountant.token, body: { disputed: true } }), 403);
    expectProblem(await t.call("PUT", `${company}/reminder-settings`, { token: accountant.token, body: { automatic: true, days: [7, 21, 45] } }), 403);
    expectProblem(
      await t.call("POST", `${company}/invoices/${first.id}/sendings`, { token: accountant.token, body: { to: ["compta@boulangerie-dupont.fr"], subject: "Rappel", message: "Bonjour", reminderLevel: 2 } }),
      403,
    );
  });
});
