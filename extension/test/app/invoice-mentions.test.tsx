/**
 * The mentions of accounting.md §2 the owner enters in the invoicing view: the date of the sale or
 * service and a delivery address ("Livraison" part of the editor), shown again on the issued
 * invoice, and the company's option for paying VAT d'après les débits (company settings).
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, screen, waitFor } from "@testing-library/preact";
import { storedForm } from "../../lib/app/form-store";
import { draftFieldFor, draftInput, emptyDraft, emptyLine, type DraftForm } from "../../lib/app/invoice-form";
import { invitedAccountant } from "../api-harness";
import { go, signedInApp } from "./app-harness";

afterEach(async () => {
  cleanup();
  await storedForm("none");
  vi.useRealTimers();
});

const type = (label: string, value: string) => fireEvent.input(screen.getByLabelText(label), { target: { value } });
const messageOf = (label: string) => {
  const input = screen.getByLabelText(label);
  return document.getElementById(input.getAttribute("aria-describedby") ?? "")?.textContent ?? null;
};

/** A customer and one line of service, as the owner types them. */
async function startDraft(customerId: string) {
  const customer = await screen.findByLabelText("Client");
  await waitFor(() => expect(customer.querySelectorAll("option").length).toBeGreaterThan(1));
  fireEvent.change(customer, { target: { value: customerId } });
  type("Désignation, ligne 1", "Maintenance de l'éclairage");
  type("Prix unitaire HT, ligne 1", "480");
}

describe("invoice editor: the Livraison part", () => {
  it("is closed until needed; the date of the service, its period and a delivery address typed there are saved exactly, and can be cleared", async () => {
    const { api, owner } = await signedInApp("#/invoices/new");
    await startDraft(owner.customerId);
    const section = screen.getByTestId("delivery-section") as HTMLDetailsElement;
    expect(section.open).toBe(false);
    expect(section.querySelector("summary")!.textContent).toBe("Livraison");
    fireEvent.click(section.querySelector("summary")!);
    section.open = true;
    fireEvent(section, new Event("toggle"));

    type("Date de la vente ou de la prestation", "2026-10-31");
    type("Période de prestation : du", "2026-10-01");
    type("Période de prestation : au", "2026-10-31");
    type("Adresse de livraison", "Chantier Part-Dieu");
    type("Complément d'adresse de livraison", "Bâtiment B");
    type("Code postal de livraison", "69003");
    type("Ville de livraison", "Lyon");
    expect(section.querySelector("summary")!.textContent).toBe("Livraison — 31/10/2026 · du 01/10/2026 au 31/10/2026 · Chantier Part-Dieu, 69003 Lyon");
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer le brouillon" }));
    await screen.findByTestId("flash");

    const [draft] = (await api.call("GET", `/companies/${owner.companyId}/invoices`, { token: owner.token })).json.items;
    expect(draft).toMatchObject({
      status: "draft",
      deliveryDate: "2026-10-31",
      servicePeriod: { from: "2026-10-01", to: "2026-10-31" },
      deliveryAddress: { line1: "Chantier Part-Dieu", line2: "Bâtiment B", postalCode: "69003", city: "Lyon", country: "FR" },
    });
    expect(location.hash).toBe(`#/invoices/${draft.id}`);

    // The saved draft opens with its Livraison part open and filled; emptying the address clears it.
    const reopened = (await screen.findByTestId("delivery-section")) as HTMLDetailsElement;
    await waitFor(() => expect((screen.getByLabelText("Ville de livraison") as HTMLInputElement).value).toBe("Lyon"));
    expect(reopened.open).toBe(true);
    for (const label of ["Adresse de livraison", "Complément d'adresse de livraison", "Code postal de livraison", "Ville de livraison"]) type(label, "");
    type("Période de prestation : du", "");
    type("Période de prestation : au", "");
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer le brouillon" }));
    await waitFor(async () => {
      const again = (await api.call("GET", `/companies/${owner.companyId}/invoices/${draft.id}`, { token: owner.token })).json;
      expect([again.deliveryDate, again.servicePeriod, again.deliveryAddress]).toEqual(["2026-10-31", null, null]);
    });
  });

  it("a saved draft's issue date, due date and notes, once emptied, are cleared on the server", async () => {
    const { api, owner } = await signedInApp("#/invoices/new");
    await startDraft(owner.customerId);
    type("Date d'émission", "2026-11-25");
    type("Échéance", "2026-12-25");
    type("Notes (imprimées sur le document)", "Livré le matin");
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer le brouillon" }));
    await screen.findByTestId("flash");
    const [draft] = (await api.call("GET", `/companies/${owner.companyId}/invoices`, { token: owner.token })).json.items;
    expect([draft.issueDate, draft.dueDate, draft.notes]).toEqual(["2026-11-25", "2026-12-25", "Livré le matin"]);

    await waitFor(() => expect((screen.getByLabelText("Échéance") as HTMLInputElement).value).toBe("2026-12-25"));
    type("Date d'émission", "");
    type("Échéance", "");
    type("Notes (imprimées sur le document)", "");
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer le brouillon" }));
    await waitFor(async () => {
      const again = (await api.call("GET", `/companies/${owner.companyId}/invoices/${draft.id}`, { token: owner.token })).json;
      expect([again.issueDate, again.dueDate, again.notes]).toEqual([null, null, null]);
    });
  });

  it("refuses a half-filled address and a period that ends before it starts, by field, before sending anything", async () => {
    const { api, owner, requests } = await signedInApp("#/invoices/new");
    await startDraft(owner.customerId);
    type("Adresse de livraison", "Chantier Part-Dieu");
    type("Période de prestation : du", "2026-10-31");
    type("Période de prestation : au", "2026-10-01");
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer le brouillon" }));
    expect((await screen.findByTestId("form-problem")).textContent).toBe("Enregistrement refusé : 3 champ(s) à corriger, signalé(s) ci-dessous.");
    expect((screen.getByTestId("delivery-section") as HTMLDetailsElement).open).toBe(true);
    expect(messageOf("Code postal de livraison")).toBe("Obligatoire pour une adresse de livraison");
    expect(messageOf("Ville de livraison")).toBe("Obligatoire pour une adresse de livraison");
    expect(messageOf("Période de prestation : au")).toBe("La période ne peut pas finir avant de commencer");
    expect(screen.getByLabelText("Adresse de livraison").getAttribute("aria-invalid")).toBeNull();
    expect(requests.filter((r) => r.startsWith("POST") && r.includes("/invoices"))).toEqual([]);
    expect((await api.call("GET", `/companies/${owner.companyId}/invoices`, { token: owner.token })).json.items).toEqual([]);

    // fixing one field clears its message only
    type("Code postal de livraison", "69003");
    expect(messageOf("Code postal de livraison")).toBe(null);
    expect(messageOf("Ville de livraison")).toBe("Obligatoire pour une adresse de livraison");
  });

  it("shows the date, period and address on the issued invoice", async () => {
    const { api, owner } = await signedInApp("#/invoices");
    const created = await api.call("POST", `/companies/${owner.companyId}/invoices`, {
      token: owner.token,
      body: {
        customerId: owner.customerId,
        lines: [{ description: "Maintenance", quantity: "1", unitPriceCents: 48000, vatRateBp: 2000 }],
        deliveryDate: "2026-10-31",
        servicePeriod: { from: "2026-10-01", to: "2026-10-31" },
        deliveryAddress: { line1: "Chantier Part-Dieu", postalCode: "69003", city: "Lyon" },
      },
    });
    const issued = await api.call("POST", `/companies/${owner.companyId}/invoices/${created.json.id}/issue`, { token: owner.token, body: { issueDate: "2026-11-02" } });
    expect(issued.status).toBe(200);
    go(`#/invoices/${created.json.id}`);
    expect((await screen.findByTestId("delivery-date")).textContent).toBe("31/10/2026");
    expect(screen.getByTestId("service-period").textContent).toBe("du 01/10/2026 au 31/10/2026");
    expect(screen.getByTestId("delivery-address").textContent).toBe("Chantier Part-Dieu, 69003 Lyon");
  });
});

describe("the editor's model of the Livraison part", () => {
  const form = (delivery: Partial<DraftForm["delivery"]>): DraftForm => {
    const f = emptyDraft("c1");
    return { ...f, lines: [{ ...emptyLine(), description: "Conseil", unitPrice: "100" }], delivery: { ...f.delivery, ...delivery } };
  };

  it("sends only what was typed; a country alone is no address", () => {
    const plain = draftInput(form({}));
    expect(plain.ok && plain.input).toEqual({ customerId: "c1", lines: [{ description: "Conseil", quantity: "1", unitPriceCents: 10000, vatRateBp: 2000, kind: "services" }] });
    const full = draftInput(form({ date: "2026-10-31", line1: " Lagerstraße 7 ", postalCode: "20095", city: "Hamburg", country: "de" }));
    expect(full.ok && full.input).toMatchObject({ deliveryDate: "2026-10-31", deliveryAddress: { line1: "Lagerstraße 7", postalCode: "20095", city: "Hamburg", country: "DE" } });
    expect(draftInput(form({ periodFrom: "2026-10-01" }))).toEqual({ ok: false, fields: { "servicePeriod.to": "Indiquez le premier et le dernier jour de la période" } });
    expect(draftInput(form({ date: "1999-12-31" }))).toEqual({ ok: false, fields: { deliveryDate: "Date entre 2000 et 2099" } });
    expect(draftInput(form({ date: "2026-02-30" }))).toEqual({ ok: false, fields: { deliveryDate: "Date invalide" } });
  });

  it("places the API's refusals on their fields, in French", () => {
    expect(draftFieldFor("deliveryAddress.postalCode", [])).toBe("deliveryAddress.postalCode");
    expect(draftFieldFor("deliveryAddress", [])).toBe("deliveryAddress.line1");
    expect(draftFieldFor("servicePeriod.from", [])).toBe("servicePeriod.from");
    expect(draftFieldFor("deliveryDate", [])).toBe("deliveryDate");
  });
});

describe("company settings", () => {
  it("the owner turns on the option for débits; with the accountant's VAT on payment on, the refusal shows by the option, nothing changed", async () => {
    const { api, owner } = await signedInApp("#/invoices");
    fireEvent.click(await screen.findByRole("link", { name: "Entreprise" }));
    go("#/company");
    await screen.findByRole("heading", { name: "Réglages de l'entreprise" });
    const option = (await screen.findByLabelText("Option pour le paiement de la taxe d'après les débits")) as HTMLInputElement;
    expect(option.checked).toBe(false);
    expect(messageOf("Option pour le paiement de la taxe d'après les débits")).toContain("La TVA de vos prestations de services est due dès la facturation");
    fireEvent.click(option);
    type("Délai de paiement (jours)", "45");
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer" }));
    expect((await screen.findByTestId("flash")).textContent).toContain("Réglages enregistrés.");
    const company = (await api.call("GET", `/companies/${owner.companyId}`, { token: owner.token })).json;
    expect([company.vatOnDebits, company.paymentTermsDays]).toEqual([true, 45]);

    // off again; the accountant puts services' VAT on payment; on again is refused by the option
    fireEvent.click(screen.getByLabelText("Option pour le paiement de la taxe d'après les débits"));
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer" }));
    await waitFor(async () => expect((await api.call("GET", `/companies/${owner.companyId}`, { token: owner.token })).json.vatOnDebits).toBe(false));
    const accountant = await invitedAccountant(api, owner);
    expect((await api.call("PUT", `/companies/${owner.companyId}/accounting/settings`, { token: accountant.token, body: { vatOnPayments: true } })).status).toBe(200);
    fireEvent.click(screen.getByLabelText("Option pour le paiement de la taxe d'après les débits"));
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer" }));
    await waitFor(() =>
      expect(messageOf("Option pour le paiement de la taxe d'après les débits")).toBe(
        "Ne peut pas être activée tant que les réglages comptables mettent la TVA des services sur les encaissements : l'option pour les débits la rend due à la facturation. Demandez d'abord à votre expert-comptable de désactiver la TVA sur les encaissements",
      ),
    );
    expect(screen.getByLabelText("Option pour le paiement de la taxe d'après les débits").getAttribute("aria-invalid")).toBe("true");
    expect((screen.getByLabelText("Option pour le paiement de la taxe d'après les débits") as HTMLInputElement).checked).toBe(true);
    expect((await api.call("GET", `/companies/${owner.companyId}`, { token: owner.token })).json.vatOnDebits).toBe(false);
  });

  it("refuses a mistyped IBAN, a BIC and terms beyond the law in French next to each field before sending; saves a valid IBAN in groups of four", async () => {
    const { api, owner, requests } = await signedInApp("#/company");
    await screen.findByRole("heading", { name: "Réglages de l'entreprise" });
    type("IBAN", "FR76 3000 6000 0112 3456 7890 188");
    type("BIC", "BNPA FR");
    type("Délai de paiement (jours)", "90");
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer" }));
    expect(messageOf("IBAN")).toBe("A une clé de contrôle fausse (ISO 13616 mod 97) : un caractère est mal saisi");
    expect(screen.getByLabelText("IBAN").getAttribute("aria-invalid")).toBe("true");
    expect(messageOf("BIC")).toBe("Doit être un BIC de 8 ou 11 caractères : 4 lettres pour la banque, 2 pour le pays, 2 lettres ou chiffres pour la ville, et au besoin 3 pour l'agence, par exemple BNPAFRPP ou BNPAFRPPXXX");
    expect(messageOf("Délai de paiement (jours)")).toBe(
      "Doit être de 60 jours au plus après la date d'émission, ou 45 jours fin de mois (Code de commerce L441-10) ; 30 jours au plus pour le transport de marchandises, la location de véhicules et les denrées périssables (L441-11)",
    );
    expect(requests.filter((r) => r.startsWith("PATCH"))).toEqual([]);

    type("IBAN", "DE89 3704 0044 0532 0130 0");
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer" }));
    expect(messageOf("IBAN")).toBe("Doit compter 22 caractères pour un IBAN de DE (il en a 21)");

    type("IBAN", "fr7630006000011234567890189");
    type("BIC", "bnpafrpp");
    type("Délai de paiement (jours)", "45");
    fireEvent.click(screen.getByLabelText("Fin de mois"));
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer" }));
    expect((await screen.findByTestId("flash")).textContent).toContain("Réglages enregistrés.");
    const company = (await api.call("GET", `/companies/${owner.companyId}`, { token: owner.token })).json;
    expect([company.iban, company.bic, company.paymentTermsDays, company.paymentTermsEndOfMonth]).toEqual(["FR76 3000 6000 0112 3456 7890 189", "BNPAFRPP", 45, true]);
    expect((screen.getByLabelText("IBAN") as HTMLInputElement).value).toBe("FR76 3000 6000 0112 3456 7890 189");
  });

  it("refuses payment terms that are not a number of days, before sending", async () => {
    const { requests } = await signedInApp("#/company");
    await screen.findByRole("heading", { name: "Réglages de l'entreprise" });
    type("Délai de paiement (jours)", "trente");
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer" }));
    expect(messageOf("Délai de paiement (jours)")).toBe("Un nombre de jours entre 0 et 60");
    expect(requests.filter((r) => r.startsWith("PATCH"))).toEqual([]);
    expect(screen.getByTestId("form-problem").textContent).toBe("Enregistrement refusé : 1 champ(s) à corriger, signalé(s) ci-dessous.");
  });
});
