/**
 * Authentication comes before anything reads the request: every route /openapi.json declares with
 * `security`, asked without credentials, answers 401 however wrong its body, query or path is — a
 * caller who is not signed in learns nothing about the input rules, and no input is parsed for them.
 * The routes come from the document, so routes added later are covered too.
 */
import { describe, expect, it } from "vitest";
import { createTestApp } from "../helpers.js";

const t = createTestApp({ config: { maxJsonBytes: 4096 } });
const doc = (await (await t.app.request("/openapi.json")).json()) as { paths: Record<string, Record<string, any>> };

interface Operation {
  method: string;
  template: string;
  bodyType: string | undefined;
  /** Feeds, read by spreadsheets, ask for HTTP Basic credentials (an API key as the password). */
  basic: boolean;
}

const secured: Operation[] = [];
const open: string[] = [];
for (const [template, ops] of Object.entries(doc.paths)) {
  if (!template.startsWith("/api/v1/")) continue;
  for (const [method, op] of Object.entries<any>(ops)) {
    if (op.security?.length) secured.push({
        method: method.toUpperCase(),
        template,
        bodyType: Object.keys(op.requestBody?.content ?? {})[0],
        basic: op.security.some((s: Record<string, unknown>) => "feedBasicAuth" in s),
      });
    else open.push(`${method.toUpperCase()} ${template}`);
  }
}

/** Requests that would each be refused for their input (400, 404, 413, 415, 422) if a caller were signed in. */
function invalidRequests(op: Operation): { label: string; url: string; init: RequestInit }[] {
  const url = op.template.replace(/\{(\w+)\}/g, "00000000-0000-4000-8000-000000000000");
  const longIds = op.template.replace(/\{(\w+)\}/g, "x".repeat(300));
  const requests = [
    { label: "ids of 300 characters", url: longIds, init: {} as RequestInit },
    { label: "unknown query parameter", url: `${url}?limit=abc&from=2026-02-30&nope=1`, init: {} },
  ];
  if (op.method !== "GET") {
    const json = { "content-type": "application/json" };
    requests.push(
      { label: "malformed JSON", url, init: { headers: json, body: '{"name": ' } },
      { label: "unknown and mistyped fields", url, init: { headers: json, body: JSON.stringify({ unknownField: 1, name: 42, amountCents: "x" }) } },
      { label: "wrong content type", url, init: { headers: { "content-type": "text/plain" }, body: "bonjour" } },
      { label: "invalid UTF-8", url, init: { headers: json, body: new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]) } },
      { label: "body over the limit", url, init: { headers: json, body: `{"name":"${"a".repeat(8192)}"}` } },
      { label: "broken multipart", url, init: { headers: { "content-type": "multipart/form-data; boundary=x" }, body: "--x\r\nnot a part" } },
    );
  }
  return requests.map((r) => ({ ...r, init: { ...r.init, method: op.method } }));
}

describe("authentication before input validation", () => {
  it("reads the secured and the public routes from /openapi.json", () => {
    expect(secured.length).toBeGreaterThanOrEqual(60);
    expect(open.sort()).toEqual(["POST /api/v1/auth/login", "POST /api/v1/auth/signup", "POST /api/v1/auth/signup/confirm", "POST /api/v1/invitations/accept"]);
  });

  for (const op of secured) {
    it(`${op.method} ${op.template} without credentials: 401 whatever the input`, async () => {
      for (const req of invalidRequests(op)) {
        const res = await t.app.request(req.url, req.init);
        const where = `${op.method} ${op.template} ← ${req.label}`;
        expect(res.status, `${where}: ${await res.clone().text()}`).toBe(401);
        expect(res.headers.get("content-type"), where).toBe("application/problem+json; charset=utf-8");
        expect(res.headers.get("www-authenticate"), where).toBe(op.basic ? 'Basic realm="Passerelle feeds", charset="UTF-8"' : 'Bearer realm="passerelle"');
        // no Accept-Language: French
        expect(await res.json(), where).toEqual({
          type: "about:blank",
          title: "Connexion requise",
          status: 401,
          detail: op.basic ? "Un flux demande des identifiants : n'importe quel nom d'utilisateur, et une clé d'API en lecture seule (psk_…) comme mot de passe." : "Connectez-vous d'abord.",
        });
      }
    });
  }

  it("an unknown path under the API asks for credentials too (fail closed)", async () => {
    const res = await t.app.request("/api/v1/not-a-route", { method: "POST", headers: { "content-type": "application/json" }, body: "{" });
    expect(res.status).toBe(401);
  });

  it("public routes still validate their input without credentials", async () => {
    const res = await t.app.request("/api/v1/auth/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: "x" }) });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { errors: { path: string }[] }).errors.map((e: { path: string }) => e.path)).toEqual(["email", "password"]);
  });
});
