/** Month-end across an accountant's portfolio: what stands in the way of locking each company, and locking many at once. */
import { z } from "zod";
import { IsoDate } from "./schemas.js";
import { LockKind } from "./accountant-schemas.js";

/** Most companies one batch lock names (an accountant's whole portfolio). */
export const MAX_BATCH_COMPANIES = 1000;

export const CompanyIdRef = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, { message: "must be a company id" });

/** Most companies one month-end query says it refreshed (the query string stays under 8 KB). */
export const MAX_REFRESHED_COMPANIES = 80;
const Refreshed = /^([0-9A-Za-z_-]{1,64}):(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z)$/;

export const MonthEndQuery = z.strictObject({
  date: IsoDate.describe("The month-end (any date): the period that would be locked ends on it"),
  refreshed: z
    .string()
    .max(MAX_REFRESHED_COMPANIES * 90)
    .transform((value, ctx) => {
      const parts = value.split(",");
      if (parts.length > MAX_REFRESHED_COMPANIES) {
        ctx.addIssue({ code: "custom", message: `must name at most ${MAX_REFRESHED_COMPANIES} companies` });
        return z.NEVER;
      }
      const at: Record<string, string> = {};
      for (const part of parts) {
        const match = Refreshed.exec(part);
        const instant = match ? new Date(match[2]!) : null;
        if (!match || !instant || Number.isNaN(instant.getTime()) || instant.toISOString().slice(0, 19) !== match[2]!.slice(0, 19)) {
          ctx.addIssue({ code: "custom", message: "must be company ids separated by commas, each followed by : and a UTC instant, e.g. id:2026-12-01T09:30:00.000Z" });
          return z.NEVER;
        }
        at[match[1]!] = instant.toISOString();
      }
      return at;
    })
    .optional()
    .describe("When the caller's workbook last refreshed each company's tables, `id:2026-12-01T09:30:00.000Z,…` (at most 80): documents issued before it are not counted as new"),
});

export const MonthEndCompany = z.object({
  companyId: z.string(),
  name: z.string(),
  siren: z.string(),
  role: z.enum(["owner", "accountant"]),
  lockedUntil: z.string().nullable().describe("The lock in force (null: nothing locked)"),
  lockKind: LockKind.nullable(),
  hardUntil: z.string().nullable(),
  drafts: z.number().describe("Draft invoices and credit notes dated on or before `date` in the open period (after the lock)"),
  lastExportAt: z.string().nullable().describe("When the last FEC, sales journal or pack was exported (null: never)"),
  lastRefreshAt: z.string().nullable().describe("When the caller's workbook last refreshed this company, as sent in `refreshed`"),
  issuedSinceExport: z.number().describe("Invoices and credit notes dated on or before `date`, issued after the later of the last export and the last refresh (all of them if neither)"),
  unpaidCount: z.number().describe("Invoices dated on or before `date` with something still due"),
  unpaidCents: z.number().describe("What those invoices still owe, TTC"),
});

export const MonthEnd = z.object({
  date: z.string(),
  items: z.array(MonthEndCompany).describe("Every company of the caller, by name"),
});

export const BatchLockInput = z.strictObject({
  until: IsoDate.describe("Every company named is locked up to and including this date"),
  kind: LockKind.default("soft"),
  companies: z.array(CompanyIdRef).min(1, { message: "must name at least one company" }).max(MAX_BATCH_COMPANIES, { message: `must name at most ${MAX_BATCH_COMPANIES} companies` }),
  preview: z.boolean().default(false).describe("true: say what each lock would do and whether it would be refused, change nothing"),
});

export const LockPreview = z.object({
  from: z.string().nullable().describe("The first date newly locked (null: from the start)"),
  to: z.string(),
  documents: z.number().describe("Issued invoices and credit notes dated in the newly locked dates"),
  htCents: z.number(),
  vatCents: z.number(),
  ttcCents: z.number(),
  drafts: z.number().describe("Drafts dated in the newly locked dates: they can no longer be issued at their date"),
});

export const BatchLockResult = z.object({
  companyId: z.string(),
  name: z.string().nullable().describe("null for a company the caller cannot see"),
  outcome: z.enum(["locked", "would_lock", "refused"]),
  lockedUntil: z.string().nullable().describe("The lock in force after this request"),
  lockKind: LockKind.nullable(),
  preview: LockPreview.nullable(),
  problem: z
    .object({ status: z.number(), title: z.string(), detail: z.string().optional(), errors: z.array(z.object({ path: z.string(), message: z.string() })).optional() })
    .nullable()
    .describe("Why this company was refused, as its own lock route would have answered"),
});

export const BatchLockOut = z.object({
  until: z.string(),
  kind: LockKind,
  preview: z.boolean(),
  locked: z.number(),
  refused: z.number(),
  items: z.array(BatchLockResult).describe("One result per company named, in the order given"),
});

export type MonthEndQuery = z.input<typeof MonthEndQuery>;
export type MonthEndCompany = z.infer<typeof MonthEndCompany>;
export type MonthEnd = z.infer<typeof MonthEnd>;
export type BatchLockInput = z.input<typeof BatchLockInput>;
export type LockPreview = z.infer<typeof LockPreview>;
export type BatchLockResult = z.infer<typeof BatchLockResult>;
export type BatchLockOut = z.infer<typeof BatchLockOut>;
