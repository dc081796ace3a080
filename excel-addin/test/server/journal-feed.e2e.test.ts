/**
 * End to end in Chromium: an accountant publishes a journal table of the pane as a feed, copies its
 * address and a new read-only key; Excel's Data → From Web (Power Query) then reads the address with
 * Basic credentials — here a plain HTTP client sending what Power Query sends — and gets the French
 * CSV whose sums are the table's to the cent. Deleting the feed from the pane stops its address.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SalesJournal } from "@passerelle/shared";
import { startPane, type Pane } from "./pane-harness.js";

const SHOTS = fileURLToPath(new URL("../../../test-output/excel-addin/", import.meta.url));
const FROM = "2020-01-01";
const TO = "2030-12-31";

let pane: Pane;

type Snapshot = { headers: (string | number)[]; rows: (string | number)[][] };
const tableIn = (name: string) => pane.page.evaluate((n) => (globalThis as unknown as { __passerelle: { workbook: { table(n: string): Snapshot } } }).__passerelle.workbook.table(n), name);
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
/** "1 234,56" → 123456: the French CSV's amounts in cents. */
const cents = (cell: string) => Math.round(Number(cell.replace(",", ".")) * 100);

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  pane = await startPane({ invoices: 120 });
});

afterAll(async () => {
  await pane?.close();
});

describe("a journal table published as a feed", () => {
  it("« Publier comme flux » gives an address and a read-only key that From Web reads with Basic credentials: the CSV's sums are the table's", async () => {
    const { page, base, demo } = pane;
    await page.goto(`${base}/addin/taskpane.html`);
    await page.getByLabel("E-mail").fill(demo.accountant.email);
    await page.getByLabel("Mot de passe").fill(demo.accountant.password);
    await page.getByRole("button", { name: "Se connecter" }).click();
    await page.locator(`button.company[data-company="${demo.companyId}"]`).click();
    await page.locator('input[name="from"]').fill(FROM);
    await page.locator('input[name="to"]').fill(TO);
    await page.getByRole("button", { name: "Insérer dans une nouvelle feuille" }).click();
    await expect.poll(() => page.getByTestId("notice").textContent(), { timeout: 30_000 }).toMatch(/lignes/);

    const item = page.locator("li[data-table]").first();
    const tableName = (await item.getAttribute("data-table"))!;
    await item.getByRole("button", { name: "Publier comme flux" }).click();
    const choices = await item.locator('select[name="feed-period"] option').allTextContents();
    expect(choices).toEqual([
      "Dates du tableau (du 01/01/2020 au 31/12/2030)",
      "Mois en cours (suit le calendrier)",
      "Mois précédent (suit le calendrier)",
      "Trimestre en cours (suit le calendrier)",
      "Trimestre précédent (suit le calendrier)",
      "Exercice en cours (suit le calendrier)",
      "Exercice précédent (suit le calendrier)",
    ]);
    await item.getByRole("button", { name: "Publier", exact: true }).click();
    const urlField = item.locator('input[name="feed-url"]');
    await urlField.waitFor();
    const url = await urlField.inputValue();
    expect(url).toMatch(new RegExp(`^${pane.deps.config.publicUrl}/api/v1/feeds/[^/]+/journal\\.csv$`));
    await item.getByRole("button", { name: "Créer une clé en lecture seule" }).click();
    const keyField = item.locator('input[name="feed-key"]');
    await keyField.waitFor();
    const key = await keyField.inputValue();
    expect(key).toMatch(/^psk_[A-Za-z0-9_-]{43}$/);
    expect(await item.locator("ol.steps li").allTextContents()).toEqual([
      "Dans Excel : Données → À partir du web, collez l'adresse du flux.",
      "Choisissez « De base » : nom d'utilisateur au choix, mot de passe = la clé.",
      "Chargez la table ; « Actualiser tout » la relit, même sans le complément.",
    ]);
    await page.screenshot({ path: path.join(SHOTS, "30-publish-feed.png"), fullPage: true });

    // what Excel sends: first without credentials (it then asks for them), then with Basic
    const feed = `${base}${new URL(url).pathname}`;
    const anonymous = await fetch(feed);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("www-authenticate")).toBe('Basic realm="Passerelle feeds", charset="UTF-8"');
    const res = await fetch(feed, { headers: { authorization: basic("excel", key) } });
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes.slice(3)).trimEnd().split("\r\n");
    const rows = lines.slice(1).map((l) => l.split(";"));

    const table = await tableIn(tableName);
    expect(rows).toHaveLength(table.rows.length);
    const column = (name: string) => table.headers.indexOf(name);
    const tableSum = (name: string) => table.rows.reduce((s, r) => s + Math.round((r[column(name)] as number) * 100), 0);
    const csvSum = (i: number) => rows.reduce((s, r) => s + cents(r[i]!), 0);
    const accountant = (await (await fetch(`${base}/api/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(demo.accountant) })).json()) as { token: string };
    const journal = (await (await fetch(`${base}/api/v1/companies/${demo.companyId}/sales-journal?from=${FROM}&to=${TO}&limit=1`, { headers: { authorization: `Bearer ${accountant.token}` } })).json()) as SalesJournal;
    expect([csvSum(5), csvSum(6), csvSum(7)]).toEqual([tableSum("HT"), tableSum("TVA"), tableSum("TTC")]);
    expect([csvSum(5), csvSum(6), csvSum(7), rows.length]).toEqual([journal.totals.htCents, journal.totals.vatCents, journal.totals.ttcCents, journal.totals.count]);

    // the key only reads
    const write = await fetch(`${base}/api/v1/companies/${demo.companyId}/journal-queries`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "X", period: "current_month" }),
    });
    expect(write.status).toBe(403);

    // the company's published feeds: deleting one stops its address at once
    const published = page.getByRole("region", { name: "Flux publiés" });
    const listed = published.locator("li[data-feed]");
    await expect.poll(() => listed.count()).toBe(1);
    expect(await listed.locator("span.muted").textContent()).toBe("01/01/2020 – 31/12/2030");
    expect(await listed.locator('input[name="published-feed-url"]').inputValue()).toBe(url);
    await listed.getByRole("button", { name: "Supprimer le flux" }).click();
    await expect.poll(() => published.count()).toBe(0);
    expect((await fetch(feed, { headers: { authorization: basic("excel", key) } })).status).toBe(404);
  });
});
