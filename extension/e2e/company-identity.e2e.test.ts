/**
 * The company's identity from the Entreprise screen of the built extension, in Chromium, against
 * the real API: the owner fills in the phone, the APE code and the répertoire des métiers, chooses a
 * logo (shown as stored), sees an SVG with a script refused by name, then downloads an invoice issued
 * afterwards: its PDF holds the logo's image and prints the new registrations.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page, Worker } from "playwright-core";
import { PDFDocument, PDFName, PDFNumber, PDFRawStream } from "pdf-lib";
import { PasserelleClient } from "@passerelle/shared/client";
import { todayIn } from "@passerelle/shared/dates";
import { startApi, type ApiServer } from "./servers";
import { buildExtension, repoRoot } from "./chromium";
import { openExtension, signInAndOpenApp } from "./session";
import { catalogs } from "../test/i18n-fake";
import { pngOf } from "../../api/test/images";
import { pdfText } from "../../api/test/pdf-text";
import { frenchShot } from "./french";

const OWNER = { email: "owner@demo.passerelle.fr", password: "demo-passerelle-2026" };
const LONG = 90_000;

let api: ApiServer;
let build: Awaited<ReturnType<typeof buildExtension>>;
let context: BrowserContext;
let worker: Worker;
let extensionId: string;
let userDataDir: string;
let owner: PasserelleClient;
let companyId: string;
let app: Page;
let ui: (key: keyof typeof catalogs.fr, ...subs: (string | number)[]) => string;

const screenshots = path.join(repoRoot, "test-output", "extension-identity");
const extensionUrl = (page: string) => `chrome-extension://${extensionId}/${page}`;
const shot = frenchShot(screenshots);
const exact = { exact: true } as const;
const LOGO = pngOf(300, 100, [200, 30, 60]);

beforeAll(async () => {
  fs.mkdirSync(screenshots, { recursive: true });
  build = await buildExtension();
  api = await startApi(repoRoot);
  owner = new PasserelleClient({ baseUrl: api.url });
  await owner.login(OWNER);
  companyId = (await owner.me()).memberships.find((m) => m.role === "owner")!.companyId;

  ({ context, worker, extensionId, userDataDir, ui } = await openExtension(build.dist, api.url, "identity", LONG));
}, 300_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await api?.stop();
  build?.remove();
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
});

describe("the company's identity and logo, in Chromium", () => {
  it("signs in from the popup and opens the Entreprise screen", async () => {
    app = await signInAndOpenApp({ context, worker, extensionId, userDataDir, ui }, OWNER);
    await app.goto(extensionUrl("app.html#/company"));
    await app.getByTestId("no-logo").waitFor();
  });

  it("refuses an APE code written wrong on the field, then saves the phone, the APE code and the RM", async () => {
    await app.getByLabel(ui("appPhone"), exact).fill("04 78 00 00 00");
    await app.getByLabel(ui("appApeCode"), exact).fill("432");
    await app.getByRole("button", { name: ui("save"), exact: true }).click();
    await app.getByText(ui("appRuleApeCode")).waitFor();
    expect((await owner.getCompany(companyId)).apeCode).toBeNull();
    await app.getByLabel(ui("appApeCode"), exact).fill("4332a");
    await app.getByLabel(ui("appRmDepartment"), exact).fill("69");
    await app.getByRole("button", { name: ui("save"), exact: true }).click();
    await expect.poll(() => app.getByTestId("flash").textContent(), { timeout: LONG }).toContain(ui("appCompanySaved"));
    const company = await owner.getCompany(companyId);
    expect([company.phone, company.apeCode, company.rmDepartment]).toEqual(["04 78 00 00 00", "43.32A", "69"]);
    expect(await app.getByLabel(ui("appApeCode"), exact).inputValue()).toBe("43.32A");
  });

  it("chooses a PNG logo: kept by the API and shown as stored; an SVG with a script is refused by name", async () => {
    await app.getByTestId("logo-file").setInputFiles({ name: "logo.png", mimeType: "image/png", buffer: LOGO });
    await expect.poll(() => app.getByTestId("flash").textContent(), { timeout: LONG }).toContain(ui("appLogoSaved"));
    const img = app.getByTestId("company-logo");
    await img.waitFor();
    await expect.poll(() => img.evaluate((el) => (el as HTMLImageElement).naturalWidth), { timeout: LONG }).toBe(300);
    expect(await app.getByText(ui("appLogoFacts", "PNG", 300, 100, 1)).count()).toBe(1);
    expect((await owner.getCompany(companyId)).logo).toMatchObject({ mediaType: "image/png", width: 300, height: 100, sizeBytes: LOGO.length });
    await shot(app, "00-logo");

    const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><script>alert(1)</script></svg>';
    await app.getByTestId("logo-file").setInputFiles({ name: "logo.svg", mimeType: "image/svg+xml", buffer: Buffer.from(svg) });
    await expect.poll(() => app.getByTestId("logo-problem").textContent(), { timeout: LONG }).toBe("Est un SVG qui contient un <script>");
    expect((await owner.getCompany(companyId)).logo).toMatchObject({ mediaType: "image/png" });
    await shot(app, "01-svg-refused");
  });

  it("an invoice issued now is downloaded with the logo's image and the new registrations", async () => {
    const customer = await owner.createCustomer(companyId, { name: "Librairie des Pentes", address: "4 montée de la Grande-Côte, 69001 Lyon" });
    const draft = await owner.createDraft(companyId, {
      customerId: customer.id,
      lines: [{ description: "Pose d'appliques", quantity: "1", unitPriceCents: 24_000, vatRateBp: 2000, kind: "services" }],
    });
    const invoice = await owner.issueInvoice(companyId, draft.id, todayIn("Europe/Paris", new Date()));
    await app.goto(extensionUrl(`app.html#/invoices/${invoice.id}`));
    await app.getByTestId("invoice-number").waitFor();
    const download = app.waitForEvent("download");
    await app.getByRole("button", { name: ui("appDownloadPdf") }).click();
    const bytes = fs.readFileSync((await (await download).path())!);
    const doc = await PDFDocument.load(bytes);
    const images = [...doc.context.enumerateIndirectObjects()]
      .map(([, o]) => o)
      .filter((o): o is PDFRawStream => o instanceof PDFRawStream && o.dict.get(PDFName.of("Subtype")) === PDFName.of("Image"))
      .map((o) => [(o.dict.get(PDFName.of("Width")) as PDFNumber).asNumber(), (o.dict.get(PDFName.of("Height")) as PDFNumber).asNumber()]);
    expect(images).toEqual([[300, 100]]);
    const printed = (await pdfText(bytes)).flat().join("\n");
    expect(printed).toContain("RM 69");
    expect(printed).toContain("APE 43.32A");
    expect(printed).toContain("04 78 00 00 00");
  });
});
