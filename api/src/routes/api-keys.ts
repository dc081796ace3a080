import { createRoute, z } from "@hono/zod-openapi";
import { ApiKey, ApiKeyCreated, ApiKeyInput } from "@passerelle/shared";
import type { Deps } from "../context.js";
import { bearerAuth, createRouter, jsonBody, jsonResponse, problemResponses } from "../http/router.js";
import { requirePrincipal } from "../auth/authenticate.js";
import { createApiKey, listApiKeys, requireSession, revokeApiKey } from "../services/api-keys.js";

const KEY_DESCRIPTION =
  "Send the key as `Authorization: Bearer psk_…`. A `read` key can only GET; a key with `companyId` sees that company only. Keys are managed from a signed-in session (a key cannot create or revoke keys).";

export function apiKeyRoutes(deps: Deps) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: "get",
      path: "/api-keys",
      tags: ["API keys"],
      summary: "Your API keys (never their secrets)",
      description: KEY_DESCRIPTION,
      security: bearerAuth,
      responses: { 200: jsonResponse(z.object({ items: z.array(ApiKey) }), "Active keys"), 401: problemResponses[401], 403: problemResponses[403] },
    }),
    (c) => {
      const principal = requirePrincipal(c.get("principal"));
      requireSession(principal);
      return c.json({ items: listApiKeys(deps.db, principal.userId) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/api-keys",
      tags: ["API keys"],
      summary: "Create an API key for a script; the secret is shown in this answer only",
      description: `${KEY_DESCRIPTION} Only the SHA-256 of the secret is stored: keep it somewhere safe.`,
      security: bearerAuth,
      request: jsonBody(ApiKeyInput),
      responses: {
        201: jsonResponse(ApiKeyCreated, "The key, with `secret` (shown once)"),
        401: problemResponses[401],
        403: problemResponses[403],
        422: problemResponses[422],
      },
    }),
    (c) => {
      const principal = requirePrincipal(c.get("principal"));
      requireSession(principal);
      return c.json(createApiKey(deps.db, principal.userId, c.req.valid("json"), deps.clock.now()), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/api-keys/{keyId}",
      tags: ["API keys"],
      summary: "Revoke a key; it stops working at once",
      security: bearerAuth,
      request: { params: z.object({ keyId: z.string().max(64) }) },
      responses: { 204: { description: "Revoked" }, 401: problemResponses[401], 403: problemResponses[403], 404: problemResponses[404] },
    }),
    (c) => {
      const principal = requirePrincipal(c.get("principal"));
      requireSession(principal);
      revokeApiKey(deps.db, principal.userId, c.req.valid("param").keyId, deps.clock.now());
      return c.body(null, 204);
    },
  );

  return app;
}
