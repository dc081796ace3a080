/**
 * End to end in Debian's Chromium: the built task pane served by a real API server (demo data,
 * temporary database), office.js replaced by a fake runtime over a FakeWorkbook. An accountant
 * signs in, inserts the demo company's journal, follows it live, and locks a period.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chromium, type Browser, type Page } from "playwright-core";
import { Hono } from "hono";
import { serve, type ServerType } from "@hono/node-server";
import { build } from "vite";
import type { JournalRow, SalesJournal } from "@passerelle/shared";
import { createApp } from "../../../api/src/app.js";
import { createDeps } from "../../../api/src/deps.js";
import { testConfig } from "../../../api/src/config.js";
import { addinRoutes, TASK_PANE_CSP } from "../../../api/src/routes/addin.js";
import { seedDemo, DEMO_COMPANY } from "../../../api/src/demo/seed.js";
import { latestMail, linkToken } from "../../../api/test/access-helpers.js";
import type { Deps } from "../../../api/src/context.js";
import { buildAddin, ADDIN_DIR } from "../build.js";

const SHOTS = fileURLToPath(new URL("../../../test-output/excel-addin/", import.meta.url));
const OFFICE_JS = "https://appsforoffice.microsoft.com/lib/1/hosted/office.js";
const ACCOUNTANT = { email: "marie.expert@cabinet-durand.fr", password: "expert-comptable 2026", name: "Marie Expert" };

let deps: Deps;
let server: ServerType;
let base: string;
let browser: Browser;
let page: Page;
let companyId: string;
let ownerToken: string;
let accountantToken: string;
const policyViolations: string[] = [];

async function api<T>(method: string, url: string, token: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(`${base}/api/v1${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : null,
  });
  return { status: res.status, json: (await res.json().catch(() => null)) as T };
}

async function journal(from: string, to: string): Promise<JournalRow[]> {
  const rows: JournalRow[] = [];
  let cursor: string | null = null;
  do {
    const q = new URLSearchParams({ from, to, limit: "1000", ...(cursor ? { cursor } : {}) });
    const page: SalesJournal = (await api<SalesJournal>("GET", `/companies/${companyId}/sales-journal?${q}`, accountantToken)).json;
    rows.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return rows;
}

async function shot(name: string) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

type Snapshot = { sheet: string; address: string; headers: (string | number)[]; rows: (string | number)[][] };
const tableIn = (name: string) => page.evaluate((n) => (globalThis as unknown as { __passerelle: { workbook: { table(n: string): Snapshot } } }).__passerelle.workbook.table(n), name);

/** Excel's day number, computed independently of the add-in's code. */
const serial = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000 + 25_569;

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  const [dist, runtime] = await Promise.all([buildAddin(), bundleFakeOffice()]);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-e2e-"));
  deps = createDeps(testConfig({ dataDir, databasePath: path.join(dataDir, "passerelle.db") }));
  const demo = await seedDemo(deps, { invoices: 300 });
  companyId = demo.companyId;
  const outer = new Hono();
  outer.route("/", addinRoutes(deps, { distDir: dist }));
  outer.route("/", createApp(deps));
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: outer.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  // the owner invites the accountant, who accepts through the invitation link's token
  ownerToken = ((await (await fetch(`${base}/api/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(demo.owner) })).json()) as { token: string }).token;
  const invited = await api("POST", `/companies/${companyId}/invitations`, ownerToken, { email: ACCOUNTANT.email });
  expect(invited.status).toBe(201);
  const token = linkToken(latestMail(dataDir));
  const accepted = await fetch(`${base}/api/v1/invitations/accept`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token, name: ACCOUNTANT.name, password: ACCOUNTANT.password }),
  });
  expect(accepted.status).toBe(200);
  accountantToken = ((await accepted.json()) as { token: string }).token;

  browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
  const context = await browser.newContext({ viewport: { width: 380, height: 900 }, locale: "fr-FR" });
  await context.route(OFFICE_JS, (route) => route.fulfill({ contentType: "text/javascript; charset=utf-8", body: runtime }));
  await context.route((url) => url.hostname !== "127.0.0.1" && url.href !== OFFICE_JS, (route) => route.abort());
  page = await context.newPage();
  page.on("pageerror", (error) => console.error("page error:", error));
  page.on("console", (message) => {
    if (message.text().includes("Content Security Policy")) policyViolations.push(message.text());
  });
});

afterAll(async () => {
  await browser?.close();
  server?.close();
  deps?.db.close();
});

async function bundleFakeOffice(): Promise<string> {
  const output = await build({
    configFile: false,
    root: ADDIN_DIR,
    logLevel: "silent",
    build: {
      write: false,
      minify: false,
      lib: { entry: path.join(ADDIN_DIR, "src/fake-excel/office-runtime.ts"), formats: ["iife"], name: "PasserelleFakeOffice", fileName: () => "office.js" },
    },
  });
  const result = Array.isArray(output) ? output[0]! : output;
  if (!("output" in result)) throw new Error("unexpected vite build result");
  const chunk = result.output.find((o) => o.type === "chunk");
  if (!chunk || chunk.type !== "chunk") throw new Error("no bundle for the fake office.js");
  return chunk.code;
}

describe("the task pane in Chromium, against a real server", () => {
  const from = "2020-01-01";
  const to = "2030-12-31";
  const tableName = "Ventes_Maison_Lumiere_SARL";

  it("signs in, picks the demo company and inserts its journal, every cell equal to the API's journal", async () => {
    await page.goto(`${base}/addin/taskpane.html`);
    await page.getByRole("button", { name: "Se connecter" }).waitFor();
    await shot("01-sign-in");
    await page.getByLabel("E-mail").fill(ACCOUNTANT.email);
    await page.getByLabel("Mot de passe").fill(ACCOUNTANT.password);
    await page.getByRole("button", { name: "Se connecter" }).click();

    await page.getByRole("searchbox").fill("lumière");
    await page.locator(`button.company[data-company="${companyId}"]`).waitFor();
    await shot("02-portfolio");
    await page.locator(`button.company[data-company="${companyId}"]`).click();
    // typed as jj/mm/aaaa whatever the browser's language
    await page.locator('input[name="from"]').fill("01/01/2020");
    await page.locator('input[name="to"]').fill("31/12/2030");
    await shot("03-filters");
    await page.getByRole("button", { name: "Insérer dans une nouvelle feuille" }).click();
    await expect.poll(() => page.getByTestId("notice").textContent(), { timeout: 30_000 }).toMatch(/lignes/);
    await shot("04-inserted");

    const expected = await journal(from, to);
    const table = await tableIn(tableName);
    expect(table.sheet).toBe("Maison Lumière SARL – Ventes");
    const rates = [2000, 1000, 550, 210];
    expect(table.headers).toEqual([
      "Date", "N° pièce", "Type", "Code client", "Client", "HT", "TVA", "TTC", "Statut", "Payé", "Échéance", "Facture d'origine",
      "Base 20 %", "TVA 20 %", "Base 10 %", "TVA 10 %", "Base 5,5 %", "TVA 5,5 %", "Base 2,1 %", "TVA 2,1 %", "Clé",
    ]);
    expect(table.rows).toHaveLength(expected.length);
    const statusFr = { issued: "Émise", partially_paid: "Partiellement payée", paid: "Payée", draft: "" };
    expected.forEach((row, i) => {
      const cells = [
        serial(row.date), row.number, row.type === "invoice" ? "Facture" : "Avoir", row.customerCode, row.customerName,
        row.htCents / 100, row.vatCents / 100, row.ttcCents / 100, statusFr[row.status], row.paidCents / 100,
        row.dueDate ? serial(row.dueDate) : "", row.creditedInvoiceNumber ?? "",
        ...rates.flatMap((bp) => {
          const r = row.byRate.find((x) => x.vatRateBp === bp);
          return [r ? r.baseCents / 100 : 0, r ? r.vatCents / 100 : 0];
        }),
        row.id,
      ];
      expect(table.rows[i], `row ${i + 1} (${row.number})`).toEqual(cells);
    });
    const block = await page.evaluate(() => (globalThis as unknown as { __passerelle: { workbook: { values(a: string): unknown[][] } } }).__passerelle.workbook.values("'Maison Lumière SARL – Ventes'!A1:B6"));
    expect(block.slice(0, 4)).toEqual([["Passerelle — Journal des ventes", ""], ["Société", DEMO_COMPANY.name], ["SIREN", DEMO_COMPANY.siren], ["Filtres", "01/01/2020 – 31/12/2030"]]);
    // no technical line: the refresh time, then the totals line right above the table
    expect(block.map((r) => r[0])).toEqual(["Passerelle — Journal des ventes", "Société", "SIREN", "Filtres", "Actualisé le", "Total"]);
  });

  it("shows progress while loading, cancels without touching the workbook, and says when the server cannot be reached", async () => {
    type Book = { __passerelle: { workbook: { sheetNames(): string[] } } };
    const sheets = () => page.evaluate(() => (globalThis as unknown as Book).__passerelle.workbook.sheetNames());
    const before = await sheets();
    const slow = `${base}/api/v1/companies/${companyId}/sales-journal**`;
    await page.route(slow, async (route) => {
      await new Promise((r) => setTimeout(r, 1500));
      await route.continue().catch(() => undefined); // the pane may have given up meanwhile
    });
    await page.getByRole("button", { name: "Insérer dans une nouvelle feuille" }).click();
    await page.getByTestId("progress").waitFor();
    await shot("04b-loading");
    await page.getByTestId("progress").getByRole("button", { name: "Annuler" }).click();
    await expect.poll(() => page.getByTestId("notice").textContent()).toBe("Chargement annulé : le classeur n'a pas été modifié.");
    expect(await sheets()).toEqual(before);
    await page.unroute(slow);
    await page.getByRole("tab", { name: "Tables du classeur" }).click();

    await page.route(`${base}/api/v1/**`, (route) => route.abort("internetdisconnected"));
    try {
      await page.getByRole("button", { name: "Tout actualiser" }).click();
      await expect.poll(() => page.getByTestId("notice").textContent()).toBe("Serveur injoignable : vérifiez votre connexion ou l'adresse du serveur.");
      await shot("04c-offline");
    } finally {
      await page.unroute(`${base}/api/v1/**`);
    }
    // the server answers again: the next refresh goes through and the outage notice is gone
    await page.getByRole("button", { name: "Tout actualiser" }).click();
    await expect.poll(() => page.getByTestId("refresh-report").getByRole("status").textContent(), { timeout: 30_000 }).toBe("1 table actualisée, 0 en échec");
    expect(await page.getByTestId("notice").count()).toBe(0);
  });

  it("PASSERELLE.TOTAL answers in the page from the same session", async () => {
    const totals = (await api<SalesJournal>("GET", `/companies/${companyId}/sales-journal?from=${from}&to=${to}&limit=1`, accountantToken)).json.totals;
    const value = await page.evaluate(
      ([name, f, t]) =>
        new Promise((resolve) => {
          const fns = (globalThis as unknown as { __passerelle: { functions: Map<string, (...a: unknown[]) => void> } }).__passerelle.functions;
          fns.get("TOTAL")!(name, f, t, "TTC", null, { setResult: resolve, onCanceled: null });
        }),
      [DEMO_COMPANY.name, from, to],
    );
    expect(value).toBeCloseTo(totals.ttcCents / 100, 6);
  });

  it("in live mode, a new invoice appears in the table within seconds", async () => {
    const before = (await tableIn(tableName)).rows.length;
    await page.getByLabel("En direct").check();
    await expect.poll(() => page.getByTestId("live-status").textContent()).toMatch(/En direct/);
    const customers = await api<{ items: { id: string }[] }>("GET", `/companies/${companyId}/customers?limit=1`, ownerToken);
    const draft = await api<{ id: string }>("POST", `/companies/${companyId}/invoices`, ownerToken, {
      customerId: customers.json.items[0]!.id,
      lines: [{ description: "Étude d'éclairage en direct", quantity: "2", unitPriceCents: 7500, vatRateBp: 2000, kind: "services" }],
    });
    const issued = await api<{ number: string }>("POST", `/companies/${companyId}/invoices/${draft.json.id}/issue`, ownerToken, {});
    expect(issued.status).toBe(200);
    const started = Date.now();
    await expect.poll(async () => (await tableIn(tableName)).rows.length, { timeout: 20_000, interval: 250 }).toBe(before + 1);
    console.log(`live: the new invoice reached the table in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const rows = (await tableIn(tableName)).rows;
    expect(rows.some((r) => r[1] === issued.json.number && r[5] === 150 && r[7] === 180)).toBe(true);
    await expect.poll(() => page.getByTestId("live-status").textContent()).toMatch(/flux d'événements/);
    await shot("05-live");
  });

  it("locks a period from the pane, and the API then refuses an invoice dated inside it", async () => {
    const today = new Date().toISOString().slice(0, 10);
    const until = new Date(Date.UTC(Number(today.slice(0, 4)), Number(today.slice(5, 7)) - 2, 0)).toISOString().slice(0, 10);
    const current = (await api<{ lockedUntil: string | null }>("GET", `/companies/${companyId}/locks`, accountantToken)).json.lockedUntil;
    const first = current ? new Date(Date.parse(`${current}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10) : "2000-01-01";
    const inside = (await journal(first, until)).length;
    const fr = (iso: string) => iso.split("-").reverse().join("/");
    await page.getByRole("tab", { name: "Clôture" }).click();
    await page.locator('input[name="lockUntil"]').fill(fr(until));
    await page.getByRole("button", { name: "Voir ce qui sera verrouillé" }).click();
    const preview = page.getByTestId("lock-preview");
    await expect.poll(() => preview.textContent()).toContain(`Du ${current ? fr(first) : "l'origine"} au ${fr(until)} : ${inside} documents`);
    await shot("06-lock-preview");
    await page.getByRole("button", { name: "Confirmer le verrouillage" }).click();
    const [y, m, d] = until.split("-");
    await expect.poll(() => page.getByTestId("lock-state").textContent()).toContain(`Verrouillé au ${d}/${m}/${y}`);
    await shot("07-locked");

    // a date before (or at) the current lock is refused before anything is sent
    const routine = page.getByRole("region", { name: "Verrouiller une période" });
    await routine.locator('input[name="lockUntil"]').fill(fr(until));
    expect(await routine.locator(".field-error").textContent()).toBe(`Déjà verrouillé au ${fr(until)} : choisissez une date postérieure.`);
    expect(await routine.getByRole("button", { name: "Voir ce qui sera verrouillé" }).isDisabled()).toBe(true);
    expect(await page.getByTestId("lock-preview").count()).toBe(0);
    await shot("07b-lock-before-current-refused");
    await routine.locator('input[name="lockUntil"]').fill("");

    const locks = await api<{ lockedUntil: string; kind: string }>("GET", `/companies/${companyId}/locks`, ownerToken);
    expect(locks.json).toMatchObject({ lockedUntil: until, kind: "soft" });
    const customers = await api<{ items: { id: string }[] }>("GET", `/companies/${companyId}/customers?limit=1`, ownerToken);
    const draft = await api<{ id: string }>("POST", `/companies/${companyId}/invoices`, ownerToken, {
      customerId: customers.json.items[0]!.id,
      lines: [{ description: "Antidatée", quantity: "1", unitPriceCents: 1000, vatRateBp: 2000 }],
    });
    const refused = await api<{ detail: string }>("POST", `/companies/${companyId}/invoices/${draft.json.id}/issue`, ownerToken, { issueDate: until });
    expect(refused.status).toBe(409);
    // the API speaks French unless asked otherwise
    const day = until.split("-").reverse().join("/");
    expect(refused.json.detail).toBe(`Impossible d'émettre cette facture : la période est verrouillée jusqu'au ${day} ; le ${day} en fait partie. Choisissez une date après le ${day}.`);

    // a hard close must end a fiscal year: refused before sending, nothing changes
    const panel = page.getByRole("region", { name: "Clôture définitive d'un exercice" });
    const close = panel.getByRole("button", { name: "Clôturer définitivement" });
    await panel.locator('input[name="hardUntil"]').fill(`01/${today.slice(5, 7)}/${today.slice(0, 4)}`);
    expect(await panel.locator(".field-error").textContent()).toBe("Ce n'est pas une fin d'exercice : les exercices de la société se terminent le 31/12.");
    expect(await panel.locator('input[name="hardYear"]').count()).toBe(0);
    expect(await close.isDisabled()).toBe(true);
    await shot("08-hard-close-refused");
    expect((await api<{ lockedUntil: string }>("GET", `/companies/${companyId}/locks`, ownerToken)).json.lockedUntil).toBe(until);

    // reopening a soft lock needs a reason; the previous lock date comes back
    await page.locator('input[name="reopenTo"]').fill(current ? fr(current) : "");
    await page.locator('textarea[name="reason"]').fill("Avoir de septembre à corriger");
    await page.getByRole("button", { name: "Rouvrir" }).click();
    await expect.poll(() => page.getByTestId("lock-state").textContent()).toContain(current ? `Verrouillé au ${fr(current)}` : "Non verrouillé");
    await shot("09-reopened");
    expect((await api<{ lockedUntil: string | null }>("GET", `/companies/${companyId}/locks`, ownerToken)).json.lockedUntil).toBe(current);
  });

  it("shows a plain error when the session has expired", async () => {
    await page.evaluate(() => {
      const storage = (globalThis as unknown as { localStorage: { getItem(k: string): string | null; setItem(k: string, v: string): void; key(i: number): string | null; length: number } }).localStorage;
      const key = Array.from({ length: storage.length }, (_, i) => storage.key(i)!).find((k) => k.startsWith("passerelle:"))!;
      const session = JSON.parse(storage.getItem(key)!) as Record<string, string>;
      storage.setItem(key, JSON.stringify({ ...session, token: "expired-token-0000000000000000000000000000" }));
    });
    await page.reload();
    await expect.poll(() => page.getByRole("alert").first().textContent()).toContain("Votre session a expiré");
    await page.getByRole("button", { name: "Se connecter" }).waitFor();
    await shot("10-session-expired");
  });

  it("speaks English when Office's display language is English", async () => {
    await page.goto(`${base}/addin/taskpane.html?lang=en-US`);
    await page.getByRole("button", { name: "Sign in" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    await shot("11-english");
  });

  it("ran every step above under the server's Content-Security-Policy without one violation", async () => {
    const res = await fetch(`${base}/addin/taskpane.html`);
    expect(res.headers.get("content-security-policy")).toBe(TASK_PANE_CSP);
    expect(policyViolations).toEqual([]);
  });
});
