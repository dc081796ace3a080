/**
 * Sign-up tells nobody which e-mails have an account: a known and an unknown address get the same
 * answer, byte for byte, and only the mailbox learns which (a link, or a notice). The link is
 * single-use, expires, needs the password chosen at sign-up, and never creates a second account.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createTestApp, expectProblem, ownerWithCompany, signUp, type TestApp } from "../helpers.js";
import { invite, outbox } from "../access-helpers.js";
import { lastMailTo, signupLinkToken } from "../signup-flow.js";
import { createUser } from "../../src/services/users.js";

const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");
const PASSWORD = "correct horse battery";

async function rawSignup(t: TestApp, email: string, password = PASSWORD, name = "Claire Martin") {
  const res = await t.app.request("/api/v1/auth/signup", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email, password, name }),
  });
  return { status: res.status, headers: [...res.headers.entries()], body: await res.text() };
}

function confirm(t: TestApp, token: string, password = PASSWORD) {
  return t.call("POST", "/auth/signup/confirm", { body: { token, password } });
}

function linkFor(t: TestApp, email: string): string {
  return signupLinkToken(lastMailTo(t.dataDir, email)!);
}

function table(t: TestApp, sql: string) {
  return t.deps.db.prepare(sql).all();
}

describe("signing up does not reveal which e-mails have an account", () => {
  it("a known and an unknown e-mail get byte-identical answers; the known owner receives a notice and nothing changes", async () => {
    const t = createTestApp();
    // an account made as `npm run cli -- create-user` makes it, so the setup does not go through sign-up
    await createUser(t.deps, { email: "claire@atelier.fr", password: PASSWORD, name: "Claire Martin" });
    const before = { users: table(t, "SELECT * FROM users"), sessions: table(t, "SELECT * FROM sessions") };

    // two addresses of the same length, so that only the echoed address may differ
    const known = await rawSignup(t, "Claire@Atelier.fr", "another password 1", "Mallory");
    const unknown = await rawSignup(t, "CLAUDE@atelier.fr");
    expect(known.status).toBe(202);
    expect(known.body).toBe('{"status":"confirmation_sent","email":"claire@atelier.fr"}');
    expect(unknown.status).toBe(known.status);
    expect(unknown.headers).toEqual(known.headers);
    expect(unknown.body.replace("claude@", "claire@")).toBe(known.body);
    expect(known.headers).toEqual([
      ["content-type", "application/json"],
      ["referrer-policy", "no-referrer"],
      ["x-content-type-options", "nosniff"],
    ]);

    // the owner's account is as it was: same password, same name, no new session
    expect({ users: table(t, "SELECT * FROM users"), sessions: table(t, "SELECT * FROM sessions") }).toEqual(before);
    expect((await t.call("POST", "/auth/login", { body: { email: "claire@atelier.fr", password: PASSWORD } })).status).toBe(200);
    expect((await t.call("POST", "/auth/login", { body: { email: "claire@atelier.fr", password: "another password 1" } })).status).toBe(401);

    const notice = lastMailTo(t.dataDir, "claire@atelier.fr")!;
    expect(notice.subject).toBe("Votre compte Passerelle existe déjà / Your Passerelle account already exists");
    expect(notice.text).toContain(
      "Quelqu'un (vous, peut-être) a demandé à créer un compte Passerelle avec l'adresse claire@atelier.fr. Un compte existe déjà pour cette adresse : connectez-vous avec son mot de passe.",
    );
    expect(notice.text).toContain("An account already exists for this address: sign in with its password.");
    expect(notice.text.indexOf("Bonjour")).toBeLessThan(notice.text.indexOf("Hello"));
    expect(notice.text).not.toContain("/signup/");
    expect(notice.text).not.toContain("Mallory");

    const confirmation = lastMailTo(t.dataDir, "claude@atelier.fr")!;
    expect(confirmation.subject).toBe("Confirmez la création de votre compte Passerelle / Confirm your Passerelle account");
    const token = signupLinkToken(confirmation);
    expect(confirmation.text).toContain(`${t.deps.config.publicUrl}/signup/${token}`);
    expect(confirmation.html).toContain(`href="${t.deps.config.publicUrl}/signup/${token}"`);
    expect(confirmation.text).toContain("Ce lien ne sert qu'une seule fois et expire le samedi 21 novembre 2026 à 11:00 (heure de Europe/Paris).");
    expect(confirmation.text).toContain("This link works once and expires on Saturday, 21 November 2026 at 11:00 (Europe/Paris time).");
    // one message each: the notice to the known address, the link to the new one
    expect(outbox(t.dataDir).map((m) => m.to)).toEqual(["claire@atelier.fr", "claude@atelier.fr"]);
  });

  it("keeps only the link's SHA-256 and the password's scrypt hash; nobody is signed in before confirming", async () => {
    const t = createTestApp();
    await rawSignup(t, "nadia@lumiere.fr");
    const token = linkFor(t, "nadia@lumiere.fr");
    expect(Buffer.from(token, "base64url")).toHaveLength(32);
    const rows = table(t, "SELECT * FROM signups") as Record<string, unknown>[];
    expect(rows).toEqual([
      {
        pk: 1,
        id: expect.any(String),
        email: "nadia@lumiere.fr",
        name: "Claire Martin",
        password_hash: expect.stringMatching(/^scrypt\$4096\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/),
        token_hash: sha256(token),
        created_at: "2026-11-20T10:00:00.000Z",
        expires_at: "2026-11-21T10:00:00.000Z",
        password_attempts: 0,
        confirmed_at: null,
        user_id: null,
      },
    ]);
    expect(JSON.stringify(rows)).not.toContain(PASSWORD);
    expect(table(t, "SELECT * FROM users")).toEqual([]);
    expect(table(t, "SELECT * FROM sessions")).toEqual([]);
  });

  it("when the e-mail cannot be sent, both answer the same 503 and nothing is recorded", async () => {
    const t = createTestApp();
    await signUp(t, { email: "claire@atelier.fr", password: PASSWORD, name: "Claire Martin" });
    const users = table(t, "SELECT * FROM users");
    t.deps.mailer = { kind: "smtp", send: () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:25")) };
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args.join(" "));
    try {
      const known = await rawSignup(t, "claire@atelier.fr");
      const unknown = await rawSignup(t, "paul@atelier.fr");
      expect(known.status).toBe(503);
      expect(JSON.parse(known.body)).toMatchObject({
        status: 503,
        // no Accept-Language: French
        detail: "L'e-mail à claire@atelier.fr n'a pas pu être envoyé ; rien n'a été enregistré. Réessayez dans quelques minutes.",
      });
      expect(unknown.status).toBe(503);
      expect(unknown.headers).toEqual(known.headers);
      expect(unknown.body.replace("paul@", "claire@")).toBe(known.body);
      expect(Object.fromEntries(known.headers)["retry-after"]).toBe("300");
    } finally {
      console.error = original;
    }
    expect(errors).toEqual([
      "[mail] sign-up e-mail to claire@atelier.fr not sent: connect ECONNREFUSED 127.0.0.1:25",
      "[mail] sign-up e-mail to paul@atelier.fr not sent: connect ECONNREFUSED 127.0.0.1:25",
    ]);
    expect(table(t, "SELECT * FROM signups WHERE confirmed_at IS NULL")).toEqual([]);
    expect(table(t, "SELECT * FROM users")).toEqual(users);
  });
});

describe("the confirmation link", () => {
  it("creates the account once: a second use answers 410 and the password it was given signs in", async () => {
    const t = createTestApp();
    await rawSignup(t, "nadia@lumiere.fr", PASSWORD, "Nadia Lumière");
    const token = linkFor(t, "nadia@lumiere.fr");
    const first = await confirm(t, token);
    expect(first.status).toBe(200);
    expect(first.json.user).toEqual({ id: expect.any(String), email: "nadia@lumiere.fr", name: "Nadia Lumière" });
    expect(table(t, "SELECT user_id, confirmed_at, password_hash FROM signups")).toEqual([
      { user_id: first.json.user.id, confirmed_at: "2026-11-20T10:00:00.000Z", password_hash: null },
    ]);

    const again = expectProblem(await confirm(t, token), 410);
    expect(again.detail).toBe("This confirmation link was already used: the account exists. Sign in with its e-mail and password.");
    expect(table(t, "SELECT COUNT(*) AS n FROM users")).toEqual([{ n: 1 }]);
    const login = await t.call("POST", "/auth/login", { body: { email: "nadia@lumiere.fr", password: PASSWORD } });
    expect(login.status).toBe(200);
    expect(login.json.user).toEqual(first.json.user);
  });

  it("expires after SIGNUP_TTL_HOURS (24 by default): 410, and no account", async () => {
    const t = createTestApp({ config: { signupTtlHours: 2 } });
    await rawSignup(t, "lent@lumiere.fr");
    const token = linkFor(t, "lent@lumiere.fr");
    expect(table(t, "SELECT expires_at FROM signups")).toEqual([{ expires_at: "2026-11-20T12:00:00.000Z" }]);
    t.clock.advance(2 * 3600_000);
    const late = expectProblem(await confirm(t, token), 410);
    expect(late.detail).toBe("This confirmation link has expired. Sign up again to receive a new one.");
    expect(table(t, "SELECT * FROM users")).toEqual([]);
    // the next sign-up clears expired ones; their link is then unknown
    await rawSignup(t, "autre@lumiere.fr");
    expect(table(t, "SELECT email FROM signups")).toEqual([{ email: "autre@lumiere.fr" }]);
    expectProblem(await confirm(t, token), 404);
    expect(createTestApp().deps.config.signupTtlHours).toBe(24);
  });

  it("a pending sign-up whose e-mail got an account meanwhile (another link, an invitation) creates no second account: 409", async () => {
    const t = createTestApp();
    await rawSignup(t, "double@lumiere.fr", PASSWORD, "Premier");
    const firstLink = linkFor(t, "double@lumiere.fr");
    await rawSignup(t, "double@lumiere.fr", "second password 2", "Second");
    const secondLink = linkFor(t, "double@lumiere.fr");
    expect(secondLink).not.toBe(firstLink);
    expect((await confirm(t, secondLink, "second password 2")).status).toBe(200);
    const late = expectProblem(await confirm(t, firstLink), 409);
    expect(late.detail).toBe("An account already exists for this e-mail; sign in instead.");
    expect(table(t, "SELECT email, name FROM users")).toEqual([{ email: "double@lumiere.fr", name: "Second" }]);

    // an accountant who accepted an invitation while their own sign-up waited
    const owner = await ownerWithCompany(t);
    await rawSignup(t, "expert@cabinet.fr", PASSWORD, "Expert");
    const pending = linkFor(t, "expert@cabinet.fr");
    const { token: invitation } = await invite(t, owner, "expert@cabinet.fr");
    expect((await t.call("POST", "/invitations/accept", { body: { token: invitation, name: "Expert", password: "expert-comptable 2026" } })).status).toBe(200);
    expectProblem(await confirm(t, pending), 409);
    expect(table(t, "SELECT COUNT(*) AS n FROM users WHERE email = 'expert@cabinet.fr'")).toEqual([{ n: 1 }]);
  });

  it("needs the password chosen at sign-up; 5 wrong ones, even sent at once, and the link stops working", async () => {
    const t = createTestApp();
    await rawSignup(t, "cible@lumiere.fr");
    const token = linkFor(t, "cible@lumiere.fr");
    const wrong = expectProblem(await confirm(t, token, "not the password"), 401, "password");
    expect(wrong.detail).toBe("This is not the password chosen when signing up (4 attempts left).");
    expect(wrong.errors).toEqual([{ path: "password", message: "is not the password chosen at sign-up" }]);

    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => confirm(t, token, `guess number ${i}`)));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([...Array(4).fill(401), ...Array(16).fill(410)]);
    expect(answers.find((a) => a.status === 410)!.json.detail).toBe(
      "Too many wrong passwords were tried with this link; it no longer works. Sign up again to receive a new one.",
    );
    expectProblem(await confirm(t, token), 410);
    expect(table(t, "SELECT password_attempts FROM signups")).toEqual([{ password_attempts: 5 }]);
    expect(table(t, "SELECT * FROM users")).toEqual([]);
  });

  it("unknown tokens answer 404; malformed bodies 422 naming the field", async () => {
    const t = createTestApp();
    const unknown = expectProblem(await confirm(t, "A".repeat(43)), 404);
    expect(unknown.detail).toBe("This confirmation link is unknown or no longer valid. Check that it was copied whole, or sign up again.");
    expectProblem(await t.call("POST", "/auth/signup/confirm", { body: { token: "x" } }), 422, "password");
    expectProblem(await t.call("POST", "/auth/signup/confirm", { body: { token: "x".repeat(201), password: PASSWORD } }), 422, "token");
  });
});

describe("the confirmation page", () => {
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const post = (t: TestApp, fields: Record<string, string>) =>
    t.app.request("/signup", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: form(fields) });

  it("asks for the password, creates the account, then says the link was used", async () => {
    const t = createTestApp();
    await rawSignup(t, "nadia@lumiere.fr", PASSWORD, "Nadia <Lumière>");
    const token = linkFor(t, "nadia@lumiere.fr");

    const page = await t.app.request(`/signup/${token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    const html = await page.text();
    expect(html).toContain("<h1>Créer votre compte <span class=\"en\">/ Create your account</span></h1>");
    expect(html).toContain("Bonjour Nadia &lt;Lumière&gt;, saisissez le mot de passe choisi");
    expect(html).toContain('<span class="email">nadia@lumiere.fr</span>');
    expect(html).toContain(`<input type="hidden" name="token" value="${token}">`);
    expect(html).toContain('<form method="post" action="/signup">');

    const wrong = await post(t, { token, password: "not the password" });
    expect(wrong.status).toBe(401);
    expect(await wrong.text()).toContain("Ce n&#39;est pas le mot de passe choisi lors de l&#39;inscription.");
    const done = await post(t, { token, password: PASSWORD });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("<h1>Votre compte est créé <span class=\"en\">/ Your account is created</span></h1>");
    expect(table(t, "SELECT email, name FROM users")).toEqual([{ email: "nadia@lumiere.fr", name: "Nadia <Lumière>" }]);
    expect(table(t, "SELECT * FROM sessions")).toEqual([]);

    const used = await t.app.request(`/signup/${token}`);
    expect(used.status).toBe(410);
    expect(await used.text()).toContain("Compte déjà créé");
    expect((await post(t, { token, password: PASSWORD })).status).toBe(410);
    const unknown = await t.app.request(`/signup/${"B".repeat(43)}`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain("Lien inconnu");
  });
});

describe("sign-up e-mails are limited, known and unknown e-mails alike", () => {
  it("past SIGNUPS_PER_EMAIL an hour for one e-mail, 429 with Retry-After whether or not it has an account; an hour later it goes through", async () => {
    const t = createTestApp({ config: { signupsPerEmailPerHour: 2 } });
    await createUser(t.deps, { email: "connue@example.fr", password: PASSWORD, name: "Connue" });
    for (const email of ["connue@example.fr", "inconnue@example.fr"]) {
      expect((await rawSignup(t, email)).status).toBe(202);
      expect((await rawSignup(t, email)).status).toBe(202);
      const third = await t.call("POST", "/auth/signup", { body: { email, password: PASSWORD, name: "Claire Martin" } });
      expectProblem(third, 429);
      expect(third.headers.get("retry-after")).toBe("3600");
      expect(third.json.detail).toBe("Too many sign-ups from this address or for this e-mail. Try again in 3600 seconds.");
    }
    expect(outbox(t.dataDir).filter((m) => m.to === "inconnue@example.fr")).toHaveLength(2);
    expect(table(t, "SELECT email FROM signups")).toEqual([{ email: "inconnue@example.fr" }, { email: "inconnue@example.fr" }]);
    t.clock.advance(3600_000);
    expect((await rawSignup(t, "inconnue@example.fr")).status).toBe(202);
  });

  it("past SIGNUPS_PER_ADDRESS an hour from one client, 429 for any further e-mail", async () => {
    const t = createTestApp({ config: { signupsPerAddressPerHour: 3 } });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await rawSignup(t, `personne${i}@example.fr`)).status);
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
    expect(table(t, "SELECT COUNT(*) AS n FROM signups")).toEqual([{ n: 3 }]);
  });
});
