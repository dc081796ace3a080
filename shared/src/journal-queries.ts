/**
 * Saved journal queries: a name, a period (fixed dates, or one that rolls with the calendar such
 * as "the current month") and the journal's filters, kept by the company and read as a feed by a
 * spreadsheet (Excel's Data → From Web) that refreshes without the add-in.
 */
import { z } from "zod";
import { addDays, daysInMonth } from "./dates.js";
import { InvoiceStatus, InvoiceType, IsoDate, SearchTerm } from "./schemas.js";
import { plainText } from "./text.js";

/** Periods that move with today's date; `fixed` keeps the query's own `from`/`to`. */
export const ROLLING_PERIODS = ["current_month", "previous_month", "current_quarter", "previous_quarter", "current_fiscal_year", "previous_fiscal_year"] as const;
export type RollingPeriod = (typeof ROLLING_PERIODS)[number];
export const JournalQueryPeriod = z.enum([...ROLLING_PERIODS, "fixed"], {
  message: `must be one of ${[...ROLLING_PERIODS, "fixed"].join(", ")}`,
});
export type JournalQueryPeriod = z.infer<typeof JournalQueryPeriod>;

const pad = (n: number) => String(n).padStart(2, "0");
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

/**
 * The dates a rolling period covers on `today` (YYYY-MM-DD): months and quarters of the calendar,
 * fiscal years from the company's `fiscalYearStart` (MM-DD).
 */
export function rollingPeriodRange(period: RollingPeriod, today: string, fiscalYearStart: string): { from: string; to: string } {
  const [y, m] = today.split("-").map(Number) as [number, number];
  if (period === "current_month" || period === "previous_month") {
    const back = period === "previous_month" ? 1 : 0;
    const year = m - back < 1 ? y - 1 : y;
    const month = ((m - 1 - back + 12) % 12) + 1;
    return { from: iso(year, month, 1), to: iso(year, month, daysInMonth(year, month)) };
  }
  if (period === "current_quarter" || period === "previous_quarter") {
    let q = Math.floor((m - 1) / 3) - (period === "previous_quarter" ? 1 : 0);
    let year = y;
    if (q < 0) {
      q = 3;
      year--;
    }
    const first = q * 3 + 1;
    return { from: iso(year, first, 1), to: iso(year, first + 2, daysInMonth(year, first + 2)) };
  }
  const startYear = today >= `${y}-${fiscalYearStart}` ? y : y - 1;
  const start = period === "current_fiscal_year" ? startYear : startYear - 1;
  return { from: `${start}-${fiscalYearStart}`, to: addDays(`${start + 1}-${fiscalYearStart}`, -1) };
}

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
