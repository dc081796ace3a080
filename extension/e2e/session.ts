/**
 * What most end-to-end runs start from: the built extension in Chromium, pointed at a test server,
 * with the interface's words in the language Chromium gives it; then the owner signed in from the
 * popup, with the invoicing view opened from it.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { BrowserContext, Page, Worker } from "playwright-core";
import type { browser as ExtensionApi } from "wxt/browser";
import { extensionWorker, launchWithExtension } from "./chromium";
import { catalogs, getMessageFrom } from "../test/i18n-fake";

declare const chrome: typeof ExtensionApi;

export type Ui = (key: keyof typeof catalogs.fr, ...subs: (string | number)[]) => string;

export interface ExtensionInChromium {
  context: BrowserContext;
  worker: Worker;
  extensionId: string;
  /** The browser profile, for the run to remove. */
  userDataDir: string;
  ui: Ui;
}

/** Chromium in French with the built extension (`dist`), its server set to `serverUrl`. */
export async function openExtension(dist: string, serverUrl: string, name: string, timeout: number): Promise<ExtensionInChromium> {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), `passerelle-e2e-${name}-chromium-`));
  const context = await launchWithExtension(dist, { language: "fr", userDataDir, timeout });
  context.setDefaultTimeout(timeout);
  const worker = await extensionWorker(context, timeout);
  const extensionId = new URL(worker.url()).host;
  const language = await worker.evaluate(() => chrome.i18n.getUILanguage());
  const message = getMessageFrom(catalogs[language.startsWith("fr") ? "fr" : "en"]);
  const ui: Ui = (key, ...subs) => message(key, subs.map(String));
  await worker.evaluate(async (url) => chrome.storage.local.set({ serverUrl: url }), serverUrl);
  return { context, worker, extensionId, userDataDir, ui };
}

/** Signs in from the popup and opens the invoicing view from it: the view, 1280 px wide, on its home screen; the popup closed. */
export async function signInAndOpenApp(x: ExtensionInChromium, owner: { email: string; password: string }): Promise<Page> {
  const extensionUrl = (page: string) => `chrome-extension://${x.extensionId}/${page}`;
  const opened = x.context.waitForEvent("page", { predicate: (p) => p.url().startsWith(extensionUrl("popup.html")) });
  await x.worker.evaluate(async () => {
    await chrome.windows.create({ url: chrome.runtime.getURL("/popup.html"), type: "popup", width: 380, height: 600 });
  });
  const popup = await opened;
  await popup.getByLabel(x.ui("email")).fill(owner.email);
  await popup.getByLabel(x.ui("password")).fill(owner.password);
  await popup.getByRole("button", { name: x.ui("signIn") }).click();
  const open = popup.getByRole("button", { name: x.ui("appOpen"), exact: true });
  await open.waitFor();
  const tab = x.context.waitForEvent("page", { predicate: (p) => p.url().startsWith(extensionUrl("app.html")) });
  await open.click();
  const app = await tab;
  await app.setViewportSize({ width: 1280, height: 900 });
  await app.getByTestId("home-figures").waitFor();
  await popup.close().catch(() => undefined);
  return app;
}
