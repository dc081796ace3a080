import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createTestApp, expectProblem, issuedInvoice, ownerWithCompany, type TestApp } from "./helpers.js";
import { outbox } from "./access-helpers.js";
import { startSmtp, type TestSmtp } from "./smtp-server.js";
import { createDeps } from "../src/deps.js";
import { createMailer } from "../src/mail/mailer.js";
import { sendDueReminders } from "../src/services/reminder-schedule.js";
import { recordAutomaticReminder } from "../src/services/invoice-sendings.js";
import { startWorkers } from "../src/workers.js";
import { UNIQUE_REFUSAL } from "../src/db/errors.js";

let servers: TestSmtp[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

/** Ten days after the first invoice's due date. */
const NOW = "2026-12-12T10:00:00Z";

/** Invoices due 2026-12-02 (36,04 €) and 2026-12-05 (149,60 €), and one due 2026-12-06 paid; the customer has an e-mail address. */
async function ownerWithInvoices(t: TestApp) {
  const owner = await ownerWithCompany(t);
  await t.call("PATCH", `/companies/${owner.companyId}/customers/${owner.customerId}`, { token: owner.token, body: { email: "compta@boulangerie-dupont.fr" } });
  const first = await issuedInvoice(t, owner, "2026-11-02");
  const second = await issuedInvoice(t, owner, "2026-11-05", [{ description: "Pose", quantity: "2", unitPriceCents: 6800, vatRateBp: 1000, kind: "services" }]);
  const paid = await issuedInvoice(t, owner, "2026-11-06");
  await t.call("POST", `/companies/${owner.companyId}/payments`, { token: owner.token, body: { invoiceId: paid.id, amountCents: 3604, date: "2026-11-19", method: "transfer" } });
  return { owner, first, second, paid, company: `/companies/${owner.companyId}` };
}

async function turnOn(t: TestApp, o: { token: string; companyId: string }, days = [7, 21, 45]) {
  const res = await t.call("PUT", `/companies/${o.companyId}/reminder-settings`, { token: o.token, body: { automatic: true, days } });
  expect(res.status).toBe(200);
  return res.json;
}

/** The recorded reminders: invoice, level, automatic, status. */
function reminders(t: TestApp) {
  return t.deps.db
    .prepare("SELECT invoice_id AS invoiceId, reminder_level AS level, automatic, status, created_at AS at FROM invoice_sendings WHERE reminder_level IS NOT NULL ORDER BY created_at, reminder_level, invoice_id")
    .all();
}

describe("the reminder settings", () => {
  it("start off at D+7, D+21 and D+45; the owner turns them on, and who did is kept", async () => {
    const t = createTestApp({ now: NOW });
    const { owner, company } = await ownerWithInvoices(t);
    expect((await t.call("GET", `${company}/reminder-settings`, { token: owner.token })).json).toEqual({ automatic: false, days: [7, 21, 45], updatedBy: null, updatedAt: null });
    expect(await turnOn(t, owner, [10, 30, 60])).toEqual({ automatic: true, days: [10, 30, 60], updatedBy: { id: owner.user.id, name: "Owner" }, updatedAt: "2026-12-12T10:00:00.000Z" });
  });

  it("refuse days out of order, naming the level, and change nothing", async () => {
    const t = createTestApp({ now: NOW });
    const { owner, company } = await ownerWithInvoices(t);
    const res = await t.call("PUT", `${company}/reminder-settings`, { token: owner.token, body: { automatic: true, days: [7, 7, 45] } });
    expect(expectProblem(res, 422, "days.1").errors).toEqual([{ path: "days.1", message: "must come after the previous level's day" }]);
    expectProblem(await t.call("PUT", `${company}/reminder-settings`, { token: owner.token, body: { automatic: true, days: [0, 21, 45] } }), 422, "days.0");
    expect((await t.call("GET", `${company}/reminder-settings`, { token: owner.token })).json.automatic).toBe(false);
  });
});

describe("automatic reminders", () => {
  it("send nothing while they are off", async () => {
    const t = createTestApp({ now: NOW });
    await ownerWithInvoices(t);
    expect(await sendDueReminders(t.deps)).toBe(0);
    expect(reminders(t)).toEqual([]);
  });

  it("send the first level once its day has come, once, then the next level on its day", async () => {
    const t = createTestApp({ now: "2026-12-08T10:00:00Z" });
    const { owner, first, second } = await ownerWithInvoices(t);
    await turnOn(t, owner);
    const before = outbox(t.dataDir).length;
    // 6 and 3 days late: nothing yet
    expect(await sendDueReminders(t.deps)).toBe(0);

    t.clock.set(NOW); // 10 and 7 days late
    expect(await sendDueReminders(t.deps)).toBe(2);
    expect(await sendDueReminders(t.deps)).toBe(0);
    expect(reminders(t)).toEqual([
      { invoiceId: first.id, level: 1, automatic: 1, status: "sent", at: "2026-12-12T10:00:00.000Z" },
      { invoiceId: second.id, level: 1, automatic: 1, status: "sent", at: "2026-12-12T10:00:00.000Z" },
    ]);
    const mails = outbox(t.dataDir).slice(before);
    expect(mails.map((m) => [m.subject, m.to, m.headers.get("reply-to")])).toEqual([
      [`Rappel : facture ${first.number} — Atelier Test SARL`, "compta@boulangerie-dupont.fr", owner.email],
      [`Rappel : facture ${second.number} — Atelier Test SARL`, "compta@boulangerie-dupont.fr", owner.email],
    ]);
    expect(mails[0]!.attachments.map((a: { filename: string }) => a.filename)).toEqual([`${first.number}.pdf`]);

    t.clock.set("2026-12-23T10:00:00Z"); // 21 and 18 days late
    expect(await sendDueReminders(t.deps)).toBe(1);
    expect(reminders(t).at(-1)).toEqual({ invoiceId: first.id, level: 2, automatic: 1, status: "sent", at: "2026-12-23T10:00:00.000Z" });
    expect(outbox(t.dataDir).at(-1)!.subject).toBe(`Deuxième relance : facture ${first.number} — Atelier Test SARL`);
  });

  it("send an invoice already past the formal notice's day the formal notice only", async () => {
    const t = createTestApp({ now: "2027-01-20T10:00:00Z" });
    const { owner, first } = await ownerWithInvoices(t);
    await turnOn(t, owner); // 49 and 46 days late
    expect(await sendDueReminders(t.deps)).toBe(2);
    expect(reminders(t).map((r: any) => [r.invoiceId, r.level])).toEqual([
      [first.id, 3],
      [expect.any(String), 3],
    ]);
    expect(outbox(t.dataDir).at(-2)!.text).toContain("l'indemnité forfaitaire pour frais de recouvrement de 40 €");
  });

  it("skip a disputed invoice until the dispute is lifted, a paid or credited one, and a customer without e-mail", async () => {
    const t = createTestApp({ now: NOW });
    const { owner, first, second, company } = await ownerWithInvoices(t);
    await t.call("PUT", `${company}/invoices/${first.id}/dispute`, { token: owner.token, body: { disputed: true, reason: "Contesté" } });
    await t.call("POST", `${company}/invoices/${second.id}/credit-note`, { token: owner.token, body: {} });
    const other = await t.call("POST", `${company}/customers`, { token: owner.token, body: { name: "Sans adresse SARL", address: "1 rue Neuve, 69003 Lyon" } });
    await issuedInvoice(t, { ...owner, customerId: other.json.id }, "2026-11-06");
    await turnOn(t, owner);
    expect(await sendDueReminders(t.deps)).toBe(0);
    await t.call("PUT", `${company}/invoices/${first.id}/dispute`, { token: owner.token, body: { disputed: false } });
    expect(await sendDueReminders(t.deps)).toBe(1);
    expect(reminders(t).map((r: any) => [r.invoiceId, r.level])).toEqual([[first.id, 1]]);
  });

  it("are recorded once per level and invoice by the database: a second record of the same level records nothing", async () => {
    const t = createTestApp({ now: NOW });
    const { owner, first } = await ownerWithInvoices(t);
    const ctx = { db: t.deps.db, clock: t.deps.clock, config: t.deps.config, actorId: owner.user.id };
    const lease = new Date("2026-12-12T10:05:00Z");
    expect(recordAutomaticReminder(ctx, owner.companyId, first.id, 1, "2026-12-12", "a", lease)).toEqual(expect.any(String));
    expect(recordAutomaticReminder(ctx, owner.companyId, first.id, 1, "2026-12-12", "b", lease)).toBeNull();
    expect(() =>
      t.deps.db
        .prepare("INSERT INTO invoice_sendings (id, company_id, invoice_id, recipients_json, subject, message, attachment_name, message_id, sent_by, created_at, status, reminder_level, automatic) SELECT 'x', company_id, invoice_id, recipients_json, subject, message, attachment_name, '<x@x>', sent_by, created_at, 'sending', 1, 1 FROM invoice_sendings")
        .run(),
    ).toThrow(UNIQUE_REFUSAL);
  });

  it("are sent once when several processes share the database, and not again after a restart", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const file = path.join(fs.mkdtempSync(path.join(fs.realpathSync("/tmp"), "passerelle-reminders-")), "db.sqlite");
    const t = createTestApp({ now: NOW, config: { databasePath: file } });
    const { owner } = await ownerWithInvoices(t);
    await turnOn(t, owner);
    const smtp = await startSmtp();
    servers.push(smtp);
    const start = () => createDeps(t.deps.config, { clock: t.clock, mailer: createMailer({ ...t.deps.config, smtpUrl: smtp.url }) });
    const processes = [start(), start()];
    const recorded = await Promise.all(processes.map((d) => sendDueReminders(d)));
    expect(recorded[0]! + recorded[1]!).toBe(2);
    expect(smtp.messages).toHaveLength(2);

    // the running servers' background work, stopped and started again on the same database
    for (const d of processes) {
      const workers = startWorkers(d, { pollMs: 50 });
      await new Promise((r) => setTimeout(r, 300));
      await workers.stop();
      await d.renders.close();
      d.db.close();
    }
    const restarted = start();
    const workers = startWorkers(restarted, { pollMs: 50 });
    await new Promise((r) => setTimeout(r, 300));
    await workers.stop();
    await restarted.renders.close();
    restarted.db.close();
    expect(smtp.messages).toHaveLength(2);
    expect(reminders(t)).toHaveLength(2);
  });

  it("are sent by the running server's background work by itself", async () => {
    const t = createTestApp({ now: NOW });
    const { owner } = await ownerWithInvoices(t);
    await turnOn(t, owner);
    const smtp = await startSmtp();
    servers.push(smtp);
    t.deps.mailer = createMailer({ ...t.deps.config, smtpUrl: smtp.url });
    const workers = startWorkers(t.deps, { pollMs: 100 });
    try {
      await vi.waitFor(() => expect(smtp.messages).toHaveLength(2), { timeout: 30_000, interval: 100 });
    } finally {
      await workers.stop();
    }
    expect(reminders(t).map((r: any) => r.status)).toEqual(["sent", "sent"]);
  });
});
