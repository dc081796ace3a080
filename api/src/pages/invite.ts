/**
 * `GET /invite/{token}`: the page the invitation e-mail links to. The accountant creates an
 * account (or signs in if the invited e-mail has one) and accepts, with plain HTML forms — no
 * JavaScript. The form posts to `/invite` (the token travels in the body, not in the next URL).
 * CSRF: a random cookie (HttpOnly, SameSite=Strict) and a hidden field that is the HMAC of that
 * cookie and the invitation id, checked together with the Origin header.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { getCookie } from "hono/cookie";
import { createHmac, randomBytes } from "node:crypto";
import { z } from "@hono/zod-openapi";
import { textProblem } from "@passerelle/shared";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv, Deps } from "../context.js";
import { ProblemError } from "../http/problem.js";
import { clientAddress } from "../http/client-address.js";
import { randomToken, safeEqual } from "../auth/secrets.js";
import { acceptInvitation, findInvitationByToken, InvitationUnusable, type InvitationLookup } from "../services/invitations.js";
import { expiryEn, expiryFr } from "../mail/bilingual.js";
import { html, page, type Html } from "./layout.js";

const CSRF_COOKIE = "passerelle_invite_csrf";

type Refusal = InvitationUnusable["reason"] | "rate_limited" | "csrf";

const REFUSALS: Record<Refusal, { status: number; fr: [string, string]; en: [string, string] }> = {
  unknown: {
    status: 404,
    fr: ["Lien d'invitation inconnu", "Ce lien ne correspond à aucune invitation. Vérifiez qu'il a été copié en entier, ou demandez une nouvelle invitation."],
    en: ["Unknown invitation link", "This link matches no invitation. Check that it was copied whole, or ask for a new invitation."],
  },
  accepted: {
    status: 410,
    fr: ["Invitation déjà utilisée", "Ce lien a déjà servi : il ne fonctionne qu'une fois. Connectez-vous avec votre compte (complément Excel ou API)."],
    en: ["Invitation already used", "This link was already used: it works only once. Sign in with your account (Excel add-in or API)."],
  },
  revoked: {
    status: 410,
    fr: ["Invitation retirée", "L'entreprise a retiré cette invitation. Contactez-la si vous pensez que c'est une erreur."],
    en: ["Invitation withdrawn", "The company withdrew this invitation. Contact them if you think this is a mistake."],
  },
  expired: {
    status: 410,
    fr: ["Invitation expirée", "Ce lien a expiré. Demandez à l'entreprise de vous renvoyer l'invitation : vous recevrez un nouveau lien."],
    en: ["Invitation expired", "This link has expired. Ask the company to send the invitation again: you will receive a new link."],
  },
  inviter_gone: {
    status: 410,
    fr: ["Invitation caduque", "La personne qui vous a invité ne gère plus cette entreprise. Demandez une nouvelle invitation à son dirigeant."],
    en: ["Invitation no longer valid", "The person who invited you no longer manages this company. Ask its owner for a new invitation."],
  },
  rate_limited: {
    status: 429,
    fr: ["Trop de tentatives", "Trop de tentatives depuis votre connexion. Réessayez dans quelques minutes."],
    en: ["Too many attempts", "Too many attempts from your connection. Try again in a few minutes."],
  },
  csrf: {
    status: 403,
    fr: ["Formulaire expiré", "Ce formulaire n'est plus valable (page trop ancienne, ou envoyée depuis un autre site). Rouvrez le lien de l'invitation et recommencez."],
    en: ["Form expired", "This form is no longer valid (page too old, or sent from another site). Open the invitation link again and start over."],
  },
};

function refusalPage(reason: Refusal, headers: Record<string, string> = {}): Response {
  const r = REFUSALS[reason];
  return page(
    r.status,
    r.fr[0],
    html`<h1>${r.fr[0]} <span class="en">/ ${r.en[0]}</span></h1><p>${r.fr[1]}</p><p class="en" lang="en">${r.en[1]}</p>`,
    headers,
  );
}

interface FormState {
  name?: string;
  errors?: { fr: string; en: string }[];
}

export function invitePages(deps: Deps) {
  const app = new Hono<AppEnv>();
  // Per-process key: a form rendered before a restart is refused with a clear "reload" page.
  const csrfKey = randomBytes(32);
  const secureCookie = deps.config.publicUrl.startsWith("https://");
  const csrfFor = (cookie: string, invitationId: string) => createHmac("sha256", csrfKey).update(`${cookie}.${invitationId}`).digest("base64url");

  function formPage(found: InvitationLookup, token: string, cookie: string, state: FormState, status = 200): Response {
    const { row, companyName, inviterName, hasAccount } = found;
    const expires = new Date(row.expires_at);
    const errors = state.errors?.length
      ? html`<div class="error" role="alert">${state.errors.map((e) => html`<div>${e.fr} <span class="en">/ ${e.en}</span></div>`)}</div>`
      : html``;
    const fields = hasAccount
      ? html`<p>Un compte existe déjà pour <span class="email">${row.email}</span> : saisissez son mot de passe.<br><span class="en" lang="en">An account already exists for this e-mail: enter its password.</span></p>
<label for="password">Mot de passe <span class="en">/ Password</span></label>
<input type="password" id="password" name="password" autocomplete="current-password" required maxlength="200">
<button type="submit">Me connecter et accepter <span class="en">/ Sign in and accept</span></button>`
      : html`<p>Créez votre compte gratuit pour <span class="email">${row.email}</span>.<br><span class="en" lang="en">Create your free account for this e-mail.</span></p>
<label for="name">Nom <span class="en">/ Name</span></label>
<input type="text" id="name" name="name" autocomplete="name" required maxlength="120" value="${state.name ?? ""}">
<label for="password">Mot de passe (10 caractères minimum) <span class="en">/ Password (at least 10 characters)</span></label>
<input type="password" id="password" name="password" autocomplete="new-password" required minlength="10" maxlength="200">
<label for="confirm">Confirmez le mot de passe <span class="en">/ Confirm the password</span></label>
<input type="password" id="confirm" name="confirm" autocomplete="new-password" required minlength="10" maxlength="200">
<button type="submit">Créer mon compte et accepter <span class="en">/ Create my account and accept</span></button>`;
    const body = html`<h1>Invitation : ${companyName} <span class="en">/ Invitation: ${companyName}</span></h1>
<p>${inviterName} vous invite à accéder à la comptabilité de <strong>${companyName}</strong> : factures et avoirs, journal des ventes, clients, produits, TVA, encaissements et documents partagés. Vous pourrez attribuer les comptes, verrouiller des périodes et produire les exports ; vous ne pourrez pas modifier les factures, clients ou produits.</p>
<p class="en" lang="en">${inviterName} invites you to the accounts of ${companyName}: invoices and credit notes, sales journal, customers, products, VAT, payments and shared documents. You will set account codes, lock periods and produce exports; you will not be able to change invoices, customers or products.</p>
<p><small>Lien valable jusqu'au ${expiryFr(expires, deps.config.timeZone)} · <span lang="en">valid until ${expiryEn(expires, deps.config.timeZone)}</span></small></p>
${errors}
<form method="post" action="/invite" autocomplete="on">
<input type="hidden" name="token" value="${token}">
<input type="hidden" name="csrf" value="${csrfFor(cookie, row.id)}">
${fields}
</form>`;
    const cookieHeader = `${CSRF_COOKIE}=${cookie}; Path=/invite; HttpOnly; SameSite=Strict; Max-Age=86400${secureCookie ? "; Secure" : ""}`;
    return page(status, `Invitation — ${companyName}`, body, { "set-cookie": cookieHeader });
  }

  function donePage(accepted: { companyName: string; email: string; newAccount: boolean }): Response {
    const base = deps.config.publicUrl;
    const body = html`<h1>C'est fait ! <span class="en">/ Done!</span></h1>
<p>${accepted.newAccount ? "Votre compte est créé et vous" : "Vous"} avez maintenant accès à <strong>${accepted.companyName}</strong>.
<br><span class="en" lang="en">${accepted.newAccount ? "Your account is created and you" : "You"} now have access to ${accepted.companyName}.</span></p>
<p>Et maintenant ? <span class="en">/ What next?</span></p>
<ol>
<li><strong>Excel</strong> : ajoutez le complément Passerelle (Insertion › Compléments › Charger mon complément, avec le manifeste <code>${base}/addin/manifest.xml</code>), connectez-vous avec <span class="email">${accepted.email}</span> et votre mot de passe, choisissez ${accepted.companyName} et tirez le journal des ventes dans un tableau qui reste à jour.
<br><span class="en" lang="en">Add the Passerelle add-in (Insert › Add-ins › Upload My Add-in, with the manifest ${base}/addin/manifest.xml), sign in with this e-mail and your password, pick the company and pull the sales journal into a live table.</span></li>
<li><strong>API</strong> : pour vos scripts et votre logiciel comptable, créez une clé d'API (<code>POST /api/v1/api-keys</code>) ; la documentation est sur <code>${base}/docs</code>.
<br><span class="en" lang="en">For scripts and accounting software, create an API key (POST /api/v1/api-keys); the documentation is at ${base}/docs.</span></li>
</ol>
<p><small>Vous pouvez fermer cette page. <span lang="en">You may close this page.</span></small></p>`;
    return page(200, "Invitation acceptée", body);
  }

  /** Unknown-token lookups count against the same per-address budget as acceptance attempts. */
  const limitKey = (c: Parameters<typeof clientAddress>[0]) => `accept:client:${clientAddress(c, deps.config.trustedProxies)}`;

  app.get("/invite/:token", (c) => {
    if (deps.invitationLimiter.retryAfter(limitKey(c)) > 0) return refusalPage("rate_limited");
    const token = c.req.param("token");
    const found = token.length <= 200 ? findInvitationByToken(deps.db, token, deps.clock.now()) : null;
    if (!found) {
      deps.invitationLimiter.record(limitKey(c));
      return refusalPage("unknown");
    }
    if (found.status !== "pending") return refusalPage(found.status);
    const cookie = getCookie(c, CSRF_COOKIE);
    return formPage(found, token, cookie && /^[A-Za-z0-9_-]{43}$/.test(cookie) ? cookie : randomToken(32), {});
  });

  app.post(
    "/invite",
    bodyLimit({
      maxSize: 16 * 1024,
      onError: () => {
        throw new ProblemError(413, "Payload Too Large", "The form is too large.");
      },
    }),
    async (c) => {
      const origin = c.req.header("origin");
      if (origin && origin !== "null" && origin !== new URL(deps.config.publicUrl).origin && origin !== new URL(c.req.url).origin) {
        return refusalPage("csrf");
      }
      const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const field = (name: string) => (typeof form[name] === "string" ? (form[name] as string) : "");
      const token = field("token");
      const now = deps.clock.now();
      const found = token && token.length <= 200 ? findInvitationByToken(deps.db, token, now) : null;
      if (!found) {
        deps.invitationLimiter.record(limitKey(c));
        return refusalPage("unknown");
      }
      const cookie = getCookie(c, CSRF_COOKIE) ?? "";
      if (!cookie || !safeEqual(field("csrf"), csrfFor(cookie, found.row.id))) return refusalPage("csrf");
      if (found.status !== "pending") return refusalPage(found.status);

      const name = field("name").trim();
      const password = field("password");
      const errors: FormState["errors"] = [];
      if (!found.hasAccount) {
        if (!name) errors.push({ fr: "Indiquez votre nom.", en: "Enter your name." });
        else if (name.length > 120) errors.push({ fr: "Le nom est trop long (120 caractères au plus).", en: "The name is too long (120 characters at most)." });
        else if (textProblem(name)) errors.push({ fr: "Le nom contient un caractère invisible (contrôle, saut de ligne ou mise en forme bidirectionnelle).", en: "The name holds an invisible character (control, line break or bidirectional formatting)." });
        if (password.length < 10) errors.push({ fr: "Le mot de passe doit faire au moins 10 caractères.", en: "The password must be at least 10 characters." });
        else if (password !== field("confirm")) errors.push({ fr: "Les deux mots de passe ne sont pas identiques.", en: "The two passwords differ." });
      } else if (!password) {
        errors.push({ fr: "Saisissez votre mot de passe.", en: "Enter your password." });
      }
      if (errors.length > 0) return formPage(found, token, cookie, { name, errors }, 422);

      try {
        const accepted = await acceptInvitation(
          deps,
          { token, name: found.hasAccount ? undefined : name, password },
          { clientKey: clientAddress(c, deps.config.trustedProxies), issueSession: false },
        );
        return donePage({ companyName: accepted.companyName, email: accepted.user.email, newAccount: accepted.newAccount });
      } catch (error) {
        if (error instanceof InvitationUnusable) return refusalPage(error.reason);
        if (error instanceof ProblemError) {
          if (error.status === 429) return refusalPage("rate_limited", error.headers);
          if (error.status === 401) {
            return formPage(found, token, cookie, { errors: [{ fr: "Mot de passe incorrect.", en: "Wrong password." }] }, 401);
          }
          return formPage(found, token, cookie, { name, errors: [{ fr: error.detail ?? error.title, en: error.title }] }, error.status);
        }
        throw error;
      }
    },
  );

  return app;
}

/** Describes the page in the OpenAPI document (it is HTML, served outside /api/v1). */
export function registerInvitePageDoc(api: OpenAPIHono<AppEnv>): void {
  api.openAPIRegistry.registerPath({
    method: "get",
    path: "/invite/{token}",
    tags: ["Access"],
    summary: "The invitation page (HTML, French then English): create the account or sign in, then accept",
    description:
      "Linked from the invitation e-mail; works without JavaScript. Unknown tokens answer 404, used, revoked or expired ones 410. The form posts to `/invite` (form-encoded `token`, `csrf`, `name`, `password`, `confirm`) with the CSRF cookie set by this page.",
    request: { params: z.object({ token: z.string() }) },
    responses: {
      200: { description: "The form", content: { "text/html": { schema: z.string() } } },
      404: { description: "Unknown link", content: { "text/html": { schema: z.string() } } },
      410: { description: "Used, revoked or expired", content: { "text/html": { schema: z.string() } } },
      429: { description: "Too many unknown links from this client address", content: { "text/html": { schema: z.string() } } },
    },
  });
}
