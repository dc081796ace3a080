/**
 * Every company-scoped route the app registers (read from /openapi.json and from the router
 * itself, so a new route is covered without touching this file) × every principal that must not
 * get in: refused with the right status, nothing changed in the database, nothing leaked in the
 * error body.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createTestApp, issuedInvoice, PRODUCT, signUp, type TestApp } from "./helpers.js";
import { invite, invitedAccountant } from "./access-helpers.js";
import { createHash } from "node:crypto";
import { companyRoutes, snapshot, type CompanyRoute } from "./route-inventory.js";
import { pngOf } from "./images.js";

const SECRET_COMPANY = {
  name: "Atelier Secret SAS",
  siren: "732829320",
  address: { line1: "7 impasse Cachée", postalCode: "13001", city: "Marseille", country: "FR" },
  fiscalYearStart: "01-01",
};
const SECRET_CUSTOMER = { name: "Client Confidentiel", address: "9 rue Discrète, 13002 Marseille", email: "confidentiel@client.fr" };

interface Principal {
  name: string;
  token: string;
  /** null: not applicable to this route (e.g. a read-only key on a GET). */
  expect(method: string): number | null;
}

let t: TestApp;
let routes: CompanyRoute[];
let principals: Principal[];
let params: Record<string, string>;
let secrets: string[];
let companyId: string;

beforeAll(async () => {
  vi.spyOn(console, "log").mockImplementation(() => {});
  t = createTestApp();
  // the target: owner A's company, with data of every kind
  const signup = await signUp(t, { email: "secret-owner@atelier-secret.fr", password: "correct horse battery", name: "Sébastien Secret" });
  const ownerToken = signup.token;
  const company = await t.call("POST", "/companies", { token: ownerToken, body: SECRET_COMPANY });
  companyId = company.json.id;
  const customer = await t.call("POST", `/companies/${companyId}/customers`, { token: ownerToken, body: SECRET_CUSTOMER });
  const product = await t.call("POST", `/companies/${companyId}/products`, { token: ownerToken, body: { ...PRODUCT, name: "Produit Confidentiel" } });
  const owner = { token: ownerToken, companyId, customerId: customer.json.id as string };
  const invoice = await issuedInvoice(t, owner);
  const order = await t.call("POST", `/companies/${companyId}/orders`, {
    token: ownerToken,
    body: { customerId: customer.json.id, reference: "Commande Confidentielle", lines: [{ description: "Pose", quantity: "1", unitPriceCents: 50000, vatRateBp: 2000 }] },
  });
  const payment = await t.call("POST", `/companies/${companyId}/payments`, {
    token: ownerToken,
    body: { invoiceId: invoice.id, amountCents: 1000, date: "2026-11-10", method: "transfer" },
  });
  const form = new FormData();
  form.set("file", new Blob([Buffer.from("%PDF-1.4\n%secret document\n")], { type: "application/pdf" }), "releve-confidentiel.pdf");
  const document = await t.call("POST", `/companies/${companyId}/documents`, { token: ownerToken, body: form });
  const logo = await t.call("PUT", `/companies/${companyId}/logo`, { token: ownerToken, body: { contentBase64: pngOf(40, 20).toString("base64") } });
  expect(logo.status).toBe(200);
  const accountant = await invitedAccountant(t, owner, "Comptable Maison");
  const pending = await invite(t, owner, "pending@cabinet-secret.fr");
  const webhook = await t.call("POST", `/companies/${companyId}/webhooks`, {
    token: ownerToken,
    body: { url: "https://hooks.atelier-secret.fr/passerelle", events: ["invoice.issued"] },
  });
  const quote = await t.call("POST", `/companies/${companyId}/quotes`, {
    token: ownerToken,
    body: { customerId: customer.json.id, lines: [{ description: "Offre confidentielle", quantity: "1", unitPriceCents: 50000, vatRateBp: 2000 }] },
  });
  const issuedQuote = await t.call("POST", `/companies/${companyId}/quotes/${quote.json.id}/issue`, { token: ownerToken, body: {} });
  expect(issuedQuote.status).toBe(200);
  const journalQuery = await t.call("POST", `/companies/${companyId}/journal-queries`, { token: accountant.token, body: { name: "Ventes confidentielles", period: "current_fiscal_year" } });
  expect(journalQuery.status).toBe(201);
  params = {
    companyId,
    quoteId: quote.json.id,
    customerId: customer.json.id,
    productId: product.json.id,
    invoiceId: invoice.id,
    paymentId: payment.json.id,
    documentId: document.json.id,
    invitationId: pending.invitation.id,
    webhookId: webhook.json.id,
    userId: accountant.user.id,
    orderId: order.json.id,
    kind: "invoice",
    queryId: journalQuery.json.id,
    feedId: journalQuery.json.id,
  };
  secrets = [SECRET_COMPANY.name, SECRET_COMPANY.siren, SECRET_CUSTOMER.name, SECRET_CUSTOMER.email, "Produit Confidentiel", "secret-owner@atelier-secret.fr", "Sébastien Secret", invoice.number, "Commande Confidentielle", "releve-confidentiel", "Offre confidentielle", issuedQuote.json.number, "hooks.atelier-secret.fr", accountant.email, "pending@cabinet-secret.fr", "Ventes confidentielles"];

  // the principals that must not get in
  const otherOwner = await signUp(t, { email: "other-owner@ailleurs.fr", password: "correct horse battery", name: "Autre" });
  await t.call("POST", "/companies", { token: otherOwner.token, body: { ...SECRET_COMPANY, name: "Ailleurs SARL" } });

  const elsewhere = await signUp(t, { email: "owner-c@ailleurs.fr", password: "correct horse battery", name: "C" });
  const companyC = await t.call("POST", "/companies", { token: elsewhere.token, body: { ...SECRET_COMPANY, name: "Cabinet Client C" } });
  const notInvited = await invitedAccountant(t, { token: elsewhere.token, companyId: companyC.json.id }, "Pas Invité");

  const revoked = await invitedAccountant(t, owner, "Révoqué");
  expect((await t.call("GET", `/companies/${companyId}`, { token: revoked.token })).status).toBe(200);
  expect((await t.call("DELETE", `/companies/${companyId}/accountants/${revoked.user.id}`, { token: ownerToken })).status).toBe(204);

  const expiring = await t.call("POST", "/auth/login", { body: { email: "secret-owner@atelier-secret.fr", password: "correct horse battery" } });
  const hash = createHash("sha256").update(expiring.json.token).digest("hex");
  t.deps.db.prepare("UPDATE sessions SET expires_at = ? WHERE token_hash = ?").run(t.clock.now().toISOString(), hash);

  const readKey = await t.call("POST", "/api-keys", { token: ownerToken, body: { name: "lecture", scope: "read" } });
  const secondCompany = await t.call("POST", "/companies", { token: ownerToken, body: { ...SECRET_COMPANY, name: "Autre Société du même dirigeant" } });
  const limitedKey = await t.call("POST", "/api-keys", { token: ownerToken, body: { name: "autre société", scope: "write", companyId: secondCompany.json.id } });

  const always = (status: number) => () => status;
  principals = [
    { name: "owner of another company", token: otherOwner.token, expect: always(404) },
    { name: "accountant not invited", token: notInvited.token, expect: always(404) },
    { name: "accountant after revocation", token: revoked.token, expect: always(404) },
    { name: "expired session", token: expiring.json.token, expect: always(401) },
    { name: "read-only key on a write route", token: readKey.json.secret, expect: (m) => (m === "GET" ? null : 403) },
    { name: "key limited to another company", token: limitedKey.json.secret, expect: always(404) },
  ];
  routes = await companyRoutes(t);
});

function urlFor(path: string): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? "x"));
}

describe("security matrix: every company-scoped route × every outsider", () => {
  it("covers the whole company surface", () => {
    const keys = routes.map((r) => `${r.method} ${r.path}`);
    expect(routes.length).toBeGreaterThanOrEqual(40);
    for (const k of [
      "GET /api/v1/companies/{companyId}",
      "PATCH /api/v1/companies/{companyId}",
      "POST /api/v1/companies/{companyId}/invoices",
      "GET /api/v1/companies/{companyId}/documents/{documentId}/content",
      "PUT /api/v1/companies/{companyId}/logo",
      "POST /api/v1/companies/{companyId}/journal-queries",
      "DELETE /api/v1/companies/{companyId}/journal-queries/{queryId}",
      "GET /api/v1/feeds/{feedId}/journal.csv",
      "GET /api/v1/feeds/{feedId}/journal.json",
      "GET /api/v1/companies/{companyId}/logo",
      "POST /api/v1/companies/{companyId}/invitations",
      "DELETE /api/v1/companies/{companyId}/accountants/{userId}",
      "GET /api/v1/companies/{companyId}/webhooks/{webhookId}/deliveries",
      "PUT /api/v1/companies/{companyId}/accounting/accounts",
    ]) {
      expect(keys).toContain(k);
    }
  });

  it("refuses every one of them, changes nothing and leaks nothing", async () => {
    const before = snapshot(t);
    const failures: string[] = [];
    let checked = 0;
    for (const route of routes) {
      for (const principal of principals) {
        const expected = principal.expect(route.method);
        if (expected === null) continue;
        const response = await t.app.request(urlFor(route.path), {
          method: route.method,
          headers: { authorization: `Bearer ${principal.token}`, "content-type": "application/json" },
          body: route.method === "GET" || route.method === "HEAD" ? undefined : JSON.stringify({}),
          signal: AbortSignal.timeout(5_000),
        });
        const text = await response.text();
        checked++;
        const where = `${principal.name}: ${route.method} ${route.path}`;
        if (response.status !== expected) failures.push(`${where} → ${response.status} (expected ${expected}) ${text.slice(0, 200)}`);
        if (!response.headers.get("content-type")?.startsWith("application/problem+json")) failures.push(`${where}: not problem+json`);
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(text) as Record<string, unknown>;
        } catch {
          failures.push(`${where}: body is not JSON`);
        }
        const extra = Object.keys(body).filter((k) => !["type", "title", "status", "detail", "errors"].includes(k));
        if (extra.length) failures.push(`${where}: unexpected fields ${extra.join(", ")}`);
        for (const secret of secrets) if (text.includes(secret)) failures.push(`${where}: leaks "${secret}"`);
        if (/\bat .+\.(ts|js):\d+|SqliteError|node_modules/.test(text)) failures.push(`${where}: leaks a stack trace`);
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(routes.length * 5);
    expect(snapshot(t)).toEqual(before);
  });

  it("lets the owner in on the same URLs (the matrix refuses principals, not malformed requests)", async () => {
    const owner = await t.call("POST", "/auth/login", { body: { email: "secret-owner@atelier-secret.fr", password: "correct horse battery" } });
    for (const route of routes.filter((r) => r.method === "GET" && !r.path.endsWith("/events"))) {
      const res = await t.app.request(urlFor(route.path), { headers: { authorization: `Bearer ${owner.json.token}` }, signal: AbortSignal.timeout(5_000) });
      await res.arrayBuffer();
      expect([200, 422], `${route.path} → ${res.status}`).toContain(res.status);
    }
  });
});

describe("security matrix: the consolidated journal (across companies) × every outsider", () => {
  it("refuses the company by name when it is named, shows none of it with all, and changes nothing", async () => {
    const before = snapshot(t);
    const failures: string[] = [];
    for (const principal of principals) {
      const named = principal.expect("GET");
      if (named === null) continue;
      for (const [query, expected] of [
        [`companies=${companyId}`, named],
        ["companies=all", named === 401 ? 401 : 200],
      ] as const) {
        const response = await t.app.request(`/api/v1/accountant/sales-journal?${query}`, {
          headers: { authorization: `Bearer ${principal.token}` },
          signal: AbortSignal.timeout(5_000),
        });
        const text = await response.text();
        const where = `${principal.name}: ?${query}`;
        if (response.status !== expected) failures.push(`${where} → ${response.status} (expected ${expected}) ${text.slice(0, 200)}`);
        if (text.includes(companyId) && query === "companies=all") failures.push(`${where}: names the company`);
        // the outsiders' own companies were made with the same SIREN: with all, their rows show it rightly
        for (const secret of secrets.filter((s) => s !== SECRET_COMPANY.siren)) if (text.includes(secret)) failures.push(`${where}: leaks "${secret}"`);
      }
    }
    expect(failures).toEqual([]);
    expect(snapshot(t)).toEqual(before);
  });
});

describe("security matrix: month-end across companies × every outsider", () => {
  it("lists none of the company, locks none of it (each refusal said as for an unknown company), and changes nothing", async () => {
    const before = snapshot(t);
    const failures: string[] = [];
    for (const principal of principals) {
      const headers = { authorization: `Bearer ${principal.token}` };
      const read = principal.expect("GET");
      if (read !== null) {
        const view = await t.app.request("/api/v1/accountant/month-end?date=2026-10-31", { headers, signal: AbortSignal.timeout(5_000) });
        const text = await view.text();
        const expected = read === 401 ? 401 : 200;
        if (view.status !== expected) failures.push(`${principal.name}: month-end → ${view.status} (expected ${expected}) ${text.slice(0, 200)}`);
        if (text.includes(companyId)) failures.push(`${principal.name}: month-end names the company`);
        for (const secret of secrets.filter((s) => s !== SECRET_COMPANY.siren)) if (text.includes(secret)) failures.push(`${principal.name}: month-end leaks "${secret}"`);
      }
      const write = principal.expect("POST");
      const lock = await t.app.request("/api/v1/accountant/locks", {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify({ until: "2026-10-31", companies: [companyId] }),
        signal: AbortSignal.timeout(5_000),
      });
      const text = await lock.text();
      // outsiders get an answer per company: this one unknown to them; an expired session or a read-only key, nothing at all
      const expected = write === 404 ? 200 : write;
      if (lock.status !== expected) failures.push(`${principal.name}: batch lock → ${lock.status} (expected ${expected}) ${text.slice(0, 200)}`);
      if (expected === 200) {
        const item = (JSON.parse(text) as { items: { outcome: string; name: string | null; problem: { status: number } | null }[] }).items[0];
        if (item?.outcome !== "refused" || item.name !== null || item.problem?.status !== 404) failures.push(`${principal.name}: batch lock answered ${text.slice(0, 200)}`);
      }
      for (const secret of secrets.filter((s) => s !== SECRET_COMPANY.siren)) if (text.includes(secret)) failures.push(`${principal.name}: batch lock leaks "${secret}"`);
    }
    expect(failures).toEqual([]);
    expect(snapshot(t)).toEqual(before);
  });
});
