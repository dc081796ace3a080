/**
 * The e-invoice view of an issued invoice or credit note: the identities frozen on it when it was
 * issued, its lines, and its totals as stored (computed by the shared rule of accounting.md §1, so
 * the XML, the PDF and the journal carry the same cents). Plus what EN 16931 and the French CTC
 * rules need that the invoice itself does not say: VAT category codes, exemption codes, the
 * billing framework (goods / services / both) and the problems that make a valid e-invoice impossible.
 */
import type { Address } from "../address.js";
import { isValidSiren } from "../identifiers.js";
import { formatSiren } from "../mentions.js";
import { formatDateFr } from "../format.js";
import { lineNetCents } from "../money.js";
import { NUMBER_PATTERN } from "../numbering.js";
import type { FieldError } from "../resources.js";
import type { ProductKind } from "../schemas.js";
import type { UnitKey as LineUnit } from "../units.js";
import type { InvoiceTotals } from "../totals.js";
import { VAT_EXEMPTIONS, type VatExemption } from "../vat.js";

export interface EInvoiceSeller {
  name: string;
  siren: string;
  vatNumber: string | null;
  address: Address;
  legalForm: string | null;
  capital: string | null;
  rcsCity: string | null;
  email: string | null;
  phone: string | null;
  iban: string | null;
  /** The IBAN's bank (BT-86), when the company states it. */
  bic?: string | null;
  latePenaltyRate: string | null;
  earlyPaymentDiscount: string | null;
  /** Option pour le paiement de la taxe d'après les débits (BT-8): service VAT due on invoicing. */
  vatOnDebits: boolean;
}

export interface EInvoiceBuyer {
  code: string;
  name: string;
  siren: string | null;
  vatNumber: string | null;
  email: string | null;
  address: Address;
}

export interface EInvoiceLine {
  position: number;
  description: string;
  quantity: string;
  unitPriceCents: number;
  vatRateBp: number;
  discountCents: number;
  kind: ProductKind;
  /** BT-130 (UN/ECE Rec 20 through shared/src/units.ts); absent or null for a plain count (C62). */
  unit?: LineUnit | null;
}

export interface EInvoiceDocument {
  type: "invoice" | "credit_note";
  number: string;
  issueDate: string;
  dueDate: string | null;
  seller: EInvoiceSeller;
  buyer: EInvoiceBuyer;
  lines: EInvoiceLine[];
  /** The stored totals (credit notes may cap a rate's VAT at what remains of the invoice's). */
  totals: InvoiceTotals;
  vatExemption: VatExemption | null;
  notes: string | null;
  /** For a credit note: the invoice it corrects (BR-FR-CO-05 wants its number and date). */
  corrects: { number: string; issueDate: string } | null;
  /** BT-72: the date of the sale or service, when the invoice states one. */
  deliveryDate: string | null;
  /** BG-14: the period the services were performed over. */
  servicePeriod: { from: string; to: string } | null;
  /** BG-15: where the goods go or the services are performed, when not the customer's address. */
  deliveryAddress: Address | null;
  /** A deposit invoice (386) or a credit note of one (503). */
  prepayment?: boolean | undefined;
  /**
   * A balance invoice (final invoice after deposits, BT-23 B4/S4/M4): each deposit it deducts, net
   * of its credit notes, rate by rate. Its lines are the whole order; `totals` what is left.
   */
  deductions?: EInvoiceDeduction[] | undefined;
}

export interface EInvoiceDeduction {
  number: string;
  issueDate: string;
  byRate: { vatRateBp: number; baseCents: number; vatCents: number }[];
}

/**
 * Deposits deducted on a balance invoice, as EN 16931 document-level allowances (BG-20), one per
 * deposit and VAT rate: BT-92 the deposit's net at that rate, BT-95/BT-96 its category and rate,
 * BT-97 "Acompte F2026-00001 du 05/11/2026". Not BT-113 (paid amount): that one comes after VAT,
 * so the VAT breakdown (BG-23) would state the whole order's VAT again — the VAT the deposit
 * invoices already charged — and disagree with the stored totals and the journal. As allowances,
 * each rate's base (BT-116) is the lines' net less the deposits' net, the VAT (BT-117) what is
 * left of the order's (within the cent BR-CO-17 tolerates), and the lines still list the whole order.
 */
export function deductionAllowances(doc: EInvoiceDocument): { vatRateBp: number; amountCents: number; reason: string }[] {
  return (doc.deductions ?? []).flatMap((d) =>
    d.byRate
      .filter((r) => r.baseCents !== 0)
      .map((r) => ({ vatRateBp: r.vatRateBp, amountCents: r.baseCents, reason: `Acompte ${d.number} du ${formatDateFr(d.issueDate)}` })),
  );
}

/** BT-106: the sum of the line nets (for a balance invoice, the whole order). */
export function lineTotalCents(doc: EInvoiceDocument): number {
  return doc.lines.reduce((s, l) => s + lineNetCents(l.quantity, l.unitPriceCents, l.discountCents), 0);
}

/** Factur-X profiles we produce: EN 16931 (full lines and VAT breakdown) by default, BASIC on request. */
export type FacturXProfile = "EN16931" | "BASIC";

export const GUIDELINE_ID: Record<FacturXProfile, string> = {
  EN16931: "urn:cen.eu:en16931:2017",
  BASIC: "urn:cen.eu:en16931:2017#compliant#urn:factur-x.eu:1p0:basic",
};

/** The XMP `fx:ConformanceLevel` of each profile. */
export const CONFORMANCE_LEVEL: Record<FacturXProfile, string> = { EN16931: "EN 16931", BASIC: "BASIC" };

/** UNTDID 1001: 380 commercial invoice, 381 credit note; 386 prepayment (deposit) invoice, 503 its credit note. */
export function documentTypeCode(type: EInvoiceDocument["type"], prepayment = false): "380" | "381" | "386" | "503" {
  if (prepayment) return type === "credit_note" ? "503" : "386";
  return type === "credit_note" ? "381" : "380";
}

/** UNCL 5305 VAT category codes used here (S standard, Z zero rated, E exempt, AE reverse charge, K intra-EU, G export). */
export type VatCategoryCode = "S" | "Z" | "E" | "AE" | "K" | "G";

export interface VatCategory {
  code: VatCategoryCode;
  /** VATEX code (BT-121) and French wording (BT-120), for the exempt categories. */
  exemptionCode: string | null;
  exemptionReason: string | null;
}

const EXEMPTION_CATEGORY: Record<VatExemption, { code: VatCategoryCode; vatex: string }> = {
  franchise: { code: "E", vatex: "VATEX-FR-FRANCHISE" },
  reverse_charge: { code: "AE", vatex: "VATEX-EU-AE" },
  intra_eu: { code: "K", vatex: "VATEX-EU-IC" },
  export: { code: "G", vatex: "VATEX-EU-G" },
};

/**
 * The category of a rate: above 0 % it is standard rated; at 0 % the invoice's exemption says
 * why (293 B franchise → E, reverse charge → AE, intra-EU supply → K, export → G). A 0 % line
 * without an exemption cannot be issued; should one exist it is written as zero rated (Z).
 */
export function vatCategory(rateBp: number, exemption: VatExemption | null): VatCategory {
  if (rateBp > 0) return { code: "S", exemptionCode: null, exemptionReason: null };
  if (!exemption) return { code: "Z", exemptionCode: null, exemptionReason: null };
  const c = EXEMPTION_CATEGORY[exemption];
  return { code: c.code, exemptionCode: c.vatex, exemptionReason: VAT_EXEMPTIONS[exemption] };
}

/**
 * BT-23, the French billing framework: B1 goods, S1 services, M1 both (the 2026 mention of
 * whether the sale is goods, services or both); B4, S4, M4 for a final invoice after deposits.
 */
export function billingFramework(lines: readonly { kind: ProductKind }[], afterDeposits = false): "B1" | "S1" | "M1" | "B4" | "S4" | "M4" {
  const kinds = new Set(lines.map((l) => l.kind));
  const n = afterDeposits ? "4" : "1";
  if (kinds.has("goods") && kinds.has("services")) return `M${n}`;
  return kinds.has("goods") ? `B${n}` : `S${n}`;
}

/** 1234 → "12.34", -5 → "-0.05": an amount as EN 16931 writes it (point, two decimals). */
export function decimalAmount(cents: number): string {
  if (!Number.isSafeInteger(cents)) throw new RangeError("amount must be integer cents");
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)}.${String(abs % 100).padStart(2, "0")}`;
}

/** 2000 → "20.00", 550 → "5.50", 105 → "1.05": a VAT rate in percent with two decimals. */
export function decimalRate(rateBp: number): string {
  return `${Math.trunc(rateBp / 100)}.${String(rateBp % 100).padStart(2, "0")}`;
}

/** "2026-11-02" → "20261102" (UNTDID 2379 format 102). */
export function date102(isoDate: string): string {
  return isoDate.replaceAll("-", "");
}

/** An IBAN written with spaces → compact; null when what the company typed is not shaped like an IBAN. */
export function compactIban(value: string | null): string | null {
  if (!value) return null;
  const compact = value.replace(/\s+/g, "").toUpperCase();
  return /^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(compact) ? compact : null;
}

/**
 * Everything that prevents a valid EN 16931 / French CTC e-invoice, named by field and rule.
 * The document is issued and cannot change: these are answered as conflicts, never as a broken file.
 */
export function einvoiceProblems(doc: EInvoiceDocument): FieldError[] {
  const problems: FieldError[] = [];
  const add = (path: string, message: string) => problems.push({ path, message });
  if (!NUMBER_PATTERN.test(doc.number)) {
    add("number", "must be 1–35 characters from A–Z a–z 0–9 + - _ / (BR-FR-01, BR-FR-02)");
  }
  if (!isValidSiren(doc.seller.siren)) add("seller.siren", "must be a valid 9-digit SIREN (BR-FR-10)");
  if (doc.lines.length === 0) add("lines", "an e-invoice needs at least one line (BR-16)");
  if (doc.type === "credit_note") {
    if (!doc.corrects) add("corrects", "a credit note must reference the invoice it corrects (BR-FR-CO-05)");
    else if (!NUMBER_PATTERN.test(doc.corrects.number)) add("corrects.number", "must be 1–35 characters from A–Z a–z 0–9 + - _ / (BR-FR-01)");
  }
  const categories = new Set(doc.lines.map((l) => vatCategory(l.vatRateBp, doc.vatExemption).code));
  const sellerVat = Boolean(doc.seller.vatNumber);
  const buyerVat = Boolean(doc.buyer.vatNumber);
  if (categories.has("K")) {
    if (!sellerVat) add("seller.vatNumber", "an intra-EU supply needs the seller's VAT number (BR-IC-02)");
    if (!buyerVat) add("buyer.vatNumber", "an intra-EU supply needs the customer's VAT number (BR-IC-02)");
  }
  if (categories.has("G") && !sellerVat) add("seller.vatNumber", "an export outside the EU needs the seller's VAT number (BR-G-02)");
  if (categories.has("AE") && !buyerVat && !doc.buyer.siren) {
    add("buyer.vatNumber", "reverse charge needs the customer's VAT number or SIREN (BR-AE-02)");
  }
  problems.push(...totalsProblems(doc));
  return problems;
}

/** The stored totals must be those of the lines (line nets, per-rate bases, TTC = HT + VAT). */
function totalsProblems(doc: EInvoiceDocument): FieldError[] {
  const problems: FieldError[] = [];
  const bases = new Map<number, number>();
  for (const l of doc.lines) bases.set(l.vatRateBp, (bases.get(l.vatRateBp) ?? 0) + lineNetCents(l.quantity, l.unitPriceCents, l.discountCents));
  // a balance invoice's deposits are allowances at their rates (BR-S-08: base = lines − allowances)
  for (const a of deductionAllowances(doc)) bases.set(a.vatRateBp, (bases.get(a.vatRateBp) ?? 0) - a.amountCents);
  const ht = [...bases.values()].reduce((s, v) => s + v, 0);
  if (ht !== doc.totals.htCents) problems.push({ path: "totals.htCents", message: "differs from the sum of the line nets less the allowances (BR-CO-13)" });
  for (const r of doc.totals.byRate) {
    if (bases.get(r.vatRateBp) !== r.baseCents) {
      problems.push({ path: `totals.byRate.${r.vatRateBp}`, message: "base differs from the sum of the line nets at that rate (BR-S-08)" });
    }
  }
  if (doc.totals.byRate.length !== bases.size) problems.push({ path: "totals.byRate", message: "must hold one entry per VAT rate of the lines" });
  const vat = doc.totals.byRate.reduce((s, r) => s + r.vatCents, 0);
  if (vat !== doc.totals.vatCents) problems.push({ path: "totals.vatCents", message: "differs from the sum of the per-rate VAT (BR-CO-14)" });
  if (doc.totals.ttcCents !== doc.totals.htCents + doc.totals.vatCents) {
    problems.push({ path: "totals.ttcCents", message: "must equal HT + VAT (BR-CO-15)" });
  }
  return problems;
}

/** First line of a description, for the item name; the whole text goes to the item description. */
export function itemName(description: string): string {
  const first = description.replace(/\r\n?/g, "\n").split("\n").map((l) => l.trim()).find((l) => l.length > 0);
  return first ?? description.trim();
}

/**
 * BT-72, the date of the supply: the date of the sale or service the invoice states; else the end
 * of the period of the services; else, under French rules, the sale is dated the invoice (a credit
 * note without one repeats the date of the invoice it corrects).
 */
export function supplyDate(doc: EInvoiceDocument): string {
  return doc.deliveryDate ?? doc.servicePeriod?.to ?? doc.corrects?.issueDate ?? doc.issueDate;
}

/**
 * BT-8, when VAT becomes due, as a code: only for a seller who opted for "débits" and only where
 * VAT is charged (standard rate). CII uses UNTDID 2475 (5 = date of invoice), UBL UNTDID 2005
 * (3 = invoice issue date). Without the option nothing is written: the French CTC rules ask for
 * BT-8 only from sellers under the option (services are otherwise taxed on payment by default).
 */
export function taxPointDateCode(doc: EInvoiceDocument, syntax: "cii" | "ubl"): string | null {
  if (!doc.seller.vatOnDebits) return null;
  if (!doc.lines.some((l) => vatCategory(l.vatRateBp, doc.vatExemption).code === "S")) return null;
  return syntax === "cii" ? "5" : "3";
}

/** True when some line is an intra-EU supply (VAT category K). */
export function isIntraEu(doc: EInvoiceDocument): boolean {
  return doc.lines.some((l) => vatCategory(l.vatRateBp, doc.vatExemption).code === "K");
}

/** BT-33, the seller's legal mentions: "SARL au capital de 10 000 € — RCS Lyon 853 904 811". */
export function sellerLegalMentions(s: EInvoiceSeller): string {
  const parts: string[] = [];
  if (s.legalForm) parts.push(s.capital ? `${s.legalForm} au capital de ${s.capital}` : s.legalForm);
  else if (s.capital) parts.push(`Capital de ${s.capital}`);
  if (s.rcsCity) parts.push(`RCS ${s.rcsCity} ${formatSiren(s.siren)}`);
  return parts.join(" — ");
}

/** The longest electronic address the French rules accept (BR-FR-25). */
export const MAX_ENDPOINT_LENGTH = 125;
