/**
 * Sending an issued invoice or credit note to the customer by e-mail: the company's templates for
 * the subject and message (placeholders filled from the document), what a sending asks for and
 * what is recorded of it.
 */
import { z } from "zod";
import { Email } from "./schemas.js";
import { plainText } from "./text.js";
import { formatDateFr, formatEuros } from "./format.js";

export const MailTemplateKind = z.enum(["invoice", "credit_note"]);
export type MailTemplateKind = z.infer<typeof MailTemplateKind>;
export type MailLanguage = "fr" | "en";

export interface MailTemplateText {
  subject: string;
  body: string;
}

/** What a template may name, each written `{name}`. */
export const MAIL_PLACEHOLDERS = ["number", "amount", "issueDate", "dueDate", "company", "customer", "creditedNumber"] as const;
export type MailPlaceholder = (typeof MAIL_PLACEHOLDERS)[number];

/** The templates a company starts from, in French (used until the owner saves one) and English. */
export const DEFAULT_MAIL_TEMPLATES: Record<MailLanguage, Record<MailTemplateKind, MailTemplateText>> = {
  fr: {
    invoice: {
      subject: "Facture {number} — {company}",
      body: "Bonjour,\n\nVeuillez trouver ci-joint la facture {number} du {issueDate}, d'un montant de {amount} TTC, à régler au plus tard le {dueDate}.\n\nNous restons à votre disposition pour toute question.\n\nCordialement,\n{company}",
    },
    credit_note: {
      subject: "Avoir {number} — {company}",
      body: "Bonjour,\n\nVeuillez trouver ci-joint l'avoir {number} du {issueDate}, d'un montant de {amount} TTC, qui corrige la facture {creditedNumber}.\n\nNous restons à votre disposition pour toute question.\n\nCordialement,\n{company}",
    },
  },
  en: {
    invoice: {
      subject: "Invoice {number} — {company}",
      body: "Hello,\n\nPlease find attached invoice {number} of {issueDate}, for {amount} including VAT, due by {dueDate}.\n\nDo not hesitate to contact us with any question.\n\nKind regards,\n{company}",
    },
    credit_note: {
      subject: "Credit note {number} — {company}",
      body: "Hello,\n\nPlease find attached credit note {number} of {issueDate}, for {amount} including VAT, correcting invoice {creditedNumber}.\n\nDo not hesitate to contact us with any question.\n\nKind regards,\n{company}",
    },
  },
};

const PLACEHOLDER = /\{([^{}\s]{1,40})\}/g;

/** The `{names}` of `text` that are not placeholders, in order of appearance, each once. */
export function unknownPlaceholders(text: string): string[] {
  const unknown = [...text.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((name) => !(MAIL_PLACEHOLDERS as readonly string[]).includes(name));
  return [...new Set(unknown)];
}

/** What fills the placeholders, from the document. */
export interface MailDocumentFacts {
  number: string;
  ttcCents: number;
  issueDate: string;
  dueDate: string | null;
  companyName: string;
  customerName: string;
  creditedNumber: string | null;
}

export function placeholderValues(d: MailDocumentFacts): Record<MailPlaceholder, string> {
  return {
    number: d.number,
    amount: formatEuros(d.ttcCents),
    issueDate: formatDateFr(d.issueDate),
    dueDate: d.dueDate ? formatDateFr(d.dueDate) : "",
    company: d.companyName,
    customer: d.customerName,
    creditedNumber: d.creditedNumber ?? "",
  };
}

/** The template with each placeholder replaced by its value (names that are not placeholders stay as typed). */
export function fillTemplate(text: string, values: Record<MailPlaceholder, string>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => ((MAIL_PLACEHOLDERS as readonly string[]).includes(name) ? values[name as MailPlaceholder] : whole));
}

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

export const InvoiceSendingInput = z.strictObject({
  to: Recipients,
  subject: plainText(200).min(1, { message: "must not be blank" }),
  message: plainText(10_000, { multiline: true }).min(1, { message: "must not be blank" }),
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
});
export type InvoiceSending = z.infer<typeof InvoiceSending>;
