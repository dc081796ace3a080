import { createRoute } from "@hono/zod-openapi";
import { AuditEntry, AuditLogQuery, pageOf } from "@passerelle/shared";
import type { Deps } from "../context.js";
import { access, bearerAuth, CompanyParam, createRouter, jsonResponse, problemResponses } from "../http/router.js";
import { auditLog } from "../services/audit-log.js";

export function auditLogRoutes(deps: Deps) {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/audit-log",
      tags: ["Accountant"],
      summary: "Every write on the company, newest first: who, when, what, on which record, before/after",
      description:
        "Append-only and hash-chained (`/integrity` recomputes the chain). Filters: `actor` (user id), `kind` (an action such as `invoice.issued`, or its prefix `invoice`), `from`/`to` (days, on the time of the write).",
      security: bearerAuth,
      request: { params: CompanyParam, query: AuditLogQuery },
      responses: { 200: jsonResponse(pageOf(AuditEntry), "A page of the audit log"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      access(c, deps, companyId, "accountant", "read");
      const q = c.req.valid("query");
      return c.json(auditLog(deps.db, companyId, { ...q, limit: q.limit ?? 100 }), 200);
    },
  );
  return app;
}
