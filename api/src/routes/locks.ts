import { createRoute } from "@hono/zod-openapi";
import { LockInput, LockStateOut, ReopenInput } from "@passerelle/shared";
import type { Deps } from "../context.js";
import { access, bearerAuth, CompanyParam, createRouter, jsonBody, jsonResponse, problemResponses, useCase } from "../http/router.js";
import { lockOverview, lockPeriod, reopenPeriod } from "../services/locks.js";

export function lockRoutes(deps: Deps) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/locks",
      tags: ["Accountant"],
      summary: "The lock in force and every lock and reopening, newest first",
      security: bearerAuth,
      request: { params: CompanyParam },
      responses: { 200: jsonResponse(LockStateOut, "Lock state"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      access(c, deps, companyId, "accountant", "read");
      return c.json(lockOverview(deps.db, companyId), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/companies/{companyId}/locks",
      tags: ["Accountant"],
      summary: "Lock every date up to and including `until` (accountants)",
      description:
        "`soft` can later be reopened with a reason; `hard` closes a fiscal year for good (`until` must be its last day). Locks only move forward; a hard close may be put under a later soft lock. Nothing dated in a locked period can be issued, recorded, changed or deleted, and the entries of the newly locked dates are frozen (`validatedOn` = today).",
      security: bearerAuth,
      request: { params: CompanyParam, ...jsonBody(LockInput) },
      responses: { 201: jsonResponse(LockStateOut, "Lock state after locking"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      const a = access(c, deps, companyId, "accountant", "write");
      return c.json(lockPeriod(useCase(deps, a), companyId, c.req.valid("json")), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/companies/{companyId}/locks/reopen",
      tags: ["Accountant"],
      summary: "Move a soft lock back to `to` with a written reason (accountants)",
      description: "Never before a hard close. The reason goes to the audit log; the reopened dates' entries follow the account codes again until locked anew.",
      security: bearerAuth,
      request: { params: CompanyParam, ...jsonBody(ReopenInput) },
      responses: { 200: jsonResponse(LockStateOut, "Lock state after reopening"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      const a = access(c, deps, companyId, "accountant", "write");
      return c.json(reopenPeriod(useCase(deps, a), companyId, c.req.valid("json")), 200);
    },
  );

  return app;
}
