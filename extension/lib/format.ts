/** What the owner reads: amounts and dates always in fr-FR, words in their language. */
import type { PaymentState } from "@passerelle/shared/payment-state";
import { formatDateFr, formatEuros } from "@passerelle/shared/format";
import { todayIn } from "@passerelle/shared/dates";
import { BUSINESS_TIME_ZONE } from "./config";
import { t, type MessageKey } from "./i18n";

export { formatDateFr, formatEuros };

export function businessToday(now: Date = new Date()): string {
  return todayIn(BUSINESS_TIME_ZONE, now);
}

/** An API timestamp as the French calendar day it falls on. */
export function formatTimestampDate(iso: string): string {
  return formatDateFr(todayIn(BUSINESS_TIME_ZONE, new Date(iso)));
}

/** An API timestamp's time of day in the business time zone: "14:05". */
export function formatTimestampTime(iso: string): string {
  return new Intl.DateTimeFormat("fr-FR", { hour: "2-digit", minute: "2-digit", timeZone: BUSINESS_TIME_ZONE }).format(new Date(iso));
}

const STATE_LABELS: Record<PaymentState, MessageKey> = {
  draft: "stateDraft",
  credit_note: "stateCreditNote",
  paid: "statePaid",
  credited: "stateCredited",
  partially_paid: "statePartiallyPaid",
  unpaid: "stateUnpaid",
  overdue: "stateOverdue",
};

export function paymentStateLabel(state: PaymentState): string {
  return t(STATE_LABELS[state]);
}
