/**
 * The company's settings the owner changes from the invoicing view: what its invoices state — its
 * identity (name, address, phone, e-mail, legal form, capital, RCS, RM, APE code), payment terms and
 * penalties, bank account — and the option for paying VAT on services "d'après les débits"
 * (accounting.md §2, §3).
 */
import type { Company, CompanyPatch } from "@passerelle/shared";
import { bicProblem, ibanProblem } from "@passerelle/shared/bank";
import { paymentTermsProblem } from "@passerelle/shared/payment-terms";
import { isFrenchDepartment, normalizeApeCode } from "@passerelle/shared/identifiers";
import { t } from "../i18n";
import { localRuleMessage } from "./api-messages";

export interface CompanyForm {
  name: string;
  line1: string;
  line2: string;
  postalCode: string;
  city: string;
  country: string;
  phone: string;
  email: string;
  rmDepartment: string;
  apeCode: string;
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

const TEXTS = ["phone", "email", "rmDepartment", "apeCode", "legalForm", "capital", "rcsCity", "iban", "bic", "latePenaltyRate", "earlyPaymentDiscount"] as const;
const ADDRESS = ["line1", "line2", "postalCode", "city", "country"] as const;

export function companyForm(c: Company): CompanyForm {
  return {
    name: c.name,
    line1: c.address.line1,
    line2: c.address.line2 ?? "",
    postalCode: c.address.postalCode,
    city: c.address.city,
    country: c.address.country,
    phone: c.phone ?? "",
    email: c.email ?? "",
    rmDepartment: c.rmDepartment ?? "",
    apeCode: c.apeCode ?? "",
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
    if (terms) fields.paymentTermsDays = localRuleMessage(terms.message);
  }
  // the law's rules, checked here as the API checks them, said in the owner's language
  const iban = (form.iban ?? "").trim() && ibanProblem(form.iban);
  if (iban) fields.iban = localRuleMessage(iban);
  const bic = (form.bic ?? "").trim() && bicProblem(form.bic);
  if (bic) fields.bic = localRuleMessage(bic);
  if (!form.name.trim()) fields.name = t("appRuleRequired");
  if (!form.line1.trim()) fields.line1 = t("appRuleRequired");
  const ape = form.apeCode.trim();
  if (ape && !normalizeApeCode(ape)) fields.apeCode = t("appRuleApeCode");
  const department = form.rmDepartment.trim().toUpperCase();
  if (department && !isFrenchDepartment(department)) fields.rmDepartment = t("appRuleRmDepartment");
  if (Object.keys(fields).length > 0) return { ok: false, fields };
  const patch: CompanyPatch = {
    name: form.name.trim(),
    address: { line1: form.line1, line2: form.line2.trim() || null, postalCode: form.postalCode, city: form.city, country: form.country.trim().toUpperCase() },
    paymentTermsDays: Number(days),
    paymentTermsEndOfMonth: endOfMonth,
    vatOnDebits: form.vatOnDebits,
  };
  for (const key of TEXTS) patch[key] = (form[key] ?? "").trim() || null;
  return { ok: true, patch };
}

/** The form's field for an API error path (`address.city` is the field `city`). */
export function companyFieldFor(path: string): string | null {
  const field = path.startsWith("address.") ? path.slice("address.".length) : path;
  return ([...TEXTS, ...ADDRESS, "name", "paymentTermsDays", "paymentTermsEndOfMonth", "vatOnDebits"] as string[]).includes(field) ? field : null;
}
