import { createRoute } from "@hono/zod-openapi";
import { AuthResult, LoginInput, LoginResult, Me, SignupConfirmInput, SignupInput, SignupResult } from "@passerelle/shared";
import type { Deps } from "../context.js";
import { clientAddress } from "../http/client-address.js";
import { bearerAuth, createRouter, jsonBody, jsonResponse, problemResponses } from "../http/router.js";
import { requirePrincipal } from "../auth/authenticate.js";
import { endSession } from "../auth/sessions.js";
import { login, me } from "../services/users.js";
import { confirmSignup, requestSignup, SIGNUP_PASSWORD_ATTEMPTS } from "../services/signups.js";

const SIGN_IN_POLICY = [
  "Attempts are counted when they arrive, before the password is checked; a successful sign-in does not count.",
  "From a device that sent the `deviceToken` of an earlier successful sign-in to this account, attempts count against that device only (`LOGIN_ATTEMPTS` per window).",
  "From anywhere else they count per e-mail and client address (`LOGIN_ATTEMPTS`), per client address whatever the e-mail (`LOGIN_ATTEMPTS_PER_ADDRESS`), and per e-mail whatever the address (`LOGIN_ATTEMPTS_PER_EMAIL`):",
  "guessing from other addresses can exhaust an e-mail's budget for unknown devices, never for the owner's known devices.",
  "Past a limit the answer is 429 with `Retry-After`; when too many passwords are being checked at once, 503 with `Retry-After`.",
].join(" ");

export function authRoutes(deps: Deps) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: "post",
      path: "/auth/signup",
      tags: ["Identity"],
      summary: "Ask for an owner account: the e-mail receives a confirmation link",
      description: `Answers the same whether or not the e-mail has an account, so it tells nobody which e-mails are registered. A new address receives a link valid ${deps.config.signupTtlHours} hours (\`/signup/{token}\`, or \`POST /auth/signup/confirm\`) that creates the account with this password; an address that already has an account receives a notice instead, and nothing changes. Nobody is signed in until the link is confirmed.`,
      request: jsonBody(SignupInput),
      responses: {
        202: jsonResponse(SignupResult, "The e-mail was sent"),
        422: problemResponses[422],
        429: { description: "Too many sign-ups for this e-mail (`SIGNUPS_PER_EMAIL` an hour) or from this client address (`SIGNUPS_PER_ADDRESS`); `Retry-After` says when to try again", content: problemResponses[422].content },
        503: { description: "The e-mail could not be sent, or too many passwords are being hashed at once (`Retry-After`); nothing was recorded", content: problemResponses[422].content },
      },
    }),
    async (c) => c.json(await requestSignup(deps, c.req.valid("json"), clientAddress(c, deps.config.trustedProxies)), 202),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/auth/signup/confirm",
      tags: ["Identity"],
      summary: "Confirm a sign-up with the link's token and the password chosen at sign-up: creates the account and signs in",
      description: `The password must be the one given at sign-up, so a link alone opens no account someone else set up; a link takes ${SIGNUP_PASSWORD_ATTEMPTS} wrong passwords, then answers 410. Unknown tokens answer 404; used or expired ones 410; an e-mail that got an account meanwhile 409.`,
      request: jsonBody(SignupConfirmInput),
      responses: {
        200: jsonResponse(AuthResult, "Account created; `token` is the session token"),
        401: problemResponses[401],
        404: problemResponses[404],
        409: problemResponses[409],
        410: { description: "The link was used, has expired, or took too many wrong passwords", content: problemResponses[404].content },
        422: problemResponses[422],
      },
    }),
    async (c) => {
      const { user, session } = await confirmSignup(deps, c.req.valid("json"), { issueSession: true });
      return c.json({ token: session!.token, expiresAt: session!.expiresAt, user }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/auth/login",
      tags: ["Identity"],
      summary: "Sign in with e-mail and password",
      description: SIGN_IN_POLICY,
      request: jsonBody(LoginInput),
      responses: {
        200: jsonResponse(LoginResult, "Signed in; keep `deviceToken` and send it with the next sign-in from this device"),
        401: problemResponses[401],
        422: problemResponses[422],
        429: { description: "Too many attempts from this device, address or for this e-mail; `Retry-After` says when to try again", content: problemResponses[401].content },
        503: { description: "Too many passwords being checked at once; `Retry-After` says when to try again", content: problemResponses[401].content },
      },
    }),
    async (c) => c.json(await login(deps, c.req.valid("json"), clientAddress(c, deps.config.trustedProxies)), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/auth/logout",
      tags: ["Identity"],
      summary: "End the current session",
      security: bearerAuth,
      responses: { 204: { description: "Signed out" }, 401: problemResponses[401] },
    }),
    (c) => {
      const principal = requirePrincipal(c.get("principal"));
      if (principal.via === "session") endSession(deps.db, principal.credentialHash);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/me",
      tags: ["Identity"],
      summary: "The signed-in user and their companies",
      security: bearerAuth,
      responses: { 200: jsonResponse(Me, "User and memberships"), 401: problemResponses[401] },
    }),
    (c) => {
      const principal = requirePrincipal(c.get("principal"));
      return c.json(me(deps.db, principal.userId, principal.companyId), 200);
    },
  );

  return app;
}
