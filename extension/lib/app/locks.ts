/**
 * Locked periods as the owner meets them in a form: a date on or before the lock is refused
 * before anything is sent, with the reason the API would give (accounting.md §5).
 */
import { localRuleMessage } from "./api-messages";

/** Why `date` cannot be used for an issued document, a credit note or a payment; null when it can. */
export function lockedDateProblem(date: string, lockedUntil: string | null | undefined): string | null {
  if (!lockedUntil || !date || date > lockedUntil) return null;
  return localRuleMessage(`is in a locked period (locked up to ${lockedUntil})`);
}
