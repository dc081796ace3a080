import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { VERSION } from "../src/version.js";
import { configFromEnv } from "../src/config.js";
import { startWorkers } from "../src/workers.js";
import { COMPANY, createTestApp, expectProblem, signUp, signupOwner } from "./helpers.js";
import { lastMailTo, signupLinkToken } from "./signup-flow.js";

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");
const PASSWORD = "correct horse battery";

describe("health", () => {
  it("answers { ok, version, ready, database } without authentication, outside the API base", async () => {
    const t = createTestApp();
    const res = await t.call("GET", "/health");
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ ok: true, version: VERSION, ready: true, database: "ok" });
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });
});

describe("sign-up", () => {
  it("confirming from the e-mail creates the account and a session: a 32-byte base64url token, only its SHA-256 stored", async () => {
    const t = createTestApp();
    const asked = await t.call("POST", "/auth/signup", { body: { email: "Claire.Martin@Example.FR", password: PASSWORD, name: "Claire Martin" } });
    expect(asked.status).toBe(202);
    expect(asked.json).toEqual({ status: "confirmation_sent", email: "claire.martin@example.fr" });
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM users").pluck().get()).toBe(0);

    const link = signupLinkToken(lastMailTo(t.dataDir, "claire.martin@example.fr")!);
    const res = await t.call("POST", "/auth/signup/confirm", { body: { token: link, password: PASSWORD } });
    expect(res.status).toBe(200);
    expect(res.json.user).toEqual({ id: expect.any(String), email: "claire.martin@example.fr", name: "Claire Martin" });
    const token: string = res.json.token;
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    // 14 days after the test clock's 2026-11-20T10:00:00Z
    expect(res.json.expiresAt).toBe("2026-12-04T10:00:00.000Z");

    const sessions = t.deps.db.prepare("SELECT * FROM sessions").all() as Record<string, string>[];
    expect(sessions).toEqual([
      { token_hash: sha256(token), user_id: res.json.user.id, created_at: "2026-11-20T10:00:00.000Z", expires_at: "2026-12-04T10:00:00.000Z" },
    ]);
    const dump = JSON.stringify(t.deps.db.prepare("SELECT * FROM sessions, users, signups").all());
    expect(dump).not.toContain(token);
    expect(dump).not.toContain(link);
    expect(dump).not.toContain(PASSWORD);

    const me = await t.call("GET", "/me", { token });
    expect(me.status).toBe(200);
    expect(me.json).toEqual({ user: res.json.user, memberships: [] });
  });

  it("stores the password as scrypt (parameters, salt, key), never in clear; production cost is 2^17", async () => {
    const t = createTestApp();
    const { user } = await signupOwner(t);
    const stored = t.deps.db.prepare("SELECT password_hash FROM users WHERE id = ?").pluck().get(user.id) as string;
    expect(stored).toMatch(/^scrypt\$4096\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(stored).not.toContain(PASSWORD);
    expect(configFromEnv({}).scryptCost).toBe(2 ** 17);
    // two accounts with the same password get different salts and keys
    const other = await signupOwner(t);
    const otherHash = t.deps.db.prepare("SELECT password_hash FROM users WHERE id = ?").pluck().get(other.user.id) as string;
    expect(otherHash.split("$")[2]).not.toBe(stored.split("$")[2]);
    expect(otherHash.split("$")[3]).not.toBe(stored.split("$")[3]);
  });

  it("a second sign-up for a registered e-mail, whatever its case, answers as the first did and creates nothing", async () => {
    const t = createTestApp();
    const first = await signUp(t, { email: "dup@example.fr", password: PASSWORD, name: "A" });
    for (const email of ["dup@example.fr", "DUP@Example.fr"]) {
      const res = await t.call("POST", "/auth/signup", { body: { email, password: "another password 1", name: "B" } });
      expect(res.status).toBe(202);
      expect(res.json).toEqual({ status: "confirmation_sent", email: "dup@example.fr" });
    }
    expect(t.deps.db.prepare("SELECT id, name FROM users").all()).toEqual([{ id: first.user.id, name: "A" }]);
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM sessions").pluck().get()).toBe(1);
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM signups WHERE confirmed_at IS NULL").pluck().get()).toBe(0);
  });

  it("refuses a weak password (422 on password), a bad e-mail, a missing name and unknown fields", async () => {
    const t = createTestApp();
    const weak = expectProblem(await t.call("POST", "/auth/signup", { body: { email: "a@example.fr", password: "short", name: "A" } }), 422, "password");
    expect(weak.errors).toEqual([{ path: "password", message: "must be at least 10 characters" }]);
    expectProblem(await t.call("POST", "/auth/signup", { body: { email: "not-an-email", password: PASSWORD, name: "A" } }), 422, "email");
    expectProblem(await t.call("POST", "/auth/signup", { body: { email: "a@example.fr", password: PASSWORD, name: "  " } }), 422, "name");
    expectProblem(await t.call("POST", "/auth/signup", { body: { email: "a@example.fr", password: PASSWORD } }), 422, "name");
    const extra = expectProblem(
      await t.call("POST", "/auth/signup", { body: { email: "a@example.fr", password: PASSWORD, name: "A", role: "accountant" } }),
      422,
      "role",
    );
    expect(extra.detail).toBe("role: is not a known field");
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM users").pluck().get()).toBe(0);
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM signups").pluck().get()).toBe(0);
  });
});

describe("login and logout", () => {
  it("signs in with the right password (any e-mail case) and opens a new session", async () => {
    const t = createTestApp();
    const owner = await signupOwner(t);
    const res = await t.call("POST", "/auth/login", { body: { email: owner.email.toUpperCase(), password: PASSWORD } });
    expect(res.status).toBe(200);
    expect(res.json.user).toEqual(owner.user);
    expect(res.json.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(res.json.token).not.toBe(owner.token);
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM sessions WHERE user_id = ?").pluck().get(owner.user.id)).toBe(2);
    expect((await t.call("GET", "/me", { token: res.json.token })).status).toBe(200);
    expect((await t.call("GET", "/me", { token: owner.token })).status).toBe(200);
  });

  it("answers 401 with the same words for a wrong password and an unknown e-mail", async () => {
    const t = createTestApp();
    const owner = await signupOwner(t);
    const wrong = expectProblem(await t.call("POST", "/auth/login", { body: { email: owner.email, password: "wrong password!" } }), 401);
    const unknown = expectProblem(await t.call("POST", "/auth/login", { body: { email: "nobody@example.fr", password: PASSWORD } }), 401);
    expect(wrong.detail).toBe("E-mail or password is incorrect.");
    expect(unknown.detail).toBe(wrong.detail);
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM sessions").pluck().get()).toBe(1);
  });

  it("limits failed attempts: past the limit 429 with Retry-After, even with the right password; the window passes and login works", async () => {
    const t = createTestApp({ config: { loginAttemptsPerWindow: 3 } });
    const owner = await signupOwner(t);
    for (let i = 0; i < 3; i++) {
      expectProblem(await t.call("POST", "/auth/login", { body: { email: owner.email, password: `wrong password ${i}` } }), 401);
    }
    const limited = await t.call("POST", "/auth/login", { body: { email: owner.email, password: PASSWORD } });
    const problem = expectProblem(limited, 429);
    expect(limited.headers.get("retry-after")).toBe("900");
    expect(problem.detail).toBe("Too many sign-in attempts. Try again in 900 seconds.");

    t.clock.advance(899_000);
    const still = await t.call("POST", "/auth/login", { body: { email: owner.email, password: PASSWORD } });
    expectProblem(still, 429);
    expect(still.headers.get("retry-after")).toBe("1");

    t.clock.advance(1_000);
    const ok = await t.call("POST", "/auth/login", { body: { email: owner.email, password: PASSWORD } });
    expect(ok.status).toBe(200);
    expect(ok.json.user).toEqual(owner.user);
  });

  it("counts failures per client too: guessing across many e-mails is limited", async () => {
    const t = createTestApp({ config: { loginAttemptsPerAddress: 3 } });
    const owner = await signupOwner(t);
    for (const email of ["a@example.fr", "b@example.fr", "c@example.fr"]) {
      expectProblem(await t.call("POST", "/auth/login", { body: { email, password: PASSWORD } }), 401);
    }
    const limited = await t.call("POST", "/auth/login", { body: { email: owner.email, password: PASSWORD } });
    expectProblem(limited, 429);
    expect(limited.headers.get("retry-after")).toBe("900");
  });

  it("logout ends that session only: its token answers 401 afterwards", async () => {
    const t = createTestApp();
    const owner = await signupOwner(t);
    const second = (await t.call("POST", "/auth/login", { body: { email: owner.email, password: PASSWORD } })).json.token as string;
    const out = await t.call("POST", "/auth/logout", { token: owner.token });
    expect(out.status).toBe(204);
    expect(out.text).toBe("");
    expect(t.deps.db.prepare("SELECT token_hash FROM sessions").pluck().all()).toEqual([sha256(second)]);
    const after = await t.call("GET", "/me", { token: owner.token });
    expectProblem(after, 401);
    expect(after.headers.get("www-authenticate")).toBe('Bearer realm="passerelle"');
    expect((await t.call("GET", "/me", { token: second })).status).toBe(200);
    expectProblem(await t.call("POST", "/auth/logout"), 401);
  });

  it("a session expires after sessionTtlHours", async () => {
    const t = createTestApp({ config: { sessionTtlHours: 2 } });
    const owner = await signupOwner(t);
    t.clock.advance(2 * 3600_000 - 1);
    expect((await t.call("GET", "/me", { token: owner.token })).status).toBe(200);
    t.clock.advance(1);
    const expired = expectProblem(await t.call("GET", "/me", { token: owner.token }), 401);
    expect(expired.detail).toBe("This token is unknown, expired or revoked. Sign in again.");
  });

  it("the server's background work deletes expired sessions at start and keeps the others", async () => {
    const t = createTestApp({ config: { sessionTtlHours: 2 } });
    const expired = await signupOwner(t, "Expired");
    t.clock.advance(3600_000);
    const live = await signupOwner(t, "Live");
    t.clock.advance(3600_000);
    const count = () => t.deps.db.prepare("SELECT COUNT(*) FROM sessions").pluck().get();
    expect(count()).toBe(2);
    const workers = startWorkers(t.deps);
    await workers.stop();
    expect(t.deps.db.prepare("SELECT user_id FROM sessions").pluck().all()).toEqual([live.user.id]);
    expect(expired.user.id).not.toBe(live.user.id);
  });

  it("the default session lasts 14 days", async () => {
    const t = createTestApp();
    const owner = await signupOwner(t);
    t.clock.advance(14 * 24 * 3600_000 - 1000);
    expect((await t.call("GET", "/me", { token: owner.token })).status).toBe(200);
    t.clock.advance(1000);
    expectProblem(await t.call("GET", "/me", { token: owner.token }), 401);
  });

  it("refuses missing, malformed and unknown credentials with 401", async () => {
    const t = createTestApp();
    expectProblem(await t.call("GET", "/me"), 401);
    expectProblem(await t.call("GET", "/me", { headers: { authorization: "Basic dXNlcjpwYXNz" } }), 401);
    expectProblem(await t.call("GET", "/me", { token: "x".repeat(43) }), 401);
    expectProblem(await t.call("GET", "/companies"), 401);
  });
});

describe("/me", () => {
  it("lists the user's memberships by company name with their role", async () => {
    const t = createTestApp();
    const owner = await signupOwner(t, "Claire");
    const b = await t.call("POST", "/companies", { token: owner.token, body: { ...COMPANY, name: "Zèbre SAS" } });
    const a = await t.call("POST", "/companies", { token: owner.token, body: { ...COMPANY, name: "Atelier SARL" } });
    const other = await signupOwner(t, "Paul");
    const c = await t.call("POST", "/companies", { token: other.token, body: { ...COMPANY, name: "Client de Paul" } });
    t.deps.db
      .prepare("INSERT INTO memberships (company_id, user_id, role, created_at) VALUES (?, ?, 'accountant', ?)")
      .run(c.json.id, owner.user.id, "2026-11-20T10:00:00.000Z");

    const me = await t.call("GET", "/me", { token: owner.token });
    expect(me.status).toBe(200);
    expect(me.json).toEqual({
      user: { id: owner.user.id, email: owner.email, name: "Claire" },
      memberships: [
        { companyId: a.json.id, companyName: "Atelier SARL", role: "owner" },
        { companyId: c.json.id, companyName: "Client de Paul", role: "accountant" },
        { companyId: b.json.id, companyName: "Zèbre SAS", role: "owner" },
      ],
    });
  });
});
