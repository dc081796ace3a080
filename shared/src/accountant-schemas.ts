/** What the accountant's layer accepts: query strings and bodies of the journal, entries, locks, audit log and change feed. */
import { z } from "zod";
import { Cursor, InvoiceFilters, IsoDate, Limit } from "./schemas.js";
import { plainText } from "./text.js";

export const JournalCodesQuery = z
  .string()
  .regex(/^[A-Z0-9]{1,8}(,[A-Z0-9]{1,8})*$/, { message: "must be journal codes separated by commas, e.g. VE,BQ" });

export const EntriesQuery = z.strictObject({
  journal: JournalCodesQuery.optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  limit: Limit.optional(),
  cursor: Cursor.optional(),
});

export const LockKind = z.enum(["soft", "hard"]);
export const LockInput = z.strictObject({ until: IsoDate, kind: LockKind });
export const ReopenInput = z.strictObject({
  to: IsoDate.nullable().describe("The new lock date (null: nothing stays locked); must not be before a hard close"),
  reason: plainText(500, { multiline: true }).min(3, { message: "is required: say why the period is reopened (at least 3 characters)" }),
});

export const AuditLogQuery = z.strictObject({
  actor: z.string().max(64).optional().describe("User id"),
  kind: z
    .string()
    .max(64)
    .regex(/^[a-z_]+(\.[a-z_]+)?$/, { message: "must be an action or its prefix, e.g. invoice or invoice.issued" })
    .optional(),
  from: IsoDate.optional(),
  to: IsoDate.optional(),
  limit: Limit.optional(),
  cursor: Cursor.optional(),
});

export const Sequence = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export const ChangesQuery = z.strictObject({ since: Sequence.default(0), limit: Limit.optional() });
/** The sales journal's query: the invoice filters, and optionally only the documents changed after a sequence of the change feed. */
export const SalesJournalQuery = InvoiceFilters.extend({
  changedSince: Sequence.optional().describe(
    "Only the documents changed after this sequence of the change feed (issued, paid, credited, reminded…); `changedIds` then lists every such document, matching the filter or not",
  ),
});
export const EventsQuery = z.strictObject({
  since: Sequence.optional().describe("Start after this sequence (the `Last-Event-ID` header wins); default: only changes from now on"),
  heartbeat: z.coerce.number().int().min(1).max(300).default(15).describe("Seconds between heartbeat comments"),
});

/** Most companies one `GET /events?companies=…` names (the query string stays under 8 KB); without the list, the stream follows every company of the caller. */
export const MAX_STREAM_COMPANIES = 200;
const FollowedCompany = /^[0-9A-Za-z_-]{1,64}(:\d{1,15})?$/;
export const MultiEventsQuery = z.strictObject({
  companies: z
    .string()
    .max(MAX_STREAM_COMPANIES * 81)
    .transform((value, ctx) => {
      const parts = value.split(",");
      if (parts.length > MAX_STREAM_COMPANIES) {
        ctx.addIssue({ code: "custom", message: `must name at most ${MAX_STREAM_COMPANIES} companies (leave it out to follow all of yours)` });
        return z.NEVER;
      }
      const followed = new Map<string, number | null>();
      for (const part of parts) {
        if (!FollowedCompany.test(part)) {
          ctx.addIssue({ code: "custom", message: "must be company ids separated by commas, each optionally followed by :sequence (start after it)" });
          return z.NEVER;
        }
        const [id, seq] = part.split(":") as [string, string | undefined];
        followed.set(id, seq === undefined ? null : Number(seq));
      }
      return followed;
    })
    .optional()
    .describe("Company ids separated by commas, each optionally `id:seq` to start after that sequence (default: only changes from now on); at most 200. Without it: every company of the caller."),
  heartbeat: z.coerce.number().int().min(1).max(300).default(15).describe("Seconds between heartbeat comments"),
});

export type EntriesQuery = z.input<typeof EntriesQuery>;
export type LockKind = z.infer<typeof LockKind>;
export type LockInput = z.input<typeof LockInput>;
export type ReopenInput = z.input<typeof ReopenInput>;
export type AuditLogQuery = z.input<typeof AuditLogQuery>;
