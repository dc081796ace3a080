import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import fc from "fast-check";
import { invoiceTotals, type PricedLine } from "@passerelle/shared/totals";
import { lineNetCents } from "@passerelle/shared/money";
import { FRENCH_VAT_RATES_BP, formatVatRate } from "@passerelle/shared/vat";
import { formatEuros } from "@passerelle/shared/format";
import { AppContext, type AppData } from "../../lib/app/data";
import { appFormsItem } from "../../lib/storage";
import { eurosInput, quantityInput } from "../../lib/app/amounts";
import { storedForm } from "../../lib/app/form-store";
import { InvoiceEditor } from "../../entrypoints/app/views/InvoiceEditor";
import { issuedInvoice, invitedAccountant } from "../api-harness";
import { reload, signedInApp } from "./app-harness";

afterEach(async () => {
  cleanup();
  // Keystrokes still on their way to storage land now, not in the next test's fresh browser.
  await storedForm("none");
  vi.useRealTimers();
});

const label = (field: string, line: number) => `${field}, ligne ${line}`;

/** The editor on its own, with what the view would give it: no API is reached while typing. */
function editorAlone() {
  const data: AppData = {
    session: { serverUrl: "http://localhost:8787", user: { id: "u", email: "o@example.fr", name: "O" }, companies: [{ id: "c", name: "C" }], companyId: "c", remember: false, capabilities: { invoicePdf: false } },
    companyId: "c",
    company: null,
    lock: null,
    customers: [],
    products: [],
    loadError: null,
    refresh: async () => {},
    flash: null,
    setFlash: () => {},
    handoff: null,
    setHandoff: () => {},
  };
  return render(
    <AppContext.Provider value={data}>
      <InvoiceEditor invoiceId={null} />
    </AppContext.Provider>,
  );
}

/** What the totals table shows, cell by cell. */
function shownTotals(table: HTMLElement) {
  return {
    rates: [...table.querySelectorAll("tbody tr.rate-row")].map((r) => [...r.children].map((c) => c.textContent)),
    ht: table.querySelector('[data-total="ht"] td')!.textContent,
    vat: table.querySelector('[data-total="vat"] td')!.textContent,
    ttc: table.querySelector('[data-total="ttc"] td')!.textContent,
  };
}

function expectedTotals(lines: readonly PricedLine[]) {
  const totals = invoiceTotals(lines);
  return {
    rates: totals.byRate.length ? totals.byRate.map((r) => [`TVA ${formatVatRate(r.vatRateBp)}`, formatEuros(r.baseCents), formatEuros(r.vatCents)]) : [["—", formatEuros(0), formatEuros(0)]],
    ht: formatEuros(totals.htCents),
    vat: formatEuros(totals.vatCents),
    ttc: formatEuros(totals.ttcCents),
  };
}

/** A quantity with up to 4 decimals, a unit price, a discount up to the line's gross, a French rate. */
const pricedLine = fc
  .record({
    whole: fc.integer({ min: 0, max: 999 }),
    decimals: fc.integer({ min: 0, max: 4 }),
    fraction: fc.integer({ min: 0, max: 9999 }),
    unitPriceCents: fc.integer({ min: 0, max: 2_000_000 }),
    discountShare: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
    vatRateBp: fc.constantFrom(...FRENCH_VAT_RATES_BP),
  })
  .map(({ whole, decimals, fraction, unitPriceCents, discountShare, vatRateBp }) => {
    const digits = String(fraction % 10 ** decimals).padStart(decimals, "0");
    let quantity = decimals > 0 ? `${whole}.${digits}`.replace(/0+$/, "").replace(/\.$/, "") : String(whole);
    if (!/[1-9]/.test(quantity)) quantity = "1";
    const gross = lineNetCents(quantity, unitPriceCents, 0);
    const discountCents = discountShare === undefined ? 0 : Math.floor(gross * discountShare);
    return { quantity, unitPriceCents, vatRateBp, discountCents };
  });

/** Types one line into the editor as the owner would. */
function typeLine(n: number, line: PricedLine & { discountCents: number }) {
  fireEvent.input(screen.getByLabelText(label("Désignation", n)), { target: { value: `Ligne ${n}` } });
  fireEvent.input(screen.getByLabelText(label("Qté", n)), { target: { value: quantityInput(line.quantity) } });
  fireEvent.input(screen.getByLabelText(label("Prix unitaire HT", n)), { target: { value: eurosInput(line.unitPriceCents) } });
  fireEvent.input(screen.getByLabelText(label("Remise HT", n)), { target: { value: line.discountCents ? eurosInput(line.discountCents) : "" } });
  fireEvent.change(screen.getByLabelText(label("TVA", n)), { target: { value: String(line.vatRateBp) } });
}

describe("invoice editor: live totals", () => {
  it("shows, for any lines typed, the totals of the shared computation the API issues with", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(pricedLine, { minLength: 1, maxLength: 5 }), async (lines) => {
        // Every keystroke of the previous run is stored before the slate is wiped.
        await storedForm("none");
        await appFormsItem.removeValue();
        editorAlone();
        try {
          await screen.findByLabelText(label("Désignation", 1));
          lines.forEach((line, i) => {
            if (i > 0) fireEvent.click(screen.getByRole("button", { name: "Ajouter une ligne" }));
            typeLine(i + 1, line);
          });
          expect(screen.getAllByTestId("line-net").map((n) => n.textContent)).toEqual(lines.map((l) => formatEuros(lineNetCents(l.quantity, l.unitPriceCents, l.discountCents))));
          expect(shownTotals(screen.getByTestId("draft-totals"))).toEqual(expectedTotals(lines));
        } finally {
          cleanup();
        }
      }),
      { numRuns: 40 },
    );
  });

  it("rounds VAT once per rate on the sum of the rounded line nets (3 × 10,01 € at 20 % → 6,01 €)", async () => {
    editorAlone();
    await screen.findByLabelText(label("Désignation", 1));
    for (let n = 1; n <= 3; n++) {
      if (n > 1) fireEvent.click(screen.getByRole("button", { name: "Ajouter une ligne" }));
      typeLine(n, { quantity: "1", unitPriceCents: 1001, vatRateBp: 2000, discountCents: 0 });
    }
    expect(shownTotals(screen.getByTestId("draft-totals"))).toEqual({
      rates: [["TVA 20\u00a0%", "30,03\u00a0€", "6,01\u00a0€"]],
      ht: "30,03\u00a0€",
      vat: "6,01\u00a0€",
      ttc: "36,04\u00a0€",
    });
  });

  it("says which typed value it cannot read, and leaves that line out of the totals until it can", async () => {
    editorAlone();
    await screen.findByLabelText(label("Désignation", 1));
    typeLine(1, { quantity: "2", unitPriceCents: 5000, vatRateBp: 2000, discountCents: 0 });
    fireEvent.click(screen.getByRole("button", { name: "Ajouter une ligne" }));
    typeLine(2, { quantity: "1", unitPriceCents: 1000, vatRateBp: 1000, discountCents: 0 });
    fireEvent.input(screen.getByLabelText(label("Prix unitaire HT", 2)), { target: { value: "12,345" } });
    const price = screen.getByLabelText(label("Prix unitaire HT", 2));
    expect(price.getAttribute("aria-invalid")).toBe("true");
    expect(document.getElementById(price.getAttribute("aria-describedby")!)!.textContent).toBe(
      "Montant invalide : des euros avec au plus 2 décimales, par exemple 120,50",
    );
    expect(shownTotals(screen.getByTestId("draft-totals")).ttc).toBe("120,00\u00a0€");
    expect(screen.getByText("1 ligne(s) incomplète(s), non comptée(s) dans les totaux")).toBeTruthy();
    fireEvent.input(screen.getByLabelText(label("Remise HT", 1)), { target: { value: "100,01" } });
    expect(screen.getByText("La remise dépasse le montant de la ligne (quantité × prix unitaire)")).toBeTruthy();
  });

  it("adds a line with Enter and moves to it; Enter on an empty last line adds nothing", async () => {
    editorAlone();
    fireEvent.input(await screen.findByLabelText(label("Désignation", 1)), { target: { value: "Étude" } });
    const first = screen.getByLabelText(label("Qté", 1));
    fireEvent.input(first, { target: { value: "1" } });
    fireEvent.keyDown(first, { key: "Enter" });
    const product2 = await screen.findByLabelText(label("Produit", 2));
    await waitFor(() => expect(document.activeElement).toBe(product2));
    fireEvent.keyDown(product2, { key: "Enter" });
    expect(screen.queryByLabelText(label("Produit", 3))).toBeNull();
    expect(screen.getAllByTestId("line-net")).toHaveLength(2);
  });
});

describe("invoice editor: saving", () => {
  async function draftTwoLines(customerId: string) {
    const customer = await screen.findByLabelText("Client");
    await waitFor(() => expect(customer.querySelectorAll("option").length).toBeGreaterThan(1));
    fireEvent.change(customer, { target: { value: customerId } });
    typeLine(1, { quantity: "3", unitPriceCents: 15000, vatRateBp: 2000, discountCents: 4500 });
    fireEvent.keyDown(screen.getByLabelText(label("Remise HT", 1)), { key: "Enter" });
    typeLine(2, { quantity: "2", unitPriceCents: 2490, vatRateBp: 550, discountCents: 0 });
  }

  it("saves a draft whose totals, as the API computes them, are those shown", async () => {
    const { api, owner } = await signedInApp("#/invoices/new");
    await draftTwoLines(owner.customerId);
    const shown = shownTotals(screen.getByTestId("draft-totals"));
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer le brouillon" }));
    expect((await screen.findByTestId("flash")).textContent).toContain("Brouillon enregistré (538,54\u00a0€ TTC). Il reste modifiable jusqu'à son émission.");
    const [draft] = (await api.call("GET", `/companies/${owner.companyId}/invoices`, { token: owner.token })).json.items;
    expect(draft.status).toBe("draft");
    expect(draft.totals).toEqual({
      htCents: 45_480,
      vatCents: 8_374,
      ttcCents: 53_854,
      byRate: [
        { vatRateBp: 2000, baseCents: 40_500, vatCents: 8_100 },
        { vatRateBp: 550, baseCents: 4_980, vatCents: 274 },
      ],
    });
    expect(shown).toEqual(expectedTotals(draft.lines));
    expect(location.hash).toBe(`#/invoices/${draft.id}`);
    expect(await appFormsItem.getValue()).toEqual({});
  });

  it("keeps the line breaks of a description typed on several lines", async () => {
    const { api, owner } = await signedInApp("#/invoices/new");
    await draftTwoLines(owner.customerId);
    const description = screen.getByLabelText(label("Désignation", 1));
    expect(description.tagName).toBe("TEXTAREA");
    fireEvent.input(description, { target: { value: "Atelier découverte\nniveau débutant, 3 h" } });
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer le brouillon" }));
    await screen.findByTestId("flash");
    const [draft] = (await api.call("GET", `/companies/${owner.companyId}/invoices`, { token: owner.token })).json.items;
    expect(draft.lines.map((l: { description: string }) => l.description)).toEqual(["Atelier découverte\nniveau débutant, 3 h", "Ligne 2"]);
  });

  it("sends the unit and the nature chosen on a free-text line (hours of goods, not services by default)", async () => {
    const { api, owner } = await signedInApp("#/invoices/new");
    await draftTwoLines(owner.customerId);
    const unit = screen.getByLabelText(label("Unité", 1)) as HTMLSelectElement;
    const kind = screen.getByLabelText(label("Nature", 1)) as HTMLSelectElement;
    expect([unit.value, kind.value]).toEqual(["", "services"]);
    expect([...unit.options].map((o) => o.textContent)).toContain("heure");
    fireEvent.change(unit, { target: { value: "hour" } });
    fireEvent.change(kind, { target: { value: "goods" } });
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer le brouillon" }));
    await screen.findByTestId("flash");
    const [draft] = (await api.call("GET", `/companies/${owner.companyId}/invoices`, { token: owner.token })).json.items;
    expect(draft.lines.map((l: { unit: string | null; kind: string }) => [l.unit, l.kind])).toEqual([
      ["hour", "goods"],
      [null, "services"],
    ]);
  });

  it("finds the customer as one types: the search narrows the list and picks the only one left", async () => {
    const { api, owner, view } = await signedInApp("#/invoices/new");
    const other = await api.call("POST", `/companies/${owner.companyId}/customers`, {
      token: owner.token,
      body: { name: "Bouquinerie des Canuts", address: { line1: "12 rue Saint-Jean", postalCode: "69005", city: "Lyon" } },
    });
    expect(other.status).toBe(201);
    await reload(view);
    const customer = (await screen.findByLabelText("Client")) as HTMLSelectElement;
    await waitFor(() => expect(customer.querySelectorAll("option")).toHaveLength(3));
    fireEvent.input(screen.getByRole("searchbox", { name: "Rechercher un client (nom, code, SIREN, ville…)" }), { target: { value: "canut" } });
    await waitFor(() => expect([...customer.querySelectorAll("option")].map((o) => o.textContent)).toEqual(["Choisissez un client", `Bouquinerie des Canuts (${other.json.code})`]));
    expect(customer.value).toBe(other.json.id);
    expect(screen.getByText("1 client(s) trouvé(s)")).toBeTruthy();
  });

  it("keeps the draft when the save fails, including after a reload, and saves it once the server answers", async () => {
    const { api, owner, env, view } = await signedInApp("#/invoices/new");
    await draftTwoLines(owner.customerId);
    const fetch = env.fetch;
    env.fetch = async (input, init) => {
      if (init?.method === "POST" && String(input).endsWith("/invoices")) throw new TypeError("fetch failed");
      return fetch(input, init);
    };
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer le brouillon" }));
    expect((await screen.findByTestId("form-problem")).textContent).toBe("Le serveur Passerelle ne répond pas. Vérifiez l'adresse dans les réglages et votre connexion.");
    expect((screen.getByLabelText(label("Désignation", 2)) as HTMLInputElement).value).toBe("Ligne 2");
    expect((screen.getByLabelText(label("Remise HT", 1)) as HTMLInputElement).value).toBe("45,00");
    expect((await api.call("GET", `/companies/${owner.companyId}/invoices`, { token: owner.token })).json.items).toEqual([]);

    await reload(view);
    expect(await screen.findByTestId("restored-notice")).toBeTruthy();
    expect((await screen.findByLabelText(label("Désignation", 2)) as HTMLInputElement).value).toBe("Ligne 2");
    await waitFor(() => expect((screen.getByLabelText("Client") as HTMLSelectElement).value).toBe(owner.customerId));
    expect(shownTotals(screen.getByTestId("draft-totals")).ttc).toBe("538,54\u00a0€");

    env.fetch = fetch;
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer le brouillon" }));
    expect((await screen.findByTestId("flash")).textContent).toContain("Brouillon enregistré (538,54\u00a0€ TTC).");
    const [draft] = (await api.call("GET", `/companies/${owner.companyId}/invoices`, { token: owner.token })).json.items;
    expect(draft.totals.ttcCents).toBe(53_854);
    expect(await appFormsItem.getValue()).toEqual({});
  });

  it("shows the API's refusal next to the field it names, and keeps everything typed", async () => {
    const { api, owner } = await signedInApp("#/invoices/new");
    // Numbers follow dates: an invoice dated 19/11 forbids issuing another on 10/11.
    const last = await issuedInvoice(api, owner, "2026-11-19");
    await draftTwoLines(owner.customerId);
    fireEvent.click(screen.getByRole("button", { name: "Émettre la facture…" }));
    const dialog = await screen.findByRole("alertdialog", { name: "Émettre cette facture ?" });
    expect(dialog.textContent).toContain("Une fois émise, la facture devient définitive");
    fireEvent.input(within(dialog).getByLabelText("Date d'émission"), { target: { value: "2026-11-10" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Émettre définitivement" }));

    // The draft was saved, then refused at issue: the owner lands on it, the reason by the date.
    await waitFor(() => expect(location.hash).toMatch(/^#\/invoices\/(?!new)/));
    const date = await screen.findByLabelText("Date d'émission");
    await waitFor(() => expect(date.getAttribute("aria-invalid")).toBe("true"));
    expect(document.getElementById(date.getAttribute("aria-describedby")!)!.textContent).toBe(
      `Doit être le 19/11/2026 ou après (date de ${last.number})`,
    );
    expect((screen.getByLabelText(label("Désignation", 2)) as HTMLInputElement).value).toBe("Ligne 2");
    const items = (await api.call("GET", `/companies/${owner.companyId}/invoices?status=draft`, { token: owner.token })).json.items;
    expect(items.map((i: { totals: { ttcCents: number } }) => i.totals.ttcCents)).toEqual([53_854]);
  });

  it("refuses a date in the locked period before sending, and shows the API's reason if the lock came meanwhile", async () => {
    const { api, owner, requests, view } = await signedInApp("#/invoices/new");
    const accountant = await invitedAccountant(api, owner);
    const lock = await api.call("POST", `/companies/${owner.companyId}/locks`, { token: accountant.token, body: { until: "2026-10-31", kind: "soft" } });
    expect(lock.status).toBe(201);
    // The view reads the lock when it opens.
    await reload(view);
    expect((await screen.findByTestId("lock-banner")).textContent).toContain("Période verrouillée jusqu'au 31/10/2026 inclus");
    await draftTwoLines(owner.customerId);
    fireEvent.click(screen.getByRole("button", { name: "Émettre la facture…" }));
    const dialog = await screen.findByRole("alertdialog");
    fireEvent.input(within(dialog).getByLabelText("Date d'émission"), { target: { value: "2026-10-31" } });
    expect(within(dialog).getByText("Est dans une période verrouillée (jusqu'au 31/10/2026)")).toBeTruthy();
    expect((within(dialog).getByRole("button", { name: "Émettre définitivement" }) as HTMLButtonElement).disabled).toBe(true);
    expect(requests.filter((r) => r.startsWith("POST") && r.includes("/invoices"))).toEqual([]);

    // The accountant moves the lock while the view still shows the old one: the API refuses, by the date.
    const later = await api.call("POST", `/companies/${owner.companyId}/locks`, { token: accountant.token, body: { until: "2026-11-15", kind: "soft" } });
    expect(later.status).toBe(201);
    fireEvent.input(within(dialog).getByLabelText("Date d'émission"), { target: { value: "2026-11-12" } });
    fireEvent.click(within(dialog).getByRole("button", { name: "Émettre définitivement" }));
    await waitFor(() => expect(location.hash).toMatch(/^#\/invoices\/(?!new)/));
    const date = await screen.findByLabelText("Date d'émission");
    await waitFor(() => expect(date.getAttribute("aria-invalid")).toBe("true"));
    expect(document.getElementById(date.getAttribute("aria-describedby")!)!.textContent).toBe(
      "Est dans une période verrouillée (jusqu'au 15/11/2026)",
    );
  });
});
