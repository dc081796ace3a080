/**
 * The company's settings the owner changes from the invoicing view: what its invoices state — legal
 * identity, payment terms and penalties, bank account — and the option for paying VAT on services
 * "d'après les débits" (accounting.md §2, §3).
 */
import type { Company, CompanyPatch } from "@passerelle/shared";
import { bicProblem, ibanProblem } from "@passerelle/shared/bank";
import { paymentTermsProblem } from "@passerelle/shared/payment-terms";
import { t } from "../i18n";
import { apiFieldMessage } from "./api-messages";

export interface CompanyForm {
  legalForm: string;
  capital: string;
  rcsCity: string;
  iban: string;
  bic: string;
  paymentTermsDays: string;
  /** "N jours fin de mois": due on the last day of the month N days after the issue date. */
  paymentTermsEndOfMonth?: boolean;
  latePenaltyRate: string;
  earlyPaymentDiscount: string;
  vatOnDebits: boolean;
}

const TEXTS = ["legalForm", "capital", "rcsCity", "iban", "bic", "latePenaltyRate", "earlyPaymentDiscount"] as const;

export function companyForm(c: Company): CompanyForm {
  return {
    legalForm: c.legalForm ?? "",
    capital: c.capital ?? "",
    rcsCity: c.rcsCity ?? "",
    iban: c.iban ?? "",
    bic: c.bic ?? "",
    paymentTermsDays: String(c.paymentTermsDays),
    paymentTermsEndOfMonth: c.paymentTermsEndOfMonth,
    latePenaltyRate: c.latePenaltyRate ?? "",
    earlyPaymentDiscount: c.earlyPaymentDiscount ?? "",
    vatOnDebits: c.vatOnDebits,
  };
}

export type CompanyCheck = { ok: true; patch: CompanyPatch } | { ok: false; fields: Record<string, string> };

/** The PATCH the form means: an emptied text is cleared (null), the rest sent as typed. */
export function companyPatch(form: CompanyForm): CompanyCheck {
  const fields: Record<string, string> = {};
  const days = form.paymentTermsDays.trim();
  const endOfMonth = form.paymentTermsEndOfMonth ?? false;
  if (!/^\d{1,3}$/.test(days)) fields.paymentTermsDays = t("appRuleTermsDays");
  else {
    const terms = paymentTermsProblem(Number(days), endOfMonth);
    if (terms) fields.paymentTermsDays = apiFieldMessage(terms.message);
  }
  // the law's rules, checked here as the API checks them, said in the owner's language
  const iban = (form.iban ?? "").trim() && ibanProblem(form.iban);
  if (iban) fields.iban = apiFieldMessage(iban);
  const bic = (form.bic ?? "").trim() && bicProblem(form.bic);
  if (bic) fields.bic = apiFieldMessage(bic);
  if (Object.keys(fields).length > 0) return { ok: false, fields };
  const patch: CompanyPatch = { paymentTermsDays: Number(days), paymentTermsEndOfMonth: endOfMonth, vatOnDebits: form.vatOnDebits };
  for (const key of TEXTS) patch[key] = (form[key] ?? "").trim() || null;
  return { ok: true, patch };
}

export function companyFieldFor(path: string): string | null {
  return [...TEXTS, "paymentTermsDays", "paymentTermsEndOfMonth", "vatOnDebits"].includes(path) ? path : null;
}
