/**
 * The legal mentions a French B2B invoice carries (accounting.md §2), as printable French text.
 * Shared so the PDF, the e-invoice notes and any preview say the same thing.
 */
import { VAT_EXEMPTIONS, type VatExemption } from "./vat.js";
import { formatDateFr } from "./format.js";

export type OperationKind = "goods" | "services";

/** "Livraison de biens", "Prestation de services" or both — a mention required since the 2026 reform. */
export function operationNature(kinds: Iterable<OperationKind>): string {
  const set = new Set(kinds);
  if (set.has("goods") && set.has("services")) return "Livraison de biens et prestation de services";
  return set.has("goods") ? "Livraison de biens" : "Prestation de services";
}

/** The late-payment penalty rate: the seller's own wording, else the legal floor. */
export function latePenaltyMention(rate: string | null | undefined): string {
  return `Pénalités de retard : ${rate?.trim() || "trois fois le taux d'intérêt légal"}, exigibles dès le lendemain de l'échéance`;
}

/** When the seller opted to pay VAT on services on invoicing (art. 269, 2-c du CGI): printed word for word. */
export const VAT_ON_DEBITS_MENTION = "Option pour le paiement de la taxe d'après les débits";

/** The label of the date of the sale or service, by what the invoice sells. */
export function supplyDateLabel(kinds: Iterable<OperationKind>): string {
  const set = new Set(kinds);
  if (set.has("goods") && set.has("services")) return "Date de la vente / prestation";
  return set.has("goods") ? "Date de livraison" : "Date de la prestation";
}

/** The date of the sale or service is a mention only when it differs from the issue date. */
export function showsSupplyDate(deliveryDate: string | null | undefined, issueDate: string | null | undefined): deliveryDate is string {
  return Boolean(deliveryDate) && deliveryDate !== issueDate;
}

/** "Période de la prestation : du 01/10/2026 au 31/10/2026". */
export function servicePeriodMention(period: { from: string; to: string }): string {
  return period.from === period.to
    ? `Période de la prestation : le ${formatDateFr(period.from)}`
    : `Période de la prestation : du ${formatDateFr(period.from)} au ${formatDateFr(period.to)}`;
}

export const RECOVERY_INDEMNITY_MENTION =
  "Indemnité forfaitaire pour frais de recouvrement en cas de retard de paiement : 40 € (art. L441-10 et D441-5 du Code de commerce)";

export function earlyPaymentMention(terms: string | null | undefined): string {
  return `Escompte pour paiement anticipé : ${terms?.trim() || "néant"}`;
}

export function vatExemptionMention(code: VatExemption | null | undefined): string | null {
  return code ? VAT_EXEMPTIONS[code] : null;
}

/** "853904811" → "853 904 811". */
export function formatSiren(siren: string): string {
  return /^\d{9}$/.test(siren) ? `${siren.slice(0, 3)} ${siren.slice(3, 6)} ${siren.slice(6)}` : siren;
}

export interface SellerLegalIdentity {
  name: string;
  siren: string;
  vatNumber?: string | null;
  legalForm?: string | null;
  capital?: string | null;
  rcsCity?: string | null;
  /** Département of the registration at the répertoire des métiers (artisans). */
  rmDepartment?: string | null;
  apeCode?: string | null;
}

/**
 * "Atelier SARL — SARL au capital de 10 000 € — RCS Lyon 853 904 811 — N° TVA FR26853904811";
 * an artisan's registration follows the SIREN ("SIREN 853 904 811 RM 69"), then the APE code.
 */
export function sellerLegalLine(s: SellerLegalIdentity): string {
  const parts = [s.name];
  if (s.legalForm) parts.push(s.capital ? `${s.legalForm} au capital de ${s.capital}` : s.legalForm);
  else if (s.capital) parts.push(`Capital de ${s.capital}`);
  const rm = s.rmDepartment ? ` RM ${s.rmDepartment}` : "";
  if (s.rcsCity) parts.push(`RCS ${s.rcsCity} ${formatSiren(s.siren)}`, ...(rm ? [`${formatSiren(s.siren)}${rm}`] : []));
  else parts.push(`SIREN ${formatSiren(s.siren)}${rm}`);
  if (s.apeCode) parts.push(`APE ${s.apeCode}`);
  if (s.vatNumber) parts.push(`N° TVA ${s.vatNumber}`);
  return parts.join(" — ");
}
