import { beforeEach, describe, expect, it, vi } from "vitest";
import { createTestApp, ownerWithCompany, type TestApp } from "./helpers.js";
import { ACCOUNTANT_PASSWORD, invite, invitedAccountant } from "./access-helpers.js";

beforeEach(() => {
  vi.spyOn(console, "log").mockImplementation(() => {});
  return () => vi.restoreAllMocks();
});

/** A browser's view of a page: status, headers, HTML, the cookie it set and the form's hidden fields. */
async function open(t: TestApp, path: string, cookie?: string) {
  const res = await t.app.request(path, { headers: cookie ? { cookie } : {} });
  const html = await res.text();
  const setCookie = res.headers.get("set-cookie");
  return { res, html, cookie: setCookie ? setCookie.split(";")[0]! : cookie, hidden: hiddenFields(html) };
}

function hiddenFields(html: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) fields[m[1]!] = m[2]!;
  return fields;
}

async function submit(t: TestApp, fields: Record<string, string>, cookie: string | undefined, headers: Record<string, string> = {}) {
  const res = await t.app.request("/invite", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...(cookie ? { cookie } : {}), ...headers },
    body: new URLSearchParams(fields).toString(),
  });
  return { res, html: await res.text() };
}

describe("the invitation page", () => {
  it("is plain HTML in French then English, with no script, a strict CSP and no referrer", async () => {
    const t = createTestApp();
    const owner = await ownerWithCompany(t);
    const { token } = await invite(t, owner, "page@cabinet.fr");
    const page = await open(t, `/invite/${token}`);
    expect(page.res.status).toBe(200);
    expect(page.res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(page.res.headers.get("cache-control")).toBe("no-store");
    expect(page.res.headers.get("x-frame-options")).toBe("DENY");
    const csp = page.res.headers.get("content-security-policy")!;
    expect(csp).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]+'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'$/);
    expect(page.html).not.toMatch(/<script/i);
    expect(page.html).toContain('<html lang="fr">');
    expect(page.html.indexOf("Créer mon compte et accepter")).toBeGreaterThan(0);
    expect(page.html.indexOf("Create my account and accept")).toBeGreaterThan(page.html.indexOf("Créer mon compte et accepter"));
    expect(page.html).toContain("Owner vous invite à accéder à la comptabilité de <strong>Atelier Test SARL</strong>");
    expect(page.html).toContain("Lien valable jusqu'au vendredi 27 novembre 2026 à 11:00");
    expect(page.html).toContain('<form method="post" action="/invite"');
    expect(page.hidden.token).toBe(token);
    expect(page.hidden.csrf).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(page.res.headers.get("set-cookie")).toMatch(/^passerelle_invite_csrf=[A-Za-z0-9_-]{43}; Path=\/invite; HttpOnly; SameSite=Strict; Max-Age=86400$/);
  });

  it("creates the account and accepts with a form post, then says what to do next without secrets in the URL", async () => {
    const t = createTestApp();
    const owner = await ownerWithCompany(t);
    const { token } = await invite(t, owner, "form@cabinet.fr");
    const page = await open(t, `/invite/${token}`);
    const done = await submit(t, { ...page.hidden, name: "Fanny Formulaire", password: ACCOUNTANT_PASSWORD, confirm: ACCOUNTANT_PASSWORD }, page.cookie);
    expect(done.res.status).toBe(200);
    expect(done.html).toContain("C'est fait !");
    expect(done.html).toContain("Votre compte est créé et vous avez maintenant accès à <strong>Atelier Test SARL</strong>");
    expect(done.html).toContain("avec le manifeste <code>http://localhost:8787/addin/manifest.xml</code>");
    expect(done.html).toContain("POST /api/v1/api-keys");
    expect(done.html).not.toContain(token);
    expect(done.res.headers.get("location")).toBeNull();

    const login = await t.call("POST", "/auth/login", { body: { email: "form@cabinet.fr", password: ACCOUNTANT_PASSWORD } });
    expect(login.status).toBe(200);
    expect(login.json.user.name).toBe("Fanny Formulaire");
    const me = await t.call("GET", "/me", { token: login.json.token });
    expect(me.json.memberships).toEqual([{ companyId: owner.companyId, companyName: "Atelier Test SARL", role: "accountant" }]);

    const again = await open(t, `/invite/${token}`);
    expect(again.res.status).toBe(410);
    expect(again.html).toContain("Invitation déjà utilisée");
    expect(again.html).toContain("Invitation already used");
  });

  it("refuses a post without the CSRF cookie, with a field from another cookie, or from another origin", async () => {
    const t = createTestApp();
    const owner = await ownerWithCompany(t);
    const { token } = await invite(t, owner, "csrf@cabinet.fr");
    const page = await open(t, `/invite/${token}`);
    const fields = { ...page.hidden, name: "C", password: ACCOUNTANT_PASSWORD, confirm: ACCOUNTANT_PASSWORD };
    const noCookie = await submit(t, fields, undefined);
    expect(noCookie.res.status).toBe(403);
    expect(noCookie.html).toContain("Formulaire expiré");
    const otherBrowser = await open(t, `/invite/${token}`);
    expect(otherBrowser.cookie).not.toBe(page.cookie);
    expect((await submit(t, fields, otherBrowser.cookie)).res.status).toBe(403);
    expect((await submit(t, { ...fields, csrf: "forged" }, page.cookie)).res.status).toBe(403);
    const crossSite = await submit(t, fields, page.cookie, { origin: "https://evil.example" });
    expect(crossSite.res.status).toBe(403);
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM users WHERE email = 'csrf@cabinet.fr'").pluck().get()).toBe(0);
    // the genuine form still works afterwards
    expect((await submit(t, fields, page.cookie, { origin: "http://localhost:8787" })).res.status).toBe(200);
  });

  it("re-shows the form (422) when the passwords differ or the name is missing, keeping what was typed", async () => {
    const t = createTestApp();
    const owner = await ownerWithCompany(t);
    const { token } = await invite(t, owner, "typo@cabinet.fr");
    const page = await open(t, `/invite/${token}`);
    const differ = await submit(t, { ...page.hidden, name: "Théo <Typo>", password: ACCOUNTANT_PASSWORD, confirm: "something else" }, page.cookie);
    expect(differ.res.status).toBe(422);
    expect(differ.html).toContain("Les deux mots de passe ne sont pas identiques.");
    expect(differ.html).toContain("The two passwords differ.");
    expect(differ.html).toContain('value="Théo &lt;Typo&gt;"');
    const short = await submit(t, { ...page.hidden, name: "", password: "short", confirm: "short" }, page.cookie);
    expect(short.res.status).toBe(422);
    expect(short.html).toContain("Indiquez votre nom.");
    expect(short.html).toContain("Le mot de passe doit faire au moins 10 caractères.");
    expect(t.deps.db.prepare("SELECT consumed_at FROM invitations").pluck().get()).toBeNull();
  });

  it("asks only for the password when the invited e-mail already has an account", async () => {
    const t = createTestApp();
    const first = await ownerWithCompany(t);
    const accountant = await invitedAccountant(t, first);
    const second = await ownerWithCompany(t);
    const { token } = await invite(t, second, accountant.email);
    const page = await open(t, `/invite/${token}`);
    expect(page.html).toContain("Me connecter et accepter");
    expect(page.html).not.toContain('name="name"');
    expect(page.html).toContain('autocomplete="current-password"');
    const wrong = await submit(t, { ...page.hidden, password: "wrong password" }, page.cookie);
    expect(wrong.res.status).toBe(401);
    expect(wrong.html).toContain("Mot de passe incorrect.");
    const ok = await submit(t, { ...page.hidden, password: ACCOUNTANT_PASSWORD }, page.cookie);
    expect(ok.res.status).toBe(200);
    expect(ok.html).toContain("Vous avez maintenant accès à <strong>Atelier Test SARL</strong>");
  });

  it("answers unknown (404), expired, revoked and used (410) links with a clear page and no stack trace", async () => {
    const t = createTestApp();
    const owner = await ownerWithCompany(t);
    const unknown = await open(t, "/invite/this-is-not-a-token");
    expect(unknown.res.status).toBe(404);
    expect(unknown.html).toContain("Lien d&#39;invitation inconnu");
    expect(unknown.html).toContain("Unknown invitation link");

    const revoked = await invite(t, owner, "revoked@cabinet.fr");
    await t.call("DELETE", `/companies/${owner.companyId}/invitations/${revoked.invitation.id}`, { token: owner.token });
    const r = await open(t, `/invite/${revoked.token}`);
    expect(r.res.status).toBe(410);
    expect(r.html).toContain("Invitation retirée");

    const expiring = await invite(t, owner, "late@cabinet.fr");
    const formBefore = await open(t, `/invite/${expiring.token}`);
    t.clock.advance(8 * 24 * 3600_000);
    const e = await open(t, `/invite/${expiring.token}`);
    expect(e.res.status).toBe(410);
    expect(e.html).toContain("Invitation expirée");
    expect(e.html).toContain("Demandez à l&#39;entreprise de vous renvoyer l&#39;invitation");
    // a form opened before expiry and posted after it is refused the same way
    const late = await submit(t, { ...formBefore.hidden, name: "L", password: ACCOUNTANT_PASSWORD, confirm: ACCOUNTANT_PASSWORD }, formBefore.cookie);
    expect(late.res.status).toBe(410);

    for (const body of [unknown.html, r.html, e.html, late.html]) {
      expect(body).not.toMatch(/\bat .+\.(ts|js):\d+/);
      expect(body).not.toContain("Error");
      expect(body).not.toMatch(/<script/i);
    }
  });

  it("counts unknown links against the client's attempt budget and then answers 429", async () => {
    const t = createTestApp();
    for (let i = 0; i < 10; i++) expect((await open(t, `/invite/guess-${i}`)).res.status).toBe(404);
    const blocked = await open(t, "/invite/guess-final");
    expect(blocked.res.status).toBe(429);
    expect(blocked.html).toContain("Trop de tentatives");
    expect(blocked.html).toContain("Too many attempts");
    const docs = await t.app.request("/docs");
    expect(docs.status).toBe(200);
    expect(await docs.text()).toContain("/invite/{token}");
  });
});
