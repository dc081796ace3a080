/**
 * End to end in Chromium: "Tout actualiser" over four tables, one of them refused by Excel, one
 * converted to a plain range, one widened by a header the accountant typed next to it (refreshed
 * all the same, the column left as typed). The pane reports on each table in French, and the
 * refused one refreshes after.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addPortfolio, startPane, type Pane } from "./pane-harness.js";
import { englishOnPane } from "./french-only.js";

const FROM = "2020-01-01";
const TO = "2030-12-31";

let pane: Pane;
let companies: ReturnType<typeof addPortfolio>;
let ownerToken: string;

interface Book {
  type(address: string, value: unknown): void;
  table(name: string): { sheet: string; address: string; headers: unknown[]; rows: unknown[][] };
  convertTableToRange(name: string): void;
  failSync(nth?: number, code?: string): void;
  latencyMs: number;
  requests: number;
  resetStats(): void;
  stats: { syncs: number; writeSyncs: number; totalRequestBytes: number; largestResponseBytes: number };
}
type W = { __passerelle: { workbook: Book } };

async function issue(company: { id: string; customerId: string }, description: string): Promise<string> {
  const post = async <T,>(url: string, body: unknown) =>
    (await (await fetch(`${pane.base}/api/v1${url}`, { method: "POST", headers: { authorization: `Bearer ${ownerToken}`, "content-type": "application/json" }, body: JSON.stringify(body) })).json()) as T;
  const draft = await post<{ id: string }>(`/companies/${company.id}/invoices`, {
    customerId: company.customerId,
    lines: [{ description, quantity: "1", unitPriceCents: 10000, vatRateBp: 2000, kind: "services" }],
  });
  return (await post<{ number: string }>(`/companies/${company.id}/invoices/${draft.id}/issue`, {})).number;
}

beforeAll(async () => {
  pane = await startPane({ invoices: 5 });
  companies = addPortfolio(pane.deps, pane.demo, 4);
  ownerToken = ((await (await fetch(`${pane.base}/api/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(pane.demo.owner) })).json()) as { token: string }).token;
});

afterAll(async () => {
  await pane?.close();
});

describe("Tout actualiser, past the tables that fail", () => {
  it("refreshes the tables it can and reports on each one in French; the refused one refreshes after", async () => {
    const { page } = pane;
    await page.goto(`${pane.base}/addin/taskpane.html`);
    await page.getByLabel("E-mail").fill(pane.demo.accountant.email);
    await page.getByLabel("Mot de passe").fill(pane.demo.accountant.password);
    await page.getByRole("button", { name: "Se connecter" }).click();
    for (const company of companies) {
      await page.getByRole("searchbox").fill(company.name);
      await page.locator(`button.company[data-company="${company.id}"]`).click();
      await page.locator('input[name="from"]').fill(FROM);
      await page.locator('input[name="to"]').fill(TO);
      await page.getByRole("button", { name: "Insérer dans une nouvelle feuille" }).click();
      await expect.poll(() => page.getByTestId("notice").textContent(), { timeout: 30_000 }).toBe(`${company.name} – Ventes : 0 ligne`);
      await page.getByRole("button", { name: "← Sociétés" }).click();
    }
    await expect.poll(() => page.locator("ul.tables li").count()).toBe(4);
    await page.getByRole("tab", { name: "Tables du classeur" }).click();

    // a new invoice to show in each table
    const numbers: string[] = [];
    for (const company of companies) numbers.push(await issue(company, "Mission de conseil"));

    // Société 002's table becomes a plain range; Société 003's gets a "Commentaire" column typed next to it
    await pane.page.evaluate((name) => (globalThis as unknown as W).__passerelle.workbook.convertTableToRange(name), "Ventes_Societe_002");
    const table = (name: string) => pane.page.evaluate((n) => (globalThis as unknown as W).__passerelle.workbook.table(n), name);
    const widened = (await table("Ventes_Societe_003")).address;
    const [, headerRow, lastColumn] = /^[A-Z]+(\d+):([A-Z])\d+$/.exec(widened)!;
    const next = String.fromCharCode(lastColumn!.charCodeAt(0) + 1);
    await pane.page.evaluate((address) => (globalThis as unknown as W).__passerelle.workbook.type(address, "Commentaire"), `'Société 003 – Ventes'!${next}${headerRow}`);
    expect((await table("Ventes_Societe_003")).headers.at(-1)).toBe("Commentaire");

    // every request takes 30 ms, as on Excel on the web; the pane reads its saved tables (request 1),
    // then Société 001's first request is refused
    await pane.page.evaluate(() => {
      const wb = (globalThis as unknown as W).__passerelle.workbook;
      wb.latencyMs = 30;
      wb.resetStats();
      wb.failSync(2, "GeneralException");
    });
    const started = Date.now();
    await page.getByRole("button", { name: "Tout actualiser" }).click();
    const report = page.getByTestId("refresh-report");
    await expect.poll(() => report.getByRole("alert").textContent(), { timeout: 30_000, interval: 20 }).toBe("2 tables actualisées, 2 en échec");
    const stats = await pane.page.evaluate(() => (globalThis as unknown as W).__passerelle.workbook.stats);
    console.log(
      `Tout actualiser over 4 tables, 30 ms a request: reported in ${Date.now() - started} ms, ${stats.syncs} syncs (${stats.writeSyncs} writing), ${stats.totalRequestBytes} bytes sent, largest response ${stats.largestResponseBytes} bytes`,
    );
    const line = (table: string) => report.locator(`li[data-table="${table}"]`).textContent();
    expect(await line("Ventes_Societe_001")).toBe(
      "Société 001 – Venteséchec : Excel n'a pas pu enregistrer la mise à jour (GeneralException) : relancez l'actualisation.",
    );
    expect(await line("Ventes_Societe_002")).toBe("Société 002 – Venteséchec : La table Ventes_Societe_002 a été supprimée du classeur.");
    // the column typed next to Société 003's table is the accountant's: the refresh leaves it as typed
    expect(await line("Ventes_Societe_003")).toBe("Société 003 – Ventesactualisée, 1 ligne");
    expect(await line("Ventes_Societe_004")).toBe("Société 004 – Ventesactualisée, 1 ligne");
    const numberColumn = async (name: string) => (await table(name)).rows.map((r) => r[1]).filter((x) => x !== "");
    expect(await numberColumn("Ventes_Societe_004")).toEqual([numbers[3]]);
    expect(await numberColumn("Ventes_Societe_001")).toEqual([]);
    expect(await numberColumn("Ventes_Societe_003")).toEqual([numbers[2]]);
    const widenedAfter = await table("Ventes_Societe_003");
    const comment = widenedAfter.headers.indexOf("Commentaire");
    expect(comment).toBe(next.charCodeAt(0) - "A".charCodeAt(0));
    expect(widenedAfter.rows.map((r) => r[comment])).toEqual([""]);

    // nothing in English on the pane
    expect(await englishOnPane(page)).toEqual([]);

    // Excel answers again: Société 001 refreshes on its own
    await report.getByRole("button", { name: "Fermer" }).click();
    await expect.poll(() => report.count()).toBe(0);
    await page.locator('li[data-table="Ventes_Societe_001"]').getByRole("button", { name: "Actualiser" }).click();
    await expect.poll(() => numberColumn("Ventes_Societe_001"), { timeout: 30_000 }).toEqual([numbers[0]]);
    expect(await page.getByRole("alert").count()).toBe(0);
  });
});
