/**
 * Seller and customer identities as an invoice prints them. Issuing freezes them: the document
 * refers to the identity as it was then, stored once per company in frozen_identities (migration
 * 010) and read back as the invoice row's seller_snapshot and customer_snapshot (db/invoices.ts).
 * PDFs and e-invoices of drafts read the current ones.
 */
import type { EInvoiceBuyer, EInvoiceSeller } from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import { addressOf } from "../db/rows.js";
import { companyRow } from "./companies.js";
import { customerRow } from "./customers.js";

/**
 * The seller as documents print it. The registration at the répertoire des métiers, the APE code
 * and the logo (by its SHA-256, see logos.ts) are written only when the company has them: a company
 * without them freezes the very identity it froze before they existed.
 */
export type SellerIdentity = EInvoiceSeller & { rmDepartment?: string; apeCode?: string; logoSha256?: string };
export type CustomerIdentity = EInvoiceBuyer;

/** `company`: the company's row when the caller read it already. */
export function sellerIdentity(db: Db, companyId: string, company?: ReturnType<typeof companyRow>): SellerIdentity {
  const s = company ?? companyRow(db, companyId);
  return {
    name: s.name,
    siren: s.siren,
    vatNumber: s.vat_number,
    address: addressOf(s),
    legalForm: s.legal_form,
    capital: s.capital,
    rcsCity: s.rcs_city,
    email: s.email,
    phone: s.phone,
    iban: s.iban,
    // present only when stated, so identities frozen before the BIC existed stay the same
    ...(s.bic ? { bic: s.bic } : {}),
    latePenaltyRate: s.late_penalty_rate,
    earlyPaymentDiscount: s.early_payment_discount,
    vatOnDebits: s.vat_on_debits === 1,
    ...(s.rm_department ? { rmDepartment: s.rm_department } : {}),
    ...(s.ape_code ? { apeCode: s.ape_code } : {}),
    ...(s.logo_sha256 ? { logoSha256: s.logo_sha256 } : {}),
  };
}

export function customerIdentity(db: Db, companyId: string, customerId: string): CustomerIdentity {
  const c = customerRow(db, companyId, customerId);
  return { code: c.code, name: c.name, siren: c.siren, vatNumber: c.vat_number, email: c.email, address: addressOf(c) };
}

/** The frozen identity's id for `identity` as it is now: the one stored already, or a new one. */
export function freezeIdentity(db: Db, companyId: string, identity: SellerIdentity | CustomerIdentity): number {
  return frozenIdentity(db, companyId, identity).id;
}

/** The same, with the JSON stored (what an issued invoice's row reads back as its snapshot). */
export function frozenIdentity(db: Db, companyId: string, identity: SellerIdentity | CustomerIdentity): { id: number; json: string } {
  const json = JSON.stringify(identity);
  const known = db.prepare("SELECT id FROM frozen_identities WHERE company_id = ? AND json = ?").pluck().get(companyId, json) as number | undefined;
  return { id: known ?? (db.prepare("INSERT INTO frozen_identities (company_id, json) VALUES (?, ?) RETURNING id").pluck().get(companyId, json) as number), json };
}
