/** Row → resource mapping for the owner's data. */
import type { Address, Company, CompanyLogo, Customer, DocumentMeta, Payment, PaymentMethod, Product, Role } from "@passerelle/shared";

export interface AddressColumns {
  address_line1: string;
  address_line2: string | null;
  postal_code: string;
  city: string;
  country: string;
}

export function addressOf(row: AddressColumns): Address {
  return {
    line1: row.address_line1,
    ...(row.address_line2 ? { line2: row.address_line2 } : {}),
    postalCode: row.postal_code,
    city: row.city,
    country: row.country,
  };
}

export function addressColumns(address: Address): AddressColumns {
  return {
    address_line1: address.line1,
    address_line2: address.line2 ?? null,
    postal_code: address.postalCode,
    city: address.city,
    country: address.country,
  };
}

export interface CompanyRow extends AddressColumns {
  id: string;
  name: string;
  siren: string;
  vat_number: string | null;
  legal_form: string | null;
  capital: string | null;
  rcs_city: string | null;
  rm_department: string | null;
  ape_code: string | null;
  logo_sha256: string | null;
  fiscal_year_start: string;
  email: string | null;
  phone: string | null;
  iban: string | null;
  bic: string | null;
  payment_terms_days: number;
  payment_terms_end_of_month: 0 | 1;
  late_penalty_rate: string | null;
  early_payment_discount: string | null;
  vat_on_debits: 0 | 1;
  last_seq: number;
  created_at: string;
}

/** A company row with its logo's description (COMPANY_SELECT). */
export interface CompanyLogoColumns {
  logo_media_type: CompanyLogo["mediaType"] | null;
  logo_width: number | null;
  logo_height: number | null;
  logo_size_bytes: number | null;
}

/** The company with the description of the logo it uses (`c` is the company). */
export const COMPANY_SELECT = `SELECT c.*, l.media_type AS logo_media_type, l.width AS logo_width, l.height AS logo_height, l.size_bytes AS logo_size_bytes
  FROM companies c LEFT JOIN company_logos l ON l.company_id = c.id AND l.sha256 = c.logo_sha256`;

export function toCompany(row: CompanyRow & CompanyLogoColumns, role: Role, lockedUntil: string | null): Company {
  return {
    id: row.id,
    name: row.name,
    siren: row.siren,
    vatNumber: row.vat_number,
    address: addressOf(row),
    legalForm: row.legal_form,
    capital: row.capital,
    rcsCity: row.rcs_city,
    rmDepartment: row.rm_department,
    apeCode: row.ape_code,
    logo:
      row.logo_sha256 && row.logo_media_type
        ? { sha256: row.logo_sha256, mediaType: row.logo_media_type, width: row.logo_width!, height: row.logo_height!, sizeBytes: row.logo_size_bytes! }
        : null,
    fiscalYearStart: row.fiscal_year_start,
    email: row.email,
    phone: row.phone,
    iban: row.iban,
    bic: row.bic,
    paymentTermsDays: row.payment_terms_days,
    paymentTermsEndOfMonth: row.payment_terms_end_of_month === 1,
    latePenaltyRate: row.late_penalty_rate,
    earlyPaymentDiscount: row.early_payment_discount,
    vatOnDebits: row.vat_on_debits === 1,
    role,
    lockedUntil,
    createdAt: row.created_at,
  };
}

export interface CustomerRow extends AddressColumns {
  pk: number;
  id: string;
  company_id: string;
  code: string;
  name: string;
  siren: string | null;
  vat_number: string | null;
  email: string | null;
  category: string | null;
  created_at: string;
  updated_at: string;
}

export function toCustomer(row: CustomerRow): Customer {
  return {
    id: row.id,
    code: row.code,
    name: row.name,
    siren: row.siren,
    vatNumber: row.vat_number,
    email: row.email,
    address: addressOf(row),
    category: row.category,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface ProductRow {
  pk: number;
  id: string;
  company_id: string;
  name: string;
  description: string | null;
  unit_price_cents: number;
  vat_rate_bp: number;
  kind: "goods" | "services";
  category: string | null;
  created_at: string;
  updated_at: string;
}

export function toProduct(row: ProductRow): Product {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    unitPriceCents: row.unit_price_cents,
    vatRateBp: row.vat_rate_bp,
    kind: row.kind,
    category: row.category,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export interface PaymentRow {
  pk: number;
  id: string;
  company_id: string;
  invoice_id: string;
  invoice_number: string;
  amount_cents: number;
  date: string;
  method: PaymentMethod;
  reference: string | null;
  created_at: string;
}

export function toPayment(row: PaymentRow): Payment {
  return {
    id: row.id,
    invoiceId: row.invoice_id,
    invoiceNumber: row.invoice_number,
    amountCents: row.amount_cents,
    date: row.date,
    method: row.method,
    reference: row.reference,
    createdAt: row.created_at,
  };
}

export interface DocumentRow {
  pk: number;
  id: string;
  company_id: string;
  original_name: string;
  mime_type: string;
  size_bytes: number;
  sha256: string;
  source_url: string | null;
  note: string | null;
  uploaded_by: string;
  uploaded_at: string;
}

export function toDocument(row: DocumentRow): DocumentMeta {
  return {
    id: row.id,
    originalName: row.original_name,
    mimeType: row.mime_type,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
    sourceUrl: row.source_url,
    note: row.note,
    uploadedBy: row.uploaded_by,
    uploadedAt: row.uploaded_at,
  };
}
