/**
 * Sending an issued invoice or credit note to the customer: the proposed e-mail, the record of each
 * sending (to whom, what, by whom, its Message-ID) and the list of a document's sendings.
 */
import { daysBetween, fillTemplate, placeholderValues, type Invoice, type InvoiceEmailDraft, type InvoiceSending, type InvoiceSendingInput, type QuoteSending, type ReminderLevel, type SendingStatus } from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import type { UseCaseContext } from "../context.js";
import { inTransaction } from "../db/connection.js";
import { invoiceRow, loadInvoice } from "../db/invoices.js";
import { newId } from "../db/ids.js";
import { today } from "../clock.js";
import { conflict, notFound } from "../http/problem.js";
import { invoicePdfFileName } from "../exports/invoice-pdf.js";
import { sendingMessageId } from "../mail/invoice-email.js";
import { companyRow } from "./companies.js";
import { mailTemplate } from "./mail-templates.js";

/** The columns a sending of any document has (invoice_sendings, quote_sendings), with its sender's name. */
export interface DocumentSendingRow {
  id: string;
  recipients_json: string;
  subject: string;
  message: string;
  attachment_name: string;
  message_id: string;
  sent_by: string;
  sent_by_name: string;
  created_at: string;
  status: SendingStatus;
  attempts: number;
  last_error: string | null;
  next_attempt_at: string | null;
  sent_at: string | null;
}

export interface SendingRow extends DocumentSendingRow {
  pk: number;
  company_id: string;
  invoice_id: string;
  reminder_level: ReminderLevel | null;
  automatic: number;
}

export const SELECT_SENDING = "SELECT s.*, u.name AS sent_by_name FROM invoice_sendings s JOIN users u ON u.id = s.sent_by";

/** What a sending of any document says: to whom, what, where its delivery stands, who sent it. */
export function documentSendingOf(row: DocumentSendingRow): Omit<QuoteSending, "quoteId"> {
  return {
    id: row.id,
    to: JSON.parse(row.recipients_json) as string[],
    subject: row.subject,
    message: row.message,
    attachmentName: row.attachment_name,
    messageId: row.message_id,
    status: row.status,
    attempts: row.attempts,
    error: row.last_error,
    nextAttemptAt: row.next_attempt_at,
    createdAt: row.created_at,
    sentAt: row.sent_at,
    sentBy: { id: row.sent_by, name: row.sent_by_name },
  };
}

export function sendingOf(row: SendingRow): InvoiceSending {
  return { ...documentSendingOf(row), invoiceId: row.invoice_id, reminderLevel: row.reminder_level, automatic: row.automatic === 1 };
}

/** An issued document; a draft has no number nor Factur-X PDF to send yet (409). */
function issuedDocument(db: Db, companyId: string, invoiceId: string): Invoice & { number: string; issueDate: string } {
  const invoice = loadInvoice(db, companyId, invoiceId);
  if (invoice.status === "draft" || !invoice.number || !invoice.issueDate) throw conflict("This draft has no number yet: issue it first, then send it.");
  return invoice as Invoice & { number: string; issueDate: string };
}

/** An invoice a reminder can be about: issued, something still to pay, its due date before `today` (409 otherwise). */
function remindable(invoice: Invoice, today: string): void {
  if (invoice.type !== "invoice") throw conflict("A credit note asks for no payment: there is nothing to remind.");
  if (invoice.dueCents <= 0) throw conflict("Nothing is left to pay on this invoice: there is nothing to remind.");
  if (!invoice.dueDate || invoice.dueDate >= today) throw conflict(`This invoice is not overdue: it is due on ${invoice.dueDate ?? "no date"}.`);
}

/**
 * The e-mail proposed for the document, or for a reminder of it at `reminderLevel`: to the
 * customer's address, the company's template filled in (a reminder's with what is still due, the
 * days late on `today` and the late-payment penalty rate the invoice states).
 */
export function emailDraft(db: Db, companyId: string, invoiceId: string, reminder?: { level: ReminderLevel; today: string }): InvoiceEmailDraft {
  const invoice = issuedDocument(db, companyId, invoiceId);
  if (reminder) remindable(invoice, reminder.today);
  const template = mailTemplate(db, companyId, reminder ? `reminder_${reminder.level}` : invoice.type === "credit_note" ? "credit_note" : "invoice");
  const seller = JSON.parse(invoiceRow(db, companyId, invoiceId).seller_snapshot ?? "{}") as { latePenaltyRate?: string | null };
  const customerEmail = db.prepare("SELECT email FROM customers WHERE company_id = ? AND id = ?").pluck().get(companyId, invoice.customer.id) as string | null;
  const values = placeholderValues({
    number: invoice.number,
    ttcCents: invoice.totals.ttcCents,
    issueDate: invoice.issueDate,
    dueDate: invoice.dueDate,
    companyName: companyRow(db, companyId).name,
    customerName: invoice.customer.name,
    creditedNumber: invoice.creditedInvoiceNumber ?? null,
    dueCents: invoice.dueCents,
    daysLate: reminder && invoice.dueDate ? Math.max(0, daysBetween(invoice.dueDate, reminder.today)) : 0,
    penaltyRate: seller.latePenaltyRate ?? null,
  });
  return {
    to: customerEmail ? [customerEmail] : [],
    subject: fillTemplate(template.subject, values),
    message: fillTemplate(template.body, values),
    attachmentName: invoicePdfFileName(invoice, invoiceId),
  };
}

interface NewSending {
  id: string;
  companyId: string;
  invoiceId: string;
  to: string[];
  subject: string;
  message: string;
  attachmentName: string;
  sentBy: string;
  createdAt: string;
  claim: string;
  leaseUntil: string;
  reminderLevel: ReminderLevel | null;
  automatic: boolean;
}

/** Inserts the sending unless it is an automatic reminder of a level the invoice already has (the unique index); returns whether it did. */
function insertSending(db: Db, mailFrom: string, s: NewSending): boolean {
  return (
    db
      .prepare(
        `INSERT INTO invoice_sendings (id, company_id, invoice_id, recipients_json, subject, message, attachment_name, message_id, sent_by,
           created_at, status, claim, lease_until, reminder_level, automatic)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'sending', ?, ?, ?, ?)
         ON CONFLICT DO NOTHING`,
      )
      .run(
        s.id,
        s.companyId,
        s.invoiceId,
        JSON.stringify(s.to),
        s.subject,
        s.message,
        s.attachmentName,
        sendingMessageId(s.id, mailFrom),
        s.sentBy,
        s.createdAt,
        s.claim,
        s.leaseUntil,
        s.reminderLevel,
        s.automatic ? 1 : 0,
      ).changes === 1
  );
}

/**
 * Records a sending, its Message-ID decided now, claimed for its first attempt by `claim` until
 * `leaseUntil` (see invoice-sending-delivery.ts).
 */
export function recordSending(ctx: UseCaseContext, companyId: string, invoiceId: string, input: InvoiceSendingInput, claim: string, leaseUntil: Date): string {
  return inTransaction(ctx.db, () => {
    const invoice = issuedDocument(ctx.db, companyId, invoiceId);
    if (input.reminderLevel !== undefined) remindable(invoice, today(ctx.clock, ctx.config.timeZone));
    const id = newId();
    insertSending(ctx.db, ctx.config.mailFrom, {
      id,
      companyId,
      invoiceId,
      to: input.to,
      subject: input.subject,
      message: input.message,
      attachmentName: invoicePdfFileName(invoice, invoiceId),
      sentBy: ctx.actorId,
      createdAt: ctx.clock.now().toISOString(),
      claim,
      leaseUntil: leaseUntil.toISOString(),
      reminderLevel: input.reminderLevel ?? null,
      automatic: false,
    });
    return id;
  });
}

/**
 * Records the automatic reminder of `level` for the invoice, in the name of `sentBy`, its e-mail
 * the company's template filled in for `today`, claimed for its first attempt; null when the
 * invoice has that level already (recorded by another process, or before a restart).
 */
export function recordAutomaticReminder(
  ctx: UseCaseContext,
  companyId: string,
  invoiceId: string,
  level: ReminderLevel,
  today: string,
  claim: string,
  leaseUntil: Date,
): string | null {
  return inTransaction(ctx.db, () => {
    const draft = emailDraft(ctx.db, companyId, invoiceId, { level, today });
    if (draft.to.length === 0) return null;
    const id = newId();
    const recorded = insertSending(ctx.db, ctx.config.mailFrom, {
      id,
      companyId,
      invoiceId,
      to: draft.to,
      subject: draft.subject,
      message: draft.message,
      attachmentName: draft.attachmentName,
      sentBy: ctx.actorId,
      createdAt: ctx.clock.now().toISOString(),
      claim,
      leaseUntil: leaseUntil.toISOString(),
      reminderLevel: level,
      automatic: true,
    });
    return recorded ? id : null;
  });
}

export function getSending(db: Db, companyId: string, sendingId: string): InvoiceSending {
  const row = db.prepare(`${SELECT_SENDING} WHERE s.company_id = ? AND s.id = ?`).get(companyId, sendingId) as SendingRow | undefined;
  if (!row) throw notFound("sending");
  return sendingOf(row);
}

/** The document's sendings, newest first. */
export function listSendings(db: Db, companyId: string, invoiceId: string): InvoiceSending[] {
  loadInvoice(db, companyId, invoiceId);
  const rows = db.prepare(`${SELECT_SENDING} WHERE s.company_id = ? AND s.invoice_id = ? ORDER BY s.created_at DESC, s.pk DESC`).all(companyId, invoiceId) as SendingRow[];
  return rows.map(sendingOf);
}
