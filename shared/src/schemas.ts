/**
 * The API contract: every payload the API accepts, as zod schemas shared by the server
 * (validation + OpenAPI), the extension, the add-in and scripts. Objects are strict: unknown
 * fields are refused, so nothing can be mass-assigned.
 */
import { z } from "zod";
import { isQuantity, MAX_CENTS } from "./money.js";
import { isFrenchDepartment, isValidSiren, isPlausibleVatNumber, isValidFrenchVatNumber, normalizeApeCode } from "./identifiers.js";
import { isFrenchVatRate } from "./vat.js";
import { isIsoDate } from "./dates.js";
import { plainText, plainTextCheck } from "./text.js";
import { UNIT_KEYS } from "./units.js";
import { LOGO_MAX_BYTES } from "./logo.js";
import { bicProblem, formatIban, ibanProblem } from "./bank.js";
import { paymentTermsProblem, PAYMENT_TERMS_RULE } from "./payment-terms.js";

export const IsoDate = z
  .string()
  .refine(isIsoDate, { message: "must be a real calendar date written YYYY-MM-DD" })
  .meta({ description: "Date, YYYY-MM-DD", format: "date" });

export const Cents = z
  .number({ message: "must be a number of cents" })
  .int({ message: "must be an integer number of cents" })
  .min(-MAX_CENTS)
  .max(MAX_CENTS);
export const PositiveCents = Cents.min(1, { message: "must be at least 1 cent" });
export const NonNegativeCents = Cents.min(0, { message: "must not be negative" });

export const VatRateBp = z
  .number()
  .int()
  .refine(isFrenchVatRate, { message: "must be a French VAT rate in basis points (2000, 1000, 550, 210, 0, …)" });

export const Quantity = z
  .union([z.string(), z.number()])
  .transform((v) => (typeof v === "number" ? String(v) : v))
  .refine(isQuantity, { message: "must be a positive decimal with at most 4 decimals, e.g. \"1.5\"" });

export const Siren = z.string().refine(isValidSiren, { message: "must be a 9-digit SIREN with a valid check digit" });
/** The APE code, normalised to `NN.NNL` ("6201z" is "62.01Z"). */
export const ApeCode = z.string().transform((v, ctx) => {
  const code = normalizeApeCode(v);
  if (code) return code;
  ctx.addIssue({ code: "custom", message: "must be an APE code written NN.NNL, e.g. 62.01Z" });
  return z.NEVER;
});
/** The département of a registration at the répertoire des métiers, printed "RM 69". */
export const RmDepartment = z
  .string()
  .transform((v) => v.trim().toUpperCase())
  .refine(isFrenchDepartment, { message: "must be the number of a French département, e.g. 69, 2A or 974" });
export const VatNumber = z
  .string()
  .transform((v) => v.replace(/\s+/g, "").toUpperCase())
  .refine(isPlausibleVatNumber, { message: "must be a valid VAT number (FR + key + SIREN for France)" });

/*
 * Texts (shared/src/text.ts): no control or bidirectional formatting characters, and a length no
 * real entry reaches — 120–200 for names, 20–200 for address parts, 500 for an address written as
 * one text, 40–200 for the company's mentions, 140 for a payment reference, 2,000 for descriptions
 * and notes, 100 for a search term. A line break is kept only where it means something: an address
 * written as one text, a product's and an invoice line's description, the notes of an invoice, a
 * credit note and a document, and the reason a period is reopened. Every other text is one line.
 */
const MULTILINE = { multiline: true };
/** A required text, trimmed: whitespace alone is refused. */
const text = (max: number, options: { multiline?: boolean } = {}) => plainText(max, options).min(1, { message: "must not be blank" });
/** An optional text, trimmed: left blank it is absent (stored as null), never "". */
const optionalText = (max: number, options: { multiline?: boolean } = {}) =>
  plainText(max, options)
    .transform((v) => v || undefined)
    .optional();
/** An optional text in a PATCH body: null or a blank value clears it. */
const clearableText = (max: number, options: { multiline?: boolean } = {}) =>
  plainText(max, options)
    .transform((v) => v || null)
    .nullable()
    .optional();
/** A search term or a category filter of a query string: as typed (not trimmed), one line. */
export const SearchTerm = (max: number) => z.string().max(max).superRefine(plainTextCheck());

export const AddressObject = z.strictObject({
  line1: text(200),
  // the address is replaced whole: null, like a blank or an absent line 2, leaves none
  line2: plainText(200)
    .nullish()
    .transform((v) => v || undefined),
  postalCode: plainText(20),
  city: plainText(100),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, { message: "must be an ISO 3166 alpha-2 country code, e.g. FR" })
    .default("FR"),
});
export const AddressInput = z.union([text(500, MULTILINE), AddressObject]);

/**
 * Where goods are delivered or services performed, when it is not the billing address (the 2026
 * mention, BG-15 of an e-invoice): the same shape as a customer's address, every part but `line2`
 * required, so a half-filled address is refused by the field it lacks.
 */
const required = (max: number, what: string) => plainText(max, { typeMessage: `is required: ${what}` }).min(1, { message: `must not be empty: ${what}` });
export const DeliveryAddress = z
  .strictObject({
    line1: required(200, "a delivery address needs its street and number"),
    line2: optionalText(200),
    postalCode: required(20, "a delivery address needs its postal code"),
    city: required(100, "a delivery address needs its city"),
    country: z
      .string()
      .regex(/^[A-Z]{2}$/, { message: "must be an ISO 3166 alpha-2 country code, e.g. FR" })
      .default("FR"),
  })
  .describe("Delivery address (BG-15), when different from the customer's address");

/** A date an e-invoice can carry: a real calendar date in 2000–2099 (BR-FR-03). */
export const SupplyDate = z
  .string({ message: "must be a real calendar date written YYYY-MM-DD" })
  .superRefine((v, ctx) => {
    if (!isIsoDate(v)) ctx.addIssue({ code: "custom", message: "must be a real calendar date written YYYY-MM-DD" });
    else if (v < "2000-01-01" || v > "2099-12-31") ctx.addIssue({ code: "custom", message: "must be a date between 2000-01-01 and 2099-12-31" });
  })
  .describe("Date, YYYY-MM-DD");

/** The period services were performed over (BG-14): from ≤ to. */
export const ServicePeriod = z
  .strictObject({ from: SupplyDate, to: SupplyDate })
  .refine((p) => !isIsoDate(p.from) || !isIsoDate(p.to) || p.from <= p.to, { message: "must not end before it starts", path: ["to"] })
  .describe("Period of the services (BG-14), first and last day included");

/** An IBAN, checked (ISO 13616: country, length, mod 97) and kept as it is printed, in groups of four. */
export const Iban = z
  .string()
  .superRefine((v, ctx) => {
    const problem = ibanProblem(v);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .transform(formatIban)
  .describe("IBAN (ISO 13616), e.g. FR76 3000 6000 0112 3456 7890 189; spaces are free");
/** A BIC (ISO 9362), in capitals without spaces. */
export const Bic = z
  .string()
  .superRefine((v, ctx) => {
    const problem = bicProblem(v);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  })
  .transform((v) => v.replace(/\s+/g, "").toUpperCase())
  .describe("BIC (ISO 9362) of the IBAN's bank, 8 or 11 characters, e.g. BNPAFRPP");
/** Days until payment after the issue date: at most 60 (Code de commerce L441-10). */
export const PaymentTermsDays = z.number({ message: "must be a whole number of days" }).int({ message: "must be a whole number of days" }).min(0, { message: "must not be negative" }).max(60, { message: PAYMENT_TERMS_RULE });
export const PaymentTermsEndOfMonth = z
  .boolean({ message: "must be true or false" })
  .describe("Terms of N days end of month (\"N jours fin de mois\"): due on the last day of the month N days after the issue date; N at most 45");

export const Email = z.string().trim().toLowerCase().pipe(z.email({ message: "must be an e-mail address" }).max(254));
/** An identifier checked by `schema` unless it is blank, which gives `blank` (the identifier's own message otherwise). */
function blankOr<T extends z.ZodType<string, string>, B extends undefined | null>(schema: T, blank: B) {
  return z.string().transform((v, ctx): z.output<T> | B => {
    if (v.trim() === "") return blank;
    const parsed = schema.safeParse(v);
    if (parsed.success) return parsed.data;
    ctx.addIssue({ code: "custom", message: parsed.error.issues[0]!.message });
    return z.NEVER;
  });
}
/** An optional identifier (e-mail, SIREN, VAT number) at creation: left blank it is absent (stored as null), as optional texts are. */
const optionalIdentifier = <T extends z.ZodType<string, string>>(schema: T) => blankOr(schema, undefined).optional();
/** The same in a PATCH body: null or a blank value clears it. */
const clearableIdentifier = <T extends z.ZodType<string, string>>(schema: T) => blankOr(schema, null).nullable().optional();

export const Password = z
  .string()
  .min(10, { message: "must be at least 10 characters" })
  .max(200, { message: "must be at most 200 characters" });

// ---- identity ----
export const SignupInput = z.strictObject({ email: Email, password: Password, name: text(120) });
export const LoginInput = z.strictObject({
  email: Email,
  password: z.string().min(1).max(200),
  /** The `deviceToken` of an earlier successful sign-in from this device: failures from elsewhere never lock it out. */
  deviceToken: z.string().max(100).optional(),
});
/** The link's token, and the password chosen at sign-up: a link alone does not open an account someone else set up. */
export const SignupConfirmInput = z.strictObject({ token: z.string().min(1).max(200), password: z.string().min(1).max(200) });

// ---- companies ----
export const FiscalYearStart = z
  .string()
  .regex(/^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { message: "must be MM-DD, e.g. 01-01" })
  .refine((v) => isIsoDate(`2001-${v}`), { message: "must be a real day of the year (MM-DD)" });

/**
 * The seller opted to pay VAT on services "d'après les débits" (on invoicing rather than on
 * payment): printed on every invoice, BT-8 of its e-invoices. The opposite of the accountant's
 * `vatOnPayments`, so the two are never on together.
 */
export const VatOnDebits = z
  .boolean({ message: "must be true or false" })
  .describe("Option pour le paiement de la taxe d'après les débits (VAT on services due on invoicing); excludes the accounting setting vatOnPayments");

export const CompanyInput = z
  .strictObject({
    name: text(200),
    siren: Siren,
    vatNumber: optionalIdentifier(VatNumber),
    address: AddressInput,
    legalForm: optionalText(60),
    capital: optionalText(60),
    rcsCity: optionalText(100),
    rmDepartment: optionalIdentifier(RmDepartment),
    apeCode: optionalIdentifier(ApeCode),
    fiscalYearStart: FiscalYearStart.default("01-01"),
    email: optionalIdentifier(Email),
    phone: optionalText(40),
    iban: optionalIdentifier(Iban),
    bic: optionalIdentifier(Bic),
    paymentTermsDays: PaymentTermsDays.default(30),
    paymentTermsEndOfMonth: PaymentTermsEndOfMonth.default(false),
    latePenaltyRate: optionalText(200),
    earlyPaymentDiscount: optionalText(200),
    vatOnDebits: VatOnDebits.default(false),
  })
  .refine((c) => !c.vatNumber?.startsWith("FR") || !isValidFrenchVatNumber(c.vatNumber) || c.vatNumber.endsWith(c.siren), {
    message: "must contain the company's SIREN",
    path: ["vatNumber"],
  })
  .superRefine((c, ctx) => {
    const problem = paymentTermsProblem(c.paymentTermsDays, c.paymentTermsEndOfMonth);
    if (problem) ctx.addIssue({ code: "custom", message: problem.message, path: [problem.path] });
  });
export const CompanyPatch = z.strictObject({
  name: text(200).optional(),
  vatNumber: clearableIdentifier(VatNumber),
  address: AddressInput.optional(),
  legalForm: clearableText(60),
  capital: clearableText(60),
  rcsCity: clearableText(100),
  rmDepartment: clearableIdentifier(RmDepartment),
  apeCode: clearableIdentifier(ApeCode),
  email: clearableIdentifier(Email),
  phone: clearableText(40),
  iban: clearableIdentifier(Iban),
  bic: clearableIdentifier(Bic),
  paymentTermsDays: PaymentTermsDays.optional(),
  paymentTermsEndOfMonth: PaymentTermsEndOfMonth.optional(),
  latePenaltyRate: clearableText(200),
  earlyPaymentDiscount: clearableText(200),
  vatOnDebits: VatOnDebits.optional(),
});

/** A logo's bytes in base64 (the type is read from them: PNG, JPEG or SVG, see logo.ts). */
export const LogoUpload = z.strictObject({
  contentBase64: z
    .string()
    .max(4 * Math.ceil(LOGO_MAX_BYTES / 3), { message: `must encode at most ${LOGO_MAX_BYTES} bytes (512 KB)` })
    .regex(/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/, { message: "must be base64 (A–Z, a–z, 0–9, + and /, padded with =)" })
    .describe("The image's bytes, base64: a PNG, a JPEG or an SVG, at most 512 KB and 4096 pixels a side (a PNG with transparency or interlaced: 1024 × 1024)"),
});

// ---- customers and products ----
export const CustomerCode = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,17}$/, { message: "must be 1–17 letters, digits, - or _ (it becomes the auxiliary account)" });
export const CustomerInput = z.strictObject({
  code: CustomerCode.optional(),
  name: text(200),
  siren: optionalIdentifier(Siren),
  vatNumber: optionalIdentifier(VatNumber),
  email: optionalIdentifier(Email),
  address: AddressInput,
  category: optionalText(60),
});
/** PATCH bodies: an absent field stays as it is; `null` (or a blank text) clears an optional one. */
export const CustomerPatch = CustomerInput.omit({ code: true })
  .partial()
  .extend({
    siren: clearableIdentifier(Siren),
    vatNumber: clearableIdentifier(VatNumber),
    email: clearableIdentifier(Email),
    category: clearableText(60),
  });

export const ProductKind = z.enum(["goods", "services"]);
/** What a line's quantity counts (shared/src/units.ts). */
export const LineUnit = z.enum(UNIT_KEYS, { message: `must be one of ${UNIT_KEYS.join(", ")}` });
export const ProductInput = z.strictObject({
  name: text(200),
  description: optionalText(2000, MULTILINE),
  unitPriceCents: NonNegativeCents,
  vatRateBp: VatRateBp,
  kind: ProductKind,
  category: optionalText(60),
});
export const ProductPatch = ProductInput.partial().extend({
  description: clearableText(2000, MULTILINE),
  category: clearableText(60),
});

// ---- invoices ----
export const VatExemptionCode = z.enum(["franchise", "reverse_charge", "intra_eu", "export"]);
export const InvoiceLineInput = z.strictObject({
  productId: z.string().max(64).optional(),
  description: text(2000, MULTILINE).optional(),
  quantity: Quantity,
  unitPriceCents: NonNegativeCents.optional(),
  vatRateBp: VatRateBp.optional(),
  discountCents: NonNegativeCents.optional(),
  kind: ProductKind.optional(),
  unit: LineUnit.optional().describe("What the quantity counts (BT-130 as its UN/ECE Rec 20 code); absent for a plain count"),
});
export const InvoiceDraftInput = z.strictObject({
  customerId: z.string().min(1).max(64),
  issueDate: IsoDate.optional(),
  dueDate: IsoDate.optional(),
  lines: z.array(InvoiceLineInput).min(1, { message: "must hold at least one line" }).max(500),
  notes: optionalText(2000, MULTILINE),
  vatExemption: VatExemptionCode.optional(),
  deliveryDate: SupplyDate.optional().describe("Date of the sale or service (BT-72), printed when it differs from the issue date"),
  servicePeriod: ServicePeriod.optional(),
  deliveryAddress: DeliveryAddress.optional(),
});
export const InvoiceDraftPatch = InvoiceDraftInput.partial().extend({
  issueDate: IsoDate.nullable().optional(),
  dueDate: IsoDate.nullable().optional(),
  notes: clearableText(2000, MULTILINE),
  vatExemption: VatExemptionCode.nullable().optional(),
  deliveryDate: SupplyDate.nullable().optional(),
  servicePeriod: ServicePeriod.nullable().optional(),
  deliveryAddress: DeliveryAddress.nullable().optional(),
});
export const IssueInput = z.strictObject({ issueDate: IsoDate.optional() });
/** A credit note of an amount alone (a commercial gesture): net (ht) or TTC, at one of the invoice's rates, and why. */
export const CreditAmount = z
  .strictObject({
    amountCents: PositiveCents,
    basis: z.enum(["ht", "ttc"], { message: "must be ht (the amount before VAT) or ttc (the amount given back, VAT included)" }),
    vatRateBp: VatRateBp,
    reason: text(200),
  })
  .describe("An amount credited at one of the invoice's VAT rates (a commercial gesture), instead of lines");
export const CreditNoteInput = z
  .strictObject({
    issueDate: IsoDate.optional(),
    lines: z
      .array(z.strictObject({ lineId: z.string().min(1).max(64), quantity: Quantity.optional() }))
      .min(1)
      .max(500)
      .optional(),
    amount: CreditAmount.optional(),
    notes: optionalText(2000, MULTILINE),
  })
  .refine((c) => !(c.lines && c.amount), { message: "must not be given with lines: a credit note credits lines or an amount", path: ["amount"] });

// ---- orders, deposits and balance ----
/** An order as the customer placed it: lines priced as an invoice's. Deposits are asked on it, the balance invoice closes it. */
export const OrderInput = z.strictObject({
  customerId: z.string().min(1).max(64),
  orderDate: IsoDate.optional().describe("The day the customer ordered (today when absent)"),
  reference: optionalText(60).describe("The customer's order reference (purchase order), printed on the deposits and the balance"),
  lines: z.array(InvoiceLineInput).min(1, { message: "must hold at least one line" }).max(500),
});
/** An order made from an accepted quote: its customer, lines and exemption are the quote's. */
export const QuoteOrderInput = z.strictObject({
  orderDate: IsoDate.optional().describe("The day the customer ordered (the quote's acceptance day when absent)"),
  reference: optionalText(60).describe("The customer's order reference (purchase order), printed on the deposits and the balance"),
});
/** A deposit on an order: a percentage of its net (basis points, 3000 = 30 %) or a net amount, not both. */
export const DepositInput = z
  .strictObject({
    percentBp: z.number().int().min(1, { message: "must be at least 1 (0,01 %)" }).max(9999, { message: "must be below 10000 (100 %)" }).optional(),
    amountCents: PositiveCents.optional().describe("The deposit's net before VAT, in cents"),
    issueDate: IsoDate.optional(),
    dueDate: IsoDate.optional(),
    notes: optionalText(2000, MULTILINE),
  })
  .superRefine((d, ctx) => {
    if (d.percentBp === undefined && d.amountCents === undefined) {
      ctx.addIssue({ code: "custom", path: ["percentBp"], message: "is required: give percentBp (a percentage of the order's net) or amountCents (a net amount)" });
    }
    if (d.percentBp !== undefined && d.amountCents !== undefined) {
      ctx.addIssue({ code: "custom", path: ["amountCents"], message: "must not be given with percentBp: a deposit is one or the other" });
    }
  });
export const BalanceInput = z.strictObject({
  issueDate: IsoDate.optional(),
  dueDate: IsoDate.optional(),
  notes: optionalText(2000, MULTILINE),
});

export const InvoiceType = z.enum(["invoice", "credit_note"]);
export const InvoiceStatus = z.enum(["draft", "issued", "partially_paid", "paid"]);

export const PaymentMethod = z.enum(["transfer", "card", "cheque", "cash", "other"]);
export const PaymentInput = z.strictObject({
  invoiceId: z.string().min(1).max(64),
  amountCents: PositiveCents,
  date: IsoDate,
  method: PaymentMethod,
  reference: optionalText(140),
});

// ---- quotes ----
/** A quote: the lines of an invoice, a validity date instead of a due date; no delivery mentions. */
export const QuoteDraftInput = z.strictObject({
  customerId: z.string().min(1).max(64),
  issueDate: IsoDate.optional(),
  validUntil: IsoDate.optional().describe("Last day the offer holds; 30 days after the issue date when left out"),
  lines: z.array(InvoiceLineInput).min(1, { message: "must hold at least one line" }).max(500),
  notes: optionalText(2000, MULTILINE),
  vatExemption: VatExemptionCode.optional(),
});
export const QuoteDraftPatch = QuoteDraftInput.partial().extend({
  issueDate: IsoDate.nullable().optional(),
  validUntil: IsoDate.nullable().optional(),
  notes: clearableText(2000, MULTILINE),
  vatExemption: VatExemptionCode.nullable().optional(),
});
export const QuoteIssueInput = z.strictObject({ issueDate: IsoDate.optional(), validUntil: IsoDate.optional() });
export const QuoteDecisionInput = z.strictObject({ date: IsoDate.optional().describe("Day of the customer's answer; today when left out") });
/** Stored states; `expired` is an issued quote whose validity date has passed (computed when read). */
export const QuoteStatus = z.enum(["draft", "issued", "accepted", "refused", "expired"]);

// ---- query strings ----
export const Limit = z.coerce.number().int().min(1).max(1000).default(100);
/** A list cursor: the base64url text a page's `nextCursor` gave. */
export const Cursor = z
  .string()
  .max(200)
  .regex(/^[A-Za-z0-9_-]*$/, { message: "is not a cursor this API gave out" })
  .meta({ description: "The `nextCursor` of the previous page" });
export const ListQuery = z.strictObject({ limit: Limit.optional(), cursor: Cursor.optional() });
/** Shared documents, all of them or those with the given content (the SHA-256 an upload answered). */
export const DocumentListQuery = z.strictObject({
  limit: Limit.optional(),
  cursor: Cursor.optional(),
  sha256: z
    .string()
    .regex(/^[0-9a-f]{64}$/, { message: "must be a SHA-256 digest: 64 lowercase hexadecimal characters" })
    .optional()
    .meta({ description: "Only the documents with this content: the same bytes were already sent" }),
});
export const InvoiceFilters = z.strictObject({
  limit: Limit.optional(),
  cursor: Cursor.optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  customerId: z.string().max(64).optional(),
  type: InvoiceType.optional(),
  status: InvoiceStatus.optional(),
  category: SearchTerm(60).optional(),
  q: SearchTerm(100).optional(),
});

export const QuoteFilters = z.strictObject({
  limit: Limit.optional(),
  cursor: Cursor.optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  customerId: z.string().max(64).optional(),
  status: QuoteStatus.optional(),
  q: SearchTerm(100).optional(),
});

export type SignupInput = z.input<typeof SignupInput>;
export type LoginInput = z.input<typeof LoginInput>;
export type SignupConfirmInput = z.input<typeof SignupConfirmInput>;
export type CompanyInput = z.input<typeof CompanyInput>;
export type CompanyPatch = z.input<typeof CompanyPatch>;
export type LogoUpload = z.input<typeof LogoUpload>;
export type CustomerInput = z.input<typeof CustomerInput>;
export type CustomerPatch = z.input<typeof CustomerPatch>;
export type ProductInput = z.input<typeof ProductInput>;
export type ProductPatch = z.input<typeof ProductPatch>;
export type InvoiceLineInput = z.input<typeof InvoiceLineInput>;
export type InvoiceDraftInput = z.input<typeof InvoiceDraftInput>;
export type InvoiceDraftPatch = z.input<typeof InvoiceDraftPatch>;
export type CreditNoteInput = z.input<typeof CreditNoteInput>;
export type CreditAmount = z.output<typeof CreditAmount>;
export type PaymentInput = z.input<typeof PaymentInput>;
export type InvoiceFilters = z.input<typeof InvoiceFilters>;
export type DocumentListQuery = z.input<typeof DocumentListQuery>;
export type InvoiceType = z.infer<typeof InvoiceType>;
export type OrderInput = z.input<typeof OrderInput>;
export type DepositInput = z.input<typeof DepositInput>;
export type QuoteOrderInput = z.input<typeof QuoteOrderInput>;
export type BalanceInput = z.input<typeof BalanceInput>;
export type InvoiceStatus = z.infer<typeof InvoiceStatus>;
export type PaymentMethod = z.infer<typeof PaymentMethod>;
export type ProductKind = z.infer<typeof ProductKind>;
export type LineUnit = z.infer<typeof LineUnit>;
export type VatExemptionCode = z.infer<typeof VatExemptionCode>;
export type DeliveryAddress = z.output<typeof DeliveryAddress>;
export type ServicePeriod = z.output<typeof ServicePeriod>;

// ---- access: invitations, API keys, webhooks ----
export const InvitationInput = z.strictObject({ email: Email });
export const AcceptInvitationInput = z.strictObject({
  token: z.string().min(1).max(200),
  /** For a new account: the accountant's name (the e-mail is the invited one). */
  name: text(120).optional(),
  /** For a new account: its password; for an existing account: the password to sign in with. */
  password: z.string().min(1).max(200).optional(),
});
export const ApiKeyScope = z.enum(["read", "write"]);
export const ApiKeyInput = z.strictObject({
  name: text(100),
  scope: ApiKeyScope,
  companyId: z.string().min(1).max(64).optional(),
});
export const WEBHOOK_EVENTS = ["invoice.issued", "credit_note.issued", "payment.recorded", "period.locked", "export.made"] as const;
export const WebhookEvent = z.enum(WEBHOOK_EVENTS);
/** Why a webhook URL is refused, or null: https only, plus http to this machine for development. */
export function webhookUrlProblem(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return "must be an absolute URL, e.g. https://example.fr/hooks/passerelle";
  }
  if (url.username || url.password) return "must not carry a user name or password";
  if (url.hash) return "must not have a #fragment";
  if (url.protocol === "https:") return null;
  const local = ["localhost", "127.0.0.1", "[::1]"].includes(url.hostname);
  if (url.protocol === "http:" && local) return null;
  return "must be an https:// URL (http:// only to localhost or 127.0.0.1, for development)";
}
export const WebhookInput = z.strictObject({
  url: plainText(2000)
    .superRefine((value, ctx) => {
      const problem = webhookUrlProblem(value);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
  events: z
    .array(WebhookEvent)
    .min(1, { message: "must name at least one event" })
    .max(WEBHOOK_EVENTS.length)
    .refine((events) => new Set(events).size === events.length, { message: "must not repeat an event" }),
});

export type InvitationInput = z.input<typeof InvitationInput>;
export type AcceptInvitationInput = z.input<typeof AcceptInvitationInput>;
export type ApiKeyScope = z.infer<typeof ApiKeyScope>;
export type ApiKeyInput = z.input<typeof ApiKeyInput>;
export type WebhookEvent = z.infer<typeof WebhookEvent>;
export type WebhookInput = z.input<typeof WebhookInput>;
export type QuoteDraftInput = z.input<typeof QuoteDraftInput>;
export type QuoteDraftPatch = z.input<typeof QuoteDraftPatch>;
export type QuoteFilters = z.input<typeof QuoteFilters>;
export type QuoteStatus = z.infer<typeof QuoteStatus>;
