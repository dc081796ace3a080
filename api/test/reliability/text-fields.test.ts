/**
 * Control and bidirectional formatting characters in every text field of the API: refused with a
 * 422 naming the field and the character, nothing stored; line breaks kept only in the fields
 * where they mean something. The table is checked against /openapi.json, so a text field added
 * later without the rule fails here.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { COMPANY, CUSTOMER, PRODUCT, createTestApp, draftBody, issuedInvoice, ownerWithCompany, untranslated, type TestApp } from "../helpers.js";
import { ACCOUNTANT_PASSWORD, invite, invitedAccountant } from "../access-helpers.js";
import { admittedTypes, isDateSlot, setAt, slots, writeRoutes } from "./openapi-walk.js";
import { tableNames } from "../../src/db/catalog.js";

const PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
const ADDRESS = ["address.line1", "address.line2", "address.postalCode", "address.city"];
const COMPANY_TEXTS = ["name", "legalForm", "capital", "rcsCity", "phone", "latePenaltyRate", "earlyPaymentDiscount", ...ADDRESS];
const DELIVERY = ["deliveryAddress.line1", "deliveryAddress.line2", "deliveryAddress.postalCode", "deliveryAddress.city"];

/** Every text field: route, field, and whether a line break is meaningful there. */
const FIELDS: [route: string, field: string, multiline: boolean][] = [
  ["POST /auth/signup", "name", false],
  ["POST /invitations/accept", "name", false],
  ["POST /api-keys", "name", false],
  ...COMPANY_TEXTS.map((f): [string, string, boolean] => ["POST /companies", f, false]),
  ["POST /companies", "address", true],
  ...COMPANY_TEXTS.map((f): [string, string, boolean] => ["PATCH /companies/{companyId}", f, false]),
  ["PATCH /companies/{companyId}", "address", true],
  ...["name", "category", ...ADDRESS].map((f): [string, string, boolean] => ["POST /companies/{companyId}/customers", f, false]),
  ["POST /companies/{companyId}/customers", "address", true],
  ...["name", "category", ...ADDRESS].map((f): [string, string, boolean] => ["PATCH /companies/{companyId}/customers/{customerId}", f, false]),
  ["PATCH /companies/{companyId}/customers/{customerId}", "address", true],
  ["POST /companies/{companyId}/products", "name", false],
  ["POST /companies/{companyId}/products", "category", false],
  ["POST /companies/{companyId}/products", "description", true],
  ["PATCH /companies/{companyId}/products/{productId}", "name", false],
  ["PATCH /companies/{companyId}/products/{productId}", "category", false],
  ["PATCH /companies/{companyId}/products/{productId}", "description", true],
  ...DELIVERY.map((f): [string, string, boolean] => ["POST /companies/{companyId}/invoices", f, false]),
  ["POST /companies/{companyId}/invoices", "notes", true],
  ["POST /companies/{companyId}/invoices", "lines.0.description", true],
  ...DELIVERY.map((f): [string, string, boolean] => ["PATCH /companies/{companyId}/invoices/{invoiceId}", f, false]),
  ["PATCH /companies/{companyId}/invoices/{invoiceId}", "notes", true],
  ["PATCH /companies/{companyId}/invoices/{invoiceId}", "lines.0.description", true],
  ["POST /companies/{companyId}/invoices/{invoiceId}/credit-note", "notes", true],
  ["POST /companies/{companyId}/invoices/{invoiceId}/credit-note", "amount.reason", false],
  ["POST /companies/{companyId}/orders", "reference", false],
  ["POST /companies/{companyId}/orders", "lines.0.description", true],
  ["POST /companies/{companyId}/orders/{orderId}/deposits", "notes", true],
  ["POST /companies/{companyId}/orders/{orderId}/balance", "notes", true],
  ["POST /companies/{companyId}/invoices/{invoiceId}/sendings", "subject", false],
  ["POST /companies/{companyId}/invoices/{invoiceId}/sendings", "message", true],
  ["POST /companies/{companyId}/quotes", "notes", true],
  ["POST /companies/{companyId}/quotes", "lines.0.description", true],
  ["PATCH /companies/{companyId}/quotes/{quoteId}", "notes", true],
  ["PATCH /companies/{companyId}/quotes/{quoteId}", "lines.0.description", true],
  ["POST /companies/{companyId}/quotes/{quoteId}/order", "reference", false],
  ["POST /companies/{companyId}/quotes/{quoteId}/sendings", "subject", false],
  ["POST /companies/{companyId}/quotes/{quoteId}/sendings", "message", true],
  ["PUT /companies/{companyId}/mail-templates/{kind}", "subject", false],
  ["PUT /companies/{companyId}/mail-templates/{kind}", "body", true],
  ["PUT /companies/{companyId}/invoices/{invoiceId}/dispute", "reason", false],
  ["POST /companies/{companyId}/payments", "reference", false],
  ["POST /companies/{companyId}/locks/reopen", "reason", true],
  ["POST /companies/{companyId}/documents", "sourceUrl", false],
  ["POST /companies/{companyId}/documents", "note", true],
  ["POST /companies/{companyId}/webhooks", "url", false],
  ["POST /companies/{companyId}/journal-queries", "name", false],
  ["POST /companies/{companyId}/journal-queries", "category", false],
  ["PUT /companies/{companyId}/accounting/settings", "journals.sales.label", false],
  ["PUT /companies/{companyId}/accounting/settings", "journals.bank.label", false],
  ["PUT /companies/{companyId}/accounting/settings", "byCategory.0.category", false],
  ["PUT /companies/{companyId}/accounting/settings", "accountLabels.706000", false],
  ["PUT /companies/{companyId}/accounting/accounts", "rows.0.kind", false],
  ["PUT /companies/{companyId}/accounting/accounts", "rows.0.key", false],
  ["PUT /companies/{companyId}/accounting/accounts", "rows.0.account", false],
  ["PUT /companies/{companyId}/accounting/accounts", "rows.0.auxAccount", false],
];

async function fixtures(t: TestApp) {
  const owner = await ownerWithCompany(t);
  const product = await t.call("POST", `/companies/${owner.companyId}/products`, { token: owner.token, body: PRODUCT });
  const draft = await t.call("POST", `/companies/${owner.companyId}/invoices`, { token: owner.token, body: draftBody(owner.customerId) });
  const issued = await issuedInvoice(t, owner, "2026-11-02");
  const accountant = await invitedAccountant(t, owner);
  const pending = await invite(t, owner, "second@cabinet.fr");
  const lock = await t.call("POST", `/companies/${owner.companyId}/locks`, { token: accountant.token, body: { until: "2026-06-30", kind: "soft" } });
  const settings = await t.call("GET", `/companies/${owner.companyId}/accounting/settings`, { token: accountant.token });
  // one order for deposits, another for the balance invoice (a balance closes its order to deposits)
  const order = await t.call("POST", `/companies/${owner.companyId}/orders`, { token: owner.token, body: draftBody(owner.customerId) });
  const closing = await t.call("POST", `/companies/${owner.companyId}/orders`, { token: owner.token, body: draftBody(owner.customerId) });
  expect([product.status, draft.status, lock.status, settings.status, order.status, closing.status]).toEqual([201, 201, 201, 200, 201, 201]);
  const quote = await t.call("POST", `/companies/${owner.companyId}/quotes`, { token: owner.token, body: draftBody(owner.customerId) });
  const issuedQuote = await t.call("POST", `/companies/${owner.companyId}/quotes`, { token: owner.token, body: draftBody(owner.customerId) });
  expect([quote.status, (await t.call("POST", `/companies/${owner.companyId}/quotes/${issuedQuote.json.id}/issue`, { token: owner.token, body: {} })).status]).toEqual([201, 200]);
  const acceptedQuote = await t.call("POST", `/companies/${owner.companyId}/quotes`, { token: owner.token, body: draftBody(owner.customerId) });
  expect((await t.call("POST", `/companies/${owner.companyId}/quotes/${acceptedQuote.json.id}/issue`, { token: owner.token, body: {} })).status).toBe(200);
  expect((await t.call("POST", `/companies/${owner.companyId}/quotes/${acceptedQuote.json.id}/accept`, { token: owner.token, body: {} })).status).toBe(200);
  const ids: Record<string, string> = { companyId: owner.companyId, customerId: owner.customerId, productId: product.json.id, invoiceId: draft.json.id, orderId: order.json.id, quoteId: quote.json.id };
  return { owner, accountant, issued, ids, closingOrderId: closing.json.id as string, issuedQuoteId: issuedQuote.json.id as string, acceptedQuoteId: acceptedQuote.json.id as string, invitationToken: pending.token, settings: settings.json };
}
type Fixtures = Awaited<ReturnType<typeof fixtures>>;

const addressObject = { line1: "5 rue Saint-Jean", postalCode: "69005", city: "Lyon" };

/** A body the route accepts, shaped so that `field` can be set in it. */
function validBody(route: string, field: string, f: Fixtures): any {
  const inAddress = field.startsWith("address.");
  switch (route) {
    case "POST /auth/signup":
      return { email: `new-${Math.random().toString(36).slice(2)}@example.fr`, password: "correct horse battery", name: "Nouvelle" };
    case "POST /invitations/accept":
      return { token: f.invitationToken, name: "Second Cabinet", password: ACCOUNTANT_PASSWORD };
    case "POST /api-keys":
      return { name: "Synchronisation", scope: "read" };
    case "POST /companies":
      return { ...COMPANY };
    case "POST /companies/{companyId}/customers":
      return { ...CUSTOMER, ...(inAddress ? { address: addressObject } : {}) };
    case "PATCH /companies/{companyId}/customers/{customerId}":
    case "PATCH /companies/{companyId}":
      return inAddress ? { address: addressObject } : {};
    case "POST /companies/{companyId}/products":
      return { ...PRODUCT };
    case "PATCH /companies/{companyId}/products/{productId}":
      return {};
    case "POST /companies/{companyId}/invoices":
      return { ...draftBody(f.ids.customerId!), ...(field.startsWith("deliveryAddress.") ? { deliveryAddress: addressObject } : {}) };
    case "PATCH /companies/{companyId}/invoices/{invoiceId}":
      return {
        ...(field.startsWith("deliveryAddress.") ? { deliveryAddress: addressObject } : {}),
        ...(field.startsWith("lines.") ? { lines: draftBody(f.ids.customerId!).lines } : {}),
      };
    case "POST /companies/{companyId}/invoices/{invoiceId}/credit-note":
      return field.startsWith("amount.") ? { amount: { amountCents: 100, basis: "ht", vatRateBp: 2000, reason: "Geste commercial" } } : {};
    case "POST /companies/{companyId}/orders":
      return { ...draftBody(f.ids.customerId!), reference: "BC-2026-17" };
    case "POST /companies/{companyId}/orders/{orderId}/deposits":
      return { percentBp: 1000 };
    case "POST /companies/{companyId}/orders/{orderId}/balance":
      return {};
    case "POST /companies/{companyId}/quotes":
      return draftBody(f.ids.customerId!);
    case "POST /companies/{companyId}/quotes/{quoteId}/order":
      return {};
    case "POST /companies/{companyId}/quotes/{quoteId}/sendings":
      return { to: ["compta@client.fr"], subject: "Devis", message: "Bonjour" };
    case "PATCH /companies/{companyId}/quotes/{quoteId}":
      return field.startsWith("lines.") ? { lines: draftBody(f.ids.customerId!).lines } : {};
    case "POST /companies/{companyId}/invoices/{invoiceId}/sendings":
      return { to: ["compta@client.fr"], subject: "Facture", message: "Bonjour" };
    case "PUT /companies/{companyId}/mail-templates/{kind}":
      return { subject: "Facture {number}", body: "Bonjour" };
    case "PUT /companies/{companyId}/invoices/{invoiceId}/dispute":
      return { disputed: true };
    case "POST /companies/{companyId}/payments":
      return { invoiceId: f.issued.id, amountCents: 100, date: "2026-11-10", method: "transfer" };
    case "POST /companies/{companyId}/locks/reopen":
      return { to: null, reason: "Correction d'une facture de mars" };
    case "POST /companies/{companyId}/documents":
      return {};
    case "POST /companies/{companyId}/webhooks":
      return { url: "https://hooks.example.fr/passerelle", events: ["payment.recorded"] };
    case "POST /companies/{companyId}/journal-queries":
      return { name: "Ventes du mois", period: "current_month", category: "Luminaires" };
    case "PUT /companies/{companyId}/accounting/settings":
      return { ...f.settings, byCategory: [{ category: "Luminaires", revenueAccount: "707100" }] };
    case "PUT /companies/{companyId}/accounting/accounts":
      return { rows: [{ kind: "customer", key: "C0001", account: "411000", auxAccount: "DUPONT" }] };
  }
  throw new Error(`no valid body for ${route}`);
}

async function send(t: TestApp, f: Fixtures, route: string, field: string, value: string) {
  const [method, template] = route.split(" ") as [string, string];
  const url = template.replace(/\{(\w+)\}/g, (_, name: string) =>
    name === "invoiceId" && /\/(credit-note|sendings|dispute)$/.test(template)
      ? f.issued.id
      : name === "orderId" && template.endsWith("/balance")
        ? f.closingOrderId
        : name === "quoteId" && template.endsWith("/sendings")
          ? f.issuedQuoteId
          : name === "quoteId" && template.endsWith("/order")
            ? f.acceptedQuoteId
            : name === "kind"
            ? "invoice"
            : f.ids[name]!,
  );
  const token = /\/(locks|accounting)\/|\/journal-queries$/.test(template) ? f.accountant.token : /^\/(auth|invitations)\//.test(template) ? undefined : f.owner.token;
  const path = field.split(".").map((k) => (/^\d$/.test(k) ? Number(k) : k));
  // an address keeps its URL shape, so the character is the only thing wrong with it
  if (field === "url" || field === "sourceUrl") value = `https://hooks.example.fr/${value}`;
  if (template.endsWith("/documents")) {
    // written by hand: FormData would turn every CR and LF into CR LF on the way
    const boundary = "----passerelle-text";
    const body = [
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="releve.pdf"\r\nContent-Type: application/pdf\r\n\r\n${new TextDecoder().decode(PDF)}\r\n`,
      `--${boundary}\r\nContent-Disposition: form-data; name="${field}"\r\n\r\n${value}\r\n`,
      `--${boundary}--\r\n`,
    ].join("");
    return t.call(method, url, { token, body, headers: { "content-type": `multipart/form-data; boundary=${boundary}` } });
  }
  return t.call(method, url, { token, body: setAt(validBody(route, field, f), path, value) });
}

/** Every row of every table and the files stored. */
function fingerprint(t: TestApp): string {
  const hash = createHash("sha256");
  for (const table of tableNames(t.deps.db)) {
    hash.update(`#${table}`);
    for (const row of t.deps.db.prepare(`SELECT * FROM "${table}" ORDER BY 1`).raw().iterate() as Iterable<unknown[]>) hash.update(JSON.stringify(row));
  }
  return hash.digest("hex");
}

/** Every text cell of the database. */
function storedTexts(t: TestApp): Set<string> {
  const out = new Set<string>();
  for (const table of tableNames(t.deps.db)) {
    for (const row of t.deps.db.prepare(`SELECT * FROM "${table}"`).raw().iterate() as Iterable<unknown[]>) for (const cell of row) if (typeof cell === "string") out.add(cell);
  }
  return out;
}

const single = (cp: string) => `must not contain control characters or line breaks (found ${cp})`;
const multi = (cp: string) => `must not contain control characters other than line breaks (found ${cp})`;

describe("text fields refuse control and bidirectional formatting characters", () => {
  it("the table lists every free-text field of every write route in /openapi.json", async () => {
    const t = createTestApp();
    const doc = await (await t.app.request("/openapi.json")).json();
    const listed = new Set(FIELDS.map(([route, field]) => `${route} ${field}`));
    const found = writeRoutes(doc).flatMap((route) =>
      route.body
        ? slots(route.body.schema)
            .filter((s) => admittedTypes(s.schema).has("string") && !s.schema.enum && !s.schema.pattern && !isDateSlot(s) && s.schema.format !== "binary")
            // identifiers with a rule of their own (a SIREN, an IBAN, an APE code, a département) refuse any other character by it
            .filter((s) => !/Id$|^(email|siren|vatNumber|iban|bic|apeCode|rmDepartment|quantity|password|token|deviceToken)$/.test(s.name))
            .map((s) => `${route.key.replace("/api/v1", "")} ${s.path.join(".")}`)
        : [],
    );
    // account labels are the values of a map keyed by account number: not a slot of the document
    expect(new Set([...found, "PUT /companies/{companyId}/accounting/settings accountLabels.706000"])).toEqual(listed);
  });

  it("422 naming the field and the character, and nothing stored, for NUL, U+0001, U+0085, a lone CR, U+202E, and a line break where none is meaningful", async () => {
    const t = createTestApp();
    const f = await fixtures(t);
    const before = fingerprint(t);
    const answers: string[] = [];
    const expected: string[] = [];
    for (const [route, field, multiline] of FIELDS) {
      const cases: [string, string][] = [
        ["Texte\u0000suite", multiline ? multi("U+0000") : single("U+0000")],
        ["Texte\u0001", multiline ? multi("U+0001") : single("U+0001")],
        ["Texte\u0085suite", multiline ? multi("U+0085") : single("U+0085")],
        ["Ligne 1\rLigne 2", multiline ? multi("U+000D") : single("U+000D")],
        ["facture\u202efdp.exe", "must not contain bidirectional formatting characters (found U+202E)"],
        ...(multiline ? [] : ([["Ligne 1\nLigne 2", single("U+000A")]] as [string, string][])),
      ];
      for (const [value, message] of cases) {
        const res = await send(t, f, route, field, value);
        answers.push(`${route} ${field} ${JSON.stringify(value)} → ${res.status} ${res.headers.get("content-type")} ${JSON.stringify(res.json?.errors)}`);
        expected.push(`${route} ${field} ${JSON.stringify(value)} → 422 application/problem+json; charset=utf-8 ${JSON.stringify([{ path: field, message }])}`);
      }
    }
    expect(answers).toEqual(expected);
    expect(fingerprint(t)).toBe(before);
  });

  it("keeps line breaks where they mean something (CR LF stored as LF); an address written as one text is split at them", { timeout: 90_000 }, async () => {
    const t = createTestApp();
    const f = await fixtures(t);
    const results: [string, number, boolean][] = [];
    for (const [i, [route, field]] of FIELDS.filter(([, , multiline]) => multiline).entries()) {
      const address = field === "address";
      const res = await send(t, f, route, field, address ? `5 rue Saint-Jean\r\nBâtiment ${i}\r\n69005 Lyon` : `Ligne 1\r\nLigne 2 (${i})`);
      const stored = storedTexts(t);
      results.push([`${route} ${field}`, res.status, address ? stored.has(`Bâtiment ${i}`) : stored.has(`Ligne 1\nLigne 2 (${i})`)]);
    }
    expect(results).toEqual([
      ["POST /companies address", 201, true],
      ["PATCH /companies/{companyId} address", 200, true],
      ["POST /companies/{companyId}/customers address", 201, true],
      ["PATCH /companies/{companyId}/customers/{customerId} address", 200, true],
      ["POST /companies/{companyId}/products description", 201, true],
      ["PATCH /companies/{companyId}/products/{productId} description", 200, true],
      ["POST /companies/{companyId}/invoices notes", 201, true],
      ["POST /companies/{companyId}/invoices lines.0.description", 201, true],
      ["PATCH /companies/{companyId}/invoices/{invoiceId} notes", 200, true],
      ["PATCH /companies/{companyId}/invoices/{invoiceId} lines.0.description", 200, true],
      ["POST /companies/{companyId}/invoices/{invoiceId}/credit-note notes", 201, true],
      ["POST /companies/{companyId}/orders lines.0.description", 201, true],
      ["POST /companies/{companyId}/orders/{orderId}/deposits notes", 201, true],
      ["POST /companies/{companyId}/orders/{orderId}/balance notes", 201, true],
      ["POST /companies/{companyId}/invoices/{invoiceId}/sendings message", 201, true],
      ["POST /companies/{companyId}/quotes notes", 201, true],
      ["POST /companies/{companyId}/quotes lines.0.description", 201, true],
      ["PATCH /companies/{companyId}/quotes/{quoteId} notes", 200, true],
      ["PATCH /companies/{companyId}/quotes/{quoteId} lines.0.description", 200, true],
      ["POST /companies/{companyId}/quotes/{quoteId}/sendings message", 201, true],
      ["PUT /companies/{companyId}/mail-templates/{kind} body", 200, true],
      ["POST /companies/{companyId}/locks/reopen reason", 200, true],
      ["POST /companies/{companyId}/documents note", 201, true],
    ]);
    expect([...storedTexts(t)].filter((text) => text.includes("\r"))).toEqual([]);
  });

  it("search terms and category filters of every list and export: 422 naming the parameter", async () => {
    const t = createTestApp();
    const f = await fixtures(t);
    const doc = (await (await t.app.request("/openapi.json")).json()) as { paths: Record<string, { get?: { parameters?: { in: string; name: string }[] } }> };
    const queries = Object.entries(doc.paths).flatMap(([template, ops]) =>
      (ops.get?.parameters ?? []).filter((p) => p.in === "query" && (p.name === "q" || p.name === "category")).map((p): [string, string] => [template, p.name]),
    );
    expect(queries.length).toBeGreaterThanOrEqual(20);
    const answers = [];
    for (const [template, name] of queries) {
      const url = `${template.replace("{companyId}", f.ids.companyId!)}?${name}=Dupont%01`;
      const res = await t.call("GET", url, { token: f.accountant.token });
      answers.push([template, name, res.status, res.json?.errors]);
    }
    expect(answers).toEqual(queries.map(([template, name]) => [template, name, 422, [{ path: name, message: single("U+0001") }]]));
  });

  it("the invitation page's form refuses a name holding a control or bidirectional formatting character (422), creating no account", async () => {
    const t = createTestApp();
    const owner = await ownerWithCompany(t);
    const { token } = await invite(t, owner, "page@cabinet.fr");
    const page = await t.app.request(`/invite/${token}`);
    const html = await page.text();
    const cookie = page.headers.get("set-cookie")!.split(";")[0]!;
    const hidden = Object.fromEntries([...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1]!, m[2]!]));
    const statuses = [];
    for (const name of ["Fanny\u202eFormulaire", "Fanny\u0000Formulaire"]) {
      const res = await t.app.request("/invite", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", cookie },
        body: new URLSearchParams({ ...hidden, name, password: ACCOUNTANT_PASSWORD, confirm: ACCOUNTANT_PASSWORD }).toString(),
      });
      const answer = await res.text();
      statuses.push([res.status, answer.includes("Le nom contient un caractère invisible (contrôle, saut de ligne ou mise en forme bidirectionnelle)."), answer.includes("The name holds an invisible character (control, line break or bidirectional formatting).")]);
    }
    expect(statuses).toEqual([
      [422, true, true],
      [422, true, true],
    ]);
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM users WHERE email = 'page@cabinet.fr'").pluck().get()).toBe(0);
  });

  it("accounting settings stored before the rule still load, their labels on one line, and can be saved back as they are read", async () => {
    const t = createTestApp();
    const f = await fixtures(t);
    const stored = { ...f.settings, journals: { sales: { code: "VE", label: "Ventes\u202e" }, bank: { code: "BQ", label: "Banque\tprincipale" } }, accountLabels: { "706000": "Prestations\r\nde services" } };
    t.deps.db
      .prepare("INSERT INTO accounting_settings (company_id, settings_json, updated_by, updated_at) VALUES (?, ?, ?, ?)")
      .run(f.ids.companyId, JSON.stringify(stored), f.accountant.user.id, "2026-11-20T10:00:00.000Z");
    const read = await t.call("GET", `/companies/${f.ids.companyId}/accounting/settings`, { token: f.accountant.token });
    expect([read.status, read.json.journals, read.json.accountLabels]).toEqual([200, { sales: { code: "VE", label: "Ventes" }, bank: { code: "BQ", label: "Banque principale" } }, { "706000": "Prestations de services" }]);
    expect((await t.call("PUT", `/companies/${f.ids.companyId}/accounting/settings`, { token: f.accountant.token, body: read.json })).status).toBe(200);
  });

  it("every problem met here reads in French: each rule, title and field is in the catalogue", () => {
    expect(Object.fromEntries(untranslated)).toEqual({});
  });
});
