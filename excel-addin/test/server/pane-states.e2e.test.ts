/**
 * Every state of the pane at Office's narrow size, 350 × 800, in Chromium whose own language is
 * English while Office's is French: sign-in and its error, the portfolio, a company's journal
 * (dates typed jj/mm/aaaa, a mistyped one refused), two inserts of the same company (the second
 * sheet named after its period), the workbook's tables, a lock's preview, a lock date before the
 * current one refused before sending, the hard close confirmed by typing its year. Each state is
 * checked, then photographed into test-output/excel-addin/states/.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SalesJournal } from "@passerelle/shared";
import { startPane, type Pane } from "./pane-harness.js";

const SHOTS = fileURLToPath(new URL("../../../test-output/excel-addin/states/", import.meta.url));
const WIDTH = 350;
const HEIGHT = 800;

let pane: Pane;
let token: string;

/** What the page's own code sees (the test's tsconfig has no DOM library). */
type Dom = {
  document: { documentElement: { scrollWidth: number }; body: { innerText: string }; activeElement: { textContent: string | null } | null };
  navigator: { language: string };
  getComputedStyle(element: unknown, pseudo?: string): { [property: string]: string };
};

const fr = (iso: string) => iso.split("-").reverse().join("/");
const iso = (y: number, m: number, d: number) => `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
const lastDay = (y: number, m: number) => new Date(Date.UTC(y, m, 0)).getUTCDate();

async function api<T>(method: string, url: string, body?: unknown): Promise<{ status: number; json: T }> {
  const res = await fetch(`${pane.base}/api/v1${url}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : null,
  });
  return { status: res.status, json: (await res.json().catch(() => null)) as T };
}

async function shot(name: string) {
  const page = pane.page;
  // nothing wider than the pane: no horizontal scrolling at 350 px
  expect(await page.evaluate(() => (globalThis as unknown as Dom).document.documentElement.scrollWidth), name).toBeLessThanOrEqual(WIDTH);
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: false });
}

const visibleText = () => pane.page.evaluate(() => (globalThis as unknown as Dom).document.body.innerText);

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  pane = await startPane({ invoices: 120, locale: "en-US", viewport: { width: WIDTH, height: HEIGHT } });
});

afterAll(async () => {
  await pane?.close();
});

describe(`the pane's states at ${WIDTH} × ${HEIGHT}, Office in French, the browser in English`, () => {
  it("signs in, and says plainly when the password is wrong", async () => {
    const { page } = pane;
    await page.goto(`${pane.base}/addin/taskpane.html`);
    await page.getByRole("button", { name: "Se connecter" }).waitFor();
    expect(await page.evaluate(() => (globalThis as unknown as Dom).navigator.language)).toBe("en-US");
    expect(await page.locator("html").getAttribute("lang")).toBe("fr");
    // Fluent 2: Segoe UI first, 32 px controls, the brand blue on the primary button
    const look = await page.getByRole("button", { name: "Se connecter" }).evaluate((b) => {
      const style = (globalThis as unknown as Dom).getComputedStyle(b);
      return { font: style.fontFamily!, height: b.getBoundingClientRect().height, background: style.backgroundColor!, radius: style.borderRadius! };
    });
    expect(look).toEqual({ font: expect.stringMatching(/^"Segoe UI"/) as unknown as string, height: 32, background: "rgb(15, 108, 189)", radius: "4px" });
    expect(await page.getByLabel("E-mail").evaluate((i) => i.getBoundingClientRect().height)).toBe(32);
    await shot("01-sign-in");

    await page.getByLabel("E-mail").fill(pane.demo.accountant.email);
    await page.getByLabel("Mot de passe").fill("not the password");
    await page.getByRole("button", { name: "Se connecter" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toBe("E-mail ou mot de passe incorrect.");
    await shot("02-sign-in-error");

    await page.getByLabel("Mot de passe").fill(pane.demo.accountant.password);
    await page.getByRole("button", { name: "Se connecter" }).click();
    await expect.poll(() => page.getByTestId("company-count").textContent()).toBe("1");
    token = ((await api<{ token: string }>("POST", "/auth/login", pane.demo.accountant)).json).token;
  });

  it("shows the portfolio under the pane's tabs, which fit the pane and answer the keyboard", async () => {
    const { page } = pane;
    const tabs = await page.getByRole("tab").allTextContents();
    expect(tabs.filter((x) => ["Journal", "Clôture", "Comptes", "Tables du classeur"].includes(x))).toEqual(tabs);
    expect(tabs[0]).toBe("Journal");
    expect(tabs.slice(1)).toContain("Clôture");
    expect(tabs.at(-1)).toBe("Tables du classeur");
    const list = page.getByRole("tablist", { name: "Sections du volet" });
    expect(await list.evaluate((l) => l.scrollWidth <= l.clientWidth)).toBe(true);
    expect(await page.getByRole("tab", { name: "Journal" }).getAttribute("aria-selected")).toBe("true");
    // the selected tab's 3 px brand indicator
    expect(await page.getByRole("tab", { name: "Journal" }).evaluate((t) => {
      const after = (globalThis as unknown as Dom).getComputedStyle(t, "::after");
      return [after.height, after.backgroundColor];
    })).toEqual(["3px", "rgb(15, 108, 189)"]);
    await page.getByRole("tab", { name: "Journal" }).focus();
    await page.keyboard.press("End");
    expect(await page.getByRole("tab", { name: "Tables du classeur" }).getAttribute("aria-selected")).toBe("true");
    expect(await page.evaluate(() => (globalThis as unknown as Dom).document.activeElement?.textContent)).toBe("Tables du classeur");
    // the focus ring: 2 px, solid, black
    expect(await page.evaluate(() => {
      const dom = globalThis as unknown as Dom;
      const style = dom.getComputedStyle(dom.document.activeElement!);
      return [style.outlineStyle, style.outlineWidth, style.outlineColor];
    })).toEqual(["solid", "2px", "rgb(0, 0, 0)"]);
    await shot("03b-tables-empty");
    expect(await page.getByRole("tabpanel").textContent()).toContain("Aucune table Passerelle dans ce classeur.");
    await page.keyboard.press("Home");
    expect(await page.getByRole("tab", { name: "Journal" }).getAttribute("aria-selected")).toBe("true");
    await page.getByRole("tab", { name: "Clôture" }).click();
    // no company open: the month-end across the portfolio
    await page.getByRole("tabpanel").getByRole("region", { name: "Clôture du mois" }).waitFor();
    expect(await page.getByLabel("Date de clôture").getAttribute("placeholder")).toBe("jj/mm/aaaa");
    await shot("03c-month-end");
    await page.getByRole("tab", { name: "Journal" }).click();
    await page.locator(`button.company[data-company="${pane.demo.companyId}"]`).waitFor();
    await shot("03-portfolio");
  });

  it("reads and types the company's dates as jj/mm/aaaa, and refuses a mistyped one", async () => {
    const { page } = pane;
    await page.locator(`button.company[data-company="${pane.demo.companyId}"]`).click();
    const year = new Date().getFullYear();
    // the demo's fiscal year is the calendar year: « Exercice en cours »
    expect(await page.locator('input[name="from"]').inputValue()).toBe(`01/01/${year}`);
    expect(await page.locator('input[name="to"]').inputValue()).toBe(`31/12/${year}`);
    expect(await page.locator('input[name="from"]').getAttribute("type")).toBe("text");
    expect(await page.locator('input[name="from"]').getAttribute("placeholder")).toBe("jj/mm/aaaa");
    await shot("04-company-journal");

    // the company's accounts have their own tab
    await page.getByRole("tab", { name: "Comptes" }).click();
    await page.getByRole("tabpanel").getByRole("region", { name: "Comptes" }).getByRole("button", { name: "Comptes", exact: true }).waitFor();
    await shot("04b-company-accounts");
    await page.getByRole("tab", { name: "Journal" }).click();

    await page.locator('input[name="to"]').fill("31/02/2026");
    expect(await page.locator(".field-error").textContent()).toBe("Date attendue au format jj/mm/aaaa (ex. 31/03/2026).");
    expect(await page.locator('input[name="to"]').getAttribute("aria-invalid")).toBe("true");
    expect(await page.getByRole("button", { name: "Insérer dans une nouvelle feuille" }).isDisabled()).toBe(true);
    await shot("05-date-mistyped");
    await page.locator('input[name="to"]').fill("31/12/2019");
    expect(await page.locator(".field-error").textContent()).toBe("La date de fin précède la date de début.");
    expect(await page.getByRole("button", { name: "Insérer dans une nouvelle feuille" }).isDisabled()).toBe(true);
    await page.locator('select[name="preset"]').selectOption("year");
    await expect.poll(() => page.locator('input[name="to"]').inputValue()).toBe(`31/12/${year}`);
    expect(await page.locator(".field-error").count()).toBe(0);
  });

  it("inserts the journal twice: the second sheet is named after its period, and the tables list shows both without technical words", async () => {
    const { page } = pane;
    const year = new Date().getFullYear();
    await page.getByRole("button", { name: "Insérer dans une nouvelle feuille" }).click();
    await expect.poll(() => page.getByTestId("notice").textContent(), { timeout: 30_000 }).toMatch(/^Maison Lumière SARL – Ventes : \d+ lignes?$/);
    await shot("06-inserted");

    const month = new Date().getMonth() + 1;
    const q = Math.floor((month - 1) / 3) || 4;
    const qYear = Math.floor((month - 1) / 3) ? year : year - 1;
    await page.locator('select[name="preset"]').selectOption("lastQuarter");
    await expect.poll(() => page.locator('input[name="from"]').inputValue()).toBe(fr(iso(qYear, q * 3 - 2, 1)));
    await expect.poll(() => page.locator('input[name="to"]').inputValue()).toBe(fr(iso(qYear, q * 3, lastDay(qYear, q * 3))));
    await page.getByRole("button", { name: "Insérer dans une nouvelle feuille" }).click();
    const second = `Maison Lumière – Ventes T${q} ${qYear}`;
    await expect.poll(() => page.getByTestId("notice").textContent(), { timeout: 30_000 }).toMatch(new RegExp(`^${second} : \\d+ lignes?$`));
    const sheets = await page.evaluate(() => (globalThis as unknown as { __passerelle: { workbook: { sheetNames(): string[] } } }).__passerelle.workbook.sheetNames());
    expect(sheets).toContain("Maison Lumière SARL – Ventes");
    expect(sheets).toContain(second);
    expect(sheets.some((s) => / \(\d+\)$/.test(s))).toBe(false);

    await page.getByRole("tab", { name: "Tables du classeur" }).click();
    const items = page.getByRole("tabpanel").locator("ul.tables > li strong");
    expect(await items.allTextContents()).toEqual(["Maison Lumière SARL – Ventes", second]);
    expect(await visibleText()).not.toMatch(/séquence/i);
    await shot("07-tables");
    await page.getByLabel("En direct").check();
    await expect.poll(() => page.getByTestId("live-status").textContent()).toBe("● En direct");
    expect(await visibleText()).not.toMatch(/séquence/i);
    await shot("08-live");
    await page.getByLabel("En direct").uncheck();
  });

  it("previews a lock, and refuses a date before the current lock before sending anything", async () => {
    const { page } = pane;
    const companyId = pane.demo.companyId;
    await page.getByRole("tab", { name: "Clôture" }).click();
    const current = (await api<{ lockedUntil: string }>("GET", `/companies/${companyId}/locks`)).json.lockedUntil;
    expect(current).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await expect.poll(() => page.getByTestId("lock-state").textContent()).toContain(`Verrouillé au ${fr(current)}`);

    const now = new Date();
    const [py, pm] = now.getMonth() === 0 ? [now.getFullYear() - 1, 12] : [now.getFullYear(), now.getMonth()];
    const until = iso(py, pm, lastDay(py, pm));
    const from = new Date(Date.parse(`${current}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const totals = (await api<SalesJournal>("GET", `/companies/${companyId}/sales-journal?from=${from}&to=${until}&limit=1`)).json.totals;
    const routine = page.getByRole("region", { name: "Verrouiller une période" });
    await routine.locator('input[name="lockUntil"]').fill(fr(until));
    await routine.getByRole("button", { name: "Voir ce qui sera verrouillé" }).click();
    await expect.poll(() => page.getByTestId("lock-preview").locator("p").first().textContent()).toBe(`Du ${fr(from)} au ${fr(until)} : ${totals.count} document${totals.count > 1 ? "s" : ""}`);
    await shot("09-lock-preview");

    const requests: string[] = [];
    const listen = (r: { method(): string; url(): string }) => void (r.method() !== "GET" && requests.push(`${r.method()} ${r.url()}`));
    page.on("request", listen);
    const before = iso(Number(current.slice(0, 4)), Number(current.slice(5, 7)), 1);
    await routine.locator('input[name="lockUntil"]').fill(fr(before));
    expect(await routine.locator(".field-error").textContent()).toBe(`Déjà verrouillé au ${fr(current)} : choisissez une date postérieure.`);
    expect(await routine.getByRole("button", { name: "Voir ce qui sera verrouillé" }).isDisabled()).toBe(true);
    expect(await page.getByTestId("lock-preview").count()).toBe(0);
    await routine.locator('input[name="lockUntil"]').press("Enter");
    await shot("10-lock-refused");
    page.off("request", listen);
    expect(requests).toEqual([]);
    expect((await api<{ lockedUntil: string }>("GET", `/companies/${companyId}/locks`)).json.lockedUntil).toBe(current);

    await routine.locator('input[name="lockUntil"]').fill(fr(until));
    await routine.getByRole("button", { name: "Voir ce qui sera verrouillé" }).click();
    await routine.getByRole("button", { name: "Confirmer le verrouillage" }).click();
    await expect.poll(() => page.getByTestId("lock-state").textContent()).toContain(`Verrouillé au ${fr(until)}`);
    expect((await api<{ lockedUntil: string }>("GET", `/companies/${companyId}/locks`)).json.lockedUntil).toBe(until);
  });

  it("closes a fiscal year for good only once its year is typed, apart from the routine lock", async () => {
    const { page } = pane;
    const companyId = pane.demo.companyId;
    const lastYear = new Date().getFullYear() - 1;
    const hard = page.getByRole("region", { name: "Clôture définitive d'un exercice" });
    await hard.scrollIntoViewIfNeeded();
    // apart: its own section, after the routine lock's
    const [routineBottom, hardTop] = await Promise.all([
      page.getByRole("region", { name: "Verrouiller une période" }).evaluate((e) => e.getBoundingClientRect().bottom),
      hard.evaluate((e) => e.getBoundingClientRect().top),
    ]);
    expect(hardTop).toBeGreaterThan(routineBottom);
    expect(await hard.locator('input[name="hardUntil"]').inputValue()).toBe(`31/12/${lastYear}`);
    const close = hard.getByRole("button", { name: "Clôturer définitivement" });
    expect(await close.isDisabled()).toBe(true);
    await hard.getByLabel(`Pour confirmer, tapez l'année ${lastYear}`).fill(String(lastYear - 1));
    expect(await close.isDisabled()).toBe(true);
    await hard.getByLabel(`Pour confirmer, tapez l'année ${lastYear}`).fill(String(lastYear));
    expect(await close.isDisabled()).toBe(false);
    await shot("11-hard-close-confirm");
    await close.click();
    await expect.poll(() => hard.getByRole("status").textContent()).toBe(`Exercice clôturé définitivement au 31/12/${lastYear}.`);
    await expect.poll(() => page.getByTestId("lock-state").textContent()).toContain(`Clôturé définitivement au 31/12/${lastYear}`);
    expect((await api<{ hardUntil: string }>("GET", `/companies/${companyId}/locks`)).json.hardUntil).toBe(`${lastYear}-12-31`);
    await shot("12-hard-closed");
  });
});
