import { beforeEach, describe, expect, it, vi } from "vitest";
import { COMPANY, createTestApp, ownerWithCompany } from "./helpers.js";
import { ACCOUNTANT_PASSWORD, invite, invitedAccountant } from "./access-helpers.js";

beforeEach(() => {
  vi.spyOn(console, "log").mockImplementation(() => {});
  return () => vi.restoreAllMocks();
});

describe("the company's accountants", () => {
  it("are listed for the owner with who invited them and since when", async () => {
    const t = createTestApp();
    const owner = await ownerWithCompany(t);
    const a = await invitedAccountant(t, owner, "Zoé Audit");
    const b = await invitedAccountant(t, owner, "Alain Bilan");
    const list = await t.call("GET", `/companies/${owner.companyId}/accountants`, { token: owner.token });
    expect(list.status).toBe(200);
    expect(list.json.items).toEqual([
      { userId: b.user.id, name: "Alain Bilan", email: b.email, since: "2026-11-20T10:00:00.000Z", invitedBy: { id: owner.user.id, name: "Owner" } },
      { userId: a.user.id, name: "Zoé Audit", email: a.email, since: "2026-11-20T10:00:00.000Z", invitedBy: { id: owner.user.id, name: "Owner" } },
    ]);
    expect((await t.call("GET", `/companies/${owner.companyId}/accountants`, { token: a.token })).status).toBe(403);
  });

  it("removal is immediate: sessions, company-limited keys and the accountant's webhooks stop; other companies are untouched", async () => {
    const t = createTestApp();
    const owner = await ownerWithCompany(t);
    const other = await ownerWithCompany(t);
    const accountant = await invitedAccountant(t, owner);
    const { token: otherInvite } = await invite(t, other, accountant.email);
    expect((await t.call("POST", "/invitations/accept", { body: { token: otherInvite, password: ACCOUNTANT_PASSWORD } })).status).toBe(200);

    const limited = await t.call("POST", "/api-keys", { token: accountant.token, body: { name: "client", scope: "read", companyId: owner.companyId } });
    const global = await t.call("POST", "/api-keys", { token: accountant.token, body: { name: "cabinet", scope: "read" } });
    const hook = await t.call("POST", `/companies/${owner.companyId}/webhooks`, {
      token: accountant.token,
      body: { url: "https://cabinet.example/hook", events: ["invoice.issued"] },
    });
    expect(hook.status).toBe(201);
    expect((await t.call("GET", `/companies/${owner.companyId}/invoices`, { token: limited.json.secret })).status).toBe(200);

    const removed = await t.call("DELETE", `/companies/${owner.companyId}/accountants/${accountant.user.id}`, { token: owner.token });
    expect(removed.status).toBe(204);

    const viaSession = await t.call("GET", `/companies/${owner.companyId}/invoices`, { token: accountant.token });
    expect(viaSession.status).toBe(404);
    expect((await t.call("GET", `/companies/${owner.companyId}`, { token: accountant.token })).status).toBe(404);
    expect((await t.call("GET", "/me", { token: limited.json.secret })).status).toBe(401);
    expect((await t.call("GET", `/companies/${owner.companyId}/invoices`, { token: global.json.secret })).status).toBe(404);
    expect((await t.call("GET", `/companies/${other.companyId}/invoices`, { token: global.json.secret })).status).toBe(200);
    expect((await t.call("GET", `/companies/${other.companyId}/invoices`, { token: accountant.token })).status).toBe(200);
    const me = await t.call("GET", "/me", { token: accountant.token });
    expect(me.json.memberships).toEqual([{ companyId: other.companyId, companyName: COMPANY.name, role: "accountant" }]);
    expect((await t.call("GET", `/companies/${owner.companyId}/webhooks`, { token: owner.token })).json.items).toEqual([]);
    expect((await t.call("GET", `/companies/${owner.companyId}/accountants`, { token: owner.token })).json.items).toEqual([]);

    const activity = t.deps.db
      .prepare("SELECT action, after_json FROM activity WHERE company_id = ? ORDER BY seq DESC LIMIT 1")
      .get(owner.companyId) as { action: string; after_json: string };
    expect(activity.action).toBe("accountant.removed");
    expect(JSON.parse(activity.after_json)).toEqual({ email: accountant.email, revokedApiKeys: 1, removedWebhooks: 1 });
  });

  it("removal ends the accountant's open event stream at once", async () => {
    const t = createTestApp();
    const owner = await ownerWithCompany(t);
    const accountant = await invitedAccountant(t, owner);
    const res = await t.app.request(`/api/v1/companies/${owner.companyId}/events`, { headers: { authorization: `Bearer ${accountant.token}` } });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let text = "";
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read();
        if (done) break;
        text += decoder.decode(value);
      }
    };
    await readUntil(": connected");
    const started = Date.now();
    expect((await t.call("DELETE", `/companies/${owner.companyId}/accountants/${accountant.user.id}`, { token: owner.token })).status).toBe(204);
    await readUntil("event: end");
    expect(Date.now() - started).toBeLessThan(1000);
    expect(text).toContain('event: end\ndata: {"reason":"revoked"}');
    expect((await reader.read()).done).toBe(true);
  });

  it("only accountants can be removed; an accountant may leave but not remove a colleague", async () => {
    const t = createTestApp();
    const owner = await ownerWithCompany(t);
    const a = await invitedAccountant(t, owner);
    const b = await invitedAccountant(t, owner);
    const ownerItself = await t.call("DELETE", `/companies/${owner.companyId}/accountants/${owner.user.id}`, { token: owner.token });
    expect(ownerItself.status).toBe(404);
    expect(ownerItself.json.detail).toBe("This accountant does not exist or is not visible to you.");
    expect((await t.call("DELETE", `/companies/${owner.companyId}/accountants/${b.user.id}`, { token: a.token })).status).toBe(403);
    expect((await t.call("DELETE", `/companies/${owner.companyId}/accountants/${a.user.id}`, { token: a.token })).status).toBe(204);
    expect((await t.call("GET", `/companies/${owner.companyId}`, { token: a.token })).status).toBe(404);
    const left = t.deps.db.prepare("SELECT action FROM activity WHERE company_id = ? ORDER BY seq DESC LIMIT 1").pluck().get(owner.companyId);
    expect(left).toBe("accountant.left");
  });

  it("an accountant's portfolio of 250 companies is served by name, page by page", async () => {
    const t = createTestApp();
    const owner = await ownerWithCompany(t);
    const accountant = await invitedAccountant(t, owner);
    const names: string[] = [COMPANY.name];
    for (let i = 1; i < 250; i++) {
      const name = `Client ${String(i).padStart(3, "0")} SARL`;
      const company = await t.call("POST", "/companies", { token: owner.token, body: { ...COMPANY, name } });
      const { token } = await invite(t, { token: owner.token, companyId: company.json.id }, accountant.email);
      const accepted = await t.call("POST", "/invitations/accept", { body: { token }, token: accountant.token });
      expect(accepted.status).toBe(200);
      names.push(name);
    }
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { json: { items: { name: string; role: string }[]; nextCursor: string | null } } = await t.call(
        "GET",
        `/companies?limit=100${cursor ? `&cursor=${cursor}` : ""}`,
        { token: accountant.token },
      );
      expect(page.json.items.every((c) => c.role === "accountant")).toBe(true);
      seen.push(...page.json.items.map((c) => c.name));
      cursor = page.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual([...names].sort((x, y) => x.localeCompare(y, "en", { sensitivity: "base" })));
    expect((await t.call("GET", "/me", { token: accountant.token })).json.memberships).toHaveLength(250);
  }, 120_000);
});
