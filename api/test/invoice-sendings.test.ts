import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createTestApp, expectProblem, issuedInvoice, ownerWithCompany, type TestApp } from "./helpers.js";
import { invitedAccountant, outbox } from "./access-helpers.js";
import { freePort, startSmtp, type TestSmtp } from "./smtp-server.js";
import { createMailer } from "../src/mail/mailer.js";
import { createDeps } from "../src/deps.js";
import { retryDueSendings } from "../src/services/invoice-sending-delivery.js";
import { DEMO_OWNER, seedDemo } from "../src/demo/seed.js";
import { startWorkers } from "../src/workers.js";

let servers: TestSmtp[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

/** An owner whose customer has an e-mail address, and one issued invoice of 36,04 € TTC due on 2026-12-02. */
async function ownerWithInvoice(t: TestApp) {
  const owner = await ownerWithCompany(t);
  await t.call("PATCH", `/companies/${owner.companyId}/customers/${owner.customerId}`, { token: owner.token, body: { email: "compta@boulangerie-dupont.fr" } });
  const invoice = await issuedInvoice(t, owner);
  return { owner, invoice, base: `/companies/${owner.companyId}/invoices/${invoice.id}` };
}

async function facturXBytes(t: TestApp, token: string, url: string): Promise<Buffer> {
  const res = await t.app.request(`/api/v1${url}/facturx.pdf`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

describe("sending an invoice by e-mail", () => {
  it("proposes the customer's address and the company's French template filled in, and the PDF's file name", async () => {
    const t = createTestApp();
    const { owner, invoice, base } = await ownerWithInvoice(t);
    const draft = await t.call("GET", `${base}/email-draft`, { token: owner.token });
    expect(draft.status).toBe(200);
    expect(draft.json).toEqual({
      to: ["compta@boulangerie-dupont.fr"],
      subject: `Facture ${invoice.number} — Atelier Test SARL`,
      message: `Bonjour,\n\nVeuillez trouver ci-joint la facture ${invoice.number} du 02/11/2026, d'un montant de 36,04\u00a0€ TTC, à régler au plus tard le 02/12/2026.\n\nNous restons à votre disposition pour toute question.\n\nCordialement,\nAtelier Test SARL`,
      attachmentName: `${invoice.number}.pdf`,
    });
  });

  it("writes one .eml to every recipient with the Factur-X PDF attached byte for byte as downloaded, and records the sending", async () => {
    const t = createTestApp();
    const { owner, invoice, base } = await ownerWithInvoice(t);
    const before = outbox(t.dataDir).length;
    const res = await t.call("POST", `${base}/sendings`, {
      token: owner.token,
      body: { to: ["compta@boulangerie-dupont.fr", " Marie.Dupont@Boulangerie-Dupont.fr "], subject: "Votre facture", message: "Bonjour,\n\nLa voici.\n\nAtelier Test" },
    });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      invoiceId: invoice.id,
      to: ["compta@boulangerie-dupont.fr", "marie.dupont@boulangerie-dupont.fr"],
      subject: "Votre facture",
      message: "Bonjour,\n\nLa voici.\n\nAtelier Test",
      attachmentName: `${invoice.number}.pdf`,
      status: "sent",
      attempts: 1,
      error: null,
      nextAttemptAt: null,
      createdAt: "2026-11-20T10:00:00.000Z",
      sentAt: "2026-11-20T10:00:00.000Z",
      sentBy: { id: owner.user.id, name: "Owner" },
    });
    expect(res.json.messageId).toBe(`<${res.json.id}@passerelle.localhost>`);

    const mails = outbox(t.dataDir);
    expect(mails).toHaveLength(before + 1);
    const mail = mails.at(-1)!;
    expect(mail.to).toBe("compta@boulangerie-dupont.fr, marie.dupont@boulangerie-dupont.fr");
    expect(mail.subject).toBe("Votre facture");
    expect(mail.headers.get("from")).toBe("Atelier Test SARL <no-reply@passerelle.localhost>");
    expect(mail.headers.get("reply-to")).toBe(owner.email);
    expect(mail.headers.get("message-id")).toBe(res.json.messageId);
    expect(mail.text).toBe("Bonjour,\n\nLa voici.\n\nAtelier Test\n");
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([[`${invoice.number}.pdf`, "application/pdf"]]);
    expect(mail.attachments[0]!.content.equals(await facturXBytes(t, owner.token, base))).toBe(true);

    const list = await t.call("GET", `${base}/sendings`, { token: owner.token });
    expect(list.json.items).toEqual([res.json]);
  });

  it("sends a credit note with its own template", async () => {
    const t = createTestApp();
    const { owner, invoice, base } = await ownerWithInvoice(t);
    const note = await t.call("POST", `${base}/credit-note`, { token: owner.token, body: {} });
    expect(note.status).toBe(201);
    const draft = await t.call("GET", `/companies/${owner.companyId}/invoices/${note.json.id}/email-draft`, { token: owner.token });
    expect(draft.json.subject).toBe(`Avoir ${note.json.number} — Atelier Test SARL`);
    expect(draft.json.message).toContain(`l'avoir ${note.json.number} du 20/11/2026, d'un montant de 36,04\u00a0€ TTC, qui corrige la facture ${invoice.number}.`);
    const sent = await t.call("POST", `/companies/${owner.companyId}/invoices/${note.json.id}/sendings`, { token: owner.token, body: { to: draft.json.to, subject: draft.json.subject, message: draft.json.message } });
    expect(sent.json).toMatchObject({ status: "sent", attachmentName: `${note.json.number}.pdf` });
    expect(outbox(t.dataDir).at(-1)!.attachments[0]!.content.equals(await facturXBytes(t, owner.token, `/companies/${owner.companyId}/invoices/${note.json.id}`))).toBe(true);
  });

  it("refuses a bad address naming its index, and records nothing", async () => {
    const t = createTestApp();
    const { owner, base } = await ownerWithInvoice(t);
    const before = outbox(t.dataDir).length;
    const bad = await t.call("POST", `${base}/sendings`, { token: owner.token, body: { to: ["compta@boulangerie-dupont.fr", "marie@"], subject: "s", message: "m" } });
    const problem = expectProblem(bad, 422, "to.1");
    expect(problem.errors).toEqual([{ path: "to.1", message: "must be an e-mail address" }]);
    const twice = await t.call("POST", `${base}/sendings`, { token: owner.token, body: { to: ["a@b.fr", "A@b.fr"], subject: "s", message: "m" } });
    expect(expectProblem(twice, 422, "to.1").errors).toEqual([{ path: "to.1", message: "is already a recipient" }]);
    expectProblem(await t.call("POST", `${base}/sendings`, { token: owner.token, body: { to: [], subject: "s", message: "m" } }), 422, "to");
    expectProblem(await t.call("POST", `${base}/sendings`, { token: owner.token, body: { to: ["a@b.fr"], subject: " ", message: "m" } }), 422, "subject");
    expect(outbox(t.dataDir)).toHaveLength(before);
    expect((await t.call("GET", `${base}/sendings`, { token: owner.token })).json.items).toEqual([]);
  });

  it("refuses a draft (409): it has no number nor Factur-X PDF yet", async () => {
    const t = createTestApp();
    const { owner } = await ownerWithInvoice(t);
    const draft = await t.call("POST", `/companies/${owner.companyId}/invoices`, { token: owner.token, body: { customerId: owner.customerId, lines: [{ description: "x", quantity: "1", unitPriceCents: 100, vatRateBp: 2000 }] } });
    const res = await t.call("POST", `/companies/${owner.companyId}/invoices/${draft.json.id}/sendings`, { token: owner.token, body: { to: ["a@b.fr"], subject: "s", message: "m" } });
    expectProblem(res, 409);
    expectProblem(await t.call("GET", `/companies/${owner.companyId}/invoices/${draft.json.id}/email-draft`, { token: owner.token }), 409);
  });

  it("lets the accountant read the sendings but not send", async () => {
    const t = createTestApp();
    const { owner, base } = await ownerWithInvoice(t);
    const sent = await t.call("POST", `${base}/sendings`, { token: owner.token, body: { to: ["compta@boulangerie-dupont.fr"], subject: "s", message: "m" } });
    const accountant = await invitedAccountant(t, owner);
    const list = await t.call("GET", `${base}/sendings`, { token: accountant.token });
    expect(list.status).toBe(200);
    expect(list.json.items).toEqual([sent.json]);
    expectProblem(await t.call("POST", `${base}/sendings`, { token: accountant.token, body: { to: ["a@b.fr"], subject: "s", message: "m" } }), 403);
  });

  it("hides another company's sendings (404)", async () => {
    const t = createTestApp();
    const { base } = await ownerWithInvoice(t);
    const other = await ownerWithCompany(t);
    expectProblem(await t.call("GET", `${base}/sendings`, { token: other.token }), 404);
  });
});

describe("the demo", () => {
  it("has three invoices in four sent to the customer on their issue date, and nothing in the outbox", async () => {
    const t = createTestApp();
    const demo = await seedDemo(t.deps, { invoices: 8 });
    const token = (await t.call("POST", "/auth/login", { body: { email: DEMO_OWNER.email, password: DEMO_OWNER.password } })).json.token as string;
    const invoices = (await t.call("GET", `/companies/${demo.companyId}/invoices?type=invoice&limit=100`, { token })).json.items as { id: string; number: string; issueDate: string }[];
    const byNumber = [...invoices].sort((a, b) => a.number.localeCompare(b.number));
    const sent = [];
    for (const invoice of byNumber) {
      const items = (await t.call("GET", `/companies/${demo.companyId}/invoices/${invoice.id}/sendings`, { token })).json.items;
      sent.push(items.length === 1 ? `${items[0].status} ${items[0].sentAt}` : String(items.length));
    }
    expect(sent).toEqual(byNumber.map((inv, i) => (i % 4 === 1 ? "0" : `sent ${inv.issueDate}T09:30:00.000Z`)));
    expect(outbox(t.dataDir)).toEqual([]);
  });
});

describe("the company's e-mail templates", () => {
  it("start from the French defaults; a saved template fills the next proposed e-mail", async () => {
    const t = createTestApp();
    const { owner, invoice, base } = await ownerWithInvoice(t);
    const templates = await t.call("GET", `/companies/${owner.companyId}/mail-templates`, { token: owner.token });
    expect(templates.json.items.map((i: { kind: string; subject: string; custom: boolean }) => [i.kind, i.subject, i.custom])).toEqual([
      ["invoice", "Facture {number} — {company}", false],
      ["credit_note", "Avoir {number} — {company}", false],
      ["quote", "Devis {number} — {company}", false],
      ["reminder_1", "Rappel : facture {number} — {company}", false],
      ["reminder_2", "Deuxième relance : facture {number} — {company}", false],
      ["reminder_3", "Mise en demeure de payer : facture {number} — {company}", false],
    ]);
    const saved = await t.call("PUT", `/companies/${owner.companyId}/mail-templates/invoice`, {
      token: owner.token,
      body: { subject: "Invoice {number} from {company}", body: "Dear {customer},\n\n{amount} due {dueDate}." },
    });
    expect(saved.json).toEqual({ kind: "invoice", subject: "Invoice {number} from {company}", body: "Dear {customer},\n\n{amount} due {dueDate}.", custom: true });
    const draft = await t.call("GET", `${base}/email-draft`, { token: owner.token });
    expect(draft.json.subject).toBe(`Invoice ${invoice.number} from Atelier Test SARL`);
    expect(draft.json.message).toBe("Dear Boulangerie Dupont,\n\n36,04\u00a0€ due 02/12/2026.");
  });

  it("refuse a placeholder that does not exist, naming the field, and change nothing", async () => {
    const t = createTestApp();
    const { owner } = await ownerWithInvoice(t);
    const res = await t.call("PUT", `/companies/${owner.companyId}/mail-templates/invoice`, { token: owner.token, body: { subject: "Facture {numero}", body: "ok" } });
    expect(expectProblem(res, 422, "subject").errors).toEqual([
      { path: "subject", message: "{numero} is not a placeholder; use {number}, {amount}, {issueDate}, {dueDate}, {company}, {customer}, {creditedNumber}, {amountDue}, {daysLate}, {penaltyRate}, {validUntil}" },
    ]);
    expectProblem(await t.call("PUT", `/companies/${owner.companyId}/mail-templates/reminder`, { token: owner.token, body: { subject: "s", body: "b" } }), 422, "kind");
    const templates = await t.call("GET", `/companies/${owner.companyId}/mail-templates`, { token: owner.token });
    expect(templates.json.items[0].custom).toBe(false);
  });

  it("are the owner's to change: the accountant reads them only", async () => {
    const t = createTestApp();
    const { owner } = await ownerWithInvoice(t);
    const accountant = await invitedAccountant(t, owner);
    expect((await t.call("GET", `/companies/${owner.companyId}/mail-templates`, { token: accountant.token })).status).toBe(200);
    expectProblem(await t.call("PUT", `/companies/${owner.companyId}/mail-templates/invoice`, { token: accountant.token, body: { subject: "s", body: "b" } }), 403);
  });
});

describe("mail server failures", () => {
  it("reports the failure, retries once the server is back, and never sends twice", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const t = createTestApp();
    const { owner, base } = await ownerWithInvoice(t);
    const port = await freePort();
    t.deps.mailer = createMailer({ ...t.deps.config, smtpUrl: `smtp://127.0.0.1:${port}` });
    const res = await t.call("POST", `${base}/sendings`, { token: owner.token, body: { to: ["compta@boulangerie-dupont.fr", "marie@boulangerie-dupont.fr"], subject: "Facture", message: "Bonjour" } });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({ status: "retrying", attempts: 1, sentAt: null, nextAttemptAt: "2026-11-20T10:01:00.000Z" });
    expect(res.json.error).toContain("ECONNREFUSED");

    t.clock.advance(59_000);
    expect(await retryDueSendings(t.deps)).toBe(0);

    const smtp = await startSmtp({ port });
    servers.push(smtp);
    t.clock.advance(1_000);
    expect(await retryDueSendings(t.deps)).toBe(1);
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.envelopeTo).toEqual(["compta@boulangerie-dupont.fr", "marie@boulangerie-dupont.fr"]);
    expect(smtp.messages[0]!.headers.get("message-id")).toBe(res.json.messageId);
    expect(smtp.messages[0]!.attachments[0]!.content.equals(await facturXBytes(t, owner.token, base))).toBe(true);
    const list = await t.call("GET", `${base}/sendings`, { token: owner.token });
    expect(list.json.items[0]).toMatchObject({ status: "sent", attempts: 2, error: null, nextAttemptAt: null, sentAt: "2026-11-20T10:01:00.000Z" });

    t.clock.advance(24 * 60 * 60_000);
    expect(await retryDueSendings(t.deps)).toBe(0);
    expect(smtp.messages).toHaveLength(1);
  });

  it("the running server's background work retries a due sending by itself", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const t = createTestApp();
    const { owner, base } = await ownerWithInvoice(t);
    const port = await freePort();
    t.deps.mailer = createMailer({ ...t.deps.config, smtpUrl: `smtp://127.0.0.1:${port}` });
    const res = await t.call("POST", `${base}/sendings`, { token: owner.token, body: { to: ["compta@boulangerie-dupont.fr"], subject: "Facture", message: "Bonjour" } });
    expect(res.json.status).toBe("retrying");
    const smtp = await startSmtp({ port });
    servers.push(smtp);
    t.clock.advance(60_000);
    const workers = startWorkers(t.deps, { pollMs: 100 });
    try {
      await vi.waitFor(() => expect(smtp.messages).toHaveLength(1), { timeout: 30_000, interval: 100 });
      await vi.waitFor(async () => expect((await t.call("GET", `${base}/sendings`, { token: owner.token })).json.items[0].status).toBe("sent"), { timeout: 10_000 });
    } finally {
      await workers.stop();
    }
    expect(smtp.messages).toHaveLength(1);
  });

  it("a recipient the server refuses while accepting the others: sent once to the others, the refusal kept, no retry", async () => {
    const t = createTestApp();
    const { owner, base } = await ownerWithInvoice(t);
    const smtp = await startSmtp({ rejectRecipient: (a) => (a === "parti@boulangerie-dupont.fr" ? "Mailbox unavailable" : null) });
    servers.push(smtp);
    t.deps.mailer = createMailer({ ...t.deps.config, smtpUrl: smtp.url });
    const res = await t.call("POST", `${base}/sendings`, { token: owner.token, body: { to: ["parti@boulangerie-dupont.fr", "compta@boulangerie-dupont.fr"], subject: "Facture", message: "Bonjour" } });
    expect(res.json).toMatchObject({ status: "sent", attempts: 1, error: "the mail server refused parti@boulangerie-dupont.fr", nextAttemptAt: null });
    expect(smtp.messages.map((m) => m.envelopeTo)).toEqual([["compta@boulangerie-dupont.fr"]]);
    t.clock.advance(60 * 60_000);
    expect(await retryDueSendings(t.deps)).toBe(0);
  });

  it("an attempt cut short is retried after its lease, by one process only when several share the database", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const file = path.join(fs.mkdtempSync(path.join(fs.realpathSync("/tmp"), "passerelle-sendings-")), "db.sqlite");
    const t = createTestApp({ config: { databasePath: file } });
    const { owner, base } = await ownerWithInvoice(t);
    const smtp = await startSmtp();
    servers.push(smtp);
    // the process that recorded the sending stopped before the mail server answered: the row stays claimed
    const id = "0190d0e0-0000-7000-8000-00000000000a";
    t.deps.db
      .prepare(
        `INSERT INTO invoice_sendings (id, company_id, invoice_id, recipients_json, subject, message, attachment_name, message_id, sent_by, created_at, status, claim, lease_until)
         SELECT ?, company_id, id, '["compta@boulangerie-dupont.fr"]', 'Facture', 'Bonjour', number || '.pdf', '<cut-short@passerelle.localhost>', ?, ?, 'sending', 'gone', ?
         FROM invoices WHERE id = ?`,
      )
      .run(id, owner.user.id, "2026-11-20T10:00:00.000Z", "2026-11-20T10:05:00.000Z", base.split("/").at(-1));

    // two API processes on the same database file, each with its own connection and mailer
    const processes = [0, 1].map(() => createDeps(t.deps.config, { clock: t.clock, mailer: createMailer({ ...t.deps.config, smtpUrl: smtp.url }) }));
    t.clock.advance(4 * 60_000);
    expect(await Promise.all(processes.map((d) => retryDueSendings(d)))).toEqual([0, 0]);
    t.clock.advance(60_000);
    const attempted = await Promise.all(processes.map((d) => retryDueSendings(d)));
    expect(attempted.sort()).toEqual([0, 1]);
    expect(smtp.messages).toHaveLength(1);
    expect(smtp.messages[0]!.headers.get("message-id")).toBe("<cut-short@passerelle.localhost>");
    const list = await t.call("GET", `${base}/sendings`, { token: owner.token });
    expect(list.json.items[0]).toMatchObject({ id, status: "sent", attempts: 1, sentAt: "2026-11-20T10:05:00.000Z" });
    for (const d of processes) {
      await d.renders.close();
      d.db.close();
    }
  });
});
