/**
 * Reads an issued invoice or credit note as an e-invoice: the identities frozen on it at issue
 * (seller_snapshot, customer_snapshot), its lines and its stored per-rate totals. Drafts have no
 * number and are not invoices yet; a document EN 16931 cannot express answers 409 naming the rule.
 */
import { einvoiceProblems, type EInvoiceBuyer, type EInvoiceDocument, type EInvoiceSeller } from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import { deductionsOf, deliveryOf, invoiceRow, linesOf, vatOf } from "../db/invoices.js";
import { conflict } from "../http/problem.js";
import { customerIdentity, sellerIdentity } from "../services/identities.js";

export interface LoadedEInvoice {
  document: EInvoiceDocument;
  /** When the document became final: fixes the dates written into files, so the bytes are reproducible. */
  finalAt: string;
}

/** Snapshot JSON may predate a field: absent optional values read as null. */
function seller(json: string): EInvoiceSeller {
  const s = JSON.parse(json) as Partial<EInvoiceSeller> & Pick<EInvoiceSeller, "name" | "siren" | "address">;
  return {
    name: s.name,
    siren: s.siren,
    vatNumber: s.vatNumber ?? null,
    address: s.address,
    legalForm: s.legalForm ?? null,
    capital: s.capital ?? null,
    rcsCity: s.rcsCity ?? null,
    email: s.email ?? null,
    phone: s.phone ?? null,
    iban: s.iban ?? null,
    bic: s.bic ?? null,
    latePenaltyRate: s.latePenaltyRate ?? null,
    earlyPaymentDiscount: s.earlyPaymentDiscount ?? null,
    // documents issued before the option existed were not under it
    vatOnDebits: s.vatOnDebits ?? false,
  };
}

function buyer(json: string): EInvoiceBuyer {
  const c = JSON.parse(json) as Partial<EInvoiceBuyer> & Pick<EInvoiceBuyer, "code" | "name" | "address">;
  return { code: c.code, name: c.name, siren: c.siren ?? null, vatNumber: c.vatNumber ?? null, email: c.email ?? null, address: c.address };
}

/** The e-invoice of an issued document, or 404 (unknown/invisible) / 409 (draft, or not expressible). */
export function loadEInvoice(db: Db, companyId: string, invoiceId: string): LoadedEInvoice {
  const row = invoiceRow(db, companyId, invoiceId);
  if (row.status === "draft" || !row.number || !row.issue_date) {
    throw conflict("This draft has no number yet: issue it first. Only issued invoices and credit notes have an e-invoice.");
  }
  const lines = linesOf(db, [invoiceId]).get(invoiceId)!;
  const vat = vatOf(db, [invoiceId]).get(invoiceId)!;
  let corrects: EInvoiceDocument["corrects"] = null;
  if (row.credited_invoice_id) {
    const original = invoiceRow(db, companyId, row.credited_invoice_id);
    if (original.number && original.issue_date) corrects = { number: original.number, issueDate: original.issue_date };
  }
  const document: EInvoiceDocument = {
    type: row.type,
    number: row.number,
    issueDate: row.issue_date,
    dueDate: row.due_date,
    seller: row.seller_snapshot ? seller(row.seller_snapshot) : sellerIdentity(db, companyId),
    buyer: row.customer_snapshot ? buyer(row.customer_snapshot) : customerIdentity(db, companyId, row.customer_id),
    lines: lines.map((l) => ({
      position: l.position,
      description: l.description,
      quantity: l.quantity,
      unitPriceCents: l.unit_price_cents,
      vatRateBp: l.vat_rate_bp,
      discountCents: l.discount_cents,
      kind: l.kind,
      unit: l.unit,
    })),
    totals: {
      htCents: row.ht_cents,
      vatCents: row.vat_cents,
      ttcCents: row.ttc_cents,
      byRate: vat.map((v) => ({ vatRateBp: v.vat_rate_bp, baseCents: v.base_cents, vatCents: v.vat_cents })),
    },
    vatExemption: row.vat_exemption,
    notes: row.notes,
    corrects,
    ...deliveryOf(row),
    prepayment: row.order_role === "deposit",
    deductions:
      row.order_role === "balance" && row.type === "invoice"
        ? deductionsOf(db, [invoiceId])
            .get(invoiceId)!
            .map((d) => ({ number: d.number!, issueDate: d.issueDate!, byRate: d.byRate }))
        : [],
  };
  const problems = einvoiceProblems(document);
  if (problems.length > 0) {
    throw conflict(
      `${row.number} cannot be written as a valid EN 16931 e-invoice: ${problems.map((p) => `${p.path} ${p.message}`).join("; ")}.`,
      problems,
    );
  }
  return { document, finalAt: row.issued_at ?? row.updated_at };
}
