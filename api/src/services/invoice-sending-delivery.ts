/**
 * Delivering a document's sending. Each attempt first claims the row (status `sending`, a claim
 * token and a lease) in one statement, so two processes sharing the database never attempt the
 * same sending at once; only the attempt holding the claim records its outcome. A sending the mail
 * server accepted is `sent` and never attempted again; a failed attempt is retried after 1 min,
 * 5 min, 15 min, 1 h and 4 h, then the sending is `failed` with the reason. Every attempt carries the
 * Message-ID recorded with the sending, so should a crash come between the server's acceptance and
 * its record, the one repeat the lease allows is the same message for the receiving side.
 */
import type { Deps } from "../context.js";
import type { Db } from "../db/connection.js";
import { inTransaction } from "../db/connection.js";
import { randomToken } from "../auth/secrets.js";
import { prepareFacturX } from "../einvoice/facturx-export.js";
import { invoiceEmail } from "../mail/invoice-email.js";
import { quotePdfModel } from "../exports/quote-pdf-model.js";
import { companyRow } from "./companies.js";

/** Where a kind of document's sendings are recorded, and the PDF each carries. */
export interface SendingTable {
  table: "invoice_sendings" | "quote_sendings";
  document: "invoice_id" | "quote_id";
  /** A reminder's facts (its level, whether automatic, what is left to pay, a dispute), for checking it is still due. */
  reminderFacts: string;
  join: string;
  pdf(deps: Deps, companyId: string, documentId: string): Promise<Uint8Array>;
}

/** Invoices and credit notes: their Factur-X PDF, the profile of the download when none is asked for. */
export const INVOICE_SENDINGS: SendingTable = {
  table: "invoice_sendings",
  document: "invoice_id",
  reminderFacts: `s.reminder_level, s.automatic, i.ttc_cents - i.paid_cents - i.credited_cents AS due_cents,
    EXISTS (SELECT 1 FROM invoice_disputes d WHERE d.invoice_id = s.invoice_id AND d.lifted_at IS NULL) AS disputed`,
  join: "JOIN invoices i ON i.id = s.invoice_id",
  pdf: (deps, companyId, invoiceId) => deps.renders.render(prepareFacturX(deps.db, companyId, invoiceId, "EN16931").job),
};

/** Quotes: the quote PDF, as downloaded. */
export const QUOTE_SENDINGS: SendingTable = {
  table: "quote_sendings",
  document: "quote_id",
  reminderFacts: "NULL AS reminder_level, 0 AS automatic, 0 AS due_cents, 0 AS disputed",
  join: "",
  pdf: (deps, companyId, quoteId) => deps.renders.render({ kind: "invoice.pdf", model: quotePdfModel(deps.db, companyId, quoteId) }),
};

export const SENDING_RETRY_DELAYS_MS = [60_000, 5 * 60_000, 15 * 60_000, 60 * 60_000, 4 * 60 * 60_000];

/** Longer than an SMTP attempt may take (its time-outs add up to 40 s) and a PDF render. */
export const SENDING_LEASE_MS = 5 * 60_000;

interface ClaimedRow {
  company_id: string;
  document_id: string;
  recipients_json: string;
  subject: string;
  message: string;
  attachment_name: string;
  message_id: string;
  attempts: number;
  sender_email: string;
  reminder_level: number | null;
  automatic: number;
  due_cents: number;
  disputed: number;
}

export function newClaim(): string {
  return randomToken(16);
}

/** One attempt of a sending claimed with `claim`: renders the document's PDF, sends, records the outcome. */
export async function attemptSending(deps: Deps, sendingId: string, claim: string, kind: SendingTable = INVOICE_SENDINGS): Promise<void> {
  const row = deps.db
    .prepare(
      `SELECT s.company_id, s.${kind.document} AS document_id, s.recipients_json, s.subject, s.message, s.attachment_name, s.message_id, s.attempts, u.email AS sender_email,
         ${kind.reminderFacts}
       FROM ${kind.table} s JOIN users u ON u.id = s.sent_by ${kind.join} WHERE s.id = ? AND s.claim = ?`,
    )
    .get(sendingId, claim) as ClaimedRow | undefined;
  if (!row) return;
  // a reminder waiting for a retry is not sent once the invoice is paid or credited, nor an automatic one once disputed
  const stale = row.reminder_level === null ? null : row.due_cents <= 0 ? "nothing is left to pay on the invoice" : row.automatic === 1 && row.disputed === 1 ? "the invoice is disputed" : null;
  if (stale) {
    deps.db
      .prepare("UPDATE invoice_sendings SET status = 'failed', last_error = ?, next_attempt_at = NULL, claim = NULL, lease_until = NULL WHERE id = ? AND claim = ?")
      .run(`not sent: ${stale}`, sendingId, claim);
    return;
  }
  let error: string | null = null;
  let rejected: string[] = [];
  try {
    const pdf = Buffer.from(await kind.pdf(deps, row.company_id, row.document_id));
    const sent = await deps.mailer.send(
      invoiceEmail({
        to: JSON.parse(row.recipients_json) as string[],
        subject: row.subject,
        message: row.message,
        companyName: companyRow(deps.db, row.company_id).name,
        replyTo: row.sender_email,
        messageId: row.message_id,
        attachmentName: row.attachment_name,
        pdf,
      }),
    );
    rejected = sent.rejected;
  } catch (e) {
    error = (e instanceof Error ? e.message : String(e)).replace(/\s+/g, " ").slice(0, 500) || "unknown error";
  }
  const now = deps.clock.now();
  const attempts = row.attempts + 1;
  if (error === null) {
    recordAccepted(deps.db, sendingId, claim, now, rejected, kind);
    return;
  }
  const delay = SENDING_RETRY_DELAYS_MS[attempts - 1];
  deps.db
    .prepare(
      `UPDATE ${kind.table} SET status = ?, attempts = ?, last_error = ?, next_attempt_at = ?, claim = NULL, lease_until = NULL
       WHERE id = ? AND claim = ?`,
    )
    .run(delay === undefined ? "failed" : "retrying", attempts, error, delay === undefined ? null : new Date(now.getTime() + delay).toISOString(), sendingId, claim);
  if (delay === undefined) console.error(`[mail] sending ${sendingId}: giving up after ${attempts} attempts: ${error}`);
}

/** The mail server accepted the attempt holding `claim` (the recipients it refused, if any, are kept as the error). */
export function recordAccepted(db: Db, sendingId: string, claim: string, at: Date, rejected: readonly string[] = [], kind: Pick<SendingTable, "table"> = INVOICE_SENDINGS): void {
  db.prepare(
    `UPDATE ${kind.table} SET status = 'sent', attempts = attempts + 1, sent_at = ?, last_error = ?, next_attempt_at = NULL, claim = NULL, lease_until = NULL
     WHERE id = ? AND claim = ?`,
  ).run(at.toISOString(), rejected.length > 0 ? `the mail server refused ${rejected.join(", ")}` : null, sendingId, claim);
}

const DUE = "(status = 'retrying' AND next_attempt_at <= @now) OR (status = 'sending' AND lease_until <= @now)";

/**
 * Attempts every sending (of invoices and credit notes, then of quotes) whose retry is due, or whose
 * attempt was cut short (its lease ran out). Returns how many this process attempted.
 */
export async function retryDueSendings(deps: Deps): Promise<number> {
  return (await retryDue(deps, INVOICE_SENDINGS)) + (await retryDue(deps, QUOTE_SENDINGS));
}

async function retryDue(deps: Deps, kind: SendingTable): Promise<number> {
  const now = deps.clock.now().toISOString();
  const due = deps.db.prepare(`SELECT id FROM ${kind.table} WHERE ${DUE} ORDER BY coalesce(next_attempt_at, lease_until) LIMIT 100`).pluck().all({ now }) as string[];
  let attempted = 0;
  for (const id of due) {
    const claim = newClaim();
    const claimed = inTransaction(deps.db, () =>
      deps.db
        .prepare(`UPDATE ${kind.table} SET status = 'sending', next_attempt_at = NULL, claim = @claim, lease_until = @lease WHERE id = @id AND (${DUE})`)
        .run({ claim, lease: new Date(Date.parse(now) + SENDING_LEASE_MS).toISOString(), id, now }).changes,
    );
    if (claimed !== 1) continue;
    await attemptSending(deps, id, claim, kind);
    attempted++;
  }
  return attempted;
}
