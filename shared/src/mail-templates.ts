/**
 * The company's templates for the e-mails sending a document: the defaults in French and English,
 * the placeholders and how they are filled from the document. No schema library here: the
 * invoicing view loads this module.
 */
import { formatDateFr, formatEuros } from "./format.js";

/** The kinds of document e-mail (the API's `MailTemplateKind`): sending a document or a quote, and the three reminders of an unpaid invoice. */
type DocumentKind = "invoice" | "credit_note" | "quote" | "reminder_1" | "reminder_2" | "reminder_3";
export type MailLanguage = "fr" | "en";

export interface MailTemplateText {
  subject: string;
  body: string;
}

/** What a template may name, each written `{name}`. */
export const MAIL_PLACEHOLDERS = ["number", "amount", "issueDate", "dueDate", "company", "customer", "creditedNumber", "amountDue", "daysLate", "penaltyRate", "validUntil"] as const;
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
    reminder_1: {
      subject: "Rappel : facture {number} — {company}",
      body: "Bonjour,\n\nSauf erreur de notre part, la facture {number} du {issueDate}, échue le {dueDate}, reste à régler pour {amountDue}. Vous la trouverez ci-jointe.\n\nSi votre paiement est déjà parti, merci de ne pas tenir compte de ce message.\n\nCordialement,\n{company}",
    },
    reminder_2: {
      subject: "Deuxième relance : facture {number} — {company}",
      body: "Bonjour,\n\nMalgré notre premier rappel, la facture {number} du {issueDate}, échue le {dueDate}, reste impayée depuis {daysLate} jours : {amountDue} restent dus. Vous la trouverez ci-jointe.\n\nMerci de procéder au règlement dans les meilleurs délais, ou de nous indiquer ce qui l'empêche.\n\nCordialement,\n{company}",
    },
    reminder_3: {
      subject: "Mise en demeure de payer : facture {number} — {company}",
      body: "Madame, Monsieur,\n\nMalgré nos relances, la facture {number} du {issueDate}, échue le {dueDate}, reste impayée depuis {daysLate} jours. Nous vous mettons en demeure de régler la somme de {amountDue} sous huit jours à compter de ce message.\n\nConformément à l'article L441-10 du Code de commerce et aux conditions de la facture, ce retard fait courir des pénalités de retard ({penaltyRate}), exigibles dès le lendemain de l'échéance, et l'indemnité forfaitaire pour frais de recouvrement de 40 € (art. D441-5 du Code de commerce) est due.\n\nÀ défaut de paiement dans ce délai, nous engagerons sans autre avis les démarches de recouvrement.\n\n{company}",
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
    reminder_1: {
      subject: "Reminder: invoice {number} — {company}",
      body: "Hello,\n\nUnless we are mistaken, invoice {number} of {issueDate}, due on {dueDate}, still has {amountDue} to pay. Please find it attached.\n\nIf your payment is already on its way, please disregard this message.\n\nKind regards,\n{company}",
    },
    reminder_2: {
      subject: "Second reminder: invoice {number} — {company}",
      body: "Hello,\n\nDespite our first reminder, invoice {number} of {issueDate}, due on {dueDate}, has been unpaid for {daysLate} days: {amountDue} is still due. Please find it attached.\n\nPlease pay it as soon as possible, or tell us what prevents it.\n\nKind regards,\n{company}",
    },
    reminder_3: {
      subject: "Formal notice to pay: invoice {number} — {company}",
      body: "Dear Sir or Madam,\n\nDespite our reminders, invoice {number} of {issueDate}, due on {dueDate}, has been unpaid for {daysLate} days. We hereby give you formal notice to pay {amountDue} within eight days of this message.\n\nUnder article L441-10 of the French Commercial Code and the terms of the invoice, late-payment penalties ({penaltyRate}) accrue from the day after the due date, and the fixed indemnity for recovery costs of 40 € (art. D441-5) is due.\n\nFailing payment within this time, we will start recovery proceedings without further notice.\n\n{company}",
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
  /** What is still to pay, the days since the due date and the invoice's late-payment penalty rate: for reminders. */
  dueCents?: number;
  daysLate?: number;
  penaltyRate?: string | null;
}

/** The penalty rate a reminder states: the seller's own wording on the invoice, else the legal floor (as the PDF prints it). */
export function penaltyRateText(rate: string | null | undefined): string {
  return rate?.trim() || "trois fois le taux d'intérêt légal";
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
    amountDue: d.dueCents === undefined ? "" : formatEuros(d.dueCents),
    daysLate: d.daysLate === undefined ? "" : String(d.daysLate),
    penaltyRate: penaltyRateText(d.penaltyRate),
    validUntil: d.validUntil ? formatDateFr(d.validUntil) : "",
  };
}

/** The template with each placeholder replaced by its value (names that are not placeholders stay as typed). */
export function fillTemplate(text: string, values: Record<MailPlaceholder, string>): string {
  return text.replace(PLACEHOLDER, (whole, name: string) => ((MAIL_PLACEHOLDERS as readonly string[]).includes(name) ? values[name as MailPlaceholder] : whole));
}

