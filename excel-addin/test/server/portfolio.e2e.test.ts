/**
 * End to end in Chromium: an accountant with 500 companies reaches every one of them page by page,
 * searches by name and SIREN, keeps the companies changed since the last visit or not locked up to
 * last month's end, sorts by last change; counts in French.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addPortfolio, startPane, type Pane } from "./pane-harness.js";
import { lastMonthEnd } from "../../src/taskpane/periods.js";

const SHOTS = fileURLToPath(new URL("../../../test-output/excel-addin/", import.meta.url));
const TOTAL = 500;

let pane: Pane;
let companies: ReturnType<typeof addPortfolio>;
let ownerToken: string;
const localToday = () => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
};
const monthEnd = lastMonthEnd(localToday());
const fr = (iso: string) => iso.split("-").reverse().join("/");
const byName = (n: number) => companies[n - 1]!;

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

async function issue(company: { id: string; customerId: string }) {
  const draft = await api<{ id: string }>("POST", `/companies/${company.id}/invoices`, ownerToken, {
    customerId: company.customerId,
    lines: [{ description: "Conseil", quantity: "1", unitPriceCents: 10000, vatRateBp: 2000, kind: "services" }],
  });
  expect((await api("POST", `/companies/${company.id}/invoices/${draft.json.id}/issue`, ownerToken, {})).status).toBe(200);
}

const status = () => pane.page.getByTestId("portfolio-status").textContent();
const shownIds = () => pane.page.locator("button.company").evaluateAll((buttons) => buttons.map((b) => b.getAttribute("data-company")!));

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  pane = await startPane({ invoices: 20 });
  companies = addPortfolio(pane.deps, pane.demo, TOTAL - 1);
  ownerToken = await login(pane.demo.owner);
  const accountantToken = await login(pane.demo.accountant);
  // three companies locked up to last month's end by their accountant
  for (const n of [5, 250, 499]) {
    expect((await api("POST", `/companies/${byName(n).id}/locks`, accountantToken, { until: monthEnd, kind: "soft" })).status).toBe(201);
  }
});

afterAll(async () => {
  await pane?.close();
});

describe(`a portfolio of ${TOTAL} companies`, () => {
  it("shows every company, 50 a page, with the right counts in French", async () => {
    const { page } = pane;
    await page.goto(`${pane.base}/addin/taskpane.html`);
    await page.getByLabel("E-mail").fill(pane.demo.accountant.email);
    await page.getByLabel("Mot de passe").fill(pane.demo.accountant.password);
    await page.getByRole("button", { name: "Se connecter" }).click();
    await expect.poll(() => page.getByTestId("company-count").textContent()).toBe("500");
    expect(await status()).toBe("500 sociétés sur 500 · page 1 sur 10");
    await page.screenshot({ path: path.join(SHOTS, "20-portfolio-500.png"), fullPage: false });
    const seen: string[] = [];
    for (let p = 1; p <= 10; p++) {
      expect(await status()).toBe(`500 sociétés sur 500 · page ${p} sur 10`);
      const ids = await shownIds();
      expect(ids).toHaveLength(50);
      seen.push(...ids);
      if (p < 10) await page.getByRole("button", { name: "Suivante ›" }).click();
    }
    expect(await page.getByRole("button", { name: "Suivante ›" }).isDisabled()).toBe(true);
    expect(new Set(seen)).toEqual(new Set([pane.demo.companyId, ...companies.map((c) => c.id)]));
    // sorted by name, French order: the demo company first, then Société 001 … 499
    expect(seen[0]).toBe(pane.demo.companyId);
    expect(seen.slice(1)).toEqual(companies.map((c) => c.id));
    // compact rows: a 900 px pane shows many at once
    const heights = await page.locator(".companies li").evaluateAll((rows) => rows.map((r) => r.getBoundingClientRect().height));
    console.log(`portfolio rows: ${Math.max(...heights).toFixed(0)} px high at most`);
    expect(Math.max(...heights)).toBeLessThanOrEqual(40);
  });

  it("finds a company by SIREN or by name", async () => {
    const { page } = pane;
    const target = byName(321);
    await page.getByRole("searchbox").fill(target.siren.replace(/(\d{3})(?=\d)/g, "$1 "));
    await expect.poll(status).toBe("1 société sur 500 · page 1 sur 1");
    expect(await shownIds()).toEqual([target.id]);
    await page.getByRole("searchbox").fill("societe 32");
    await expect.poll(status).toBe("10 sociétés sur 500 · page 1 sur 1");
    expect(await shownIds()).toEqual([320, 321, 322, 323, 324, 325, 326, 327, 328, 329].map((n) => byName(n).id));
    await page.getByRole("searchbox").fill("");
  });

  it("keeps the companies not locked up to last month's end", async () => {
    const { page } = pane;
    await page.getByLabel(`Non verrouillées au ${fr(monthEnd)}`).check();
    await expect.poll(status).toBe("497 sociétés sur 500 · page 1 sur 10");
    await page.locator('select[name="sort"]').selectOption("lock");
    const first = await shownIds();
    expect(first).not.toContain(byName(5).id);
    await page.getByLabel(`Non verrouillées au ${fr(monthEnd)}`).uncheck();
    await expect.poll(status).toBe("500 sociétés sur 500 · page 1 sur 10");
    // the oldest lock first: the companies never locked (empty) come first, the three locked last
    await page.getByRole("button", { name: "Suivante ›" }).click();
    for (let p = 2; p < 10; p++) await page.getByRole("button", { name: "Suivante ›" }).click();
    const last = await shownIds();
    expect(last.slice(-3)).toEqual([5, 250, 499].map((n) => byName(n).id));
    await page.locator('select[name="sort"]').selectOption("name");
  });

  it("marks the companies changed since the last visit, and opening one clears its mark", async () => {
    const { page } = pane;
    await page.getByLabel("Modifiées depuis ma dernière visite").check();
    await expect.poll(status).toBe("0 société sur 500 · page 1 sur 1");
    await issue(byName(7));
    await new Promise((r) => setTimeout(r, 20));
    await issue(byName(123));
    await page.reload();
    await page.getByLabel("Modifiées depuis ma dernière visite").check();
    await expect.poll(status).toBe("2 sociétés sur 500 · page 1 sur 1");
    expect(await shownIds()).toEqual([byName(7).id, byName(123).id]);
    expect(await page.locator("button.company .changed").count()).toBe(2);
    await page.locator('select[name="sort"]').selectOption("recent");
    await expect.poll(shownIds).toEqual([byName(123).id, byName(7).id]);
    await page.screenshot({ path: path.join(SHOTS, "21-portfolio-changed.png"), fullPage: false });
    await page.locator(`button.company[data-company="${byName(7).id}"]`).click();
    await page.getByRole("button", { name: "← Sociétés" }).click();
    await page.getByLabel("Modifiées depuis ma dernière visite").check();
    await expect.poll(status).toBe("1 société sur 500 · page 1 sur 1");
    expect(await shownIds()).toEqual([byName(123).id]);
  });

  it("a lock set after the list was read shows the same in the company's header, its lock panel and the portfolio", async () => {
    const { page } = pane;
    const target = byName(10);
    await page.locator('select[name="sort"]').selectOption("name");
    await page.getByLabel("Modifiées depuis ma dernière visite").uncheck();
    expect((await api("POST", `/companies/${target.id}/locks`, await login(pane.demo.accountant), { until: monthEnd, kind: "soft" })).status).toBe(201);
    await page.getByRole("searchbox").fill(target.name);
    await page.locator(`button.company[data-company="${target.id}"]`).click();
    await expect.poll(() => page.getByTestId("lock-state").textContent()).toContain(`Verrouillé au ${fr(monthEnd)}`);
    await expect.poll(() => page.getByRole("form", { name: target.name }).locator("p.muted").first().textContent()).toBe(`SIREN ${target.siren} · Verrouillé au ${fr(monthEnd)}`);
    await page.getByRole("button", { name: "← Sociétés" }).click();
    // 500 less the four locked up to last month's end (three before the pane opened, this one after)
    await page.getByLabel(`Non verrouillées au ${fr(monthEnd)}`).check();
    await expect.poll(status).toBe("496 sociétés sur 500 · page 1 sur 10");
  });
});
