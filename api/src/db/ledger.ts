/** Reads what the accounting entries are made of: issued documents (with lines and per-rate VAT) and live payments. */
import type { LedgerDocument, LedgerPayment, ProductKind, InvoiceType } from "@passerelle/shared";
import type { Db } from "./connection.js";

interface DocRow {
  id: string;
  type: InvoiceType;
  number: string;
  issue_date: string;
  series_counter: number;
  customer_id: string;
  customer_snapshot: string | null;
  code: string;
  name: string;
  category: string | null;
  credited_invoice_id: string | null;
  ttc_cents: number;
}

/** A payment counts unless it was deleted. */
export const LIVE_PAYMENT = "NOT EXISTS (SELECT 1 FROM payment_deletions d WHERE d.payment_id = p.id)";

export function ledgerDocuments(db: Db, companyId: string): LedgerDocument[] {
  const rows = db
    .prepare(
      `SELECT i.id, i.type, i.number, i.issue_date, i.series_counter, i.customer_id, i.customer_snapshot, c.code, c.name, c.category,
              i.credited_invoice_id, i.ttc_cents
       FROM invoices i JOIN customers c ON c.id = i.customer_id
       WHERE i.company_id = ? AND i.status != 'draft'`,
    )
    .all(companyId) as DocRow[];
  const lines = new Map<string, LedgerDocument["lines"]>();
  const vat = new Map<string, LedgerDocument["byRate"]>();
  for (const r of rows) {
    lines.set(r.id, []);
    vat.set(r.id, []);
  }
  const lineRows = db
    .prepare(
      `SELECT l.invoice_id, l.net_cents, l.vat_rate_bp, l.kind, l.product_id, p.category
       FROM invoice_lines l JOIN invoices i ON i.id = l.invoice_id LEFT JOIN products p ON p.id = l.product_id
       WHERE i.company_id = ? AND i.status != 'draft' ORDER BY l.invoice_id, l.position`,
    )
    .all(companyId) as { invoice_id: string; net_cents: number; vat_rate_bp: number; kind: ProductKind; product_id: string | null; category: string | null }[];
  for (const l of lineRows) {
    lines.get(l.invoice_id)?.push({ netCents: l.net_cents, vatRateBp: l.vat_rate_bp, kind: l.kind, productId: l.product_id, productCategory: l.category });
  }
  const vatRows = db
    .prepare(
      `SELECT v.invoice_id, v.vat_rate_bp, v.base_cents, v.vat_cents FROM invoice_vat v JOIN invoices i ON i.id = v.invoice_id
       WHERE i.company_id = ? AND i.status != 'draft' ORDER BY v.invoice_id, v.vat_rate_bp DESC`,
    )
    .all(companyId) as { invoice_id: string; vat_rate_bp: number; base_cents: number; vat_cents: number }[];
  for (const v of vatRows) vat.get(v.invoice_id)?.push({ vatRateBp: v.vat_rate_bp, baseCents: v.base_cents, vatCents: v.vat_cents });

  return rows.map((r) => {
    // the customer as printed on the document; the category as the owner files it today
    const printed = r.customer_snapshot ? (JSON.parse(r.customer_snapshot) as { code?: string; name?: string }) : {};
    return {
      id: r.id,
      type: r.type,
      number: r.number,
      date: r.issue_date,
      order: r.series_counter,
      customer: { id: r.customer_id, code: printed.code ?? r.code, name: printed.name ?? r.name, category: r.category },
      creditedInvoiceId: r.credited_invoice_id,
      lines: lines.get(r.id)!,
      byRate: vat.get(r.id)!,
      ttcCents: r.ttc_cents,
    };
  });
}

export function ledgerPayments(db: Db, companyId: string): LedgerPayment[] {
  return (
    db
      .prepare(`SELECT p.id, p.invoice_id, p.date, p.amount_cents, p.pk FROM payments p WHERE p.company_id = ? AND ${LIVE_PAYMENT}`)
      .all(companyId) as { id: string; invoice_id: string; date: string; amount_cents: number; pk: number }[]
  ).map((p) => ({ id: p.id, invoiceId: p.invoice_id, date: p.date, amountCents: p.amount_cents, order: p.pk }));
}
