/** Rules of quotes: how long an offer holds, and the state a quote shows on a given day. */
import { addDays } from "./dates.js";

/** Days an offer holds when the owner gives no validity date. */
export const QUOTE_VALIDITY_DAYS = 30;

export type StoredQuoteStatus = "draft" | "issued" | "accepted" | "refused";

export function defaultValidUntil(issueDate: string): string {
  return addDays(issueDate, QUOTE_VALIDITY_DAYS);
}

/** An issued quote whose validity date is behind `today` is expired; every other state is as stored. */
export function quoteStatusOn(stored: StoredQuoteStatus, validUntil: string | null, today: string): StoredQuoteStatus | "expired" {
  return stored === "issued" && validUntil !== null && validUntil < today ? "expired" : stored;
}
