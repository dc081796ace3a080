/**
 * Where the money stands, in the invoicing view of the built extension in Chromium, against the
 * real API: the demo owner opens a second company holding known documents dated around today (an
 * invoice of last month, overdue and partly paid this month; one of this month, partly credited
 * the same day and sent by e-mail). The home screen shows its figures to the cent and the chart's
 * amounts; the overdue row's customer opens that customer's page with its balance, documents and
 * sending; the row itself opens the invoice.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page, Worker } from "playwright-core";
import type { Invoice } from "@passerelle/shared";
import { PasserelleClient } from "@passerelle/shared/client";
import { addDays, todayIn } from "@passerelle/shared/dates";
import { formatDateFr } from "@passerelle/shared/format";
import { daysLate, monthsEnding } from "@passerelle/shared/standing";
import type { browser as ExtensionApi } from "wxt/browser";
import { startApi, type ApiServer } from "./servers";
import { buildExtension, extensionWorker, launchWithExtension, repoRoot } from "./chromium";
import { catalogs, getMessageFrom } from "../test/i18n-fake";
import { monthName } from "../lib/app/revenue-chart";
import { frenchShot } from "./french";

declare const chrome: typeof ExtensionApi;

const OWNER = { email: "owner@demo.passerelle.fr", password: "demo-passerelle-2026" };
const LONG = 90_000;
const NBSP = "\u00a0";
const NNBSP = "\u202f";
/** "1 240,24 €" as fr-FR prints it. */
const eur = (text: string) => text.replace(/ (?=\d{3}\b)/g, NNBSP).replace(/ €$/, `${NBSP}€`);

let api: ApiServer;
let build: Awaited<ReturnType<typeof buildExtension>>;
let context: BrowserContext;
let worker: Worker;
let extensionId: string;
let userDataDir: string;
let companyId: string;
let customerId: string;
let today: string;
let lastMonth: string;
let thisMonth: string;
let a: Invoice;
let b: Invoice;
let app: Page;
let ui: (key: keyof typeof catalogs.fr, ...subs: (string | number)[]) => string;

const screenshots = path.join(repoRoot, "test-output", "extension-home");
const extensionUrl = (page: string) => `chrome-extension://${extensionId}/${page}`;
const shot = frenchShot(screenshots);

beforeAll(async () => {
  fs.mkdirSync(screenshots, { recursive: true });
  build = await buildExtension();
  api = await startApi(repoRoot);
  const owner = new PasserelleClient({ baseUrl: api.url });
  await owner.login(OWNER);
  today = todayIn("Europe/Paris", new Date());
  [lastMonth, thisMonth] = monthsEnding(today.slice(0, 7), 2) as [string, string];
  // the fiscal year starts with last month, so both months are in it whatever today is
  const company = await owner.createCompany({
    name: "Verrerie des Pentes SARL",
    siren: "732829320",
    address: { line1: "8 montée Saint-Sébastien", postalCode: "69001", city: "Lyon", country: "FR" },
    fiscalYearStart: `${lastMonth.slice(5)}-01`,
  });
  companyId = company.id;
  const customer = await owner.createCustomer(companyId, { name: "Atelier Lumière", address: "3 rue Burdeau, 69001 Lyon", email: "compta@atelier-lumiere.fr" });
  customerId = customer.id;
  const line = (quantity: string, unitPriceCents: number) => ({ description: "Vitrail sur mesure", quantity, unitPriceCents, vatRateBp: 2000, kind: "goods" as const });
  const draftA = await owner.createDraft(companyId, { customerId, dueDate: `${lastMonth}-11`, lines: [line("1", 100_000)] });
  a = await owner.issueInvoice(companyId, draftA.id, `${lastMonth}-01`);
  await owner.recordPayment(companyId, { invoiceId: a.id, amountCents: 20_000, date: `${thisMonth}-01`, method: "transfer" });
  const draftB = await owner.createDraft(companyId, { customerId, dueDate: addDays(today, 30), lines: [line("3", 10_010)] });
  b = await owner.issueInvoice(companyId, draftB.id, `${thisMonth}-01`);
  await owner.createCreditNote(companyId, b.id, { issueDate: `${thisMonth}-01`, lines: [{ lineId: b.lines[0]!.id, quantity: "1" }] });
  const sent = await owner.sendInvoice(companyId, b.id, { to: ["compta@atelier-lumiere.fr"], subject: `Facture ${b.number}`, message: "Bonjour,\n\nVoici la facture." });
  expect(sent.status).toBe("sent");

  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-e2e-home-chromium-"));
  context = await launchWithExtension(build.dist, { language: "fr", userDataDir, timeout: LONG });
  context.setDefaultTimeout(LONG);
  worker = await extensionWorker(context, LONG);
  extensionId = new URL(worker.url()).host;
  const language = await worker.evaluate(() => chrome.i18n.getUILanguage());
  const message = getMessageFrom(catalogs[language.startsWith("fr") ? "fr" : "en"]);
  ui = (key, ...subs) => message(key, subs.map(String));
  // the company the view works on, as the company menu leaves it chosen
  await worker.evaluate(async ([url, id]) => chrome.storage.local.set({ serverUrl: url, companyId: id }), [api.url, companyId] as const);
}, 300_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await api?.stop();
  build?.remove();
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
});

describe("where the money stands, in Chromium", () => {
  it("signs in on the invoicing view, on the company chosen last: the home screen comes first", async () => {
    app = await context.newPage();
    await app.setViewportSize({ width: 1280, height: 900 });
    await app.goto(extensionUrl("app.html"));
    await app.getByLabel(ui("email")).fill(OWNER.email);
    await app.getByLabel(ui("password")).fill(OWNER.password);
    await app.getByRole("button", { name: ui("signIn") }).click();
    await app.getByRole("navigation", { name: ui("appNavLabel") }).waitFor();
    expect(await app.getByLabel(ui("company")).inputValue()).toBe(companyId);
    await app.getByRole("heading", { name: ui("appHomeTitle") }).waitFor();
    expect(await app.getByRole("link", { name: ui("appNavHome"), exact: true }).getAttribute("aria-current")).toBe("page");
  });

  it("shows revenue HT, cash received, due and overdue to the cent, and the 12 months of revenue as text", async () => {
    const figures = app.getByTestId("home-figures");
    const figure = async (id: string) => (await figures.getByTestId(`figure-${id}`).textContent())!;
    // this month: B 300,30 € HT − its credit note 100,10 €; A's 200,00 € paid on the 1st (the company just chosen has loaded once it shows)
    await expect.poll(() => figure("month-revenue"), { timeout: LONG }).toBe(`${ui("appHomeMonthRevenue", monthName(thisMonth))}${eur("200,20 €")}`);
    expect(await figure("month-received")).toBe(`${ui("appHomeMonthReceived", monthName(thisMonth))}${eur("200,00 €")}`);
    const since = ui("appHomeYearSince", formatDateFr(`${lastMonth}-01`));
    expect(await figure("year-revenue")).toBe(`${ui("appHomeYearRevenue")}${eur("1 200,20 €")}${since}`);
    expect(await figure("year-received")).toBe(`${ui("appHomeYearReceived")}${eur("200,00 €")}${since}`);
    // A 1 200,00 − 200,00; B 360,36 − 120,12
    expect(await figure("due")).toBe(`${ui("appHomeDue")}${eur("1 240,24 €")}${ui("appHomeInvoiceCount", 2)}`);
    expect(await figure("overdue")).toBe(`${ui("appHomeOverdue")}${eur("1 000,00 €")}${ui("appHomeInvoiceCount", 1)}`);

    const rows = app.getByTestId("most-overdue").locator("tbody tr");
    expect(await rows.count()).toBe(1);
    expect(await rows.first().locator("td").allTextContents()).toEqual([a.number, "Atelier Lumière", formatDateFr(`${lastMonth}-11`), ui("appHomeDaysLate", daysLate(`${lastMonth}-11`, today)), eur("1 000,00 €")]);

    const chart = app.getByRole("img", { name: ui("appHomeChartTitle") });
    const desc = (await chart.locator("desc").textContent())!.split(" ; ");
    expect(desc).toHaveLength(12);
    expect(desc.slice(-2)).toEqual([`${monthName(lastMonth)} : ${eur("1 000,00 €")}`, `${monthName(thisMonth)} : ${eur("200,20 €")}`]);
    expect(desc[0]).toBe(`${monthName(monthsEnding(thisMonth, 12)[0]!)} : ${eur("0,00 €")}`);
    // 200,20 / 1 000,00 of the 96 px plot, to the hundredth of a pixel
    const bars = await chart.locator("rect").evaluateAll((rects) => rects.map((r) => Number(r.getAttribute("height"))));
    expect(bars.slice(-2)).toEqual([96, 19.22]);
    await shot(app, "01-home");
  });

  it("opens the customer's page from the overdue row: balance, documents and the e-mail sent", async () => {
    await app.getByTestId("most-overdue").getByRole("link", { name: "Atelier Lumière" }).click();
    await app.waitForURL(extensionUrl(`app.html#/customers/${customerId}`));
    const balance = app.getByTestId("customer-balance");
    await balance.waitFor();
    expect(await balance.locator(".figure").allTextContents()).toEqual([
      `${ui("appCustomerBilled")}${eur("1 440,24 €")}`,
      `${ui("appCustomerReceived")}${eur("200,00 €")}`,
      `${ui("appHomeDue")}${eur("1 240,24 €")}`,
      `${ui("appHomeOverdue")}${eur("1 000,00 €")}${ui("appHomeInvoiceCount", 1)}`,
    ]);
    expect(await app.getByTestId("customer-documents").locator("tbody tr td:first-child").allTextContents()).toHaveLength(3);
    const sending = app.getByTestId("customer-sendings").locator("tbody tr");
    expect(await sending.count()).toBe(1);
    expect(await sending.locator("td").nth(1).textContent()).toBe(`${ui("appSendingKindInvoice")} ${b.number}`);
    expect(await sending.locator("td").nth(3).textContent()).toBe(ui("appSendingSent"));
    await shot(app, "02-customer");
  });

  it("fits a 400 px side panel: the navigation, every figure and the overdue row's amounts within its width", async () => {
    await app.getByRole("link", { name: ui("appNavHome"), exact: true }).click();
    await app.setViewportSize({ width: 400, height: 800 });
    await app.getByTestId("most-overdue").waitFor();
    const boxes = [
      // the navigation, one more section long, wraps rather than widens the panel
      ...(await app.getByRole("navigation", { name: ui("appNavLabel") }).getByRole("link").all()),
      ...(await app.getByTestId("home-figures").locator(".figure .amount").all()),
      ...(await app.getByTestId("most-overdue").locator("tbody td").all()),
      app.getByTestId("revenue-chart"),
    ];
    for (const box of boxes) {
      const b = (await box.boundingBox())!;
      expect([await box.textContent(), b.width > 0 && b.x >= 0 && b.x + b.width <= 400]).toEqual([await box.textContent(), true]);
    }
    await shot(app, "03-home-side-panel");
    await app.setViewportSize({ width: 1280, height: 900 });
  });

  it("opens the overdue invoice from its row on the home screen", async () => {
    const row = app.getByTestId("most-overdue").locator("tbody tr").first();
    await row.locator("td").nth(2).click();
    await app.waitForURL(extensionUrl(`app.html#/invoices/${a.id}`));
    await expect.poll(() => app.getByRole("heading", { level: 1 }).textContent(), { timeout: LONG }).toContain(a.number!);
  });
});
