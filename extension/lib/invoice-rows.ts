/** The few fields of an invoice a list shows, so caches stay small and hold no line detail. */
import type { Invoice } from "@passerelle/shared";
import { paymentState, type PaymentState } from "@passerelle/shared/payment-state";

export interface InvoiceRow {
  id: string;
  number: string | null;
  type: Invoice["type"];
  issueDate: string | null;
  dueDate: string | null;
  customerName: string;
  ttcCents: number;
  dueCents: number;
  state: PaymentState;
}

export function invoiceRow(invoice: Invoice, today: string): InvoiceRow {
  return {
    id: invoice.id,
    number: invoice.number,
    type: invoice.type,
    issueDate: invoice.issueDate,
    dueDate: invoice.dueDate,
    customerName: invoice.customer.name,
    ttcCents: invoice.totals.ttcCents,
    dueCents: invoice.dueCents,
    state: paymentState(invoice, today),
  };
}

/** What the document weighs, as the invoicing view and the journal count it: a credit note takes its amount off. */
export function signedTtcCents(row: InvoiceRow): number {
  return row.type === "credit_note" ? -row.ttcCents : row.ttcCents;
}
