/**
 * The stores' screenshots, taken from the real extension: the API on a temporary data folder with
 * the demo, the built extension in Debian's Chromium, in French then in English. Writes
 * store/screenshots/{fr,en}/: the popup and the options framed with a caption, the invoicing view as
 * it fills a tab, all 1280 × 800, and the 440 × 280 promo tile.
 *
 *   npx tsx extension/scripts/store-screenshots.ts
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { startApi } from "../e2e/servers";
import { buildExtension, extensionRoot, extensionWorker, launchWithExtension, repoRoot } from "../e2e/chromium";
import { catalogs, getMessageFrom } from "../test/i18n-fake";
import type { browser as ExtensionApi } from "wxt/browser";

declare const chrome: typeof ExtensionApi;

const OWNER = { email: "owner@demo.passerelle.fr", password: "demo-passerelle-2026" };
const TIMEOUT = 90_000;
const SIZE = { width: 1280, height: 800 };
/** An address the options page explains before asking for it (never contacted). */
const FIRM_SERVER = "https://passerelle.cabinet-exemple.fr";

const CAPTIONS = {
  fr: {
    popup: ["Vos factures dans la barre d'outils", "Les dernières factures et leur état, le PDF en un clic, les retards sur le badge."],
    options: ["Votre serveur, et lui seul", "L'extension n'accède qu'au serveur Passerelle que vous choisissez, et vous dit pourquoi avant de le demander."],
    promo: "Factures et justificatifs, du navigateur à l'expert-comptable",
  },
  en: {
    popup: ["Your invoices in the toolbar", "The latest invoices and their state, the PDF in one click, overdue invoices on the badge."],
    options: ["Your server, and no other", "The extension reaches only the Passerelle server you choose, and tells you why before asking."],
    promo: "Invoices and documents, from the browser to the accountant",
  },
} as const;

const dataUrl = (png: Buffer) => `data:image/png;base64,${png.toString("base64")}`;
const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** A screen of the extension beside its caption, on a plain backdrop. */
function framed(shot: Buffer, [title, text]: readonly [string, string], lang: string): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><style>
    body { margin: 0; width: 1280px; height: 800px; display: flex; align-items: center; gap: 64px; padding: 0 88px; box-sizing: border-box;
      background: linear-gradient(135deg, #eef2ff, #f8fafc); font-family: "DejaVu Sans", sans-serif; color: #0f172a; }
    .caption { flex: 1; } h1 { font-size: 40px; line-height: 1.2; margin: 0 0 20px; } p { font-size: 22px; line-height: 1.5; color: #334155; margin: 0; }
    img { border-radius: 10px; box-shadow: 0 18px 48px rgba(15, 23, 42, 0.25); background: #fff; }
  </style></head><body><div class="caption"><h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p></div><img src="${dataUrl(shot)}"></body></html>`;
}

function promoTile(icon: Buffer, tagline: string, lang: string): string {
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><style>
    body { margin: 0; width: 440px; height: 280px; display: flex; flex-direction: column; align-items: center; justify-content: center; gap: 12px;
      background: linear-gradient(135deg, #1d4ed8, #1e3a8a); font-family: "DejaVu Sans", sans-serif; color: #fff; text-align: center; }
    h1 { font-size: 36px; margin: 0; } p { font-size: 17px; line-height: 1.4; margin: 0 36px; color: #dbeafe; }
    img { width: 96px; height: 96px; }
  </style></head><body><img src="${dataUrl(icon)}"><h1>Passerelle</h1><p>${escapeHtml(tagline)}</p></body></html>`;
}

async function render(context: BrowserContext, html: string, size: { width: number; height: number }, file: string) {
  const page = await context.newPage();
  await page.setViewportSize(size);
  await page.setContent(html);
  await page.screenshot({ path: file });
  await page.close();
}

async function settled(page: Page) {
  await page.locator("[aria-busy='true']").first().waitFor({ state: "detached", timeout: TIMEOUT }).catch(() => undefined);
}

async function shoot(dist: string, apiUrl: string, language: "fr" | "en") {
  const out = path.join(extensionRoot, "store", "screenshots", language);
  fs.mkdirSync(out, { recursive: true });
  const message = getMessageFrom(catalogs[language]);
  const ui = (key: keyof typeof catalogs.fr, ...subs: string[]) => message(key, subs);
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-store-chromium-"));
  const context = await launchWithExtension(dist, { language, userDataDir, timeout: TIMEOUT });
  context.setDefaultTimeout(TIMEOUT);
  try {
    const worker = await extensionWorker(context, TIMEOUT);
    const id = new URL(worker.url()).host;
    const page = (name: string) => `chrome-extension://${id}/${name}`;
    const uiLanguage = await worker.evaluate(() => chrome.i18n.getUILanguage());
    if (!uiLanguage.startsWith(language)) throw new Error(`Chromium runs in ${uiLanguage}, not ${language}: install Debian's chromium-l10n`);
    await worker.evaluate(async (url) => chrome.storage.local.set({ serverUrl: url }), apiUrl);

    const popup = await context.newPage();
    await popup.setViewportSize({ width: 380, height: 600 });
    await popup.goto(page("popup.html"));
    await popup.getByLabel(ui("email")).fill(OWNER.email);
    await popup.getByLabel(ui("password")).fill(OWNER.password);
    await popup.getByRole("button", { name: ui("signIn") }).click();
    await popup.getByTestId("invoice-list").waitFor();
    await settled(popup);
    await render(context, framed(await popup.screenshot(), CAPTIONS[language].popup, language), SIZE, path.join(out, "1-popup.png"));
    await popup.close();

    const app = await context.newPage();
    await app.setViewportSize(SIZE);
    await app.goto(page("app.html#/invoices"));
    await app.getByTestId("invoice-table").waitFor();
    await settled(app);
    await app.screenshot({ path: path.join(out, "2-invoicing.png") });
    await app.close();

    const options = await context.newPage();
    await options.setViewportSize({ width: 640, height: 440 });
    await options.goto(page("options.html"));
    const field = options.getByLabel(ui("serverUrl"));
    await field.fill(FIRM_SERVER);
    await options.getByTestId("server-permission").waitFor();
    await options.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await render(context, framed(await options.screenshot(), CAPTIONS[language].options, language), SIZE, path.join(out, "3-options.png"));
    await options.close();

    const icon = fs.readFileSync(path.join(extensionRoot, "public", "icons", "icon-128.png"));
    await render(context, promoTile(icon, CAPTIONS[language].promo, language), { width: 440, height: 280 }, path.join(out, "promo-440x280.png"));
  } finally {
    await context.close();
    fs.rmSync(userDataDir, { recursive: true, force: true });
  }
  console.log(`${language}: ${fs.readdirSync(out).sort().join(", ")} in ${path.relative(repoRoot, out)}`);
}

const build = await buildExtension();
const api = await startApi(repoRoot);
try {
  for (const language of ["fr", "en"] as const) await shoot(build.dist, api.url, language);
} finally {
  await api.stop();
  build.remove();
}
