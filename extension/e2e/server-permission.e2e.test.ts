/**
 * An https Passerelle server in Debian's Chromium: the built extension against the real API behind
 * a TLS front under a host name of its own (the API sends no CORS headers, so only the host
 * permission lets the extension reach it). What each step proves:
 * - before the owner allows the host, the background cannot reach the server at all;
 * - the options page says why before asking, and the request comes from the click: Chromium refuses
 *   a request made outside a user gesture at once (shown from the background), and this one stays
 *   open on its prompt;
 * - once the host is allowed — here from the extension's site access in chrome://extensions, the
 *   call that page makes (a headless Chromium's prompt cannot be answered by a test) — saving takes
 *   it without a prompt, the permission is granted, and the owner signs in there from the popup with
 *   no reinstall or reload;
 * - forgetting the server gives the host back: the background can no longer reach it.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { BrowserContext, Page, Worker } from "playwright-core";
import { PasserelleClient } from "@passerelle/shared/client";
import type { browser as ExtensionApi } from "wxt/browser";
import { startApi, startHttpsFront, type ApiServer, type HttpsFront } from "./servers";
import { buildExtension, extensionWorker, launchWithExtension, repoRoot } from "./chromium";
import { catalogs, getMessageFrom } from "../test/i18n-fake";

/** The extension API inside the service worker and its pages, where the `evaluate` callbacks run. */
declare const chrome: typeof ExtensionApi & { developerPrivate: { addHostPermission(id: string, host: string): Promise<void> } };

const HOST = "passerelle.test";
const ORIGIN = `https://${HOST}/*`;
const OWNER = { email: "owner@demo.passerelle.fr", password: "demo-passerelle-2026" };
const LONG = 90_000;
const screenshots = path.join(repoRoot, "test-output", "extension");

let api: ApiServer;
let front: HttpsFront;
let build: Awaited<ReturnType<typeof buildExtension>>;
let context: BrowserContext;
let worker: Worker;
let extensionId: string;
let userDataDir: string;
let ui: (key: keyof typeof catalogs.fr, ...subs: (string | number)[]) => string;

const extensionUrl = (page: string) => `chrome-extension://${extensionId}/${page}`;

/** What the background gets when it fetches the server's /health itself. */
const backgroundReaches = () =>
  worker.evaluate(async (url) => {
    try {
      return (await fetch(url)).status;
    } catch (error) {
      return String(error);
    }
  }, `${front.url}/health`);
const grantedOrigins = async () => (await worker.evaluate(() => chrome.permissions.getAll())).origins ?? [];

async function optionsPage(): Promise<Page> {
  const page = await context.newPage();
  await page.goto(extensionUrl("options.html"));
  await expect.poll(() => page.getByLabel(ui("serverUrl")).inputValue(), { timeout: LONG }).not.toBe("");
  return page;
}

beforeAll(async () => {
  fs.mkdirSync(screenshots, { recursive: true });
  build = await buildExtension();
  api = await startApi(repoRoot);
  front = await startHttpsFront(api.url, HOST);
  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-e2e-chromium-tls-"));
  context = await launchWithExtension(build.dist, {
    language: "fr",
    userDataDir,
    // The test's certificate is trusted by its key alone; the host name leads to the TLS front.
    args: [`--ignore-certificate-errors-spki-list=${front.spki}`, `--host-resolver-rules=MAP ${HOST} 127.0.0.1`],
    timeout: LONG,
  });
  context.setDefaultTimeout(LONG);
  worker = await extensionWorker(context, LONG);
  extensionId = new URL(worker.url()).host;
  const language = await worker.evaluate(() => chrome.i18n.getUILanguage());
  const message = getMessageFrom(catalogs[language.startsWith("fr") ? "fr" : "en"]);
  ui = (key, ...subs) => message(key, subs.map(String));
}, 300_000);

afterAll(async () => {
  await context?.close().catch(() => undefined);
  await Promise.all([front?.stop(), api?.stop()]);
  build?.remove();
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
});

describe("an https server in Chromium", () => {
  it("is out of the background's reach before the owner allows its host", async () => {
    expect(await backgroundReaches()).toBe("TypeError: Failed to fetch");
    expect(await grantedOrigins()).toEqual(["http://127.0.0.1/*", "http://localhost/*"]);
  });

  it("is explained, then asked for from the click: Chromium opens its prompt and the address waits for the answer", async () => {
    const options = await optionsPage();
    await options.getByLabel(ui("serverUrl")).fill(front.url);
    const explanation = options.getByTestId("server-permission");
    await expect.poll(() => explanation.textContent()).toBe(ui("serverPermissionWhy", HOST));
    await options.screenshot({ path: path.join(screenshots, "9-options-https-explained.png"), fullPage: true });

    // Outside a user gesture (here, from the background) Chromium refuses at once: an open request is one it took as the owner's.
    const outsideGesture = await worker.evaluate((origin) => chrome.permissions.request({ origins: [origin] }).then(String, (e: Error) => e.message), ORIGIN);
    expect(outsideGesture).toBe("This function must be called during a user gesture");

    await options.getByRole("button", { name: ui("save") }).click();
    await expect.poll(() => explanation.textContent()).toBe(ui("serverPermissionPrompt", HOST));
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(await explanation.textContent()).toBe(ui("serverPermissionPrompt", HOST));
    expect(await worker.evaluate(() => chrome.storage.local.get("serverUrl"))).toEqual({});
    expect(await grantedOrigins()).toEqual(["http://127.0.0.1/*", "http://localhost/*"]);
    await options.close();
  });

  it("once the host is allowed, is saved and used at once: the owner signs in there from the popup", async () => {
    const settings = await context.newPage();
    await settings.goto("chrome://extensions");
    await settings.evaluate(({ id, origin }) => chrome.developerPrivate.addHostPermission(id, origin), { id: extensionId, origin: ORIGIN });
    await settings.close();

    const options = await optionsPage();
    await options.getByLabel(ui("serverUrl")).fill(front.url);
    await options.getByRole("button", { name: ui("save") }).click();
    await expect.poll(() => options.getByTestId("options-outcome").textContent()).toBe(ui("serverReachable", front.url, "0.1.0"));
    expect(await grantedOrigins()).toEqual(["http://127.0.0.1/*", "http://localhost/*", ORIGIN]);
    expect(await backgroundReaches()).toBe(200);

    const popup = await context.newPage();
    await popup.goto(extensionUrl("popup.html"));
    await popup.getByLabel(ui("email")).fill(OWNER.email);
    await popup.getByLabel(ui("password")).fill(OWNER.password);
    await popup.getByRole("button", { name: ui("signIn") }).click();
    const owner = new PasserelleClient({ baseUrl: api.url });
    await owner.login(OWNER);
    const companyId = (await owner.me()).memberships.find((m) => m.role === "owner")!.companyId;
    const latest = await owner.listInvoices(companyId, { limit: 25 });
    const numbers = popup.getByTestId("invoice-list").locator(".invoice-number");
    await expect.poll(() => numbers.allTextContents(), { timeout: LONG }).toEqual(latest.items.map((i) => i.number ?? ui("stateDraft")));
    expect(await worker.evaluate(async () => ((await chrome.storage.session.get("auth")).auth as { serverUrl: string }).serverUrl)).toBe(front.url);
    await popup.close();
    await options.close();
  });

  it("is given back when the owner forgets it: signed out, and out of the background's reach again", async () => {
    const options = await optionsPage();
    await options.getByRole("button", { name: ui("serverForget") }).click();
    await expect.poll(() => options.getByTestId("options-outcome").textContent()).toBe(ui("serverForgotten", front.url, "http://localhost:8787"));
    expect(await grantedOrigins()).toEqual(["http://127.0.0.1/*", "http://localhost/*"]);
    expect(await backgroundReaches()).toBe("TypeError: Failed to fetch");
    expect(await worker.evaluate(() => chrome.storage.session.get(null))).toEqual({});
    await options.close();
  });
});
