/** Reading quotes (with lines, per-rate totals, customer and the invoice made from them) for one company. */
import { quoteStatusOn, type Page, type Quote, type QuoteLine, type QuoteStatus, type StoredQuoteStatus, type VatExemptionCode } from "@passerelle/shared";
import type { Db } from "./connection.js";
import { decodeCursor, encodeCursor } from "./ids.js";
import { notFound } from "../http/problem.js";
import { pricedLineOf, type PricedLineRow } from "./invoices.js";

export interface QuoteRow {
  pk: number;
  id: string;
  company_id: string;
  status: StoredQuoteStatus;
  number: string | null;
  series_key: string | null;
  series_counter: number | null;
  customer_id: string;
  issue_date: string | null;
  valid_until: string | null;
  notes: string | null;
  vat_exemption: VatExemptionCode | null;
  customer_identity_id: number | null;
  seller_identity_id: number | null;
  ht_cents: number;
  vat_cents: number;
  ttc_cents: number;
  decided_on: string | null;
  invoice_id: string | null;
  duplicated_from_id: string | null;
  created_at: string;
  updated_at: string;
  issued_at: string | null;
}

export interface QuoteLineRow extends PricedLineRow {
  quote_id: string;
}

export function quoteRow(db: Db, companyId: string, quoteId: string): QuoteRow {
  const row = db.prepare("SELECT * FROM quotes WHERE company_id = ? AND id = ?").get(companyId, quoteId) as QuoteRow | undefined;
  if (!row) throw notFound("quote");
  return row;
}

export function quoteLinesOf(db: Db, quoteIds: string[]): Map<string, QuoteLineRow[]> {
  const byQuote = new Map<string, QuoteLineRow[]>(quoteIds.map((id) => [id, []]));
  if (quoteIds.length === 0) return byQuote;
  const rows = db
    .prepare("SELECT l.* FROM json_each(?) j JOIN quote_lines l ON l.quote_id = j.value ORDER BY l.quote_id, l.position")
    .all(JSON.stringify(quoteIds)) as QuoteLineRow[];
  for (const r of rows) byQuote.get(r.quote_id)!.push(r);
  return byQuote;
}

function quoteVatOf(db: Db, quoteIds: string[]): Map<string, { vatRateBp: number; baseCents: number; vatCents: number }[]> {
  const byQuote = new Map<string, { vatRateBp: number; baseCents: number; vatCents: number }[]>(quoteIds.map((id) => [id, []]));
  if (quoteIds.length === 0) return byQuote;
  const rows = db
    .prepare("SELECT v.quote_id, v.vat_rate_bp, v.base_cents, v.vat_cents FROM json_each(?) j JOIN quote_vat v ON v.quote_id = j.value ORDER BY v.quote_id, v.vat_rate_bp DESC")
    .raw()
    .all(JSON.stringify(quoteIds)) as [string, number, number, number][];
  for (const [id, vatRateBp, baseCents, vatCents] of rows) byQuote.get(id)!.push({ vatRateBp, baseCents, vatCents });
  return byQuote;
}

export function toQuoteLine(r: QuoteLineRow): QuoteLine {
  return pricedLineOf(r);
}

type JoinedRow = QuoteRow & { customer_code: string; customer_name: string; customer_snapshot: string | null; invoice_number: string | null; order_id: string | null };

const SELECT_JOINED = `SELECT q.*, c.code AS customer_code, c.name AS customer_name, fc.json AS customer_snapshot, i.number AS invoice_number,
  (SELECT o.id FROM orders o WHERE o.quote_id = q.id) AS order_id
  FROM quotes q JOIN customers c ON c.id = q.customer_id LEFT JOIN frozen_identities fc ON fc.id = q.customer_identity_id
  LEFT JOIN invoices i ON i.id = q.invoice_id`;

function assemble(db: Db, rows: JoinedRow[], today: string): Quote[] {
  const ids = rows.map((r) => r.id);
  const lines = quoteLinesOf(db, ids);
  const vat = quoteVatOf(db, ids);
  return rows.map((r) => {
    const snapshot = r.customer_snapshot ? (JSON.parse(r.customer_snapshot) as { code: string; name: string }) : null;
    return {
      id: r.id,
      number: r.number,
      status: quoteStatusOn(r.status, r.valid_until, today),
      issueDate: r.issue_date,
      validUntil: r.valid_until,
      customer: { id: r.customer_id, code: snapshot?.code ?? r.customer_code, name: snapshot?.name ?? r.customer_name },
      lines: lines.get(r.id)!.map(toQuoteLine),
      totals: { htCents: r.ht_cents, vatCents: r.vat_cents, ttcCents: r.ttc_cents, byRate: vat.get(r.id)! },
      notes: r.notes,
      vatExemption: r.vat_exemption,
      decidedOn: r.decided_on,
      invoiceId: r.invoice_id,
      invoiceNumber: r.invoice_number,
      orderId: r.order_id,
      duplicatedFromId: r.duplicated_from_id,
      createdAt: r.created_at,
      issuedAt: r.issued_at,
    };
  });
}

/** The quote as the API shows it on `today` (an issued quote past its validity date is `expired`). */
export function loadQuote(db: Db, companyId: string, quoteId: string, today: string): Quote {
  const row = db.prepare(`${SELECT_JOINED} WHERE q.company_id = ? AND q.id = ?`).get(companyId, quoteId) as JoinedRow | undefined;
  if (!row) throw notFound("quote");
  return assemble(db, [row], today)[0]!;
}

export interface QuoteQuery {
  limit: number;
  cursor?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  customerId?: string | undefined;
  status?: QuoteStatus | undefined;
  q?: string | undefined;
}

/** The quote filters as SQL over `q` (quotes) and `c` (customers); `expired` and `issued` are told apart by `today`. */
export function quoteFilterSql(f: Omit<QuoteQuery, "limit" | "cursor">, today: string): { where: string; params: Record<string, unknown> } {
  const clauses: string[] = [];
  const params: Record<string, unknown> = {};
  if (f.from) (clauses.push("q.issue_date >= @from"), (params.from = f.from));
  if (f.to) (clauses.push("q.issue_date <= @to"), (params.to = f.to));
  if (f.customerId) (clauses.push("q.customer_id = @customerId"), (params.customerId = f.customerId));
  if (f.status === "expired") (clauses.push("q.status = 'issued' AND q.valid_until < @today"), (params.today = today));
  else if (f.status === "issued") (clauses.push("q.status = 'issued' AND q.valid_until >= @today"), (params.today = today));
  else if (f.status) (clauses.push("q.status = @status"), (params.status = f.status));
  if (f.q) {
    clauses.push("(q.number LIKE @q ESCAPE '\\' OR c.name LIKE @q ESCAPE '\\' OR c.code LIKE @q ESCAPE '\\')");
    params.q = `%${f.q.replace(/[\\%_]/g, (m) => `\\${m}`)}%`;
  }
  return { where: clauses.map((c) => ` AND ${c}`).join(""), params };
}

/**
 * Newest first: issued quotes by date then creation, drafts (no date yet) by creation. The page's
 * rows are chosen from the quotes alone, then joined: sorting every quote with its customer and
 * frozen identity took 96 ms for the first page of 100 among 5,000 quotes, choosing first 43 ms
 * (both on the same busy machine).
 */
export function listQuotes(db: Db, companyId: string, query: QuoteQuery, today: string): Page<Quote> {
  const after = decodeCursor(query.cursor, 2);
  const { where, params } = quoteFilterSql(query, today);
  const sortKey = "COALESCE(q.issue_date, substr(q.created_at, 1, 10))";
  const rows = db
    .prepare(
      `WITH page AS (
         SELECT q.pk FROM quotes q ${query.q ? "JOIN customers c ON c.id = q.customer_id" : ""} WHERE q.company_id = @companyId ${where}
         ${after ? `AND (${sortKey}, q.pk) < (@afterDate, @afterPk)` : ""}
         ORDER BY ${sortKey} DESC, q.pk DESC LIMIT @limit)
       ${SELECT_JOINED} WHERE q.pk IN (SELECT pk FROM page) ORDER BY ${sortKey} DESC, q.pk DESC`,
    )
    .all({ ...params, companyId, afterDate: after?.[0], afterPk: after?.[1], limit: query.limit + 1 }) as JoinedRow[];
  const page = rows.slice(0, query.limit);
  const last = page.at(-1);
  return {
    items: assemble(db, page, today),
    nextCursor: rows.length > query.limit && last ? encodeCursor([last.issue_date ?? last.created_at.slice(0, 10), last.pk]) : null,
  };
}
