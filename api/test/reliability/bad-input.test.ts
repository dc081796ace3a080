/**
 * Bad input, property-based: every write route listed in /openapi.json (so routes added later are
 * covered too) receives bodies made invalid on purpose — wrong types, missing and unknown fields,
 * huge strings, negative / NaN / Infinity / 1e308 amounts, 5-decimal quantities, impossible dates,
 * wrong content types, truncated and oversized bodies, invalid UTF-8, bad ids and credentials.
 * Every answer must be a 4xx application/problem+json, promptly, and the database must not change.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { COMPANY, CUSTOMER, PRODUCT, createTestApp, draftBody, issuedInvoice, noteUntranslated, ownerWithCompany, signupOwner, untranslated, type TestApp } from "../helpers.js";
import { ACCOUNTANT_PASSWORD, invite, invitedAccountant } from "../access-helpers.js";
import { pngOf } from "../images.js";
import { lastMailTo, signupLinkToken } from "../signup-flow.js";
import {
  admittedTypes,
  closedObjects,
  deleteAt,
  exampleFor,
  getAt,
  isDateSlot,
  objectSchema,
  setAt,
  slots,
  writeRoutes,
  type Schema,
  type Slot,
  type WriteRoute,
} from "./openapi-walk.js";
import { columnNames, tableNames } from "../../src/db/catalog.js";

// 60 bad requests per route on SQLite; 15 on PostgreSQL, where each request and the read-back of
// every table after it go through the database thread (4 times the time per case): every route still
// gets each kind of bad input, fewer random draws of it
const RUNS = Number(process.env.RELIABILITY_FUZZ_RUNS ?? (process.env.PASSERELLE_TEST_DATABASE ? 15 : 60));
const MAX_UPLOAD = 64 * 1024;
const PDF = new TextEncoder().encode("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

function newApp(): TestApp {
  return createTestApp({ config: { maxUploadBytes: MAX_UPLOAD } });
}

/** A company with one of everything the write routes act on, an accountant, and a soft lock. */
async function fixtures(t: TestApp) {
  const o = await ownerWithCompany(t);
  const expect201 = (what: string, r: { status: number; text: string }) => {
    if (r.status >= 300) throw new Error(`fixture ${what}: ${r.status} ${r.text}`);
    return r as { status: number; text: string; json: any };
  };
  const product = expect201("product", await t.call("POST", `/companies/${o.companyId}/products`, { token: o.token, body: PRODUCT }));
  const draft = expect201("draft", await t.call("POST", `/companies/${o.companyId}/invoices`, { token: o.token, body: draftBody(o.customerId) }));
  const issued = await issuedInvoice(t, o, "2026-11-02");
  const order = expect201("order", await t.call("POST", `/companies/${o.companyId}/orders`, { token: o.token, body: draftBody(o.customerId) }));
  const payment = expect201("payment", await t.call("POST", `/companies/${o.companyId}/payments`, {
    token: o.token,
    body: { invoiceId: issued.id, amountCents: 500, date: "2026-11-05", method: "transfer" },
  }));
  const form = new FormData();
  form.set("file", new File([PDF], "facture-fournisseur.pdf", { type: "application/pdf" }));
  const document = expect201("document", await t.call("POST", `/companies/${o.companyId}/documents`, { token: o.token, body: form }));
  const stranger = await signupOwner(t, "Stranger");
  const newcomer = `newcomer-${Date.now()}@example.fr`;
  expect201("sign-up", await t.call("POST", "/auth/signup", { body: { email: newcomer, password: "correct horse battery", name: "Nouvelle" } }));
  const signupToken = signupLinkToken(lastMailTo(t.dataDir, newcomer)!);
  const accountant = await invitedAccountant(t, o);
  const pending = await invite(t, o, `pending-${Date.now()}@cabinet.fr`);
  const apiKey = expect201("API key", await t.call("POST", "/api-keys", { token: o.token, body: { name: "Script", scope: "read" } }));
  const webhook = expect201("webhook", await t.call("POST", `/companies/${o.companyId}/webhooks`, {
    token: o.token,
    body: { url: "https://hooks.example.fr/passerelle", events: ["invoice.issued"] },
  }));
  expect201("lock", await t.call("POST", `/companies/${o.companyId}/locks`, { token: accountant.token, body: { until: "2026-06-30", kind: "soft" } }));
  const journalQuery = expect201("journal query", await t.call("POST", `/companies/${o.companyId}/journal-queries`, { token: accountant.token, body: { name: "Ventes du mois", period: "current_month" } }));
  const settings = expect201("settings", await t.call("GET", `/companies/${o.companyId}/accounting/settings`, { token: accountant.token })).json;
  const quote = (path = "", body: object = {}) => t.call("POST", `/companies/${o.companyId}/quotes${path}`, { token: o.token, body });
  const draftQuote = expect201("quote", await quote("", draftBody(o.customerId))).json;
  const issuedQuote = expect201("issued quote", await quote(`/${expect201("quote", await quote("", draftBody(o.customerId))).json.id}/issue`)).json;
  const acceptedQuote = expect201("issued quote", await quote(`/${expect201("quote", await quote("", draftBody(o.customerId))).json.id}/issue`)).json;
  expect201("accepted quote", await quote(`/${acceptedQuote.id}/accept`));
  const ids: Record<string, string> = {
    companyId: o.companyId,
    customerId: o.customerId,
    productId: product.json.id,
    invoiceId: draft.json.id,
    paymentId: payment.json.id,
    documentId: document.json.id,
    lineId: issued.lines[0].id,
    userId: accountant.user.id,
    invitationId: pending.invitation.id,
    keyId: apiKey.json.id,
    webhookId: webhook.json.id,
    orderId: order.json.id,
    quoteId: draftQuote.id,
    queryId: journalQuery.json.id,
  };
  return { owner: o, ids, issued, issuedQuote, acceptedQuote, stranger, accountant, invitationToken: pending.token, signupToken, settings };
}
type Fixtures = Awaited<ReturnType<typeof fixtures>>;

/** Ids for a route's path: the draft for draft actions, the issued invoice for credit notes, else the first row of a matching table. */
function pathIds(t: TestApp, f: Fixtures, route: WriteRoute): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of route.pathParams) {
    if (name === "invoiceId" && /\/(credit-note|sendings|dispute)$/.test(route.template)) out[name] = f.issued.id;
    else if (name === "quoteId" && /\/(accept|refuse|duplicate|sendings)$/.test(route.template)) out[name] = f.issuedQuote.id;
    else if (name === "quoteId" && /\/(invoice|order)$/.test(route.template)) out[name] = f.acceptedQuote.id;
    else if (name === "kind") out[name] = "invoice";
    else if (f.ids[name]) out[name] = f.ids[name]!;
    else out[name] = firstRowId(t, name) ?? "00000000-0000-4000-8000-000000000000";
  }
  return out;
}

function firstRowId(t: TestApp, param: string): string | undefined {
  const stem = param.replace(/Id$/, "").replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
  const tables = tableNames(t.deps.db);
  const table = tables.find((n) => n === `${stem}s`) ?? tables.find((n) => n.endsWith(`_${stem}s`) || n.endsWith(`${stem}s`));
  if (!table) return undefined;
  const columns = columnNames(t.deps.db, table);
  if (!columns.includes("id")) return undefined;
  const where = columns.includes("company_id") ? " WHERE company_id = ?" : "";
  const args = where ? [t.deps.db.prepare("SELECT id FROM companies LIMIT 1").pluck().get()] : [];
  return t.deps.db.prepare(`SELECT id FROM ${table}${where} LIMIT 1`).pluck().get(...args) as string | undefined;
}

/** Body ids: an issued invoice (payments), its first line (credit notes), the rest as in the path. */
function bodyIds(f: Fixtures): Record<string, string> {
  return { ...f.ids, invoiceId: f.issued.id };
}

/**
 * A request every route accepts as it stands (checked by the control test below); mutations then break it.
 * Routes not listed get an example built from their schema; if a new route refuses it, the control
 * test fails and names the route: add its valid body here.
 */
function validBody(route: WriteRoute, f: Fixtures): unknown {
  const t = route.template.replace(/^\/api\/v1/, "");
  if (route.method === "post" && t === "/auth/signup") return { email: `new-${Math.random().toString(36).slice(2)}@example.fr`, password: "correct horse battery", name: "Nouvelle" };
  if (route.method === "post" && t === "/auth/signup/confirm") return { token: f.signupToken, password: "correct horse battery" };
  if (route.method === "post" && t === "/auth/login") return { email: f.owner.email, password: "correct horse battery" };
  if (route.method === "post" && t === "/companies") return COMPANY;
  if (route.method === "post" && t === "/companies/{companyId}/customers") return CUSTOMER;
  if (route.method === "post" && t === "/companies/{companyId}/products") return PRODUCT;
  if (route.method === "post" && t === "/companies/{companyId}/invoices") return draftBody(f.ids.customerId!);
  if (route.method === "patch" && t === "/companies/{companyId}/invoices/{invoiceId}") return { notes: "Livraison le 12" };
  if (route.method === "post" && t === "/companies/{companyId}/orders") return { ...draftBody(f.ids.customerId!), reference: "BC-2026-17" };
  if (route.method === "post" && t === "/companies/{companyId}/orders/{orderId}/deposits") return { percentBp: 3000 };
  if (route.method === "post" && t === "/companies/{companyId}/orders/{orderId}/balance") return { notes: "Solde à la livraison" };
  if (route.method === "post" && t === "/companies/{companyId}/payments") return { invoiceId: f.issued.id, amountCents: 100, date: "2026-11-10", method: "transfer" };
  if (route.method === "put" && t === "/companies/{companyId}/accounting/settings") return f.settings;
  if (route.method === "put" && t === "/companies/{companyId}/accounting/accounts") return { rows: [{ kind: "default", key: "services", account: "706100" }, { kind: "product", key: f.ids.productId!, account: "707100" }] };
  if (route.method === "post" && t === "/companies/{companyId}/locks") return { until: "2026-09-30", kind: "soft" };
  if (route.method === "post" && t === "/accountant/locks") return { until: "2026-09-30", companies: [f.ids.companyId!], preview: true };
  if (route.method === "post" && t === "/companies/{companyId}/locks/reopen") return { to: "2026-03-31", reason: "Correction d'une facture de mars" };
  if (route.method === "post" && t === "/companies/{companyId}/invitations") return { email: "nouveau@cabinet.fr" };
  if (route.method === "post" && t === "/invitations/accept") return { token: f.invitationToken, name: "Second Cabinet", password: ACCOUNTANT_PASSWORD };
  if (route.method === "post" && t === "/api-keys") return { name: "Synchronisation", scope: "read" };
  if (route.method === "post" && t === "/companies/{companyId}/webhooks") return { url: "https://hooks.example.fr/autre", events: ["payment.recorded"] };
  if (route.method === "post" && t === "/companies/{companyId}/invoices/{invoiceId}/sendings") return { to: ["compta@client.fr"], subject: "Facture F2026-00001", message: "Bonjour,\nVoici la facture." };
  if (route.method === "post" && t === "/companies/{companyId}/quotes") return draftBody(f.ids.customerId!);
  if (route.method === "patch" && t === "/companies/{companyId}/quotes/{quoteId}") return { notes: "Travaux en janvier", validUntil: "2026-12-31" };
  if (route.method === "post" && t === "/companies/{companyId}/quotes/{quoteId}/order") return { reference: "BC-2026-18" };
  if (route.method === "post" && t === "/companies/{companyId}/quotes/{quoteId}/sendings") return { to: ["compta@client.fr"], subject: "Devis D2026-00002", message: "Bonjour,\nVoici le devis." };
  if (route.method === "put" && t === "/companies/{companyId}/mail-templates/{kind}") return { subject: "Facture {number}", body: "Bonjour,\nVoici la facture {number}." };
  if (route.method === "put" && t === "/companies/{companyId}/invoices/{invoiceId}/dispute") return { disputed: true, reason: "Livraison incomplète" };
  if (route.method === "put" && t === "/companies/{companyId}/reminder-settings") return { automatic: true, days: [7, 21, 45] };
  if (route.method === "post" && t === "/companies/{companyId}/journal-queries") return { name: "Ventes du trimestre", period: "current_quarter", status: "issued" };
  if (route.method === "put" && t === "/companies/{companyId}/logo") return { contentBase64: pngOf(30, 10).toString("base64") };
  if (!route.body) return undefined;
  if (route.body.contentType.startsWith("multipart/")) return undefined;
  return exampleFor(route.body.schema, "", bodyIds(f));
}

// ---------- requests ----------

interface Req {
  label: string;
  params?: Record<string, string>;
  token?: string | null; // null: no Authorization header
  authorization?: string;
  contentType?: string | null; // null: no Content-Type header
  body?: string | Uint8Array;
}

const utf8 = new TextEncoder();

function concat(...parts: (string | Uint8Array)[]): Uint8Array {
  const chunks = parts.map((p) => (typeof p === "string" ? utf8.encode(p) : p));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) (out.set(c, at), (at += c.length));
  return out;
}

/** JSON text where string markers become raw tokens (NaN, Infinity, 1e999) that JSON.stringify cannot write. */
const RAW = "@@RAW@@:";
function jsonText(value: unknown): string {
  return JSON.stringify(value).replace(new RegExp(`"${RAW}([^"]*)"`, "g"), (_, token: string) => token);
}
const raw = (token: string) => `${RAW}${token}`;

const INVALID_UTF8 = [[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xc0, 0xaf], [0xf4, 0x90, 0x80, 0x80]].map((b) => new Uint8Array(b));
const MARK = "@@MARK@@";

/** Values of the wrong JSON type for a field. */
function wrongTypeValues(schema: Schema): unknown[] {
  const admitted = admittedTypes(schema);
  const candidates: [string, unknown][] = [
    ["boolean", true],
    ["array", []],
    ["object", { nested: "object" }],
    ["null", null],
    ["number", 12345],
    ["string", "texte"],
  ];
  return candidates.filter(([type]) => !admitted.has(type)).map(([, v]) => v);
}

/** Numbers a field's own constraints refuse, as JSON numbers, as strings and as raw tokens. */
function badNumbers(slot: Slot): unknown[] {
  const s = slot.schema;
  const admitted = admittedTypes(s);
  const out: unknown[] = [raw("NaN"), raw("Infinity"), raw("-Infinity"), raw("1e999"), raw("-1e999")];
  const numberSchema = s.type ? s : (s.anyOf ?? s.oneOf ?? []).find((x) => x.type === "integer" || x.type === "number") ?? s;
  if (numberSchema.type === "integer") out.push(1.5, 0.001, 100.00001);
  if (numberSchema.minimum !== undefined) out.push(numberSchema.minimum - 1, -1e308, -Number.MAX_SAFE_INTEGER);
  if (numberSchema.maximum !== undefined) out.push(numberSchema.maximum + 1, 1e308, Number.MAX_SAFE_INTEGER + 2);
  if (/Cents$|Bp$/.test(slot.name)) out.push(-1, -100, 1e308, -0.5);
  if (!admitted.has("string")) out.push("100", "NaN", "Infinity", "-1", "1e308", "1,50", "");
  return out;
}

const BAD_DATES = ["2026-02-30", "2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-1-5", "31/12/2026", "2026-12-31T00:00:00Z", "20261231", "", " 2026-12-31", "0000-01-01", "+02026-01-01", "2026-12-32"];
const BAD_QUANTITIES = ["1.23456", 1.23456, "0.00001", "-1", -1, "1e3", 1e21, "0", 0, "1,5", "NaN", "Infinity", "", " 1", "1.", ".5", "0x10", "١"];
const TOP_LEVEL = ["[]", "null", "42", '"texte"', "true", "", " ", "{", "}", "{}}", "[{}]", "1e999", '{"a":1,}', "{'a':1}"];
const BAD_IDS = ["x".repeat(65), "x".repeat(3000), "00000000-0000-4000-8000-000000000000", "' OR 1=1 --", "ü€😀", "%00", "null", "-1", " ", "\u0000", "a/b"];

function jsonMutations(route: WriteRoute, base: unknown, maxJsonBytes: number): fc.Arbitrary<Req>[] {
  const schema = route.body!.schema;
  const all = slots(schema);
  const isObject = (v: unknown) => v !== null && typeof v === "object" && !Array.isArray(v);
  const parentIsObject = (p: Slot["path"]) => isObject(p.length === 1 ? base : getAt(base, p.slice(0, -1)));
  const required = all.filter((s) => s.required && parentIsObject(s.path));
  const strings = all.filter((s) => admittedTypes(s.schema).has("string") && s.schema.format !== "binary");
  const freeText = strings.filter((s) => !s.schema.enum && !s.schema.pattern && !isDateSlot(s) && !/email|url|siren|vat|quantity|Id$/i.test(s.name));
  const numbers = all.filter((s) => admittedTypes(s.schema).has("number") && s.name !== "quantity");
  const dates = all.filter(isDateSlot);
  const quantities = all.filter((s) => s.name === "quantity");
  const closed = closedObjects(schema).filter((p) => isObject(p.length ? getAt(base, p) : base));
  const text = jsonText(base);
  const arbs: fc.Arbitrary<Req>[] = [];

  if (all.length) {
    arbs.push(
      fc
        .constantFrom(...all)
        .chain((s) => fc.constantFrom(...wrongTypeValues(s.schema)).map((v) => ({ label: `wrong type at ${s.path.join(".")}: ${JSON.stringify(v)}`, body: jsonText(setAt(base, s.path, v)) }))),
    );
  }
  if (required.length) arbs.push(fc.constantFrom(...required).map((s) => ({ label: `missing ${s.path.join(".")}`, body: jsonText(deleteAt(base, s.path)) })));
  if (closed.length) {
    const name = fc.oneof(fc.constantFrom("__proto__", "constructor", "id", "companyId", "status", "number", "role", "isAdmin", "createdAt", "paidCents"), fc.string({ minLength: 1, maxLength: 30 }));
    arbs.push(
      fc.tuple(fc.constantFrom(...closed), name, fc.jsonValue({ maxDepth: 2 })).filter(([p, key]) => !(objectSchema(p.length ? schemaAt(schema, p) : schema)?.properties ?? {})[key]).map(([p, key, v]) => {
        const target = p.length ? getAt(base, p) : base;
        const extended = Object.defineProperty({ ...(target as object) }, key, { value: v, enumerable: true, configurable: true, writable: true });
        return { label: `unknown field ${[...p, key].join(".")}`, body: jsonText(p.length ? setAt(base, p, extended) : extended) };
      }),
    );
  }
  if (strings.length) {
    arbs.push(
      fc.tuple(fc.constantFrom(...strings), fc.integer({ min: 10_000, max: 400_000 }), fc.constantFrom("a", "é", "€", "😀", "a b ", "<script>")).map(([s, n, ch]) => ({
        label: `huge string (${n}×${JSON.stringify(ch)}) at ${s.path.join(".")}`,
        body: jsonText(setAt(base, s.path, ch.repeat(Math.max(n, (s.schema.maxLength ?? 0) + 1)))),
      })),
    );
  }
  if (numbers.length) {
    arbs.push(fc.constantFrom(...numbers).chain((s) => fc.constantFrom(...badNumbers(s)).map((v) => ({ label: `bad number at ${s.path.join(".")}: ${String(v)}`, body: jsonText(setAt(base, s.path, v)) }))));
  }
  if (dates.length) arbs.push(fc.tuple(fc.constantFrom(...dates), fc.constantFrom(...BAD_DATES)).map(([s, v]) => ({ label: `bad date at ${s.path.join(".")}: ${v}`, body: jsonText(setAt(base, s.path, v)) })));
  if (quantities.length) {
    arbs.push(fc.tuple(fc.constantFrom(...quantities), fc.constantFrom(...BAD_QUANTITIES)).map(([s, v]) => ({ label: `bad quantity at ${s.path.join(".")}: ${String(v)}`, body: jsonText(setAt(base, s.path, v)) })));
  }
  const utf8Targets = freeText.length ? freeText : strings;
  if (utf8Targets.length) {
    arbs.push(
      fc.tuple(fc.constantFrom(...utf8Targets), fc.constantFrom(...INVALID_UTF8)).map(([s, bad]) => {
        const current = getAt(base, s.path);
        const marked = jsonText(setAt(base, s.path, `${typeof current === "string" ? current : "Texte"}${MARK}`));
        const [before, after] = marked.split(MARK);
        return { label: `invalid UTF-8 ${[...bad].map((b) => b.toString(16)).join(" ")} in ${s.path.join(".")}`, body: concat(before!, bad, after!) };
      }),
      fc.tuple(fc.constantFrom(...utf8Targets), fc.constantFrom("\\ud800", "\\udfff", "a\\udc00b", "\\ud83d")).map(([s, escape]) => {
        const current = getAt(base, s.path);
        const marked = jsonText(setAt(base, s.path, `${typeof current === "string" ? current : "Texte"}${MARK}`));
        return { label: `lone surrogate ${escape} in ${s.path.join(".")}`, body: marked.replace(MARK, escape) };
      }),
    );
  }
  arbs.push(
    fc.constantFrom(null, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz", "application/xml", "text/json", "application/octet-stream").map((ct) => ({
      label: `content type ${ct ?? "(none)"}`,
      contentType: ct,
      body: text,
    })),
    fc.integer({ min: 0, max: Math.max(0, text.length - 1) }).map((cut) => ({ label: `truncated at ${cut}/${text.length}`, body: text.slice(0, cut) })),
    fc.constantFrom(...TOP_LEVEL).map((b) => ({ label: `top-level ${JSON.stringify(b)}`, body: b })),
    fc.integer({ min: 1, max: 4096 }).map((extra) => ({ label: `oversized (+${extra} bytes of whitespace)`, body: `${text.slice(0, -1)}${" ".repeat(maxJsonBytes - text.length + extra)}${text.slice(-1)}` })),
  );
  return arbs;
}

function schemaAt(schema: Schema, p: (string | number)[]): Schema {
  let s: Schema | undefined = schema;
  for (const k of p) {
    if (!s) break;
    s = typeof k === "number" ? (s.items ?? (s.anyOf ?? s.oneOf)?.find((x) => x.items)?.items) : objectSchema(s)?.properties?.[k];
  }
  return s ?? {};
}

// ---------- multipart ----------

interface Part {
  name: string;
  filename?: string | Uint8Array;
  type?: string;
  data: string | Uint8Array;
}

function multipart(parts: Part[], boundary = "----passerelle-fuzz"): { body: Uint8Array; contentType: string } {
  const chunks: (string | Uint8Array)[] = [];
  for (const p of parts) {
    chunks.push(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`);
    if (p.filename !== undefined) chunks.push('; filename="', p.filename, '"');
    chunks.push("\r\n");
    if (p.type) chunks.push(`Content-Type: ${p.type}\r\n`);
    chunks.push("\r\n", p.data, "\r\n");
  }
  chunks.push(`--${boundary}--\r\n`);
  return { body: concat(...chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

function multipartMutations(route: WriteRoute): fc.Arbitrary<Req>[] {
  const schema = route.body!.schema;
  const props = Object.entries(schema.properties ?? {});
  const fileFields = props.filter(([, s]) => s.format === "binary").map(([n]) => n);
  const textFields = props.filter(([, s]) => s.format !== "binary");
  const file = (name: string, data: Uint8Array = PDF): Part => ({ name, filename: "piece.pdf", type: "application/pdf", data });
  const baseParts: Part[] = fileFields.map((n) => file(n));
  const req = (label: string, parts: Part[], boundary?: string): Req => ({ label, ...multipart(parts, boundary) });
  const arbs: fc.Arbitrary<Req>[] = [];
  const required = schema.required ?? [];
  if (required.length) arbs.push(fc.constantFrom(...required).map((n) => req(`missing ${n}`, baseParts.filter((p) => p.name !== n))));
  if (fileFields.length) {
    arbs.push(
      fc.constantFrom(...fileFields).map((n) => req(`${n} sent as text`, [...baseParts.filter((p) => p.name !== n), { name: n, data: "%PDF-1.4 pas un fichier" }])),
      fc.uint8Array({ minLength: 0, maxLength: 2048 }).filter((b) => b[0] !== 0x25 && b[0] !== 0x89 && b[0] !== 0xff && b[0] !== 0x47 && b[0] !== 0x52 && b[0] !== 0x49 && b[0] !== 0x4d).map((bytes) =>
        req(`not a PDF nor an image (${bytes.length} bytes)`, [file(fileFields[0]!, bytes)]),
      ),
      fc.integer({ min: 1, max: 2048 }).map((extra) => req(`file ${MAX_UPLOAD + extra} bytes (limit ${MAX_UPLOAD})`, [file(fileFields[0]!, concat(PDF, new Uint8Array(MAX_UPLOAD + extra - PDF.length)))])),
      fc.integer({ min: 64 * 1024 + 1, max: 64 * 1024 + 4096 }).map((extra) => req(`body over the upload limit (+${extra})`, [file(fileFields[0]!, concat(PDF, new Uint8Array(MAX_UPLOAD + extra)))])),
    );
  }
  arbs.push(
    fc.string({ minLength: 1, maxLength: 20 }).filter((n) => !props.some(([p]) => p === n) && /^[\w.-]+$/.test(n)).map((n) => req(`unknown field ${n}`, [...baseParts, { name: n, data: "valeur" }])),
  );
  for (const [name, s] of textFields) {
    if (s.maxLength !== undefined) arbs.push(fc.integer({ min: s.maxLength + 1, max: 200_000 }).map((n) => req(`huge ${name} (${n})`, [...baseParts, { name, data: "é".repeat(n) }])));
    if (s.format === "uri" || /url/i.test(name)) arbs.push(fc.constantFrom("javascript:alert(1)", "ftp://example.fr/x", "pas une url", "http//example.fr", "file:///etc/passwd", "data:text/html,x").map((v) => req(`bad ${name}: ${v}`, [...baseParts, { name, data: v }])));
    arbs.push(fc.constantFrom(...INVALID_UTF8).map((bad) => req(`invalid UTF-8 in ${name}`, [...baseParts, { name, data: concat("Relevé ", bad, " fin") }])));
  }
  if (fileFields.length) arbs.push(fc.constantFrom(...INVALID_UTF8).map((bad) => req("invalid UTF-8 in a file name", [{ ...file(fileFields[0]!), filename: concat("fac", bad, ".pdf") }])));
  const good = multipart(baseParts);
  arbs.push(
    // The CRLF after the close delimiter is optional (RFC 2046 §5.1.1): cutting only that leaves a valid body.
    fc.integer({ min: 0, max: good.body.length - 3 }).map((cut) => ({ label: `truncated multipart at ${cut}/${good.body.length}`, contentType: good.contentType, body: good.body.slice(0, cut) })),
    fc.constantFrom(null, "application/json", "text/plain", "multipart/form-data", "multipart/form-data; boundary=autre-limite", "application/x-www-form-urlencoded").map((ct) => ({
      label: `multipart body sent as ${ct ?? "(no content type)"}`,
      contentType: ct,
      body: good.body,
    })),
    fc.constant({ label: "JSON instead of multipart", contentType: "application/json", body: JSON.stringify({ file: "JVBERi0xLjQ=", note: "x" }) }),
  );
  return arbs;
}

// ---------- common mutations ----------

function commonMutations(route: WriteRoute, f: Fixtures, params: Record<string, string>, base: Req): fc.Arbitrary<Req>[] {
  const arbs: fc.Arbitrary<Req>[] = [];
  if (route.pathParams.length) {
    arbs.push(
      fc.tuple(fc.constantFrom(...route.pathParams), fc.oneof(fc.constantFrom(...BAD_IDS), fc.uuid(), fc.string({ minLength: 1, maxLength: 100 }))).map(([name, value]) => ({
        ...base,
        label: `path ${name} = ${JSON.stringify(value).slice(0, 60)}`,
        params: { ...params, [name]: value },
      })),
    );
  }
  arbs.push(
    fc.constantFrom("Bearer", "Bearer ", `Bearer ${f.owner.token}x`, `Bearer ${f.owner.token.slice(0, -1)}`, `Basic ${Buffer.from("a:b").toString("base64")}`, f.owner.token, `Bearer ${f.owner.token} extra`, "Bearer psk_unknownkey0000000000000000000000").map((authorization) => ({
      ...base,
      label: `credentials ${JSON.stringify(authorization.slice(0, 24))}…`,
      authorization,
    })),
  );
  if (route.pathParams.includes("companyId")) arbs.push(fc.constant({ ...base, label: "a signed-in user who is not a member", token: f.stranger.token }));
  return arbs;
}

// ---------- sending and checking ----------

function urlFor(route: WriteRoute, params: Record<string, string>): string {
  return route.template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(params[name] ?? ""));
}

async function send(t: TestApp, route: WriteRoute, params: Record<string, string>, token: string | null, req: Req): Promise<Response> {
  // the API's own words; each answer is then translated as a French request gets it (see the last test)
  const headers: Record<string, string> = { "accept-language": "en" };
  if (req.authorization !== undefined) headers.authorization = req.authorization;
  else if ((req.token === undefined ? token : req.token) !== null) headers.authorization = `Bearer ${req.token ?? token}`;
  const contentType = req.contentType === undefined ? (route.body?.contentType.startsWith("multipart/") ? undefined : "application/json") : req.contentType;
  if (contentType) headers["content-type"] = contentType;
  const request = t.app.request(urlFor(route, req.params ?? params), { method: route.method.toUpperCase(), headers, body: req.body as string | Uint8Array<ArrayBuffer> | undefined });
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within 10 s: ${req.label}`)), 10_000)));
  try {
    return await Promise.race([request, hang]);
  } finally {
    clearTimeout(timer);
  }
}

/** Everything stored: every row of every table, and the documents on disk. */
/** Each table's read-back statement, made once per database (the schema does not change during a run). */
const catalogs = new WeakMap<object, { table: string; count: string; rows: string }[]>();
function catalog(t: TestApp) {
  let tables = catalogs.get(t.deps.db);
  if (!tables) {
    tables = tableNames(t.deps.db).map((table) => {
      // every column in the order (some tables have no rowid)
      const order = columnNames(t.deps.db, table).map((_, i) => i + 1).join(", ");
      return { table, count: `SELECT COUNT(*) FROM "${table}"`, rows: `SELECT * FROM "${table}" ORDER BY ${order}` };
    });
    catalogs.set(t.deps.db, tables);
  }
  return tables;
}

function fingerprint(t: TestApp): string {
  const hash = createHash("sha256");
  for (const { table, rows } of catalog(t)) {
    hash.update(`\n#${table}\n`);
    for (const row of t.deps.db.prepare(rows).raw().all() as unknown[][]) hash.update(JSON.stringify(row, (_, v) => (typeof v === "bigint" ? String(v) : v)));
  }
  const docs = path.join(t.dataDir, "documents");
  if (fs.existsSync(docs)) for (const f of fs.readdirSync(docs, { recursive: true }).map(String).sort()) hash.update(`file:${f}`);
  return hash.digest("hex");
}

function rowCounts(t: TestApp): Record<string, number> {
  return Object.fromEntries(catalog(t).map(({ table, count }) => [table, t.deps.db.prepare(count).pluck().get() as number]));
}

const PUBLIC = new Set(["POST /api/v1/auth/signup", "POST /api/v1/auth/signup/confirm", "POST /api/v1/auth/login", "POST /api/v1/invitations/accept"]);
/** The accountant's layer is written by the accountant; everything else by the owner. */
const ACCOUNTANT_LAYER = /\/companies\/\{companyId\}\/(locks|accounting|journal-queries)(\/|$)/;

function tokenFor(route: WriteRoute, f: Fixtures): string | null {
  if (PUBLIC.has(route.key)) return null;
  return ACCOUNTANT_LAYER.test(route.template) ? f.accountant.token : f.owner.token;
}

// ---------- the suites ----------

const probe = newApp();
const routes = writeRoutes(await (await probe.app.request("/openapi.json")).json());

describe("bad input on every write route (from /openapi.json)", () => {
  it("finds the write routes", () => {
    expect(routes.length).toBeGreaterThanOrEqual(15);
    expect(routes.map((r) => r.key)).toEqual(expect.arrayContaining(["POST /api/v1/companies/{companyId}/invoices", "POST /api/v1/companies/{companyId}/payments", "POST /api/v1/companies/{companyId}/documents"]));
  });

  const t = newApp();
  const ready = fixtures(t);
  const stats = new Map<string, Map<number, number>>();

  for (const route of routes) {
    it(`${route.key}: 4xx problem+json, nothing stored`, { timeout: 120_000 }, async () => {
      const f = await ready;
      const params = pathIds(t, f, route);
      const token = tokenFor(route, f);
      const base: Req = { label: "valid" };
      let arbs: fc.Arbitrary<Req>[] = [];
      if (route.body?.contentType.startsWith("multipart/")) arbs = multipartMutations(route);
      else if (route.body) {
        const body = validBody(route, f);
        base.body = jsonText(body);
        arbs = jsonMutations(route, body, t.deps.config.maxJsonBytes);
      }
      arbs.push(...commonMutations(route, f, params, base));
      const before = fingerprint(t);
      const counts = rowCounts(t);
      const seen = new Map<number, number>();
      stats.set(route.key, seen);
      // A failure may leave the database changed, which fails every later case too: report the first one.
      let first: string | undefined;
      const property = fc.asyncProperty(fc.oneof(...arbs), async (req) => {
        const res = await send(t, route, params, token, req);
        const text = await res.text();
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        const where = `${route.key} ← ${req.label}: ${res.status} ${text.slice(0, 300)}`;
        try {
          expect(res.status, where).toBeGreaterThanOrEqual(400);
          expect(res.status, where).toBeLessThan(500);
          expect(res.headers.get("content-type"), where).toMatch(/^application\/problem\+json/);
          const problem = JSON.parse(text);
          noteUntranslated(problem, where);
          expect(problem.status, where).toBe(res.status);
          expect(typeof problem.title, where).toBe("string");
          expect(rowCounts(t), where).toEqual(counts);
          expect(fingerprint(t), where).toBe(before);
        } catch (error) {
          first ??= where;
          throw error;
        }
      });
      await fc.assert(property, { numRuns: RUNS, endOnFailure: true }).catch((error: Error) => {
        throw new Error(`first failing case: ${first}\n${error.message}`);
      });
    });
  }

  it("prints what the routes answered", () => {
    const lines = [...stats].map(([key, seen]) => `${key}: ${[...seen].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(" ")}`);
    console.log(`[reliability] bad input: ${routes.length} write routes × ${RUNS} cases\n  ${lines.join("\n  ")}`);
    expect(stats.size).toBe(routes.length);
  });

  it("every problem met here reads in French: each rule, title and field is in the catalogue", () => {
    expect(Object.fromEntries(untranslated)).toEqual({});
  });
});

/** The bodies the mutations start from are accepted as they are: each 4xx above comes from the mutation. */
describe("control: the unmutated requests succeed", () => {
  for (const route of routes) {
    it(`${route.key} accepts its valid example`, async () => {
      const t = newApp();
      const f = await fixtures(t);
      const params = pathIds(t, f, route);
      const token = tokenFor(route, f);
      let req: Req = { label: "valid" };
      if (route.body?.contentType.startsWith("multipart/")) {
        const parts = Object.entries(route.body.schema.properties ?? {})
          .filter(([, s]) => s.format === "binary")
          .map(([name]) => ({ name, filename: "piece.pdf", type: "application/pdf", data: PDF }));
        req = { label: "valid", ...multipart(parts) };
      } else if (route.body) req = { label: "valid", body: jsonText(validBody(route, f)) };
      const res = await send(t, route, params, token, req);
      expect(res.status, `${route.key}: ${await res.clone().text()}`).toBeLessThan(300);
    });
  }
});
