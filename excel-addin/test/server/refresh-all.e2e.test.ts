/**
 * End to end in Chromium: "Tout actualiser" over four tables, one of them refused by Excel, one
 * converted to a plain range, one widened by a header the accountant typed next to it. The others
 * are refreshed; the pane reports on each table in French, and the refused one refreshes after.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addPortfolio, startPane, type Pane } from "./pane-harness.js";
import { strings } from "../../src/taskpane/i18n.js";

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

    // a new invoice to show in each table but Société 003's (whose columns then stay as they are)
    const numbers: Record<number, string> = {};
    for (const i of [0, 1, 3]) numbers[i] = await issue(companies[i]!, "Mission de conseil");

    // Société 002's table becomes a plain range; Société 003's gets a "Commentaire" column typed next to it
    await pane.page.evaluate((name) => (globalThis as unknown as W).__passerelle.workbook.convertTableToRange(name), "Ventes_Societe_002");
    const table = (name: string) => pane.page.evaluate((n) => (globalThis as unknown as W).__passerelle.workbook.table(n), name);
    const widened = (await table("Ventes_Societe_003")).address;
    const [, headerRow, lastColumn] = /^[A-Z]+(\d+):([A-Z])\d+$/.exec(widened)!;
    const next = String.fromCharCode(lastColumn!.charCodeAt(0) + 1);
    await pane.page.evaluate((address) => (globalThis as unknown as W).__passerelle.workbook.type(address, "Commentaire"), `'Société 003 – Ventes'!${next}${headerRow}`);
    expect((await table("Ventes_Societe_003")).headers.at(-1)).toBe("Commentaire");

    // every request takes 5 ms; the pane reads its saved tables (request 1), then Société 001's first request is refused
    await pane.page.evaluate(() => {
      const wb = (globalThis as unknown as W).__passerelle.workbook;
      wb.latencyMs = 5;
      wb.failSync(2, "GeneralException");
    });
    await page.getByRole("button", { name: "Tout actualiser" }).click();
    const report = page.getByTestId("refresh-report");
    await expect.poll(() => report.getByRole("alert").textContent(), { timeout: 30_000 }).toBe("1 table actualisée, 3 en échec");
    const line = (table: string) => report.locator(`li[data-table="${table}"]`).textContent();
    expect(await line("Ventes_Societe_001")).toBe(
      "Société 001 – VentesVentes_Societe_001échec : Excel n'a pas pu enregistrer la mise à jour (GeneralException) : relancez l'actualisation.",
    );
    expect(await line("Ventes_Societe_002")).toBe("Société 002 – VentesVentes_Societe_002échec : La table Ventes_Societe_002 a été supprimée du classeur.");
    expect(await line("Ventes_Societe_003")).toMatch(
      /^Société 003 – VentesVentes_Societe_003échec : La table Ventes_Societe_003 compte \d+ colonnes, Passerelle n'en écrit que \d+ : retirez les colonnes ajoutées à sa droite, ou insérez-la à nouveau dans une nouvelle feuille\.$/,
    );
    expect(await line("Ventes_Societe_004")).toBe("Société 004 – VentesVentes_Societe_004actualisée, 1 ligne");
    const numberColumn = async (name: string) => (await table(name)).rows.map((r) => r[1]).filter((x) => x !== "");
    expect(await numberColumn("Ventes_Societe_004")).toEqual([numbers[3]]);
    expect(await numberColumn("Ventes_Societe_001")).toEqual([]);
    expect(await numberColumn("Ventes_Societe_003")).toEqual([]);

    // nothing in English on the pane
    const [fr, en] = [strings("fr"), strings("en")] as Record<string, unknown>[];
    const english = Object.keys(en!).flatMap((k) => (typeof en![k] === "string" && en![k] !== fr![k] && (en![k] as string).length > 3 ? [en![k] as string] : []));
    expect(english.length).toBeGreaterThan(50);
    const text = await page.locator("main").innerText();
    for (const phrase of english) expect(text).not.toContain(phrase);
    expect(text).not.toMatch(/\b(the|is|was|has|error|failed|cannot)\b/i);

    // Excel answers again: Société 001 refreshes on its own
    await report.getByRole("button", { name: "Fermer" }).click();
    await expect.poll(() => report.count()).toBe(0);
    await page.locator('li[data-table="Ventes_Societe_001"]').getByRole("button", { name: "Actualiser" }).click();
    await expect.poll(() => numberColumn("Ventes_Societe_001"), { timeout: 30_000 }).toEqual([numbers[0]]);
    expect(await page.getByRole("alert").count()).toBe(0);
  });
});
