/**
 * The API states its rules in English (problem+json `errors[].message`). French owners read them
 * in French: the rules a form can meet are translated here, word for word in meaning; anything
 * else is shown as the API said it.
 */
import { formatDateFr, formatEuros } from "@passerelle/shared/format";
import { t, uiLanguage, type MessageKey } from "../i18n";

type Rule = [RegExp, MessageKey, ((m: RegExpExecArray) => string[])?];

const euros = (cents: string | undefined) => formatEuros(Number(cents ?? 0));
const frDate = (iso: string | undefined) => (iso && /^\d{4}-\d{2}-\d{2}$/.test(iso) ? formatDateFr(iso) : (iso ?? ""));

const RULES: Rule[] = [
  [/^must not be (empty|blank)$/, "appRuleRequired"],
  [/^is required for a line without a product$/, "appRuleRequired"],
  [/^must be a 9-digit SIREN/, "appRuleSiren"],
  [/^must be a valid VAT number/, "appRuleVatNumber"],
  [/^must be an e-mail address$/, "appRuleEmail"],
  [/^must be an APE code/, "appRuleApeCode"],
  [/^must be the number of a French département/, "appRuleRmDepartment"],
  [/^must be a PNG, a JPEG or an SVG image$/, "appRuleLogoType"],
  [/^is (\d+) bytes: a logo may be at most/, "appLogoTooBig", (m) => [String(Math.ceil(Number(m[1]) / 1024))]],
  [/^is (\d+) × (\d+) pixels: a logo may be at most/, "appRuleLogoPixels", (m) => [m[1] ?? "", m[2] ?? ""]],
  [/^is a PNG of (\d+) × (\d+) pixels (with transparency|interlaced): /, "appRuleLogoDecodedPixels", (m) => [m[1] ?? "", m[2] ?? ""]],
  [/^is (a damaged (PNG|JPEG)|a (PNG|JPEG) cut short|a JPEG with no image data|a (PNG|JPEG) of no pixels)/, "appRuleLogoDamaged"],
  [/^is an SVG that holds a <script>$/, "appRuleSvgScript"],
  [/^is an SVG that has an event handler \((\S+) on <([\w:.-]+)>\)$/, "appRuleSvgHandler", (m) => [m[1] ?? "", m[2] ?? ""]],
  [/^is an SVG that links to "(.*)" \((\S+) on <([\w:.-]+)>\)/, "appRuleSvgLink", (m) => [m[1] ?? "", m[2] ?? "", m[3] ?? ""]],
  [/^is an SVG that refers to an external resource \((\S+) on <([\w:.-]+)>\)$/, "appRuleSvgExternal", (m) => [m[1] ?? "", m[2] ?? ""]],
  [/^is an SVG that holds a <foreignObject>/, "appRuleSvgForeignObject"],
  [/^is an SVG that holds <([\w:.-]+)>, which documents do not draw/, "appRuleSvgElement", (m) => [m[1] ?? ""]],
  [/^is an SVG that has a DOCTYPE/, "appRuleSvgDoctype"],
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
  [/^must be an IBAN: /, "appRuleIbanFormat"],
  [/^must be an IBAN of a country that has them \((\w+) has none\)$/, "appRuleIbanCountry", (m) => [m[1] ?? ""]],
  [/^must have (\d+) characters for an IBAN of (\w+) \(it has (\d+)\)$/, "appRuleIbanLength", (m) => [m[1] ?? "", m[2] ?? "", m[3] ?? ""]],
  [/^has wrong check digits \(ISO 13616/, "appRuleIbanChecksum"],
  [/^must be a BIC of 8 or 11 characters/, "appRuleBic"],
  [/^must be at most 60 days after the issue date, or 45 days end of month/, "appRulePaymentTerms"],
  [/^must be at most 45 days when the terms run to the end of the month/, "appRuleEndOfMonthTerms"],
  [/^must be no later than (\d{4}-\d{2}-\d{2}): at most 60 days/, "appRuleDueDateLaw", (m) => [frDate(m[1])]],
  [/^must be no later than (\d{4}-\d{2}-\d{2}): at most 90 days/, "appRuleDueDateExport", (m) => [frDate(m[1])]],
  [/^must be a rate of the invoice \((.+)\)$/, "appRuleGestureRate", (m) => [(m[1] ?? "").replace(/\./g, ",")]],
  [/^cannot be reached exactly at this rate once VAT is rounded to the cent: use (\d+) or (\d+) cents$/, "appRuleGestureUnreachable", (m) => [euros(m[1]), euros(m[2])]],
  [/^must not exceed what remains to credit at this rate \((\d+) cents (before VAT|VAT included)\)$/, "appRuleGestureTooMuch", (m) => [`${euros(m[1])} ${m[2] === "before VAT" ? "HT" : "TTC"}`]],
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
