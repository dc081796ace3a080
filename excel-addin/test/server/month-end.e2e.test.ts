/**
 * End to end in Chromium: the accountant's month-end across five companies — what stands in the
 * way in each, a preview per company, five locked in one action with one refusal among them (a
 * company already locked at that date), results per company in French; a FEC downloaded from the
 * pane, then the pack, and the export log showing both; a table refreshed in the workbook counting as seen.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatEuros } from "@passerelle/shared/format";
import { addPortfolio, startPane, type Pane } from "./pane-harness.js";
import { lastMonthEnd, todayLocal } from "../../src/taskpane/periods.js";

const SHOTS = fileURLToPath(new URL("../../../test-output/excel-addin/", import.meta.url));

let pane: Pane;
let companies: ReturnType<typeof addPortfolio>;
let ownerToken: string;
let accountantToken: string;
const monthEnd = lastMonthEnd(todayLocal());
const fr = (iso: string) => iso.split("-").reverse().join("/");

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
const LINE = { description: "Conseil", quantity: "1", unitPriceCents: 10000, vatRateBp: 2000, kind: "services" };

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  pane = await startPane({ invoices: 20 });
  companies = addPortfolio(pane.deps, pane.demo, 4);
  ownerToken = await login(pane.demo.owner);
  accountantToken = await login(pane.demo.accountant);
  const [s1, s2, s3] = companies as [(typeof companies)[0], (typeof companies)[0], (typeof companies)[0]];
  // Société 001: one invoice of 100 € HT dated at the month's end, unpaid, never exported
  const draft = await api<{ id: string }>("POST", `/companies/${s1.id}/invoices`, ownerToken, { customerId: s1.customerId, issueDate: monthEnd, lines: [LINE] });
  expect((await api("POST", `/companies/${s1.id}/invoices/${draft.json.id}/issue`, ownerToken, { issueDate: monthEnd })).status).toBe(200);
  // Société 002: already locked at the month's end — the refusal
  expect((await api("POST", `/companies/${s2.id}/locks`, accountantToken, { until: monthEnd, kind: "soft" })).status).toBe(201);
  // Société 003: a draft dated in the period
  expect((await api("POST", `/companies/${s3.id}/invoices`, ownerToken, { customerId: s3.customerId, issueDate: monthEnd, lines: [LINE] })).status).toBe(201);
});

afterAll(async () => {
  await pane?.close();
});

const byName = (n: number) => companies[n - 1]!;
const row = (id: string) => pane.page.locator(`tr[data-month-end="${id}"]`);
const cell = (id: string, col: string) => row(id).locator(`td[data-col="${col}"]`).innerText();
const result = (id: string) => pane.page.locator(`[data-result="${id}"]`).innerText();

describe("month-end across five companies", () => {
  it("shows what stands in the way in each company at last month's end", async () => {
    const { page } = pane;
    await page.goto(`${pane.base}/addin/taskpane.html`);
    await page.getByLabel("E-mail").fill(pane.demo.accountant.email);
    await page.getByLabel("Mot de passe").fill(pane.demo.accountant.password);
    await page.getByRole("button", { name: "Se connecter" }).click();
    await expect.poll(() => page.getByTestId("month-end-status").textContent()).toBe("5 sociétés sur 5 · 0 société cochée");
    expect(await page.getByLabel("Date de clôture").inputValue()).toBe(monthEnd);
    expect(await cell(byName(1).id, "drafts")).toBe("0");
    expect(await cell(byName(1).id, "issued")).toBe("1");
    expect((await cell(byName(1).id, "unpaid")).split("\n")).toEqual(["1", formatEuros(12000)]);
    expect(await cell(byName(1).id, "lock")).toBe("—");
    expect(await row(byName(1).id).innerText()).toContain("jamais exportée");
    expect(await cell(byName(2).id, "lock")).toBe(fr(monthEnd));
    expect(await cell(byName(3).id, "drafts")).toBe("1");
    expect(await cell(byName(4).id, "unpaid")).toBe("0");
    // the table fits the 380 px pane: nothing runs past its card
    const overflow = await page.locator(".month-end-table").evaluate((table) => table.getBoundingClientRect().right - table.closest(".card")!.getBoundingClientRect().right);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  it("previews, then locks the five companies at once: four locked, the one already locked refused, each said in French", async () => {
    const { page } = pane;
    await page.getByLabel("Tout cocher").check();
    await expect.poll(() => page.getByTestId("month-end-status").textContent()).toBe("5 sociétés sur 5 · 5 sociétés cochées");
    // locking asks for the preview first
    expect(await page.getByRole("button", { name: `Verrouiller 5 sociétés au ${fr(monthEnd)}` }).isDisabled()).toBe(true);
    await page.getByRole("button", { name: "Aperçu du verrouillage" }).click();
    await expect.poll(() => page.getByTestId("month-end-message").textContent()).toBe("Aperçu : 4 verrouillables, 1 refus");
    expect(await result(byName(1).id)).toBe(`Verrouillera depuis le début au ${fr(monthEnd)} : 1 document, ${formatEuros(12000)} TTC`);
    expect(await result(byName(2).id)).toBe(`Refusée : déjà verrouillée au ${fr(monthEnd)} (un verrouillage ne fait qu'avancer)`);
    expect(await result(byName(3).id)).toBe(`Verrouillera depuis le début au ${fr(monthEnd)} : 0 document, ${formatEuros(0)} TTC · 1 brouillon dans la période`);
    // nothing locked by the preview
    expect((await api<{ lockedUntil: string | null }>("GET", `/companies/${byName(1).id}/locks`, accountantToken)).json.lockedUntil).toBeNull();
    await page.screenshot({ path: path.join(SHOTS, "30-month-end-preview.png"), fullPage: true });

    await page.getByRole("button", { name: `Verrouiller 5 sociétés au ${fr(monthEnd)}` }).click();
    await expect.poll(() => page.getByTestId("month-end-message").textContent()).toBe("4 sociétés verrouillées, 1 refus");
    for (const id of [pane.demo.companyId, byName(1).id, byName(3).id, byName(4).id]) {
      expect(await result(id)).toBe(`Verrouillée au ${fr(monthEnd)}`);
      expect((await api<{ lockedUntil: string | null }>("GET", `/companies/${id}/locks`, accountantToken)).json.lockedUntil).toBe(monthEnd);
    }
    expect(await result(byName(2).id)).toBe(`Refusée : déjà verrouillée au ${fr(monthEnd)} (un verrouillage ne fait qu'avancer)`);
    // the refused company kept its one lock
    expect((await api<{ history: unknown[] }>("GET", `/companies/${byName(2).id}/locks`, accountantToken)).json.history).toHaveLength(1);
    // the table shows the new locks, and the draft of Société 003 is now behind its lock
    await expect.poll(() => cell(byName(1).id, "lock")).toBe(fr(monthEnd));
    expect(await cell(byName(3).id, "drafts")).toBe("0");
    await page.screenshot({ path: path.join(SHOTS, "31-month-end-locked.png"), fullPage: true });
  });

  it("downloads a company's FEC and pack from the pane; the export log and the month-end table show them", async () => {
    const { page } = pane;
    const target = byName(1);
    await page.locator('select[name="exportCompany"]').selectOption(target.id);
    await expect.poll(() => page.getByTestId("export-log").locator("li").count()).toBe(0);
    // the fiscal year up to the month-end date
    expect(await page.getByText(`Période du 01/01/${monthEnd.slice(0, 4)} au ${fr(monthEnd)}`).count()).toBe(1);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Télécharger le FEC" }).click()]);
    const fileName = download.suggestedFilename();
    const year = monthEnd.slice(0, 4);
    expect(fileName).toBe(`${target.siren}_VE-BQ_${year}0101_${monthEnd.replaceAll("-", "")}.txt`);
    const text = fs.readFileSync((await download.path())!, "utf8");
    const lines = text.replace(/^\uFEFF/, "").split("\r\n").filter(Boolean);
    expect(lines[0]!.split("\t").slice(0, 4)).toEqual(["JournalCode", "JournalLib", "EcritureNum", "EcritureDate"]);
    // one invoice: 411 debit 120,00, 706 credit 100,00, 4457 credit 20,00 — validated at the lock date
    expect(lines).toHaveLength(4);
    expect(lines.slice(1).map((l) => l.split("\t")[0])).toEqual(["VE", "VE", "VE"]);
    expect(lines.slice(1).map((l) => l.split("\t").slice(11, 13).join("/"))).toEqual(["120,00/0,00", "0,00/100,00", "0,00/20,00"]);
    await expect.poll(() => page.getByTestId("download-status").textContent()).toBe(`${fileName} téléchargé (${Buffer.byteLength(text, "utf8").toLocaleString("fr-FR")} octets)`);
    await expect.poll(() => page.getByTestId("export-log").locator("li").count()).toBe(1);
    const entry = await page.getByTestId("export-log").locator("li").first().innerText();
    expect(entry).toContain(fileName);
    expect(entry).toContain("fec · 3 lignes · "); // the three entry lines, the header apart
    await expect.poll(() => cell(target.id, "issued")).toBe("0");
    expect(await row(target.id).innerText()).toContain(`dernier export le ${new Date().toLocaleDateString("fr-FR")}`);
    await page.screenshot({ path: path.join(SHOTS, "32-month-end-fec.png"), fullPage: true });

    // the pack of the same period: a ZIP, newest first in the log
    const [pack] = await Promise.all([page.waitForEvent("download"), page.getByRole("button", { name: "Télécharger le pack" }).click()]);
    expect(pack.suggestedFilename()).toBe(`pack-comptable-${target.siren}-${year}0101-${monthEnd.replaceAll("-", "")}.zip`);
    expect([...fs.readFileSync((await pack.path())!).subarray(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]);
    await expect.poll(() => page.getByTestId("export-log").locator("li strong").allInnerTexts()).toEqual([pack.suggestedFilename(), fileName]);
  });

  it("a table refreshed in this workbook counts as having seen the company's documents, as an export does", async () => {
    const { page } = pane;
    const demo = pane.demo.companyId;
    const before = Number(await cell(demo, "issued"));
    expect(before).toBeGreaterThan(0);
    expect(await row(demo).innerText()).not.toContain("table actualisée");
    await page.locator(`button.company[data-company="${demo}"]`).click();
    await page.getByRole("button", { name: "Insérer dans une nouvelle feuille" }).click();
    await expect.poll(() => page.getByTestId("notice").textContent(), { timeout: 30_000 }).toMatch(/ : \d+ lignes?$/);
    await page.getByRole("button", { name: "← Sociétés" }).click();
    await expect.poll(() => cell(demo, "issued")).toBe("0");
    expect(await row(demo).innerText()).toContain(`table actualisée le ${new Date().toLocaleDateString("fr-FR")}`);
    // the other companies are as they were
    expect(await cell(byName(3).id, "issued")).toBe("0");
    expect(await row(byName(3).id).innerText()).not.toContain("table actualisée");
  });
});
