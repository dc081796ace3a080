/**
 * Where the money stands for a company, or for one of its customers: the sums defined in
 * shared/standing.ts, each one SQL statement over issued documents and live payments.
 */
import { daysLate, fiscalYearOf, monthBounds, monthOf, monthsEnding, type CustomerBalance, type CustomerSending, type MoneyStanding, type MostOverdueInvoice, type Page } from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import { decodeCursor, encodeCursor } from "../db/ids.js";
import { LIVE_PAYMENT } from "../db/ledger.js";
import { companyRow } from "./companies.js";
import { customerRow } from "./customers.js";
import { sendingOf, SELECT_SENDING, type SendingRow } from "./invoice-sendings.js";

const SIGN = "(CASE WHEN i.type = 'credit_note' THEN -1 ELSE 1 END)";
const OUTSTANDING = "(i.ttc_cents - i.credited_cents - i.paid_cents)";
/** Issued invoices with something still to receive. */
const UNPAID = `i.type = 'invoice' AND i.status != 'draft' AND ${OUTSTANDING} > 0`;

function revenueHt(db: Db, companyId: string, from: string, to: string): number {
  return db
    .prepare(`SELECT COALESCE(SUM(${SIGN} * i.ht_cents), 0) FROM invoices i WHERE i.company_id = ? AND i.status != 'draft' AND i.issue_date BETWEEN ? AND ?`)
    .pluck()
    .get(companyId, from, to) as number;
}

function received(db: Db, companyId: string, from: string, to: string): number {
  return db
    .prepare(`SELECT COALESCE(SUM(p.amount_cents), 0) FROM payments p WHERE p.company_id = ? AND p.date BETWEEN ? AND ? AND ${LIVE_PAYMENT}`)
    .pluck()
    .get(companyId, from, to) as number;
}

function dueSums(db: Db, companyId: string, today: string, customerId: string | null) {
  return db
    .prepare(
      `SELECT COUNT(*) AS dueCount, COALESCE(SUM(${OUTSTANDING}), 0) AS dueCents,
              COALESCE(SUM(CASE WHEN i.due_date < @today THEN 1 ELSE 0 END), 0) AS overdueCount,
              COALESCE(SUM(CASE WHEN i.due_date < @today THEN ${OUTSTANDING} ELSE 0 END), 0) AS overdueCents
       FROM invoices i WHERE i.company_id = @companyId AND ${UNPAID} ${customerId ? "AND i.customer_id = @customerId" : ""}`,
    )
    .get({ companyId, today, customerId }) as { dueCount: number; dueCents: number; overdueCount: number; overdueCents: number };
}

/** The company's figures on `today` (its business day). */
export function moneyStanding(db: Db, companyId: string, today: string): MoneyStanding {
  const month = monthBounds(monthOf(today));
  const fiscalYear = fiscalYearOf(today, companyRow(db, companyId).fiscal_year_start);
  const months = monthsEnding(monthOf(today), 12);
  const byMonth = new Map(
    (
      db
        .prepare(
          `SELECT substr(i.issue_date, 1, 7) AS month, SUM(${SIGN} * i.ht_cents) AS ht FROM invoices i
           WHERE i.company_id = ? AND i.status != 'draft' AND i.issue_date BETWEEN ? AND ? GROUP BY 1`,
        )
        .all(companyId, `${months[0]}-01`, month.to) as { month: string; ht: number }[]
    ).map((r) => [r.month, r.ht]),
  );
  const overdueRows = db
    .prepare(
      `SELECT i.id, i.number, i.customer_id, COALESCE(json_extract(fc.json, '$.code'), c.code) AS code, COALESCE(json_extract(fc.json, '$.name'), c.name) AS name,
              i.issue_date, i.due_date, i.ttc_cents, ${OUTSTANDING} AS due
       FROM invoices i JOIN customers c ON c.id = i.customer_id LEFT JOIN frozen_identities fc ON fc.id = i.customer_identity_id
       WHERE i.company_id = ? AND ${UNPAID} AND i.due_date < ?
       ORDER BY i.due_date, i.issue_date, i.number LIMIT 5`,
    )
    .all(companyId, today) as { id: string; number: string; customer_id: string; code: string; name: string; issue_date: string; due_date: string; ttc_cents: number; due: number }[];
  const mostOverdue: MostOverdueInvoice[] = overdueRows.map((r) => ({
    id: r.id,
    number: r.number,
    customer: { id: r.customer_id, code: r.code, name: r.name },
    issueDate: r.issue_date,
    dueDate: r.due_date,
    daysLate: daysLate(r.due_date, today),
    ttcCents: r.ttc_cents,
    dueCents: r.due,
  }));
  return {
    today,
    month: { ...month, revenueHtCents: revenueHt(db, companyId, month.from, month.to), receivedCents: received(db, companyId, month.from, month.to) },
    fiscalYear: {
      ...fiscalYear,
      revenueHtCents: revenueHt(db, companyId, fiscalYear.from, fiscalYear.to),
      receivedCents: received(db, companyId, fiscalYear.from, fiscalYear.to),
    },
    ...dueSums(db, companyId, today, null),
    mostOverdue,
    monthlyRevenue: months.map((m) => ({ month: m, revenueHtCents: byMonth.get(m) ?? 0 })),
  };
}

/** What a customer was billed, paid and still owes, on `today`. */
export function customerBalance(db: Db, companyId: string, customerId: string, today: string): CustomerBalance {
  customerRow(db, companyId, customerId);
  const billed = db
    .prepare(`SELECT COALESCE(SUM(${SIGN} * i.ttc_cents), 0) FROM invoices i WHERE i.company_id = ? AND i.customer_id = ? AND i.status != 'draft'`)
    .pluck()
    .get(companyId, customerId) as number;
  const paid = db
    .prepare(
      `SELECT COALESCE(SUM(p.amount_cents), 0) FROM payments p JOIN invoices i ON i.id = p.invoice_id
       WHERE p.company_id = ? AND i.customer_id = ? AND ${LIVE_PAYMENT}`,
    )
    .pluck()
    .get(companyId, customerId) as number;
  const { dueCents, overdueCents, overdueCount } = dueSums(db, companyId, today, customerId);
  return { customerId, billedCents: billed, receivedCents: paid, dueCents, overdueCents, overdueCount };
}

/**
 * What a sending carried: a reminder of its level (`reminder_1`, `reminder_2`, `reminder_3`), else
 * the document it sent (`invoice` or `credit_note`).
 */
const SELECT_CUSTOMER_SENDING = `${SELECT_SENDING.replace(" FROM ", ", CASE WHEN i.type = 'credit_note' THEN 'credit_note' ELSE 'invoice' END AS document_kind, i.number AS invoice_number FROM ")}
  JOIN invoices i ON i.id = s.invoice_id`;
type CustomerSendingRow = SendingRow & { document_kind: string; invoice_number: string };

/** The e-mails sent to a customer about its documents, newest first. */
export function customerSendings(db: Db, companyId: string, customerId: string, opts: { limit: number; cursor?: string | undefined }): Page<CustomerSending> {
  customerRow(db, companyId, customerId);
  const after = decodeCursor(opts.cursor, 2);
  const rows = db
    .prepare(
      `${SELECT_CUSTOMER_SENDING}
       WHERE s.company_id = @companyId AND i.company_id = @companyId AND i.customer_id = @customerId ${after ? "AND (s.created_at, s.pk) < (@afterAt, @afterPk)" : ""}
       ORDER BY s.created_at DESC, s.pk DESC LIMIT @limit`,
    )
    .all({ companyId, customerId, afterAt: after?.[0], afterPk: after?.[1], limit: opts.limit + 1 }) as CustomerSendingRow[];
  const page = rows.slice(0, opts.limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({ ...sendingOf(r), kind: r.reminder_level ? `reminder_${r.reminder_level}` : r.document_kind, invoiceNumber: r.invoice_number })),
    nextCursor: rows.length > opts.limit && last ? encodeCursor([last.created_at, last.pk]) : null,
  };
}
