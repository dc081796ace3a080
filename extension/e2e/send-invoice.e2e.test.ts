/**
 * Sending an invoice to the customer by e-mail from the invoicing view of the built extension, in
 * Chromium, against the real API (no SMTP_URL: messages land in the server's outbox): the owner
 * switches the company's invoice e-mail to the English template in the settings, opens an issued
 * invoice, finds the customer's address and that template filled in, adds a second recipient and
 * sends; the invoice says "Envoyée le … à …". The `.eml` in the outbox goes to both recipients, and
 * its attachment is byte for byte the invoice's Factur-X PDF, under the name the PDF download has.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page, Worker } from "playwright-core";
import type { Invoice } from "@passerelle/shared";
import { DEFAULT_MAIL_TEMPLATES } from "@passerelle/shared/mail-templates";
import { PasserelleClient } from "@passerelle/shared/client";
import { formatDateFr, formatEuros } from "@passerelle/shared/format";
import { todayIn } from "@passerelle/shared/dates";
import { startApi, type ApiServer } from "./servers";
import { buildExtension, repoRoot } from "./chromium";
import { openExtension, signInAndOpenApp } from "./session";
import { catalogs } from "../test/i18n-fake";
import { parseMail } from "../../api/test/mime";
import { frenchShot } from "./french";

const OWNER = { email: "owner@demo.passerelle.fr", password: "demo-passerelle-2026" };
const LONG = 90_000;
const CUSTOMER_EMAIL = "compta@librairie-des-pentes.fr";
const SECOND = "direction@librairie-des-pentes.fr";

let api: ApiServer;
let build: Awaited<ReturnType<typeof buildExtension>>;
let context: BrowserContext;
let worker: Worker;
let extensionId: string;
let userDataDir: string;
let owner: PasserelleClient;
let companyId: string;
let companyName: string;
let invoice: Invoice;
let app: Page;
let ui: (key: keyof typeof catalogs.fr, ...subs: (string | number)[]) => string;

const screenshots = path.join(repoRoot, "test-output", "extension-send");
const extensionUrl = (page: string) => `chrome-extension://${extensionId}/${page}`;
const shot = frenchShot(screenshots);
const exact = { exact: true } as const;

beforeAll(async () => {
  fs.mkdirSync(screenshots, { recursive: true });
  build = await buildExtension();
  api = await startApi(repoRoot);
  owner = new PasserelleClient({ baseUrl: api.url });
  await owner.login(OWNER);
  companyId = (await owner.me()).memberships.find((m) => m.role === "owner")!.companyId;
  companyName = (await owner.getCompany(companyId)).name;
  const customer = await owner.createCustomer(companyId, { name: "Librairie des Pentes", address: "4 montée de la Grande-Côte, 69001 Lyon", email: CUSTOMER_EMAIL });
  const today = todayIn("Europe/Paris", new Date());
  const draft = await owner.createDraft(companyId, {
    customerId: customer.id,
    lines: [{ description: "Conseil en éclairage de vitrine", quantity: "2", unitPriceCents: 18_000, vatRateBp: 2000, kind: "services" }],
  });
  invoice = await owner.issueInvoice(companyId, draft.id, today);

  ({ context, worker, extensionId, userDataDir, ui } = await openExtension(build.dist, api.url, "send", LONG));
}, 300_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await api?.stop();
  build?.remove();
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
});

describe("sending an invoice by e-mail, in Chromium", () => {
  it("signs in from the popup and opens the invoicing view", async () => {
    app = await signInAndOpenApp({ context, worker, extensionId, userDataDir, ui }, OWNER);
  });

  it("switches the invoice e-mail to the English template in the company settings", async () => {
    await app.goto(extensionUrl("app.html#/company"));
    const templates = app.getByTestId("mail-templates");
    const invoiceTemplate = templates.locator('fieldset[data-kind="invoice"]');
    await invoiceTemplate.getByRole("button", { name: ui("appUseEnglishTemplate") }).click();
    expect(await invoiceTemplate.getByLabel(ui("appEmailSubject"), exact).inputValue()).toBe(DEFAULT_MAIL_TEMPLATES.en.invoice.subject);
    await shot(app, "00-mail-templates");
    await templates.getByRole("button", { name: ui("appSaveMailTemplates") }).click();
    await expect.poll(() => app.getByTestId("flash").textContent(), { timeout: LONG }).toContain(ui("appMailTemplatesSaved"));
    const saved = (await owner.mailTemplates(companyId)).items.find((t) => t.kind === "invoice")!;
    expect(saved).toEqual({ kind: "invoice", ...DEFAULT_MAIL_TEMPLATES.en.invoice, custom: true });
  });

  it("sends the invoice to the customer and a second address from the invoice screen", async () => {
    await app.goto(extensionUrl(`app.html#/invoices/${invoice.id}`));
    await app.getByTestId("invoice-number").waitFor();
    await app.getByText(ui("appNoSendings")).waitFor();
    await app.getByRole("button", { name: ui("appSendByEmail") }).click();
    const form = app.getByTestId("send-form");
    const to = form.getByTestId("send-to");
    await expect.poll(() => to.inputValue(), { timeout: LONG }).toBe(CUSTOMER_EMAIL);
    expect(await form.getByTestId("send-subject").inputValue()).toBe(`Invoice ${invoice.number} — ${companyName}`);
    expect(await form.getByLabel(ui("appEmailMessage"), exact).inputValue()).toContain(`for ${formatEuros(invoice.totals.ttcCents)} including VAT, due by ${formatDateFr(invoice.dueDate!)}.`);
    expect(await form.getByTestId("send-attachment").textContent()).toBe(ui("appEmailAttachment", `${invoice.number}.pdf`));
    await shot(app, "01-send-form");

    // a typing slip is caught before anything is sent
    await to.fill(`${CUSTOMER_EMAIL}, direction@`);
    await form.getByRole("button", { name: ui("appSendNow") }).click();
    await form.getByText(ui("appRecipientInvalid", "direction@")).waitFor();
    expect(await owner.listInvoiceSendings(companyId, invoice.id)).toEqual({ items: [] });

    await to.fill(`${CUSTOMER_EMAIL}, ${SECOND}`);
    await form.getByRole("button", { name: ui("appSendNow") }).click();
    const recipients = `${CUSTOMER_EMAIL}, ${SECOND}`;
    await expect.poll(() => app.getByTestId("flash").textContent(), { timeout: LONG }).toContain(ui("appEmailSent", recipients));
    const today = todayIn("Europe/Paris", new Date());
    await expect.poll(() => app.getByTestId("sent-on").textContent(), { timeout: LONG }).toBe(ui("appInvoiceSentOn", formatDateFr(today), recipients));
    expect(await app.getByTestId("sending-list").locator("tbody tr").count()).toBe(1);
    expect(await app.getByTestId("sending-list").locator("tbody tr").getAttribute("data-status")).toBe("sent");
    await shot(app, "02-sent");
  });

  it("the outbox holds the e-mail, to both recipients, with the Factur-X PDF attached under the download's name", async () => {
    const [sending] = (await owner.listInvoiceSendings(companyId, invoice.id)).items;
    expect(sending).toMatchObject({ status: "sent", to: [CUSTOMER_EMAIL, SECOND], attempts: 1 });
    const outbox = path.join(api.dataDir, "outbox");
    const mails = fs
      .readdirSync(outbox)
      .filter((f) => f.endsWith(".eml"))
      .map((f) => parseMail(fs.readFileSync(path.join(outbox, f), "utf8")))
      .filter((m) => m.headers.get("message-id") === sending!.messageId);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.to).toBe(`${CUSTOMER_EMAIL}, ${SECOND}`);
    expect(mail.subject).toBe(`Invoice ${invoice.number} — ${companyName}`);
    expect(mail.headers.get("reply-to")).toBe(OWNER.email);

    const download = app.waitForEvent("download");
    await app.getByRole("button", { name: ui("appDownloadPdf") }).click();
    const downloaded = await download;
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([[downloaded.suggestedFilename(), "application/pdf"]]);
    const facturX = Buffer.from(await (await owner.invoiceFacturXPdf(companyId, invoice.id)).arrayBuffer());
    expect(mail.attachments[0]!.content.equals(facturX)).toBe(true);
  });
});
