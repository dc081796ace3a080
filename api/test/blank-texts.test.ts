import { describe, expect, it } from "vitest";
import { COMPANY, createTestApp, draftBody, issuedInvoice, ownerWithCompany, PRODUCT, signupOwner } from "./helpers.js";

const BLANK = "  \t  ";

describe("blank optional texts are stored and returned as null, never as \"\"", () => {
  it("customers: a blank category or address line 2 at creation, and a blank category in a PATCH", async () => {
    const t = createTestApp();
    const owner = await ownerWithCompany(t);
    const created = await t.call("POST", `/companies/${owner.companyId}/customers`, {
      token: owner.token,
      body: { name: "Café du Port", category: BLANK, address: { line1: "2 quai Nord", line2: BLANK, postalCode: "13002", city: "Marseille" } },
    });
    expect(created.status).toBe(201);
    expect(created.json.category).toBeNull();
    expect(created.json.address).toEqual({ line1: "2 quai Nord", postalCode: "13002", city: "Marseille", country: "FR" });
    const row = () => t.deps.db.prepare("SELECT category, address_line2 FROM customers WHERE id = ?").get(created.json.id);
    expect(row()).toEqual({ category: null, address_line2: null });

    // the helper's customer has a category: a blank PATCH clears it
    const patched = await t.call("PATCH", `/companies/${owner.companyId}/customers/${owner.customerId}`, { token: owner.token, body: { category: BLANK } });
    expect(patched.status).toBe(200);
    expect(patched.json.category).toBeNull();
    expect(t.deps.db.prepare("SELECT category FROM customers WHERE id = ?").pluck().get(owner.customerId)).toBeNull();
    const read = await t.call("GET", `/companies/${owner.companyId}/customers/${owner.customerId}`, { token: owner.token });
    expect(read.json.category).toBeNull();
  });

  it("customers: null clears every optional field in a PATCH, address line 2 included", async () => {
    const t = createTestApp();
    const owner = await ownerWithCompany(t);
    const url = `/companies/${owner.companyId}/customers/${owner.customerId}`;
    const address = { line1: "3 place des Terreaux", line2: "Cour intérieure", postalCode: "69001", city: "Lyon" };
    const set = await t.call("PATCH", url, { token: owner.token, body: { email: "compta@dupont.fr", address } });
    expect(set.json.address.line2).toBe("Cour intérieure");
    const cleared = await t.call("PATCH", url, {
      token: owner.token,
      body: { siren: null, vatNumber: null, email: null, category: null, address: { ...address, line2: null } },
    });
    expect(cleared.status).toBe(200);
    expect(cleared.json).toMatchObject({ siren: null, vatNumber: null, email: null, category: null });
    expect(cleared.json.address).toEqual({ line1: "3 place des Terreaux", postalCode: "69001", city: "Lyon", country: "FR" });
    expect(t.deps.db.prepare("SELECT siren, vat_number, email, category, address_line2 FROM customers WHERE id = ?").get(owner.customerId)).toEqual({
      siren: null,
      vat_number: null,
      email: null,
      category: null,
      address_line2: null,
    });
  });

  it("products: blank description and category at creation and in a PATCH", async () => {
    const t = createTestApp();
    const owner = await ownerWithCompany(t);
    const created = await t.call("POST", `/companies/${owner.companyId}/products`, { token: owner.token, body: { ...PRODUCT, description: BLANK, category: BLANK } });
    expect(created.status).toBe(201);
    expect([created.json.description, created.json.category]).toEqual([null, null]);

    const other = await t.call("POST", `/companies/${owner.companyId}/products`, { token: owner.token, body: { ...PRODUCT, description: "Laiton brossé" } });
    expect([other.json.description, other.json.category]).toEqual(["Laiton brossé", "Luminaires"]);
    const patched = await t.call("PATCH", `/companies/${owner.companyId}/products/${other.json.id}`, { token: owner.token, body: { description: BLANK, category: "" } });
    expect(patched.status).toBe(200);
    expect([patched.json.description, patched.json.category]).toEqual([null, null]);
    const rows = t.deps.db.prepare("SELECT description, category FROM products WHERE company_id = ? ORDER BY pk").all(owner.companyId);
    expect(rows).toEqual([
      { description: null, category: null },
      { description: null, category: null },
    ]);
  });

  it("companies: blank legal mentions at creation; blank or null in a PATCH clears them", async () => {
    const t = createTestApp();
    const owner = await signupOwner(t);
    const created = await t.call("POST", "/companies", {
      token: owner.token,
      body: { ...COMPANY, legalForm: BLANK, capital: " ", rcsCity: BLANK, phone: BLANK, iban: BLANK, latePenaltyRate: BLANK, earlyPaymentDiscount: BLANK },
    });
    expect(created.status).toBe(201);
    const mentions = (c: Record<string, unknown>) => [c.legalForm, c.capital, c.rcsCity, c.phone, c.iban, c.latePenaltyRate, c.earlyPaymentDiscount];
    expect(mentions(created.json)).toEqual([null, null, null, null, null, null, null]);

    const id = created.json.id as string;
    const set = await t.call("PATCH", `/companies/${id}`, { token: owner.token, body: { legalForm: "SAS", capital: "5 000 €", phone: "04 78 00 00 00" } });
    expect(mentions(set.json)).toEqual(["SAS", "5 000 €", null, "04 78 00 00 00", null, null, null]);
    const cleared = await t.call("PATCH", `/companies/${id}`, { token: owner.token, body: { legalForm: BLANK, capital: null } });
    expect(cleared.status).toBe(200);
    expect(mentions(cleared.json)).toEqual([null, null, null, "04 78 00 00 00", null, null, null]);
    expect(t.deps.db.prepare("SELECT legal_form, capital, phone FROM companies WHERE id = ?").get(id)).toEqual({ legal_form: null, capital: null, phone: "04 78 00 00 00" });
  });

  it("invoices, credit notes, payments and documents: blank notes, reference and note", async () => {
    const t = createTestApp();
    const owner = await ownerWithCompany(t);
    const draft = await t.call("POST", `/companies/${owner.companyId}/invoices`, { token: owner.token, body: { ...draftBody(owner.customerId), notes: BLANK } });
    expect(draft.status).toBe(201);
    expect(draft.json.notes).toBeNull();
    const noted = await t.call("PATCH", `/companies/${owner.companyId}/invoices/${draft.json.id}`, { token: owner.token, body: { notes: "Livraison le matin" } });
    expect(noted.json.notes).toBe("Livraison le matin");
    const unnoted = await t.call("PATCH", `/companies/${owner.companyId}/invoices/${draft.json.id}`, { token: owner.token, body: { notes: BLANK } });
    expect(unnoted.status).toBe(200);
    expect(unnoted.json.notes).toBeNull();
    expect(t.deps.db.prepare("SELECT notes FROM invoices WHERE id = ?").pluck().get(draft.json.id)).toBeNull();

    const invoice = await issuedInvoice(t, owner);
    const credit = await t.call("POST", `/companies/${owner.companyId}/invoices/${invoice.id}/credit-note`, { token: owner.token, body: { notes: BLANK } });
    expect(credit.status).toBe(201);
    expect(credit.json.notes).toBeNull();

    const other = await issuedInvoice(t, owner, "2026-11-03");
    const payment = await t.call("POST", `/companies/${owner.companyId}/payments`, {
      token: owner.token,
      body: { invoiceId: other.id, amountCents: 100, date: "2026-11-10", method: "transfer", reference: BLANK },
    });
    expect(payment.status).toBe(201);
    expect(payment.json.reference).toBeNull();

    const form = new FormData();
    form.append("file", new File([Buffer.from("%PDF-1.4\n%%EOF\n")], "releve.pdf", { type: "application/pdf" }));
    form.append("note", BLANK);
    const doc = await t.call("POST", `/companies/${owner.companyId}/documents`, { token: owner.token, body: form });
    expect(doc.status).toBe(201);
    expect(doc.json.note).toBeNull();
    expect(t.deps.db.prepare("SELECT note FROM documents WHERE id = ?").pluck().get(doc.json.id)).toBeNull();
  });

  it("optional identifiers (e-mail, SIREN, VAT number): blank is none at creation and clears in a PATCH; anything else must be valid", async () => {
    const t = createTestApp();
    const owner = await ownerWithCompany(t);
    const url = `/companies/${owner.companyId}/customers`;
    const created = await t.call("POST", url, {
      token: owner.token,
      body: { name: "Atelier Ravel", email: BLANK, siren: "", vatNumber: " ", address: { line1: "5 rue Ravel", postalCode: "75012", city: "Paris" } },
    });
    expect(created.status).toBe(201);
    expect([created.json.email, created.json.siren, created.json.vatNumber]).toEqual([null, null, null]);
    const row = (id: string) => t.deps.db.prepare("SELECT email, siren, vat_number FROM customers WHERE id = ?").get(id);
    expect(row(created.json.id)).toEqual({ email: null, siren: null, vat_number: null });

    const set = await t.call("PATCH", `${url}/${created.json.id}`, {
      token: owner.token,
      body: { email: " Compta@Ravel.FR ", siren: "732829320", vatNumber: "fr 44 732829320" },
    });
    expect(set.status).toBe(200);
    expect(row(created.json.id)).toEqual({ email: "compta@ravel.fr", siren: "732829320", vat_number: "FR44732829320" });
    const cleared = await t.call("PATCH", `${url}/${created.json.id}`, { token: owner.token, body: { email: "", siren: BLANK, vatNumber: "" } });
    expect(cleared.status).toBe(200);
    expect([cleared.json.email, cleared.json.siren, cleared.json.vatNumber]).toEqual([null, null, null]);
    expect(row(created.json.id)).toEqual({ email: null, siren: null, vat_number: null });

    const wrong = await t.call("POST", url, { token: owner.token, body: { name: "Atelier Ravel", email: "compta@", siren: "123", address: "5 rue Ravel, 75012 Paris" } });
    expect(wrong.status).toBe(422);
    expect(wrong.json.errors).toEqual([
      { path: "siren", message: "must be a 9-digit SIREN with a valid check digit" },
      { path: "email", message: "must be an e-mail address" },
    ]);
    const company = await t.call("POST", "/companies", { token: owner.token, body: { ...COMPANY, name: "Seconde SARL", email: BLANK, vatNumber: "" } });
    expect(company.status).toBe(201);
    expect([company.json.email, company.json.vatNumber]).toEqual([null, null]);
    const companyUrl = `/companies/${company.json.id}`;
    const given = await t.call("PATCH", companyUrl, { token: owner.token, body: { email: "contact@seconde.fr", vatNumber: COMPANY.vatNumber } });
    expect([given.json.email, given.json.vatNumber]).toEqual(["contact@seconde.fr", COMPANY.vatNumber]);
    const removed = await t.call("PATCH", companyUrl, { token: owner.token, body: { email: BLANK, vatNumber: null } });
    expect(removed.status).toBe(200);
    expect([removed.json.email, removed.json.vatNumber]).toEqual([null, null]);
    expect(t.deps.db.prepare("SELECT email, vat_number FROM companies WHERE id = ?").get(company.json.id)).toEqual({ email: null, vat_number: null });
  });

  it("refuses a blank required text by its field: must not be blank", async () => {
    const t = createTestApp();
    const owner = await ownerWithCompany(t);
    const customer = await t.call("POST", `/companies/${owner.companyId}/customers`, { token: owner.token, body: { name: BLANK, address: { line1: BLANK, postalCode: "", city: "" } } });
    expect(customer.status).toBe(422);
    expect(customer.json.errors).toEqual([
      { path: "name", message: "must not be blank" },
      { path: "address.line1", message: "must not be blank" },
    ]);
    const renamed = await t.call("PATCH", `/companies/${owner.companyId}/customers/${owner.customerId}`, { token: owner.token, body: { name: " " } });
    expect(renamed.status).toBe(422);
    expect(renamed.json.errors).toEqual([{ path: "name", message: "must not be blank" }]);
    const product = await t.call("POST", `/companies/${owner.companyId}/products`, { token: owner.token, body: { ...PRODUCT, name: BLANK } });
    expect(product.json.errors).toEqual([{ path: "name", message: "must not be blank" }]);
    const company = await t.call("PATCH", `/companies/${owner.companyId}`, { token: owner.token, body: { name: BLANK } });
    expect(company.json.errors).toEqual([{ path: "name", message: "must not be blank" }]);
    const read = await t.call("GET", `/companies/${owner.companyId}/customers/${owner.customerId}`, { token: owner.token });
    expect(read.json.name).toBe("Boulangerie Dupont");
  });
});
