/** What an invoice PDF prints, read from the database on the main thread (the render worker gets this plain data). */
import type { Db } from "../db/connection.js";
import { deductionsOf, deliveryOf, invoiceRow, linesOf, orderTotalsOf, vatOf } from "../db/invoices.js";
import { customerIdentity, sellerIdentity, type CustomerIdentity, type SellerIdentity } from "../services/identities.js";
import { sellerLogo } from "../services/logos.js";
import type { InvoicePdfModel } from "./invoice-pdf.js";

/** Reads what the PDF prints: frozen snapshots for issued documents, the live records for drafts. */
export function invoicePdfModel(db: Db, companyId: string, invoiceId: string): InvoicePdfModel {
  const row = invoiceRow(db, companyId, invoiceId);
  const lines = linesOf(db, [invoiceId]).get(invoiceId)!;
  const vat = vatOf(db, [invoiceId]).get(invoiceId)!;
  const seller: SellerIdentity = row.seller_snapshot ? (JSON.parse(row.seller_snapshot) as SellerIdentity) : sellerIdentity(db, companyId);
  const customer: CustomerIdentity = row.customer_snapshot
    ? (JSON.parse(row.customer_snapshot) as CustomerIdentity)
    : customerIdentity(db, companyId, row.customer_id);
  let corrects: InvoicePdfModel["corrects"] = null;
  if (row.credited_invoice_id) {
    const original = invoiceRow(db, companyId, row.credited_invoice_id);
    corrects = { number: original.number!, issueDate: original.issue_date! };
  }
  return {
    type: row.type,
    draft: row.status === "draft",
    number: row.number,
    issueDate: row.issue_date,
    dueDate: row.due_date,
    seller,
    logo: sellerLogo(db, companyId, seller),
    customer,
    lines: lines.map((l) => ({
      description: l.description,
      quantity: l.quantity,
      unitPriceCents: l.unit_price_cents,
      discountCents: l.discount_cents,
      vatRateBp: l.vat_rate_bp,
      netCents: l.net_cents,
      kind: l.kind,
      unit: l.unit,
    })),
    byRate: vat.map((v) => ({ vatRateBp: v.vat_rate_bp, baseCents: v.base_cents, vatCents: v.vat_cents })),
    htCents: row.ht_cents,
    vatCents: row.vat_cents,
    ttcCents: row.ttc_cents,
    vatExemption: row.vat_exemption,
    notes: row.notes,
    corrects,
    ...deliveryOf(row),
    finalAt: row.issued_at ?? row.updated_at,
    orderRole: row.order_role,
    order: row.order_id
      ? (db.prepare("SELECT reference, order_date AS date FROM orders WHERE id = ?").get(row.order_id) as { reference: string | null; date: string })
      : null,
    orderTotals: row.order_role === "balance" && row.type === "invoice" && row.order_id ? orderTotalsOf(db, row.order_id) : null,
    deductions: deductionsOf(db, [invoiceId])
      .get(invoiceId)!
      .map((d) => ({ number: d.number ?? "", issueDate: d.issueDate ?? "", htCents: d.htCents, vatCents: d.vatCents, ttcCents: d.ttcCents })),
  };
}
