/** Reads whole journals page by page (with progress and cancel), and the accountant's lock state. */
import type { PasserelleClient } from "@passerelle/shared/client";
import type { Company, EntriesPage, EntryOut, JournalRow, JournalTotals, LockStateOut, SalesJournal, Changes } from "@passerelle/shared";

export interface JournalFilters {
  from?: string;
  to?: string;
  customerId?: string;
  type?: "invoice" | "credit_note";
  status?: "issued" | "partially_paid" | "paid";
  category?: string;
}

export interface LoadProgress {
  loaded: number;
  /** Known for the sales journal (the totals count every row of the filter). */
  total: number | null;
}

interface LoadOptions {
  signal?: AbortSignal;
  onProgress?: (p: LoadProgress) => void;
}

const enc = encodeURIComponent;
const PAGE = 1000;

export async function loadSalesJournal(
  client: PasserelleClient,
  companyId: string,
  filters: JournalFilters,
  options: LoadOptions = {},
): Promise<{ rows: JournalRow[]; totals: JournalTotals }> {
  const rows: JournalRow[] = [];
  let cursor: string | null = null;
  let totals: JournalTotals | null = null;
  do {
    const page: SalesJournal = await client.request("GET", `/companies/${enc(companyId)}/sales-journal`, {
      query: { ...filters, limit: PAGE, cursor: cursor ?? undefined },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    rows.push(...page.items);
    totals ??= page.totals;
    cursor = page.nextCursor;
    options.onProgress?.({ loaded: rows.length, total: totals.count });
  } while (cursor);
  return { rows, totals: totals! };
}

/** The journal rows changed after `since` (matching the filters), and every document changed since, matching or not. */
export async function loadChangedJournal(
  client: PasserelleClient,
  companyId: string,
  filters: JournalFilters,
  since: number,
  options: LoadOptions = {},
): Promise<{ rows: JournalRow[]; changedIds: string[] }> {
  const rows: JournalRow[] = [];
  let changedIds: string[] | null = null;
  let cursor: string | null = null;
  do {
    const page: SalesJournal = await client.request("GET", `/companies/${enc(companyId)}/sales-journal`, {
      query: { ...filters, changedSince: since, limit: PAGE, cursor: cursor ?? undefined },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    rows.push(...page.items);
    changedIds ??= page.changedIds ?? [];
    cursor = page.nextCursor;
    options.onProgress?.({ loaded: rows.length, total: changedIds.length });
  } while (cursor);
  return { rows, changedIds: changedIds ?? [] };
}

export async function loadEntries(client: PasserelleClient, companyId: string, filters: JournalFilters, options: LoadOptions = {}): Promise<EntryOut[]> {
  const entries: EntryOut[] = [];
  let cursor: string | null = null;
  do {
    const page: EntriesPage = await client.request("GET", `/companies/${enc(companyId)}/entries`, {
      query: { from: filters.from, to: filters.to, limit: PAGE, cursor: cursor ?? undefined },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    entries.push(...page.items);
    cursor = page.nextCursor;
    options.onProgress?.({ loaded: entries.length, total: null });
  } while (cursor);
  return entries;
}

/** Every company the caller can see (an accountant's portfolio may hold hundreds). */
export async function loadCompanies(client: PasserelleClient): Promise<Company[]> {
  const companies: Company[] = [];
  let cursor: string | null = null;
  do {
    const page = await client.listCompanies({ limit: 1000, ...(cursor ? { cursor } : {}) });
    companies.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return companies;
}

export function getLocks(client: PasserelleClient, companyId: string): Promise<LockStateOut> {
  return client.locks(companyId);
}

export function lockPeriod(client: PasserelleClient, companyId: string, until: string, kind: "soft" | "hard"): Promise<LockStateOut> {
  return client.lockPeriod(companyId, { until, kind });
}

export function reopenPeriod(client: PasserelleClient, companyId: string, to: string | null, reason: string): Promise<LockStateOut> {
  return client.reopenPeriod(companyId, { to, reason });
}

/** The newest sequence of the company's change feed. */
export async function currentSeq(client: PasserelleClient, companyId: string): Promise<number> {
  return (await client.changes(companyId, Number.MAX_SAFE_INTEGER)).lastSeq;
}

export async function changesSince(client: PasserelleClient, companyId: string, since: number): Promise<Changes> {
  return client.changes(companyId, since);
}
