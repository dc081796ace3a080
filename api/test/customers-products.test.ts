import { describe, expect, it } from "vitest";
import { CUSTOMER, PRODUCT, createTestApp, expectProblem, ownerWithCompany, signupOwner, COMPANY, type TestApp } from "./helpers.js";

async function companyOnly(t: TestApp) {
  const owner = await signupOwner(t);
  const company = await t.call("POST", "/companies", { token: owner.token, body: COMPANY });
  return { ...owner, companyId: company.json.id as string, base: `/companies/${company.json.id}` };
}

describe("customers", () => {
  it("creates customers with generated codes C0001, C0002 and every field read back", async () => {
    const t = createTestApp();
    const o = await companyOnly(t);
    const first = await t.call("POST", `${o.base}/customers`, { token: o.token, body: CUSTOMER });
    expect(first.status).toBe(201);
    expect(first.json).toEqual({
      id: expect.any(String),
      code: "C0001",
      name: "Boulangerie Dupont",
      siren: "401234562",
      vatNumber: "FR46401234562",
      email: null,
      address: { line1: "3 place des Terreaux", postalCode: "69001", city: "Lyon", country: "FR" },
      category: "Professionnels",
      createdAt: "2026-11-20T10:00:00.000Z",
      updatedAt: "2026-11-20T10:00:00.000Z",
    });
    const second = await t.call("POST", `${o.base}/customers`, {
      token: o.token,
      body: { name: "Mme Sophie Leroy", email: "Sophie.Leroy@Example.fr", address: { line1: "8 rue Mercière", postalCode: "69002", city: "Lyon" } },
    });
    expect(second.status).toBe(201);
    expect(second.json.code).toBe("C0002");
    expect(second.json.email).toBe("sophie.leroy@example.fr");
    expect(second.json.address).toEqual({ line1: "8 rue Mercière", postalCode: "69002", city: "Lyon", country: "FR" });
    expect((await t.call("GET", `${o.base}/customers/${first.json.id}`, { token: o.token })).json).toEqual(first.json);
    const actions = t.deps.db.prepare("SELECT action FROM activity WHERE company_id = ? ORDER BY seq").pluck().all(o.companyId);
    expect(actions).toEqual(["company.created", "customer.created", "customer.created"]);
  });

  it("keeps an explicit code, skips it when generating, and refuses a duplicate with 409 on code", async () => {
    const t = createTestApp();
    const o = await companyOnly(t);
    const explicit = await t.call("POST", `${o.base}/customers`, { token: o.token, body: { ...CUSTOMER, code: "DUPONT" } });
    expect(explicit.status).toBe(201);
    expect(explicit.json.code).toBe("DUPONT");
    const c1 = await t.call("POST", `${o.base}/customers`, { token: o.token, body: { name: "A", address: "1 rue A, 69001 Lyon" } });
    expect(c1.json.code).toBe("C0001");
    // a hand-chosen code in the generated range is skipped by the generator
    await t.call("POST", `${o.base}/customers`, { token: o.token, body: { name: "B", code: "C0002", address: "1 rue B, 69001 Lyon" } });
    const c3 = await t.call("POST", `${o.base}/customers`, { token: o.token, body: { name: "C", address: "1 rue C, 69001 Lyon" } });
    expect(c3.json.code).toBe("C0003");

    const dup = expectProblem(await t.call("POST", `${o.base}/customers`, { token: o.token, body: { ...CUSTOMER, code: "DUPONT" } }), 409, "code");
    expect(dup.detail).toBe("The customer code DUPONT is already used.");
    // auxiliary accounts are matched without regard to case by accounting software
    const lower = expectProblem(await t.call("POST", `${o.base}/customers`, { token: o.token, body: { ...CUSTOMER, code: "dupont" } }), 409, "code");
    expect(lower.detail).toBe("The customer code dupont is already used.");
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM customers WHERE company_id = ?").pluck().get(o.companyId)).toBe(4);

    // codes are per company
    const other = await companyOnly(t);
    expect((await t.call("POST", `${other.base}/customers`, { token: other.token, body: { ...CUSTOMER, code: "DUPONT" } })).status).toBe(201);
    expect((await t.call("POST", `${other.base}/customers`, { token: other.token, body: CUSTOMER })).json.code).toBe("C0001");
  });

  it("refuses invalid input with 422 naming the field", async () => {
    const t = createTestApp();
    const o = await companyOnly(t);
    expectProblem(await t.call("POST", `${o.base}/customers`, { token: o.token, body: { ...CUSTOMER, code: "C 01" } }), 422, "code");
    expectProblem(await t.call("POST", `${o.base}/customers`, { token: o.token, body: { ...CUSTOMER, code: "X".repeat(18) } }), 422, "code");
    expectProblem(await t.call("POST", `${o.base}/customers`, { token: o.token, body: { ...CUSTOMER, siren: "401234563" } }), 422, "siren");
    expectProblem(await t.call("POST", `${o.base}/customers`, { token: o.token, body: { ...CUSTOMER, vatNumber: "FR00401234562" } }), 422, "vatNumber");
    expectProblem(await t.call("POST", `${o.base}/customers`, { token: o.token, body: { ...CUSTOMER, email: "pas un e-mail" } }), 422, "email");
    expectProblem(await t.call("POST", `${o.base}/customers`, { token: o.token, body: { name: "Sans adresse" } }), 422, "address");
    expectProblem(await t.call("POST", `${o.base}/customers`, { token: o.token, body: { ...CUSTOMER, companyId: "x" } }), 422, "companyId");
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM customers").pluck().get()).toBe(0);
  });

  it("searches by name, code and e-mail (q), and pages by name", async () => {
    const t = createTestApp();
    const o = await companyOnly(t);
    const make = (body: object) => t.call("POST", `${o.base}/customers`, { token: o.token, body: { address: "1 rue A, 69001 Lyon", ...body } });
    await make({ name: "Boulangerie Dupont", code: "BOUL" });
    await make({ name: "Hôtel des Célestins", email: "compta@celestins.fr" });
    await make({ name: "Café 100% Arabica" });
    await make({ name: "atelier Moreau" });
    const q = async (term: string) =>
      (await t.call("GET", `${o.base}/customers?q=${encodeURIComponent(term)}`, { token: o.token })).json.items.map((c: { name: string }) => c.name);
    expect(await q("boul")).toEqual(["Boulangerie Dupont"]);
    expect(await q("BOUL")).toEqual(["Boulangerie Dupont"]);
    expect(await q("celestins.fr")).toEqual(["Hôtel des Célestins"]);
    expect(await q("C0002")).toEqual(["Café 100% Arabica"]);
    expect(await q("100%")).toEqual(["Café 100% Arabica"]);
    expect(await q("%")).toEqual(["Café 100% Arabica"]); // % is a character, not a wildcard
    expect(await q("_")).toEqual([]);
    expect(await q("zzz")).toEqual([]);

    const names: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await t.call("GET", `${o.base}/customers?limit=3${cursor ? `&cursor=${cursor}` : ""}`, { token: o.token });
      names.push(...page.json.items.map((c: { name: string }) => c.name));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(names).toEqual(["atelier Moreau", "Boulangerie Dupont", "Café 100% Arabica", "Hôtel des Célestins"]);
  });

  it("PATCH changes details but never the code; unknown customers are 404", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const base = `/companies/${o.companyId}`;
    const patched = await t.call("PATCH", `${base}/customers/${o.customerId}`, {
      token: o.token,
      body: { name: "Boulangerie Dupont & Fils", email: "contact@dupont.fr", address: "5 rue Neuve, 69002 Lyon" },
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({
      code: "C0001",
      name: "Boulangerie Dupont & Fils",
      email: "contact@dupont.fr",
      siren: "401234562",
      address: { line1: "5 rue Neuve", postalCode: "69002", city: "Lyon", country: "FR" },
    });
    const codeChange = expectProblem(await t.call("PATCH", `${base}/customers/${o.customerId}`, { token: o.token, body: { code: "NEW" } }), 422, "code");
    expect(codeChange.detail).toBe("code: is not a known field");
    expect((await t.call("GET", `${base}/customers/${o.customerId}`, { token: o.token })).json.code).toBe("C0001");
    const cleared = await t.call("PATCH", `${base}/customers/${o.customerId}`, { token: o.token, body: { siren: null, vatNumber: null, category: null } });
    expect(cleared.json).toMatchObject({ siren: null, vatNumber: null, category: null, email: "contact@dupont.fr" });
    expectProblem(await t.call("GET", `${base}/customers/nope`, { token: o.token }), 404);
    expectProblem(await t.call("PATCH", `${base}/customers/nope`, { token: o.token, body: { name: "x" } }), 404);
    const log = t.deps.db.prepare("SELECT before_json, after_json FROM activity WHERE company_id = ? AND action = 'customer.updated'").get(o.companyId) as { action: string; before_json: string; after_json: string };
    expect(JSON.parse(log.before_json)).toMatchObject({ name: "Boulangerie Dupont", email: null });
    expect(JSON.parse(log.after_json)).toMatchObject({ name: "Boulangerie Dupont & Fils", email: "contact@dupont.fr" });
  });
});

describe("products", () => {
  it("creates, reads, lists, searches and changes products and services", async () => {
    const t = createTestApp();
    const o = await companyOnly(t);
    const created = await t.call("POST", `${o.base}/products`, { token: o.token, body: PRODUCT });
    expect(created.status).toBe(201);
    expect(created.json).toEqual({
      id: expect.any(String),
      name: "Suspension laiton",
      description: null,
      unitPriceCents: 18900,
      vatRateBp: 2000,
      kind: "goods",
      category: "Luminaires",
      createdAt: "2026-11-20T10:00:00.000Z",
      updatedAt: "2026-11-20T10:00:00.000Z",
    });
    const service = await t.call("POST", `${o.base}/products`, {
      token: o.token,
      body: { name: "Étude d'éclairage (heure)", description: "Relevé et plan", unitPriceCents: 7500, vatRateBp: 550, kind: "services", category: "Études" },
    });
    expect(service.status).toBe(201);
    expect(service.json).toMatchObject({ vatRateBp: 550, kind: "services", description: "Relevé et plan" });
    expect((await t.call("GET", `${o.base}/products/${created.json.id}`, { token: o.token })).json).toEqual(created.json);

    const all = await t.call("GET", `${o.base}/products`, { token: o.token });
    // by name, case-insensitively on ASCII (SQLite NOCASE): accented capitals come last
    expect(all.json.items.map((p: { name: string }) => p.name)).toEqual(["Suspension laiton", "Étude d'éclairage (heure)"]);
    const byCategory = await t.call("GET", `${o.base}/products?q=Lumin`, { token: o.token });
    expect(byCategory.json.items.map((p: { id: string }) => p.id)).toEqual([created.json.id]);

    t.clock.advance(60_000);
    const patched = await t.call("PATCH", `${o.base}/products/${created.json.id}`, { token: o.token, body: { unitPriceCents: 19900, vatRateBp: 1000 } });
    expect(patched.status).toBe(200);
    expect(patched.json).toEqual({ ...created.json, unitPriceCents: 19900, vatRateBp: 1000, updatedAt: "2026-11-20T10:01:00.000Z" });
    const actions = t.deps.db.prepare("SELECT action FROM activity WHERE company_id = ? AND record_kind = 'product' ORDER BY seq").pluck().all(o.companyId);
    expect(actions).toEqual(["product.created", "product.created", "product.updated"]);
  });

  it("refuses a rate that is not French, a negative or fractional price, an unknown kind; 404 for unknown products", async () => {
    const t = createTestApp();
    const o = await companyOnly(t);
    const rate = expectProblem(await t.call("POST", `${o.base}/products`, { token: o.token, body: { ...PRODUCT, vatRateBp: 1900 } }), 422, "vatRateBp");
    expect(rate.errors![0]!.message).toBe("must be a French VAT rate in basis points (2000, 1000, 550, 210, 0, …)");
    expectProblem(await t.call("POST", `${o.base}/products`, { token: o.token, body: { ...PRODUCT, vatRateBp: 20 } }), 422, "vatRateBp");
    expectProblem(await t.call("POST", `${o.base}/products`, { token: o.token, body: { ...PRODUCT, unitPriceCents: -1 } }), 422, "unitPriceCents");
    expectProblem(await t.call("POST", `${o.base}/products`, { token: o.token, body: { ...PRODUCT, unitPriceCents: 10.5 } }), 422, "unitPriceCents");
    expectProblem(await t.call("POST", `${o.base}/products`, { token: o.token, body: { ...PRODUCT, unitPriceCents: "189" } }), 422, "unitPriceCents");
    expectProblem(await t.call("POST", `${o.base}/products`, { token: o.token, body: { ...PRODUCT, kind: "food" } }), 422, "kind");
    expectProblem(await t.call("POST", `${o.base}/products`, { token: o.token, body: { ...PRODUCT, id: "mine" } }), 422, "id");
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM products").pluck().get()).toBe(0);
    expectProblem(await t.call("GET", `${o.base}/products/nope`, { token: o.token }), 404);
    expectProblem(await t.call("PATCH", `${o.base}/products/nope`, { token: o.token, body: { name: "x" } }), 404);
  });
});
