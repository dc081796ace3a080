/**
 * The API states its rules in English (problem+json `errors[].message`). French owners read them
 * in French: the rules a form can meet are translated here, word for word in meaning; anything
 * else is shown as the API said it.
 */
import { formatDateFr } from "@passerelle/shared/format";
import { t, uiLanguage, type MessageKey } from "../i18n";

type Rule = [RegExp, MessageKey, ((m: RegExpExecArray) => string[])?];

const frDate = (iso: string | undefined) => (iso && /^\d{4}-\d{2}-\d{2}$/.test(iso) ? formatDateFr(iso) : (iso ?? ""));

const RULES: Rule[] = [
  [/^must not be (empty|blank)$/, "appRuleRequired"],
  [/^is required for a line without a product$/, "appRuleRequired"],
  [/^must be a 9-digit SIREN/, "appRuleSiren"],
  [/^must be a valid VAT number/, "appRuleVatNumber"],
  [/^must be an e-mail address$/, "appRuleEmail"],
  [/^is already a recipient$/, "appRuleRecipientRepeated"],
  [/^must name at least one recipient$/, "appRuleOneRecipient"],
  [/^(.+) is not a placeholder; use (.+)$/, "appRulePlaceholder", (m) => [m[1] ?? "", m[2] ?? ""]],
  [/^must be a real calendar date/, "appRuleDate"],
  [/^is in a locked period \(locked up to (\d{4}-\d{2}-\d{2})\)$/, "appDateLocked", (m) => [frDate(m[1])]],
  [/^must not exceed the line amount/, "appRuleDiscountTooBig"],
  [/^must not be in the future \(today is (\d{4}-\d{2}-\d{2})\)$/, "appRuleNotFuture", (m) => [frDate(m[1])]],
  [/^must be on or after the invoice's date \((\d{4}-\d{2}-\d{2})\)$/, "appRuleAfterInvoiceDate", (m) => [frDate(m[1])]],
  [/^must be on or after (\d{4}-\d{2}-\d{2}) \(date of ([^)]+)\)$/, "appRuleAfterLastNumber", (m) => [frDate(m[1]), m[2] ?? ""]],
  [/^must be on or after the issue date$/, "appRuleDueAfterIssue"],
  [/^must not exceed what is due on (\S+) \((.+)\)$/, "appRuleMoreThanDue", (m) => [m[1] ?? "", m[2] ?? ""]],
  [/^must not exceed what remains to credit \(([\d.]+)\)$/, "appRuleMoreThanCreditable", (m) => [(m[1] ?? "").replace(".", ",")]],
  [/^has already been credited in full$/, "appRuleCreditedInFull"],
  [/^nothing is left to credit on this invoice$/, "appRuleNothingToCredit"],
  [/^is required when a line has 0 % VAT/, "appRuleExemptionRequired"],
  [/^applies only when every line is at 0 % VAT$/, "appRuleExemptionOnlyZero"],
  [/^the invoice total must be above zero$/, "appRuleTotalAboveZero"],
  [/^an invoice needs at least one line$/, "appRuleNeedsLine"],
  [/^must hold at least one line$/, "appRuleNeedsLine"],
  [/^is not a customer of this company$/, "appRuleUnknownCustomer"],
  [/^is not a product of this company$/, "appRuleUnknownProduct"],
  [/^must be at least 1 cent$/, "appRuleAtLeastOneCent"],
  [/^must be a positive decimal with at most 4 decimals/, "appRuleQuantity"],
  [/^must be a French VAT rate/, "appRuleVatRate"],
  [/^(is required|must not be empty): a delivery address needs/, "appRuleDeliveryPart"],
  [/^must be a date between 2000-01-01 and 2099-12-31$/, "appRuleDateRange"],
  [/^must not end before it starts$/, "appRulePeriodOrder"],
  [/^must be an ISO 3166 alpha-2 country code/, "appCountryCode"],
  [/^cannot be on while the accounting settings put services' VAT on payment/, "appRuleVatOnPaymentsOn"],
  [/^must come after the previous level's day$/, "appRuleReminderDaysOrder"],
  [/^must be (at least 1 day|at most 365 days)$/, "appRuleReminderDaysRange"],
];

/** The API's message for a field, in the owner's language. */
export function apiFieldMessage(message: string): string {
  if (uiLanguage() === "en") return message;
  for (const [pattern, key, subs] of RULES) {
    const match = pattern.exec(message);
    if (match) return t(key, ...(subs ? subs(match) : []));
  }
  return message;
}
