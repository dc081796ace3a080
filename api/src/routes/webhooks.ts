import { createRoute, z } from "@hono/zod-openapi";
import { ListQuery, Webhook, WebhookCreated, WebhookDelivery, WebhookInput, WEBHOOK_EVENTS, pageOf } from "@passerelle/shared";
import type { Context } from "hono";
import type { AppEnv, Deps } from "../context.js";
import { access, bearerAuth, CompanyParam, createRouter, jsonBody, jsonResponse, problemResponses, useCase } from "../http/router.js";
import { forbidden } from "../http/problem.js";
import { createWebhook, deleteWebhook, getWebhook, listDeliveries, listWebhooks } from "../services/webhooks.js";

const WebhookParam = CompanyParam.extend({ webhookId: z.string().max(64) });

const SIGNING = `Each delivery is a POST with a JSON body \`{ id, event, companyId, seq, occurredAt, actorId, data: { action, kind, id, date, details, url? } }\` and the headers \`X-Passerelle-Event\`, \`X-Passerelle-Delivery\`, \`X-Passerelle-Timestamp\` (Unix seconds) and \`X-Passerelle-Signature: sha256=<hex>\`, the HMAC-SHA256 of \`<timestamp>.<body>\` keyed with the webhook's secret. Check it, and refuse timestamps older than a few minutes. Any 2xx answer counts as delivered; otherwise the delivery is retried with exponential backoff (30 s doubling, at most 4 h apart) for 24 hours. Events: ${WEBHOOK_EVENTS.join(", ")} (\`period.locked\` also fires for a hard close, with \`data.action\` = \`period.closed\`).`;

/** Webhooks belong to the company's members, owners and accountants alike. */
function member(c: Context<AppEnv>, deps: Deps, companyId: string, write: boolean) {
  const a = access(c, deps, companyId, "owner", "read");
  if (write && a.principal.scope !== "write") throw forbidden("This API key is read-only.");
  return a;
}

export function webhookRoutes(deps: Deps) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/webhooks",
      tags: ["Webhooks"],
      summary: "The company's webhooks (owners and accountants)",
      description: SIGNING,
      security: bearerAuth,
      request: { params: CompanyParam },
      responses: { 200: jsonResponse(z.object({ items: z.array(Webhook) }), "Webhooks"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      member(c, deps, companyId, false);
      return c.json({ items: listWebhooks(deps.db, companyId) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/companies/{companyId}/webhooks",
      tags: ["Webhooks"],
      summary: "Register a webhook; its signing secret is shown in this answer only",
      description: `${SIGNING} URLs must be https:// and reach a public address: loopback, private (10/8, 172.16/12, 192.168/16), link-local (169.254/16, cloud metadata), carrier-grade NAT (100.64/10), multicast and their IPv6 equivalents are refused here (422 on \`url\`) and again when the host name is resolved at delivery (the delivery fails with the reason). A development server started with WEBHOOKS_ALLOW_PRIVATE_TARGETS=1 accepts them, and http:// to localhost or 127.0.0.1.`,
      security: bearerAuth,
      request: { params: CompanyParam, ...jsonBody(WebhookInput) },
      responses: { 201: jsonResponse(WebhookCreated, "The webhook, with `secret` (shown once)"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      const a = member(c, deps, companyId, true);
      return c.json(createWebhook(useCase(deps, a), companyId, c.req.valid("json")), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/webhooks/{webhookId}",
      tags: ["Webhooks"],
      summary: "One webhook",
      security: bearerAuth,
      request: { params: WebhookParam },
      responses: { 200: jsonResponse(Webhook, "The webhook"), ...problemResponses },
    }),
    (c) => {
      const { companyId, webhookId } = c.req.valid("param");
      member(c, deps, companyId, false);
      return c.json(getWebhook(deps.db, companyId, webhookId), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/companies/{companyId}/webhooks/{webhookId}",
      tags: ["Webhooks"],
      summary: "Delete a webhook (owners: any; accountants: their own); pending deliveries are cancelled",
      security: bearerAuth,
      request: { params: WebhookParam },
      responses: { 204: { description: "Deleted" }, ...problemResponses },
    }),
    (c) => {
      const { companyId, webhookId } = c.req.valid("param");
      const a = member(c, deps, companyId, true);
      deleteWebhook(useCase(deps, a), companyId, webhookId, a.role);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/webhooks/{webhookId}/deliveries",
      tags: ["Webhooks"],
      summary: "The delivery log: each event sent, its attempts and the last answer, newest first",
      security: bearerAuth,
      request: { params: WebhookParam, query: ListQuery },
      responses: { 200: jsonResponse(pageOf(WebhookDelivery), "A page of deliveries"), ...problemResponses },
    }),
    (c) => {
      const { companyId, webhookId } = c.req.valid("param");
      member(c, deps, companyId, false);
      const q = c.req.valid("query");
      return c.json(listDeliveries(deps.db, companyId, webhookId, { limit: q.limit ?? 100, cursor: q.cursor }), 200);
    },
  );

  return app;
}
