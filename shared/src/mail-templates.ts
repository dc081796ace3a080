/**
 * The company's templates for the e-mails sending a document: the defaults in French and English,
 * the placeholders and how they are filled from the document. No schema library here: the
 * invoicing view loads this module.
 */
import { formatDateFr, formatEuros } from "./format.js";

/** The kinds of document e-mail (the API's `MailTemplateKind`). */
type DocumentKind = "invoice" | "credit_note" | "quote";
export type MailLanguage = "fr" | "en";

export interface MailTemplateText {
  subject: string;
  body: string;
}

/** What a template may name, each written `{name}`. */
export const MAIL_PLACEHOLDERS = ["number", "amount", "issueDate", "dueDate", "company", "customer", "creditedNumber", "validUntil"] as const;
export type MailPlaceholder = (typeof MAIL_PLACEHOLDERS)[number];

/** The templates a company starts from, in French (used until the owner saves one) and English. */
export const DEFAULT_MAIL_TEMPLATES: Record<MailLanguage, Record<DocumentKind, MailTemplateText>> = {
  fr: {
    invoice: {
      subject: "Facture {number} — {company}",
      body: "Bonjour,\n\nVeuillez trouver ci-joint la facture {number} du {issueDate}, d'un montant de {amount} TTC, à régler au plus tard le {dueDate}.\n\nNous restons à votre disposition pour toute question.\n\nCordialement,\n{company}",
    },
    credit_note: {
      subject: "Avoir {number} — {company}",
      body: "Bonjour,\n\nVeuillez trouver ci-joint l'avoir {number} du {issueDate}, d'un montant de {amount} TTC, qui corrige la facture {creditedNumber}.\n\nNous restons à votre disposition pour toute question.\n\nCordialement,\n{company}",
    },
    quote: {
      subject: "Devis {number} — {company}",
      body: "Bonjour,\n\nVeuillez trouver ci-joint notre devis {number} du {issueDate}, d'un montant de {amount} TTC, valable jusqu'au {validUntil}.\n\nPour l'accepter, retournez-le daté et signé avec la mention « Bon pour accord ».\n\nCordialement,\n{company}",
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
    quote: {
      subject: "Quote {number} — {company}",
      body: "Hello,\n\nPlease find attached our quote {number} of {issueDate}, for {amount} including VAT, valid until {validUntil}.\n\nTo accept it, send it back dated and signed with the words “Bon pour accord”.\n\nKind regards,\n{company}",
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
  /** A quote's validity date. */
  validUntil?: string | null | undefined;
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
    validUntil: d.validUntil ? formatDateFr(d.validUntil) : "",
  };
}

/** The template with each placeholder replaced by its value (names that are not placeholders stay as typed). */
export function fillTemplate(text: string, values: Record<MailPlaceholder, string>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => ((MAIL_PLACEHOLDERS as readonly string[]).includes(name) ? values[name as MailPlaceholder] : whole));
}

