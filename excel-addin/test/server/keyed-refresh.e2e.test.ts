/**
 * End to end in Chromium: the accountant's notes beside a table and a column of their own stay
 * with their documents when the pane refreshes; a refresh that had been cut off (its mark left in
 * the workbook) is put right by the next one, and the pane says so in French.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addPortfolio, startPane, type Pane } from "./pane-harness.js";
import { englishOnPane } from "./french-only.js";

let pane: Pane;
let company: ReturnType<typeof addPortfolio>[number];
let ownerToken: string;

interface Book {
  type(address: string, value: unknown): void;
  value(address: string): unknown;
  table(name: string): { sheet: string; address: string; headers: unknown[]; rows: unknown[][] };
  setting(key: string): string | undefined;
  model: { settings: Map<string, string> };
}
type W = { __passerelle: { workbook: Book } };

async function post<T>(url: string, body: unknown): Promise<T> {
  const res = await fetch(`${pane.base}/api/v1${url}`, { method: "POST", headers: { authorization: `Bearer ${ownerToken}`, "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`${url}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

async function issue(description: string): Promise<{ id: string; number: string }> {
  const draft = await post<{ id: string }>(`/companies/${company.id}/invoices`, {
    customerId: company.customerId,
    lines: [{ description, quantity: "1", unitPriceCents: 10000, vatRateBp: 2000, kind: "services" }],
  });
  return post<{ id: string; number: string }>(`/companies/${company.id}/invoices/${draft.id}/issue`, {});
}

beforeAll(async () => {
  pane = await startPane({ invoices: 5 });
  [company] = addPortfolio(pane.deps, pane.demo, 1) as [ReturnType<typeof addPortfolio>[number]];
  ownerToken = ((await (await fetch(`${pane.base}/api/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(pane.demo.owner) })).json()) as { token: string }).token;
});

afterAll(async () => {
  await pane?.close();
});

describe("refresh by key, from the pane", () => {
  it("keeps a note and a column of the accountant's with their invoice, and repairs a table whose refresh was cut off", async () => {
    const { page } = pane;
    const tableOf = (n: string) => page.evaluate((x) => (globalThis as unknown as W).__passerelle.workbook.table(x), n);
    const type = (address: string, value: string) => page.evaluate(([a, v]) => (globalThis as unknown as W).__passerelle.workbook.type(a!, v), [address, value]);
    const valueAt = (address: string) => page.evaluate((a) => (globalThis as unknown as W).__passerelle.workbook.value(a), address);
    const savedSetting = () => page.evaluate(() => (globalThis as unknown as W).__passerelle.workbook.setting("passerelle.table.Ventes_Societe_001")!);
    const first = await issue("Mission de conseil");
    const second = await issue("Audit d'éclairage");
    await page.goto(`${pane.base}/addin/taskpane.html`);
    await page.getByLabel("E-mail").fill(pane.demo.accountant.email);
    await page.getByLabel("Mot de passe").fill(pane.demo.accountant.password);
    await page.getByRole("button", { name: "Se connecter" }).click();
    await page.getByRole("searchbox").fill(company.name);
    await page.locator(`button.company[data-company="${company.id}"]`).click();
    await page.locator('input[name="from"]').fill("2020-01-01");
    await page.locator('input[name="to"]').fill("2030-12-31");
    await page.getByRole("button", { name: "Insérer dans une nouvelle feuille" }).click();
    await expect.poll(() => page.getByTestId("notice").textContent(), { timeout: 30_000 }).toBe(`${company.name} – Ventes : 2 lignes`);
    await page.getByRole("button", { name: "← Sociétés" }).click();

    const S = `'${company.name} – Ventes'`;
    const name = "Ventes_Societe_001";
    expect((await tableOf(name)).address).toBe("A7:U9");
    // a header typed right of the table (Excel widens it), a note beside the second invoice, two columns further
    await type(`${S}!V7`, "Pointage");
    await type(`${S}!V9`, "vu");
    await type(`${S}!X9`, "relancer");

    // a refresh was cut off after its first write: its mark is still in the workbook
    await page.evaluate(() => {
      const book = (globalThis as unknown as W).__passerelle.workbook;
      const table = JSON.parse(book.setting("passerelle.table.Ventes_Societe_001")!) as { refreshingTo?: number; lastSeq: number };
      table.refreshingTo = table.lastSeq + 1;
      book.model.settings.set("passerelle.table.Ventes_Societe_001", JSON.stringify(table));
    });
    const third = await issue("Étude");
    await page.getByRole("tab", { name: "Tables du classeur" }).click();
    await page.locator(`li[data-table="${name}"]`).getByRole("button", { name: "Actualiser" }).click();
    await expect.poll(() => page.getByTestId("notice").textContent(), { timeout: 30_000 }).toBe(
      `La dernière actualisation de ${name} avait été interrompue : la table a été vérifiée ligne par ligne et remise en état, vos notes et colonnes gardées.`,
    );
    const table = await tableOf(name);
    expect(table.address).toBe("A7:V10");
    expect(table.rows.map((r) => [r[1], r[20], r[21]])).toEqual([
      [first.number, first.id, ""],
      [second.number, second.id, "vu"],
      [third.number, third.id, ""],
    ]);
    expect(await valueAt(`${S}!X9`)).toBe("relancer");
    expect(JSON.parse(await savedSetting()).refreshingTo).toBeUndefined();
    expect(await englishOnPane(page)).toEqual([]);
  });
});
