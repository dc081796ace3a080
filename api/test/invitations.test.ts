import { afterEach, describe, expect, it, vi } from "vitest";
import { createHash } from "node:crypto";
import { createTestApp, ownerWithCompany, signupOwner, COMPANY, type TestApp } from "./helpers.js";
import { ACCOUNTANT_PASSWORD, invite, invitedAccountant, linkToken, outbox } from "./access-helpers.js";

const sha256 = (v: string) => createHash("sha256").update(v).digest("hex");

afterEach(() => vi.restoreAllMocks());

function accept(t: TestApp, body: Record<string, unknown>, token?: string) {
  return t.call("POST", "/invitations/accept", { body, token });
}

describe("inviting an accountant", () => {
  it("creates a pending invitation valid 7 days, e-mails the link and stores only the token's SHA-256", async () => {
    const t = createTestApp();
    const owner = await ownerWithCompany(t);
    const res = await t.call("POST", `/companies/${owner.companyId}/invitations`, { token: owner.token, body: { email: "Compta@Cabinet-Durand.fr" } });
    expect(res.status).toBe(201);
    expect(res.json).toMatchObject({
      email: "compta@cabinet-durand.fr",
      status: "pending",
      expiresAt: "2026-11-27T10:00:00.000Z",
      createdAt: "2026-11-20T10:00:00.000Z",
      invitedBy: { id: owner.user.id, name: "Owner" },
      acceptedAt: null,
      revokedAt: null,
      deliveryStatus: "sent",
      deliveryAttempts: 1,
      deliveryError: null,
      nextDeliveryAt: null,
    });

    const mails = outbox(t.dataDir).filter((m) => m.to === "compta@cabinet-durand.fr");
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.to).toBe("compta@cabinet-durand.fr");
    expect(mail.subject).toBe("Owner vous invite sur Passerelle : Atelier Test SARL / Invitation to Atelier Test SARL");
    const token = linkToken(mail);
    const link = `${t.deps.config.publicUrl}/invite/${token}`;
    // French first, then English; both name the company, the owner, what is shared and the expiry
    expect(mail.text.indexOf("Bonjour")).toBeLessThan(mail.text.indexOf("Hello"));
    expect(mail.text).toContain(`Owner (${owner.email}) vous invite à accéder à la comptabilité de Atelier Test SARL sur Passerelle.`);
    expect(mail.text).toContain(`Owner (${owner.email}) invites you to the accounts of Atelier Test SARL on Passerelle.`);
    expect(mail.text).toContain("le journal des ventes");
    expect(mail.text).toContain("expire le vendredi 27 novembre 2026 à 11:00 (heure de Europe/Paris)");
    expect(mail.text).toContain("expires on Friday, 27 November 2026 at 11:00 (Europe/Paris time)");
    expect(mail.text.split(link)).toHaveLength(3);
    expect(mail.html).toContain(`href="${link}"`);
    expect(mail.html.indexOf('lang="fr"')).toBeLessThan(mail.html.indexOf('<div lang="en">'));
    // without SMTP the link is printed in the server log
    expect(t.mailLog.join("\n")).toContain(link);

    const row = t.deps.db.prepare("SELECT * FROM invitations WHERE id = ?").get(res.json.id) as Record<string, unknown>;
    expect(row.token_hash).toBe(sha256(token));
    expect(JSON.stringify(row)).not.toContain(token);
    const activity = t.deps.db.prepare("SELECT action, after_json FROM activity WHERE company_id = ? ORDER BY seq DESC LIMIT 1").get(owner.companyId) as {
      action: string;
      after_json: string;
    };
    expect(activity.action).toBe("invitation.created");
    expect(activity.after_json).not.toContain(token);
  });

  it("takes its validity from INVITATION_TTL_HOURS", async () => {
    const t = createTestApp({ config: { invitationTtlHours: 48 } });
    vi.spyOn(console, "log").mockImplementation(() => {});
    const owner = await ownerWithCompany(t);
    const { invitation } = await invite(t, owner, "a@cabinet.fr");
    expect(invitation.expiresAt).toBe("2026-11-22T10:00:00.000Z");
  });

  it("answers 409 for an e-mail that already has access or a pending invitation, 422 for a bad e-mail", async () => {
    const t = createTestApp();
    vi.spyOn(console, "log").mockImplementation(() => {});
    const owner = await ownerWithCompany(t);
    const accountant = await invitedAccountant(t, owner);
    const again = await t.call("POST", `/companies/${owner.companyId}/invitations`, { token: owner.token, body: { email: accountant.email } });
    expect(again.status).toBe(409);
    expect(again.json.detail).toBe(`${accountant.email} already has access to this company (as accountant); there is nobody to invite.`);
    expect(again.json.errors).toEqual([{ path: "email", message: "already has access to this company" }]);
    const self = await t.call("POST", `/companies/${owner.companyId}/invitations`, { token: owner.token, body: { email: owner.email.toUpperCase() } });
    expect(self.status).toBe(409);
    expect(self.json.detail).toContain("(as owner)");

    const { invitation } = await invite(t, owner, "pending@cabinet.fr");
    const twice = await t.call("POST", `/companies/${owner.companyId}/invitations`, { token: owner.token, body: { email: "pending@cabinet.fr" } });
    expect(twice.status).toBe(409);
    expect(twice.json.detail).toBe(`pending@cabinet.fr already has a pending invitation (${invitation.id}, valid until 2026-11-27T10:00:00.000Z); resend it instead of inviting again.`);

    const bad = await t.call("POST", `/companies/${owner.companyId}/invitations`, { token: owner.token, body: { email: "not-an-email" } });
    expect(bad.status).toBe(422);
    expect(bad.json.errors[0].path).toBe("email");
  });

  it("is for owners only: accountants get 403, other users 404", async () => {
    const t = createTestApp();
    vi.spyOn(console, "log").mockImplementation(() => {});
    const owner = await ownerWithCompany(t);
    const accountant = await invitedAccountant(t, owner);
    for (const [method, path] of [
      ["GET", `/companies/${owner.companyId}/invitations`],
      ["POST", `/companies/${owner.companyId}/invitations`],
    ] as const) {
      const res = await t.call(method, path, { token: accountant.token, body: method === "POST" ? { email: "x@y.fr" } : undefined });
      expect(res.status).toBe(403);
    }
    const stranger = await signupOwner(t);
    expect((await t.call("GET", `/companies/${owner.companyId}/invitations`, { token: stranger.token })).status).toBe(404);
  });
});

describe("accepting an invitation through the API", () => {
  it("creates the accountant's account bound to the invited e-mail, answers a session, and the token works once", async () => {
    const t = createTestApp();
    vi.spyOn(console, "log").mockImplementation(() => {});
    const owner = await ownerWithCompany(t);
    const { invitation, token } = await invite(t, owner, "marie@cabinet.fr");
    const res = await accept(t, { token, name: "Marie Expert", password: ACCOUNTANT_PASSWORD });
    expect(res.status).toBe(200);
    expect(res.json.companyId).toBe(owner.companyId);
    expect(res.json.user).toMatchObject({ email: "marie@cabinet.fr", name: "Marie Expert" });
    expect(res.json.token).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const me = await t.call("GET", "/me", { token: res.json.token });
    expect(me.json.memberships).toEqual([{ companyId: owner.companyId, companyName: COMPANY.name, role: "accountant" }]);
    const company = await t.call("GET", `/companies/${owner.companyId}`, { token: res.json.token });
    expect(company.json.role).toBe("accountant");
    const login = await t.call("POST", "/auth/login", { body: { email: "marie@cabinet.fr", password: ACCOUNTANT_PASSWORD } });
    expect(login.status).toBe(200);

    const list = await t.call("GET", `/companies/${owner.companyId}/invitations`, { token: owner.token });
    expect(list.json.items).toHaveLength(1);
    expect(list.json.items[0]).toMatchObject({ id: invitation.id, status: "accepted", acceptedAt: "2026-11-20T10:00:00.000Z" });

    const reuse = await accept(t, { token, name: "Mallory", password: "another password 1" });
    expect(reuse.status).toBe(410);
    expect(reuse.json.detail).toBe("This invitation link was already used. Sign in with your account instead.");

    const joined = t.deps.db
      .prepare("SELECT action, actor_id FROM activity WHERE company_id = ? AND action = 'accountant.joined'")
      .all(owner.companyId);
    expect(joined).toEqual([{ action: "accountant.joined", actor_id: res.json.user.id }]);
  });

  it("gives read access to the owner's layer and no write access to it", async () => {
    const t = createTestApp();
    vi.spyOn(console, "log").mockImplementation(() => {});
    const owner = await ownerWithCompany(t);
    const accountant = await invitedAccountant(t, owner);
    expect((await t.call("GET", `/companies/${owner.companyId}/customers`, { token: accountant.token })).json.items).toHaveLength(1);
    const write = await t.call("POST", `/companies/${owner.companyId}/customers`, {
      token: accountant.token,
      body: { name: "Intrus", address: "1 rue X, 75001 Paris" },
    });
    expect(write.status).toBe(403);
    expect(write.json.detail).toBe("Only the company's owners change its invoices, customers, products, payments and documents.");
  });

  it("refuses with the field named: name and password for a new account, password rules", async () => {
    const t = createTestApp();
    vi.spyOn(console, "log").mockImplementation(() => {});
    const owner = await ownerWithCompany(t);
    const { token } = await invite(t, owner, "new@cabinet.fr");
    const noName = await accept(t, { token, password: ACCOUNTANT_PASSWORD });
    expect(noName.status).toBe(422);
    expect(noName.json.errors).toEqual([{ path: "name", message: "is required to create your account" }]);
    const short = await accept(t, { token, name: "A", password: "short" });
    expect(short.status).toBe(422);
    expect(short.json.errors).toEqual([{ path: "password", message: "must be at least 10 characters" }]);
    const unknownField = await accept(t, { token, name: "A", password: ACCOUNTANT_PASSWORD, email: "other@evil.fr" });
    expect(unknownField.status).toBe(422);
    expect(unknownField.json.errors[0].path).toBe("email");
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM users WHERE email = 'new@cabinet.fr'").pluck().get()).toBe(0);
  });

  it("lets an existing account sign in with its password (or its session) to accept another company", async () => {
    const t = createTestApp();
    vi.spyOn(console, "log").mockImplementation(() => {});
    const first = await ownerWithCompany(t);
    const accountant = await invitedAccountant(t, first);
    const second = await ownerWithCompany(t);
    const third = await ownerWithCompany(t);

    const { token } = await invite(t, second, accountant.email);
    const missing = await accept(t, { token });
    expect(missing.status).toBe(422);
    expect(missing.json.errors).toEqual([{ path: "password", message: `is required: an account already exists for ${accountant.email}, sign in with its password` }]);
    const wrong = await accept(t, { token, password: "not the password" });
    expect(wrong.status).toBe(401);
    const ok = await accept(t, { token, password: ACCOUNTANT_PASSWORD, name: "Ignored Name" });
    expect(ok.status).toBe(200);
    expect(ok.json.user).toEqual(accountant.user);

    const viaSession = await invite(t, third, accountant.email);
    const otherUser = await signupOwner(t);
    const wrongSession = await accept(t, { token: viaSession.token }, otherUser.token);
    expect(wrongSession.status).toBe(403);
    expect(wrongSession.json.detail).toBe(`This invitation is for ${accountant.email}; you are signed in with another account.`);
    const withSession = await accept(t, { token: viaSession.token }, accountant.token);
    expect(withSession.status).toBe(200);

    const portfolio = await t.call("GET", "/companies", { token: accountant.token });
    expect(portfolio.json.items.map((c: { id: string; role: string }) => [c.id, c.role]).sort()).toEqual(
      [first.companyId, second.companyId, third.companyId].map((id) => [id, "accountant"]).sort(),
    );
  });

  it("consumes the token in one transaction: two simultaneous acceptances, one account, one membership", async () => {
    const t = createTestApp();
    vi.spyOn(console, "log").mockImplementation(() => {});
    const owner = await ownerWithCompany(t);
    const { token } = await invite(t, owner, "race@cabinet.fr");
    const results = await Promise.all([
      accept(t, { token, name: "One", password: ACCOUNTANT_PASSWORD }),
      accept(t, { token, name: "Two", password: ACCOUNTANT_PASSWORD }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 410]);
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM users WHERE email = 'race@cabinet.fr'").pluck().get()).toBe(1);
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM memberships WHERE company_id = ? AND role = 'accountant'").pluck().get(owner.companyId)).toBe(1);
  });

  it("re-checks that the inviter is still an owner, and changes nothing when not", async () => {
    const t = createTestApp();
    vi.spyOn(console, "log").mockImplementation(() => {});
    const owner = await ownerWithCompany(t);
    const { invitation, token } = await invite(t, owner, "late@cabinet.fr");
    t.deps.db.prepare("UPDATE memberships SET role = 'accountant' WHERE company_id = ? AND user_id = ?").run(owner.companyId, owner.user.id);
    const res = await accept(t, { token, name: "Late", password: ACCOUNTANT_PASSWORD });
    expect(res.status).toBe(410);
    expect(res.json.detail).toBe("The person who sent this invitation no longer manages the company; ask its owner for a new invitation.");
    const row = t.deps.db.prepare("SELECT consumed_at FROM invitations WHERE id = ?").get(invitation.id) as { consumed_at: string | null };
    expect(row.consumed_at).toBeNull();
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM users WHERE email = 'late@cabinet.fr'").pluck().get()).toBe(0);
  });

  it("limits attempts per client address (429 with Retry-After)", async () => {
    const t = createTestApp();
    for (let i = 0; i < 10; i++) {
      const res = await accept(t, { token: `unknown-token-${i}`, name: "X", password: ACCOUNTANT_PASSWORD });
      expect(res.status).toBe(404);
    }
    const blocked = await accept(t, { token: "unknown-token-x", name: "X", password: ACCOUNTANT_PASSWORD });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get("retry-after")).toBe("900");
    t.clock.advance(15 * 60_000);
    expect((await accept(t, { token: "unknown-token-y", name: "X", password: ACCOUNTANT_PASSWORD })).status).toBe(404);
  });

  it("shares the per-e-mail password budget with the login form", async () => {
    const t = createTestApp();
    vi.spyOn(console, "log").mockImplementation(() => {});
    const first = await ownerWithCompany(t);
    const accountant = await invitedAccountant(t, first);
    const second = await ownerWithCompany(t);
    const { token } = await invite(t, second, accountant.email);
    for (let i = 0; i < 10; i++) {
      expect((await t.call("POST", "/auth/login", { body: { email: accountant.email, password: `wrong ${i}` }, headers: { "x-n": String(i) } })).status).toBe(401);
    }
    const res = await accept(t, { token, password: ACCOUNTANT_PASSWORD });
    expect(res.status).toBe(429);
  });
});

describe("expiry, resend and revocation", () => {
  it("expires after 7 days; resending gives a new link and expiry and kills the old link", async () => {
    const t = createTestApp();
    vi.spyOn(console, "log").mockImplementation(() => {});
    const owner = await ownerWithCompany(t);
    const { invitation, token } = await invite(t, owner, "slow@cabinet.fr");
    t.clock.advance(7 * 24 * 3600_000);
    const list = await t.call("GET", `/companies/${owner.companyId}/invitations`, { token: owner.token });
    expect(list.json.items[0].status).toBe("expired");
    const late = await accept(t, { token, name: "Slow", password: ACCOUNTANT_PASSWORD });
    expect(late.status).toBe(410);
    expect(late.json.detail).toBe("This invitation link has expired. Ask the company to send it again.");

    const resent = await t.call("POST", `/companies/${owner.companyId}/invitations/${invitation.id}/resend`, { token: owner.token });
    expect(resent.status).toBe(200);
    expect(resent.json).toMatchObject({ id: invitation.id, status: "pending", expiresAt: "2026-12-04T10:00:00.000Z", deliveryStatus: "sent" });
    const mails = outbox(t.dataDir).filter((m) => m.to === "slow@cabinet.fr");
    expect(mails).toHaveLength(2);
    const fresh = linkToken(mails[1]!);
    expect(fresh).not.toBe(token);
    expect(mails[1]!.text).toContain("expire le vendredi 4 décembre 2026 à 11:00");
    expect(mails[0]!.text).not.toContain("ne fonctionne plus");
    expect(mails[1]!.text).toContain("Il remplace le lien de l'invitation reçue précédemment, qui ne fonctionne plus.");
    expect(mails[1]!.text).toContain("It replaces the link of the invitation you received earlier, which no longer works.");
    expect(mails[1]!.html).toContain("Il remplace le lien de l&#39;invitation reçue précédemment, qui ne fonctionne plus.");

    expect((await accept(t, { token, name: "Slow", password: ACCOUNTANT_PASSWORD })).status).toBe(404);
    expect((await accept(t, { token: fresh, name: "Slow", password: ACCOUNTANT_PASSWORD })).status).toBe(200);
    const again = await t.call("POST", `/companies/${owner.companyId}/invitations/${invitation.id}/resend`, { token: owner.token });
    expect(again.status).toBe(409);
    expect(again.json.detail).toBe("This invitation was accepted; it cannot be sent again.");
  });

  it("revoking kills the link at once; an accepted invitation cannot be revoked (remove the accountant instead)", async () => {
    const t = createTestApp();
    vi.spyOn(console, "log").mockImplementation(() => {});
    const owner = await ownerWithCompany(t);
    const { invitation, token } = await invite(t, owner, "gone@cabinet.fr");
    expect((await t.call("DELETE", `/companies/${owner.companyId}/invitations/${invitation.id}`, { token: owner.token })).status).toBe(204);
    const list = await t.call("GET", `/companies/${owner.companyId}/invitations`, { token: owner.token });
    expect(list.json.items[0]).toMatchObject({ status: "revoked", revokedAt: "2026-11-20T10:00:00.000Z" });
    const res = await accept(t, { token, name: "Gone", password: ACCOUNTANT_PASSWORD });
    expect(res.status).toBe(410);
    expect(res.json.detail).toBe("This invitation was withdrawn by Atelier Test SARL. Ask the company for a new one if needed.");
    // revoked e-mails can be invited again
    const again = await invite(t, owner, "gone@cabinet.fr");
    expect((await accept(t, { token: again.token, name: "Gone", password: ACCOUNTANT_PASSWORD })).status).toBe(200);
    const revokeAccepted = await t.call("DELETE", `/companies/${owner.companyId}/invitations/${again.invitation.id}`, { token: owner.token });
    expect(revokeAccepted.status).toBe(409);
    const other = await ownerWithCompany(t);
    expect((await t.call("DELETE", `/companies/${other.companyId}/invitations/${invitation.id}`, { token: other.token })).status).toBe(404);
  });
});
