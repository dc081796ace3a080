/** What a quote PDF prints, read from the database on the main thread: the invoice PDF's model, type `quote`. */
import type { Db } from "../db/connection.js";
import { quoteLinesOf, quoteRow } from "../db/quotes.js";
import { customerIdentity, sellerIdentity, type CustomerIdentity, type SellerIdentity } from "../services/identities.js";
import { sellerLogo } from "../services/logos.js";
import type { InvoicePdfModel } from "./invoice-pdf.js";

const frozen = (db: Db, id: number | null) => (id === null ? null : (db.prepare("SELECT json FROM frozen_identities WHERE id = ?").pluck().get(id) as string));

/** Frozen identities for issued quotes, the live records for drafts. */
export function quotePdfModel(db: Db, companyId: string, quoteId: string): InvoicePdfModel {
  const row = quoteRow(db, companyId, quoteId);
  const lines = quoteLinesOf(db, [quoteId]).get(quoteId)!;
  const byRate = db.prepare("SELECT vat_rate_bp AS vatRateBp, base_cents AS baseCents, vat_cents AS vatCents FROM quote_vat WHERE quote_id = ? ORDER BY vat_rate_bp DESC").all(quoteId) as InvoicePdfModel["byRate"];
  const frozenSeller = frozen(db, row.seller_identity_id);
  const seller = frozenSeller ? (JSON.parse(frozenSeller) as SellerIdentity) : sellerIdentity(db, companyId);
  const customer = frozen(db, row.customer_identity_id);
  return {
    type: "quote",
    draft: row.status === "draft",
    number: row.number,
    issueDate: row.issue_date,
    dueDate: null,
    validUntil: row.valid_until,
    seller,
    logo: sellerLogo(db, companyId, seller),
    customer: customer ? (JSON.parse(customer) as CustomerIdentity) : customerIdentity(db, companyId, row.customer_id),
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
    byRate,
    htCents: row.ht_cents,
    vatCents: row.vat_cents,
    ttcCents: row.ttc_cents,
    vatExemption: row.vat_exemption,
    notes: row.notes,
    corrects: null,
    deliveryDate: null,
    servicePeriod: null,
    deliveryAddress: null,
    finalAt: row.issued_at ?? row.updated_at,
  };
}
