/**
 * `GET /signup/{token}`: the page the sign-up e-mail links to. The owner enters the password chosen
 * at sign-up and the account is created; they then sign in from the extension. Plain HTML, no
 * JavaScript; the form posts to `/signup` (the token travels in the body). No CSRF token: a forged
 * post needs the link's token and password, creates only that e-mail's account and signs nobody in.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "@hono/zod-openapi";
import type { OpenAPIHono } from "@hono/zod-openapi";
import type { AppEnv, Deps } from "../context.js";
import { ProblemError } from "../http/problem.js";
import { expiryEn, expiryFr } from "../mail/bilingual.js";
import { confirmSignup, findSignupByToken, SignupUnusable, type SignupLookup } from "../services/signups.js";
import { html, page } from "./layout.js";

const REFUSALS: Record<SignupUnusable["reason"], { fr: [string, string]; en: [string, string] }> = {
  unknown: {
    fr: ["Lien inconnu", "Ce lien ne correspond à aucune inscription en cours. Vérifiez qu'il a été copié en entier, ou inscrivez-vous à nouveau."],
    en: ["Unknown link", "This link matches no pending sign-up. Check that it was copied whole, or sign up again."],
  },
  confirmed: {
    fr: ["Compte déjà créé", "Ce lien a déjà servi : votre compte existe. Connectez-vous depuis l'extension Passerelle avec votre e-mail et votre mot de passe."],
    en: ["Account already created", "This link was already used: your account exists. Sign in from the Passerelle extension with your e-mail and password."],
  },
  expired: {
    fr: ["Lien expiré", "Ce lien a expiré. Inscrivez-vous à nouveau depuis l'extension Passerelle : vous recevrez un nouveau lien."],
    en: ["Link expired", "This link has expired. Sign up again from the Passerelle extension: you will receive a new link."],
  },
  exhausted: {
    fr: ["Lien bloqué", "Trop de mots de passe erronés ont été essayés avec ce lien : il ne fonctionne plus. Inscrivez-vous à nouveau pour en recevoir un autre."],
    en: ["Link blocked", "Too many wrong passwords were tried with this link: it no longer works. Sign up again to receive another one."],
  },
  taken: {
    fr: ["Un compte existe déjà", "Un compte existe déjà pour cette adresse. Connectez-vous avec son mot de passe depuis l'extension Passerelle."],
    en: ["An account already exists", "An account already exists for this address. Sign in with its password from the Passerelle extension."],
  },
};

function refusalPage(reason: SignupUnusable["reason"]): Response {
  const r = REFUSALS[reason];
  const status = new SignupUnusable(reason).status;
  return page(status, r.fr[0], html`<h1>${r.fr[0]} <span class="en">/ ${r.en[0]}</span></h1><p>${r.fr[1]}</p><p class="en" lang="en">${r.en[1]}</p>`);
}

export function signupPages(deps: Deps) {
  const app = new Hono<AppEnv>();

  function formPage(found: SignupLookup, token: string, error: { fr: string; en: string } | null, status = 200): Response {
    const expires = new Date(found.expiresAt);
    const body = html`<h1>Créer votre compte <span class="en">/ Create your account</span></h1>
<p>Bonjour ${found.name}, saisissez le mot de passe choisi lors de votre inscription pour créer le compte de <span class="email">${found.email}</span>.
<br><span class="en" lang="en">Enter the password you chose when signing up to create the account of this e-mail.</span></p>
<p><small>Lien valable jusqu'au ${expiryFr(expires, deps.config.timeZone)} · <span lang="en">valid until ${expiryEn(expires, deps.config.timeZone)}</span></small></p>
${error ? html`<div class="error" role="alert">${error.fr} <span class="en">/ ${error.en}</span></div>` : html``}
<form method="post" action="/signup">
<input type="hidden" name="token" value="${token}">
<label for="password">Mot de passe <span class="en">/ Password</span></label>
<input type="password" id="password" name="password" autocomplete="current-password" required maxlength="200">
<button type="submit">Créer mon compte <span class="en">/ Create my account</span></button>
</form>`;
    return page(status, "Créer votre compte", body);
  }

  function donePage(email: string): Response {
    const body = html`<h1>Votre compte est créé <span class="en">/ Your account is created</span></h1>
<p>Connectez-vous maintenant depuis l'extension Passerelle avec <span class="email">${email}</span> et votre mot de passe.
<br><span class="en" lang="en">Now sign in from the Passerelle extension with this e-mail and your password.</span></p>
<p><small>Vous pouvez fermer cette page. <span lang="en">You may close this page.</span></small></p>`;
    return page(200, "Compte créé", body);
  }

  app.get("/signup/:token", (c) => {
    const token = c.req.param("token");
    const found = token.length <= 200 ? findSignupByToken(deps.db, token, deps.clock.now()) : null;
    if (!found) return refusalPage("unknown");
    if (found.status !== "pending") return refusalPage(found.status);
    return formPage(found, token, null);
  });

  app.post(
    "/signup",
    bodyLimit({
      maxSize: 16 * 1024,
      onError: () => {
        throw new ProblemError(413, "Payload Too Large", "The form is too large.");
      },
    }),
    async (c) => {
      const form = await c.req.parseBody().catch(() => ({}) as Record<string, unknown>);
      const field = (name: string) => (typeof form[name] === "string" ? (form[name] as string) : "");
      const token = field("token");
      const password = field("password");
      const found = token && token.length <= 200 ? findSignupByToken(deps.db, token, deps.clock.now()) : null;
      if (!found) return refusalPage("unknown");
      if (found.status !== "pending") return refusalPage(found.status);
      if (!password || password.length > 200) {
        return formPage(found, token, { fr: "Saisissez votre mot de passe.", en: "Enter your password." }, 422);
      }
      try {
        const { user } = await confirmSignup(deps, { token, password }, { issueSession: false });
        return donePage(user.email);
      } catch (error) {
        if (error instanceof SignupUnusable) return refusalPage(error.reason);
        if (error instanceof ProblemError && error.status === 401) {
          return formPage(found, token, { fr: "Ce n'est pas le mot de passe choisi lors de l'inscription.", en: "This is not the password chosen when signing up." }, 401);
        }
        throw error;
      }
    },
  );

  return app;
}

/** Describes the page in the OpenAPI document (it is HTML, served outside /api/v1). */
export function registerSignupPageDoc(api: OpenAPIHono<AppEnv>): void {
  api.openAPIRegistry.registerPath({
    method: "get",
    path: "/signup/{token}",
    tags: ["Identity"],
    summary: "The sign-up confirmation page (HTML, French then English): enter the password chosen at sign-up to create the account",
    description:
      "Linked from the sign-up e-mail; works without JavaScript. The form posts to `/signup` (form-encoded `token`, `password`). Unknown links answer 404; used, expired or blocked ones 410; an e-mail that got an account meanwhile 409.",
    request: { params: z.object({ token: z.string() }) },
    responses: {
      200: { description: "The form", content: { "text/html": { schema: z.string() } } },
      404: { description: "Unknown link", content: { "text/html": { schema: z.string() } } },
      409: { description: "The e-mail has an account already", content: { "text/html": { schema: z.string() } } },
      410: { description: "Used, expired or blocked", content: { "text/html": { schema: z.string() } } },
    },
  });
}
