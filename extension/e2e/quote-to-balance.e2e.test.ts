/**
 * From the quote to the balance invoice, in Chromium against a real API server: the owner issues a
 * quote, records its acceptance, asks a 30 % deposit on it, issues the deposit and records its
 * payment, then draws up and issues the balance invoice. Read back from the API, the quote's PDF,
 * the deposit's and the balance's Factur-X PDFs, the sales journal and the FEC agree to the cent:
 * deposit + balance = the quote, rate by rate.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page, Worker } from "playwright-core";
import type { Invoice, Quote } from "@passerelle/shared";
import { PasserelleClient } from "@passerelle/shared/client";
import { formatDateFr, formatEuros } from "@passerelle/shared/format";
import { todayIn } from "@passerelle/shared/dates";
import { startApi, type ApiServer } from "./servers";
import { buildExtension, repoRoot } from "./chromium";
import { openExtension, signInAndOpenApp } from "./session";
import { catalogs } from "../test/i18n-fake";
import { pdfPlainText } from "../../api/test/pdf-text";
import { checkFec, fecCents } from "../../api/test/fec-check";
import { ciiStructureErrors } from "../../api/test/cii-structure";
import { embeddedXml } from "../../api/test/facturx-pdf-read";
import { frenchShot } from "./french";

const OWNER = { email: "owner@demo.passerelle.fr", password: "demo-passerelle-2026" };
const LONG = 90_000;
// 3 h × 10,01 € at 20 % and 1 × 100,00 € at 5,5 %: 130,03 € HT, VAT 6,01 € + 5,50 €, 141,54 € TTC
const LINES = [
  { description: "Étude d'éclairage", quantity: "3", unitPriceCents: 1001, vatRateBp: 2000, kind: "services" as const, unit: "hour" as const },
  { description: "Livre « Éclairer la maison »", quantity: "1", unitPriceCents: 10000, vatRateBp: 550, kind: "goods" as const, unit: "piece" as const },
];

let api: ApiServer;
let build: Awaited<ReturnType<typeof buildExtension>>;
let context: BrowserContext;
let worker: Worker;
let extensionId: string;
let userDataDir: string;
let owner: PasserelleClient;
let companyId: string;
let customerId: string;
let quote: Quote;
let deposit: Invoice;
let balance: Invoice;
let app: Page;
let ui: (key: keyof typeof catalogs.fr, ...subs: (string | number)[]) => string;
const today = todayIn("Europe/Paris", new Date());

const screenshots = path.join(repoRoot, "test-output", "extension-quote-to-balance");
const extensionUrl = (page: string) => `chrome-extension://${extensionId}/${page}`;
const shot = frenchShot(screenshots);
const flat = (text: string) => text.replace(/[\s\u202f\u00a0]+/g, " ");
const exact = { exact: true } as const;
const byRate = (totals: Invoice["totals"]) => totals.byRate.map((r) => [r.vatRateBp, r.baseCents, r.vatCents]);

beforeAll(async () => {
  fs.mkdirSync(screenshots, { recursive: true });
  build = await buildExtension();
  api = await startApi(repoRoot);
  owner = new PasserelleClient({ baseUrl: api.url });
  await owner.login(OWNER);
  companyId = (await owner.me()).memberships.find((m) => m.role === "owner")!.companyId;
  customerId = (await owner.createCustomer(companyId, { name: "Maison Lumière", address: "8 quai Saint-Vincent, 69001 Lyon" })).id;
  quote = await owner.createQuote(companyId, { customerId, lines: LINES });

  ({ context, worker, extensionId, userDataDir, ui } = await openExtension(build.dist, api.url, "quote-balance", LONG));
}, 300_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await api?.stop();
  build?.remove();
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
});

describe("quote → accepted → 30 % deposit → paid → balance invoice, in Chromium", () => {
  it("signs in from the popup and opens the invoicing view", async () => {
    app = await signInAndOpenApp({ context, worker, extensionId, userDataDir, ui }, OWNER);
  });

  it("issues the quote and records its acceptance", async () => {
    await app.goto(extensionUrl(`app.html#/quotes/${quote.id}`));
    await app.getByRole("button", { name: ui("appQuoteIssue") }).click();
    const dialog = app.getByRole("alertdialog", { name: ui("appQuoteIssueTitle") });
    await dialog.getByLabel(ui("appIssueDate"), exact).fill(today);
    await dialog.getByRole("button", { name: ui("appIssueConfirm") }).click();
    await app.getByTestId("quote-number").waitFor();
    await app.getByRole("button", { name: ui("appQuoteAccept") }).click();
    quote = await owner.getQuote(companyId, quote.id);
    await expect.poll(() => app.getByTestId("quote-notice").textContent(), { timeout: LONG }).toBe(ui("appQuoteAcceptedNotice", quote.number!));
    quote = await owner.getQuote(companyId, quote.id);
    expect([quote.status, quote.decidedOn, quote.orderId]).toEqual(["accepted", today, null]);
    expect(quote.totals).toMatchObject({ htCents: 13003, vatCents: 1151, ttcCents: 14154 });
    await shot(app, "01-quote-accepted");
  });

  it("asks a 30 % deposit on the accepted quote: the order is made and the deposit draft opens, 39,01 € HT shared 9,01 € at 20 % and 30,00 € at 5,5 %", async () => {
    const section = app.getByTestId("quote-deposit-section");
    await section.waitFor();
    expect(await section.getByLabel(ui("appDepositPercent"), exact).inputValue()).toBe("30");
    await section.getByLabel(ui("appDepositReference"), exact).fill("BC-2026-41");
    await section.getByRole("button", { name: ui("appQuoteDepositCreate") }).click();
    await app.getByRole("heading", { name: ui("appDepositTitle") }).waitFor();
    await expect.poll(() => app.getByTestId("flash").textContent(), { timeout: LONG }).toContain(ui("appDepositCreated", formatEuros(4246)));
    expect(await app.getByTestId("order-reference").textContent()).toBe("BC-2026-41");
    const totals = app.getByTestId("draft-totals");
    expect(flat((await totals.locator('tr[data-rate="2000"]').textContent())!)).toContain(`${flat(formatEuros(901))}${flat(formatEuros(180))}`);
    expect(flat((await totals.locator('tr[data-rate="550"]').textContent())!)).toContain(`${flat(formatEuros(3000))}${flat(formatEuros(165))}`);
    quote = await owner.getQuote(companyId, quote.id);
    const order = await owner.getOrder(companyId, quote.orderId!);
    expect([order.quoteId, order.reference, order.orderDate, order.totals]).toEqual([quote.id, "BC-2026-41", today, quote.totals]);
    expect(order.lines.map((l) => [l.description, l.quantity, l.unit, l.kind, l.netCents])).toEqual([
      ["Étude d'éclairage", "3", "hour", "services", 3003],
      ["Livre « Éclairer la maison »", "1", "piece", "goods", 10000],
    ]);
    await shot(app, "02-deposit-draft");
  });

  it("issues the deposit and records its payment", async () => {
    await app.getByTestId("issue-order-draft").click();
    const number = app.getByTestId("invoice-number");
    await number.waitFor();
    deposit = (await owner.listInvoices(companyId, { customerId, type: "invoice" })).items.find((i) => i.orderRole === "deposit")!;
    expect(deposit).toMatchObject({ status: "issued", totals: { htCents: 3901, vatCents: 345, ttcCents: 4246 } });
    expect(await number.textContent()).toBe(ui("appDepositInvoiceNumber", deposit.number!));
    await app.getByRole("button", { name: ui("appRecordPayment") }).click();
    const form = app.getByTestId("payment-form");
    expect(await form.getByLabel(ui("appAmountReceived"), exact).inputValue()).toBe("42,46");
    await form.getByLabel(ui("appPaymentMethod"), exact).selectOption("transfer");
    await form.getByRole("button", { name: ui("appRecordThisPayment") }).click();
    await expect.poll(() => app.getByTestId("flash").textContent(), { timeout: LONG }).toContain(ui("appPaymentRecorded", formatEuros(4246), ui("statePaid")));
  });

  it("the quote links to its deposit; the balance invoice deducts it, 99,08 € to pay, and is issued", async () => {
    await app.goto(extensionUrl(`app.html#/quotes/${quote.id}`));
    const deposits = app.getByTestId("quote-deposits");
    await expect.poll(() => deposits.textContent(), { timeout: LONG }).toContain(ui("appDepositInvoiceNumber", deposit.number!));
    expect(await deposits.locator(`a[data-deposit="${deposit.number}"]`).getAttribute("href")).toBe(`#/invoices/${deposit.id}`);
    expect(flat((await app.getByTestId("quote-balance").textContent())!)).toBe(flat(formatEuros(9908)));
    expect(await app.getByRole("button", { name: ui("appQuoteToInvoice") }).count()).toBe(0);
    await shot(app, "03-quote-with-deposit");

    await deposits.locator(`a[data-deposit="${deposit.number}"]`).click();
    await app.getByTestId("balance-invoice").click();
    await app.getByRole("heading", { name: ui("appBalanceTitle") }).waitFor();
    const deductions = app.getByTestId("deductions");
    expect(flat((await deductions.locator('tr[data-total="order"]').textContent())!)).toContain(flat(formatEuros(14154)));
    expect(flat((await deductions.locator(`tr[data-deposit="${deposit.number}"]`).textContent())!)).toContain(flat(`-${formatEuros(4246)}`));
    expect(flat((await deductions.locator('tr[data-total="balance"]').textContent())!)).toContain(flat(formatEuros(9908)));
    await app.getByTestId("issue-order-draft").click();
    await app.getByTestId("invoice-number").waitFor();
    balance = (await owner.listInvoices(companyId, { customerId, type: "invoice" })).items.find((i) => i.orderRole === "balance")!;
    expect(balance).toMatchObject({ status: "issued", dueCents: 9908, totals: { htCents: 9102, vatCents: 806, ttcCents: 9908 } });
    expect(await app.getByTestId("invoice-number").textContent()).toBe(ui("appBalanceInvoiceNumber", balance.number!));
    await shot(app, "04-balance-issued");

    await app.goto(extensionUrl(`app.html#/quotes/${quote.id}`));
    await expect.poll(() => app.getByTestId("quote-balance").locator("a").getAttribute("href"), { timeout: LONG }).toBe(`#/invoices/${balance.id}`);
    expect(await app.getByTestId("quote-deposit-section").count()).toBe(0);
  });

  it("deposit + balance = the quote per rate; the quote's PDF, the deposit's and the balance's, the sales journal and the FEC agree to the cent", async () => {
    expect(byRate(deposit.totals)).toEqual([[2000, 901, 180], [550, 3000, 165]]);
    expect(byRate(balance.totals)).toEqual([[2000, 2102, 421], [550, 7000, 385]]);
    const sum = byRate(deposit.totals).map(([rate, base, vat], i) => [rate, base! + byRate(balance.totals)[i]![1]!, vat! + byRate(balance.totals)[i]![2]!]);
    expect(sum).toEqual(byRate(quote.totals));
    expect(deposit.totals.ttcCents + balance.totals.ttcCents).toBe(quote.totals.ttcCents);

    const quotePdf = flat(await pdfPlainText(new Uint8Array(await (await owner.quotePdf(companyId, quote.id)).arrayBuffer())));
    for (const text of ["DEVIS", quote.number!, "Total HT 130,03 €", "Total TTC 141,54 €"]) expect(quotePdf).toContain(text);
    const depositBytes = new Uint8Array(await (await owner.invoicePdf(companyId, deposit.id)).arrayBuffer());
    const depositPdf = flat(await pdfPlainText(depositBytes));
    for (const text of ["FACTURE D'ACOMPTE", "Acompte sur la commande BC-2026-41", "Total HT 39,01 €", "Total TVA 3,45 €", "Total TTC 42,46 €"]) expect(depositPdf).toContain(text);
    const balanceBytes = new Uint8Array(await (await owner.invoicePdf(companyId, balance.id)).arrayBuffer());
    const balancePdf = flat(await pdfPlainText(balanceBytes));
    for (const text of [
      "FACTURE DE SOLDE",
      "Total de la commande HT 130,03 €",
      "Total de la commande TTC 141,54 €",
      `Acompte ${deposit.number} du ${formatDateFr(deposit.issueDate!)} -42,46 €`,
      "20 % 21,02 € 4,21 €",
      "5,5 % 70,00 € 3,85 €",
      "Total HT du solde 91,02 €",
      "Solde TTC à payer 99,08 €",
    ]) {
      expect(balancePdf).toContain(text);
    }

    // the Factur-X XML embedded in each Factur-X PDF passes the project's structural checks and states the same cents
    const facturX = async (invoice: Invoice) => (await embeddedXml(new Uint8Array(await (await owner.invoiceFacturXPdf(companyId, invoice.id)).arrayBuffer())))!;
    const depositXml = await facturX(deposit);
    expect(depositXml).toBe(await owner.invoiceCiiXml(companyId, deposit.id));
    expect(ciiStructureErrors(depositXml)).toEqual([]);
    expect(depositXml).toContain("<ram:TypeCode>386</ram:TypeCode>");
    expect(depositXml.replace(/>\s+</g, "><")).toContain("<ram:GrandTotalAmount>42.46<");
    const balanceXml = await facturX(balance);
    expect(ciiStructureErrors(balanceXml)).toEqual([]);
    for (const amount of ["<ram:LineTotalAmount>130.03<", "<ram:AllowanceTotalAmount>39.01<", "<ram:TaxBasisTotalAmount>91.02<", '<ram:TaxTotalAmount currencyID="EUR">8.06<', "<ram:DuePayableAmount>99.08<"]) {
      expect(balanceXml.replace(/>\s+</g, "><")).toContain(amount);
    }

    const journal = await owner.salesJournal(companyId, { customerId });
    expect(journal.totals).toMatchObject({ htCents: 13003, vatCents: 1151, ttcCents: 14154 });

    const fec = checkFec(new Uint8Array(await (await owner.downloadExport(companyId, "fec", { customerId })).arrayBuffer()));
    const on = (prefix: string, journalCode?: string) =>
      fec.rows.filter((r) => r.CompteNum.startsWith(prefix) && (!journalCode || r.JournalCode === journalCode)).reduce((s, r) => s + fecCents(r.Credit) - fecCents(r.Debit), 0);
    expect([on("4191"), on("70"), on("4457120"), on("4457105"), -on("411", "VE"), -on("512")]).toEqual([0, 13003, 601, 550, 14154, 4246]);
    expect(fec.rows.filter((r) => r.PieceRef === balance.number && r.JournalCode === "VE").map((r) => [r.CompteNum, r.Debit, r.Credit])).toEqual([
      ["411000", "99,08", "0,00"],
      ["419100", "39,01", "0,00"],
      ["706000", "0,00", "30,03"],
      ["707000", "0,00", "100,00"],
      ["4457120", "0,00", "4,21"],
      ["4457105", "0,00", "3,85"],
    ]);
  });
});
