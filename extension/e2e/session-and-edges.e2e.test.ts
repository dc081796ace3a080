/**
 * The built extension in Debian's Chromium (headless) against the real API with the demo loaded:
 * a session revoked while a form is being typed is signed into again in place and the form is
 * still there and saves; the invoicing view leaves its signed-out state when the popup signs in;
 * the text is 14 px despite Chrome's stylesheet for extension pages; the invoice list shows every
 * amount and the status in a 400 px side panel with the server's totals; a popup row opens its
 * document in the invoicing view.
 */
import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Locator, Page, Worker } from "playwright-core";
import { PasserelleClient } from "@passerelle/shared/client";
import { formatEuros } from "@passerelle/shared/format";
import type { browser as ExtensionApi } from "wxt/browser";
import { startApi, type ApiServer } from "./servers";
import { extensionRoot, extensionWorker, launchWithExtension, repoRoot } from "./chromium";
import { catalogs, getMessageFrom } from "../test/i18n-fake";

/** The extension API inside the service worker, where the `worker.evaluate` callbacks run. */
declare const chrome: typeof ExtensionApi;

const OWNER = { email: "owner@demo.passerelle.fr", password: "demo-passerelle-2026" };
const LONG = 90_000;
const CUSTOMER = { name: "Bouquinerie de la Croix-Rousse", line1: "4 rue d'Austerlitz" };

let api: ApiServer;
let context: BrowserContext;
let worker: Worker;
let extensionId: string;
let userDataDir: string;
let buildDir: string;
let owner: PasserelleClient;
let companyId: string;
const ui = (key: keyof typeof catalogs.fr, ...subs: (string | number)[]) => getMessageFrom(catalogs.fr)(key, subs.map(String));
const extensionUrl = (page: string) => `chrome-extension://${extensionId}/${page}`;
const exact = { exact: true } as const;
const screenshots = path.join(repoRoot, "test-output", "extension-edges");
const shot = (page: Page, name: string) => page.screenshot({ path: path.join(screenshots, `${name}.png`) });

beforeAll(async () => {
  fs.mkdirSync(screenshots, { recursive: true });
  buildDir = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-e2e-edges-"));
  const bin = path.join(repoRoot, "node_modules", ".bin", "wxt");
  await promisify(execFile)(bin, ["build"], { cwd: extensionRoot, env: { ...process.env, NODE_ENV: "production", PASSERELLE_EXTENSION_OUT: buildDir } });
  api = await startApi(repoRoot);
  owner = new PasserelleClient({ baseUrl: api.url });
  await owner.login(OWNER);
  companyId = (await owner.me()).memberships.find((m) => m.role === "owner")!.companyId;
  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-e2e-edges-chromium-"));
  context = await launchWithExtension(path.join(buildDir, "chrome-mv3"), { language: "fr", userDataDir, timeout: LONG });
  context.setDefaultTimeout(LONG);
  worker = await extensionWorker(context, LONG);
  extensionId = new URL(worker.url()).host;
  await worker.evaluate(async (url) => chrome.storage.local.set({ serverUrl: url }), api.url);
}, 300_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await api?.stop();
  for (const dir of [userDataDir, buildDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** The popup as the toolbar opens it: its own small window. */
async function openPopup(): Promise<Page> {
  const opened = context.waitForEvent("page", { predicate: (p) => p.url().startsWith(extensionUrl("popup.html")) });
  await worker.evaluate(async () => {
    await chrome.windows.create({ url: chrome.runtime.getURL("/popup.html"), type: "popup", width: 380, height: 600 });
  });
  const popup = await opened;
  await popup.setViewportSize({ width: 380, height: 600 });
  return popup;
}

async function signIn(page: Page | Locator, password = OWNER.password) {
  const email = page.getByLabel(ui("email"));
  if (!(await email.inputValue())) await email.fill(OWNER.email);
  await page.getByLabel(ui("password")).fill(password);
  await page.getByRole("button", { name: ui("signIn") }).click();
}

const fontSize = (page: Page) => page.evaluate(() => getComputedStyle(document.body).fontSize);

describe("the extension's rough edges, in Chromium", () => {
  let app: Page;

  it("writes at 14 px in the popup and the invoicing view, whatever Chrome's stylesheet for extension pages says", async () => {
    const popup = await openPopup();
    await signIn(popup);
    await popup.getByTestId("invoice-list").waitFor();
    expect(await fontSize(popup)).toBe("14px");
    await popup.close();

    app = await context.newPage();
    await app.setViewportSize({ width: 1280, height: 800 });
    await app.goto(extensionUrl("app.html#/invoices"));
    await app.getByTestId("invoice-table").waitFor();
    expect(await fontSize(app)).toBe("14px");
  });

  it("shows HT, TVA, TTC and the status of every row in a 400 px side panel, and totals the whole filter as the server does", async () => {
    await app.setViewportSize({ width: 400, height: 800 });
    const row = app.getByTestId("invoice-table").locator("tbody tr").first();
    for (const label of [ui("appHt"), ui("appVat"), ui("appTtc"), ui("appStatus")]) {
      const cell = row.locator(`td[data-label="${label}"]`);
      const box = (await cell.boundingBox())!;
      expect([label, box.width > 0, box.x >= 0, box.x + box.width <= 400]).toEqual([label, true, true, true]);
    }
    const { totals } = await owner.listInvoices(companyId, { limit: 1 });
    const footer = app.getByTestId("list-totals");
    expect(await footer.locator("th").textContent()).toBe(ui("appListTotal", totals.count));
    expect(await footer.locator(`td[data-label="${ui("appTtc")}"]`).textContent()).toBe(formatEuros(totals.ttcCents));
    await row.scrollIntoViewIfNeeded();
    await shot(app, "1-narrow-invoice-list");
    await app.setViewportSize({ width: 1280, height: 800 });
  });

  it("shows every product's name whole in an invoice line at 1280 px, and takes a description on several lines", async () => {
    await app.goto(extensionUrl("app.html#/invoices/new"));
    const product = app.getByLabel(ui("appLineField", ui("appProduct"), 1), exact);
    await expect.poll(() => product.locator("option").count(), { timeout: LONG }).toBeGreaterThan(20);
    // The widest name, measured in the select's own font, against the room the select gives its text.
    const fit = await product.evaluate((select: HTMLSelectElement) => {
      const style = getComputedStyle(select);
      const ctx = document.createElement("canvas").getContext("2d")!;
      ctx.font = `${style.fontWeight} ${style.fontSize} ${style.fontFamily}`;
      const widest = Math.max(...[...select.options].map((o) => ctx.measureText(o.text).width));
      const room = select.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight) - 20; // the arrow
      return { widest, room };
    });
    expect(fit.widest).toBeLessThanOrEqual(fit.room);
    const description = app.getByLabel(ui("appLineField", ui("appDescription"), 1), exact);
    await description.fill("Pose en plafond\nfinition laiton");
    expect(await description.evaluate((el) => el.tagName)).toBe("TEXTAREA");
    expect(await description.inputValue()).toBe("Pose en plafond\nfinition laiton");
  });

  it("keeps a form typed while the session was revoked: signed in again over it, it is still there and saves", async () => {
    await app.goto(extensionUrl("app.html#/customers/new"));
    await app.getByLabel(ui("appName"), exact).fill(CUSTOMER.name);
    await app.getByLabel(ui("appAddressLine1"), exact).fill(CUSTOMER.line1);
    // Revoked on the server, as a sign-out from elsewhere or an expiry would.
    const token = await worker.evaluate(async () => ((await chrome.storage.session.get("auth")) as { auth: { token: string } }).auth.token);
    const revoked = await fetch(`${api.url}/api/v1/auth/logout`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
    expect(revoked.status).toBe(204);

    await app.getByRole("button", { name: ui("appCreateCustomer") }).click();
    const again = app.getByTestId("sign-in-again");
    await again.waitFor();
    expect(await again.getByLabel(ui("email")).inputValue()).toBe(OWNER.email);
    await shot(app, "2-signed-in-again-over-the-form");
    await signIn(again);
    await again.waitFor({ state: "detached" });
    expect(await app.getByLabel(ui("appName"), exact).inputValue()).toBe(CUSTOMER.name);
    expect(await app.getByLabel(ui("appAddressLine1"), exact).inputValue()).toBe(CUSTOMER.line1);

    await app.getByRole("button", { name: ui("appCreateCustomer") }).click();
    await app.getByTestId("flash").waitFor();
    const found = await owner.listCustomers(companyId, { q: CUSTOMER.name });
    expect(found.items.map((c) => [c.name, c.address.line1])).toEqual([[CUSTOMER.name, CUSTOMER.line1]]);
  });

  it("leaves its signed-out state when the popup signs in, and signing out clears the badge", async () => {
    await app.goto(extensionUrl("app.html#/invoices"));
    await app.getByTestId("invoice-table").waitFor();
    await app.getByRole("button", { name: ui("signOut") }).click();
    await app.getByRole("heading", { name: ui("signInTitle") }).waitFor();
    await expect.poll(() => worker.evaluate(() => chrome.action.getBadgeText({})), { timeout: LONG }).toBe("");

    const popup = await openPopup();
    await signIn(popup);
    await popup.getByTestId("invoice-list").waitFor();
    // The demo has overdue invoices: the badge counts them again.
    await expect.poll(() => worker.evaluate(() => chrome.action.getBadgeText({})), { timeout: LONG }).toMatch(/^\d+\+?$/);
    await app.getByTestId("invoice-table").waitFor();
    expect(await app.getByRole("heading", { name: ui("signInTitle") }).count()).toBe(0);

    // A row of the popup opens its document in the invoicing view.
    const first = (await owner.listInvoices(companyId, { limit: 1 })).items[0]!;
    const opened = context.waitForEvent("page", { predicate: (p) => p.url() === extensionUrl(`app.html#/invoices/${first.id}`) });
    await popup.getByRole("link", { name: ui("invoiceOpenIn", first.number ?? ui("stateDraft")) }).click();
    const detail = await opened;
    await expect.poll(() => detail.getByTestId("invoice-number").textContent(), { timeout: LONG }).toContain(first.number ?? "");
  });
});
