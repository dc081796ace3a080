import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { storedForm } from "../../lib/app/form-store";
import { capabilitiesItem } from "../../lib/storage";
import { issuedInvoice, SERVER } from "../api-harness";
import { go, reload, signedInApp } from "./app-harness";

afterEach(async () => {
  cleanup();
  await storedForm("none");
  vi.useRealTimers();
});

const NBSP = "\u00a0";
const NNBSP = "\u202f";
/** The documents' numbers in a list, each a link to its document (the customer's name links to the customer). */
const numberLinks = (table: HTMLElement) => [...table.querySelectorAll("tbody tr td:first-child a")].map((l) => l.textContent);
const messageOf = (field: HTMLElement) => document.getElementById(field.getAttribute("aria-describedby") ?? "")?.textContent;

describe("customers", () => {
  it("checks the SIREN and VAT number as typed, shows the API's refusal by its field, then the code it gives", async () => {
    const { api, owner } = await signedInApp("#/customers/new");
    fireEvent.input(await screen.findByLabelText("Nom"), { target: { value: "Bouquinerie des Canuts" } });
    const siren = screen.getByLabelText("SIREN");
    fireEvent.input(siren, { target: { value: "732829321" } });
    expect(siren.getAttribute("aria-invalid")).toBe("true");
    expect(messageOf(siren)).toBe("SIREN invalide : la clé de contrôle (Luhn) ne correspond pas — vérifiez les chiffres");
    fireEvent.input(siren, { target: { value: "732829320" } });
    expect(messageOf(siren)).toBe("SIREN valide");
    fireEvent.click(screen.getByRole("button", { name: "Utiliser FR44732829320" }));
    expect((screen.getByLabelText("N° de TVA intracommunautaire") as HTMLInputElement).value).toBe("FR44732829320");
    fireEvent.input(screen.getByLabelText("Adresse (ligne 1)"), { target: { value: "12 rue Saint-Jean" } });
    const email = screen.getByLabelText("Adresse e-mail");
    fireEvent.input(email, { target: { value: "compta@bouquinerie..fr" } });
    fireEvent.click(screen.getByRole("button", { name: "Créer le client" }));
    await waitFor(() => expect(email.getAttribute("aria-invalid")).toBe("true"));
    expect(messageOf(email)).toBe("Doit être une adresse e-mail");
    expect(screen.getByText("Enregistrement refusé : 1 champ(s) à corriger, signalé(s) ci-dessous.")).toBeTruthy();

    fireEvent.input(email, { target: { value: "compta@bouquinerie.fr" } });
    expect(email.getAttribute("aria-invalid")).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Créer le client" }));
    const flash = await screen.findByTestId("flash");
    const [created] = (await api.call("GET", `/companies/${owner.companyId}/customers?q=Bouquinerie`, { token: owner.token })).json.items;
    expect(created).toMatchObject({ code: "C0002", siren: "732829320", vatNumber: "FR44732829320", email: "compta@bouquinerie.fr" });
    expect(flash.textContent).toContain("Client « Bouquinerie des Canuts » créé — code C0002.");
    expect(location.hash).toBe("#/customers");
    const row = within(screen.getByTestId("customer-list")).getByText("Bouquinerie des Canuts").closest("tr")!;
    expect(row.querySelector(".code")!.textContent).toBe("C0002");

    expect(within(row).getByRole("link", { name: "Bouquinerie des Canuts" }).getAttribute("href")).toBe(`#/customers/${created.id}`);
    go(`#/customers/${created.id}/edit`);
    expect((await screen.findByTestId("customer-code")).textContent).toBe("Code client C0002");
  });

  it("empties a customer's optional fields: the API holds null for each", async () => {
    const { api, owner } = await signedInApp("#/customers");
    const set = await api.call("PATCH", `/companies/${owner.companyId}/customers/${owner.customerId}`, {
      token: owner.token,
      body: { email: "compta@dupont.fr", address: { line1: "3 place des Terreaux", line2: "Cour intérieure", postalCode: "69001", city: "Lyon" } },
    });
    expect(set.json).toMatchObject({ email: "compta@dupont.fr", vatNumber: "FR46401234562", category: "Professionnels", address: { line2: "Cour intérieure" } });
    await reload({ unmount: cleanup });
    go(`#/customers/${owner.customerId}/edit`);
    const email = (await screen.findByLabelText("Adresse e-mail")) as HTMLInputElement;
    expect(email.value).toBe("compta@dupont.fr");
    for (const label of ["Adresse e-mail", "N° de TVA intracommunautaire", "Complément d'adresse", "Catégorie"]) {
      fireEvent.input(screen.getByLabelText(label), { target: { value: label === "Catégorie" ? "   " : "" } });
    }
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer" }));
    await screen.findByTestId("flash");
    // saved, the owner is back on the customer's page
    expect(location.hash).toBe(`#/customers/${owner.customerId}`);
    const saved = (await api.call("GET", `/companies/${owner.companyId}/customers/${owner.customerId}`, { token: owner.token })).json;
    expect(saved).toMatchObject({ name: "Boulangerie Dupont", siren: "401234562", email: null, vatNumber: null, category: null });
    expect(saved.address).toEqual({ line1: "3 place des Terreaux", postalCode: "69001", city: "Lyon", country: "FR" });
  });

  it("searches customers by name, code or city as one types", async () => {
    await signedInApp("#/customers");
    const list = await screen.findByTestId("customer-list");
    expect(within(list).getAllByRole("row")).toHaveLength(2);
    fireEvent.input(screen.getByRole("searchbox"), { target: { value: "zzz" } });
    expect(await screen.findByText("Rien ne correspond à « zzz ».")).toBeTruthy();
  });
});

describe("products", () => {
  it("creates a product with its price HT in euros and a French VAT rate", async () => {
    const { api, owner } = await signedInApp("#/products/new");
    fireEvent.input(await screen.findByLabelText("Nom"), { target: { value: "Atelier découverte" } });
    fireEvent.input(screen.getByLabelText("Prix unitaire HT"), { target: { value: "150,5" } });
    expect(messageOf(screen.getByLabelText("Prix unitaire HT"))).toBe(`150,50${NBSP}€`);
    fireEvent.change(screen.getByLabelText("TVA"), { target: { value: "550" } });
    fireEvent.change(screen.getByLabelText("Nature"), { target: { value: "goods" } });
    fireEvent.click(screen.getByRole("button", { name: "Créer le produit" }));
    const list = await screen.findByTestId("product-list");
    expect(within(list).getByText("Atelier découverte").closest("tr")!.textContent).toContain(`150,50${NBSP}€5,5${NBSP}%`);
    const [product] = (await api.call("GET", `/companies/${owner.companyId}/products`, { token: owner.token })).json.items;
    expect(product).toMatchObject({ name: "Atelier découverte", unitPriceCents: 15050, vatRateBp: 550, kind: "goods" });
  });

  it("empties a product's description and category: the API holds null for both", async () => {
    const { api, owner } = await signedInApp("#/products");
    const created = await api.call("POST", `/companies/${owner.companyId}/products`, {
      token: owner.token,
      body: { name: "Suspension laiton", description: "Laiton brossé", unitPriceCents: 18900, vatRateBp: 2000, kind: "goods", category: "Luminaires" },
    });
    await reload({ unmount: cleanup });
    go(`#/products/${created.json.id}`);
    const description = (await screen.findByLabelText("Description (facultative)")) as HTMLTextAreaElement;
    await waitFor(() => expect(description.value).toBe("Laiton brossé"));
    fireEvent.input(description, { target: { value: "" } });
    fireEvent.input(screen.getByLabelText("Catégorie"), { target: { value: " " } });
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer" }));
    await screen.findByTestId("flash");
    const saved = (await api.call("GET", `/companies/${owner.companyId}/products/${created.json.id}`, { token: owner.token })).json;
    expect(saved).toMatchObject({ name: "Suspension laiton", description: null, category: null, unitPriceCents: 18900 });
  });
});

describe("invoices", () => {
  it("lists invoices by status with their totals, credit notes taken off", async () => {
    const { api, owner } = await signedInApp("#/invoices");
    const a = await issuedInvoice(api, owner, "2026-11-02");
    const b = await issuedInvoice(api, owner, "2026-11-03");
    await api.call("POST", `/companies/${owner.companyId}/payments`, { token: owner.token, body: { invoiceId: a.id, amountCents: 3604, date: "2026-11-05", method: "transfer" } });
    const note = await api.call("POST", `/companies/${owner.companyId}/invoices/${b.id}/credit-note`, { token: owner.token, body: { issueDate: "2026-11-10" } });
    await reload({ unmount: cleanup });
    const table = await screen.findByTestId("invoice-table");
    await waitFor(() => expect(numberLinks(table)).toEqual([note.json.number, b.number, a.number]));
    // 36,04 + 36,04 − 36,04
    expect(screen.getByTestId("list-totals").textContent).toContain(`Total des 3 document(s) émis sélectionnés, avoirs déduits30,03${NBSP}€6,01${NBSP}€36,04${NBSP}€`);

    fireEvent.change(screen.getByLabelText("Statut"), { target: { value: "paid" } });
    await waitFor(() => expect(location.hash).toBe("#/invoices?status=paid"));
    await waitFor(() => expect(numberLinks(screen.getByTestId("invoice-table"))).toEqual([a.number]));
    fireEvent.change(screen.getByLabelText("Type"), { target: { value: "credit_note" } });
    fireEvent.change(screen.getByLabelText("Statut"), { target: { value: "" } });
    await waitFor(() => expect(numberLinks(screen.getByTestId("invoice-table"))).toEqual([note.json.number]));
  });

  it("totals the whole filter as the server adds it up, beyond the 50 documents loaded", async () => {
    const { api, owner } = await signedInApp("#/invoices");
    for (let day = 1; day <= 26; day++) {
      const date = `2026-10-${String(day).padStart(2, "0")}`;
      await issuedInvoice(api, owner, date);
      await issuedInvoice(api, owner, date);
    }
    await reload({ unmount: cleanup });
    const table = await screen.findByTestId("invoice-table");
    await waitFor(() => expect(numberLinks(table)).toHaveLength(50));
    // 52 × 36,04 € TTC (30,03 HT + 6,01 VAT), all still due
    expect(screen.getByTestId("list-totals").textContent).toBe(
      `Total des 52 document(s) émis sélectionnés, avoirs déduits1${NNBSP}561,56${NBSP}€312,52${NBSP}€1${NNBSP}874,08${NBSP}€1${NNBSP}874,08${NBSP}€`,
    );
  });

  it("records a partial payment then the rest, the amount prefilled with what is due", async () => {
    const { api, owner } = await signedInApp("#/invoices");
    const invoice = await issuedInvoice(api, owner, "2026-11-02");
    await capabilitiesItem.setValue({ serverUrl: SERVER, invoicePdf: true, checkedAt: Date.now() });
    go(`#/invoices/${invoice.id}`);
    fireEvent.click(await screen.findByRole("button", { name: "Enregistrer un paiement" }));
    const amount = (await screen.findByLabelText("Montant reçu (€)")) as HTMLInputElement;
    expect(amount.value).toBe("36,04");
    expect((screen.getByLabelText("Date du paiement") as HTMLInputElement).value).toBe("2026-11-20");
    fireEvent.input(amount, { target: { value: "40" } });
    expect(messageOf(amount)).toBe(`Dépasse ce qui reste dû sur ${invoice.number} (36,04${NBSP}€)`);
    fireEvent.input(amount, { target: { value: "10" } });
    expect(messageOf(amount)).toBe(`Paiement partiel : il restera 26,04${NBSP}€ à payer`);
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer ce paiement" }));
    await waitFor(() => expect(screen.getByTestId("flash").textContent).toContain(`Paiement de 10,00${NBSP}€ enregistré. Statut de la facture : Partiellement payée.`));

    fireEvent.click(screen.getByRole("button", { name: "Enregistrer un paiement" }));
    expect(((await screen.findByLabelText("Montant reçu (€)")) as HTMLInputElement).value).toBe("26,04");
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer ce paiement" }));
    await waitFor(() => expect(screen.getByTestId("flash").textContent).toContain(`Paiement de 26,04${NBSP}€ enregistré. Statut de la facture : Payée.`));
    expect(screen.queryByRole("button", { name: "Enregistrer un paiement" })).toBeNull();
    const stored = (await api.call("GET", `/companies/${owner.companyId}/invoices/${invoice.id}`, { token: owner.token })).json;
    expect([stored.status, stored.paidCents, stored.dueCents]).toEqual(["paid", 3604, 0]);
    expect(within(screen.getByTestId("payment-list")).getAllByRole("row")).toHaveLength(2);
  });

  it("keeps a payment being typed across a reload, and refuses a date in the locked period before sending", async () => {
    const { api, owner, view, requests } = await signedInApp("#/invoices");
    const invoice = await issuedInvoice(api, owner, "2026-11-02");
    const { invitedAccountant } = await import("../api-harness");
    const accountant = await invitedAccountant(api, owner);
    await api.call("POST", `/companies/${owner.companyId}/locks`, { token: accountant.token, body: { until: "2026-11-05", kind: "soft" } });
    go(`#/invoices/${invoice.id}`);
    await reload(view);
    fireEvent.click(await screen.findByRole("button", { name: "Enregistrer un paiement" }));
    fireEvent.input(await screen.findByLabelText("Montant reçu (€)"), { target: { value: "5" } });
    fireEvent.input(screen.getByLabelText("Date du paiement"), { target: { value: "2026-11-04" } });
    cleanup();
    await reload({ unmount: () => undefined });
    const amount = (await screen.findByLabelText("Montant reçu (€)")) as HTMLInputElement;
    expect(amount.value).toBe("5");
    const date = screen.getByLabelText("Date du paiement");
    expect(messageOf(date)).toBe("Est dans une période verrouillée (jusqu'au 05/11/2026)");
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer ce paiement" }));
    expect(screen.getByText("Enregistrement refusé : 1 champ(s) à corriger, signalé(s) ci-dessous.")).toBeTruthy();
    expect(requests.filter((r) => r.startsWith("POST") && r.includes("/payments"))).toEqual([]);
  });

  it("credits some lines of an invoice, showing what is left to credit before and after", async () => {
    const { api, owner } = await signedInApp("#/invoices");
    const draft = await api.call("POST", `/companies/${owner.companyId}/invoices`, {
      token: owner.token,
      body: {
        customerId: owner.customerId,
        lines: [
          { description: "Étude", quantity: "3", unitPriceCents: 1001, vatRateBp: 2000, kind: "services" },
          { description: "Livre", quantity: "2", unitPriceCents: 2490, vatRateBp: 550, kind: "goods" },
        ],
      },
    });
    const invoice = (await api.call("POST", `/companies/${owner.companyId}/invoices/${draft.json.id}/issue`, { token: owner.token, body: { issueDate: "2026-11-02" } })).json;
    go(`#/invoices/${invoice.id}`);
    fireEvent.click(await screen.findByRole("button", { name: "Faire un avoir" }));
    const form = await screen.findByTestId("credit-form");
    // 30,03 + 6,01 + 49,80 + 2,74 = 88,58
    expect(within(form).getByTestId("credit-left").textContent).toBe(`Reste à créditer : 88,58${NBSP}€ TTC`);
    expect(within(form).getByTestId("credit-totals").querySelector('[data-total="ttc"] td')!.textContent).toBe(`88,58${NBSP}€`);
    fireEvent.click(within(form).getByLabelText("Certaines lignes"));
    expect(within(form).getByText("Cochez les lignes à créditer.")).toBeTruthy();
    fireEvent.click(within(form).getByLabelText("Livre"));
    fireEvent.input(within(form).getByLabelText("Quantité à créditer, ligne 2"), { target: { value: "3" } });
    expect(messageOf(within(form).getByLabelText("Quantité à créditer, ligne 2"))).toBe("Ne doit pas dépasser ce qui reste à créditer (2)");
    fireEvent.input(within(form).getByLabelText("Quantité à créditer, ligne 2"), { target: { value: "1" } });
    expect(within(form).getByTestId("credit-totals").querySelector('[data-total="ttc"] td')!.textContent).toBe(`26,27${NBSP}€`);
    expect(within(form).getByTestId("credit-left-after").textContent).toBe(`Après cet avoir, il restera 62,31${NBSP}€ TTC à créditer.`);
    fireEvent.click(within(form).getByRole("button", { name: "Émettre l'avoir…" }));
    expect(within(form).getByRole("alertdialog").textContent).toContain(`L'avoir de 26,27${NBSP}€ TTC sur la facture ${invoice.number} sera définitif`);
    fireEvent.click(within(form).getByRole("button", { name: "Émettre définitivement l'avoir" }));
    await waitFor(() => expect(screen.getByTestId("left-to-credit").textContent).toBe(`Reste à créditer : 62,31${NBSP}€ TTC`));
    const notes = (await api.call("GET", `/companies/${owner.companyId}/invoices?type=credit_note`, { token: owner.token })).json.items;
    expect(notes.map((n: { totals: { ttcCents: number }; lines: { quantity: string }[] }) => [n.totals.ttcCents, n.lines.map((l) => l.quantity)])).toEqual([[2627, ["1"]]]);
    await waitFor(() => expect(screen.getByTestId("flash").textContent).toContain(`Avoir ${notes[0].number} émis (26,27${NBSP}€ TTC).`));
  });

  it("deletes a draft after asking, and offers the PDF of issued invoices only when the server serves it", async () => {
    const { api, owner } = await signedInApp("#/invoices");
    const draft = await api.call("POST", `/companies/${owner.companyId}/invoices`, {
      token: owner.token,
      body: { customerId: owner.customerId, lines: [{ description: "Étude", quantity: "1", unitPriceCents: 1000, vatRateBp: 2000 }] },
    });
    go(`#/invoices/${draft.json.id}`);
    fireEvent.click(await screen.findByRole("button", { name: "Supprimer le brouillon" }));
    fireEvent.click(screen.getByRole("button", { name: "Oui, supprimer" }));
    await waitFor(() => expect(location.hash).toBe("#/invoices"));
    expect((await api.call("GET", `/companies/${owner.companyId}/invoices/${draft.json.id}`, { token: owner.token })).status).toBe(404);

    const invoice = await issuedInvoice(api, owner, "2026-11-02");
    await capabilitiesItem.setValue({ serverUrl: SERVER, invoicePdf: false, checkedAt: api.clock.now().getTime() });
    go(`#/invoices/${invoice.id}`);
    await reload({ unmount: cleanup });
    await screen.findByTestId("invoice-number");
    expect(screen.queryByRole("button", { name: "Télécharger le PDF" })).toBeNull();
    await capabilitiesItem.setValue({ serverUrl: SERVER, invoicePdf: true, checkedAt: api.clock.now().getTime() });
    await reload({ unmount: cleanup });
    const create = vi.spyOn(fakeBrowser.tabs, "create");
    fireEvent.click(await screen.findByRole("button", { name: "Voir le PDF" }));
    expect(create).toHaveBeenCalledWith({ url: expect.stringContaining(`invoice-pdf.html?company=${owner.companyId}&invoice=${invoice.id}`) });
  });
});
