/**
 * The sales journal (journal des ventes): issued invoices and credit notes in chronological order
 * (date, then number), credit notes negative, and totals for the whole filter computed by the
 * database over the same rows, so they always equal the sum of the pages.
 */
import type { InvoiceStatus, InvoiceType, JournalRow, JournalTotals, SalesJournal } from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import { decodeCursor, encodeCursor } from "../db/ids.js";
import { FROZEN_IDENTITIES, invoiceFilterSql, vatOf, type InvoiceQuery } from "../db/invoices.js";
import { periodTotals } from "../db/journal-aggregates.js";
import { keysetPages } from "../db/pages.js";

export interface JournalSqlRow {
  id: string;
  issue_date: string;
  number: string;
  type: InvoiceType;
  status: InvoiceStatus;
  customer_id: string;
  customer_code: string;
  customer_name: string;
  ht_cents: number;
  vat_cents: number;
  ttc_cents: number;
  paid_cents: number;
  due_date: string | null;
  series_key: string;
  series_counter: number;
  credited_number: string | null;
}

const SIGN = "(CASE WHEN i.type = 'credit_note' THEN -1 ELSE 1 END)";
// `+i.customer_id` keeps SQLite on the invoices' (company, date) index instead of starting from customers;
// the customer as the document printed it is `fc` (a join SQLite leaves out where nothing reads it)
export const FROM = `FROM invoices i JOIN customers c ON c.id = +i.customer_id ${FROZEN_IDENTITIES.CUSTOMER_JOIN}`;

/** The columns of a journal row; `FROM` names the tables. */
export const ROW_COLUMNS = `i.id, i.issue_date, i.number, i.type, i.status, i.customer_id,
  COALESCE(fc.json ->> '$.code', c.code) AS customer_code, COALESCE(fc.json ->> '$.name', c.name) AS customer_name,
  i.ht_cents, i.vat_cents, i.ttc_cents, i.paid_cents, i.due_date, i.series_key, i.series_counter,
  (SELECT o.number FROM invoices o WHERE o.id = i.credited_invoice_id) AS credited_number`;

/** A row as the journal shows it: credit notes negative, its VAT per rate from `vat` (see `vatOf`). */
export function journalRowOf(r: JournalSqlRow, vat: ReturnType<typeof vatOf>): JournalRow {
  const sign = r.type === "credit_note" ? -1 : 1;
  return {
    id: r.id,
    date: r.issue_date,
    number: r.number,
    type: r.type,
    customerId: r.customer_id,
    customerCode: r.customer_code,
    customerName: r.customer_name,
    htCents: sign * r.ht_cents,
    vatCents: sign * r.vat_cents,
    ttcCents: sign * r.ttc_cents,
    byRate: vat.get(r.id)!.map((v) => ({ vatRateBp: v.vat_rate_bp, baseCents: sign * v.base_cents, vatCents: sign * v.vat_cents })),
    status: r.status,
    paidCents: r.type === "invoice" ? r.paid_cents : 0,
    dueDate: r.due_date,
    creditedInvoiceNumber: r.credited_number,
  };
}

/** Whole-filter totals per database, keyed by company, filter and the company's last change: pages after the first reuse them. */
const totalsCache = new WeakMap<Db, Map<string, JournalTotals>>();
// a consolidated journal of every company reads one entry per company on each page
const TOTALS_CACHE_SIZE = 1024;

function cachedTotals(db: Db, key: string, compute: () => JournalTotals): JournalTotals {
  let cache = totalsCache.get(db);
  if (!cache) totalsCache.set(db, (cache = new Map()));
  const hit = cache.get(key);
  if (hit) return hit;
  const totals = compute();
  if (cache.size >= TOTALS_CACHE_SIZE) cache.delete(cache.keys().next().value!);
  cache.set(key, totals);
  return totals;
}

/**
 * The issued documents whose journal row changed after `since`: those the log names (issued,
 * reminded, sent…), those a payment recorded or deleted since was for, and those a credit note
 * issued since credits.
 */
export function changedDocumentIds(db: Db, companyId: string, since: number): string[] {
  return db
    .prepare(
      `WITH recent AS (SELECT record_kind, record_id FROM activity WHERE company_id = @companyId AND seq > @since),
            touched AS (
              SELECT record_id AS id FROM recent WHERE record_kind IN ('invoice', 'credit_note')
              UNION SELECT p.invoice_id FROM payments p JOIN recent r ON r.record_kind = 'payment' AND r.record_id = p.id
              UNION SELECT i.credited_invoice_id FROM invoices i JOIN recent r ON r.record_kind = 'credit_note' AND r.record_id = i.id
               WHERE i.credited_invoice_id IS NOT NULL)
       SELECT i.id FROM invoices i JOIN touched t ON t.id = i.id
        WHERE i.company_id = @companyId AND i.status != 'draft' ORDER BY i.id`,
    )
    .pluck()
    .all({ companyId, since }) as string[];
}

export function salesJournal(db: Db, companyId: string, query: InvoiceQuery & { changedSince?: number | undefined }): SalesJournal {
  // one read transaction: the page and the totals see the same data even while others write
  return db.transaction(() => {
    const after = decodeCursor(query.cursor, 3);
    // a page after the first reads the date index from its cursor's date, as the range's only lower
    // bound (the cursor's row value, `+` kept out of the range, is checked on the rows): otherwise
    // SQLite starts from the cursor's row value and its page costs grow with the rows left after it
    const pageDate = after ? String(after[0]) : undefined;
    const { where, params } = invoiceFilterSql(pageDate && (!query.from || pageDate > query.from) ? { ...query, from: pageDate } : query);
    const filter = `WHERE i.company_id = @companyId AND i.status != 'draft' ${where}`;
    const changedIds = query.changedSince === undefined ? undefined : changedDocumentIds(db, companyId, query.changedSince);
    const base = `${FROM} ${filter}${changedIds ? " AND i.id IN (SELECT value FROM json_each(@changedIds))" : ""}`;
    const rows = db
      .prepare(
        `SELECT ${ROW_COLUMNS}
         ${base}
         ${after ? "AND (+i.issue_date, i.series_key, i.series_counter) > (@afterDate, @afterKey, @afterCounter)" : ""}
         ORDER BY i.issue_date, i.series_key, i.series_counter LIMIT @limit`,
      )
      .all({ ...params, companyId, ...(changedIds ? { changedIds: JSON.stringify(changedIds) } : {}), afterDate: after?.[0], afterKey: after?.[1], afterCounter: after?.[2], limit: query.limit + 1 }) as JournalSqlRow[];
    const page = rows.slice(0, query.limit);
    const vat = vatOf(db, page.map((r) => r.id));
    const items = page.map((r) => journalRowOf(r, vat));
    const last = page.at(-1);
    return {
      items,
      nextCursor: rows.length > query.limit && last ? encodeCursor([last.issue_date, last.series_key, last.series_counter]) : null,
      totals: companyJournalTotals(db, companyId, query),
      ...(changedIds ? { changedIds } : {}),
    };
  })();
}

/**
 * Every row of the journal of a filter, in order, read `pageSize` documents at a time (keyset pages;
 * batches of one cursor on a PostgreSQL reader, db/pages.ts), with the same rows and the same page
 * queries as `salesJournal`'s pages, without their totals.
 */
export function* journalRows(db: Db, companyId: string, query: Omit<InvoiceQuery, "limit" | "cursor">, pageSize: number): Generator<JournalRow, void, void> {
  const pages = keysetPages<JournalSqlRow>(db, pageSize, (last) => {
    // as in salesJournal: a page after the first starts the date index at its cursor's date
    const pageDate = last?.issue_date;
    const { where, params } = invoiceFilterSql(pageDate && (!query.from || pageDate > query.from) ? { ...query, from: pageDate } : query);
    return {
      statement: db.prepare(
        `SELECT ${ROW_COLUMNS}
         ${FROM} WHERE i.company_id = @companyId AND i.status != 'draft' ${where}
         ${last ? "AND (+i.issue_date, i.series_key, i.series_counter) > (@afterDate, @afterKey, @afterCounter)" : ""}
         ORDER BY i.issue_date, i.series_key, i.series_counter LIMIT @limit`,
      ),
      params: { ...params, companyId, afterDate: last?.issue_date, afterKey: last?.series_key, afterCounter: last?.series_counter },
    };
  });
  for (const page of pages) {
    const vat = vatOf(db, page.map((r) => r.id));
    for (const r of page) yield journalRowOf(r, vat);
  }
}

/**
 * The totals of one company's journal for the filter: the same figures whichever journal (one
 * company's or consolidated) asks. A filter on dates and document type alone reads the sums per day
 * (db/journal-aggregates.ts), a row per day; the others sum the documents they select.
 */
export function companyJournalTotals(db: Db, companyId: string, query: Omit<InvoiceQuery, "limit" | "cursor">): JournalTotals {
  return cachedTotals(db, totalsKey(db, companyId, query), () => (isPeriodOnly(query) ? periodTotals(db, companyId, query) : scannedTotals(db, companyId, query)));
}

/** The totals summed over every document the filter selects (any filter): what the sums per day must equal. */
export function scannedTotals(db: Db, companyId: string, query: Omit<InvoiceQuery, "limit" | "cursor">): JournalTotals {
  const { where, params, readsCustomers } = invoiceFilterSql(query);
  const filter = `WHERE i.company_id = @companyId AND i.status != 'draft' ${where}`;
  return journalTotals(db, readsCustomers ? FROM : "FROM invoices i", filter, { ...params, companyId });
}

/** What the sums per day are kept by, and what a query holds besides its filters. */
const PERIOD_FILTERS = new Set(["from", "to", "type", "limit", "cursor", "changedSince"]);

/** Whether the filter selects by dates and document type alone (a filter added later reads the documents until the sums keep it). */
export function isPeriodOnly(query: Omit<InvoiceQuery, "limit" | "cursor">): boolean {
  return Object.entries(query).every(([name, value]) => value === undefined || value === "" || PERIOD_FILTERS.has(name));
}

/** Every write bumps the company's sequence (activity log), so a key with it can never serve stale totals. */
function totalsKey(db: Db, companyId: string, query: Omit<InvoiceQuery, "limit" | "cursor">): string {
  const seq = db.prepare("SELECT last_seq FROM companies WHERE id = ?").pluck().get(companyId) as number;
  const { limit: _limit, cursor: _cursor, changedSince: _since, ...filters } = query as InvoiceQuery & { changedSince?: number };
  return `${companyId}|${seq}|${JSON.stringify(filters, Object.keys(filters).sort())}`;
}

/**
 * Sums over every document `from` and `filter` select. The journal's totals join the customers
 * only when the filter reads them (category, search): every document has its customer (a foreign
 * key, and customers are never deleted), so the join changes no sum, and without it SQLite skips
 * a lookup per document.
 */
function journalTotals(db: Db, from: string, filter: string, params: Record<string, unknown>): JournalTotals {
  const sums = db
    .prepare(
      `SELECT COUNT(*) AS count, COALESCE(SUM(${SIGN} * i.ht_cents), 0) AS ht, COALESCE(SUM(${SIGN} * i.vat_cents), 0) AS vat,
              COALESCE(SUM(${SIGN} * i.ttc_cents), 0) AS ttc,
              COALESCE(SUM(CASE WHEN i.type = 'invoice' THEN i.paid_cents ELSE 0 END), 0) AS paid
       ${from} ${filter}`,
    )
    .get(params) as { count: number; ht: number; vat: number; ttc: number; paid: number };
  const byRate = db
    .prepare(
      `SELECT v.vat_rate_bp AS rate, SUM(${SIGN} * v.base_cents) AS base, SUM(${SIGN} * v.vat_cents) AS vat
       ${from} JOIN invoice_vat v ON v.invoice_id = i.id ${filter}
       GROUP BY v.vat_rate_bp ORDER BY v.vat_rate_bp DESC`,
    )
    .all(params) as { rate: number; base: number; vat: number }[];
  return {
    count: sums.count,
    htCents: sums.ht,
    vatCents: sums.vat,
    ttcCents: sums.ttc,
    paidCents: sums.paid,
    byRate: byRate.map((r) => ({ vatRateBp: r.rate, baseCents: r.base, vatCents: r.vat })),
  };
}
