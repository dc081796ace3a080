/**
 * The company's settings the owner changes from the invoicing view: what its invoices state — legal
 * identity, payment terms and penalties, bank account — and the option for paying VAT on services
 * "d'après les débits" (accounting.md §2, §3).
 */
import type { Company, CompanyPatch } from "@passerelle/shared";
import { t } from "../i18n";

export interface CompanyForm {
  legalForm: string;
  capital: string;
  rcsCity: string;
  iban: string;
  paymentTermsDays: string;
  latePenaltyRate: string;
  earlyPaymentDiscount: string;
  vatOnDebits: boolean;
}

const TEXTS = ["legalForm", "capital", "rcsCity", "iban", "latePenaltyRate", "earlyPaymentDiscount"] as const;

export function companyForm(c: Company): CompanyForm {
  return {
    legalForm: c.legalForm ?? "",
    capital: c.capital ?? "",
    rcsCity: c.rcsCity ?? "",
    iban: c.iban ?? "",
    paymentTermsDays: String(c.paymentTermsDays),
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
  if (!/^\d{1,3}$/.test(days) || Number(days) > 365) fields.paymentTermsDays = t("appRuleTermsDays");
  if (Object.keys(fields).length > 0) return { ok: false, fields };
  const patch: CompanyPatch = { paymentTermsDays: Number(days), vatOnDebits: form.vatOnDebits };
  for (const key of TEXTS) patch[key] = form[key].trim() || null;
  return { ok: true, patch };
}

export function companyFieldFor(path: string): string | null {
  return [...TEXTS, "paymentTermsDays", "vatOnDebits"].includes(path) ? path : null;
}
