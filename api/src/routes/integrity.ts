import { createRoute } from "@hono/zod-openapi";
import { IntegrityReport } from "@passerelle/shared";
import type { Deps } from "../context.js";
import { access, bearerAuth, CompanyParam, createRouter, jsonResponse, problemResponses } from "../http/router.js";
import { checkIntegrity } from "../services/integrity.js";

export function integrityRoutes(deps: Deps) {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/integrity",
      tags: ["Integrity"],
      summary: "Recompute the hash chains and check numbering continuity",
      description: "Reports the first problem of each kind precisely (which record, which rule).",
      security: bearerAuth,
      request: { params: CompanyParam },
      responses: { 200: jsonResponse(IntegrityReport, "The report"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      access(c, deps, companyId, "owner", "read");
      return c.json(checkIntegrity(deps.db, companyId), 200);
    },
  );
  return app;
}
