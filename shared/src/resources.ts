/** What the API answers: response shapes as zod schemas (documented in /openapi.json) and their types. */
import { z } from "zod";
import { InvoiceStatus, LineUnit, InvoiceType, PaymentMethod, ProductKind, QuoteStatus, VatExemptionCode } from "./schemas.js";

export const AddressOut = z.object({
  line1: z.string(),
  line2: z.string().optional(),
  postalCode: z.string(),
  city: z.string(),
  country: z.string(),
});

export const Role = z.enum(["owner", "accountant"]);
export const User = z.object({ id: z.string(), email: z.string(), name: z.string() });
export const Membership = z.object({ companyId: z.string(), companyName: z.string(), role: Role });
export const Me = z.object({ user: User, memberships: z.array(Membership) });
export const AuthResult = z.object({ token: z.string(), expiresAt: z.string(), user: User });
/** A sign-in also names this device: sent back as `deviceToken` on the next sign-in, it keeps the owner's own devices usable while others guess. */
export const LoginResult = AuthResult.extend({ deviceToken: z.string() });
/** The same answer whether or not the e-mail has an account: the mailbox learns which, the caller does not. */
export const SignupResult = z.object({ status: z.literal("confirmation_sent"), email: z.string() });

export const CompanyLogo = z.object({
  sha256: z.string().describe("SHA-256 of the logo's bytes, hex"),
  mediaType: z.enum(["image/png", "image/jpeg", "image/svg+xml"]),
  width: z.number().describe("Pixels (an SVG: its width in user units)"),
  height: z.number(),
  sizeBytes: z.number(),
});

export const Company = z.object({
  id: z.string(),
  name: z.string(),
  siren: z.string(),
  vatNumber: z.string().nullable(),
  address: AddressOut,
  legalForm: z.string().nullable(),
  capital: z.string().nullable(),
  rcsCity: z.string().nullable(),
  rmDepartment: z.string().nullable().describe("Département of the registration at the répertoire des métiers (artisans), printed \"RM 69\""),
  apeCode: z.string().nullable().describe("APE code (NAF rév. 2), NN.NNL"),
  logo: CompanyLogo.nullable().describe("The logo printed on documents; its bytes at GET /companies/{companyId}/logo"),
  fiscalYearStart: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  iban: z.string().nullable(),
  bic: z.string().nullable(),
  paymentTermsDays: z.number(),
  paymentTermsEndOfMonth: z.boolean().describe("Terms of paymentTermsDays days end of month"),
  latePenaltyRate: z.string().nullable(),
  earlyPaymentDiscount: z.string().nullable(),
  vatOnDebits: z.boolean().describe("Option pour le paiement de la taxe d'après les débits: printed on every invoice, BT-8 = 5 in its e-invoice"),
  role: Role,
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
});

export const Customer = z.object({
  id: z.string(),
  code: z.string(),
  name: z.string(),
  siren: z.string().nullable(),
  vatNumber: z.string().nullable(),
  email: z.string().nullable(),
  address: AddressOut,
  category: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const Product = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  unitPriceCents: z.number(),
  vatRateBp: z.number(),
  kind: ProductKind,
  category: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const RateTotalOut = z.object({ vatRateBp: z.number(), baseCents: z.number(), vatCents: z.number() });
export const Totals = z.object({
  htCents: z.number(),
  vatCents: z.number(),
  ttcCents: z.number(),
  byRate: z.array(RateTotalOut),
});

export const InvoiceLine = z.object({
  id: z.string(),
  position: z.number(),
  productId: z.string().nullable(),
  description: z.string(),
  quantity: z.string(),
  unitPriceCents: z.number(),
  vatRateBp: z.number(),
  discountCents: z.number(),
  kind: ProductKind,
  unit: LineUnit.nullable(),
  netCents: z.number(),
  creditedLineId: z.string().nullable(),
});

export const Deduction = z.object({
  invoiceId: z.string(),
  number: z.string().nullable(),
  issueDate: z.string().nullable(),
  htCents: z.number(),
  vatCents: z.number(),
  ttcCents: z.number(),
  byRate: z.array(RateTotalOut),
});

export const Invoice = z.object({
  id: z.string(),
  number: z.string().nullable(),
  type: InvoiceType,
  status: InvoiceStatus,
  issueDate: z.string().nullable(),
  dueDate: z.string().nullable(),
  customer: z.object({ id: z.string(), code: z.string(), name: z.string() }),
  lines: z.array(InvoiceLine),
  totals: Totals,
  paidCents: z.number(),
  creditedCents: z.number(),
  dueCents: z.number(),
  creditedInvoiceId: z.string().nullable(),
  creditedInvoiceNumber: z.string().nullable(),
  notes: z.string().nullable(),
  vatExemption: VatExemptionCode.nullable(),
  deliveryDate: z.string().nullable().describe("Date of the sale or service when it differs from the issue date (BT-72)"),
  servicePeriod: z.object({ from: z.string(), to: z.string() }).nullable().describe("Period of the services (BG-14)"),
  deliveryAddress: AddressOut.nullable().describe("Delivery address when different from the billing address (BG-15)"),
  orderId: z.string().nullable().describe("The order a deposit or balance invoice (or a credit note of a deposit) belongs to"),
  orderRole: z.enum(["deposit", "balance"]).nullable(),
  orderReference: z.string().nullable(),
  orderTotals: Totals.nullable().describe("A balance invoice: the whole order (its lines), before the deposits are deducted"),
  deductions: z.array(Deduction).describe("A balance invoice: each deposit it deducts, net of its credit notes; `totals` are what is left to pay"),
  createdAt: z.string(),
  issuedAt: z.string().nullable(),
});

export const OrderLine = InvoiceLine.omit({ id: true, creditedLineId: true });
export const Order = z.object({
  id: z.string(),
  customer: z.object({ id: z.string(), code: z.string(), name: z.string() }),
  quoteId: z.string().nullable().describe("The accepted quote the order comes from (null: typed by the owner)"),
  reference: z.string().nullable(),
  orderDate: z.string(),
  lines: z.array(OrderLine),
  totals: Totals,
  deposits: z.array(
    Deduction.extend({ status: InvoiceStatus }).describe("A deposit invoice on the order (drafts included), net of its credit notes"),
  ),
  balanceInvoiceId: z.string().nullable(),
  leftTotals: Totals.describe("What the order leaves once its deposits are taken off: the balance invoice's totals"),
  createdAt: z.string(),
});

export const QuoteLine = InvoiceLine.omit({ creditedLineId: true });

/** A quote: an offer, not an accounting document (never in the journal, entries or FEC). */
export const Quote = z.object({
  id: z.string(),
  number: z.string().nullable().describe("D2026-00001…, given when the quote is issued"),
  status: QuoteStatus,
  issueDate: z.string().nullable(),
  validUntil: z.string().nullable(),
  customer: z.object({ id: z.string(), code: z.string(), name: z.string() }),
  lines: z.array(QuoteLine),
  totals: Totals,
  notes: z.string().nullable(),
  vatExemption: VatExemptionCode.nullable(),
  decidedOn: z.string().nullable().describe("Day the customer accepted or refused it"),
  invoiceId: z.string().nullable().describe("The invoice made from it"),
  invoiceNumber: z.string().nullable(),
  orderId: z.string().nullable().describe("The order made from it, on which deposits and the balance invoice are asked"),
  duplicatedFromId: z.string().nullable(),
  createdAt: z.string(),
  issuedAt: z.string().nullable(),
});
export const QuotePage = pageOf(Quote);

export const Payment = z.object({
  id: z.string(),
  invoiceId: z.string(),
  invoiceNumber: z.string(),
  amountCents: z.number(),
  date: z.string(),
  method: PaymentMethod,
  reference: z.string().nullable(),
  createdAt: z.string(),
});

export const DocumentMeta = z.object({
  id: z.string(),
  originalName: z.string(),
  mimeType: z.string(),
  sizeBytes: z.number(),
  sha256: z.string(),
  sourceUrl: z.string().nullable(),
  note: z.string().nullable(),
  uploadedBy: z.string(),
  uploadedAt: z.string(),
});

export const IntegrityReport = z.object({
  ok: z.boolean(),
  chain: z.enum(["valid", "broken"]),
  numbering: z.enum(["continuous", "gaps"]),
  checkedRecords: z.number(),
  problems: z.array(z.object({ kind: z.string(), record: z.string().optional(), message: z.string() })),
});

export const FieldError = z.object({ path: z.string(), message: z.string() });
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  detail: z.string().optional(),
  errors: z.array(FieldError).optional(),
});

export function pageOf<T extends z.ZodTypeAny>(item: T) {
  return z.object({ items: z.array(item), nextCursor: z.string().nullable() });
}

/** What a list of invoices adds up to over its whole filter (every page), as the journal counts it. */
export const InvoiceListTotals = z
  .object({
    count: z.number().describe("Issued documents the filter selects (drafts are not counted)"),
    htCents: z.number(),
    vatCents: z.number(),
    ttcCents: z.number(),
    dueCents: z.number().describe("Still to be received on the invoices selected"),
  })
  .describe("Sums over every issued document the filter selects, credit notes taken off");
export const InvoicePage = pageOf(Invoice).extend({ totals: InvoiceListTotals });

export type Role = z.infer<typeof Role>;
export type User = z.infer<typeof User>;
export type Me = z.infer<typeof Me>;
export type AuthResult = z.infer<typeof AuthResult>;
export type LoginResult = z.infer<typeof LoginResult>;
export type SignupResult = z.infer<typeof SignupResult>;
export type CompanyLogo = z.infer<typeof CompanyLogo>;
export type Company = z.infer<typeof Company>;
export type Customer = z.infer<typeof Customer>;
export type Product = z.infer<typeof Product>;
export type Invoice = z.infer<typeof Invoice>;
export type Deduction = z.infer<typeof Deduction>;
export type Order = z.infer<typeof Order>;
export type InvoiceListTotals = z.infer<typeof InvoiceListTotals>;
export type InvoicePage = z.infer<typeof InvoicePage>;
export type InvoiceLine = z.infer<typeof InvoiceLine>;
export type Payment = z.infer<typeof Payment>;
export type DocumentMeta = z.infer<typeof DocumentMeta>;
export type IntegrityReport = z.infer<typeof IntegrityReport>;
export type Problem = z.infer<typeof Problem>;
export type FieldError = z.infer<typeof FieldError>;
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

// ---- access: invitations, accountants, API keys, webhooks ----
export const InvitationStatus = z.enum(["pending", "accepted", "expired", "revoked"]);
export const DeliveryStatus = z.enum(["queued", "sent", "retrying", "failed"]);
export const Invitation = z.object({
  id: z.string(),
  email: z.string(),
  status: InvitationStatus,
  expiresAt: z.string(),
  createdAt: z.string(),
  invitedBy: z.object({ id: z.string(), name: z.string() }),
  acceptedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  /** The invitation e-mail: sent, waiting for another attempt, or given up (see `deliveryError`). */
  deliveryStatus: DeliveryStatus,
  deliveryAttempts: z.number(),
  deliveryError: z.string().nullable(),
  lastDeliveryAt: z.string().nullable(),
  nextDeliveryAt: z.string().nullable(),
});
export const AcceptInvitationResult = z.object({
  token: z.string(),
  expiresAt: z.string(),
  user: User,
  companyId: z.string(),
});
export const Accountant = z.object({
  userId: z.string(),
  name: z.string(),
  email: z.string(),
  since: z.string(),
  invitedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
});
export const ApiKey = z.object({
  id: z.string(),
  name: z.string(),
  scope: z.enum(["read", "write"]),
  companyId: z.string().nullable(),
  /** The first characters of the secret, to recognise a key. */
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
});
export const ApiKeyCreated = ApiKey.extend({ secret: z.string() });
export const Webhook = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.string()),
  createdAt: z.string(),
  createdBy: z.object({ id: z.string(), name: z.string() }),
});
export const WebhookCreated = Webhook.extend({ secret: z.string() });
export const WebhookDelivery = z.object({
  id: z.string(),
  event: z.string(),
  seq: z.number(),
  status: z.enum(["pending", "delivered", "retrying", "failed", "cancelled"]),
  attempts: z.number(),
  createdAt: z.string(),
  lastAttemptAt: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  lastStatusCode: z.number().nullable(),
  lastError: z.string().nullable(),
  deliveredAt: z.string().nullable(),
});

export type InvitationStatus = z.infer<typeof InvitationStatus>;
export type Invitation = z.infer<typeof Invitation>;
export type AcceptInvitationResult = z.infer<typeof AcceptInvitationResult>;
export type Accountant = z.infer<typeof Accountant>;
export type ApiKey = z.infer<typeof ApiKey>;
export type ApiKeyCreated = z.infer<typeof ApiKeyCreated>;
export type Webhook = z.infer<typeof Webhook>;
export type WebhookCreated = z.infer<typeof WebhookCreated>;
export type WebhookDelivery = z.infer<typeof WebhookDelivery>;

// ---- the accountant's layer ----
export const JournalRow = z.object({
  id: z.string(),
  date: z.string(),
  number: z.string(),
  type: InvoiceType,
  customerId: z.string(),
  customerCode: z.string(),
  customerName: z.string(),
  htCents: z.number().describe("Negative for credit notes"),
  vatCents: z.number(),
  ttcCents: z.number(),
  byRate: z.array(RateTotalOut),
  status: InvoiceStatus,
  paidCents: z.number(),
  dueDate: z.string().nullable(),
  creditedInvoiceNumber: z.string().nullable(),
});
export const JournalTotals = z.object({
  count: z.number(),
  htCents: z.number(),
  vatCents: z.number(),
  ttcCents: z.number(),
  paidCents: z.number(),
  byRate: z.array(RateTotalOut),
});
export const SalesJournal = z.object({
  items: z.array(JournalRow),
  nextCursor: z.string().nullable(),
  totals: JournalTotals,
  changedIds: z
    .array(z.string())
    .optional()
    .describe("With `changedSince`: every document changed since that sequence; those not in the items no longer match the filter"),
});

export const EntryLineOut = z.object({
  account: z.string(),
  accountLabel: z.string(),
  auxAccount: z.string().optional(),
  auxLabel: z.string().optional(),
  label: z.string(),
  debitCents: z.number(),
  creditCents: z.number(),
  lettering: z.string().optional(),
  letteringDate: z.string().optional(),
});
export const EntryOut = z.object({
  journalCode: z.string(),
  journalLabel: z.string(),
  entryNumber: z.string(),
  date: z.string(),
  pieceRef: z.string(),
  pieceDate: z.string(),
  label: z.string(),
  source: z.object({ kind: z.enum(["invoice", "credit_note", "payment"]), id: z.string(), invoiceId: z.string() }),
  lines: z.array(EntryLineOut),
  validatedOn: z.string().nullable(),
});
export const EntriesPage = z.object({ items: z.array(EntryOut), nextCursor: z.string().nullable(), lockedUntil: z.string().nullable() });

export const LockEvent = z.object({
  id: z.string(),
  action: z.enum(["lock", "reopen"]),
  until: z.string().nullable(),
  kind: z.enum(["soft", "hard"]).nullable(),
  hardUntil: z.string().nullable(),
  reason: z.string().nullable(),
  by: z.object({ id: z.string(), name: z.string() }),
  at: z.string(),
});
export const LockStateOut = z.object({
  lockedUntil: z.string().nullable(),
  kind: z.enum(["soft", "hard"]).nullable(),
  hardUntil: z.string().nullable(),
  history: z.array(LockEvent),
});

export const AuditEntry = z.object({
  seq: z.number(),
  at: z.string(),
  actor: z.object({ id: z.string(), name: z.string(), email: z.string() }).nullable(),
  action: z.string(),
  recordKind: z.string(),
  recordId: z.string(),
  recordDate: z.string().nullable(),
  before: z.unknown().nullable(),
  after: z.unknown().nullable(),
  hash: z.string(),
});

export const Change = z.object({ seq: z.number(), kind: z.string(), id: z.string(), action: z.string(), at: z.string() });
export const Changes = z.object({ items: z.array(Change), lastSeq: z.number(), hasMore: z.boolean() });
export const LatestChange = z.object({ companyId: z.string(), lastSeq: z.number(), at: z.string().nullable().describe("When the newest change was made (null: none yet)") });
export const LatestChanges = z.object({ items: z.array(LatestChange) });

export type JournalRow = z.infer<typeof JournalRow>;
export type JournalTotals = z.infer<typeof JournalTotals>;
export type SalesJournal = z.infer<typeof SalesJournal>;
export type EntryOut = z.infer<typeof EntryOut>;
export type EntriesPage = z.infer<typeof EntriesPage>;
export type LockEvent = z.infer<typeof LockEvent>;
export type LockStateOut = z.infer<typeof LockStateOut>;
export type AuditEntry = z.infer<typeof AuditEntry>;
export type Change = z.infer<typeof Change>;
export type Changes = z.infer<typeof Changes>;
export type QuoteLine = z.infer<typeof QuoteLine>;
export type Quote = z.infer<typeof Quote>;
export type QuotePage = z.infer<typeof QuotePage>;
export type LatestChange = z.infer<typeof LatestChange>;
export type LatestChanges = z.infer<typeof LatestChanges>;
