import { createRoute, z } from "@hono/zod-openapi";
import { JournalFeedRow, JournalQuery, JournalQueryInput } from "@passerelle/shared";
import type { Deps } from "../context.js";
import { access, bearerAuth, CompanyParam, createRouter, jsonBody, jsonResponse, problemResponses, useCase } from "../http/router.js";
import { authorize } from "../auth/access.js";
import { requirePrincipal } from "../auth/authenticate.js";
import { today } from "../clock.js";
import { companyRow } from "../services/companies.js";
import { createJournalQuery, deleteJournalQuery, journalQueryFilter, journalQueryRow, listJournalQueries } from "../services/journal-queries.js";
import { journalCsv } from "../exports/journal.js";
import { feedResponse, journalJson } from "../exports/journal-feed.js";

const QueryParam = CompanyParam.extend({ queryId: z.string().max(64) });
const FeedParam = z.object({ feedId: z.string().max(64) });

export const feedAuth = [{ feedBasicAuth: [] }, ...bearerAuth];

const FEED =
  "A saved journal query read by a spreadsheet that refreshes on its own (Excel: Data → From Web, then Actualiser tout). Authentication: HTTP Basic with any user name and a **read-only** API key (`psk_…`) as the password (a key that can write is refused, 403), or a bearer token. The key's user must be a member of the query's company (and a key limited to a company must be limited to that one); otherwise 404. Rolling periods (`current_month`…) are read on today's date in the server's time zone. Amounts and totals are the sales journal's to the cent.";

export function journalQueryRoutes(deps: Deps) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/journal-queries",
      tags: ["Accountant"],
      summary: "The company's saved journal queries, each with the addresses of its CSV and JSON feeds",
      security: bearerAuth,
      request: { params: CompanyParam },
      responses: { 200: jsonResponse(z.object({ items: z.array(JournalQuery) }), "Saved queries, oldest first"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      access(c, deps, companyId, "accountant", "read");
      return c.json({ items: listJournalQueries(deps.db, companyId, deps.config.publicUrl) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/companies/{companyId}/journal-queries",
      tags: ["Accountant"],
      summary: "Save a journal query (accountants): a name, a period, the journal's filters; the answer gives its feed addresses",
      description: `\`period\`: \`fixed\` (with \`from\`/\`to\`, each optional) or a period that rolls with the calendar: \`current_month\`, \`previous_month\`, \`current_quarter\`, \`previous_quarter\`, \`current_fiscal_year\`, \`previous_fiscal_year\` (from the company's fiscal year start). ${FEED}`,
      security: bearerAuth,
      request: { params: CompanyParam, ...jsonBody(JournalQueryInput) },
      responses: { 201: jsonResponse(JournalQuery, "The saved query and its feed addresses"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      const a = access(c, deps, companyId, "accountant", "write");
      return c.json(createJournalQuery(useCase(deps, a), companyId, c.req.valid("json")), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/companies/{companyId}/journal-queries/{queryId}",
      tags: ["Accountant"],
      summary: "Delete a saved journal query (accountants); its feeds stop answering at once",
      security: bearerAuth,
      request: { params: QueryParam },
      responses: { 204: { description: "Deleted" }, ...problemResponses },
    }),
    (c) => {
      const { companyId, queryId } = c.req.valid("param");
      const a = access(c, deps, companyId, "accountant", "write");
      deleteJournalQuery(useCase(deps, a), companyId, queryId);
      return c.body(null, 204);
    },
  );

  /** The query's company, once the caller may read its journal. */
  const readable = (principal: Parameters<typeof authorize>[1], feedId: string) => {
    const row = journalQueryRow(deps.db, feedId);
    authorize(deps.db, principal, row.company_id, "accountant", "read");
    const company = companyRow(deps.db, row.company_id);
    return { row, company, filters: journalQueryFilter(row, today(deps.clock, deps.config.timeZone), company.fiscal_year_start) };
  };

  app.openapi(
    createRoute({
      method: "get",
      path: "/feeds/{feedId}/journal.csv",
      tags: ["Feeds"],
      summary: "A saved journal query as CSV for French Excel: UTF-8 with BOM, `;`, decimal comma, dates dd/mm/yyyy",
      description: `${FEED} The columns are those of \`exports/sales-journal.csv?locale=fr\`.`,
      security: feedAuth,
      request: { params: FeedParam },
      responses: {
        200: { description: "The journal", content: { "text/csv": { schema: z.string().openapi({ type: "string", format: "binary" }) } } },
        ...problemResponses,
      },
    }),
    (c) => {
      const { row, company, filters } = readable(requirePrincipal(c.get("principal")), c.req.valid("param").feedId);
      return feedResponse(journalCsv(deps.db, row.company_id, filters, "fr"), "text/csv; charset=utf-8", `journal-des-ventes-${company.siren}.csv`);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/feeds/{feedId}/journal.json",
      tags: ["Feeds"],
      summary: "A saved journal query as a JSON list of flat records (amounts in euros as numbers, dates YYYY-MM-DD)",
      description: FEED,
      security: feedAuth,
      request: { params: FeedParam },
      responses: { 200: jsonResponse(z.array(JournalFeedRow), "The journal, one record per document, chronological"), ...problemResponses },
    }),
    (c) => {
      const { row, company, filters } = readable(requirePrincipal(c.get("principal")), c.req.valid("param").feedId);
      // written row by row, not through c.json: the schema above describes what the stream holds
      return feedResponse(journalJson(deps.db, row.company_id, filters), "application/json; charset=utf-8", `journal-des-ventes-${company.siren}.json`) as never;
    },
  );

  return app;
}
