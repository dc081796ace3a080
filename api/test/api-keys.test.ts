import { beforeEach, describe, expect, it, vi } from "vitest";
import { createHash } from "node:crypto";
import { COMPANY, createTestApp, issuedInvoice, ownerWithCompany, type TestApp } from "./helpers.js";

const sha256 = (v: string) => createHash("sha256").update(v).digest("hex");

beforeEach(() => {
  vi.spyOn(console, "log").mockImplementation(() => {});
  return () => vi.restoreAllMocks();
});

async function createKey(t: TestApp, token: string, body: Record<string, unknown>) {
  const res = await t.call("POST", "/api-keys", { token, body });
  if (res.status !== 201) throw new Error(`key failed: ${res.text}`);
  return res.json as { id: string; secret: string; prefix: string; scope: string; companyId: string | null };
}

describe("API keys", () => {
  it("shows the secret once (psk_ + 32 random bytes), stores only its SHA-256 and lists keys without it", async () => {
    const t = createTestApp();
    const owner = await ownerWithCompany(t);
    const res = await t.call("POST", "/api-keys", { token: owner.token, body: { name: "Export nocturne", scope: "read" } });
    expect(res.status).toBe(201);
    expect(res.json.secret).toMatch(/^psk_[A-Za-z0-9_-]{43}$/);
    expect(res.json).toMatchObject({ name: "Export nocturne", scope: "read", companyId: null, prefix: res.json.secret.slice(0, 10), createdAt: "2026-11-20T10:00:00.000Z", lastUsedAt: null });

    const row = t.deps.db.prepare("SELECT * FROM api_keys WHERE id = ?").get(res.json.id) as Record<string, unknown>;
    expect(row.secret_hash).toBe(sha256(res.json.secret));
    expect(JSON.stringify(row)).not.toContain(res.json.secret.slice(10));

    const list = await t.call("GET", "/api-keys", { token: owner.token });
    expect(list.json.items).toHaveLength(1);
    expect(list.json.items[0]).not.toHaveProperty("secret");
    expect(list.json.items[0].id).toBe(res.json.id);
  });

  it("authenticates as its user, records when it was last used, and a read key can only GET", async () => {
    const t = createTestApp();
    const owner = await ownerWithCompany(t);
    await issuedInvoice(t, owner);
    const key = await createKey(t, owner.token, { name: "lecture", scope: "read" });
    const invoices = await t.call("GET", `/companies/${owner.companyId}/invoices`, { token: key.secret });
    expect(invoices.status).toBe(200);
    expect(invoices.json.items).toHaveLength(1);
    t.clock.advance(90_000);
    await t.call("GET", "/me", { token: key.secret });
    const listed = await t.call("GET", "/api-keys", { token: owner.token });
    expect(listed.json.items[0].lastUsedAt).toBe("2026-11-20T10:01:30.000Z");

    for (const [method, path, body] of [
      ["POST", `/companies/${owner.companyId}/customers`, { name: "X", address: "1 rue X, 75001 Paris" }],
      ["PATCH", `/companies/${owner.companyId}`, { name: "Renamed" }],
      ["POST", "/companies", COMPANY],
      ["POST", `/companies/${owner.companyId}/webhooks`, { url: "https://example.fr/hook", events: ["invoice.issued"] }],
      ["POST", `/companies/${owner.companyId}/invitations`, { email: "x@y.fr" }],
    ] as const) {
      const res = await t.call(method, path, { token: key.secret, body });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.json.detail).toBe("This API key is read-only: it can only read (GET). Create a key with scope `write` to change data.");
    }
    // a write key writes the owner's layer like its user
    const write = await createKey(t, owner.token, { name: "écriture", scope: "write" });
    const created = await t.call("POST", `/companies/${owner.companyId}/customers`, { token: write.secret, body: { name: "Client API", address: "1 rue X, 75001 Paris" } });
    expect(created.status).toBe(201);
  });

  it("limited to one company, sees only that company (others answer 404) and cannot create companies", async () => {
    const t = createTestApp();
    const owner = await ownerWithCompany(t);
    const second = await t.call("POST", "/companies", { token: owner.token, body: { ...COMPANY, name: "Seconde SAS" } });
    const key = await createKey(t, owner.token, { name: "une seule", scope: "write", companyId: owner.companyId });
    expect(key.companyId).toBe(owner.companyId);
    expect((await t.call("GET", `/companies/${owner.companyId}/customers`, { token: key.secret })).status).toBe(200);
    const other = await t.call("GET", `/companies/${second.json.id}/customers`, { token: key.secret });
    expect(other.status).toBe(404);
    expect(other.json.detail).toBe("This company does not exist or is not visible to you.");
    const companies = await t.call("GET", "/companies", { token: key.secret });
    expect(companies.json.items.map((c: { id: string }) => c.id)).toEqual([owner.companyId]);
    const me = await t.call("GET", "/me", { token: key.secret });
    expect(me.json.memberships.map((m: { companyId: string }) => m.companyId)).toEqual([owner.companyId]);
    const create = await t.call("POST", "/companies", { token: key.secret, body: COMPANY });
    expect(create.status).toBe(403);
  });

  it("can be limited only to a company its user belongs to", async () => {
    const t = createTestApp();
    const owner = await ownerWithCompany(t);
    const stranger = await ownerWithCompany(t);
    const res = await t.call("POST", "/api-keys", { token: owner.token, body: { name: "x", scope: "read", companyId: stranger.companyId } });
    expect(res.status).toBe(422);
    expect(res.json.errors).toEqual([{ path: "companyId", message: "is not a company you belong to" }]);
    const badScope = await t.call("POST", "/api-keys", { token: owner.token, body: { name: "x", scope: "admin" } });
    expect(badScope.status).toBe(422);
    expect(badScope.json.errors[0].path).toBe("scope");
  });

  it("stops working the moment it is revoked; only its user revokes it; keys cannot manage keys", async () => {
    const t = createTestApp();
    const owner = await ownerWithCompany(t);
    const other = await ownerWithCompany(t);
    const key = await createKey(t, owner.token, { name: "script", scope: "write" });
    expect((await t.call("GET", "/api-keys", { token: key.secret })).status).toBe(403);
    expect((await t.call("POST", "/api-keys", { token: key.secret, body: { name: "child", scope: "write" } })).status).toBe(403);
    expect((await t.call("DELETE", `/api-keys/${key.id}`, { token: key.secret })).status).toBe(403);
    expect((await t.call("DELETE", `/api-keys/${key.id}`, { token: other.token })).status).toBe(404);
    expect((await t.call("GET", "/me", { token: key.secret })).status).toBe(200);
    expect((await t.call("DELETE", `/api-keys/${key.id}`, { token: owner.token })).status).toBe(204);
    const after = await t.call("GET", "/me", { token: key.secret });
    expect(after.status).toBe(401);
    expect(after.json.detail).toBe("This token is unknown, expired or revoked. Sign in again.");
    expect((await t.call("GET", "/api-keys", { token: owner.token })).json.items).toEqual([]);
    expect((await t.call("DELETE", `/api-keys/${key.id}`, { token: owner.token })).status).toBe(404);
  });

  it("is described in the OpenAPI document as the bearer scheme", async () => {
    const t = createTestApp();
    const doc = (await t.call("GET", "/openapi.json")).json;
    expect(doc.components.securitySchemes.bearerAuth.scheme).toBe("bearer");
    expect(doc.components.securitySchemes.bearerAuth.description).toContain("psk_");
    expect(doc.paths["/api/v1/api-keys"].post.security).toEqual([{ bearerAuth: [] }]);
  });
});
