/**
 * Deposits end to end, in Chromium against a real API server: a draft typed by the owner becomes
 * the customer's order with a 30 % deposit invoice, issued and paid from the invoicing view; the
 * deposit leads to the balance invoice, which deducts it and is issued in turn. Then the PDFs, the
 * sales journal and the FEC, read back from the API, agree to the cent.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page, Worker } from "playwright-core";
import type { Invoice } from "@passerelle/shared";
import { PasserelleClient } from "@passerelle/shared/client";
import { formatEuros } from "@passerelle/shared/format";
import { todayIn } from "@passerelle/shared/dates";
import { startApi, type ApiServer } from "./servers";
import { buildExtension, repoRoot } from "./chromium";
import { openExtension, signInAndOpenApp } from "./session";
import { catalogs } from "../test/i18n-fake";
import { pdfPlainText } from "../../api/test/pdf-text";
import { frenchShot } from "./french";

const OWNER = { email: "owner@demo.passerelle.fr", password: "demo-passerelle-2026" };
const LONG = 90_000;
// 3 × 10,01 € at 20 % and 100,00 € at 5,5 %: 130,03 € HT, VAT 6,01 € + 5,50 €, 141,54 € TTC
const LINES = [
  { description: "Étude d'éclairage", quantity: "3", unitPriceCents: 1001, vatRateBp: 2000, kind: "services" as const },
  { description: "Livre « Éclairer la maison »", quantity: "1", unitPriceCents: 10000, vatRateBp: 550, kind: "goods" as const },
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
let draftId: string;
let deposit: Invoice;
let balance: Invoice;
let app: Page;
let ui: (key: keyof typeof catalogs.fr, ...subs: (string | number)[]) => string;
const today = todayIn("Europe/Paris", new Date());

const screenshots = path.join(repoRoot, "test-output", "extension-deposits");
const extensionUrl = (page: string) => `chrome-extension://${extensionId}/${page}`;
const shot = frenchShot(screenshots);
const flat = (text: string) => text.replace(/[\s\u202f\u00a0]+/g, " ");

beforeAll(async () => {
  fs.mkdirSync(screenshots, { recursive: true });
  build = await buildExtension();
  api = await startApi(repoRoot);
  owner = new PasserelleClient({ baseUrl: api.url });
  await owner.login(OWNER);
  companyId = (await owner.me()).memberships.find((m) => m.role === "owner")!.companyId;
  customerId = (await owner.createCustomer(companyId, { name: "Atelier des Canuts", address: "12 rue d'Austerlitz, 69004 Lyon" })).id;
  draftId = (await owner.createDraft(companyId, { customerId, lines: LINES })).id;

  ({ context, worker, extensionId, userDataDir, ui } = await openExtension(build.dist, api.url, "deposits", LONG));
}, 300_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await api?.stop();
  build?.remove();
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
});

describe("order → 30 % deposit → payment → balance invoice, in Chromium", () => {
  it("signs in from the popup and opens the invoicing view", async () => {
    app = await signInAndOpenApp({ context, worker, extensionId, userDataDir, ui }, OWNER);
  });

  it("turns the draft into the order and asks a 30 % deposit: 39,01 € HT shared 9,01 € at 20 % and 30,00 € at 5,5 %", async () => {
    await app.goto(extensionUrl(`app.html#/invoices/${draftId}`));
    const section = app.getByTestId("deposit-section");
    await section.waitFor();
    expect(await section.getByLabel(ui("appDepositPercent"), { exact: true }).inputValue()).toBe("30");
    await section.getByLabel(ui("appDepositReference"), { exact: true }).fill("BC-2026-17");
    await shot(app, "00-draft-with-deposit");
    await section.getByTestId("create-deposit").click();
    await app.getByRole("heading", { name: ui("appDepositTitle") }).waitFor();
    await expect.poll(() => app.getByTestId("flash").textContent(), { timeout: LONG }).toContain(ui("appDepositCreated", formatEuros(4246)));
    expect(await app.getByTestId("order-reference").textContent()).toBe("BC-2026-17");
    const totals = app.getByTestId("draft-totals");
    expect(flat((await totals.locator('tr[data-rate="2000"]').textContent())!)).toContain(`${flat(formatEuros(901))}${flat(formatEuros(180))}`);
    expect(flat((await totals.locator('tr[data-rate="550"]').textContent())!)).toContain(`${flat(formatEuros(3000))}${flat(formatEuros(165))}`);
    expect(flat((await totals.locator('tr[data-total="ttc"]').textContent())!)).toContain(flat(formatEuros(4246)));
    // the draft it came from is gone: the order holds its lines now
    await expect(owner.getInvoice(companyId, draftId)).rejects.toMatchObject({ status: 404 });
    await shot(app, "01-deposit-draft");
  });

  it("issues the deposit in the invoice series and records its payment", async () => {
    await app.getByTestId("issue-order-draft").click();
    const number = app.getByTestId("invoice-number");
    await number.waitFor();
    deposit = (await owner.listInvoices(companyId, { customerId, type: "invoice" })).items.find((i) => i.orderRole === "deposit")!;
    expect(deposit).toMatchObject({ status: "issued", totals: { htCents: 3901, vatCents: 345, ttcCents: 4246 } });
    expect(deposit.number).toMatch(/^F\d{4}-\d{5}$/);
    expect(await number.textContent()).toBe(ui("appDepositInvoiceNumber", deposit.number!));

    await app.getByRole("button", { name: ui("appRecordPayment") }).click();
    const form = app.getByTestId("payment-form");
    expect(await form.getByLabel(ui("appAmountReceived"), { exact: true }).inputValue()).toBe("42,46");
    await form.getByLabel(ui("appPaymentMethod"), { exact: true }).selectOption("transfer");
    await form.getByRole("button", { name: ui("appRecordThisPayment") }).click();
    await expect.poll(() => app.getByTestId("flash").textContent(), { timeout: LONG }).toContain(ui("appPaymentRecorded", formatEuros(4246), ui("statePaid")));
    await shot(app, "02-deposit-paid");
  });

  it("draws up the balance invoice from the deposit: the order less the deposit, 99,08 € to pay, then issues it", async () => {
    await app.getByTestId("balance-invoice").click();
    await app.getByRole("heading", { name: ui("appBalanceTitle") }).waitFor();
    const deductions = app.getByTestId("deductions");
    expect(flat((await deductions.locator('tr[data-total="order"]').textContent())!)).toContain(flat(formatEuros(14154)));
    expect(flat((await deductions.locator(`tr[data-deposit="${deposit.number}"]`).textContent())!)).toContain(flat(`-${formatEuros(4246)}`));
    expect(flat((await deductions.locator('tr[data-total="balance"]').textContent())!)).toContain(flat(formatEuros(9908)));
    expect(await app.getByTestId("order-lines").locator("tr").count()).toBe(2);
    await shot(app, "03-balance-draft");
    await app.getByTestId("issue-order-draft").click();
    await app.getByTestId("invoice-number").waitFor();
    balance = (await owner.listInvoices(companyId, { customerId, type: "invoice" })).items.find((i) => i.orderRole === "balance")!;
    expect(balance).toMatchObject({
      status: "issued",
      dueCents: 9908,
      totals: { htCents: 9102, vatCents: 806, ttcCents: 9908, byRate: [{ vatRateBp: 2000, baseCents: 2102, vatCents: 421 }, { vatRateBp: 550, baseCents: 7000, vatCents: 385 }] },
      deductions: [{ invoiceId: deposit.id, number: deposit.number, ttcCents: 4246 }],
    });
    expect(await app.getByTestId("invoice-number").textContent()).toBe(ui("appBalanceInvoiceNumber", balance.number!));
    await app.getByTestId("deductions").waitFor();
    await shot(app, "04-balance-issued");
  });

  it("the PDFs, the sales journal and the FEC agree to the cent", async () => {
    const depositPdf = flat(await pdfPlainText(new Uint8Array(await (await owner.invoicePdf(companyId, deposit.id)).arrayBuffer())));
    for (const text of ["FACTURE D'ACOMPTE", "Acompte sur la commande BC-2026-17", "Total HT 39,01 €", "Total TVA 3,45 €", "Total TTC 42,46 €"]) expect(depositPdf).toContain(text);
    const balancePdf = flat(await pdfPlainText(new Uint8Array(await (await owner.invoicePdf(companyId, balance.id)).arrayBuffer())));
    for (const text of [
      "FACTURE DE SOLDE",
      "Total de la commande TTC 141,54 €",
      `Acompte ${deposit.number} du `,
      "-42,46 €",
      "20 % 21,02 € 4,21 €",
      "5,5 % 70,00 € 3,85 €",
      "Solde TTC à payer 99,08 €",
    ]) {
      expect(balancePdf).toContain(text);
    }

    const journal = await owner.salesJournal(companyId, { customerId });
    expect(journal.totals).toMatchObject({ htCents: 13003, vatCents: 1151, ttcCents: 14154 });

    const fec = await (await owner.downloadExport(companyId, "fec", { customerId })).text();
    const rows = fec
      .split("\r\n")
      .slice(1)
      .filter(Boolean)
      .map((l) => l.split("\t"));
    const cents = (v: string) => Math.round(Number(v.replace(",", ".")) * 100);
    const balanceOn = (prefix: string, journalCode?: string) =>
      rows.filter((r) => r[4]!.startsWith(prefix) && (!journalCode || r[0] === journalCode)).reduce((s, r) => s + cents(r[12]!) - cents(r[11]!), 0);
    expect(balanceOn("4191")).toBe(0);
    expect(balanceOn("70")).toBe(journal.totals.htCents);
    expect(balanceOn("4457")).toBe(journal.totals.vatCents);
    expect(balanceOn("4457120")).toBe(601);
    expect(balanceOn("4457105")).toBe(550);
    expect(-balanceOn("411", "VE")).toBe(journal.totals.ttcCents);
    expect(-balanceOn("512")).toBe(4246);
    const depositRows = rows.filter((r) => r[8] === deposit.number && r[0] === "VE").map((r) => [r[4], r[11], r[12]]);
    expect(depositRows).toEqual([
      ["411000", "42,46", "0,00"],
      ["419100", "0,00", "39,01"],
      ["4457120", "0,00", "1,80"],
      ["4457105", "0,00", "1,65"],
    ]);
    expect(today).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});
