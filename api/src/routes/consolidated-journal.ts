import { createRoute } from "@hono/zod-openapi";
import { ConsolidatedJournal, ConsolidatedJournalQuery } from "@passerelle/shared";
import type { Deps } from "../context.js";
import { access, bearerAuth, createRouter, jsonResponse, problemResponses } from "../http/router.js";
import { ProblemError } from "../http/problem.js";
import { requirePrincipal } from "../auth/authenticate.js";
import { consolidatedJournal } from "../services/consolidated-journal.js";

export function consolidatedJournalRoutes(deps: Deps) {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: "get",
      path: "/accountant/sales-journal",
      tags: ["Accountant"],
      summary: "The sales journal of several or all of your companies in one list, with each company's totals",
      description:
        "`companies` is `all` (every company you belong to, as without it; only its company for a key limited to one) or company ids separated by commas. Each company named must be one of yours, else 404 naming it and nothing is read. Rows as in `/companies/{companyId}/sales-journal`, plus `companyId`, `companyName` and `siren`, by date, then company, then number. Filters as the one-company journal except `customerId` (`from`/`to`, `type`, `status`, `category`, `q`). `companies` gives each company (by name, even without a row) its totals — equal to its own journal's `totals` for the same filter — and its newest change sequence, to follow its feed from; `totals` is their sum. The cursor is the position of the last row served.",
      security: bearerAuth,
      request: { query: ConsolidatedJournalQuery },
      responses: { 200: jsonResponse(ConsolidatedJournal, "A page of the consolidated journal, each company's totals and their sum"), ...problemResponses },
    }),
    (c) => {
      const { companies, ...query } = c.req.valid("query");
      const principal = requirePrincipal(c.get("principal"));
      let ids: string[];
      if (companies === undefined || companies === "all") {
        ids = principal.companyId
          ? [principal.companyId]
          : (deps.db.prepare("SELECT company_id FROM memberships WHERE user_id = ? ORDER BY company_id").pluck().all(principal.userId) as string[]);
      } else {
        // every company is checked before anything is read; the one refused is named as the caller wrote it
        for (const id of companies) {
          try {
            access(c, deps, id, "accountant", "read");
          } catch (error) {
            if (!(error instanceof ProblemError)) throw error;
            const message = `the company ${id} does not exist or is not visible to you`;
            throw new ProblemError(error.status, error.title, `companies: ${message}.`, [{ path: "companies", message }]);
          }
        }
        ids = companies;
      }
      return c.json(consolidatedJournal(deps.db, ids, { ...query, limit: query.limit ?? 100 }), 200);
    },
  );
  return app;
}
