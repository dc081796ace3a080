/**
 * The document is exact: every operation of /openapi.json is called through the app — with valid
 * input and with input wrong in every way the document can describe (no or bad credentials, a
 * stranger, a read-only key, unknown and overlong ids, query values its schemas refuse, wrong
 * content types, malformed JSON, invalid bodies, bodies over the limit, invalid UTF-8) — and each
 * answer's status must be one the document lists for that operation, its content type one listed
 * for that status, and a JSON body must match that response's schema. Every other method on a
 * documented path must answer 405 with `Allow`. All of it is read from the document, so routes
 * added later are walked too.
 */
import { describe, expect, it } from "vitest";
import { createTestApp, issuedInvoice, ownerWithCompany, PRODUCT, signupOwner } from "../helpers.js";
import { invite, invitedAccountant } from "../access-helpers.js";
import { pngOf } from "../images.js";
import { lastMailTo, signupLinkToken } from "../signup-flow.js";
import { exampleFor, resolve, type Schema } from "./openapi-walk.js";
import { schemaErrors } from "./json-schema.js";

const MAX_JSON = 8 * 1024;
const t = createTestApp({ config: { maxJsonBytes: MAX_JSON, maxUploadBytes: 16 * 1024 } });
const doc = (await (await t.app.request("/openapi.json")).json()) as any;
const PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");
const UNKNOWN_ID = "0190aaaa-0000-7000-8000-000000000000";
const METHODS = ["get", "post", "put", "patch", "delete"] as const;

interface Operation {
  method: string;
  template: string;
  op: any;
  key: string;
}
const operations: Operation[] = [];
for (const [template, ops] of Object.entries<any>(doc.paths)) {
  for (const method of METHODS) if (ops[method]) operations.push({ method, template, op: ops[method], key: `${method.toUpperCase()} ${template}` });
}

// ---------- what the operations act on ----------

const owner = await ownerWithCompany(t);
const product = await t.call("POST", `/companies/${owner.companyId}/products`, { token: owner.token, body: PRODUCT });
const draft = await t.call("POST", `/companies/${owner.companyId}/invoices`, {
  token: owner.token,
  body: { customerId: owner.customerId, lines: [{ description: "Conseil", quantity: "1", unitPriceCents: 1001, vatRateBp: 2000 }] },
});
const issued = await issuedInvoice(t, owner, "2026-11-02");
const payment = await t.call("POST", `/companies/${owner.companyId}/payments`, { token: owner.token, body: { invoiceId: issued.id, amountCents: 500, date: "2026-11-05", method: "transfer" } });
const form = new FormData();
form.set("file", new File([PDF], "facture.pdf", { type: "application/pdf" }));
const document = await t.call("POST", `/companies/${owner.companyId}/documents`, { token: owner.token, body: form });
const accountant = await invitedAccountant(t, owner);
const pending = await invite(t, owner, "en-attente@cabinet.fr");
/** Sign-ups waiting for their link: one whose page is read, one confirmed. */
async function pendingSignup(email: string): Promise<string> {
  await t.call("POST", "/auth/signup", { body: { email, password: "correct horse battery", name: "En attente" } });
  return signupLinkToken(lastMailTo(t.dataDir, email)!);
}
const signupPage = await pendingSignup("lien-page@example.fr");
const signupConfirmed = await pendingSignup("lien-confirme@example.fr");
const readKey = await t.call("POST", "/api-keys", { token: owner.token, body: { name: "Lecture", scope: "read" } });
const revocable = await t.call("POST", "/api-keys", { token: owner.token, body: { name: "À révoquer", scope: "read" } });
// a logo, so that reading it answers it
expect((await t.call("PUT", `/companies/${owner.companyId}/logo`, { token: owner.token, body: { contentBase64: pngOf(30, 10).toString("base64") } })).status).toBe(200);
const webhook = await t.call("POST", `/companies/${owner.companyId}/webhooks`, { token: owner.token, body: { url: "https://hooks.example.fr/p", events: ["invoice.issued"] } });
const order = await t.call("POST", `/companies/${owner.companyId}/orders`, {
  token: owner.token,
  body: { customerId: owner.customerId, lines: [{ description: "Pose", quantity: "2", unitPriceCents: 12000, vatRateBp: 2000 }] },
});
const QUOTE = { customerId: owner.customerId, lines: [{ description: "Conseil", quantity: "1", unitPriceCents: 1001, vatRateBp: 2000 }] };
const draftQuote = await t.call("POST", `/companies/${owner.companyId}/quotes`, { token: owner.token, body: QUOTE });
const quote = await t.call("POST", `/companies/${owner.companyId}/quotes`, { token: owner.token, body: QUOTE });
await t.call("POST", `/companies/${owner.companyId}/quotes/${quote.json.id}/issue`, { token: owner.token, body: {} });
const journalQuery = await t.call("POST", `/companies/${owner.companyId}/journal-queries`, { token: accountant.token, body: { name: "Ventes du mois", period: "current_month" } });
const stranger = await signupOwner(t, "Inconnu");
const leaving = await signupOwner(t, "Sur le départ");

const ids: Record<string, string> = {
  companyId: owner.companyId,
  customerId: owner.customerId,
  productId: product.json.id,
  invoiceId: issued.id,
  paymentId: payment.json.id,
  documentId: document.json.id,
  userId: accountant.user.id,
  invitationId: pending.invitation.id,
  keyId: revocable.json.id,
  webhookId: webhook.json.id,
  orderId: order.json.id,
  token: pending.token,
  quoteId: quote.json.id,
  queryId: journalQuery.json.id,
  feedId: journalQuery.json.id,
};

function pathIds(o: Operation): Record<string, string> {
  // drafts for what only drafts accept, the issued invoice for everything else
  if (/\/invoices\/\{invoiceId\}(\/issue)?$/.test(o.template) && o.method !== "get") return { ...ids, invoiceId: draft.json.id };
  if (/\/quotes\/\{quoteId\}(\/issue)?$/.test(o.template) && o.method !== "get") return { ...ids, quoteId: draftQuote.json.id };
  if (o.template.startsWith("/signup/")) return { ...ids, token: signupPage };
  return ids;
}

const ACCOUNTANT_LAYER = /\/companies\/\{companyId\}\/(locks|accounting|journal-queries)(\/|$)/;
function tokenFor(o: Operation): string | null {
  if (!o.op.security?.length) return null;
  if (o.key === "POST /api/v1/auth/logout") return leaving.token;
  return ACCOUNTANT_LAYER.test(o.template) && o.method !== "get" ? accountant.token : owner.token;
}

const VALID_BODIES: Record<string, unknown> = {
  "POST /api/v1/auth/signup": { email: "nouvelle@example.fr", password: "correct horse battery", name: "Nouvelle" },
  "POST /api/v1/auth/login": { email: owner.email, password: "correct horse battery" },
  "POST /api/v1/auth/signup/confirm": { token: signupConfirmed, password: "correct horse battery" },
  "POST /api/v1/companies/{companyId}/invoices": { customerId: owner.customerId, lines: [{ description: "Conseil", quantity: "1", unitPriceCents: 1001, vatRateBp: 2000 }] },
  "POST /api/v1/companies/{companyId}/quotes": QUOTE,
  "POST /api/v1/companies/{companyId}/payments": { invoiceId: issued.id, amountCents: 100, date: "2026-11-10", method: "transfer" },
  "POST /api/v1/companies/{companyId}/locks": { until: "2026-06-30", kind: "soft" },
  "POST /api/v1/companies/{companyId}/locks/reopen": { to: null, reason: "Correction d'une facture de juin" },
  "POST /api/v1/companies/{companyId}/webhooks": { url: "https://hooks.example.fr/autre", events: ["payment.recorded"] },
  "POST /api/v1/companies/{companyId}/journal-queries": { name: "Novembre", period: "fixed", from: "2026-11-01", to: "2026-11-30" },
  "POST /api/v1/invitations/accept": { token: pending.token, name: "Second Cabinet", password: "expert-comptable 2026" },
};

function bodySchema(o: Operation): { type: string; schema: Schema } | null {
  const content = o.op.requestBody?.content;
  if (!content) return null;
  const type = Object.keys(content)[0]!;
  return { type, schema: resolve(doc, content[type].schema) };
}

// ---------- requests ----------

interface Case {
  label: string;
  params?: Record<string, string>;
  query?: Record<string, string>;
  authorization?: string | null;
  contentType?: string | null;
  body?: string | Uint8Array;
  /** The one status the case must get, when the document says which. */
  status?: number;
}

function urlOf(o: Operation, c: Case): string {
  const params = c.params ?? pathIds(o);
  const path = o.template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? UNKNOWN_ID));
  const query = new URLSearchParams(c.query ?? requiredQuery(o)).toString();
  return query ? `${path}?${query}` : path;
}

function queryParams(o: Operation): { name: string; required: boolean; schema: Schema }[] {
  return (o.op.parameters ?? []).filter((p: any) => p.in === "query").map((p: any) => ({ name: p.name, required: !!p.required, schema: resolve(doc, p.schema ?? {}) }));
}

function requiredQuery(o: Operation): Record<string, string> {
  return Object.fromEntries(queryParams(o).filter((p) => p.required).map((p) => [p.name, String(exampleFor(p.schema, p.name, ids))]));
}

function validCase(o: Operation): Case {
  const body = bodySchema(o);
  const token = tokenFor(o);
  const c: Case = { label: "valid", authorization: token ? `Bearer ${token}` : null };
  if (body?.type.startsWith("multipart/")) return { ...c, ...multipart("facture.pdf", PDF) };
  if (body) return { ...c, contentType: "application/json", body: JSON.stringify(VALID_BODIES[o.key] ?? exampleFor(body.schema, "", { ...ids, invoiceId: issued.id })) };
  return c;
}

function multipart(fileName: string, data: Uint8Array, boundary = "----contrat"): { contentType: string; body: Uint8Array } {
  const head = new TextEncoder().encode(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/pdf\r\n\r\n`);
  const tail = new TextEncoder().encode(`\r\n--${boundary}--\r\n`);
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat([head, data, tail]) };
}

/** Query values each parameter's own schema refuses. */
function badQueryValues(schema: Schema): string[] {
  const out = schema.maxLength !== undefined ? ["x".repeat(schema.maxLength + 1)] : [];
  if (schema.enum) out.push("pas-une-valeur");
  if (schema.type === "integer" || schema.type === "number") out.push("abc", "1.5", String((schema.maximum ?? 1e15) + 1), String((schema.minimum ?? -1e15) - 1));
  if (schema.pattern) out.push("!!");
  if (schema.format === "date") out.push("2026-02-30", "31/12/2026");
  return out;
}

function invalidCases(o: Operation): Case[] {
  const valid = validCase(o);
  const cases: Case[] = [
    { ...valid, label: "no credentials", authorization: null },
    { ...valid, label: "unknown token", authorization: "Bearer inconnu" },
    { ...valid, label: "malformed Authorization", authorization: "Basic YTpi" },
  ];
  // a route without query parameters ignores unknown ones: the request would be valid
  if (queryParams(o).length > 0) cases.push({ ...valid, label: "unknown query parameter", query: { ...requiredQuery(o), inconnu: "1" }, status: 422 });
  if (o.template.includes("{companyId}")) cases.push({ ...valid, label: "a signed-in stranger", authorization: `Bearer ${stranger.token}` });
  if (o.method !== "get" && o.op.security?.length) cases.push({ ...valid, label: "a read-only API key", authorization: `Bearer ${readKey.json.secret}` });
  for (const name of o.template.match(/\{(\w+)\}/g)?.map((p) => p.slice(1, -1)) ?? []) {
    cases.push({ ...valid, label: `unknown ${name}`, params: { ...pathIds(o), [name]: UNKNOWN_ID } }, { ...valid, label: `overlong ${name}`, params: { ...pathIds(o), [name]: "x".repeat(300) } });
  }
  for (const p of queryParams(o)) {
    for (const bad of badQueryValues(p.schema)) cases.push({ ...valid, label: `query ${p.name}=${bad.slice(0, 20)}`, query: { ...requiredQuery(o), [p.name]: bad }, status: 422 });
  }
  const body = bodySchema(o);
  const invalidUtf8 = new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]);
  if (o.method !== "get") {
    cases.push(
      { ...valid, label: "JSON with invalid UTF-8", contentType: "application/json", body: invalidUtf8 },
      { ...valid, label: "JSON over the size limit", contentType: "application/json", body: `{"a":"${"a".repeat(MAX_JSON)}"}` },
    );
  }
  if (body) {
    cases.push(
      { ...valid, label: "text/plain body", contentType: "text/plain", body: "bonjour" },
      { ...valid, label: "body without content type", contentType: null, body: "bonjour" },
    );
    if (body.type === "application/json") {
      cases.push(
        { ...valid, label: "malformed JSON", body: '{"a": ' },
        { ...valid, label: "JSON array", body: "[]" },
        { ...valid, label: "unknown field", body: JSON.stringify({ inconnu: 1 }) },
        { ...valid, label: "empty JSON object", body: "{}" },
      );
    } else {
      cases.push(
        { ...valid, label: "JSON instead of multipart", contentType: "application/json", body: "{}" },
        { ...valid, label: "broken multipart", contentType: "multipart/form-data; boundary=x", body: "--x\r\npas une partie" },
        { ...valid, label: "not a PDF nor an image", ...multipart("texte.pdf", new TextEncoder().encode("bonjour")) },
        { ...valid, label: "file over the upload limit", ...multipart("gros.pdf", Buffer.concat([PDF, new Uint8Array(17 * 1024)])) },
      );
    }
  }
  return cases;
}

// ---------- sending and checking ----------

async function send(o: Operation, c: Case): Promise<Response> {
  const headers: Record<string, string> = {};
  if (c.authorization) headers.authorization = c.authorization;
  if (c.contentType) headers["content-type"] = c.contentType;
  return t.app.request(urlOf(o, c), { method: o.method.toUpperCase(), headers, body: c.body as string | Uint8Array<ArrayBuffer> | undefined });
}

/** An event stream never ends: its first chunk is enough. */
async function bodyText(res: Response): Promise<string> {
  if (!res.headers.get("content-type")?.startsWith("text/event-stream")) return res.text();
  const reader = res.body!.getReader();
  const first = await reader.read();
  await reader.cancel();
  return new TextDecoder().decode(first.value);
}

const essence = (type: string | null) => (type ?? "").split(";")[0]!.trim().toLowerCase();

/** What does not agree with the document in one answer (empty: it agrees). */
async function disagreements(o: Operation, c: Case, res: Response): Promise<string[]> {
  const text = await bodyText(res);
  const where = `${o.key} ← ${c.label}: ${res.status} ${text.slice(0, 200)}`;
  const documented = o.op.responses[String(res.status)] ?? o.op.responses.default;
  if (!documented) return [`${where}: status ${res.status} is not documented (${Object.keys(o.op.responses).join(", ")})`];
  const content: Record<string, { schema?: Schema }> = documented.content ?? {};
  const types = Object.keys(content);
  if (types.length === 0) return text === "" ? [] : [`${where}: a body where the document says none`];
  const type = types.find((t) => t === essence(res.headers.get("content-type")));
  if (!type) return [`${where}: content type ${res.headers.get("content-type")} is not one of ${types.join(", ")}`];
  if (!/json$/.test(type) || !content[type]!.schema) return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return [`${where}: not JSON`];
  }
  return schemaErrors(doc, content[type]!.schema!, value).map((e) => `${where}: ${e}`);
}

const statuses = new Map<string, Set<number>>();
const record = (o: Operation, status: number) => statuses.set(o.key, (statuses.get(o.key) ?? new Set()).add(status));

describe("/openapi.json against the app", () => {
  it("lists the operations", () => {
    expect(operations.length).toBeGreaterThanOrEqual(70);
    for (const fixture of [product, draft, payment, document, readKey, revocable, webhook, journalQuery]) expect(fixture.status).toBe(201);
  });

  // Valid reads first, while every fixture is there; valid writes last, deletions at the very end.
  const validCall = (o: Operation) =>
    it(`${o.key}: valid input answers as documented${o.method === "get" ? ", with a 2xx" : ""}`, async () => {
      const c = validCase(o);
      const res = await send(o, c);
      record(o, res.status);
      expect(await disagreements(o, c, res)).toEqual([]);
      if (o.method === "get") expect(res.status, o.key).toBeLessThan(300);
    });
  operations.filter((o) => o.method === "get").forEach(validCall);

  for (const o of operations) {
    it(`${o.key}: every wrong input answers as documented`, async () => {
      const problems: string[] = [];
      for (const c of invalidCases(o)) {
        const res = await send(o, c);
        record(o, res.status);
        // what the document's parameter schemas refuse, the server refuses too
        if (c.status !== undefined && res.status !== c.status) problems.push(`${o.key} ← ${c.label}: ${res.status}, not ${c.status}`);
        problems.push(...(await disagreements(o, c, res)));
      }
      expect(problems).toEqual([]);
    });
  }


  const order = (o: Operation) => METHODS.indexOf(o.method as (typeof METHODS)[number]);
  operations
    .filter((o) => o.method !== "get")
    .sort((a, b) => order(a) - order(b))
    .forEach(validCall);

  it("query parameters are constrained as the server constrains them: cursors base64url, dates real dates", () => {
    const loose: string[] = [];
    for (const o of operations) {
      for (const p of queryParams(o)) {
        if (p.name === "cursor" && p.schema.pattern !== "^[A-Za-z0-9_-]*$") loose.push(`${o.key} ${p.name}`);
        if (["from", "to"].includes(p.name) && p.schema.format !== "date") loose.push(`${o.key} ${p.name}`);
      }
    }
    expect(loose).toEqual([]);
  });

  it("every other method on a documented path answers 405 problem+json with Allow", async () => {
    const problems: string[] = [];
    for (const [template, ops] of Object.entries<any>(doc.paths)) {
      const documented = METHODS.filter((m) => ops[m]).map((m) => m.toUpperCase());
      const allow = [...documented, ...(documented.includes("GET") ? ["HEAD"] : [])].sort().join(", ");
      const url = template.replace(/\{(\w+)\}/g, (_, name: string) => ids[name] ?? UNKNOWN_ID);
      for (const method of METHODS.map((m) => m.toUpperCase()).filter((m) => !documented.includes(m))) {
        const res = await t.app.request(url, { method, headers: { authorization: `Bearer ${owner.token}` } });
        const body = await res.text();
        if (res.status !== 405 || res.headers.get("allow") !== allow || essence(res.headers.get("content-type")) !== "application/problem+json") {
          problems.push(`${method} ${template}: ${res.status} allow=${res.headers.get("allow")} ${body.slice(0, 120)}`);
        } else expect(JSON.parse(body)).toMatchObject({ status: 405, title: "Méthode non permise" }) // French unless asked otherwise;
      }
    }
    expect(problems).toEqual([]);
  });

  it("prints what each operation answered", () => {
    const lines = [...statuses].map(([key, seen]) => `${key}: ${[...seen].sort().join(" ")}`);
    console.log(`[reliability] OpenAPI contract: ${operations.length} operations\n  ${lines.join("\n  ")}`);
    expect(statuses.size).toBe(operations.length);
  });
});
