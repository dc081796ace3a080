/** Where the money stands on the wire: the home screen's figures, a customer's balance and its sendings. */
import { z } from "zod";
import { InvoiceSending } from "./invoice-mail.js";

const Period = z.object({
  from: z.string(),
  to: z.string(),
  revenueHtCents: z.number().int().describe("Net of the invoices issued in the period minus that of its credit notes"),
  receivedCents: z.number().int().describe("Payments received in the period, by payment date"),
});

export const MostOverdueInvoice = z.object({
  id: z.string(),
  number: z.string(),
  customer: z.object({ id: z.string(), code: z.string(), name: z.string() }),
  issueDate: z.string(),
  dueDate: z.string(),
  daysLate: z.number().int(),
  ttcCents: z.number().int(),
  dueCents: z.number().int().describe("Still to be received: TTC − credited − paid"),
});
export type MostOverdueInvoice = z.infer<typeof MostOverdueInvoice>;

export const MoneyStanding = z.object({
  today: z.string().describe("The company's business day the figures are computed for"),
  month: Period.describe("The calendar month of `today`"),
  fiscalYear: Period.describe("The fiscal year of `today`, from the company's fiscal year start"),
  dueCents: z.number().int().describe("Still to be received on issued invoices"),
  dueCount: z.number().int(),
  overdueCents: z.number().int().describe("The part of `dueCents` on invoices whose due date is before `today`"),
  overdueCount: z.number().int(),
  mostOverdue: z.array(MostOverdueInvoice).describe("The 5 invoices overdue longest, oldest due date first"),
  monthlyRevenue: z
    .array(z.object({ month: z.string(), revenueHtCents: z.number().int() }))
    .describe("Revenue HT of each of the 12 months ending with the month of `today`, oldest first"),
});
export type MoneyStanding = z.infer<typeof MoneyStanding>;

export const CustomerBalance = z.object({
  customerId: z.string(),
  billedCents: z.number().int().describe("TTC of the customer's issued invoices minus that of its credit notes"),
  receivedCents: z.number().int().describe("Payments received on its invoices"),
  dueCents: z.number().int().describe("Still to be received on its invoices"),
  overdueCents: z.number().int(),
  overdueCount: z.number().int(),
});
export type CustomerBalance = z.infer<typeof CustomerBalance>;

export const CustomerSending = InvoiceSending.extend({
  kind: z.string().describe("What was sent: `invoice`, `credit_note`, or a reminder (`reminder_1`, `reminder_2`, `reminder_3`)"),
  invoiceNumber: z.string(),
});
export type CustomerSending = z.infer<typeof CustomerSending>;
