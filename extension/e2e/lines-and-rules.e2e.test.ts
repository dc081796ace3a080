/**
 * Lines as people write them and the rules the law sets, in the invoicing view of the built
 * extension in Chromium against the real API: a free-text line of 3,5 heures of goods (unit and
 * nature chosen under the line) saved and issued, its PDF printing « heures » and its Factur-X data
 * the unit code HUR; a mistyped IBAN refused in French next to its field in the company settings,
 * nothing saved; and a credit note of an amount alone (50,00 € TTC at 20 %, a commercial gesture).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page, Worker } from "playwright-core";
import type { Customer, Invoice } from "@passerelle/shared";
import { PasserelleClient } from "@passerelle/shared/client";
import { formatEuros } from "@passerelle/shared/format";
import { todayIn } from "@passerelle/shared/dates";
import { startApi, type ApiServer } from "./servers";
import { buildExtension, repoRoot } from "./chromium";
import { openExtension, signInAndOpenApp } from "./session";
import { catalogs } from "../test/i18n-fake";
import { pdfText } from "../../api/test/pdf-text";
import { frenchShot } from "./french";

const OWNER = { email: "owner@demo.passerelle.fr", password: "demo-passerelle-2026" };
const LONG = 90_000;
const REASON = "Geste commercial : pose reportée d'une semaine";

let api: ApiServer;
let build: Awaited<ReturnType<typeof buildExtension>>;
let context: BrowserContext;
let worker: Worker;
let extensionId: string;
let userDataDir: string;
let owner: PasserelleClient;
let companyId: string;
let customer: Customer;
let invoice: Invoice;
let app: Page;
let ui: (key: keyof typeof catalogs.fr, ...subs: (string | number)[]) => string;

const screenshots = path.join(repoRoot, "test-output", "extension-lines");
const extensionUrl = (page: string) => `chrome-extension://${extensionId}/${page}`;
const shot = frenchShot(screenshots);
const exact = { exact: true } as const;
/** The message shown under a field: its aria-describedby text. */
const messageOf = (page: Page, label: string) =>
  page.getByLabel(label, exact).evaluate((input) => document.getElementById(input.getAttribute("aria-describedby") ?? "")?.textContent ?? null);

beforeAll(async () => {
  fs.mkdirSync(screenshots, { recursive: true });
  build = await buildExtension();
  api = await startApi(repoRoot);
  owner = new PasserelleClient({ baseUrl: api.url });
  await owner.login(OWNER);
  companyId = (await owner.me()).memberships.find((m) => m.role === "owner")!.companyId;
  customer = await owner.createCustomer(companyId, { name: "Galerie des Canuts", address: "12 rue d'Austerlitz, 69004 Lyon" });

  ({ context, worker, extensionId, userDataDir, ui } = await openExtension(build.dist, api.url, "lines", LONG));
}, 300_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await api?.stop();
  build?.remove();
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
});

describe("lines as people write them and the law's rules, in Chromium", () => {
  it("signs in from the popup and opens the invoicing view", async () => {
    app = await signInAndOpenApp({ context, worker, extensionId, userDataDir, ui }, OWNER);
  });

  it("drafts a free-text line of 3,5 heures of goods: the unit and the nature chosen under the line are saved", async () => {
    await app.getByRole("navigation", { name: ui("appNavLabel") }).getByRole("link", { name: ui("appNewInvoice") }).click();
    const customerSelect = app.getByLabel(ui("appCustomer"), exact);
    await expect.poll(() => customerSelect.locator("option").allTextContents(), { timeout: LONG }).toContain(`${customer.name} (${customer.code})`);
    await customerSelect.selectOption(customer.id);
    const field = (name: Parameters<typeof ui>[0], line: number) => app.getByLabel(ui("appLineField", ui(name), line), exact);
    await field("appDescription", 1).fill("Pose de luminaires\nen vitrine, deux techniciens");
    await field("appQuantity", 1).fill("3,5");
    await field("appUnitPriceHt", 1).fill("65,00");
    expect(await field("appKind", 1).inputValue()).toBe("services");
    await field("appUnit", 1).selectOption({ label: "heure" });
    await field("appKind", 1).selectOption("goods");
    expect(await app.getByTestId("line-net").allTextContents()).toEqual([formatEuros(22_750)]);
    await shot(app, "01-line-in-hours-of-goods");
    await app.getByRole("button", { name: ui("appSaveDraft") }).click();
    await expect.poll(() => app.getByTestId("flash").textContent(), { timeout: LONG }).toContain(formatEuros(27_300));

    const [draft] = (await owner.listInvoices(companyId, { customerId: customer.id })).items;
    expect(draft!.lines.map((l) => [l.description, l.quantity, l.unit, l.kind, l.netCents])).toEqual([["Pose de luminaires\nen vitrine, deux techniciens", "3.5", "hour", "goods", 22_750]]);
    invoice = await owner.issueInvoice(companyId, draft!.id, todayIn("Europe/Paris", new Date()));
    const pdf = new Uint8Array(await (await owner.invoicePdf(companyId, invoice.id)).arrayBuffer());
    const printed = (await pdfText(pdf)).flat();
    expect(printed).toEqual(expect.arrayContaining(["3,5", "heures", "Pose de luminaires", "en vitrine, deux techniciens", "Nature des opérations : Livraison de biens"]));
    const cii = await owner.invoiceCiiXml(companyId, invoice.id);
    expect(cii).toContain('<ram:BilledQuantity unitCode="HUR">3.5</ram:BilledQuantity>');
  });

  it("refuses a mistyped IBAN in French next to the field, saving nothing", async () => {
    const before = await owner.getCompany(companyId);
    await app.goto(extensionUrl("app.html#/company"));
    const iban = app.getByLabel(ui("appIban"), exact);
    await iban.waitFor();
    await iban.fill("FR76 3000 6000 0112 3456 7890 188");
    await app.getByRole("button", { name: ui("save"), exact: true }).first().click();
    await expect.poll(() => messageOf(app, ui("appIban")), { timeout: LONG }).toBe("A une clé de contrôle fausse (ISO 13616 mod 97) : un caractère est mal saisi");
    expect(await iban.getAttribute("aria-invalid")).toBe("true");
    await shot(app, "02-iban-refused");
    expect((await owner.getCompany(companyId)).iban).toBe(before.iban);
  });

  it("issues a credit note of 50,00 € TTC at 20 % with its reason, a commercial gesture", async () => {
    await app.goto(extensionUrl(`app.html#/invoices/${invoice.id}`));
    await app.getByTestId("invoice-number").waitFor();
    // the issued line as it was typed: its two lines of text, its quantity in hours
    const row = app.locator("td.line-description").first();
    expect(await row.evaluate((cell) => (cell as HTMLElement).innerText)).toBe("Pose de luminaires\nen vitrine, deux techniciens");
    expect(await row.locator("xpath=following-sibling::td[1]").textContent()).toBe("3,5 heures");
    await app.getByRole("button", { name: ui("appCreateCreditNote") }).click();
    const form = app.getByTestId("credit-form");
    await form.getByLabel(ui("appCreditAmount")).check();
    await form.getByLabel(ui("appCreditAmountValue"), exact).fill("50");
    expect(await form.getByLabel(ui("appCreditAmountBasis"), exact).inputValue()).toBe("ttc");
    await form.getByLabel(ui("appCreditReason"), exact).fill(REASON);
    // 50,00 € TTC at 20 %: 41,67 € + VAT 8,33 €
    await expect.poll(() => form.getByTestId("credit-totals").locator('[data-total="ttc"] td').textContent(), { timeout: LONG }).toBe(formatEuros(5_000));
    expect(await form.getByTestId("credit-totals").locator('[data-total="ht"] td').textContent()).toBe(formatEuros(4_167));
    await form.getByRole("button", { name: ui("appIssueCreditNote") }).click();
    await shot(app, "03-gesture-confirmation");
    await form.getByRole("button", { name: ui("appCreditConfirm") }).click();
    const notes = () => owner.listInvoices(companyId, { customerId: customer.id, type: "credit_note" });
    await expect.poll(async () => (await notes()).items.length, { timeout: LONG }).toBe(1);
    const [note] = (await notes()).items;
    await expect.poll(() => app.getByTestId("flash").textContent(), { timeout: LONG }).toContain(ui("appCreditNoteIssued", note!.number!, formatEuros(5_000)));
    expect(note!.lines.map((l) => [l.description, l.quantity, l.unitPriceCents, l.vatRateBp, l.kind, l.creditedLineId])).toEqual([[REASON, "1", 4_167, 2000, "goods", null]]);
    expect(note!.totals).toEqual({ htCents: 4_167, vatCents: 833, ttcCents: 5_000, byRate: [{ vatRateBp: 2000, baseCents: 4_167, vatCents: 833 }] });
    await shot(app, "04-gesture-issued");
  });
});
