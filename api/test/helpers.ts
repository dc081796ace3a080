/** Test harness: a real app on an in-memory database, driven through app.request() as a client would. */
import os from "node:os";
import path from "node:path";
import fs from "node:fs";
import { afterAll } from "vitest";
import { createApp } from "../src/app.js";
import { createDeps } from "../src/deps.js";
import { testConfig, type Config } from "../src/config.js";
import { fixedClock } from "../src/clock.js";
import type { Deps } from "../src/context.js";
import { createMailer } from "../src/mail/mailer.js";
import type { CompanyInput, CustomerInput, InvoiceDraftInput, ProductInput } from "@passerelle/shared";
import { signUpThroughMail, type SignupFields } from "./signup-flow.js";
import { localizeProblem, type ProblemBody } from "@passerelle/shared/problem-i18n";

export type TestApp = ReturnType<typeof createTestApp>;

/**
 * The test apps' databases, closed when their test file ends: on a PostgreSQL server each holds a
 * connection (and one listening for other processes' changes), and a file may make a hundred apps.
 */
const openDatabases: Deps["db"][] = [];
afterAll(() => {
  for (const db of openDatabases.splice(0)) if (db.open) db.close();
});

export function createTestApp(options: { now?: string; config?: Partial<Config> } = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-test-"));
  const clock = fixedClock(options.now ?? "2026-11-20T10:00:00Z");
  const config = testConfig({ dataDir, ...options.config });
  // what the outbox would print in the server log, kept here so that every sign-up does not print
  const mailLog: string[] = [];
  const deps: Deps = createDeps(config, { clock, mailer: createMailer(config, (line) => mailLog.push(line)) });
  const app = createApp(deps);
  openDatabases.push(deps.db);

  async function call(method: string, url: string, init: { token?: string | undefined; body?: unknown; headers?: Record<string, string> } = {}) {
    // English unless a test asks for another language, so that English assertions say what they mean
    const headers: Record<string, string> = { "accept-language": "en", ...init.headers };
    if (init.token) headers.authorization = `Bearer ${init.token}`;
    let body: FormData | string | undefined;
    if (init.body instanceof FormData || typeof init.body === "string") body = init.body;
    else if (init.body !== undefined) {
      headers["content-type"] ??= "application/json";
      body = JSON.stringify(init.body);
    }
    const response = await app.request(apiUrl(url), { method, headers, body });
    const text = await response.text();
    let json: any = undefined;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    if (response.headers.get("content-type")?.startsWith("application/problem+json") && response.headers.get("content-language") === "en") noteUntranslated(json, `${method} ${url}`);
    return { status: response.status, headers: response.headers, json, text };
  }

  return { app, deps, clock, dataDir, call, mailLog };
}

/**
 * What the French catalogue does not know of the problems met so far in a test file (each English
 * problem is translated as a French request would get it), with where each was first met.
 */
export const untranslated = new Map<string, string>();

export function noteUntranslated(problem: unknown, where: string): void {
  if (!problem || typeof problem !== "object" || typeof (problem as ProblemBody).title !== "string") return;
  for (const miss of localizeProblem(problem as ProblemBody, "fr").misses) if (!untranslated.has(miss)) untranslated.set(miss, where);
}

/** Paths outside the API base (`/health`, `/docs`, `/invite/…`, `/signup/…`, `/addin/…`) are used as they are. */
export function apiUrl(url: string): string {
  return /^\/(api\/|health|openapi\.json|docs|invite\/|signup\/|addin\/)/.test(url) ? url : `/api/v1${url}`;
}

let userCounter = 0;

/** Signs up `fields` through the confirmation e-mail; returns the session. */
export function signUp(t: TestApp, fields: SignupFields) {
  return signUpThroughMail((url, body) => t.call("POST", url, { body }), t.deps.config.dataDir, fields);
}

/** Signs up a fresh owner and returns their token. */
export async function signupOwner(t: TestApp, name = "Owner") {
  const email = `owner${++userCounter}-${Date.now()}@example.fr`;
  const session = await signUp(t, { email, password: "correct horse battery", name });
  return { token: session.token, user: session.user, email };
}

export const COMPANY: CompanyInput = {
  name: "Atelier Test SARL",
  siren: "853904811",
  vatNumber: "FR26853904811",
  address: { line1: "14 rue des Tanneurs", postalCode: "69002", city: "Lyon", country: "FR" },
  legalForm: "SARL",
  capital: "10 000 €",
  rcsCity: "Lyon",
  fiscalYearStart: "01-01",
};

export const CUSTOMER: CustomerInput = {
  name: "Boulangerie Dupont",
  siren: "401234562",
  vatNumber: "FR46401234562",
  address: "3 place des Terreaux, 69001 Lyon",
  category: "Professionnels",
};

/** An owner with one company and one customer, ready to invoice. */
export async function ownerWithCompany(t: TestApp) {
  const owner = await signupOwner(t);
  const company = await t.call("POST", "/companies", { token: owner.token, body: COMPANY });
  if (company.status !== 201) throw new Error(`company failed: ${company.text}`);
  const companyId = company.json.id as string;
  const customer = await t.call("POST", `/companies/${companyId}/customers`, { token: owner.token, body: CUSTOMER });
  return { ...owner, companyId, customerId: customer.json.id as string };
}

export function draftBody(customerId: string, lines?: InvoiceDraftInput["lines"]): InvoiceDraftInput {
  return {
    customerId,
    lines: lines ?? [
      { description: "Étude d'éclairage", quantity: "3", unitPriceCents: 1001, vatRateBp: 2000, kind: "services" },
    ],
  };
}

/** Creates and issues an invoice; returns the issued invoice JSON. */
export async function issuedInvoice(t: TestApp, o: { token: string; companyId: string; customerId: string }, issueDate = "2026-11-02", lines?: InvoiceDraftInput["lines"]) {
  const draft = await t.call("POST", `/companies/${o.companyId}/invoices`, { token: o.token, body: draftBody(o.customerId, lines) });
  if (draft.status !== 201) throw new Error(`draft failed: ${draft.text}`);
  const issued = await t.call("POST", `/companies/${o.companyId}/invoices/${draft.json.id}/issue`, { token: o.token, body: { issueDate } });
  if (issued.status !== 200) throw new Error(`issue failed: ${issued.text}`);
  return issued.json;
}

export const PRODUCT: ProductInput = { name: "Suspension laiton", unitPriceCents: 18900, vatRateBp: 2000, kind: "goods", category: "Luminaires" };

/** Asserts an application/problem+json answer with this status (and, when given, an error on `path`); returns the body. */
export function expectProblem(res: { status: number; headers: Headers; json: any; text: string }, status: number, path?: string) {
  const where = `${res.status} ${res.text.slice(0, 300)}`;
  if (res.status !== status) throw new Error(`expected ${status}, got ${where}`);
  if (!res.headers.get("content-type")?.startsWith("application/problem+json")) throw new Error(`not problem+json: ${res.headers.get("content-type")}`);
  if (typeof res.json?.type !== "string" || typeof res.json?.title !== "string" || res.json?.status !== status) {
    throw new Error(`problem without type/title/status: ${where}`);
  }
  if (path !== undefined && !(res.json.errors ?? []).some((e: { path: string }) => e.path === path)) {
    throw new Error(`expected an error on "${path}", got ${where}`);
  }
  return res.json as { type: string; title: string; status: number; detail?: string; errors?: { path: string; message: string }[] };
}
