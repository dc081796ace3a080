/**
 * End to end in Chromium against a real server: the accountant inserts the "Comptes" sheet, edits
 * three codes in it (one of them wrong), sees the reason beside that row in French, fixes it,
 * saves, refreshes the entries table and sees the entries follow — the locked months' entries kept.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPane, type Pane } from "./pane-harness.js";

const SHOTS = fileURLToPath(new URL("../../../test-output/excel-addin/", import.meta.url));
const SHEET = "Maison Lumière SARL – Comptes";
const ACCOUNTS = "Comptes_Maison_Lumiere_SARL";
const ENTRIES = "Ecritures_Maison_Lumiere_SARL";

interface Row { kind: string; key: string; label: string; account: string; auxAccount?: string; origin: string }
interface Entry { entryNumber: string; date: string; lines: { account: string; auxAccount?: string; debitCents: number; creditCents: number }[] }
type Book = { __passerelle: { workbook: { table(n: string): { address: string; rows: (string | number)[][] }; type(a: string, v: string): void } } };

let pane: Pane;
let token: string;

async function api<T>(method: string, url: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(`${pane.base}/api/v1${url}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : null,
  });
  return { status: res.status, json: (await res.json()) as T };
}

async function entries(): Promise<Entry[]> {
  const out: Entry[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: Entry[]; nextCursor: string | null } = (await api<{ items: Entry[]; nextCursor: string | null }>("GET", `/companies/${pane.demo.companyId}/entries?limit=500${cursor ? `&cursor=${cursor}` : ""}`)).json;
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

const table = (name: string) => pane.page.evaluate((n) => (globalThis as unknown as Book).__passerelle.workbook.table(n), name);
const typeIn = (address: string, value: string) => pane.page.evaluate(([a, v]) => (globalThis as unknown as Book).__passerelle.workbook.type(a!, v!), [address, value]);
/** The entries as the table shows them: number, account, auxiliary account, debit, credit. */
const entryLines = (list: Entry[]) => list.flatMap((e) => e.lines.map((l) => [e.entryNumber, l.account, l.auxAccount ?? "", l.debitCents / 100, l.creditCents / 100]));
const tableLines = (rows: (string | number)[][]) => rows.map((r) => [r[1], r[4], r[6], r[9], r[10]]);

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  pane = await startPane({ invoices: 80 });
  const login = await fetch(`${pane.base}/api/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(pane.demo.accountant) });
  token = ((await login.json()) as { token: string }).token;
});

afterAll(async () => {
  await pane?.close();
});

describe("the Comptes sheet", () => {
  it("edits three codes, shows the wrong one's reason beside its row, saves once fixed; the refreshed entries follow, the locked months' stay", async () => {
    const { page } = pane;
    const companyId = pane.demo.companyId;
    const lockedUntil = (await api<{ lockedUntil: string | null }>("GET", `/companies/${companyId}/locks`)).json.lockedUntil!;
    expect(lockedUntil).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    await page.goto(`${pane.base}/addin/taskpane.html`);
    await page.getByLabel("E-mail").fill(pane.demo.accountant.email);
    await page.getByLabel("Mot de passe").fill(pane.demo.accountant.password);
    await page.getByRole("button", { name: "Se connecter" }).click();
    await page.locator(`button.company[data-company="${companyId}"]`).click();

    // the entries of the whole history in a table
    await page.getByLabel("Écritures comptables").check();
    await page.locator('input[name="from"]').fill("2000-01-01");
    await page.locator('input[name="to"]').fill("2099-12-31");
    await page.getByRole("button", { name: "Insérer dans une nouvelle feuille" }).click();
    await expect.poll(() => page.getByTestId("notice").textContent(), { timeout: 30_000 }).toMatch(/lignes/);
    const before = await entries();
    expect(tableLines((await table(ENTRIES)).rows)).toEqual(entryLines(before));

    // « Comptes »: every row the API has, values in force filled in
    await page.getByRole("button", { name: "Comptes", exact: true }).click();
    const panel = page.getByRole("region", { name: "Comptes" });
    await expect.poll(() => panel.getByTestId("accounts-message").textContent(), { timeout: 30_000 }).toMatch(/Comptes : \d+ lignes/);
    const rows = (await api<{ rows: Row[] }>("GET", `/companies/${companyId}/accounting/accounts`)).json.rows;
    const kinds: Record<string, string> = { default: "Compte par défaut", journal: "Journal", vatRate: "Taux de TVA", customer: "Client", product: "Produit", category: "Catégorie" };
    const keys: Record<string, string> = { customers: "Clients", goods: "Marchandises", services: "Services", bank: "Banque", deposits: "Acomptes", sales: "Ventes" };
    const sheet = await table(ACCOUNTS);
    expect(sheet.rows).toEqual(
      rows.map((r) => [kinds[r.kind], r.kind === "default" || r.kind === "journal" ? keys[r.key] : r.key, r.label, r.account, r.auxAccount ?? "", r.origin === "default" ? "Par défaut" : "Personnalisé", ""]),
    );
    expect(sheet.rows.slice(0, 2)).toEqual([
      ["Compte par défaut", "Clients", "Clients (compte collectif)", "411000", "", "Par défaut", ""],
      ["Compte par défaut", "Marchandises", "Ventes de marchandises", "707000", "", "Par défaut", ""],
    ]);
    await page.screenshot({ path: path.join(SHOTS, "30-accounts-sheet.png"), fullPage: true });

    // three codes: goods 707000 → 707500, VAT 20 % → 4457121, and a customer of the open months put on 401000 (a supplier account)
    const customerCode = before.find((e) => e.date > lockedUntil && e.lines[0]!.account === "411000" && e.lines[0]!.auxAccount !== "CELESTINS")!.lines[0]!.auxAccount!;
    const firstBodyRow = Number(/^A(\d+):/.exec(sheet.address)![1]) + 1;
    const cell = (column: string, index: number) => `'${SHEET}'!${column}${firstBodyRow + index}`;
    const at = (kind: string, key: string) => rows.findIndex((r) => r.kind === kind && r.key === key);
    const goods = at("default", "goods");
    const vat20 = at("vatRate", "20 %");
    const customer = at("customer", customerCode);
    expect([goods, vat20, customer].every((i) => i >= 0)).toBe(true);
    await typeIn(cell("D", goods), "707500");
    await typeIn(cell("D", vat20), "4457121");
    await typeIn(cell("D", customer), "401000");
    await page.getByRole("button", { name: "Enregistrer" }).click();
    await expect.poll(() => panel.getByTestId("accounts-message").textContent()).toBe("1 ligne à corriger : voyez la colonne Erreur. Rien n'a été enregistré.");
    const refused = (await table(ACCOUNTS)).rows;
    expect(refused[customer]![6]).toBe("Un compte client commence par 411 (Clients)");
    expect(refused.filter((r) => r[6] !== "")).toHaveLength(1);
    expect((await api<{ accounts: { goods: string } }>("GET", `/companies/${companyId}/accounting/settings`)).json.accounts.goods).toBe("707000");
    await page.screenshot({ path: path.join(SHOTS, "31-accounts-refused.png"), fullPage: true });

    // fixed: the error goes, the sheet is saved and shows the overrides
    await typeIn(cell("D", customer), "411100");
    const started = Date.now();
    await page.getByRole("button", { name: "Enregistrer" }).click();
    await expect.poll(() => panel.getByTestId("accounts-message").textContent(), { interval: 50 }).toMatch(/^Comptes enregistrés/);
    console.log(`accounts: ${rows.length} rows read back, checked, saved and rewritten in ${Date.now() - started} ms`);
    const saved = (await table(ACCOUNTS)).rows;
    expect(saved.filter((r) => r[6] !== "")).toEqual([]);
    expect([saved[goods]!.slice(3, 6), saved[vat20]!.slice(3, 6), saved[customer]!.slice(3, 6)]).toEqual([
      ["707500", "", "Personnalisé"],
      ["4457121", "", "Personnalisé"],
      ["411100", customerCode, "Personnalisé"],
    ]);

    // the entries table, refreshed, is the API's entries now: changed in the open months only
    await page.getByRole("button", { name: "Tout actualiser" }).click();
    const after = await entries();
    await expect.poll(async () => JSON.stringify(tableLines((await table(ENTRIES)).rows)), { timeout: 30_000 }).toBe(JSON.stringify(entryLines(after)));
    const open = (list: Entry[]) => entryLines(list.filter((e) => e.date > lockedUntil));
    const locked = (list: Entry[]) => JSON.stringify(list.filter((e) => e.date <= lockedUntil));
    expect(locked(after)).toBe(locked(before));
    const accountsOf = (lines: (string | number)[][]) => new Set(lines.map((l) => l[1]));
    expect(accountsOf(open(before)).has("4457120")).toBe(true);
    expect(accountsOf(open(after)).has("4457120")).toBe(false);
    expect(accountsOf(open(after)).has("4457121")).toBe(true);
    expect(open(after).filter((l) => l[2] === customerCode).map((l) => l[1])).toEqual(open(before).filter((l) => l[2] === customerCode).map(() => "411100"));
    expect(open(after).filter((l) => l[1] === "707500").length).toBe(open(before).filter((l) => l[1] === "707000").length);
    expect(accountsOf(entryLines(after.filter((e) => e.date <= lockedUntil))).has("4457120")).toBe(true);
    await page.screenshot({ path: path.join(SHOTS, "32-accounts-saved.png"), fullPage: true });
  });
});
