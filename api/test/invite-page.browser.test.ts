/** The invitation page in a real browser with JavaScript turned off (Debian's Chromium via playwright-core). */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { serve, type ServerType } from "@hono/node-server";
import { chromium, type Browser } from "playwright-core";
import { PasserelleClient } from "@passerelle/shared";
import { createApp } from "../src/app.js";
import { createDeps } from "../src/deps.js";
import { testConfig } from "../src/config.js";
import { COMPANY } from "./helpers.js";
import { latestMail, linkToken } from "./access-helpers.js";
import { signupLinkToken } from "./signup-flow.js";
import { freePort } from "./smtp-server.js";

let server: ServerType;
let browser: Browser;
let baseUrl: string;
let dataDir: string;

beforeAll(async () => {
  vi.spyOn(console, "log").mockImplementation(() => {});
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-browser-"));
  const deps = createDeps(testConfig({ dataDir, port, host: "127.0.0.1", publicUrl: baseUrl }));
  server = serve({ fetch: createApp(deps).fetch, port, hostname: "127.0.0.1" });
  await new Promise((resolve) => server.once("listening", resolve));
  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  vi.restoreAllMocks();
});

describe("the invitation page in Chromium without JavaScript", () => {
  it("creates the account and accepts; the CSP blocks nothing the page needs", async () => {
    const owner = new PasserelleClient({ baseUrl });
    await owner.signup({ email: "owner@navigateur.fr", password: "correct horse battery", name: "Nadia Navigateur" });
    await owner.confirmSignup({ token: signupLinkToken(latestMail(dataDir)), password: "correct horse battery" });
    const company = await owner.createCompany({ ...COMPANY, name: "Atelier du Navigateur" });
    await owner.inviteAccountant(company.id, "comptable@navigateur.fr");
    const link = `${baseUrl}/invite/${linkToken(latestMail(dataDir))}`;

    const context = await browser.newContext({ javaScriptEnabled: false, locale: "fr-FR" });
    const page = await context.newPage();
    const violations: string[] = [];
    page.on("console", (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    const requests: string[] = [];
    page.on("request", (r) => requests.push(r.url()));

    const response = await page.goto(link);
    expect(response!.status()).toBe(200);
    expect(await page.locator("h1").innerText()).toBe("Invitation : Atelier du Navigateur / Invitation: Atelier du Navigateur");
    // the stylesheet applied (allowed by its hash): the button is styled blue
    expect(await page.evaluate("getComputedStyle(document.querySelector('button')).backgroundColor")).toBe("rgb(31, 95, 191)");

    await page.fill("#name", "Camille Comptable");
    await page.fill("#password", "grand livre 2026");
    await page.fill("#confirm", "grand livre 2026");
    await Promise.all([page.waitForURL(`${baseUrl}/invite`), page.click("button[type=submit]")]);
    expect(await page.locator("h1").innerText()).toBe("C'est fait ! / Done!");
    expect(await page.content()).toContain("Votre compte est créé");
    // nothing left the server's origin, and the address bar no longer holds the token
    expect(requests.every((u) => u.startsWith(baseUrl))).toBe(true);
    expect(page.url()).toBe(`${baseUrl}/invite`);
    expect(violations).toEqual([]);
    await context.close();

    const accountant = new PasserelleClient({ baseUrl });
    await accountant.login({ email: "comptable@navigateur.fr", password: "grand livre 2026" });
    expect((await accountant.me()).memberships).toEqual([{ companyId: company.id, companyName: "Atelier du Navigateur", role: "accountant" }]);
  });
});
