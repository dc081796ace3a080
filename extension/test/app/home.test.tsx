import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { storedForm } from "../../lib/app/form-store";
import { revenueBars } from "../../lib/app/revenue-chart";
import type { TestApp } from "../api-harness";
import { euros, go, signedInApp } from "./app-harness";

afterEach(async () => {
  cleanup();
  await storedForm("none");
  vi.useRealTimers();
});

type Owner = Awaited<ReturnType<typeof signedInApp>>["owner"];

async function issued(api: TestApp, owner: Owner, customerId: string, issueDate: string, dueDate: string, unitPriceCents: number) {
  const draft = await api.call("POST", `/companies/${owner.companyId}/invoices`, {
    token: owner.token,
    body: { customerId, dueDate, lines: [{ description: "Prestation", quantity: "1", unitPriceCents, vatRateBp: 2000, kind: "services" }] },
  });
  const res = await api.call("POST", `/companies/${owner.companyId}/invoices/${draft.json.id}/issue`, { token: owner.token, body: { issueDate } });
  expect(res.status).toBe(200);
  return res.json as { id: string; number: string; lines: { id: string }[] };
}

/**
 * On 2026-11-20: Boulangerie Dupont's 1 000,00 € HT of 2026-10-31 due 2026-11-15, 200,00 € paid on
 * 2026-11-01; its 300,00 € HT of 2026-11-02 due 2026-12-02, credited 100,00 € HT on 2026-11-10;
 * Fromagerie Martin's 50,00 € HT of 2026-11-05 due 2026-11-10.
 */
async function companyWithFigures() {
  const app = await signedInApp("#/invoices");
  const { api, owner } = app;
  const martin = (await api.call("POST", `/companies/${owner.companyId}/customers`, { token: owner.token, body: { name: "Fromagerie Martin", address: "2 rue Mercière, 69002 Lyon" } })).json.id as string;
  const a = await issued(api, owner, owner.customerId, "2026-10-31", "2026-11-15", 100000);
  await api.call("POST", `/companies/${owner.companyId}/payments`, { token: owner.token, body: { invoiceId: a.id, amountCents: 20000, date: "2026-11-01", method: "transfer" } });
  const b = await issued(api, owner, owner.customerId, "2026-11-02", "2026-12-02", 30000);
  const draft = await api.call("POST", `/companies/${owner.companyId}/invoices`, {
    token: owner.token,
    body: { customerId: owner.customerId, lines: [{ description: "Prestation", quantity: "1", unitPriceCents: 10000, vatRateBp: 2000, kind: "services" }] },
  });
  expect(draft.status).toBe(201);
  const cn = await api.call("POST", `/companies/${owner.companyId}/invoices/${b.id}/credit-note`, { token: owner.token, body: { issueDate: "2026-11-10", lines: [{ lineId: b.lines[0]!.id, quantity: "0.3333" }] } });
  expect(cn.status).toBe(201);
  const e = await issued(api, owner, martin, "2026-11-05", "2026-11-10", 5000);
  return { ...app, martin, a, b, e, cn: cn.json as { id: string; number: string; totals: { htCents: number } } };
}

describe("the home screen", () => {
  it("is the view's first screen and shows the month's and the fiscal year's revenue and cash, due and overdue, to the cent", async () => {
    const { cn } = await companyWithFigures();
    // 0.3333 × 300,00 € = 99,99 € HT credited
    expect(cn.totals.htCents).toBe(9999);
    go("");
    const figures = await screen.findByTestId("home-figures");
    expect(screen.getByRole("link", { name: "Accueil" }).getAttribute("aria-current")).toBe("page");
    const figure = (id: string) => within(figures).getByTestId(`figure-${id}`).textContent;
    // November: 300,00 − 99,99 + 50,00; the 200,00 € paid on 1 November for October's invoice
    expect(figure("month-revenue")).toBe(`Chiffre d'affaires HT — novembre 2026${euros("250,01 €")}`);
    expect(figure("month-received")).toBe(`Encaissé en novembre 2026${euros("200,00 €")}`);
    expect(figure("year-revenue")).toBe(`Chiffre d'affaires HT de l'exercice${euros("1 250,01 €")}depuis le 01/01/2026`);
    expect(figure("year-received")).toBe(`Encaissé sur l'exercice${euros("200,00 €")}depuis le 01/01/2026`);
    // 1 000,00 (1 200,00 − 200,00) + 240,01 (360,00 − 119,99) + 60,00
    expect(figure("due")).toBe(`À encaisser${euros("1 300,01 €")}3 facture(s)`);
    expect(figure("overdue")).toBe(`En retard${euros("1 060,00 €")}2 facture(s)`);
    expect(screen.getByText("Au 20/11/2026")).toBeTruthy();
  });

  it("lists the most overdue invoices first; a row opens its invoice, the customer's name its page", async () => {
    const { a, e } = await companyWithFigures();
    go("#/");
    const table = await screen.findByTestId("most-overdue");
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent))).toEqual([
      [e.number, "Fromagerie Martin", "10/11/2026", "10 jour(s)", euros("60,00 €")],
      [a.number, "Boulangerie Dupont", "15/11/2026", "5 jour(s)", euros("1 000,00 €")],
    ]);
    fireEvent.click(within(rows[1]!).getByText("15/11/2026"));
    await waitFor(() => expect(location.hash).toBe(`#/invoices/${a.id}`));
    go("#/");
    const again = await screen.findByTestId("most-overdue");
    expect(within(again).getByRole("link", { name: "Fromagerie Martin" }).getAttribute("href")).toMatch(/^#\/customers\//);
  });

  it("draws 12 months of revenue HT as bars whose amounts are text for screen readers", async () => {
    await companyWithFigures();
    go("#/");
    const chart = await screen.findByRole("img", { name: /Chiffre d'affaires HT des 12 derniers mois/ });
    const desc = chart.querySelector("desc")!.textContent!;
    expect(desc.split(" ; ")).toEqual([
      ...["décembre 2025", "janvier 2026", "février 2026", "mars 2026", "avril 2026", "mai 2026", "juin 2026", "juillet 2026", "août 2026", "septembre 2026"].map((m) => `${m} : ${euros("0,00 €")}`),
      `octobre 2026 : ${euros("1 000,00 €")}`,
      `novembre 2026 : ${euros("250,01 €")}`,
    ]);
    expect(chart.getAttribute("aria-labelledby")).toBe("revenue-chart-title revenue-chart-desc");
    const heights = [...chart.querySelectorAll("rect")].map((r) => Number(r.getAttribute("height")));
    // 250,01 / 1 000,00 of the 96 px plot, to the hundredth of a pixel
    expect(heights.slice(-2)).toEqual([96, 24]);
    expect([...chart.querySelectorAll("text")].map((x) => x.textContent).slice(0, 2)).toEqual(["déc.", "janv."]);
  });
});

describe("the revenue chart's geometry", () => {
  it("takes a month whose credit notes exceed its invoices below the zero line", () => {
    const { bars, zero } = revenueBars([
      { month: "2026-01", revenueHtCents: 30000 },
      { month: "2026-02", revenueHtCents: -10000 },
    ]);
    expect(zero).toBe(6 + 72);
    expect(bars.map((b) => [b.y, b.height, b.negative])).toEqual([
      [6, 72, false],
      [78, 24, true],
    ]);
    expect(bars[1]!.text).toBe(`février 2026 : ${euros("-100,00 €")}`);
  });
});

describe("a customer's page", () => {
  it("opens from the customer's name and shows its balance, its documents and the e-mails sent to it", async () => {
    const { api, owner, a, b, cn } = await companyWithFigures();
    await api.call("PATCH", `/companies/${owner.companyId}/customers/${owner.customerId}`, { token: owner.token, body: { email: "compta@boulangerie-dupont.fr" } });
    const sent = await api.call("POST", `/companies/${owner.companyId}/invoices/${b.id}/sendings`, {
      token: owner.token,
      body: { to: ["compta@boulangerie-dupont.fr"], subject: "Votre facture", message: "Bonjour" },
    });
    expect(sent.status).toBe(201);
    go("#/customers");
    fireEvent.click(within(await screen.findByTestId("customer-list")).getByRole("link", { name: "Boulangerie Dupont" }));
    await waitFor(() => expect(location.hash).toBe(`#/customers/${owner.customerId}`));
    const balance = await screen.findByTestId("customer-balance");
    expect(screen.getByRole("heading", { level: 1 }).textContent).toBe("Boulangerie Dupont");
    // billed 1 200,00 + 360,00 − 119,99; received 200,00; due 1 000,00 + 240,01, of which 1 000,00 overdue
    expect([...balance.querySelectorAll(".figure")].map((f) => f.textContent)).toEqual([
      `Facturé TTC, avoirs déduits${euros("1 440,01 €")}`,
      `Encaissé${euros("200,00 €")}`,
      `À encaisser${euros("1 240,01 €")}`,
      `En retard${euros("1 000,00 €")}1 facture(s)`,
    ]);
    const documents = screen.getByTestId("customer-documents");
    expect([...documents.querySelectorAll("tbody tr")].map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent))).toEqual([
      ["Brouillon", "—", "", euros("120,00 €"), "", "Brouillon"],
      [cn.number, "10/11/2026", "", euros("-119,99 €"), "", "Avoir"],
      [b.number, "02/11/2026", "02/12/2026", euros("360,00 €"), euros("240,01 €"), "Non payée"],
      [a.number, "31/10/2026", "15/11/2026", euros("1 200,00 €"), euros("1 000,00 €"), "En retard"],
    ]);
    const sendings = screen.getByTestId("customer-sendings");
    expect([...sendings.querySelectorAll("tbody tr")].map((r) => [r.getAttribute("data-kind"), [...r.querySelectorAll("td")].slice(1).map((td) => td.textContent)])).toEqual([
      ["invoice", [`Facture ${b.number}`, "compta@boulangerie-dupont.fr", "Envoyé"]],
    ]);
    fireEvent.click(screen.getByRole("link", { name: "Modifier la fiche" }));
    await waitFor(() => expect(location.hash).toBe(`#/customers/${owner.customerId}/edit`));
    expect(((await screen.findByLabelText("Adresse e-mail")) as HTMLInputElement).value).toBe("compta@boulangerie-dupont.fr");
  });

  it("opens from the customer's name on an invoice", async () => {
    const { a, owner } = await companyWithFigures();
    go(`#/invoices/${a.id}`);
    const link = await screen.findByRole("link", { name: "Boulangerie Dupont" });
    expect(link.getAttribute("href")).toBe(`#/customers/${owner.customerId}`);
  });
});
