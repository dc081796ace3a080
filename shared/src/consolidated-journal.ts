/**
 * The consolidated sales journal: the journals of several (or all) of the caller's companies in
 * one table, each row naming its company, with the totals of each company and of them all.
 */
import { z } from "zod";
import { InvoiceFilters } from "./schemas.js";
import { JournalRow, JournalTotals } from "./resources.js";

/** Most companies one consolidated journal names (the query string stays under 16 KB); `all` has no limit. */
export const MAX_JOURNAL_COMPANIES = 200;
const CompanyId = /^[0-9A-Za-z_-]{1,64}$/;

export const JournalCompanies = z
  .string()
  .max(MAX_JOURNAL_COMPANIES * 65)
  .transform((value, ctx): "all" | string[] => {
    if (value === "all") return "all";
    const ids = value.split(",");
    if (ids.length > MAX_JOURNAL_COMPANIES) {
      ctx.addIssue({ code: "custom", message: `must name at most ${MAX_JOURNAL_COMPANIES} companies (or be all)` });
      return z.NEVER;
    }
    if (!ids.every((id) => CompanyId.test(id))) {
      ctx.addIssue({ code: "custom", message: "must be all, or company ids separated by commas" });
      return z.NEVER;
    }
    if (new Set(ids).size !== ids.length) {
      ctx.addIssue({ code: "custom", message: "must name each company once" });
      return z.NEVER;
    }
    return ids;
  })
  .optional()
  .describe("`all` (every company of the caller, as without it) or company ids separated by commas, at most 200");

export const ConsolidatedJournalQuery = InvoiceFilters.omit({ customerId: true }).extend({ companies: JournalCompanies });

export const ConsolidatedJournalRow = JournalRow.extend({
  companyId: z.string(),
  companyName: z.string(),
  siren: z.string(),
});

export const CompanyJournalTotals = z.object({
  companyId: z.string(),
  companyName: z.string(),
  siren: z.string(),
  lastSeq: z.number().describe("The company's newest change sequence when the totals were read: follow its feed from there"),
  totals: JournalTotals.describe("Equal to the `totals` of the company's own sales journal with the same filter"),
});

export const ConsolidatedJournal = z.object({
  items: z.array(ConsolidatedJournalRow),
  nextCursor: z.string().nullable(),
  companies: z.array(CompanyJournalTotals).describe("Every company of the journal, by name, even those without a row"),
  totals: JournalTotals.describe("The sum of the companies' totals"),
});

export type ConsolidatedJournalQuery = z.input<typeof ConsolidatedJournalQuery>;
export type ConsolidatedJournalRow = z.infer<typeof ConsolidatedJournalRow>;
export type CompanyJournalTotals = z.infer<typeof CompanyJournalTotals>;
export type ConsolidatedJournal = z.infer<typeof ConsolidatedJournal>;
