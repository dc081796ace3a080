/**
 * Reads what the accounting entries are made of, one group of invoices at a time: issued documents
 * (with lines and per-rate VAT) and live payments. A group is an invoice with its credit notes and
 * payments (shared/src/entries.ts `groupOf`).
 */
import { addDays, entryLineLimits, type AccountingSettings, type LedgerDocument, type LedgerPayment, type ProductKind, type InvoiceType, type RateAmount } from "@passerelle/shared";
import type { Db } from "./connection.js";

/** An issued document's header as the ledger reads it (`DocHeaders`). */
export interface DocRow {
  id: string;
  type: InvoiceType;
  number: string;
  issue_date: string;
  series_counter: number;
  customer_id: string;
  code: string;
  name: string;
  category: string | null;
  credited_invoice_id: string | null;
  ttc_cents: number;
  /** 'deposit' for a deposit invoice and its credit notes, 'balance' for a balance invoice (migration 016). */
  order_role: "deposit" | "balance" | null;
  deposits_ht_cents: number;
}

/** A payment counts unless it was deleted. */
export const LIVE_PAYMENT = "NOT EXISTS (SELECT 1 FROM payment_deletions d WHERE d.payment_id = p.id)";

/**
 * The columns of a document header from invoice `i` and its customer `c`, as `DocHeaders.row` reads
 * them from a raw row: the customer and the identity the document printed by their keys alone.
 */
export const DOC_COLUMNS = `i.id, i.type, i.number, i.issue_date, i.series_counter, c.pk, i.customer_identity_id,
  i.credited_invoice_id, i.ttc_cents, i.order_role, i.deposits_ht_cents`;

/** Customers or identities kept by a `DocHeaders` before it starts afresh. */
const HEADER_CACHE = 10_000;

/**
 * The headers of the documents of one read. Thousands of documents share a customer and the identity
 * it had when they were issued: each is read once (by key, into a bounded map) rather than its
 * strings copied into every row and the identity's JSON parsed for each. A header gives the customer
 * as printed on the document (its frozen identity, else the customer as it is), the category as the
 * owner files it today.
 */
export class DocHeaders {
  private readonly customers = new Map<number, { id: string; code: string; name: string; category: string | null }>();
  private readonly identities = new Map<number, { code: string | null; name: string | null }>();
  constructor(private readonly db: Db) {}

  /** The `DocRow` of a raw row whose `DOC_COLUMNS` start at column `at`. */
  row(r: readonly unknown[], at = 0): DocRow {
    const customer = this.customer(r[at + 5] as number);
    const identityId = r[at + 6] as number | null;
    const identity = identityId === null ? null : this.identity(identityId);
    return {
      id: r[at] as string,
      type: r[at + 1] as InvoiceType,
      number: r[at + 2] as string,
      issue_date: r[at + 3] as string,
      series_counter: r[at + 4] as number,
      customer_id: customer.id,
      code: identity?.code ?? customer.code,
      name: identity?.name ?? customer.name,
      category: customer.category,
      credited_invoice_id: r[at + 7] as string | null,
      ttc_cents: r[at + 8] as number,
      order_role: r[at + 9] as DocRow["order_role"],
      deposits_ht_cents: r[at + 10] as number,
    };
  }

  private customer(pk: number) {
    let customer = this.customers.get(pk);
    if (customer === undefined) {
      if (this.customers.size >= HEADER_CACHE) this.customers.clear();
      customer = this.db.prepare("SELECT id, code, name, category FROM customers WHERE pk = ?").get(pk) as { id: string; code: string; name: string; category: string | null };
      this.customers.set(pk, customer);
    }
    return customer;
  }

  private identity(id: number) {
    let identity = this.identities.get(id);
    if (identity === undefined) {
      if (this.identities.size >= HEADER_CACHE) this.identities.clear();
      identity = this.db.prepare("SELECT json ->> '$.code' AS code, json ->> '$.name' AS name FROM frozen_identities WHERE id = ?").get(id) as { code: string | null; name: string | null };
      this.identities.set(id, identity);
    }
    return identity;
  }
}

/**
 * The issued documents of the groups: each invoice (or lone credit note) named, and the credit notes
 * of those invoices — with their lines and per-rate VAT, or only those of the documents in `detailed`.
 */
export function groupDocuments(db: Db, headers: DocHeaders, companyId: string, groupIds: readonly string[], detailed?: ReadonlySet<string>): LedgerDocument[] {
  if (groupIds.length === 0) return [];
  const rows = db
    .prepare(
      `SELECT ${DOC_COLUMNS} FROM invoices i JOIN customers c ON c.id = i.customer_id
       WHERE i.id IN (SELECT value FROM json_each(@ids)) AND i.company_id = @companyId AND i.status != 'draft'
         AND (i.type = 'invoice' OR i.credited_invoice_id IS NULL)
       UNION ALL
       SELECT ${DOC_COLUMNS} FROM invoices i JOIN customers c ON c.id = i.customer_id
       WHERE i.credited_invoice_id IN (SELECT value FROM json_each(@ids)) AND i.company_id = @companyId AND i.status != 'draft'`,
    )
    .raw(true)
    .all({ ids: JSON.stringify(groupIds), companyId }) as unknown[][];
  return withDetails(db, rows.map((r) => headers.row(r)), detailed);
}

/** The documents, with the lines and per-rate VAT of those in `detailed` (all when absent). */
export function withDetails(db: Db, rows: readonly DocRow[], detailed?: ReadonlySet<string>): LedgerDocument[] {
  const docIds = JSON.stringify(detailed ? rows.filter((r) => detailed.has(r.id)).map((r) => r.id) : rows.map((r) => r.id));
  const lines = new Map<string, LedgerDocument["lines"]>(rows.map((r) => [r.id, []]));
  const vat = new Map<string, LedgerDocument["byRate"]>(rows.map((r) => [r.id, []]));
  const lineRows = db
    .prepare(
      `SELECT l.invoice_id, l.net_cents, l.vat_rate_bp, l.kind, l.product_id, p.category
       FROM invoice_lines l LEFT JOIN products p ON p.id = l.product_id
       WHERE l.invoice_id IN (SELECT value FROM json_each(?)) ORDER BY l.invoice_id, l.position`,
    )
    .raw(true)
    .all(docIds) as [invoiceId: string, netCents: number, vatRateBp: number, kind: ProductKind, productId: string | null, category: string | null][];
  for (const l of lineRows) {
    lines.get(l[0])!.push({ netCents: l[1], vatRateBp: l[2], kind: l[3], productId: l[4], productCategory: l[5] });
  }
  const vatRows = db
    .prepare(
      `SELECT v.invoice_id, v.vat_rate_bp, v.base_cents, v.vat_cents FROM invoice_vat v
       WHERE v.invoice_id IN (SELECT value FROM json_each(?)) ORDER BY v.invoice_id, v.vat_rate_bp DESC`,
    )
    .raw(true)
    .all(docIds) as [invoiceId: string, vatRateBp: number, baseCents: number, vatCents: number][];
  for (const v of vatRows) vat.get(v[0])!.push({ vatRateBp: v[1], baseCents: v[2], vatCents: v[3] });

  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    number: r.number,
    date: r.issue_date,
    order: r.series_counter,
    customer: { id: r.customer_id, code: r.code, name: r.name, category: r.category },
    creditedInvoiceId: r.credited_invoice_id,
    lines: lines.get(r.id)!,
    byRate: vat.get(r.id)!,
    ttcCents: r.ttc_cents,
    deposit: r.order_role === "deposit",
    depositsHtCents: r.deposits_ht_cents,
  }));
}

/**
 * The lettering of an invoice (alias `alias`) as it stands now: its code's position when it has one
 * and what it was for equals what was paid and credited on it, and the date of the last settling
 * document (the invoice, a credit note or a live payment). Both null otherwise.
 */
export function letteringSql(alias: string): string {
  return `CASE WHEN lt.position IS NOT NULL AND ${alias}.ttc_cents = ${alias}.paid_cents + ${alias}.credited_cents THEN lt.position END AS lettering_position,
    CASE WHEN lt.position IS NOT NULL AND ${alias}.ttc_cents = ${alias}.paid_cents + ${alias}.credited_cents THEN MAX(
      ${alias}.issue_date,
      COALESCE((SELECT MAX(n.issue_date) FROM invoices n WHERE n.credited_invoice_id = ${alias}.id AND n.status != 'draft'), ''),
      COALESCE((SELECT MAX(p.date) FROM payments p WHERE p.invoice_id = ${alias}.id AND ${LIVE_PAYMENT}), '')
    ) END AS lettering_date`;
}

/** The invoices lettered now among these, with their code's position and lettering date. */
export function invoiceLettering(db: Db, companyId: string, invoiceIds: readonly string[]): Map<string, { position: number; date: string }> {
  const out = new Map<string, { position: number; date: string }>();
  if (invoiceIds.length === 0) return out;
  const rows = db
    .prepare(
      `SELECT li.id, ${letteringSql("li")}
       FROM lettering lt JOIN invoices li ON li.id = lt.invoice_id
       WHERE lt.company_id = ? AND lt.invoice_id IN (SELECT value FROM json_each(?))`,
    )
    .raw(true)
    .all(companyId, JSON.stringify(invoiceIds)) as [id: string, position: number | null, date: string | null][];
  for (const [id, position, date] of rows) if (position !== null && date) out.set(id, { position, date });
  return out;
}

type Lettering = { position: number; date: string };

/**
 * `invoiceLettering` for one read of entries page after page: an invoice comes back with the page
 * of its payments (on a year's entries, 192,110 invoice ids asked for 95,437 invoices), and its
 * lettering does not change within the read's snapshot, so the last `capacity` answers (lettered
 * or not) are kept and only the others are asked for.
 */
export class LetteringMemo {
  private readonly known = new Map<string, Lettering | null>();
  constructor(
    private readonly db: Db,
    private readonly companyId: string,
    private readonly capacity = 20_000,
  ) {}

  of(invoiceIds: readonly string[]): Map<string, Lettering> {
    const out = new Map<string, Lettering>();
    const missing: string[] = [];
    for (const id of invoiceIds) {
      const letter = this.known.get(id);
      if (letter === undefined) missing.push(id);
      else if (letter !== null) out.set(id, letter);
    }
    const found = invoiceLettering(this.db, this.companyId, missing);
    for (const id of missing) {
      const letter = found.get(id) ?? null;
      if (letter) out.set(id, letter);
      this.known.set(id, letter);
    }
    // the oldest answers go first (a Map keeps the order of insertion)
    for (const id of this.known.keys()) {
      if (this.known.size <= this.capacity) break;
      this.known.delete(id);
    }
    return out;
  }
}

/** The live payments of the invoices. */
export function groupPayments(db: Db, companyId: string, invoiceIds: readonly string[]): LedgerPayment[] {
  if (invoiceIds.length === 0) return [];
  return (
    db
      .prepare(
        `SELECT p.id, p.invoice_id, p.date, p.amount_cents, p.pk FROM payments p
         WHERE p.invoice_id IN (SELECT value FROM json_each(?)) AND p.company_id = ? AND ${LIVE_PAYMENT}`,
      )
      .all(JSON.stringify(invoiceIds), companyId) as { id: string; invoice_id: string; date: string; amount_cents: number; pk: number }[]
  ).map((p) => ({ id: p.id, invoiceId: p.invoice_id, date: p.date, amountCents: p.amount_cents, order: p.pk }));
}

/** What the frozen entries among these sources did to the VAT waiting for payment (key `kind:id`). */
export function frozenWaiting(db: Db, companyId: string, sourceIds: readonly string[]): Map<string, { waiting: RateAmount[] }> {
  const out = new Map<string, { waiting: RateAmount[] }>();
  if (sourceIds.length === 0) return out;
  const rows = db
    .prepare(
      `SELECT source_kind, source_id, waiting_json FROM frozen_entries
       WHERE company_id = ? AND source_kind IN ('invoice', 'credit_note', 'payment') AND source_id IN (SELECT value FROM json_each(?))`,
    )
    .all(companyId, JSON.stringify(sourceIds)) as { source_kind: string; source_id: string; waiting_json: string }[];
  for (const r of rows) out.set(`${r.source_kind}:${r.source_id}`, { waiting: JSON.parse(r.waiting_json) as RateAmount[] });
  return out;
}

/**
 * At most how many entry lines the period from `from` (null: the first day) to `to` holds: the
 * frozen entries' lines as they are, up to `lockedUntil`; after it, what the documents and payments
 * could make under `settings` from their lines and VAT rates alone (`entryLineLimits`), whatever the
 * journals, document filters and account codes keep or map, deleted payments counted too. A few
 * index reads per document where computing the entries reads and builds them all.
 */
export function entryLinesAtMost(
  db: Db,
  companyId: string,
  from: string | null,
  to: string,
  lockedUntil: string | null,
  settings: Pick<AccountingSettings, "vatOnPayments">,
): number {
  const { document: d, payment: p } = entryLineLimits(settings);
  const openFrom = lockedUntil && (from === null || from <= lockedUntil) ? addDays(lockedUntil, 1) : (from ?? "");
  const rates = (invoice: string) => `(SELECT COUNT(*) FROM invoice_vat v WHERE v.invoice_id = ${invoice})`;
  return db
    .prepare(
      `SELECT
         (SELECT COALESCE(SUM(json_array_length(f.entry_json, '$.lines')), 0) FROM frozen_entries f
          WHERE f.company_id = @companyId AND f.entry_date >= @from AND f.entry_date <= @frozenTo)
       + (SELECT COALESCE(SUM(${d.base} + ${d.perLine} * (SELECT COUNT(*) FROM invoice_lines l WHERE l.invoice_id = i.id)
                              + ${d.perRate} * ${rates("i.id")} + ${d.perCreditedRate} * ${rates("i.credited_invoice_id")} + CASE WHEN i.deposits_ht_cents != 0 THEN 1 ELSE 0 END), 0)
          FROM invoices i WHERE i.company_id = @companyId AND i.number IS NOT NULL AND i.issue_date >= @openFrom AND i.issue_date <= @to)
       + (SELECT COALESCE(SUM(${p.base} + ${p.perInvoiceRate} * ${rates("p.invoice_id")}), 0)
          FROM payments p WHERE p.company_id = @companyId AND p.date >= @openFrom AND p.date <= @to)`,
    )
    .pluck()
    .get({ companyId, from: from ?? "", frozenTo: lockedUntil === null ? "" : lockedUntil < to ? lockedUntil : to, openFrom, to }) as number;
}
