import { createRoute, z } from "@hono/zod-openapi";
import { Accountant } from "@passerelle/shared";
import type { Deps } from "../context.js";
import { access, bearerAuth, CompanyParam, createRouter, jsonResponse, problemResponses, useCase } from "../http/router.js";
import { forbidden } from "../http/problem.js";
import { requireOwner } from "../services/invitations.js";
import { listAccountants, removeAccountant } from "../services/accountants.js";

export function accountantRoutes(deps: Deps) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/accountants",
      tags: ["Access"],
      summary: "The accountants who have access to the company (owners)",
      security: bearerAuth,
      request: { params: CompanyParam },
      responses: { 200: jsonResponse(z.object({ items: z.array(Accountant) }), "Accountants by name"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      requireOwner(access(c, deps, companyId, "owner", "read").role);
      return c.json({ items: listAccountants(deps.db, companyId) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/companies/{companyId}/accountants/{userId}",
      tags: ["Access"],
      summary: "Remove an accountant's access (owners; an accountant may remove their own)",
      description:
        "Effective at once: their next request, their open event streams, their API keys limited to this company (revoked) and the webhooks they registered here (deleted).",
      security: bearerAuth,
      request: { params: CompanyParam.extend({ userId: z.string().max(64) }) },
      responses: { 204: { description: "Removed" }, ...problemResponses },
    }),
    (c) => {
      const { companyId, userId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "read");
      if (a.role !== "owner" && a.principal.userId !== userId) throw forbidden("Only the company's owners manage invitations and accountants.");
      if (a.principal.scope !== "write") throw forbidden("This API key is read-only.");
      removeAccountant(useCase(deps, a), companyId, userId);
      return c.body(null, 204);
    },
  );

  return app;
}
