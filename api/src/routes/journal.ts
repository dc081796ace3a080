import { createRoute } from "@hono/zod-openapi";
import { SalesJournal, SalesJournalQuery } from "@passerelle/shared";
import type { Deps } from "../context.js";
import { access, bearerAuth, CompanyParam, createRouter, jsonResponse, problemResponses } from "../http/router.js";
import { salesJournal } from "../services/journal.js";

export function journalRoutes(deps: Deps) {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/sales-journal",
      tags: ["Accountant"],
      summary: "The sales journal: issued invoices and credit notes (negative), chronological, with totals for the whole filter",
      description:
        "Rows by date, then number. Filters as the invoice list (`from`/`to` on the issue date, `customerId`, `type`, `status`, `category`, `q`); drafts never appear. `totals` covers every row of the filter (not only this page) and always equals the sum of the rows. The cursor is the position of the last row served, so pages stay consistent while new invoices arrive. With `changedSince`, only the documents changed after that sequence of the change feed are served, and `changedIds` names every one of them (a paid invoice that left an `unpaid` filter is named but not served): a client refreshes what it shows without reading the whole journal again.",
      security: bearerAuth,
      request: { params: CompanyParam, query: SalesJournalQuery },
      responses: { 200: jsonResponse(SalesJournal, "A page of the journal and the totals of the filter"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      access(c, deps, companyId, "accountant", "read");
      const q = c.req.valid("query");
      return c.json(salesJournal(deps.db, companyId, { ...q, limit: q.limit ?? 100 }), 200);
    },
  );
  return app;
}
