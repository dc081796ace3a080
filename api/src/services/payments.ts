import type { Page, Payment, PaymentInput } from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import type { UseCaseContext } from "../context.js";
import { inTransaction } from "../db/connection.js";
import { decodeCursor, encodeCursor, newId } from "../db/ids.js";
import { invoiceRow } from "../db/invoices.js";
import { addPaid } from "../db/journal-aggregates.js";
import { toPayment, type PaymentRow } from "../db/rows.js";
import { conflict, invalid, notFound } from "../http/problem.js";
import { formatEuros } from "@passerelle/shared";
import { recordActivity } from "./activity.js";
import { appendToChain, canonicalPayment } from "./chain.js";
import { assertPeriodOpen } from "./locks.js";
import { refreshInvoiceStatus } from "./invoices.js";
import { today } from "../clock.js";
import { LIVE_PAYMENT } from "../db/ledger.js";
import { syncLettering } from "./lettering.js";

const SELECT = "SELECT p.*, i.number AS invoice_number FROM payments p JOIN invoices i ON i.id = p.invoice_id";

export function getPayment(db: Db, companyId: string, paymentId: string): Payment {
  const row = db.prepare(`${SELECT} WHERE p.company_id = ? AND p.id = ? AND ${LIVE_PAYMENT}`).get(companyId, paymentId) as PaymentRow | undefined;
  if (!row) throw notFound("payment");
  return toPayment(row);
}

export function recordPayment(ctx: UseCaseContext, companyId: string, input: PaymentInput): Payment {
  return inTransaction(ctx.db, () => {
    if (!ctx.db.prepare("SELECT 1 FROM invoices WHERE company_id = ? AND id = ?").get(companyId, input.invoiceId)) {
      throw invalid("invoiceId", "is not an invoice of this company");
    }
    const invoice = invoiceRow(ctx.db, companyId, input.invoiceId);
    if (invoice.type !== "invoice") throw invalid("invoiceId", "must be an invoice, not a credit note");
    if (invoice.status === "draft") throw conflict("This invoice is a draft: issue it before recording a payment.", [{ path: "invoiceId", message: "is a draft" }]);
    if (input.date < invoice.issue_date!) throw invalid("date", `must be on or after the invoice's date (${invoice.issue_date})`);
    const now = today(ctx.clock, ctx.config.timeZone);
    if (input.date > now) throw invalid("date", `must not be in the future (today is ${now})`);
    assertPeriodOpen(ctx.db, companyId, input.date, "Cannot record this payment");
    const due = invoice.ttc_cents - invoice.credited_cents - invoice.paid_cents;
    if (input.amountCents > due) {
      throw invalid("amountCents", `must not exceed what is due on ${invoice.number} (${formatEuros(Math.max(due, 0))})`, 409);
    }
    const id = newId();
    ctx.db
      .prepare("INSERT INTO payments (id, company_id, invoice_id, amount_cents, date, method, reference, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .run(id, companyId, input.invoiceId, input.amountCents, input.date, input.method, input.reference ?? null, ctx.clock.now().toISOString());
    ctx.db.prepare("UPDATE invoices SET paid_cents = paid_cents + ? WHERE id = ?").run(input.amountCents, input.invoiceId);
    addPaid(ctx.db, input.invoiceId, input.amountCents);
    refreshInvoiceStatus(ctx.db, input.invoiceId);
    syncLettering(ctx.db, companyId, input.invoiceId, ctx.clock.now());
    const row = ctx.db.prepare("SELECT * FROM payments WHERE id = ?").get(id) as PaymentRow;
    appendToChain(ctx.db, companyId, "payment", id, canonicalPayment(row));
    recordActivity(ctx.db, ctx.clock.now(), {
      companyId,
      actorId: ctx.actorId,
      action: "payment.recorded",
      recordKind: "payment",
      recordId: id,
      recordDate: input.date,
      after: { invoice: invoice.number, amountCents: input.amountCents, method: input.method },
    });
    return getPayment(ctx.db, companyId, id);
  });
}

export function listPayments(db: Db, companyId: string, opts: { limit: number; cursor?: string | undefined; invoiceId?: string | undefined }): Page<Payment> {
  const after = decodeCursor(opts.cursor, 2);
  const rows = db
    .prepare(
      `${SELECT} WHERE p.company_id = @companyId AND ${LIVE_PAYMENT} ${opts.invoiceId ? "AND p.invoice_id = @invoiceId" : ""}
       ${after ? "AND (p.date, p.pk) < (@afterDate, @afterPk)" : ""}
       ORDER BY p.date DESC, p.pk DESC LIMIT @limit`,
    )
    .all({ companyId, invoiceId: opts.invoiceId, afterDate: after?.[0], afterPk: after?.[1], limit: opts.limit + 1 }) as PaymentRow[];
  const page = rows.slice(0, opts.limit);
  return { items: page.map(toPayment), nextCursor: rows.length > opts.limit ? encodeCursor([page.at(-1)!.date, page.at(-1)!.pk]) : null };
}

/**
 * Deletes a payment recorded by mistake. The payment row and its link in the record chain stay
 * (both are append-only); a deletion row takes it out of balances, lists and entries, and the
 * audit log keeps who deleted what. Refused in a locked period, like recording it.
 */
export function deletePayment(ctx: UseCaseContext, companyId: string, paymentId: string): void {
  inTransaction(ctx.db, () => {
    const payment = getPayment(ctx.db, companyId, paymentId);
    assertPeriodOpen(ctx.db, companyId, payment.date, "Cannot delete this payment");
    ctx.db
      .prepare("INSERT INTO payment_deletions (payment_id, company_id, deleted_by, deleted_at) VALUES (?, ?, ?, ?)")
      .run(paymentId, companyId, ctx.actorId, ctx.clock.now().toISOString());
    ctx.db.prepare("UPDATE invoices SET paid_cents = paid_cents - ? WHERE id = ?").run(payment.amountCents, payment.invoiceId);
    addPaid(ctx.db, payment.invoiceId, -payment.amountCents);
    refreshInvoiceStatus(ctx.db, payment.invoiceId);
    recordActivity(ctx.db, ctx.clock.now(), {
      companyId,
      actorId: ctx.actorId,
      action: "payment.deleted",
      recordKind: "payment",
      recordId: paymentId,
      recordDate: payment.date,
      before: { invoice: payment.invoiceNumber, amountCents: payment.amountCents, date: payment.date, method: payment.method },
    });
  });
}
