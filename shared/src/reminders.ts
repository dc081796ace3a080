/**
 * Overdue invoices and their reminders: the overdue list, the dispute that stops automatic
 * reminders, and the company's automatic reminder days.
 */
import { z } from "zod";
import { plainText } from "./text.js";
import { ReminderLevel } from "./invoice-mail.js";

/** `dueDate`: oldest due date first, so the most days late first; `amountDue`: most still due first. */
export const OverdueSort = z.enum(["dueDate", "amountDue"]);
export type OverdueSort = z.infer<typeof OverdueSort>;
export const OverdueQuery = z.strictObject({ sort: OverdueSort.optional() });
export type OverdueQuery = z.input<typeof OverdueQuery>;

export const OverdueInvoice = z.object({
  id: z.string(),
  number: z.string(),
  customer: z.object({ id: z.string(), code: z.string(), name: z.string() }),
  issueDate: z.string(),
  dueDate: z.string(),
  ttcCents: z.number().int(),
  dueCents: z.number().int(),
  /** Days since the due date, in the company's business day. */
  daysLate: z.number().int(),
  disputed: z.boolean(),
  /** The latest reminder recorded, whatever its delivery. */
  lastReminder: z.object({ level: ReminderLevel, at: z.string(), automatic: z.boolean() }).nullable(),
});
export type OverdueInvoice = z.infer<typeof OverdueInvoice>;

export const OverdueList = z.object({
  items: z.array(OverdueInvoice),
  totals: z.object({ count: z.number().int(), dueCents: z.number().int() }),
});
export type OverdueList = z.infer<typeof OverdueList>;

export const DisputeInput = z.strictObject({
  disputed: z.boolean(),
  /** Why the customer contests the invoice (kept with the dispute). */
  reason: plainText(500)
    .transform((v) => v || undefined)
    .optional(),
});
export type DisputeInput = z.input<typeof DisputeInput>;

export const Dispute = z.object({
  invoiceId: z.string(),
  disputed: z.boolean(),
  reason: z.string().nullable(),
  /** When and by whom the invoice was marked disputed, or the dispute lifted; null when it never was. */
  since: z.string().nullable(),
  by: z.object({ id: z.string(), name: z.string() }).nullable(),
});
export type Dispute = z.infer<typeof Dispute>;

export const REMINDER_LEVELS = [1, 2, 3] as const;

/** Days after the due date for each level, strictly increasing. */
export const ReminderDays = z
  .array(z.number().int().min(1, { message: "must be at least 1 day" }).max(365, { message: "must be at most 365 days" }))
  .length(3, { message: "must give the days of the three levels" })
  .superRefine((days, ctx) => {
    days.forEach((d, i) => {
      if (i > 0 && d <= days[i - 1]!) ctx.addIssue({ code: "custom", message: "must come after the previous level's day", path: [i] });
    });
  });

export const ReminderSettingsInput = z.strictObject({ automatic: z.boolean(), days: ReminderDays });
export type ReminderSettingsInput = z.input<typeof ReminderSettingsInput>;

export const ReminderSettings = z.object({
  automatic: z.boolean(),
  days: z.array(z.number().int()),
  /** Who last changed them; automatic reminders are sent in that owner's name (replies go to them). */
  updatedBy: z.object({ id: z.string(), name: z.string() }).nullable(),
  updatedAt: z.string().nullable(),
});
export type ReminderSettings = z.infer<typeof ReminderSettings>;

export const DEFAULT_REMINDER_DAYS = [7, 21, 45] as const;
