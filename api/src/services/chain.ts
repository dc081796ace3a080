/**
 * The record chain (inalterability): each issued invoice, credit note and payment is appended with
 * hash = SHA-256(previous hash + canonical JSON of the record). The canonical record is rebuilt from
 * the stored rows, so `/integrity` can recompute every link and spot any later change.
 */
import { canonicalJson } from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import { deductionsOf, deliveryOf, linesOf, vatOf, type InvoiceRow, type LineRow, type VatRow } from "../db/invoices.js";
import { sha256Hex } from "../auth/secrets.js";

export type ChainKind = "invoice" | "credit_note" | "payment";

/** The record of an invoice or credit note as chained; `lines` and `vat` when the caller read them already (as linesOf and vatOf order them). */
export function canonicalInvoice(
  db: Db,
  row: InvoiceRow,
  lines: LineRow[] = linesOf(db, [row.id]).get(row.id)!,
  vat: VatRow[] = vatOf(db, [row.id]).get(row.id)!,
): Record<string, unknown> {
  // Mentions added after the first documents were chained: present only when the document states
  // them (canonical JSON drops undefined), so the records chained before them hash as they did.
  const delivery = deliveryOf(row);
  return {
    ...(delivery.deliveryDate ? { deliveryDate: delivery.deliveryDate } : {}),
    ...(delivery.servicePeriod ? { servicePeriod: delivery.servicePeriod } : {}),
    ...(delivery.deliveryAddress ? { deliveryAddress: delivery.deliveryAddress } : {}),
    ...(row.order_role
      ? {
          order: {
            id: row.order_id,
            role: row.order_role,
            depositsHtCents: row.deposits_ht_cents,
            deductions: deductionsOf(db, [row.id]).get(row.id)!.map((d) => ({ invoiceId: d.invoiceId, number: d.number, byRate: d.byRate })),
          },
        }
      : {}),
    kind: row.type,
    id: row.id,
    companyId: row.company_id,
    number: row.number,
    issueDate: row.issue_date,
    dueDate: row.due_date,
    customer: row.customer_snapshot ? JSON.parse(row.customer_snapshot) : null,
    seller: row.seller_snapshot ? JSON.parse(row.seller_snapshot) : null,
    creditedInvoiceId: row.credited_invoice_id,
    vatExemption: row.vat_exemption,
    lines: lines.map((l) => ({
      position: l.position,
      productId: l.product_id,
      description: l.description,
      quantity: l.quantity,
      unitPriceCents: l.unit_price_cents,
      vatRateBp: l.vat_rate_bp,
      discountCents: l.discount_cents,
      kind: l.kind,
      ...(l.unit ? { unit: l.unit } : {}),
      netCents: l.net_cents,
      creditedLineId: l.credited_line_id,
    })),
    totals: {
      htCents: row.ht_cents,
      vatCents: row.vat_cents,
      ttcCents: row.ttc_cents,
      byRate: vat.map((v) => ({ vatRateBp: v.vat_rate_bp, baseCents: v.base_cents, vatCents: v.vat_cents })),
    },
  };
}

export interface PaymentChainRow {
  id: string;
  company_id: string;
  invoice_id: string;
  amount_cents: number;
  date: string;
  method: string;
  reference: string | null;
}

export function canonicalPayment(row: PaymentChainRow): Record<string, unknown> {
  return {
    kind: "payment",
    id: row.id,
    companyId: row.company_id,
    invoiceId: row.invoice_id,
    amountCents: row.amount_cents,
    date: row.date,
    method: row.method,
    reference: row.reference,
  };
}

export function linkHash(previousHash: string, record: Record<string, unknown>): string {
  return sha256Hex(previousHash + canonicalJson(record));
}

/** Appends a record to the company's chain; runs inside the use-case's transaction. */
export function appendToChain(db: Db, companyId: string, kind: ChainKind, recordId: string, record: Record<string, unknown>): string {
  const last = db
    .prepare("SELECT position, hash FROM record_chain WHERE company_id = ? ORDER BY position DESC LIMIT 1")
    .get(companyId) as { position: number; hash: string } | undefined;
  const hash = linkHash(last?.hash ?? "", record);
  db.prepare("INSERT INTO record_chain (company_id, position, record_kind, record_id, hash) VALUES (?, ?, ?, ?, ?)").run(
    companyId,
    (last?.position ?? 0) + 1,
    kind,
    recordId,
    hash,
  );
  return hash;
}
