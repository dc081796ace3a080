/**
 * Automatic reminders in Chromium against the real API, with the server's clock moved on
 * (`PASSERELLE_NOW`): the owner turns them on for a company in the invoicing view; the API is
 * restarted 38 days later, 8 days past the invoice's due date, and its background work sends the
 * courtesy reminder by itself, with the invoice's PDF; restarted once more, it sends nothing again.
 * The invoicing view lists the invoice under "En retard" with that reminder, and the invoice shows it
 * among its sendings.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page, Worker } from "playwright-core";
import type { Invoice } from "@passerelle/shared";
import { PasserelleClient } from "@passerelle/shared/client";
import { addDays, todayIn } from "@passerelle/shared/dates";
import { formatDateFr, formatEuros } from "@passerelle/shared/format";
import type { browser as ExtensionApi } from "wxt/browser";
import { freePort, startApi, waitFor, type ApiServer } from "./servers";
import { buildExtension, repoRoot } from "./chromium";
import { openExtension } from "./session";
import { catalogs } from "../test/i18n-fake";
import { parseMail } from "../../api/test/mime";
import { frenchShot } from "./french";

declare const chrome: typeof ExtensionApi;

const OWNER = { email: "owner@demo.passerelle.fr", password: "demo-passerelle-2026" };
const LONG = 90_000;
const CUSTOMER_EMAIL = "compta@quincaillerie-croix-rousse.fr";
const DAY = 86_400_000;
// sessions outlive the days the clock is moved on
const ENV = { SESSION_TTL_HOURS: "2400" };

let api: ApiServer;
let port: number;
let build: Awaited<ReturnType<typeof buildExtension>>;
let context: BrowserContext;
let worker: Worker;
let extensionId: string;
let userDataDir: string;
let owner: PasserelleClient;
let companyId: string;
let invoice: Invoice;
let app: Page;
let ui: (key: keyof typeof catalogs.fr, ...subs: (string | number)[]) => string;
/** 38 days from now: 8 days past the invoice's due date (30 days' payment terms). */
const later = new Date(Date.now() + 38 * DAY).toISOString();

const screenshots = path.join(repoRoot, "test-output", "extension-reminders");
const extensionUrl = (page: string) => `chrome-extension://${extensionId}/${page}`;
const shot = frenchShot(screenshots);

/** The reminders of the invoice in the server's outbox. */
function reminderMails() {
  const outbox = path.join(api.dataDir, "outbox");
  if (!fs.existsSync(outbox)) return [];
  return fs
    .readdirSync(outbox)
    .filter((f) => f.endsWith(".eml"))
    .map((f) => parseMail(fs.readFileSync(path.join(outbox, f), "utf8")))
    .filter((m) => m.subject.includes(`facture ${invoice.number} — Quincaillerie`));
}

async function restartAt(now: string) {
  await api.stop({ keepData: true });
  api = await startApi(repoRoot, { dataDir: api.dataDir, port, env: { ...ENV, PASSERELLE_NOW: now } });
}

beforeAll(async () => {
  fs.mkdirSync(screenshots, { recursive: true });
  build = await buildExtension();
  port = await freePort();
  api = await startApi(repoRoot, { port, env: ENV });
  owner = new PasserelleClient({ baseUrl: api.url });
  await owner.login(OWNER);
  // a company of its own: the demo company's overdue invoices are not reminded
  const company = await owner.createCompany({
    name: "Quincaillerie de la Croix-Rousse SAS",
    siren: "401234562",
    vatNumber: "FR46401234562",
    address: { line1: "12 grande rue de la Croix-Rousse", postalCode: "69004", city: "Lyon", country: "FR" },
    legalForm: "SAS",
    capital: "5 000 €",
    rcsCity: "Lyon",
    fiscalYearStart: "01-01",
  });
  companyId = company.id;
  const customer = await owner.createCustomer(companyId, { name: "Atelier des Canuts", address: "8 rue d'Austerlitz, 69004 Lyon", email: CUSTOMER_EMAIL });
  const draft = await owner.createDraft(companyId, {
    customerId: customer.id,
    lines: [{ description: "Visserie inox, lot de 500", quantity: "3", unitPriceCents: 4_250, vatRateBp: 2000, kind: "goods" }],
  });
  invoice = await owner.issueInvoice(companyId, draft.id, todayIn("Europe/Paris", new Date()));

  ({ context, worker, extensionId, userDataDir, ui } = await openExtension(build.dist, api.url, "reminders", LONG));
}, 300_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await api?.stop();
  build?.remove();
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
});

describe("automatic reminders, in Chromium", () => {
  it("the owner turns on automatic reminders for the company in the invoicing view", async () => {
    const opened = context.waitForEvent("page", { predicate: (p) => p.url().startsWith(extensionUrl("popup.html")) });
    await worker.evaluate(async () => {
      await chrome.windows.create({ url: chrome.runtime.getURL("/popup.html"), type: "popup", width: 380, height: 600 });
    });
    const popup = await opened;
    await popup.getByLabel(ui("email")).fill(OWNER.email);
    await popup.getByLabel(ui("password")).fill(OWNER.password);
    await popup.getByRole("button", { name: ui("signIn") }).click();
    await popup.getByRole("button", { name: ui("appOpen"), exact: true }).waitFor();
    await popup.close().catch(() => undefined);
    await worker.evaluate(async (id) => chrome.storage.local.set({ companyId: id }), companyId);

    app = await context.newPage();
    await app.setViewportSize({ width: 1280, height: 900 });
    await app.goto(extensionUrl("app.html#/company"));
    const form = app.getByTestId("reminder-settings");
    await form.getByLabel(ui("appAutomaticReminders")).check();
    await form.getByRole("button", { name: ui("appSaveReminderSettings") }).click();
    await form.getByText(ui("appRemindersSentAs", "Claire Martin")).waitFor();
    await expect.poll(async () => (await owner.reminderSettings(companyId)).automatic, { timeout: LONG }).toBe(true);
    expect((await owner.reminderSettings(companyId)).days).toEqual([7, 21, 45]);
    await shot(app, "00-reminder-settings");
  });

  it("38 days later the server sends the courtesy reminder by itself, with the PDF, and not again after a restart", async () => {
    expect(reminderMails()).toHaveLength(0);
    await restartAt(later);
    const mails = await waitFor("the reminder in the outbox", async () => (reminderMails().length > 0 ? reminderMails() : undefined), LONG);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe(`Rappel : facture ${invoice.number} — Quincaillerie de la Croix-Rousse SAS`);
    expect(mails[0]!.to).toBe(CUSTOMER_EMAIL);
    expect(mails[0]!.text).toContain(`reste à régler pour ${formatEuros(invoice.totals.ttcCents)}`);
    expect(mails[0]!.attachments.map((a: { filename: string }) => a.filename)).toEqual([`${invoice.number}.pdf`]);

    await restartAt(new Date(Date.parse(later) + 60_000).toISOString());
    // the background work's first pass runs as the server starts; give it time to do anything it would
    await new Promise((r) => setTimeout(r, 5_000));
    expect(reminderMails()).toHaveLength(1);
    const sendings = (await owner.listInvoiceSendings(companyId, invoice.id)).items;
    expect(sendings.map((s) => [s.reminderLevel, s.automatic, s.status])).toEqual([[1, true, "sent"]]);
  });

  it("the invoicing view lists the invoice under 'En retard' with its reminder, and the invoice shows it", async () => {
    await app.goto(extensionUrl("app.html#/invoices?status=overdue"));
    const table = app.getByTestId("overdue-table");
    const row = table.locator("tbody tr", { hasText: invoice.number! });
    await row.waitFor();
    const sentDay = formatDateFr(todayIn("Europe/Paris", new Date(later)));
    expect(await row.locator("td").allTextContents()).toEqual([
      invoice.number,
      "Atelier des Canuts",
      formatDateFr(invoice.dueDate!),
      ui("appDaysCount", 8),
      formatEuros(invoice.totals.ttcCents),
      ui("appLastReminderAutomatic", 1, sentDay),
    ]);
    expect(invoice.dueDate).toBe(addDays(invoice.issueDate!, 30));
    await shot(app, "01-overdue-list");
    await row.getByRole("link", { name: invoice.number! }).click();
    const sendings = app.getByTestId("sending-list");
    await sendings.waitFor();
    expect(await sendings.locator("tbody tr td").nth(1).textContent()).toBe(ui("appReminderSentAutomatic", 1));
    await shot(app, "02-invoice-reminder");
  });
});
