import { createRoute } from "@hono/zod-openapi";
import { AuthResult, LoginInput, Me, SignupInput } from "@passerelle/shared";
import type { Deps } from "../context.js";
import { clientAddress } from "../http/client-address.js";
import { bearerAuth, createRouter, jsonBody, jsonResponse, problemResponses } from "../http/router.js";
import { requirePrincipal } from "../auth/authenticate.js";
import { endSession } from "../auth/sessions.js";
import { login, me, signup } from "../services/users.js";

export function authRoutes(deps: Deps) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: "post",
      path: "/auth/signup",
      tags: ["Identity"],
      summary: "Create an owner account and sign in",
      request: jsonBody(SignupInput),
      responses: { 201: jsonResponse(AuthResult, "Signed up; `token` is the session token"), 409: problemResponses[409], 422: problemResponses[422] },
    }),
    async (c) => c.json(await signup(deps, c.req.valid("json")), 201),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/auth/login",
      tags: ["Identity"],
      summary: "Sign in with e-mail and password",
      description: "Attempts are limited per e-mail and per client address; past the limit the answer is 429 with `Retry-After`.",
      request: jsonBody(LoginInput),
      responses: {
        200: jsonResponse(AuthResult, "Signed in"),
        401: problemResponses[401],
        422: problemResponses[422],
        429: { description: "Too many attempts", content: problemResponses[401].content },
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
