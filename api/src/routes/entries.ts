import { createRoute } from "@hono/zod-openapi";
import { EntriesPage, EntriesQuery, type AccountingEntry, type EntryOut } from "@passerelle/shared";
import type { Deps } from "../context.js";
import { access, bearerAuth, CompanyParam, createRouter, jsonResponse, problemResponses } from "../http/router.js";
import { decodeCursor, encodeCursor } from "../db/ids.js";
import { entryKey, journalsByCode, readEntries, type EntryKey } from "../services/entries.js";
import { loadAccountingSettings } from "../services/accounting-settings.js";
import { lockState } from "../services/locks.js";
import { invalid } from "../http/problem.js";

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
      const after = decodeCursor(q.cursor, 3);
      if (after && !(typeof after[0] === "string" && (after[1] === 0 || after[1] === 1) && Number.isInteger(after[2]))) throw invalid("cursor", "is not a cursor this API gave out");
      const { page, more, lockedUntil } = deps.db.transaction(() => {
        const lockedUntil = lockState(deps.db, companyId).lockedUntil;
        const journals = journalsByCode(loadAccountingSettings(deps.db, companyId), q.journal?.split(","));
        const page: AccountingEntry[] = [];
        let more = false;
        for (const entry of readEntries(deps.db, companyId, { lockedUntil, journals, from: q.from, to: q.to, after: after as EntryKey | null, pageSize: limit + 1 })) {
          if (page.length === limit) {
            more = true;
            break;
          }
          page.push(entry);
        }
        return { page, more, lockedUntil };
      })();
      return c.json({ items: page.map(toEntryOut), nextCursor: more ? encodeCursor(entryKey(page.at(-1)!)) : null, lockedUntil }, 200);
    },
  );
  return app;
}
