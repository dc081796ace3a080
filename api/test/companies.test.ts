import { describe, expect, it } from "vitest";
import { COMPANY, CUSTOMER, PRODUCT, createTestApp, draftBody, expectProblem, issuedInvoice, ownerWithCompany, signupOwner, type TestApp } from "./helpers.js";

const activityCount = (t: TestApp, companyId: string) => t.deps.db.prepare("SELECT COUNT(*) FROM activity WHERE company_id = ?").pluck().get(companyId);

function pdfForm(): FormData {
  const form = new FormData();
  form.set("file", new File([new TextEncoder().encode("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")], "releve.pdf", { type: "application/pdf" }));
  return form;
}

describe("creating a company", () => {
  it("answers 201 with every field; the creator is its owner and the creation is logged", async () => {
    const t = createTestApp();
    const owner = await signupOwner(t);
    const res = await t.call("POST", "/companies", { token: owner.token, body: COMPANY });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      id: expect.any(String),
      name: "Atelier Test SARL",
      siren: "853904811",
      vatNumber: "FR26853904811",
      address: { line1: "14 rue des Tanneurs", postalCode: "69002", city: "Lyon", country: "FR" },
      legalForm: "SARL",
      capital: "10 000 €",
      rcsCity: "Lyon",
      rmDepartment: null,
      apeCode: null,
      logo: null,
      fiscalYearStart: "01-01",
      email: null,
      phone: null,
      iban: null,
      bic: null,
      paymentTermsDays: 30,
      paymentTermsEndOfMonth: false,
      latePenaltyRate: null,
      earlyPaymentDiscount: null,
      vatOnDebits: false,
      role: "owner",
      lockedUntil: null,
      createdAt: "2026-11-20T10:00:00.000Z",
    });
    const membership = t.deps.db.prepare("SELECT user_id, role FROM memberships WHERE company_id = ?").all(res.json.id);
    expect(membership).toEqual([{ user_id: owner.user.id, role: "owner" }]);
    const activity = t.deps.db.prepare("SELECT seq, actor_id, action, record_id FROM activity WHERE company_id = ?").all(res.json.id);
    expect(activity).toEqual([{ seq: 1, actor_id: owner.user.id, action: "company.created", record_id: res.json.id }]);
  });

  it("normalises the VAT number and accepts the address as one line of text", async () => {
    const t = createTestApp();
    const owner = await signupOwner(t);
    const res = await t.call("POST", "/companies", {
      token: owner.token,
      body: { name: "Texte SAS", siren: "853904811", vatNumber: "fr 26 853904811", address: "14 rue des Tanneurs, Bâtiment B, 69002 Lyon", fiscalYearStart: "07-01" },
    });
    expect(res.status).toBe(201);
    expect(res.json.vatNumber).toBe("FR26853904811");
    expect(res.json.address).toEqual({ line1: "14 rue des Tanneurs", line2: "Bâtiment B", postalCode: "69002", city: "Lyon", country: "FR" });
    expect(res.json.fiscalYearStart).toBe("07-01");
  });

  it("refuses bad identifiers and unknown fields with 422 naming the field, and creates nothing", async () => {
    const t = createTestApp();
    const owner = await signupOwner(t);
    const siren = expectProblem(await t.call("POST", "/companies", { token: owner.token, body: { ...COMPANY, siren: "853904812", vatNumber: undefined } }), 422, "siren");
    expect(siren.errors).toEqual([{ path: "siren", message: "must be a 9-digit SIREN with a valid check digit" }]);
    const key = expectProblem(await t.call("POST", "/companies", { token: owner.token, body: { ...COMPANY, vatNumber: "FR27853904811" } }), 422, "vatNumber");
    expect(key.errors).toEqual([{ path: "vatNumber", message: "must be a valid VAT number (FR + key + SIREN for France)" }]);
    // a valid French VAT number, but of another company
    const other = expectProblem(await t.call("POST", "/companies", { token: owner.token, body: { ...COMPANY, vatNumber: "FR46401234562" } }), 422, "vatNumber");
    expect(other.errors).toEqual([{ path: "vatNumber", message: "must contain the company's SIREN" }]);
    const unknown = expectProblem(await t.call("POST", "/companies", { token: owner.token, body: { ...COMPANY, lastSeq: 99 } }), 422, "lastSeq");
    expect(unknown.detail).toBe("lastSeq: is not a known field");
    expectProblem(await t.call("POST", "/companies", { token: owner.token, body: { ...COMPANY, name: "" } }), 422, "name");
    expectProblem(await t.call("POST", "/companies", { token: owner.token, body: { ...COMPANY, fiscalYearStart: "02-30" } }), 422, "fiscalYearStart");
    expectProblem(await t.call("POST", "/companies", { token: owner.token, body: { ...COMPANY, paymentTermsDays: 400 } }), 422, "paymentTermsDays");
    expectProblem(await t.call("POST", "/companies", { token: owner.token, body: { ...COMPANY, address: { line1: "x", postalCode: "1", city: "y", country: "France" } } }), 422, "address.country");
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM companies").pluck().get()).toBe(0);
    expectProblem(await t.call("POST", "/companies", { body: COMPANY }), 401);
  });
});

describe("the company's registrations", () => {
  it("keeps the APE code written NN.NNL and the département of the répertoire des métiers; blank or null clears them", async () => {
    const t = createTestApp();
    const owner = await signupOwner(t);
    const created = await t.call("POST", "/companies", { token: owner.token, body: { ...COMPANY, apeCode: "4332a", rmDepartment: "2a" } });
    expect(created.status).toBe(201);
    expect([created.json.apeCode, created.json.rmDepartment]).toEqual(["43.32A", "2A"]);
    const path = `/companies/${created.json.id}`;
    const changed = await t.call("PATCH", path, { token: owner.token, body: { apeCode: "62 01 Z", rmDepartment: "974" } });
    expect([changed.json.apeCode, changed.json.rmDepartment]).toEqual(["62.01Z", "974"]);
    const cleared = await t.call("PATCH", path, { token: owner.token, body: { apeCode: " ", rmDepartment: null } });
    expect([cleared.json.apeCode, cleared.json.rmDepartment]).toEqual([null, null]);
    const activity = t.deps.db.prepare("SELECT before_json, after_json FROM activity WHERE company_id = ? AND action = 'company.updated' ORDER BY seq").all(created.json.id) as { before_json: string; after_json: string }[];
    expect(JSON.parse(activity[0]!.before_json)).toEqual({ rmDepartment: "2A", apeCode: "43.32A" });
    expect(JSON.parse(activity[0]!.after_json)).toEqual({ rmDepartment: "974", apeCode: "62.01Z" });
  });

  it("refuses an APE code or a département that is none with 422 naming the field and the rule, and changes nothing", async () => {
    const t = createTestApp();
    const owner = await ownerWithCompany(t);
    const path = `/companies/${owner.companyId}`;
    const ape = expectProblem(await t.call("PATCH", path, { token: owner.token, body: { apeCode: "620Z" } }), 422, "apeCode");
    expect(ape.errors).toEqual([{ path: "apeCode", message: "must be an APE code written NN.NNL, e.g. 62.01Z" }]);
    for (const department of ["20", "00", "96", "977", "69000"]) {
      const rm = expectProblem(await t.call("PATCH", path, { token: owner.token, body: { rmDepartment: department } }), 422, "rmDepartment");
      expect(rm.errors).toEqual([{ path: "rmDepartment", message: "must be the number of a French département, e.g. 69, 2A or 974" }]);
    }
    const created = expectProblem(await t.call("POST", "/companies", { token: owner.token, body: { ...COMPANY, apeCode: "ABCDE" } }), 422, "apeCode");
    expect(created.errors).toEqual([{ path: "apeCode", message: "must be an APE code written NN.NNL, e.g. 62.01Z" }]);
    const company = (await t.call("GET", path, { token: owner.token })).json;
    expect([company.apeCode, company.rmDepartment]).toEqual([null, null]);
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM companies").pluck().get()).toBe(1);
  });
});

describe("listing, reading and changing companies", () => {
  it("lists the caller's companies by name, page by page with the cursor", async () => {
    const t = createTestApp();
    const owner = await signupOwner(t);
    for (const name of ["Charlie SARL", "alpha SAS", "Bravo EURL"]) await t.call("POST", "/companies", { token: owner.token, body: { ...COMPANY, name } });
    const stranger = await signupOwner(t);
    await t.call("POST", "/companies", { token: stranger.token, body: { ...COMPANY, name: "Aaa d'un autre" } });

    const names: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const res = await t.call("GET", `/companies?limit=1${cursor ? `&cursor=${cursor}` : ""}`, { token: owner.token });
      expect(res.status).toBe(200);
      expect(res.json.items).toHaveLength(1);
      names.push(res.json.items[0].name);
      cursor = res.json.nextCursor;
      pages++;
    } while (cursor && pages < 10);
    expect(names).toEqual(["alpha SAS", "Bravo EURL", "Charlie SARL"]);
    expect(pages).toBe(3);

    const all = await t.call("GET", "/companies", { token: owner.token });
    expect(all.json.items.map((c: { name: string }) => c.name)).toEqual(names);
    expect(all.json.nextCursor).toBeNull();
    expectProblem(await t.call("GET", "/companies?cursor=bm90LWEtY3Vyc29y", { token: owner.token }), 422, "cursor");
    expectProblem(await t.call("GET", "/companies?limit=0", { token: owner.token }), 422, "limit");
    expectProblem(await t.call("GET", "/companies?limit=1001", { token: owner.token }), 422, "limit");
  });

  it("reads one company and changes its details; the change is logged with before and after", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const created = await t.call("GET", `/companies/${o.companyId}`, { token: o.token });
    expect(created.status).toBe(200);
    expect(created.json.name).toBe("Atelier Test SARL");

    const patched = await t.call("PATCH", `/companies/${o.companyId}`, {
      token: o.token,
      body: { name: "Atelier Renommé SARL", paymentTermsDays: 45, iban: "FR7630006000011234567890189", address: "2 quai Saint-Antoine, 69002 Lyon" },
    });
    expect(patched.status).toBe(200);
    expect(patched.json).toEqual({
      ...created.json,
      name: "Atelier Renommé SARL",
      paymentTermsDays: 45,
      // kept as it is printed, in groups of four
      iban: "FR76 3000 6000 0112 3456 7890 189",
      address: { line1: "2 quai Saint-Antoine", postalCode: "69002", city: "Lyon", country: "FR" },
    });
    expect((await t.call("GET", `/companies/${o.companyId}`, { token: o.token })).json).toEqual(patched.json);
    const log = t.deps.db.prepare("SELECT action, before_json, after_json FROM activity WHERE company_id = ? ORDER BY seq DESC LIMIT 1").get(o.companyId) as { action: string; before_json: string; after_json: string };
    expect(log.action).toBe("company.updated");
    expect(JSON.parse(log.before_json)).toMatchObject({ name: "Atelier Test SARL", paymentTermsDays: 30 });
    expect(JSON.parse(log.after_json)).toMatchObject({ name: "Atelier Renommé SARL", paymentTermsDays: 45 });
  });

  it("checks the IBAN (ISO 13616: country, length, mod 97) and the BIC, and keeps the terms within Code de commerce L441-10: 422 naming the field and the rule, nothing changed", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const before = (await t.call("GET", `/companies/${o.companyId}`, { token: o.token })).json;
    const cases: [Record<string, unknown>, string, string][] = [
      [{ iban: "FR76 3000 6000 0112 3456 7890 188" }, "iban", "has wrong check digits (ISO 13616 mod 97): a character is mistyped"],
      [{ iban: "DE89 3704 0044 0532 0130 0" }, "iban", "must have 22 characters for an IBAN of DE (it has 21)"],
      [{ iban: "US12 3456 7890 1234" }, "iban", "must be an IBAN of a country that has them (US has none)"],
      [{ iban: "3000 6000 0112" }, "iban", "must be an IBAN: 2 letters of country, 2 check digits, then the account in letters and digits, e.g. FR76 3000 6000 0112 3456 7890 189"],
      [{ bic: "BNPA FR" }, "bic", "must be a BIC of 8 or 11 characters: 4 letters for the bank, 2 for the country, 2 letters or digits for the place, optionally 3 for the branch, e.g. BNPAFRPP or BNPAFRPPXXX"],
      [{ paymentTermsDays: 61 }, "paymentTermsDays", "must be at most 60 days after the issue date, or 45 days end of month (Code de commerce L441-10); 30 days at most for transport of goods, vehicle rental and perishable foods (L441-11)"],
      [{ paymentTermsDays: 50, paymentTermsEndOfMonth: true }, "paymentTermsDays", "must be at most 45 days when the terms run to the end of the month (Code de commerce L441-10: 45 days end of month)"],
    ];
    for (const [body, path, message] of cases) {
      const res = await t.call("PATCH", `/companies/${o.companyId}`, { token: o.token, body });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.headers.get("content-type")).toContain("application/problem+json");
      expect(res.json.errors).toEqual([{ path, message }]);
    }
    // end of month asked while the stored terms are 60 days: refused on the days, as they would become
    expect((await t.call("PATCH", `/companies/${o.companyId}`, { token: o.token, body: { paymentTermsDays: 60 } })).status).toBe(200);
    const eom = await t.call("PATCH", `/companies/${o.companyId}`, { token: o.token, body: { paymentTermsEndOfMonth: true } });
    expect(eom.status).toBe(422);
    expect(eom.json.errors).toEqual([{ path: "paymentTermsDays", message: "must be at most 45 days when the terms run to the end of the month (Code de commerce L441-10: 45 days end of month)" }]);
    expect((await t.call("GET", `/companies/${o.companyId}`, { token: o.token })).json).toEqual({ ...before, paymentTermsDays: 60 });
    // several countries' IBANs, typed with or without spaces, are kept in groups of four; the BIC in capitals
    for (const [typed, kept] of [
      ["de89370400440532013000", "DE89 3704 0044 0532 0130 00"],
      ["BE68 5390 0754 7034", "BE68 5390 0754 7034"],
      ["MC58 1122 2000 0101 2345 6789 030", "MC58 1122 2000 0101 2345 6789 030"],
      ["GB29NWBK60161331926819", "GB29 NWBK 6016 1331 9268 19"],
    ]) {
      const ok = await t.call("PATCH", `/companies/${o.companyId}`, { token: o.token, body: { iban: typed, bic: "bnpa fr pp xxx" } });
      expect(ok.status, ok.text).toBe(200);
      expect([ok.json.iban, ok.json.bic]).toEqual([kept, "BNPAFRPPXXX"]);
    }
    const eomOk = await t.call("PATCH", `/companies/${o.companyId}`, { token: o.token, body: { paymentTermsDays: 45, paymentTermsEndOfMonth: true } });
    expect([eomOk.status, eomOk.json.paymentTermsDays, eomOk.json.paymentTermsEndOfMonth]).toEqual([200, 45, true]);
  });

  it("refuses to change the SIREN, a VAT number of another company, and unknown fields", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const before = activityCount(t, o.companyId);
    expectProblem(await t.call("PATCH", `/companies/${o.companyId}`, { token: o.token, body: { siren: "401234562" } }), 422, "siren");
    const vat = expectProblem(await t.call("PATCH", `/companies/${o.companyId}`, { token: o.token, body: { vatNumber: "FR46401234562" } }), 422, "vatNumber");
    expect(vat.errors).toEqual([{ path: "vatNumber", message: "must contain the company's SIREN" }]);
    expectProblem(await t.call("PATCH", `/companies/${o.companyId}`, { token: o.token, body: { role: "accountant" } }), 422, "role");
    expect(activityCount(t, o.companyId)).toBe(before);
    const company = await t.call("GET", `/companies/${o.companyId}`, { token: o.token });
    expect(company.json.siren).toBe("853904811");
    expect(company.json.vatNumber).toBe("FR26853904811");
  });
});

/** Company A with one of everything, and an owner B with their own company. */
async function twoOwners(t: TestApp) {
  const a = await ownerWithCompany(t);
  const product = await t.call("POST", `/companies/${a.companyId}/products`, { token: a.token, body: PRODUCT });
  const draft = await t.call("POST", `/companies/${a.companyId}/invoices`, { token: a.token, body: draftBody(a.customerId) });
  const invoice = await issuedInvoice(t, a);
  const payment = await t.call("POST", `/companies/${a.companyId}/payments`, {
    token: a.token,
    body: { invoiceId: invoice.id, amountCents: 100, date: "2026-11-10", method: "transfer" },
  });
  const doc = await t.call("POST", `/companies/${a.companyId}/documents`, { token: a.token, body: pdfForm() });
  expect([product.status, draft.status, payment.status, doc.status]).toEqual([201, 201, 201, 201]);
  const b = await ownerWithCompany(t);
  return { a, b, productId: product.json.id as string, draftId: draft.json.id as string, invoiceId: invoice.id as string, paymentId: payment.json.id as string, documentId: doc.json.id as string };
}

describe("who sees what", () => {
  it("another owner gets 404 on every route of a company that is not theirs, and changes nothing", async () => {
    const t = createTestApp();
    const { a, b, productId, draftId, invoiceId, paymentId, documentId } = await twoOwners(t);
    const c = `/companies/${a.companyId}`;
    const routes: [string, string, unknown?][] = [
      ["GET", c],
      ["PATCH", c, { name: "Pris" }],
      ["GET", `${c}/customers`],
      ["POST", `${c}/customers`, CUSTOMER],
      ["GET", `${c}/customers/${a.customerId}`],
      ["PATCH", `${c}/customers/${a.customerId}`, { name: "Pris" }],
      ["GET", `${c}/products`],
      ["POST", `${c}/products`, PRODUCT],
      ["GET", `${c}/products/${productId}`],
      ["PATCH", `${c}/products/${productId}`, { unitPriceCents: 1 }],
      ["GET", `${c}/invoices`],
      ["POST", `${c}/invoices`, draftBody(a.customerId)],
      ["GET", `${c}/invoices/${invoiceId}`],
      ["PATCH", `${c}/invoices/${draftId}`, { notes: "pris" }],
      ["DELETE", `${c}/invoices/${draftId}`],
      ["POST", `${c}/invoices/${draftId}/issue`, {}],
      ["POST", `${c}/invoices/${invoiceId}/credit-note`, {}],
      ["GET", `${c}/payments`],
      ["POST", `${c}/payments`, { invoiceId, amountCents: 100, date: "2026-11-10", method: "cash" }],
      ["GET", `${c}/payments/${paymentId}`],
      ["GET", `${c}/documents`],
      ["POST", `${c}/documents`, "form"],
      ["GET", `${c}/documents/${documentId}`],
      ["GET", `${c}/documents/${documentId}/content`],
      ["GET", `${c}/integrity`],
    ];
    const before = activityCount(t, a.companyId);
    for (const [method, url, body] of routes) {
      const res = await t.call(method, url, { token: b.token, body: body === "form" ? pdfForm() : body });
      const problem = expectProblem(res, 404);
      expect(problem.detail, `${method} ${url}`).toBe("This company does not exist or is not visible to you.");
    }
    expect(activityCount(t, a.companyId)).toBe(before);
    expect(t.deps.db.prepare("SELECT status FROM invoices WHERE id = ?").pluck().get(draftId)).toBe("draft");
    // without credentials: 401, not 404
    for (const [method, url] of routes.slice(0, 3)) expectProblem(await t.call(method, url), 401);
    // an unknown company id answers exactly like someone else's company
    const missing = expectProblem(await t.call("GET", "/companies/00000000-0000-0000-0000-000000000000", { token: b.token }), 404);
    expect(missing.detail).toBe("This company does not exist or is not visible to you.");
  });

  it("ids of another company's records are not found through one's own company either", async () => {
    const t = createTestApp();
    const { a, b, productId, invoiceId, paymentId, documentId } = await twoOwners(t);
    const own = `/companies/${b.companyId}`;
    expectProblem(await t.call("GET", `${own}/customers/${a.customerId}`, { token: b.token }), 404);
    expectProblem(await t.call("PATCH", `${own}/customers/${a.customerId}`, { token: b.token, body: { name: "x" } }), 404);
    expectProblem(await t.call("GET", `${own}/products/${productId}`, { token: b.token }), 404);
    expectProblem(await t.call("GET", `${own}/invoices/${invoiceId}`, { token: b.token }), 404);
    expectProblem(await t.call("POST", `${own}/invoices/${invoiceId}/credit-note`, { token: b.token, body: {} }), 404);
    expectProblem(await t.call("GET", `${own}/payments/${paymentId}`, { token: b.token }), 404);
    expectProblem(await t.call("GET", `${own}/documents/${documentId}/content`, { token: b.token }), 404);
    // references in bodies are checked against the caller's company
    expectProblem(await t.call("POST", `${own}/invoices`, { token: b.token, body: draftBody(a.customerId) }), 422, "customerId");
    expectProblem(
      await t.call("POST", `${own}/invoices`, { token: b.token, body: draftBody(b.customerId, [{ productId, quantity: "1" }]) }),
      422,
      "lines.0.productId",
    );
    expectProblem(await t.call("POST", `${own}/payments`, { token: b.token, body: { invoiceId, amountCents: 1, date: "2026-11-10", method: "cash" } }), 422, "invoiceId");
    const mine = await t.call("GET", `${own}/invoices`, { token: b.token });
    expect(mine.json.items).toEqual([]);
  });

  it("an accountant reads everything of the company but gets 403 on every write of the owner's layer", async () => {
    const t = createTestApp();
    const { a, productId, draftId, invoiceId, paymentId, documentId } = await twoOwners(t);
    const accountant = await signupOwner(t, "Expert-comptable");
    t.deps.db
      .prepare("INSERT INTO memberships (company_id, user_id, role, invited_by, created_at) VALUES (?, ?, 'accountant', ?, ?)")
      .run(a.companyId, accountant.user.id, a.user.id, "2026-11-20T10:00:00.000Z");
    const c = `/companies/${a.companyId}`;

    const company = await t.call("GET", c, { token: accountant.token });
    expect(company.status).toBe(200);
    expect(company.json.role).toBe("accountant");
    expect((await t.call("GET", "/companies", { token: accountant.token })).json.items.map((x: { role: string }) => x.role)).toEqual(["accountant"]);
    for (const url of [
      `${c}/customers`,
      `${c}/customers/${a.customerId}`,
      `${c}/products`,
      `${c}/products/${productId}`,
      `${c}/invoices`,
      `${c}/invoices/${invoiceId}`,
      `${c}/payments`,
      `${c}/payments/${paymentId}`,
      `${c}/documents`,
      `${c}/documents/${documentId}`,
      `${c}/documents/${documentId}/content`,
      `${c}/integrity`,
    ]) {
      expect((await t.call("GET", url, { token: accountant.token })).status, url).toBe(200);
    }

    const writes: [string, string, unknown?][] = [
      ["PATCH", c, { name: "Pris" }],
      ["POST", `${c}/customers`, CUSTOMER],
      ["PATCH", `${c}/customers/${a.customerId}`, { name: "Pris" }],
      ["POST", `${c}/products`, PRODUCT],
      ["PATCH", `${c}/products/${productId}`, { unitPriceCents: 1 }],
      ["POST", `${c}/invoices`, draftBody(a.customerId)],
      ["PATCH", `${c}/invoices/${draftId}`, { notes: "pris" }],
      ["DELETE", `${c}/invoices/${draftId}`],
      ["POST", `${c}/invoices/${draftId}/issue`, {}],
      ["POST", `${c}/invoices/${invoiceId}/credit-note`, {}],
      ["POST", `${c}/payments`, { invoiceId, amountCents: 100, date: "2026-11-10", method: "cash" }],
      ["POST", `${c}/documents`, "form"],
    ];
    const before = activityCount(t, a.companyId);
    for (const [method, url, body] of writes) {
      const problem = expectProblem(await t.call(method, url, { token: accountant.token, body: body === "form" ? pdfForm() : body }), 403);
      expect(problem.detail, `${method} ${url}`).toBe("Only the company's owners change its invoices, customers, products, payments and documents.");
    }
    expect(activityCount(t, a.companyId)).toBe(before);
    const draft = await t.call("GET", `${c}/invoices/${draftId}`, { token: a.token });
    expect(draft.json.status).toBe("draft");
    expect(draft.json.notes).toBeNull();
  });
});
