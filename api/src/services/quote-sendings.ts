/**
 * Sending an issued quote to the customer: the proposed e-mail (the company's `quote` template), the
 * record of each sending and the list of a quote's sendings. Delivery is the invoices' (see
 * invoice-sending-delivery.ts, QUOTE_SENDINGS): same retries, same Message-ID rule.
 */
import { fillTemplate, placeholderValues, type InvoiceEmailDraft, type InvoiceSendingInput, type Quote, type QuoteSending } from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import type { UseCaseContext } from "../context.js";
import { inTransaction } from "../db/connection.js";
import { loadQuote } from "../db/quotes.js";
import { newId } from "../db/ids.js";
import { conflict, notFound } from "../http/problem.js";
import { today } from "../clock.js";
import { invoicePdfFileName } from "../exports/invoice-pdf.js";
import { sendingMessageId } from "../mail/invoice-email.js";
import { recordActivity } from "./activity.js";
import { companyRow } from "./companies.js";
import { mailTemplate } from "./mail-templates.js";
import { documentSendingOf, type DocumentSendingRow } from "./invoice-sendings.js";

interface SendingRow extends DocumentSendingRow {
  quote_id: string;
}

const SELECT_SENDING = "SELECT s.*, u.name AS sent_by_name FROM quote_sendings s JOIN users u ON u.id = s.sent_by";

function sendingOf(row: SendingRow): QuoteSending {
  return { ...documentSendingOf(row), quoteId: row.quote_id };
}

/** An issued quote (whatever the answer since); a draft has no number nor final PDF to send yet (409). */
function issuedQuote(db: Db, companyId: string, quoteId: string, on: string): Quote & { number: string; issueDate: string } {
  const quote = loadQuote(db, companyId, quoteId, on);
  if (quote.status === "draft" || !quote.number || !quote.issueDate) throw conflict("This draft quote has no number yet: issue it first, then send it.");
  return quote as Quote & { number: string; issueDate: string };
}

export function quoteEmailDraft(db: Db, companyId: string, quoteId: string, on: string): InvoiceEmailDraft {
  const quote = issuedQuote(db, companyId, quoteId, on);
  const template = mailTemplate(db, companyId, "quote");
  const customerEmail = db.prepare("SELECT email FROM customers WHERE company_id = ? AND id = ?").pluck().get(companyId, quote.customer.id) as string | null;
  const values = placeholderValues({
    number: quote.number,
    ttcCents: quote.totals.ttcCents,
    issueDate: quote.issueDate,
    dueDate: null,
    companyName: companyRow(db, companyId).name,
    customerName: quote.customer.name,
    creditedNumber: null,
    validUntil: quote.validUntil,
  });
  return {
    to: customerEmail ? [customerEmail] : [],
    subject: fillTemplate(template.subject, values),
    message: fillTemplate(template.body, values),
    attachmentName: invoicePdfFileName(quote, quoteId),
  };
}

/** Records a sending of the quote, claimed for its first attempt by `claim` until `leaseUntil`. */
export function recordQuoteSending(ctx: UseCaseContext, companyId: string, quoteId: string, input: InvoiceSendingInput, claim: string, leaseUntil: Date): string {
  return inTransaction(ctx.db, () => {
    const quote = issuedQuote(ctx.db, companyId, quoteId, today(ctx.clock, ctx.config.timeZone));
    const id = newId();
    ctx.db
      .prepare(
        `INSERT INTO quote_sendings (id, company_id, quote_id, recipients_json, subject, message, attachment_name, message_id, sent_by,
           created_at, status, claim, lease_until)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'sending', ?, ?)`,
      )
      .run(
        id,
        companyId,
        quoteId,
        JSON.stringify(input.to),
        input.subject,
        input.message,
        invoicePdfFileName(quote, quoteId),
        sendingMessageId(id, ctx.config.mailFrom),
        ctx.actorId,
        ctx.clock.now().toISOString(),
        claim,
        leaseUntil.toISOString(),
      );
    recordActivity(ctx.db, ctx.clock.now(), {
      companyId,
      actorId: ctx.actorId,
      action: "quote.sent",
      recordKind: "quote",
      recordId: quoteId,
      after: { number: quote.number, recipients: input.to.length },
    });
    return id;
  });
}

export function getQuoteSending(db: Db, companyId: string, sendingId: string): QuoteSending {
  const row = db.prepare(`${SELECT_SENDING} WHERE s.company_id = ? AND s.id = ?`).get(companyId, sendingId) as SendingRow | undefined;
  if (!row) throw notFound("sending");
  return sendingOf(row);
}

/** The quote's sendings, newest first. */
export function listQuoteSendings(db: Db, companyId: string, quoteId: string): QuoteSending[] {
  if (!db.prepare("SELECT 1 FROM quotes WHERE company_id = ? AND id = ?").get(companyId, quoteId)) throw notFound("quote");
  const rows = db.prepare(`${SELECT_SENDING} WHERE s.company_id = ? AND s.quote_id = ? ORDER BY s.created_at DESC, s.pk DESC`).all(companyId, quoteId) as SendingRow[];
  return rows.map(sendingOf);
}
