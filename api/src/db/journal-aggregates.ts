/**
 * The sales journal's running sums (migration 022): per company, day of issue and document type,
 * what the issued documents add up to (`journal_days`) and their VAT per rate (`journal_day_rates`),
 * unsigned as the documents store them. Every write that changes a journal figure calls this module
 * in its own transaction: a document issued (invoice, credit note, deposit, balance invoice) adds
 * its figures; a payment recorded or deleted moves what its invoice has been paid. Issued documents
 * are final otherwise, and never leave the journal.
 *
 * A period's totals (dates and document type alone) then read a row per day and type, whatever
 * the number of documents; `aggregateProblems` compares the sums with a recomputation from the
 * documents (the integrity check), `rebuildJournalAggregates` recomputes them (after a bulk load).
 */
import type { InvoiceType, JournalTotals } from "@passerelle/shared";
import type { Db } from "./connection.js";

/** The document's figures added to its day, if it is issued (a draft is in no journal). */
export function addIssuedDocument(db: Db, invoiceId: string): void {
  db.prepare(
    `INSERT INTO journal_days (company_id, day, type, documents, ht_cents, vat_cents, ttc_cents, paid_cents)
     SELECT company_id, issue_date, type, 1, ht_cents, vat_cents, ttc_cents, paid_cents FROM invoices WHERE id = ? AND status != 'draft'
     ON CONFLICT (company_id, day, type) DO UPDATE SET documents = journal_days.documents + excluded.documents,
       ht_cents = journal_days.ht_cents + excluded.ht_cents, vat_cents = journal_days.vat_cents + excluded.vat_cents,
       ttc_cents = journal_days.ttc_cents + excluded.ttc_cents, paid_cents = journal_days.paid_cents + excluded.paid_cents`,
  ).run(invoiceId);
  db.prepare(
    `INSERT INTO journal_day_rates (company_id, day, type, vat_rate_bp, documents, base_cents, vat_cents)
     SELECT i.company_id, i.issue_date, i.type, v.vat_rate_bp, 1, v.base_cents, v.vat_cents
     FROM invoice_vat v JOIN invoices i ON i.id = v.invoice_id WHERE v.invoice_id = ? AND i.status != 'draft'
     ON CONFLICT (company_id, day, type, vat_rate_bp) DO UPDATE SET documents = journal_day_rates.documents + excluded.documents,
       base_cents = journal_day_rates.base_cents + excluded.base_cents, vat_cents = journal_day_rates.vat_cents + excluded.vat_cents`,
  ).run(invoiceId);
}

/** What an issued invoice has been paid moved by `amountCents` (negative when a payment is deleted). */
export function addPaid(db: Db, invoiceId: string, amountCents: number): void {
  db.prepare(
    `UPDATE journal_days SET paid_cents = paid_cents + ?
     WHERE (company_id, day, type) = (SELECT company_id, issue_date, type FROM invoices WHERE id = ? AND status != 'draft')`,
  ).run(amountCents, invoiceId);
}

export interface PeriodFilter {
  from?: string | undefined;
  to?: string | undefined;
  type?: InvoiceType | undefined;
}

const SIGN = "(CASE WHEN type = 'credit_note' THEN -1 ELSE 1 END)";

function periodWhere(f: PeriodFilter): string {
  return `company_id = @companyId${f.from ? " AND day >= @from" : ""}${f.to ? " AND day <= @to" : ""}${f.type ? " AND type = @type" : ""}`;
}

/** The journal's totals over a period (and document type) from the sums per day: the figures a scan of its documents gives. */
export function periodTotals(db: Db, companyId: string, f: PeriodFilter): JournalTotals {
  const params = { companyId, ...(f.from ? { from: f.from } : {}), ...(f.to ? { to: f.to } : {}), ...(f.type ? { type: f.type } : {}) };
  const where = periodWhere(f);
  const sums = db
    .prepare(
      `SELECT COALESCE(SUM(documents), 0) AS count, COALESCE(SUM(${SIGN} * ht_cents), 0) AS ht, COALESCE(SUM(${SIGN} * vat_cents), 0) AS vat,
              COALESCE(SUM(${SIGN} * ttc_cents), 0) AS ttc, COALESCE(SUM(CASE WHEN type = 'invoice' THEN paid_cents ELSE 0 END), 0) AS paid
       FROM journal_days WHERE ${where}`,
    )
    .get(params) as { count: number; ht: number; vat: number; ttc: number; paid: number };
  const byRate = db
    .prepare(
      `SELECT vat_rate_bp AS rate, SUM(${SIGN} * base_cents) AS base, SUM(${SIGN} * vat_cents) AS vat
       FROM journal_day_rates WHERE ${where}
       GROUP BY vat_rate_bp HAVING SUM(documents) > 0 ORDER BY vat_rate_bp DESC`,
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

/** The sums recomputed from the documents, `@companyId`'s or (without it) every company's. */
const COMPUTED_DAYS = (company: boolean) =>
  `SELECT company_id, issue_date AS day, type, COUNT(*) AS documents, SUM(ht_cents) AS ht_cents, SUM(vat_cents) AS vat_cents,
          SUM(ttc_cents) AS ttc_cents, SUM(paid_cents) AS paid_cents
   FROM invoices WHERE ${company ? "company_id = @companyId AND " : ""}status != 'draft' GROUP BY company_id, issue_date, type`;
const COMPUTED_RATES = (company: boolean) =>
  `SELECT i.company_id, i.issue_date AS day, i.type, v.vat_rate_bp, COUNT(*) AS documents, SUM(v.base_cents) AS base_cents, SUM(v.vat_cents) AS vat_cents
   FROM invoices i JOIN invoice_vat v ON v.invoice_id = i.id WHERE ${company ? "i.company_id = @companyId AND " : ""}i.status != 'draft'
   GROUP BY i.company_id, i.issue_date, i.type, v.vat_rate_bp`;
const DAY_COLUMNS = "company_id, day, type, documents, ht_cents, vat_cents, ttc_cents, paid_cents";
const RATE_COLUMNS = "company_id, day, type, vat_rate_bp, documents, base_cents, vat_cents";

/** Recomputes every company's sums from the documents (a bulk load writes documents without them). */
export function rebuildJournalAggregates(db: Db): void {
  db.exec("DELETE FROM journal_days");
  db.exec("DELETE FROM journal_day_rates");
  db.exec(`INSERT INTO journal_days (${DAY_COLUMNS}) ${COMPUTED_DAYS(false)}`);
  db.exec(`INSERT INTO journal_day_rates (${RATE_COLUMNS}) ${COMPUTED_RATES(false)}`);
}

/**
 * The days (and types) where the company's stored sums differ from a recomputation from its
 * documents, in date order: a row missing on either side or any figure different.
 */
export function aggregateProblems(db: Db, companyId: string): { day: string; type: InvoiceType; table: "journal_days" | "journal_day_rates" }[] {
  const differing = (table: string, columns: string, computed: string) =>
    `SELECT day, type, '${table}' AS "table" FROM (
       SELECT ${columns} FROM ${table} WHERE company_id = @companyId EXCEPT SELECT ${columns} FROM (${computed}) AS computed) AS stored_only
     UNION SELECT day, type, '${table}' FROM (SELECT ${columns} FROM (${computed}) AS computed EXCEPT SELECT ${columns} FROM ${table} WHERE company_id = @companyId) AS computed_only`;
  return db
    .prepare(
      `${differing("journal_days", DAY_COLUMNS, COMPUTED_DAYS(true))} UNION ${differing("journal_day_rates", RATE_COLUMNS, COMPUTED_RATES(true))}
       ORDER BY day, type, "table" DESC`,
    )
    .all({ companyId }) as { day: string; type: InvoiceType; table: "journal_days" | "journal_day_rates" }[];
}
