/**
 * Saved journal queries: a name, a period (fixed dates, or one that rolls with the calendar such
 * as "the current month") and the journal's filters, kept by the company and read as a feed by a
 * spreadsheet (Excel's Data → From Web) that refreshes without the add-in.
 */
import { z } from "zod";
import { ROLLING_PERIODS } from "./periods.js";
import { InvoiceStatus, InvoiceType, IsoDate, SearchTerm } from "./schemas.js";
import { plainText } from "./text.js";

export const JournalQueryPeriod = z.enum([...ROLLING_PERIODS, "fixed"], {
  message: `must be one of ${[...ROLLING_PERIODS, "fixed"].join(", ")}`,
});
export type JournalQueryPeriod = z.infer<typeof JournalQueryPeriod>;

export const JournalQueryInput = z
  .strictObject({
    name: plainText(80).min(1, { message: "must not be blank" }),
    period: JournalQueryPeriod,
    from: IsoDate.optional().meta({ description: "Only with `period: fixed`: the first issue date" }),
    to: IsoDate.optional().meta({ description: "Only with `period: fixed`: the last issue date" }),
    customerId: z.string().min(1).max(64).optional(),
    type: InvoiceType.optional(),
    status: InvoiceStatus.exclude(["draft"], { message: "must be issued, partially_paid or paid (drafts are never in the journal)" }).optional(),
    category: SearchTerm(60).optional(),
  })
  .superRefine((q, ctx) => {
    if (q.period !== "fixed") {
      for (const key of ["from", "to"] as const) {
        if (q[key] !== undefined) ctx.addIssue({ code: "custom", path: [key], message: "is only for `period: fixed`; a rolling period sets its own dates" });
      }
    } else if (q.from && q.to && q.from > q.to) {
      ctx.addIssue({ code: "custom", path: ["to"], message: "must be on or after `from`" });
    }
  });
export type JournalQueryInput = z.input<typeof JournalQueryInput>;

export const JournalQuery = z.object({
  id: z.string(),
  name: z.string(),
  period: JournalQueryPeriod,
  from: z.string().nullable(),
  to: z.string().nullable(),
  customerId: z.string().nullable(),
  type: InvoiceType.nullable(),
  status: InvoiceStatus.nullable(),
  category: z.string().nullable(),
  createdAt: z.string(),
  /** Where a spreadsheet reads it: Basic authentication, any user name, a read-only API key as the password. */
  csvUrl: z.string(),
  jsonUrl: z.string(),
});
export type JournalQuery = z.infer<typeof JournalQuery>;

/** One document of a JSON feed: amounts in euros as numbers (Power Query reads them as decimals), dates YYYY-MM-DD. */
export const JournalFeedRow = z.object({
  date: z.string(),
  number: z.string(),
  type: InvoiceType,
  customerCode: z.string(),
  customerName: z.string(),
  netEuros: z.number(),
  vatEuros: z.number(),
  grossEuros: z.number(),
  paidEuros: z.number(),
  status: InvoiceStatus,
  dueDate: z.string().nullable(),
  correctedInvoice: z.string().nullable(),
});
export type JournalFeedRow = z.infer<typeof JournalFeedRow>;
