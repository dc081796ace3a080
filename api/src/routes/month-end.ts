import { createRoute } from "@hono/zod-openapi";
import { BatchLockInput, BatchLockOut, MonthEnd, MonthEndQuery } from "@passerelle/shared";
import type { Deps } from "../context.js";
import { bearerAuth, createRouter, jsonBody, jsonResponse, problemResponses } from "../http/router.js";
import { requirePrincipal } from "../auth/authenticate.js";
import { lockMany, monthEndView } from "../services/month-end.js";

export function monthEndRoutes(deps: Deps) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: "get",
      path: "/accountant/month-end",
      tags: ["Accountant"],
      summary: "Month-end across the portfolio: per company, what stands in the way of locking up to `date`",
      description:
        "One call for every company of the caller (only its company for a key limited to one), by name: the lock in force; drafts dated on or before `date` after the lock (they could no longer be issued at their date); the invoices and credit notes dated on or before `date` issued since the last FEC, sales journal or pack export, or since the caller's workbook last refreshed the company (`refreshed`), whichever is later (all of them if neither); the invoices dated on or before `date` with something still due, and how much. Computed in one statement, whatever the portfolio's size.",
      security: bearerAuth,
      request: { query: MonthEndQuery },
      responses: { 200: jsonResponse(MonthEnd, "Each company of the caller, by name"), ...problemResponses },
    }),
    (c) => {
      const principal = requirePrincipal(c.get("principal"));
      const q = c.req.valid("query");
      return c.json(monthEndView(deps, principal, q.date, q.refreshed), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/accountant/locks",
      tags: ["Accountant"],
      summary: "Lock many companies up to the same date, one result per company (accountants)",
      description:
        "Each company named is locked as `POST /companies/{companyId}/locks` would lock it (same rights, same rules), each in its own transaction: a company refused (not visible: 404, not its accountant: 403, behind its current lock or a hard close: 409, a date in the future: 422) is reported with the problem its own route would have answered, and the others are locked all the same. `preview: true` changes nothing: for each company, the dates newly locked, the issued documents and their totals, the drafts left behind, or why it would be refused.",
      security: bearerAuth,
      request: jsonBody(BatchLockInput),
      responses: { 200: jsonResponse(BatchLockOut, "One result per company, in the order given"), ...problemResponses },
    }),
    (c) => {
      const principal = requirePrincipal(c.get("principal"));
      const { out, changed } = lockMany(deps, principal, c.req.valid("json"));
      for (const companyId of changed) {
        const seq = deps.db.prepare("SELECT last_seq FROM companies WHERE id = ?").pluck().get(companyId) as number;
        deps.changes.publish(companyId, seq);
      }
      return c.json(out, 200);
    },
  );

  return app;
}
