/**
 * The quote use-cases: drafts are free to edit; issuing gives the next number of the quote series
 * (D2026-00001…) and freezes the offer; the customer's answer accepts or refuses it; an accepted
 * quote becomes a draft invoice in one step. Quotes are offers, not accounting documents: nothing
 * here touches the journal, the entries, the record chain or the invoice series.
 */
import {
  defaultValidUntil,
  formatDateFr,
  invoiceTotals,
  lineNetCents,
  quoteStatusOn,
  type Invoice,
  type InvoiceTotals,
  type Quote,
  type QuoteDraftInput,
  type QuoteDraftPatch,
  type QuoteLine,
  type LineUnit,
} from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import type { UseCaseContext } from "../context.js";
import { inTransaction } from "../db/connection.js";
import { newId } from "../db/ids.js";
import { loadQuote, quoteLinesOf, quoteRow, toQuoteLine, type QuoteRow } from "../db/quotes.js";
import { conflict, invalid } from "../http/problem.js";
import { today } from "../clock.js";
import { recordActivity } from "./activity.js";
import { assertCustomerExists, assertExemptionConsistent, assertNotFuture, createDraft, nextNumber, resolveLines, type LineInput, type ResolvedLine } from "./invoices.js";
import { customerIdentity, freezeIdentity, sellerIdentity } from "./identities.js";
import { assertQuoteFree } from "./orders.js";

function todayOf(ctx: UseCaseContext): string {
  return today(ctx.clock, ctx.config.timeZone);
}

function writeLinesAndTotals(db: Db, quoteId: string, lines: ResolvedLine[], totals: InvoiceTotals): void {
  db.prepare("DELETE FROM quote_lines WHERE quote_id = ?").run(quoteId);
  db.prepare("DELETE FROM quote_vat WHERE quote_id = ?").run(quoteId);
  const insertLine = db.prepare(
    `INSERT INTO quote_lines (id, quote_id, position, product_id, description, quantity, unit_price_cents, vat_rate_bp, discount_cents, kind, unit, net_cents)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  lines.forEach((l, i) =>
    insertLine.run(newId(), quoteId, i + 1, l.productId, l.description, l.quantity, l.unitPriceCents, l.vatRateBp, l.discountCents, l.kind, l.unit, lineNetCents(l.quantity, l.unitPriceCents, l.discountCents)),
  );
  const insertVat = db.prepare("INSERT INTO quote_vat (quote_id, vat_rate_bp, base_cents, vat_cents) VALUES (?, ?, ?, ?)");
  for (const r of totals.byRate) insertVat.run(quoteId, r.vatRateBp, r.baseCents, r.vatCents);
  db.prepare("UPDATE quotes SET ht_cents = ?, vat_cents = ?, ttc_cents = ? WHERE id = ?").run(totals.htCents, totals.vatCents, totals.ttcCents, quoteId);
}

function assertValidAfterIssue(issueDate: string | null | undefined, validUntil: string | null | undefined): void {
  if (issueDate && validUntil && validUntil < issueDate) throw invalid("validUntil", "must be on or after the issue date");
}

function assertDraft(row: QuoteRow, verb: string): void {
  if (row.status !== "draft") throw conflict(`Quote ${row.number} is issued and can no longer be ${verb}: duplicate it to make a new offer.`);
}

function insertQuote(ctx: UseCaseContext, companyId: string, q: { customerId: string; issueDate: string | null; validUntil: string | null; notes: string | null; vatExemption: string | null; duplicatedFromId: string | null }, lines: ResolvedLine[]): string {
  const id = newId();
  const now = ctx.clock.now().toISOString();
  ctx.db
    .prepare(
      `INSERT INTO quotes (id, company_id, status, customer_id, issue_date, valid_until, notes, vat_exemption, duplicated_from_id,
         ht_cents, vat_cents, ttc_cents, created_at, updated_at)
       VALUES (?, ?, 'draft', ?, ?, ?, ?, ?, ?, 0, 0, 0, ?, ?)`,
    )
    .run(id, companyId, q.customerId, q.issueDate, q.validUntil, q.notes, q.vatExemption, q.duplicatedFromId, now, now);
  writeLinesAndTotals(ctx.db, id, lines, invoiceTotals(lines));
  return id;
}

export function createQuoteDraft(ctx: UseCaseContext, companyId: string, input: QuoteDraftInput & { lines: LineInput[] }): Quote {
  return inTransaction(ctx.db, () => {
    assertCustomerExists(ctx.db, companyId, input.customerId);
    assertValidAfterIssue(input.issueDate, input.validUntil);
    const lines = resolveLines(ctx.db, companyId, input.lines);
    const id = insertQuote(
      ctx,
      companyId,
      { customerId: input.customerId, issueDate: input.issueDate ?? null, validUntil: input.validUntil ?? null, notes: input.notes ?? null, vatExemption: input.vatExemption ?? null, duplicatedFromId: null },
      lines,
    );
    const quote = loadQuote(ctx.db, companyId, id, todayOf(ctx));
    recordActivity(ctx.db, ctx.clock.now(), {
      companyId,
      actorId: ctx.actorId,
      action: "quote.draft_created",
      recordKind: "quote",
      recordId: id,
      recordDate: input.issueDate ?? null,
      after: { customerId: input.customerId, lines: lines.length, ttcCents: quote.totals.ttcCents },
    });
    return quote;
  });
}

export function updateQuoteDraft(ctx: UseCaseContext, companyId: string, quoteId: string, patch: QuoteDraftPatch & { lines?: LineInput[] }): Quote {
  return inTransaction(ctx.db, () => {
    const row = quoteRow(ctx.db, companyId, quoteId);
    assertDraft(row, "changed");
    if (patch.customerId) assertCustomerExists(ctx.db, companyId, patch.customerId);
    const issueDate = patch.issueDate !== undefined ? patch.issueDate : row.issue_date;
    const validUntil = patch.validUntil !== undefined ? patch.validUntil : row.valid_until;
    assertValidAfterIssue(issueDate, validUntil);
    ctx.db
      .prepare("UPDATE quotes SET customer_id = ?, issue_date = ?, valid_until = ?, notes = ?, vat_exemption = ?, updated_at = ? WHERE id = ?")
      .run(
        patch.customerId ?? row.customer_id,
        issueDate,
        validUntil,
        patch.notes !== undefined ? patch.notes : row.notes,
        patch.vatExemption !== undefined ? patch.vatExemption : row.vat_exemption,
        ctx.clock.now().toISOString(),
        quoteId,
      );
    if (patch.lines) {
      const lines = resolveLines(ctx.db, companyId, patch.lines);
      writeLinesAndTotals(ctx.db, quoteId, lines, invoiceTotals(lines));
    }
    const after = loadQuote(ctx.db, companyId, quoteId, todayOf(ctx));
    recordActivity(ctx.db, ctx.clock.now(), {
      companyId,
      actorId: ctx.actorId,
      action: "quote.draft_updated",
      recordKind: "quote",
      recordId: quoteId,
      recordDate: after.issueDate,
      before: { ttcCents: row.ttc_cents, issueDate: row.issue_date },
      after: { ttcCents: after.totals.ttcCents, issueDate: after.issueDate },
    });
    return after;
  });
}

export function deleteQuoteDraft(ctx: UseCaseContext, companyId: string, quoteId: string): void {
  inTransaction(ctx.db, () => {
    const row = quoteRow(ctx.db, companyId, quoteId);
    assertDraft(row, "deleted");
    ctx.db.prepare("DELETE FROM quotes WHERE id = ?").run(quoteId);
    recordActivity(ctx.db, ctx.clock.now(), {
      companyId,
      actorId: ctx.actorId,
      action: "quote.draft_deleted",
      recordKind: "quote",
      recordId: quoteId,
      before: { ttcCents: row.ttc_cents, customerId: row.customer_id },
    });
  });
}

/** Quote numbers follow dates, as invoice numbers do: a quote is never dated before the last one issued. */
function assertChronological(db: Db, companyId: string, issueDate: string): void {
  const last = db
    .prepare("SELECT issue_date, number FROM quotes WHERE company_id = ? AND number IS NOT NULL ORDER BY issue_date DESC, series_counter DESC LIMIT 1")
    .get(companyId) as { issue_date: string; number: string } | undefined;
  if (last && issueDate < last.issue_date) {
    throw conflict(`${last.number} was issued on ${last.issue_date}; numbering must follow dates, so this quote cannot be dated ${issueDate}. Use ${last.issue_date} or later.`, [
      { path: "issueDate", message: `must be on or after ${last.issue_date} (date of ${last.number})` },
    ]);
  }
}

export function issueQuote(ctx: UseCaseContext, companyId: string, quoteId: string, input: { issueDate?: string | undefined; validUntil?: string | undefined }): Quote {
  return inTransaction(ctx.db, () => {
    const row = quoteRow(ctx.db, companyId, quoteId);
    assertDraft(row, "issued again");
    const issueDate = input.issueDate ?? row.issue_date ?? todayOf(ctx);
    assertNotFuture(ctx, issueDate);
    const validUntil = input.validUntil ?? row.valid_until ?? defaultValidUntil(issueDate);
    assertValidAfterIssue(issueDate, validUntil);
    assertChronological(ctx.db, companyId, issueDate);
    const lines = quoteLinesOf(ctx.db, [quoteId]).get(quoteId)!;
    if (lines.length === 0) throw invalid("lines", "a quote needs at least one line");
    assertExemptionConsistent(row, lines.map((l) => l.vat_rate_bp));
    if (row.ttc_cents <= 0) throw invalid("lines", "the quote total must be above zero");
    const { key, counter, number } = nextNumber(ctx.db, companyId, "quote", issueDate);
    const customer = freezeIdentity(ctx.db, companyId, customerIdentity(ctx.db, companyId, row.customer_id));
    const seller = freezeIdentity(ctx.db, companyId, sellerIdentity(ctx.db, companyId));
    const now = ctx.clock.now().toISOString();
    ctx.db
      .prepare(
        `UPDATE quotes SET status = 'issued', number = ?, series_key = ?, series_counter = ?, issue_date = ?, valid_until = ?,
           customer_identity_id = ?, seller_identity_id = ?, issued_at = ?, updated_at = ? WHERE id = ?`,
      )
      .run(number, key, counter, issueDate, validUntil, customer, seller, now, now, quoteId);
    recordActivity(ctx.db, ctx.clock.now(), {
      companyId,
      actorId: ctx.actorId,
      action: "quote.issued",
      recordKind: "quote",
      recordId: quoteId,
      recordDate: issueDate,
      before: { status: "draft" },
      after: { status: "issued", number, validUntil, ttcCents: row.ttc_cents },
    });
    return loadQuote(ctx.db, companyId, quoteId, todayOf(ctx));
  });
}

/**
 * Records the customer's answer, on `date` (today when left out). An offer is accepted only while it
 * holds: an answer dated after the validity date is refused (duplicate the quote to offer again).
 */
export function decideQuote(ctx: UseCaseContext, companyId: string, quoteId: string, decision: "accepted" | "refused", input: { date?: string | undefined }): Quote {
  return inTransaction(ctx.db, () => {
    const row = quoteRow(ctx.db, companyId, quoteId);
    if (row.status === "draft") throw conflict("This quote is a draft: issue it before recording the customer's answer.");
    if (row.status !== "issued") throw conflict(`Quote ${row.number} was already ${row.status} on ${row.decided_on}.`);
    const date = input.date ?? todayOf(ctx);
    if (date > todayOf(ctx)) throw invalid("date", `must not be in the future (today is ${todayOf(ctx)})`);
    if (date < row.issue_date!) throw invalid("date", `must be on or after the quote's date (${row.issue_date})`);
    if (decision === "accepted" && date > row.valid_until!) {
      throw conflict(`Quote ${row.number} held until ${row.valid_until}: it can no longer be accepted. Duplicate it to make a new offer.`, [
        { path: "date", message: `must be on or before ${row.valid_until} (validity of ${row.number})` },
      ]);
    }
    ctx.db.prepare("UPDATE quotes SET status = ?, decided_on = ?, updated_at = ? WHERE id = ?").run(decision, date, ctx.clock.now().toISOString(), quoteId);
    recordActivity(ctx.db, ctx.clock.now(), {
      companyId,
      actorId: ctx.actorId,
      action: decision === "accepted" ? "quote.accepted" : "quote.refused",
      recordKind: "quote",
      recordId: quoteId,
      recordDate: date,
      before: { status: quoteStatusOn(row.status, row.valid_until, todayOf(ctx)) },
      after: { status: decision, number: row.number },
    });
    return loadQuote(ctx.db, companyId, quoteId, todayOf(ctx));
  });
}

/** A new draft with the quote's customer, lines, notes and exemption, undated: the same offer made again. */
export function duplicateQuote(ctx: UseCaseContext, companyId: string, quoteId: string): Quote {
  return inTransaction(ctx.db, () => {
    const row = quoteRow(ctx.db, companyId, quoteId);
    const lines = quoteLinesOf(ctx.db, [quoteId]).get(quoteId)!.map(resolvedOf);
    const id = insertQuote(ctx, companyId, { customerId: row.customer_id, issueDate: null, validUntil: null, notes: row.notes, vatExemption: row.vat_exemption, duplicatedFromId: quoteId }, lines);
    recordActivity(ctx.db, ctx.clock.now(), {
      companyId,
      actorId: ctx.actorId,
      action: "quote.draft_created",
      recordKind: "quote",
      recordId: id,
      after: { duplicatedFrom: row.number ?? row.id, lines: lines.length, ttcCents: row.ttc_cents },
    });
    return loadQuote(ctx.db, companyId, id, todayOf(ctx));
  });
}

function resolvedOf(l: { product_id: string | null; description: string; quantity: string; unit_price_cents: number; vat_rate_bp: number; discount_cents: number; kind: "goods" | "services"; unit: LineUnit | null }): ResolvedLine {
  return { productId: l.product_id, description: l.description, quantity: l.quantity, unitPriceCents: l.unit_price_cents, vatRateBp: l.vat_rate_bp, discountCents: l.discount_cents, kind: l.kind, unit: l.unit };
}

/** The accepted quote, or 409 saying why not: what an invoice may be made from. */
function acceptedQuote(db: Db, companyId: string, quoteId: string): QuoteRow {
  const row = quoteRow(db, companyId, quoteId);
  if (row.status !== "accepted") {
    throw conflict(row.status === "draft" ? "This quote is a draft: issue it and record its acceptance first." : `Quote ${row.number} is ${row.status === "issued" ? "not accepted yet" : row.status}: only an accepted quote is invoiced.`);
  }
  return row;
}

/**
 * The lines and per-rate totals of an accepted quote, as an invoice made from it (in full or as a
 * deposit) starts from. 404 for a quote the company does not have, 409 unless it is accepted.
 */
export function acceptedQuoteAmounts(db: Db, companyId: string, quoteId: string): { quoteId: string; number: string; customerId: string; vatExemption: string | null; lines: QuoteLine[]; totals: InvoiceTotals } {
  const row = acceptedQuote(db, companyId, quoteId);
  const lines = quoteLinesOf(db, [quoteId]).get(quoteId)!;
  const byRate = db.prepare("SELECT vat_rate_bp AS vatRateBp, base_cents AS baseCents, vat_cents AS vatCents FROM quote_vat WHERE quote_id = ? ORDER BY vat_rate_bp DESC").all(quoteId) as InvoiceTotals["byRate"];
  return {
    quoteId,
    number: row.number!,
    customerId: row.customer_id,
    vatExemption: row.vat_exemption,
    lines: lines.map(toQuoteLine),
    totals: { htCents: row.ht_cents, vatCents: row.vat_cents, ttcCents: row.ttc_cents, byRate },
  };
}

/**
 * Turns an accepted quote into a draft invoice: the quote's customer, lines, exemption and notes,
 * and a note naming the quote; the quote keeps the link. Issuing the invoice stays the owner's act
 * (it takes the invoice's number and date). Once: a second time answers 409 naming the invoice,
 * unless that draft was deleted; 409 as well once the quote has its order (deposits and balance).
 */
export function invoiceFromQuote(ctx: UseCaseContext, companyId: string, quoteId: string): Invoice {
  return inTransaction(ctx.db, () => {
    const row = acceptedQuote(ctx.db, companyId, quoteId);
    if (row.invoice_id) {
      const number = ctx.db.prepare("SELECT number FROM invoices WHERE id = ?").pluck().get(row.invoice_id) as string | null;
      throw conflict(`Quote ${row.number} is already invoiced${number ? ` by ${number}` : " (a draft invoice)"}.`);
    }
    assertQuoteFree(ctx.db, companyId, quoteId, row.number!);
    const lines = quoteLinesOf(ctx.db, [quoteId]).get(quoteId)!;
    const reference = `Selon notre devis ${row.number} du ${formatDateFr(row.issue_date!)}, accepté le ${formatDateFr(row.decided_on!)}.`;
    const invoice = createDraft(ctx, companyId, {
      customerId: row.customer_id,
      lines: lines.map((l) => ({
        ...(l.product_id ? { productId: l.product_id } : {}),
        description: l.description,
        quantity: l.quantity,
        unitPriceCents: l.unit_price_cents,
        vatRateBp: l.vat_rate_bp,
        discountCents: l.discount_cents,
        kind: l.kind,
      })),
      notes: row.notes ? `${row.notes}\n\n${reference}` : reference,
      ...(row.vat_exemption ? { vatExemption: row.vat_exemption as NonNullable<QuoteDraftInput["vatExemption"]> } : {}),
    });
    ctx.db.prepare("UPDATE quotes SET invoice_id = ?, updated_at = ? WHERE id = ?").run(invoice.id, ctx.clock.now().toISOString(), quoteId);
    recordActivity(ctx.db, ctx.clock.now(), {
      companyId,
      actorId: ctx.actorId,
      action: "quote.invoiced",
      recordKind: "quote",
      recordId: quoteId,
      after: { number: row.number, invoiceId: invoice.id, ttcCents: invoice.totals.ttcCents },
    });
    return invoice;
  });
}
