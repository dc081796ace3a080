import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { eurosInput, parseEuros, parseQuantityInput, quantityInput } from "../../lib/app/amounts";
import { checkSiren, checkVatNumber, customerForm, customerInput, customerPatch, emptyCustomer, suggestedVatNumber } from "../../lib/app/customer-form";
import { capitalized, localRuleMessage } from "../../lib/app/api-messages";
import { lockedDateProblem } from "../../lib/app/locks";
import { draftFieldFor, draftInput, emptyDraft, emptyLine, quoteInput, quotePatch } from "../../lib/app/invoice-form";
import { parseRoute, routeHref, type Route } from "../../lib/app/route";
import { productInput, productPatch, emptyProduct } from "../../lib/app/product-form";

describe("amounts typed by the owner", () => {
  it("reads euros with a comma or a dot, spaces and a euro sign, exactly to the cent", () => {
    expect(["12,50", "12.5", "1 234,56", "1\u202f234,56 €", "0,07", "7", "7,"].map(parseEuros)).toEqual([1250, 1250, 123456, 123456, 7, 700, 700]);
    expect(["", "12,345", "-3", "1e3", "abc", "12,5,0", "0,1.2"].map(parseEuros)).toEqual([null, null, null, null, null, null, null]);
  });

  it("gives back every amount it writes into a field", () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 99_999_999_999 }), (cents) => parseEuros(eurosInput(cents)) === cents));
  });

  it("reads quantities as the API wants them: positive, at most 4 decimals", () => {
    expect(["1", "1,5", "0,25", "2.0001", " 3 "].map(parseQuantityInput)).toEqual(["1", "1.5", "0.25", "2.0001", "3"]);
    expect(["0", "0,0", "1,23456", "-1", "", "1/2"].map(parseQuantityInput)).toEqual([null, null, null, null, null, null]);
    expect(quantityInput("1.5")).toBe("1,5");
  });
});

describe("customer identifiers, checked as typed", () => {
  it("counts the SIREN's digits, then checks its Luhn key", () => {
    expect(checkSiren("")).toEqual({ state: "empty" });
    expect(checkSiren("7328")).toEqual({ state: "typing", message: "4 chiffre(s) sur 9" });
    expect(checkSiren("732 829 320")).toEqual({ state: "valid", message: "SIREN valide" });
    expect(checkSiren("732829321").state).toBe("invalid");
    expect(checkSiren("73282932A")).toEqual({ state: "invalid", message: "Un SIREN compte exactement 9 chiffres" });
  });

  it("checks a French VAT number's key and that it holds the SIREN; others by shape", () => {
    expect(suggestedVatNumber("732829320")).toBe("FR44732829320");
    expect(checkVatNumber("FR44 732 829 320", "732829320").state).toBe("valid");
    expect(checkVatNumber("FR45732829320", "")).toEqual({ state: "invalid", message: "Clé de TVA incorrecte : pour ce SIREN la clé est 44" });
    expect(checkVatNumber("FR44732829320", "552100554")).toEqual({ state: "invalid", message: "Ce numéro de TVA ne contient pas le SIREN saisi" });
    expect(checkVatNumber("FR4473282", "").state).toBe("typing");
    expect(checkVatNumber("DE123456789", "").state).toBe("valid");
    expect(checkVatNumber("D1", "").state).toBe("invalid");
  });

  it("refuses to send an unfinished form, naming each field", () => {
    expect(customerInput({ ...emptyCustomer(), siren: "7328" })).toEqual({
      ok: false,
      fields: { name: "Champ obligatoire", siren: "4 chiffre(s) sur 9", "address.line1": "Champ obligatoire" },
    });
  });

  it("clears in a PATCH every optional field the owner emptied: null, not left out", () => {
    const before = {
      id: "c",
      code: "C0001",
      name: "Bouquinerie",
      siren: "732829320",
      vatNumber: "FR44732829320",
      email: "compta@bouquinerie.fr",
      address: { line1: "12 rue Saint-Jean", line2: "Bâtiment B", postalCode: "69005", city: "Lyon", country: "FR" },
      category: "Librairies",
      createdAt: "",
      updatedAt: "",
    };
    const emptied = { ...customerForm(before), siren: " ", vatNumber: "", email: "  ", line2: " ", category: "" };
    const checked = customerInput(emptied);
    expect(checked).toEqual({
      ok: true,
      input: {
        name: "Bouquinerie",
        siren: undefined,
        vatNumber: undefined,
        email: undefined,
        address: { line1: "12 rue Saint-Jean", line2: undefined, postalCode: "69005", city: "Lyon", country: "FR" },
        category: undefined,
      },
    });
    expect(customerPatch(checked.ok ? checked.input : { name: "", address: "" })).toEqual({
      name: "Bouquinerie",
      siren: null,
      vatNumber: null,
      email: null,
      address: { line1: "12 rue Saint-Jean", line2: null, postalCode: "69005", city: "Lyon", country: "FR" },
      category: null,
    });
    // kept fields are sent as they are
    const kept = customerInput(customerForm(before));
    expect(customerPatch(kept.ok ? kept.input : { name: "", address: "" })).toEqual({
      name: "Bouquinerie",
      siren: "732829320",
      vatNumber: "FR44732829320",
      email: "compta@bouquinerie.fr",
      address: { line1: "12 rue Saint-Jean", line2: "Bâtiment B", postalCode: "69005", city: "Lyon", country: "FR" },
      category: "Librairies",
    });
  });
});

describe("products", () => {
  it("sends the price in cents and the chosen French rate", () => {
    expect(productInput({ ...emptyProduct(), name: " Atelier ", unitPrice: "150", vatRateBp: 550, kind: "goods" })).toEqual({
      ok: true,
      input: { name: "Atelier", description: undefined, unitPriceCents: 15000, vatRateBp: 550, kind: "goods", category: undefined },
    });
    expect(productInput({ ...emptyProduct(), name: "X", unitPrice: "1,234" })).toEqual({ ok: false, fields: { unitPriceCents: "Montant invalide : des euros avec au plus 2 décimales, par exemple 120,50" } });
  });

  it("clears in a PATCH the description and category the owner emptied (null)", () => {
    const checked = productInput({ name: "Atelier", description: "  ", unitPrice: "150", vatRateBp: 2000, kind: "services", category: "" });
    expect(checked.ok && productPatch(checked.input)).toEqual({ name: "Atelier", description: null, unitPriceCents: 15000, vatRateBp: 2000, kind: "services", category: null });
    const kept = productInput({ name: "Atelier", description: "Deux heures", unitPrice: "150", vatRateBp: 2000, kind: "services", category: "Ateliers" });
    expect(kept.ok && productPatch(kept.input)).toEqual({ name: "Atelier", description: "Deux heures", unitPriceCents: 15000, vatRateBp: 2000, kind: "services", category: "Ateliers" });
  });
});

describe("the rules the extension checks itself, in the API's words", () => {
  it("says a rule of shared/ through the API's catalogue, and shows the API's own messages as they come", () => {
    expect(localRuleMessage("must not exceed what remains to credit (1.5)")).toBe("Ne doit pas dépasser ce qui reste à créditer (1,5)");
    expect(localRuleMessage("has wrong check digits (ISO 13616 mod 97): a character is mistyped")).toBe("A une clé de contrôle fausse (ISO 13616 mod 97) : un caractère est mal saisi");
    expect(capitalized("est dans une période verrouillée (jusqu'au 31/03/2026)")).toBe("Est dans une période verrouillée (jusqu'au 31/03/2026)");
  });

  it("says a locked date as the API does, before sending", () => {
    expect(lockedDateProblem("2026-03-31", "2026-03-31")).toBe("Est dans une période verrouillée (jusqu'au 31/03/2026)");
    expect(lockedDateProblem("2026-04-01", "2026-03-31")).toBeNull();
    expect(lockedDateProblem("2026-01-01", null)).toBeNull();
  });

  it("places an invoice line's error on the line that was sent at that index, skipping blank lines", () => {
    const form = { ...emptyDraft("cust"), lines: [emptyLine(), emptyLine(), emptyLine()] };
    form.lines[0] = { ...form.lines[0]!, description: "A", unitPrice: "10" };
    form.lines[2] = { ...form.lines[2]!, description: "C", unitPrice: "20", discount: "5" };
    const checked = draftInput(form);
    if (!checked.ok) throw new Error("expected a valid draft");
    expect(checked.input.lines).toEqual([
      { description: "A", quantity: "1", unitPriceCents: 1000, vatRateBp: 2000, kind: "services" },
      { description: "C", quantity: "1", unitPriceCents: 2000, vatRateBp: 2000, discountCents: 500, kind: "services" },
    ]);
    expect(draftFieldFor("lines.1.discountCents", checked.lineKeys)).toBe(`line:${form.lines[2]!.key}:discount`);
    expect(draftFieldFor("date", checked.lineKeys)).toBe("issueDate");
    expect(draftFieldFor("customerId", checked.lineKeys)).toBe("customerId");
    expect(draftFieldFor("somethingElse", checked.lineKeys)).toBeNull();
  });
});

describe("addresses of the view", () => {
  it("round-trips every screen and the invoice filters through the #fragment", () => {
    const routes: Route[] = [
      { view: "home" },
      { view: "invoices", filters: {} },
      { view: "invoices", filters: { from: "2026-01-01", to: "2026-03-31", customerId: "c 1", status: "partially_paid", type: "invoice", q: "F2026" } },
      { view: "invoice-new" },
      { view: "invoice", id: "inv/1" },
      { view: "customers" },
      { view: "customer-new" },
      { view: "customer", id: "c1" },
      { view: "customer-edit", id: "c 1" },
      { view: "products" },
      { view: "product-new" },
      { view: "product", id: "p1" },
      { view: "quotes", filters: {} },
      { view: "quotes", filters: { from: "2026-01-01", to: "2026-03-31", customerId: "c 1", status: "expired", q: "D2026" } },
      { view: "quote-new" },
      { view: "quote", id: "q/1" },
    ];
    for (const route of routes) {
      const parsed = parseRoute(routeHref(route));
      expect(parsed.view === "invoices" || parsed.view === "quotes" ? { ...parsed, filters: Object.fromEntries(Object.entries(parsed.filters).filter(([, v]) => v !== undefined)) } : parsed).toEqual(route);
    }
    expect(parseRoute("")).toEqual({ view: "home" });
    expect(parseRoute("#/nowhere")).toEqual({ view: "home" });
    expect(parseRoute("#/invoices?status=bogus&from=31/12/2026")).toEqual({ view: "invoices", filters: { from: undefined, to: undefined, customerId: undefined, status: undefined, type: undefined, q: undefined } });
    // a quote's states are not an invoice's
    expect(parseRoute("#/quotes?status=paid")).toEqual({ view: "quotes", filters: { from: undefined, to: undefined, customerId: undefined, status: undefined, q: undefined } });
  });

  it("sends a quote's draft with its validity date where the invoice form has its due date", () => {
    const form = { ...emptyDraft("cust"), issueDate: "2026-11-10", dueDate: "2026-11-09", notes: "Travaux en janvier", lines: [{ ...emptyLine(), description: "Pose", unitPrice: "45,50", quantity: "12" }] };
    expect(draftInput(form, { quote: true })).toEqual({ ok: false, fields: { dueDate: "La date de validité doit être le jour du devis ou après" } });
    expect(draftInput(form)).toEqual({ ok: false, fields: { dueDate: "L'échéance doit être le jour de l'émission ou après" } });
    const checked = draftInput({ ...form, dueDate: "2026-12-10" }, { quote: true });
    if (!checked.ok) throw new Error("expected a valid draft");
    const input = quoteInput(checked.input);
    expect(input).toEqual({
      customerId: "cust",
      issueDate: "2026-11-10",
      validUntil: "2026-12-10",
      notes: "Travaux en janvier",
      lines: [{ description: "Pose", quantity: "12", unitPriceCents: 4550, vatRateBp: 2000, kind: "services" }],
    });
    expect(quotePatch({ customerId: "cust", lines: input.lines })).toEqual({ customerId: "cust", lines: input.lines, issueDate: null, validUntil: null, notes: null, vatExemption: null });
    expect(draftFieldFor("validUntil", checked.lineKeys)).toBe("dueDate");
  });
});
