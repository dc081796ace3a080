/** Where an invoice stands for its owner: what the status column of a list shows and what the badge counts. */
import type { Invoice } from "./resources.js";

export type PaymentState = "draft" | "credit_note" | "paid" | "credited" | "partially_paid" | "unpaid" | "overdue";

/**
 * Overdue = something is still due and the due date is before `today` (YYYY-MM-DD, the company's
 * business day), whether or not part of it was paid. An invoice cancelled by credit notes with
 * nothing left to pay is "credited", not "paid".
 */
export function paymentState(
  invoice: Pick<Invoice, "type" | "status" | "dueDate" | "dueCents" | "creditedCents">,
  today: string,
): PaymentState {
  if (invoice.type === "credit_note") return "credit_note";
  if (invoice.status === "draft") return "draft";
  if (invoice.status === "paid") return "paid";
  if (invoice.dueCents <= 0) return invoice.creditedCents > 0 ? "credited" : "paid";
  if (invoice.dueDate !== null && invoice.dueDate < today) return "overdue";
  return invoice.status === "partially_paid" ? "partially_paid" : "unpaid";
}
