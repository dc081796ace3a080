/**
 * Payment terms as the Code de commerce caps them (L441-10): at most 60 days after the issue date,
 * or 45 days end of month; shorter for the trades of L441-11 (30 days for transport of goods,
 * vehicle rental and perishable foods), longer only for goods sold for export outside the EU
 * (90 days, L441-12). "45 jours fin de mois" is read either way the administration accepts (45
 * days then the end of that month, or the end of the month then 45 days): the later one bounds.
 */
import { addDays, daysInMonth } from "./dates.js";

export const MAX_PAYMENT_DAYS = 60;
export const MAX_END_OF_MONTH_DAYS = 45;
export const MAX_EXPORT_PAYMENT_DAYS = 90;

export const PAYMENT_TERMS_RULE =
  "must be at most 60 days after the issue date, or 45 days end of month (Code de commerce L441-10); 30 days at most for transport of goods, vehicle rental and perishable foods (L441-11)";
export const END_OF_MONTH_TERMS_RULE = "must be at most 45 days when the terms run to the end of the month (Code de commerce L441-10: 45 days end of month)";

/** The last day of the month of `isoDate`. */
export function endOfMonth(isoDate: string): string {
  const [y, m] = isoDate.split("-").map(Number) as [number, number];
  return `${isoDate.slice(0, 8)}${String(daysInMonth(y, m)).padStart(2, "0")}`;
}

/** The due date of terms of `days` days, "fin de mois" when `endOfMonthTerms`: the last day of the month they end in. */
export function dueDateFor(issueDate: string, days: number, endOfMonthTerms: boolean): string {
  const end = addDays(issueDate, days);
  return endOfMonthTerms ? endOfMonth(end) : end;
}

/** Why company terms are refused, or null. */
export function paymentTermsProblem(days: number, endOfMonthTerms: boolean): { path: string; message: string } | null {
  if (days > MAX_PAYMENT_DAYS) return { path: "paymentTermsDays", message: PAYMENT_TERMS_RULE };
  if (endOfMonthTerms && days > MAX_END_OF_MONTH_DAYS) return { path: "paymentTermsDays", message: END_OF_MONTH_TERMS_RULE };
  return null;
}

/** The latest due date the law allows for an invoice issued on `issueDate` (an export sale: 90 days). */
export function latestLawfulDueDate(issueDate: string, exportSale = false): string {
  if (exportSale) return addDays(issueDate, MAX_EXPORT_PAYMENT_DAYS);
  const candidates = [
    addDays(issueDate, MAX_PAYMENT_DAYS),
    endOfMonth(addDays(issueDate, MAX_END_OF_MONTH_DAYS)),
    addDays(endOfMonth(issueDate), MAX_END_OF_MONTH_DAYS),
  ];
  return candidates.sort().at(-1)!;
}

/** Why a due date is refused for an invoice issued on `issueDate`, or null. */
export function dueDateProblem(issueDate: string, dueDate: string, exportSale = false): string | null {
  const latest = latestLawfulDueDate(issueDate, exportSale);
  if (dueDate <= latest) return null;
  return exportSale
    ? `must be no later than ${latest}: at most 90 days after the issue date for goods sold for export outside the EU (Code de commerce L441-12)`
    : `must be no later than ${latest}: at most 60 days after the issue date or 45 days end of month (Code de commerce L441-10); up to 90 days only for goods sold for export outside the EU (L441-12)`;
}
