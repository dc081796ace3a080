/**
 * Quotes from the invoicing view of the built extension, in Chromium, against the real API (no
 * SMTP_URL: messages land in the server's outbox): the owner picks "Devis" in the list's type
 * filter, drafts a quote, issues it (D<year>-00001…), sends it by e-mail (the `.eml` in the outbox
 * carries the quote's PDF, byte for byte the download), records the customer's acceptance and turns
 * the quote into a draft invoice with the same lines, the quote keeping the link.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page, Worker } from "playwright-core";
import type { Customer, Quote } from "@passerelle/shared";
import { PasserelleClient } from "@passerelle/shared/client";
import { addDays, todayIn } from "@passerelle/shared/dates";
import { formatDateFr, formatEuros } from "@passerelle/shared/format";
import { startApi, type ApiServer } from "./servers";
import { buildExtension, repoRoot } from "./chromium";
import { openExtension, signInAndOpenApp } from "./session";
import { catalogs } from "../test/i18n-fake";
import { parseMail } from "../../api/test/mime";
import { frenchShot } from "./french";

const OWNER = { email: "owner@demo.passerelle.fr", password: "demo-passerelle-2026" };
const LONG = 90_000;
const CUSTOMER_EMAIL = "contact@cave-des-canuts.fr";

let api: ApiServer;
let build: Awaited<ReturnType<typeof buildExtension>>;
let context: BrowserContext;
let worker: Worker;
let extensionId: string;
let userDataDir: string;
let owner: PasserelleClient;
let companyId: string;
let companyName: string;
let customer: Customer;
let quote: Quote;
let app: Page;
let ui: (key: keyof typeof catalogs.fr, ...subs: (string | number)[]) => string;

const screenshots = path.join(repoRoot, "test-output", "extension-quotes");
const extensionUrl = (page: string) => `chrome-extension://${extensionId}/${page}`;
const shot = frenchShot(screenshots);
const exact = { exact: true } as const;
const today = () => todayIn("Europe/Paris", new Date());

beforeAll(async () => {
  fs.mkdirSync(screenshots, { recursive: true });
  build = await buildExtension();
  api = await startApi(repoRoot);
  owner = new PasserelleClient({ baseUrl: api.url });
  await owner.login(OWNER);
  companyId = (await owner.me()).memberships.find((m) => m.role === "owner")!.companyId;
  companyName = (await owner.getCompany(companyId)).name;
  customer = await owner.createCustomer(companyId, { name: "Cave des Canuts", address: "12 rue d'Austerlitz, 69004 Lyon", email: CUSTOMER_EMAIL });

  ({ context, worker, extensionId, userDataDir, ui } = await openExtension(build.dist, api.url, "quotes", LONG));
}, 300_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await api?.stop();
  build?.remove();
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
});

describe("quotes in the invoicing view, in Chromium", () => {
  it("signs in from the popup and opens the invoicing view", async () => {
    app = await signInAndOpenApp({ context, worker, extensionId, userDataDir, ui }, OWNER);
    // the quotes are under the invoice list's type filter
    await app.goto(extensionUrl("app.html#/invoices"));
    await app.getByTestId("invoice-table").waitFor();
  });

  it("finds quotes under the list's type filter, and drafts one with two lines at two rates", async () => {
    await app.getByLabel(ui("appType"), exact).selectOption("quote");
    await app.getByRole("heading", { name: ui("appQuotes") }).waitFor();
    expect(app.url()).toContain("#/quotes");
    await app.getByText(ui("appNoQuotes")).waitFor();
    await app.getByRole("link", { name: ui("appNewQuote") }).click();
    await app.getByRole("heading", { name: ui("appNewQuote") }).waitFor();
    const customerSelect = app.getByLabel(ui("appCustomer"), exact);
    await expect.poll(() => customerSelect.locator("option").allTextContents(), { timeout: LONG }).toContain(`${customer.name} (${customer.code})`);
    await customerSelect.selectOption(customer.id);
    // a quote has its validity date where an invoice has its due date, and no delivery part
    expect(await app.getByLabel(ui("appDueDate"), exact).count()).toBe(0);
    await app.getByLabel(ui("appValidUntil"), exact).fill(addDays(today(), 45));
    const field = (name: Parameters<typeof ui>[0], line: number) => app.getByLabel(ui("appLineField", ui(name), line), exact);
    await field("appDescription", 1).fill("Dépose et pose de 12 suspensions");
    await field("appQuantity", 1).fill("12");
    await field("appUnitPriceHt", 1).fill("45,50");
    await field("appVatRate", 1).selectOption("1000");
    await field("appQuantity", 1).press("Enter");
    await field("appDescription", 2).fill("Suspension laiton");
    await field("appQuantity", 2).fill("3");
    await field("appUnitPriceHt", 2).fill("189,00");
    await field("appDiscount", 2).fill("10,00");
    // a new line starts at the rate of the one before: this one is at 20 %
    await field("appVatRate", 2).selectOption("2000");
    expect(await app.getByTestId("line-net").allTextContents()).toEqual([formatEuros(54_600), formatEuros(55_700)]);
    await app.getByRole("button", { name: ui("appSaveDraft") }).click();
    await expect.poll(() => app.getByTestId("flash").textContent(), { timeout: LONG }).toContain(ui("appQuoteDraftCreated", formatEuros(126_900)));
    const drafts = (await owner.listQuotes(companyId, { customerId: customer.id })).items;
    expect(drafts.map((q) => [q.status, q.number, q.validUntil, q.totals.htCents, q.totals.vatCents, q.totals.ttcCents])).toEqual([["draft", null, addDays(today(), 45), 110_300, 16_600, 126_900]]);
    await shot(app, "01-quote-draft");
  });

  it("issues the quote: it takes the next number of the quote series", async () => {
    await app.getByRole("button", { name: ui("appQuoteIssue") }).click();
    const dialog = app.getByRole("alertdialog", { name: ui("appQuoteIssueTitle") });
    expect(await dialog.textContent()).toContain(ui("appQuoteIssueWarning"));
    await dialog.getByLabel(ui("appIssueDate"), exact).fill(today());
    await dialog.getByRole("button", { name: ui("appIssueConfirm") }).click();
    const number = app.getByTestId("quote-number");
    await number.waitFor();
    quote = (await owner.listQuotes(companyId, { customerId: customer.id })).items[0]!;
    expect(quote.number).toBe(`D${today().slice(0, 4)}-00001`);
    expect(await number.textContent()).toBe(ui("appQuoteNumber", quote.number!));
    expect(await app.getByTestId("valid-until").textContent()).toBe(formatDateFr(addDays(today(), 45)));
    expect(await app.getByTestId("flash").textContent()).toContain(ui("appQuoteIssued", quote.number!, formatEuros(126_900)));
    await shot(app, "02-quote-issued");
  });

  it("sends it by e-mail: the .eml in the outbox carries the quote's PDF, byte for byte the download", async () => {
    await app.getByRole("button", { name: ui("appSendByEmail") }).click();
    const form = app.getByTestId("send-form");
    await expect.poll(() => form.getByTestId("send-to").inputValue(), { timeout: LONG }).toBe(CUSTOMER_EMAIL);
    expect(await form.getByTestId("send-subject").inputValue()).toBe(`Devis ${quote.number} — ${companyName}`);
    expect(await form.getByLabel(ui("appEmailMessage"), exact).inputValue()).toContain(`valable jusqu'au ${formatDateFr(addDays(today(), 45))}.`);
    expect(await form.getByTestId("send-attachment").textContent()).toBe(ui("appEmailAttachment", `${quote.number}.pdf`));
    await form.getByRole("button", { name: ui("appSendNow") }).click();
    await expect.poll(() => app.getByTestId("sent-on").textContent(), { timeout: LONG }).toBe(ui("appQuoteSentOn", formatDateFr(today()), CUSTOMER_EMAIL));
    expect(await app.getByTestId("sending-list").locator("tbody tr").getAttribute("data-status")).toBe("sent");

    const [sending] = (await owner.listQuoteSendings(companyId, quote.id)).items;
    const outbox = path.join(api.dataDir, "outbox");
    const mails = fs
      .readdirSync(outbox)
      .filter((f) => f.endsWith(".eml"))
      .map((f) => parseMail(fs.readFileSync(path.join(outbox, f), "utf8")))
      .filter((m) => m.headers.get("message-id") === sending!.messageId);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect([mail.to, mail.subject, mail.headers.get("reply-to")]).toEqual([CUSTOMER_EMAIL, `Devis ${quote.number} — ${companyName}`, OWNER.email]);
    const download = app.waitForEvent("download");
    await app.getByRole("button", { name: ui("appDownloadPdf") }).click();
    const downloaded = await download;
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([[downloaded.suggestedFilename(), "application/pdf"]]);
    expect(mail.attachments[0]!.content.equals(fs.readFileSync((await downloaded.path())!))).toBe(true);
    await shot(app, "03-quote-sent");
  });

  it("records the customer's acceptance, then turns the quote into a draft invoice with its lines", async () => {
    await app.getByRole("button", { name: ui("appQuoteAccept") }).click();
    await expect.poll(() => app.getByTestId("quote-notice").textContent(), { timeout: LONG }).toBe(ui("appQuoteAcceptedNotice", quote.number!));
    expect(await app.getByTestId("decided-on").textContent()).toBe(formatDateFr(today()));
    expect(await app.getByRole("button", { name: ui("appQuoteRefuse") }).count()).toBe(0);
    await app.getByRole("button", { name: ui("appQuoteToInvoice") }).click();
    await expect.poll(() => app.getByTestId("flash").textContent(), { timeout: LONG }).toContain(ui("appQuoteInvoiced", quote.number!, formatEuros(126_900)));
    await app.getByRole("heading", { name: ui("appDraftTitle") }).waitFor();
    const linked = await owner.getQuote(companyId, quote.id);
    expect(linked.status).toBe("accepted");
    const invoice = await owner.getInvoice(companyId, linked.invoiceId!);
    expect([invoice.type, invoice.status, invoice.customer.id, invoice.totals]).toEqual(["invoice", "draft", customer.id, quote.totals]);
    expect(invoice.lines.map((l) => [l.description, l.quantity, l.unitPriceCents, l.vatRateBp, l.discountCents])).toEqual([
      ["Dépose et pose de 12 suspensions", "12", 4550, 1000, 0],
      ["Suspension laiton", "3", 18_900, 2000, 1000],
    ]);
    expect(app.url()).toContain(`#/invoices/${invoice.id}`);
    const field = (name: Parameters<typeof ui>[0], line: number) => app.getByLabel(ui("appLineField", ui(name), line), exact);
    expect(await field("appDescription", 2).inputValue()).toBe("Suspension laiton");
    await shot(app, "04-invoice-from-quote");

    // back on the quote, the link to the invoice
    await app.goto(extensionUrl(`app.html#/quotes/${quote.id}`));
    await app.getByTestId("quote-invoice").waitFor();
    expect(await app.getByTestId("quote-invoice").getAttribute("href")).toBe(`#/invoices/${invoice.id}`);
    expect(await app.getByRole("button", { name: ui("appQuoteToInvoice") }).count()).toBe(0);
  });
});
