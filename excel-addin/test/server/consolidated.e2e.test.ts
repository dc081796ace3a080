/**
 * End to end in Chromium: an accountant inserts the consolidated sales journal of three of their
 * four companies from the portfolio — one table with Société and SIREN, the subtotals by company
 * on a sheet of their own — turns live mode on, and an invoice issued through the API in one of
 * them reaches the table and its company's subtotal.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConsolidatedJournal } from "@passerelle/shared";
import { addPortfolio, startPane, type Pane } from "./pane-harness.js";
import { englishOnPane } from "./french-only.js";

const SHOTS = fileURLToPath(new URL("../../../test-output/excel-addin/", import.meta.url));
const FROM = "2020-01-01";
const TO = "2030-12-31";
const SUBTOTALS = "'Sous-totaux consolidés'";

let pane: Pane;
let companies: ReturnType<typeof addPortfolio>;
let ownerToken: string;
let accountantToken: string;

async function api<T>(method: string, url: string, token: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(`${pane.base}/api/v1${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : null,
  });
  return { status: res.status, json: (await res.json().catch(() => null)) as T };
}
const login = async (who: { email: string; password: string }) =>
  ((await (await fetch(`${pane.base}/api/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(who) })).json()) as { token: string }).token;

async function issue(company: { id: string; customerId: string }, unitPriceCents: number): Promise<string> {
  const draft = await api<{ id: string }>("POST", `/companies/${company.id}/invoices`, ownerToken, {
    customerId: company.customerId,
    lines: [{ description: "Conseil", quantity: "1", unitPriceCents, vatRateBp: 2000, kind: "services" }],
  });
  const issued = await api<{ number: string }>("POST", `/companies/${company.id}/invoices/${draft.json.id}/issue`, ownerToken, {});
  expect(issued.status).toBe(200);
  return issued.json.number;
}

type Snapshot = { sheet: string; headers: string[]; rows: unknown[][] };
type Book = { __passerelle: { workbook: { value(a: string): unknown; table(n: string): Snapshot } } };
const tableIn = (name: string) => pane.page.evaluate((n) => (globalThis as unknown as Book).__passerelle.workbook.table(n), name);
const cell = (address: string) => pane.page.evaluate((a) => (globalThis as unknown as Book).__passerelle.workbook.value(a), address);

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  pane = await startPane({ invoices: 12 });
  companies = addPortfolio(pane.deps, pane.demo, 3);
  ownerToken = await login(pane.demo.owner);
  accountantToken = await login(pane.demo.accountant);
  await issue(companies[1]!, 25000); // Société 002: 250 € HT, 300 € TTC
  await issue(companies[2]!, 99900); // Société 003: not chosen
});

afterAll(async () => {
  await pane?.close();
});

describe("the consolidated journal from the pane", () => {
  const chosen = () => [pane.demo.companyId, companies[0]!.id, companies[1]!.id];
  const expected = async () =>
    (await api<ConsolidatedJournal>("GET", `/accountant/sales-journal?companies=${chosen().join(",")}&from=${FROM}&to=${TO}&limit=1000`, accountantToken)).json;

  it("inserts three companies in one table, with their subtotals on a sheet of their own", async () => {
    const { page } = pane;
    await page.goto(`${pane.base}/addin/taskpane.html`);
    await page.getByLabel("E-mail").fill(pane.demo.accountant.email);
    await page.getByLabel("Mot de passe").fill(pane.demo.accountant.password);
    await page.getByRole("button", { name: "Se connecter" }).click();
    await expect.poll(() => page.getByTestId("company-count").textContent()).toBe("4");
    await page.getByRole("button", { name: "Journal consolidé" }).click();
    await page.getByLabel("Choisir les sociétés").check();
    for (const id of chosen()) await page.locator(`input[name="company"][value="${id}"]`).check();
    expect(await page.getByTestId("chosen-count").textContent()).toBe("3 sociétés choisies");
    await page.locator('input[name="from"]').fill(FROM);
    await page.locator('input[name="to"]').fill(TO);
    await page.getByRole("button", { name: "Insérer dans une nouvelle feuille" }).click();
    const api = await expected();
    await expect.poll(() => page.getByTestId("notice").textContent(), { timeout: 30_000 }).toBe(`Ventes consolidées : ${api.items.length} lignes`);

    const table = await tableIn("Ventes_consolidees");
    expect(table.sheet).toBe("Ventes consolidées");
    expect(table.headers.slice(0, 3)).toEqual(["Société", "SIREN", "Date"]);
    expect(table.headers.at(-1)).toBe("Clé");
    expect(table.rows.map((r) => r.at(-1))).toEqual(api.items.map((r) => `${r.companyId}:${r.id}`));
    expect(new Set(table.rows.map((r) => r[0]))).toEqual(new Set([pane.demo.companyName, "Société 002"]));
    expect(table.rows.filter((r) => r[0] === "Société 002").map((r) => [r[1], r[9]])).toEqual([[companies[1]!.siren, 300]]);

    const subtotals = await tableIn("Ventes_consolidees_societes");
    expect(subtotals.headers.slice(0, 6)).toEqual(["Société", "SIREN", "Pièces", "HT", "TVA", "TTC"]);
    expect(subtotals.rows.map((r) => r.slice(0, 6))).toEqual(
      api.companies.map((c) => [c.companyName, c.siren, c.totals.count, c.totals.htCents / 100, c.totals.vatCents / 100, c.totals.ttcCents / 100]),
    );
    expect(subtotals.rows.map((r) => r[0])).toEqual([pane.demo.companyName, "Société 001", "Société 002"]);
    expect(await cell(`${SUBTOTALS}!F5`)).toBeCloseTo(api.totals.ttcCents / 100, 8);
    expect(await cell(`${SUBTOTALS}!C5`)).toBe(api.totals.count);
    expect(await englishOnPane(page)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, "30-consolidated.png"), fullPage: false });
  });

  it("in live mode, an invoice issued in one of the three reaches the table and its subtotal", async () => {
    const { page } = pane;
    const before = (await tableIn("Ventes_consolidees")).rows.length;
    const totalBefore = (await cell(`${SUBTOTALS}!F5`)) as number;
    await page.getByLabel("En direct").check();
    await expect.poll(() => page.getByTestId("live-status").textContent()).toMatch(/En direct/);
    const number = await issue(companies[0]!, 12345); // Société 001: 123,45 € HT, 24,69 € VAT, 148,14 € TTC
    const started = Date.now();
    await expect.poll(async () => (await tableIn("Ventes_consolidees")).rows.length, { timeout: 20_000, interval: 200 }).toBe(before + 1);
    console.log(`consolidated live: the new invoice reached the table in ${Date.now() - started} ms`);
    const rows = (await tableIn("Ventes_consolidees")).rows;
    expect(rows.filter((r) => r[0] === "Société 001").map((r) => [r[1], r[3], r[7], r[8], r[9]])).toEqual([[companies[0]!.siren, number, 123.45, 24.69, 148.14]]);
    await expect.poll(async () => (await tableIn("Ventes_consolidees_societes")).rows.find((r) => r[0] === "Société 001")!.slice(2, 6)).toEqual([1, 123.45, 24.69, 148.14]);
    expect(await cell(`${SUBTOTALS}!F5`)).toBeCloseTo(totalBefore + 148.14, 8);
    const api = await expected();
    expect(await cell(`${SUBTOTALS}!F5`)).toBeCloseTo(api.totals.ttcCents / 100, 8);
    // the invoice issued in the company left out changed nothing
    expect(rows.some((r) => r[0] === "Société 003")).toBe(false);
    await page.screenshot({ path: path.join(SHOTS, "31-consolidated-live.png"), fullPage: false });
  });
});
