/**
 * Sending an issued invoice or credit note to the customer by e-mail: what a template, a sending
 * and the proposed e-mail are on the wire, and what is recorded of a sending.
 */
import { z } from "zod";
import { Email } from "./schemas.js";
import { plainText } from "./text.js";
import { MAIL_PLACEHOLDERS, unknownPlaceholders } from "./mail-templates.js";

export const MailTemplateKind = z.enum(["invoice", "credit_note", "quote", "reminder_1", "reminder_2", "reminder_3"]);
export type MailTemplateKind = z.infer<typeof MailTemplateKind>;
const templateText = (max: number, multiline: boolean) =>
  plainText(max, { multiline })
    .min(1, { message: "must not be blank" })
    .superRefine((v, ctx) => {
      const unknown = unknownPlaceholders(v);
      if (unknown.length > 0) {
        ctx.addIssue({
          code: "custom",
          message: `${unknown.map((u) => `{${u}}`).join(", ")} is not a placeholder; use ${MAIL_PLACEHOLDERS.map((p) => `{${p}}`).join(", ")}`,
        });
      }
    });

export const MailTemplateInput = z.strictObject({ subject: templateText(200, false), body: templateText(5000, true) });
export type MailTemplateInput = z.infer<typeof MailTemplateInput>;

export const MailTemplate = z.object({
  kind: MailTemplateKind,
  subject: z.string(),
  body: z.string(),
  /** false while the company uses the French default. */
  custom: z.boolean(),
});
export type MailTemplate = z.infer<typeof MailTemplate>;

export const MAX_RECIPIENTS = 20;

/** Recipients of one sending: each an e-mail address, each once. */
export const Recipients = z
  .array(Email)
  .min(1, { message: "must name at least one recipient" })
  .max(MAX_RECIPIENTS, { message: `must name at most ${MAX_RECIPIENTS} recipients` })
  .superRefine((to, ctx) => {
    to.forEach((address, i) => {
      if (to.indexOf(address) !== i) ctx.addIssue({ code: "custom", message: "is already a recipient", path: [i] });
    });
  });

/** 1: courtesy reminder, 2: second reminder, 3: formal notice (mise en demeure). */
export const ReminderLevel = z.union([z.literal(1), z.literal(2), z.literal(3)]);
export type ReminderLevel = z.infer<typeof ReminderLevel>;

export const InvoiceSendingInput = z.strictObject({
  to: Recipients,
  subject: plainText(200).min(1, { message: "must not be blank" }),
  message: plainText(10_000, { multiline: true }).min(1, { message: "must not be blank" }),
  /** A reminder of an unpaid invoice, at this level; left out for sending the document itself. */
  reminderLevel: ReminderLevel.optional(),
});
export type InvoiceSendingInput = z.infer<typeof InvoiceSendingInput>;

/** The e-mail proposed for a document: the customer's address, the company's template filled in, the attachment's name. */
export const InvoiceEmailDraft = z.object({
  to: z.array(z.string()),
  subject: z.string(),
  message: z.string(),
  attachmentName: z.string(),
});
export type InvoiceEmailDraft = z.infer<typeof InvoiceEmailDraft>;

export const SendingStatus = z.enum(["sending", "sent", "retrying", "failed"]);
export type SendingStatus = z.infer<typeof SendingStatus>;

export const InvoiceSending = z.object({
  id: z.string(),
  invoiceId: z.string(),
  to: z.array(z.string()),
  subject: z.string(),
  message: z.string(),
  attachmentName: z.string(),
  /** Decided before the first attempt: every attempt carries it, so the message is recognisably one. */
  messageId: z.string(),
  status: SendingStatus,
  attempts: z.number().int(),
  error: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  sentBy: z.object({ id: z.string(), name: z.string() }),
  /** The reminder's level, null when the document itself was sent. */
  reminderLevel: ReminderLevel.nullable(),
  /** Sent by the company's automatic reminders rather than by hand. */
  automatic: z.boolean(),
});
export type InvoiceSending = z.infer<typeof InvoiceSending>;

/** A sending of a quote: the same record, naming the quote. */
export const QuoteSending = InvoiceSending.omit({ invoiceId: true, reminderLevel: true, automatic: true }).extend({ quoteId: z.string() });
export type QuoteSending = z.infer<typeof QuoteSending>;
