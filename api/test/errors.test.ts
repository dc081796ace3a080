import { describe, expect, it } from "vitest";
import { createTestApp, expectProblem, ownerWithCompany } from "./helpers.js";

const JSON_TYPE = { "content-type": "application/json" };

describe("errors are problem+json and never a 500 for client input", () => {
  it("malformed JSON → 400", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    for (const body of ["{bad", '{"name": "x",}', "", "{'name': 'x'}"]) {
      const problem = expectProblem(await t.call("POST", `/companies/${o.companyId}/customers`, { token: o.token, body, headers: JSON_TYPE }), 400);
      expect(problem).toEqual({ type: "about:blank", title: "Bad Request", status: 400, detail: "Malformed JSON in request body" });
    }
    expectProblem(await t.call("POST", "/auth/login", { body: "{", headers: JSON_TYPE }), 400);
  });

  it("a JSON route given another content type (or none) → 415", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const body = JSON.stringify({ name: "x", address: "1 rue A, 69001 Lyon" });
    for (const headers of [{ "content-type": "text/plain" }, { "content-type": "application/x-www-form-urlencoded" }, {} as Record<string, string>]) {
      const problem = expectProblem(await t.call("POST", `/companies/${o.companyId}/customers`, { token: o.token, body, headers }), 415);
      expect(problem.title).toBe("Unsupported Media Type");
    }
    const form = new FormData();
    form.set("name", "x");
    expectProblem(await t.call("POST", `/companies/${o.companyId}/customers`, { token: o.token, body: form }), 415);
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM customers WHERE company_id = ?").pluck().get(o.companyId)).toBe(1);
  });

  it("a body over 1 MB → 413, declared or streamed", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const big = JSON.stringify({ name: "x", address: "a".repeat(1024 * 1024) });
    const declared = expectProblem(await t.call("POST", `/companies/${o.companyId}/customers`, { token: o.token, body: big, headers: JSON_TYPE }), 413);
    expect(declared.detail).toBe("The request body exceeds 1048576 bytes.");
    // without a Content-Length: the limit applies while reading
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 20; i++) controller.enqueue(new TextEncoder().encode(" ".repeat(64 * 1024)));
        controller.close();
      },
    });
    const res = await t.app.request(`/api/v1/companies/${o.companyId}/customers`, {
      method: "POST",
      headers: { ...JSON_TYPE, authorization: `Bearer ${o.token}` },
      body: stream,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
    // just under the limit is read (and judged on its content)
    const fits = JSON.stringify({ name: "x", address: "a".repeat(600) }).padEnd(1024 * 1024 - 10, " ");
    expectProblem(await t.call("POST", `/companies/${o.companyId}/customers`, { token: o.token, body: fits, headers: JSON_TYPE }), 422, "address");
  });

  it("numbers JSON can carry but money cannot (1e308, 1.5 cents, strings, NaN-ish) → 422 naming the field", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const url = `/companies/${o.companyId}/products`;
    const product = (price: string) => `{"name":"p","unitPriceCents":${price},"vatRateBp":2000,"kind":"goods"}`;
    for (const price of ["1e308", "-1e308", "1.5", "1e-7", '"NaN"', '"Infinity"', "null", "100000000000", "9007199254740993"]) {
      const problem = expectProblem(await t.call("POST", url, { token: o.token, body: product(price), headers: JSON_TYPE }), 422, "unitPriceCents");
      expect(problem.type).toBe("https://passerelle.dev/problems/validation");
    }
    // NaN and Infinity are not JSON at all
    expectProblem(await t.call("POST", url, { token: o.token, body: product("NaN"), headers: JSON_TYPE }), 400);
    expectProblem(await t.call("POST", url, { token: o.token, body: product("Infinity"), headers: JSON_TYPE }), 400);
    // the largest amount accepted is 999 999 999,99 €
    expect((await t.call("POST", url, { token: o.token, body: product("99999999999"), headers: JSON_TYPE })).status).toBe(201);
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM products").pluck().get()).toBe(1);
  });

  it("bodies of the wrong shape → 422, never a 500", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const url = `/companies/${o.companyId}/customers`;
    for (const body of ["[1,2]", "null", '"text"', "42", '{"name":{"first":"x"},"address":"a"}', '{"__proto__":{"admin":true},"name":"x","address":"a"}']) {
      expectProblem(await t.call("POST", url, { token: o.token, body, headers: JSON_TYPE }), 422);
    }
    const proto = expectProblem(await t.call("POST", url, { token: o.token, body: '{"name":"x","address":"a","constructor":{"prototype":{}}}', headers: JSON_TYPE }), 422, "constructor");
    expect(proto.detail).toBe("constructor: is not a known field");
    expectProblem(await t.call("GET", `/companies/${o.companyId}/invoices?limit=abc`, { token: o.token }), 422, "limit");
    expectProblem(await t.call("GET", `/companies/${o.companyId}/invoices?cursor=${"x".repeat(201)}`, { token: o.token }), 422, "cursor");
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM customers WHERE company_id = ?").pluck().get(o.companyId)).toBe(1);
  });

  it("unknown routes → 404 problem+json (401 under the API without credentials), other methods of a known path → 405 with Allow", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const a = expectProblem(await t.call("GET", "/api/v1/nothing-here", { token: o.token }), 404);
    expect(a.detail).toBe("No route for GET /api/v1/nothing-here.");
    expectProblem(await t.call("GET", "/nothing-here"), 401);
    expectProblem(await t.call("GET", "/api/v2/health"), 404);
    const del = await t.call("DELETE", `/companies/${o.companyId}`, { token: o.token });
    expect(expectProblem(del, 405).detail).toBe("DELETE is not allowed here; this path answers GET, HEAD, PATCH.");
    expect(del.headers.get("allow")).toBe("GET, HEAD, PATCH");
    const put = await t.call("PUT", `/companies/${o.companyId}/customers/${o.customerId}`, { token: o.token, body: {} });
    expect(put.headers.get("allow")).toBe("GET, HEAD, PATCH");
    expectProblem(put, 405);
    const health = await t.call("POST", "/health");
    expect(health.headers.get("allow")).toBe("GET, HEAD");
    expectProblem(health, 405);
  });

  it("every error carries type, title and status, and validation errors name each field", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const res = await t.call("POST", `/companies/${o.companyId}/invoices`, {
      token: o.token,
      body: { customerId: o.customerId, lines: [{ description: "", quantity: "1.23456", unitPriceCents: -1, vatRateBp: 1234, kind: "other" }] },
    });
    const problem = expectProblem(res, 422);
    expect(problem.title).toBe("Invalid json");
    expect(problem.errors!.map((e) => e.path).sort()).toEqual(["lines.0.description", "lines.0.kind", "lines.0.quantity", "lines.0.unitPriceCents", "lines.0.vatRateBp"]);
    expect(problem.detail).toContain("lines.0.quantity: must be a positive decimal with at most 4 decimals");
    for (const e of problem.errors!) expect(e.message.length).toBeGreaterThan(5);
  });
});
