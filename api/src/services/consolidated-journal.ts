/**
 * The consolidated sales journal: the journals of several companies in one chronological list
 * (date, then company, then number), each row naming its company. Each company's totals are its
 * own journal's totals for the same filter, read the same way (and from the same cache), and the
 * grand totals are their sum: the figures agree with the companies' journals to the cent.
 */
import type { CompanyJournalTotals, ConsolidatedJournal, ConsolidatedJournalRow, JournalTotals } from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import { decodeCursor, encodeCursor } from "../db/ids.js";
import { invoiceFilterSql, vatOf, type InvoiceQuery } from "../db/invoices.js";
import { companyJournalTotals, FROM, journalRowOf, ROW_COLUMNS, type JournalSqlRow } from "./journal.js";

export type ConsolidatedQuery = Omit<InvoiceQuery, "customerId">;

interface CompanyRow {
  id: string;
  name: string;
  siren: string;
  last_seq: number;
}

/** `companyIds` are the caller's (the route checked each). */
export function consolidatedJournal(db: Db, companyIds: string[], query: ConsolidatedQuery): ConsolidatedJournal {
  // one read transaction: the page, the companies' totals and their sequences see the same data
  return db.transaction(() => {
    const ids = JSON.stringify(companyIds);
    const companies = db
      .prepare("SELECT id, name, siren, last_seq FROM companies WHERE id IN (SELECT value FROM json_each(?)) ORDER BY name, id")
      .all(ids) as CompanyRow[];
    const byId = new Map(companies.map((c) => [c.id, c]));
    const { where, params } = invoiceFilterSql(query);
    const after = decodeCursor(query.cursor, 4);
    const rows = db
      .prepare(
        `SELECT i.company_id, ${ROW_COLUMNS}
         ${FROM} WHERE i.company_id IN (SELECT value FROM json_each(@ids)) AND i.status != 'draft' ${where}
         ${after ? "AND (i.issue_date, i.company_id, i.series_key, i.series_counter) > (@afterDate, @afterCompany, @afterKey, @afterCounter)" : ""}
         ORDER BY i.issue_date, i.company_id, i.series_key, i.series_counter LIMIT @limit`,
      )
      .all({
        ...params,
        ids,
        afterDate: after?.[0],
        afterCompany: after?.[1],
        afterKey: after?.[2],
        afterCounter: after?.[3],
        limit: query.limit + 1,
      }) as (JournalSqlRow & { company_id: string })[];
    const page = rows.slice(0, query.limit);
    const vat = vatOf(db, page.map((r) => r.id));
    const items: ConsolidatedJournalRow[] = page.map((r) => {
      const company = byId.get(r.company_id)!;
      return { ...journalRowOf(r, vat), companyId: company.id, companyName: company.name, siren: company.siren };
    });
    const { limit: _limit, cursor: _cursor, ...filters } = query;
    const subtotals: CompanyJournalTotals[] = companies.map((c) => ({
      companyId: c.id,
      companyName: c.name,
      siren: c.siren,
      lastSeq: c.last_seq,
      totals: companyJournalTotals(db, c.id, filters),
    }));
    const last = page.at(-1);
    return {
      items,
      nextCursor: rows.length > query.limit && last ? encodeCursor([last.issue_date, last.company_id, last.series_key, last.series_counter]) : null,
      companies: subtotals,
      totals: sumTotals(subtotals.map((s) => s.totals)),
    };
  })();
}

/** The sum of journals' totals, VAT per rate (highest rate first, as each journal lists them). */
export function sumTotals(all: JournalTotals[]): JournalTotals {
  const byRate = new Map<number, { baseCents: number; vatCents: number }>();
  const sum: JournalTotals = { count: 0, htCents: 0, vatCents: 0, ttcCents: 0, paidCents: 0, byRate: [] };
  for (const t of all) {
    sum.count += t.count;
    sum.htCents += t.htCents;
    sum.vatCents += t.vatCents;
    sum.ttcCents += t.ttcCents;
    sum.paidCents += t.paidCents;
    for (const r of t.byRate) {
      const at = byRate.get(r.vatRateBp) ?? { baseCents: 0, vatCents: 0 };
      byRate.set(r.vatRateBp, { baseCents: at.baseCents + r.baseCents, vatCents: at.vatCents + r.vatCents });
    }
  }
  sum.byRate = [...byRate].sort(([a], [b]) => b - a).map(([vatRateBp, r]) => ({ vatRateBp, ...r }));
  return sum;
}
