/**
 * The invoicing view of the built extension in Debian's Chromium (headless), against the real API
 * on a temporary database with the demo loaded: sign in from the popup, open the view, create a
 * customer and a product, draft an invoice at two VAT rates with a discount (the form survives a
 * reload), check the totals on screen, refuse a date in the locked period before sending, issue,
 * record a partial then a full payment, issue a partial credit note, download the PDF — then read
 * the invoice, the credit note, the payments and the sales journal back from the API. On the way the
 * owner opts to pay VAT d'après les débits and notes the date of the sale and a delivery address.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Locator, Page, Worker } from "playwright-core";
import type { Customer, Invoice } from "@passerelle/shared";
import { PasserelleClient } from "@passerelle/shared/client";
import { formatDateFr, formatEuros } from "@passerelle/shared/format";
import { addDays, todayIn } from "@passerelle/shared/dates";
import { invoiceTotals } from "@passerelle/shared/totals";
import { formatVatRate } from "@passerelle/shared/vat";
import type { browser as ExtensionApi } from "wxt/browser";
import { startApi, type ApiServer } from "./servers";
import { extensionWorker, launchWithExtension } from "./chromium";
import { catalogs, getMessageFrom } from "../test/i18n-fake";
import { frenchShot } from "./french";

/** The extension API inside the service worker, where the `worker.evaluate` callbacks run. */
declare const chrome: typeof ExtensionApi;

const extensionRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const repoRoot = path.resolve(extensionRoot, "..");
const screenshots = path.join(repoRoot, "test-output", "extension-app");
const OWNER = { email: "owner@demo.passerelle.fr", password: "demo-passerelle-2026" };
const LONG = 90_000;

/** What the owner invoices in this run: one product line with a discount at 20 %, one free line at 5,5 %. */
const CUSTOMER = { name: "Bouquinerie des Canuts", siren: "732829320", city: "Lyon", postalCode: "69005", line1: "12 rue Saint-Jean", email: "compta@bouquinerie-canuts.fr" };
const PRODUCT = { name: "Atelier découverte de la lumière", price: "150,00", priceCents: 15000 };
const LINES = [
  { quantity: "3", unitPriceCents: 15000, discountCents: 4500, vatRateBp: 2000 },
  { description: "Livre « Éclairer sa maison »", quantity: "2", unitPriceCents: 2490, discountCents: 0, vatRateBp: 550 },
];
const PARTIAL_PAYMENT_CENTS = 20_000;
/** Where and when the sale took place: a site of the customer's, a few days before the invoice. */
const DELIVERY = { line1: "Salon du livre, halle Tony Garnier", postalCode: "69007", city: "Lyon" };

let api: ApiServer;
let context: BrowserContext;
let worker: Worker;
let extensionId: string;
let userDataDir: string;
let buildDir: string;
let owner: PasserelleClient;
let companyId: string;
let today: string;
let ui: (key: keyof typeof catalogs.fr, ...subs: (string | number)[]) => string;

const extensionUrl = (page: string) => `chrome-extension://${extensionId}/${page}`;
const shot = frenchShot(screenshots);
const exact = { exact: true } as const;

beforeAll(async () => {
  fs.mkdirSync(screenshots, { recursive: true });
  buildDir = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-e2e-app-"));
  const bin = path.join(repoRoot, "node_modules", ".bin", "wxt");
  await promisify(execFile)(bin, ["build"], { cwd: extensionRoot, env: { ...process.env, NODE_ENV: "production", PASSERELLE_EXTENSION_OUT: buildDir } });

  api = await startApi(repoRoot);
  owner = new PasserelleClient({ baseUrl: api.url });
  await owner.login(OWNER);
  companyId = (await owner.me()).memberships.find((m) => m.role === "owner")!.companyId;
  today = todayIn("Europe/Paris", new Date());

  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-e2e-app-chromium-"));
  context = await launchWithExtension(path.join(buildDir, "chrome-mv3"), { language: "fr", userDataDir, timeout: LONG });
  context.setDefaultTimeout(LONG);
  worker = await extensionWorker(context, LONG);
  extensionId = new URL(worker.url()).host;
  const language = await worker.evaluate(() => chrome.i18n.getUILanguage());
  const message = getMessageFrom(catalogs[language.startsWith("fr") ? "fr" : "en"]);
  ui = (key, ...subs) => message(key, subs.map(String));
  // The server this run talks to, as the options page would save it.
  await worker.evaluate(async (url) => chrome.storage.local.set({ serverUrl: url }), api.url);
}, 300_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await api?.stop();
  for (const dir of [userDataDir, buildDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** The cells of a totals table, by rate then HT / VAT / TTC. */
async function totalsOf(table: Locator) {
  const rates = await table.locator("tbody tr.rate-row").evaluateAll((rows) =>
    rows.map((r) => [r.querySelector("th")?.textContent ?? "", ...[...r.querySelectorAll("td")].map((td) => td.textContent ?? "")]),
  );
  const cell = (name: string) => table.locator(`tfoot tr[data-total="${name}"] td`).textContent();
  return { rates, ht: await cell("ht"), vat: await cell("vat"), ttc: await cell("ttc") };
}

function expectedTotals(totals: ReturnType<typeof invoiceTotals>) {
  return {
    rates: totals.byRate.map((r) => [ui("appVatAt", formatVatRate(r.vatRateBp)), formatEuros(r.baseCents), formatEuros(r.vatCents)]),
    ht: formatEuros(totals.htCents),
    vat: formatEuros(totals.vatCents),
    ttc: formatEuros(totals.ttcCents),
  };
}

describe("the invoicing view in Chromium", () => {
  let app: Page;
  let customer: Customer;
  let invoice: Invoice;
  let creditNoteNumber: string;
  const expected = invoiceTotals(LINES);
  // 3 × 150,00 − 45,00 = 405,00 at 20 % (VAT 81,00); 2 × 24,90 = 49,80 at 5,5 % (VAT 2,739 → 2,74).
  const CREDIT = { lineIndex: 1, quantity: "1" };

  it("signs in from the popup and opens the invoicing view in a tab", async () => {
    const opened = context.waitForEvent("page", { predicate: (p) => p.url().startsWith(extensionUrl("popup.html")) });
    await worker.evaluate(async () => {
      await chrome.windows.create({ url: chrome.runtime.getURL("/popup.html"), type: "popup", width: 380, height: 600 });
    });
    const popup = await opened;
    await popup.setViewportSize({ width: 380, height: 600 });
    await popup.getByLabel(ui("email")).fill(OWNER.email);
    await popup.getByLabel(ui("password")).fill(OWNER.password);
    await popup.getByRole("button", { name: ui("signIn") }).click();
    const open = popup.getByRole("button", { name: ui("appOpen"), exact: true });
    await open.waitFor();
    await shot(popup, "01-popup-opens-invoicing");

    const tab = context.waitForEvent("page", { predicate: (p) => p.url().startsWith(extensionUrl("app.html")) });
    await open.click();
    app = await tab;
    await app.setViewportSize({ width: 1280, height: 800 });
    await app.getByRole("navigation", { name: ui("appNavLabel") }).waitFor();
    // it opens on where the money stands
    await app.getByTestId("home-figures").waitFor();
    await popup.close().catch(() => undefined);
    // The same view is the extension's side panel (Chrome shows it from its side panel menu).
    expect(await worker.evaluate(() => chrome.sidePanel.getOptions({}))).toMatchObject({ enabled: true, path: "app.html" });
  });

  it("shows the lock in force and lists the invoices with their totals", async () => {
    await app.getByRole("link", { name: ui("appNavInvoices"), exact: true }).click();
    const company = await owner.getCompany(companyId);
    expect(company.lockedUntil).not.toBeNull();
    await expect.poll(() => app.getByTestId("lock-banner").textContent(), { timeout: LONG }).toContain(formatDateFr(company.lockedUntil!));
    const first = (await owner.listInvoices(companyId, { limit: 50 })).items;
    await expect.poll(() => app.getByTestId("invoice-table").locator("tbody tr td:first-child a").allTextContents(), { timeout: LONG }).toEqual(first.map((i) => i.number ?? ui("stateDraft")));
    await shot(app, "02-invoices");
  });

  it("creates a customer: the SIREN is checked as typed, the API's refusal shows by its field, the code is given", async () => {
    await app.getByRole("link", { name: ui("appNavCustomers"), exact: true }).click();
    await app.getByTestId("customer-list").waitFor();
    await app.getByRole("link", { name: ui("appNewCustomer"), exact: true }).click();
    await app.getByLabel(ui("appName"), exact).fill(CUSTOMER.name);
    const siren = app.getByLabel(ui("appSiren"), exact);
    await siren.fill("732829321");
    await app.getByText(ui("appSirenLuhn")).waitFor();
    expect(await siren.getAttribute("aria-invalid")).toBe("true");
    await shot(app, "03-customer-siren-refused");
    await siren.fill(CUSTOMER.siren);
    await app.getByText(ui("appSirenValid")).waitFor();
    await app.getByRole("button", { name: ui("appUseVatNumber", "FR44732829320") }).click();
    expect(await app.getByLabel(ui("appVatNumber"), exact).inputValue()).toBe("FR44732829320");
    await app.getByText(ui("appVatValid")).waitFor();
    await app.getByLabel(ui("appAddressLine1"), exact).fill(CUSTOMER.line1);
    await app.getByLabel(ui("appPostalCode"), exact).fill(CUSTOMER.postalCode);
    await app.getByLabel(ui("appCity"), exact).fill(CUSTOMER.city);
    await app.getByLabel(ui("appCategory"), exact).fill("Librairies");
    // Looks like an address here; the API's e-mail rule refuses it, and says so next to the field.
    const email = app.getByLabel(ui("email"), exact);
    await email.fill("compta@bouquinerie..fr");
    await app.getByRole("button", { name: ui("appCreateCustomer") }).click();
    await expect.poll(() => email.getAttribute("aria-invalid"), { timeout: LONG }).toBe("true");
    const emailMessage = app.locator(`#${await email.getAttribute("aria-describedby")}`);
    expect(await emailMessage.textContent()).toBe("Doit être une adresse e-mail");
    expect((await owner.listCustomers(companyId, { q: CUSTOMER.name })).items).toEqual([]);
    await shot(app, "04-customer-email-refused-by-api");

    await email.fill(CUSTOMER.email);
    await app.getByRole("button", { name: ui("appCreateCustomer") }).click();
    await app.getByTestId("flash").waitFor();
    customer = (await owner.listCustomers(companyId, { q: CUSTOMER.name })).items[0]!;
    expect(customer).toMatchObject({ name: CUSTOMER.name, siren: CUSTOMER.siren, vatNumber: "FR44732829320", email: CUSTOMER.email, category: "Librairies" });
    expect(customer.address).toMatchObject({ line1: CUSTOMER.line1, postalCode: CUSTOMER.postalCode, city: CUSTOMER.city, country: "FR" });
    expect(await app.getByTestId("flash").textContent()).toContain(ui("appCustomerCreated", CUSTOMER.name, customer.code));
    await shot(app, "05-customer-created");
  });

  it("creates a product with its price HT and VAT rate", async () => {
    await app.getByRole("link", { name: ui("appNavProducts"), exact: true }).click();
    await app.getByTestId("product-list").waitFor();
    await app.getByRole("link", { name: ui("appNewProduct"), exact: true }).click();
    await app.getByLabel(ui("appName"), exact).fill(PRODUCT.name);
    await app.getByLabel(ui("appUnitPriceHt"), exact).fill(PRODUCT.price);
    await app.getByLabel(ui("appVatRate"), exact).selectOption("2000");
    await app.getByLabel(ui("appKind"), exact).selectOption("services");
    await shot(app, "06-product-form");
    await app.getByRole("button", { name: ui("appCreateProduct") }).click();
    await app.getByTestId("flash").waitFor();
    const product = (await owner.listProducts(companyId, { q: PRODUCT.name })).items[0]!;
    expect(product).toMatchObject({ name: PRODUCT.name, unitPriceCents: PRODUCT.priceCents, vatRateBp: 2000, kind: "services" });
  });

  it("opts to pay VAT d'après les débits in the company's settings", async () => {
    await app.getByRole("link", { name: ui("appNavCompany"), exact: true }).click();
    await app.getByRole("heading", { name: ui("appCompanyTitle") }).waitFor();
    const option = app.getByLabel(ui("appVatOnDebits"), exact);
    await expect.poll(() => option.isChecked(), { timeout: LONG }).toBe(false);
    await option.check();
    await app.getByRole("button", { name: ui("save"), exact: true }).click();
    await expect.poll(() => app.getByTestId("flash").textContent(), { timeout: LONG }).toContain(ui("appCompanySaved"));
    expect((await owner.getCompany(companyId)).vatOnDebits).toBe(true);
    await shot(app, "06b-company-vat-on-debits");
  });

  it("drafts an invoice at two VAT rates with a discount: the totals on screen are the shared computation, and survive a reload", async () => {
    await app.getByRole("navigation", { name: ui("appNavLabel") }).getByRole("link", { name: ui("appNewInvoice") }).click();
    const customerSelect = app.getByLabel(ui("appCustomer"), exact);
    await expect.poll(() => customerSelect.locator("option").allTextContents(), { timeout: LONG }).toContain(`${customer.name} (${customer.code})`);
    await customerSelect.selectOption(customer.id);

    const field = (name: Parameters<typeof ui>[0], line: number) => app.getByLabel(ui("appLineField", ui(name), line), exact);
    const product = (await owner.listProducts(companyId, { q: PRODUCT.name })).items[0]!;
    await field("appProduct", 1).selectOption(product.id);
    expect(await field("appDescription", 1).inputValue()).toBe(PRODUCT.name);
    expect(await field("appUnitPriceHt", 1).inputValue()).toBe(PRODUCT.price);
    await field("appQuantity", 1).fill(LINES[0]!.quantity);
    await field("appDiscount", 1).fill("45,00");
    // Enter adds the next line and puts the cursor in it.
    await field("appDiscount", 1).press("Enter");
    await expect.poll(() => app.evaluate(() => document.activeElement?.id ?? ""), { timeout: LONG }).toMatch(/^line-.+-productId$/);
    await field("appDescription", 2).fill(LINES[1]!.description!);
    await field("appQuantity", 2).fill(LINES[1]!.quantity);
    await field("appUnitPriceHt", 2).fill("24,90");
    await field("appVatRate", 2).selectOption("550");

    const nets = app.getByTestId("line-net");
    expect(await nets.allTextContents()).toEqual([formatEuros(40_500), formatEuros(4_980)]);
    const table = app.getByTestId("draft-totals");
    expect(await totalsOf(table)).toEqual(expectedTotals(expected));
    expect(expected).toEqual({
      htCents: 45_480,
      vatCents: 8_374,
      ttcCents: 53_854,
      byRate: [
        { vatRateBp: 2000, baseCents: 40_500, vatCents: 8_100 },
        { vatRateBp: 550, baseCents: 4_980, vatCents: 274 },
      ],
    });
    await shot(app, "07-draft-two-rates");

    // Nothing is lost to a reload: the unsaved draft comes back as it was typed.
    await app.reload();
    await app.getByTestId("restored-notice").waitFor();
    expect(await field("appDescription", 2).inputValue()).toBe(LINES[1]!.description);
    expect(await field("appDiscount", 1).inputValue()).toBe("45,00");
    await expect.poll(() => app.getByLabel(ui("appCustomer"), exact).inputValue(), { timeout: LONG }).toBe(customer.id);
    expect(await totalsOf(app.getByTestId("draft-totals"))).toEqual(expectedTotals(expected));
  });

  it("notes the date of the sale and a delivery address in the Livraison part, closed until opened", async () => {
    const section = app.getByTestId("delivery-section");
    expect(await section.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    await section.locator("summary").click();
    await app.getByLabel(ui("appDeliveryDate"), exact).fill(addDays(today, -3));
    await app.getByLabel(ui("appDeliveryLine1"), exact).fill(DELIVERY.line1);
    await app.getByLabel(ui("appDeliveryPostalCode"), exact).fill(DELIVERY.postalCode);
    await app.getByLabel(ui("appDeliveryCity"), exact).fill(DELIVERY.city);
    expect(await section.locator("summary").textContent()).toBe(
      `${ui("appDelivery")} — ${formatDateFr(addDays(today, -3))} · ${DELIVERY.line1}, ${DELIVERY.postalCode} ${DELIVERY.city}`,
    );
    await shot(app, "07b-draft-delivery");
  });

  it("refuses an issue date in the locked period before sending anything", async () => {
    const company = await owner.getCompany(companyId);
    await app.getByRole("button", { name: ui("appIssue") }).click();
    const dialog = app.getByRole("alertdialog", { name: ui("appIssueTitle") });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain(ui("appIssueWarning"));
    const date = dialog.getByLabel(ui("appIssueDate"), exact);
    expect(await date.inputValue()).toBe(today);
    await date.fill(company.lockedUntil!);
    await dialog.getByText(`Est dans une période verrouillée (jusqu'au ${formatDateFr(company.lockedUntil!)})`).waitFor();
    expect(await dialog.getByRole("button", { name: ui("appIssueConfirm") }).isDisabled()).toBe(true);
    await shot(app, "08-issue-date-locked");
    expect((await owner.listInvoices(companyId, { customerId: customer.id })).items).toEqual([]);
  });

  it("issues the invoice after the confirmation that it becomes final, and shows its number", async () => {
    const dialog = app.getByRole("alertdialog", { name: ui("appIssueTitle") });
    await dialog.getByLabel(ui("appIssueDate"), exact).fill(today);
    await shot(app, "09-issue-confirmation");
    await dialog.getByRole("button", { name: ui("appIssueConfirm") }).click();
    const number = app.getByTestId("invoice-number");
    await number.waitFor();
    invoice = (await owner.listInvoices(companyId, { customerId: customer.id, type: "invoice" })).items[0]!;
    expect(invoice.number).toMatch(/\S/);
    expect(await number.textContent()).toBe(ui("appInvoiceNumber", invoice.number!));
    expect(await app.getByTestId("flash").textContent()).toContain(ui("appInvoiceIssued", invoice.number!, formatEuros(expected.ttcCents)));
    expect(await totalsOf(app.getByTestId("detail-totals"))).toEqual(expectedTotals(expected));
    expect(await app.getByTestId("delivery-date").textContent()).toBe(formatDateFr(addDays(today, -3)));
    expect(await app.getByTestId("delivery-address").textContent()).toBe(`${DELIVERY.line1}, ${DELIVERY.postalCode} ${DELIVERY.city}`);
    await shot(app, "10-invoice-issued");
  });

  it("records a partial payment, then the rest: the amount is prefilled with what is due and the status follows", async () => {
    await app.getByRole("button", { name: ui("appRecordPayment") }).click();
    const form = app.getByTestId("payment-form");
    const amount = form.getByLabel(ui("appAmountReceived"), exact);
    expect(await amount.inputValue()).toBe("538,54");
    expect(await form.getByLabel(ui("appPaymentDate"), exact).inputValue()).toBe(today);
    await amount.fill("200,00");
    await form.getByLabel(ui("appPaymentMethod"), exact).selectOption("transfer");
    await form.getByLabel(ui("appPaymentReference"), exact).fill("VIR BOUQUINERIE CANUTS 1");
    await form.getByText(ui("appLeavesDue", formatEuros(expected.ttcCents - PARTIAL_PAYMENT_CENTS))).waitFor();
    await shot(app, "11-partial-payment");
    await form.getByRole("button", { name: ui("appRecordThisPayment") }).click();
    await expect
      .poll(() => app.getByTestId("flash").textContent(), { timeout: LONG })
      .toContain(ui("appPaymentRecorded", formatEuros(PARTIAL_PAYMENT_CENTS), ui("statePartiallyPaid")));
    await expect.poll(() => app.locator(".screen-head .pill").textContent(), { timeout: LONG }).toBe(ui("statePartiallyPaid"));

    await app.getByRole("button", { name: ui("appRecordPayment") }).click();
    const rest = app.getByTestId("payment-form").getByLabel(ui("appAmountReceived"), exact);
    expect(await rest.inputValue()).toBe("338,54");
    await app.getByTestId("payment-form").getByLabel(ui("appPaymentMethod"), exact).selectOption("cheque");
    await app.getByTestId("payment-form").getByRole("button", { name: ui("appRecordThisPayment") }).click();
    await expect.poll(() => app.getByTestId("flash").textContent(), { timeout: LONG }).toContain(ui("appPaymentRecorded", formatEuros(33_854), ui("statePaid")));
    await expect.poll(() => app.locator(".screen-head .pill").textContent(), { timeout: LONG }).toBe(ui("statePaid"));
    await expect.poll(() => app.getByTestId("payment-list").locator("tr").count(), { timeout: LONG }).toBe(2);
    await shot(app, "12-paid");
  });

  it("issues a partial credit note by lines, showing what is left to credit", async () => {
    await app.getByRole("button", { name: ui("appCreateCreditNote") }).click();
    const form = app.getByTestId("credit-form");
    expect(await form.getByTestId("credit-left").textContent()).toBe(ui("appLeftToCredit", formatEuros(expected.ttcCents)));
    await form.getByLabel(ui("appCreditLines")).check();
    await form.getByLabel(LINES[1]!.description!).check();
    const quantity = form.getByLabel(ui("appLineField", ui("appQuantityToCredit"), CREDIT.lineIndex + 1), exact);
    expect(await quantity.inputValue()).toBe("2");
    await quantity.fill(CREDIT.quantity);
    // 1 × 24,90 at 5,5 %: VAT 1,3695 → 1,37; TTC 26,27; left 538,54 − 26,27 = 512,27.
    expect(await totalsOf(form.getByTestId("credit-totals"))).toEqual({
      rates: [[ui("appVatAt", formatVatRate(550)), formatEuros(2_490), formatEuros(137)]],
      ht: formatEuros(2_490),
      vat: formatEuros(137),
      ttc: formatEuros(2_627),
    });
    expect(await form.getByTestId("credit-left-after").textContent()).toBe(ui("appLeftAfterCredit", formatEuros(51_227)));
    await form.getByRole("button", { name: ui("appIssueCreditNote") }).click();
    await shot(app, "13-credit-note-confirmation");
    await form.getByRole("button", { name: ui("appCreditConfirm") }).click();
    await expect.poll(() => app.getByTestId("left-to-credit").textContent(), { timeout: LONG }).toBe(ui("appLeftToCredit", formatEuros(51_227)));
    creditNoteNumber = (await owner.listInvoices(companyId, { customerId: customer.id, type: "credit_note" })).items[0]!.number!;
    await expect.poll(() => app.getByTestId("flash").textContent(), { timeout: LONG }).toContain(ui("appCreditNoteIssued", creditNoteNumber, formatEuros(2_627)));
    expect(await app.getByTestId("credit-note-list").locator("a").allTextContents()).toEqual([creditNoteNumber]);
    await shot(app, "14-credit-note-issued");
  });

  it("downloads the invoice's PDF", async () => {
    const download = app.waitForEvent("download");
    await app.getByRole("button", { name: ui("appDownloadPdf") }).click();
    const file = await (await download).path();
    expect(fs.readFileSync(file).subarray(0, 5).toString("latin1")).toBe("%PDF-");
  });

  it("holds exactly those figures in the API: invoice, credit note, payments and sales journal", async () => {
    const stored = await owner.getInvoice(companyId, invoice.id);
    expect({ status: stored.status, issueDate: stored.issueDate, totals: stored.totals, paidCents: stored.paidCents, creditedCents: stored.creditedCents, dueCents: stored.dueCents }).toEqual({
      status: "paid",
      issueDate: today,
      totals: expected,
      paidCents: 53_854,
      creditedCents: 2_627,
      dueCents: -2_627,
    });
    expect({ deliveryDate: stored.deliveryDate, deliveryAddress: stored.deliveryAddress }).toEqual({
      deliveryDate: addDays(today, -3),
      deliveryAddress: { ...DELIVERY, country: "FR" },
    });
    // the e-invoice carries them (BT-72, BG-15) and the option for débits (BT-8 = 5)
    const cii = await owner.invoiceCiiXml(companyId, invoice.id);
    expect(cii).toContain(`<udt:DateTimeString format="102">${addDays(today, -3).replaceAll("-", "")}</udt:DateTimeString>`);
    expect(cii).toContain(`<ram:LineOne>${DELIVERY.line1}</ram:LineOne>`);
    expect(cii.match(/<ram:DueDateTypeCode>5<\/ram:DueDateTypeCode>/g)).toHaveLength(2);
    expect(stored.lines.map((l) => ({ description: l.description, quantity: l.quantity, unitPriceCents: l.unitPriceCents, discountCents: l.discountCents, vatRateBp: l.vatRateBp, netCents: l.netCents }))).toEqual([
      { description: PRODUCT.name, quantity: "3", unitPriceCents: 15_000, discountCents: 4_500, vatRateBp: 2000, netCents: 40_500 },
      { description: LINES[1]!.description, quantity: "2", unitPriceCents: 2_490, discountCents: 0, vatRateBp: 550, netCents: 4_980 },
    ]);

    const note = (await owner.listInvoices(companyId, { customerId: customer.id, type: "credit_note" })).items;
    expect(note.map((n) => ({ number: n.number, creditedInvoiceId: n.creditedInvoiceId, issueDate: n.issueDate, totals: n.totals, lines: n.lines.map((l) => [l.creditedLineId, l.quantity, l.netCents]) }))).toEqual([
      {
        number: creditNoteNumber,
        creditedInvoiceId: invoice.id,
        issueDate: today,
        totals: { htCents: 2_490, vatCents: 137, ttcCents: 2_627, byRate: [{ vatRateBp: 550, baseCents: 2_490, vatCents: 137 }] },
        lines: [[stored.lines[1]!.id, "1", 2_490]],
      },
    ]);

    const payments = (await owner.listPayments(companyId, { invoiceId: invoice.id })).items;
    expect(payments.map((p) => [p.amountCents, p.date, p.method, p.reference]).sort((a, b) => Number(b[0]) - Number(a[0]))).toEqual([
      [33_854, today, "cheque", null],
      [20_000, today, "transfer", "VIR BOUQUINERIE CANUTS 1"],
    ]);

    const journal = await owner.salesJournal(companyId, { customerId: customer.id });
    // Both are dated today; the journal's order within a day is its own business.
    const rows = journal.items.map((r) => ({ number: r.number, type: r.type, date: r.date, htCents: r.htCents, vatCents: r.vatCents, ttcCents: r.ttcCents, byRate: r.byRate, paidCents: r.paidCents }));
    expect(rows.sort((a, b) => a.type.localeCompare(b.type))).toEqual([
      { number: creditNoteNumber, type: "credit_note", date: today, htCents: -2_490, vatCents: -137, ttcCents: -2_627, byRate: [{ vatRateBp: 550, baseCents: -2_490, vatCents: -137 }], paidCents: 0 },
      { number: invoice.number, type: "invoice", date: today, htCents: 45_480, vatCents: 8_374, ttcCents: 53_854, byRate: expected.byRate, paidCents: 53_854 },
    ]);
    expect(journal.totals).toMatchObject({ count: 2, htCents: 42_990, vatCents: 8_237, ttcCents: 51_227 });
  });

  it("fits a narrow side panel: one column, lines as cards with their labels", async () => {
    await app.setViewportSize({ width: 400, height: 800 });
    await shot(app, "15-narrow-invoice");
    await app.getByRole("link", { name: ui("appNewInvoice") }).first().click();
    const description = app.getByLabel(ui("appLineField", ui("appDescription"), 1), exact);
    await description.waitFor();
    expect((await description.boundingBox())!.width).toBeGreaterThan(300);
    await shot(app, "16-narrow-new-invoice");
    await app.setViewportSize({ width: 1280, height: 800 });
  });
});
