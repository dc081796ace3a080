import { createRoute } from "@hono/zod-openapi";
import { EntriesPage, EntriesQuery, type AccountingEntry, type EntryOut } from "@passerelle/shared";
import type { Deps } from "../context.js";
import { access, bearerAuth, CompanyParam, createRouter, jsonResponse, problemResponses } from "../http/router.js";
import { decodeCursor, encodeCursor } from "../db/ids.js";
import { companyEntries } from "../services/entries.js";
import { lockState } from "../services/locks.js";

export function toEntryOut(e: AccountingEntry): EntryOut {
  const { journal: _journal, sequence: _sequence, ...out } = e;
  return out;
}

export function entryRoutes(deps: Deps) {
  const app = createRouter();
  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/entries",
      tags: ["Accountant"],
      summary: "Accounting entries: one per invoice and credit note (VE), one per payment (BQ), balanced, lettered",
      description:
        "Chronological (date, journal, number). `journal` takes journal codes (`VE`, `BQ`, `VE,BQ`; both by default). Entries of locked periods carry `validatedOn` (the day the lock froze them) and never change; the others follow the current account codes. The 411 lines of a settled invoice and of what settled it share a lettering code (`AA`, `AB`, …) and the date of the last settling document.",
      security: bearerAuth,
      request: { params: CompanyParam, query: EntriesQuery },
      responses: { 200: jsonResponse(EntriesPage, "A page of entries"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      access(c, deps, companyId, "accountant", "read");
      const q = c.req.valid("query");
      const limit = q.limit ?? 500;
      const after = decodeCursor(q.cursor, 3) as [string, number, number] | null;
      const all = companyEntries(deps.db, companyId, { journals: q.journal?.split(","), from: q.from, to: q.to });
      const key = (e: AccountingEntry): [string, number, number] => [e.date, e.journal === "sales" ? 0 : 1, e.sequence];
      const start = after ? all.findIndex((e) => compareKey(key(e), after) > 0) : 0;
      const page = start < 0 ? [] : all.slice(start, start + limit);
      const more = start >= 0 && start + limit < all.length;
      return c.json(
        { items: page.map(toEntryOut), nextCursor: more ? encodeCursor(key(page.at(-1)!)) : null, lockedUntil: lockState(deps.db, companyId).lockedUntil },
        200,
      );
    },
  );
  return app;
}

function compareKey(a: [string, number, number], b: [string, number, number]): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] - b[1] || a[2] - b[2];
}
