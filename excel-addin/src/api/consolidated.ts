/** Reads a whole consolidated sales journal (several companies in one list) page by page. */
import type { PasserelleClient } from "@passerelle/shared/client";
import type { CompanyJournalTotals, ConsolidatedJournal, ConsolidatedJournalRow, JournalTotals } from "@passerelle/shared";
import type { JournalFilters, LoadProgress } from "./data.js";

/** `all`, or the ids of the companies chosen. */
export type CompanySelection = "all" | string[];

export type ConsolidatedFilters = Omit<JournalFilters, "customerId">;

const PAGE = 1000;

/** Most companies one consolidated journal names (the API's limit, MAX_JOURNAL_COMPANIES); beyond, take them all. */
export const JOURNAL_COMPANIES = 200;

export async function loadConsolidatedJournal(
  client: PasserelleClient,
  companies: CompanySelection,
  filters: ConsolidatedFilters,
  options: { signal?: AbortSignal; onProgress?: (p: LoadProgress) => void } = {},
): Promise<{ rows: ConsolidatedJournalRow[]; companies: CompanyJournalTotals[]; totals: JournalTotals }> {
  const rows: ConsolidatedJournalRow[] = [];
  let cursor: string | null = null;
  let first: ConsolidatedJournal | null = null;
  do {
    const page: ConsolidatedJournal = await client.request("GET", "/accountant/sales-journal", {
      query: { companies: companies === "all" ? "all" : companies.join(","), ...filters, limit: PAGE, cursor: cursor ?? undefined },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    rows.push(...page.items);
    first ??= page;
    cursor = page.nextCursor;
    options.onProgress?.({ loaded: rows.length, total: first.totals.count });
  } while (cursor);
  return { rows, companies: first!.companies, totals: first!.totals };
}
