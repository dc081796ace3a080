/**
 * The invoicing use-cases: drafts are free to edit; issuing assigns the next gapless number in the
 * same BEGIN IMMEDIATE transaction and freezes the document; credit notes correct issued invoices.
 */
import {
  creditLines,
  dueDateFor,
  dueDateProblem,
  creditNoteTotals,
  formatNumber,
  formatScaledQuantity,
  parseQuantity,
  invoiceTotals,
  lineGrossCents,
  lineNetCents,
  MAX_CENTS,
  seriesKey,
  type CreditLine,
  type CreditAmount,
  type CreditNoteInput,
  type RateTotal,
  gestureCredit,
  type Invoice,
  type InvoiceDraftInput,
  type InvoiceDraftPatch,
  type InvoiceStatus,
  type InvoiceTotals,
  type LineUnit,
  type Series,
} from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import type { UseCaseContext } from "../context.js";
import { inTransaction } from "../db/connection.js";
import { newId } from "../db/ids.js";
import { deliveryColumns, deliveryOf, draftInvoiceOf, invoiceRow, issuedInvoiceOf, linesOf, loadInvoice, vatOf, type DeliveryMentions, type InvoiceRow, type LineRow } from "../db/invoices.js";
import { addIssuedDocument } from "../db/journal-aggregates.js";
import { ProblemError, conflict, invalid } from "../http/problem.js";
import { today } from "../clock.js";
import { recordActivity } from "./activity.js";
import { appendToChain, canonicalInvoice } from "./chain.js";
import { companyRow, normalizeAddress } from "./companies.js";
import { customerRow } from "./customers.js";
import { assertPeriodOpen } from "./locks.js";
import { syncLettering } from "./lettering.js";
import { productRow } from "./products.js";
import { customerIdentity, frozenIdentity, sellerIdentity } from "./identities.js";

export interface ResolvedLine {
  productId: string | null;
  description: string;
  quantity: string;
  unitPriceCents: number;
  vatRateBp: number;
  discountCents: number;
  kind: "goods" | "services";
  unit: LineUnit | null;
  creditedLineId?: string;
}

export type LineInput = InvoiceDraftInput["lines"][number] & { quantity: string };

/** Fills a line from its product where the owner left fields out; names the missing field otherwise. */
export function resolveLines(db: Db, companyId: string, lines: LineInput[]): ResolvedLine[] {
  const resolved = lines.map((line, i) => {
    const product = line.productId ? productOf(db, companyId, line.productId, `lines.${i}.productId`) : null;
    const description = line.description ?? (product ? product.name : undefined);
    const unitPriceCents = line.unitPriceCents ?? product?.unit_price_cents;
    const vatRateBp = line.vatRateBp ?? product?.vat_rate_bp;
    if (description === undefined) throw invalid(`lines.${i}.description`, "is required for a line without a product");
    if (unitPriceCents === undefined) throw invalid(`lines.${i}.unitPriceCents`, "is required for a line without a product");
    if (vatRateBp === undefined) throw invalid(`lines.${i}.vatRateBp`, "is required for a line without a product");
    const discountCents = line.discountCents ?? 0;
    if (lineGrossCents(line.quantity, unitPriceCents) > MAX_CENTS) {
      throw invalid(`lines.${i}.quantity`, `makes the line amount (quantity × unit price) exceed ${MAX_CENTS} cents`);
    }
    if (lineNetCents(line.quantity, unitPriceCents, 0) < discountCents) {
      throw invalid(`lines.${i}.discountCents`, "must not exceed the line amount (quantity × unit price)");
    }
    return {
      productId: product?.id ?? null,
      description,
      quantity: line.quantity,
      unitPriceCents,
      vatRateBp,
      discountCents,
      kind: line.kind ?? product?.kind ?? "services",
      unit: line.unit ?? null,
    };
  });
  const total = resolved.reduce((sum, l) => sum + lineNetCents(l.quantity, l.unitPriceCents, l.discountCents), 0);
  if (total > MAX_CENTS) throw invalid("lines", `the invoice total must not exceed ${MAX_CENTS} cents before VAT`);
  return resolved;
}

/** A product named in a request body: unknown ones are bad input (422 on the field), not a missing page. */
function productOf(db: Db, companyId: string, productId: string, path: string) {
  if (!db.prepare("SELECT 1 FROM products WHERE company_id = ? AND id = ?").get(companyId, productId)) {
    throw invalid(path, "is not a product of this company");
  }
  return productRow(db, companyId, productId);
}

export function assertCustomerExists(db: Db, companyId: string, customerId: string): void {
  if (!db.prepare("SELECT 1 FROM customers WHERE company_id = ? AND id = ?").get(companyId, customerId)) {
    throw invalid("customerId", "is not a customer of this company");
  }
}

export function writeLinesAndTotals(db: Db, invoiceId: string, lines: ResolvedLine[], totals: InvoiceTotals): LineRow[] {
  db.prepare("DELETE FROM invoice_lines WHERE invoice_id = ?").run(invoiceId);
  db.prepare("DELETE FROM invoice_vat WHERE invoice_id = ?").run(invoiceId);
  const written = insertLinesAndVat(db, invoiceId, lines, totals);
  db.prepare("UPDATE invoices SET ht_cents = ?, vat_cents = ?, ttc_cents = ? WHERE id = ?").run(
    totals.htCents,
    totals.vatCents,
    totals.ttcCents,
    invoiceId,
  );
  return written;
}

/** The lines and per-rate VAT of a document that has none yet; returns the lines as a read of them would. */
function insertLinesAndVat(db: Db, invoiceId: string, lines: ResolvedLine[], totals: InvoiceTotals): LineRow[] {
  const insertLine = db.prepare(
    `INSERT INTO invoice_lines (id, invoice_id, position, product_id, description, quantity, unit_price_cents, vat_rate_bp,
       discount_cents, kind, unit, net_cents, credited_line_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const written = lines.map((l, i): LineRow => ({
    id: newId(),
    invoice_id: invoiceId,
    position: i + 1,
    product_id: l.productId,
    description: l.description,
    quantity: l.quantity,
    unit_price_cents: l.unitPriceCents,
    vat_rate_bp: l.vatRateBp,
    discount_cents: l.discountCents,
    kind: l.kind,
    unit: l.unit,
    net_cents: lineNetCents(l.quantity, l.unitPriceCents, l.discountCents),
    credited_line_id: l.creditedLineId ?? null,
  }));
  for (const r of written) {
    insertLine.run(r.id, r.invoice_id, r.position, r.product_id, r.description, r.quantity, r.unit_price_cents, r.vat_rate_bp, r.discount_cents, r.kind, r.unit, r.net_cents, r.credited_line_id);
  }
  const insertVat = db.prepare("INSERT INTO invoice_vat (invoice_id, vat_rate_bp, base_cents, vat_cents) VALUES (?, ?, ?, ?)");
  for (const r of totals.byRate) insertVat.run(invoiceId, r.vatRateBp, r.baseCents, r.vatCents);
  return written;
}

/** The delivery mentions of a draft after a body: an absent field stays as it is, `null` clears it. */
function deliveryMentions(
  current: DeliveryMentions,
  input: Pick<InvoiceDraftPatch, "deliveryDate" | "servicePeriod" | "deliveryAddress">,
): DeliveryMentions {
  return {
    deliveryDate: input.deliveryDate !== undefined ? input.deliveryDate : current.deliveryDate,
    servicePeriod: input.servicePeriod !== undefined ? input.servicePeriod : current.servicePeriod,
    deliveryAddress:
      input.deliveryAddress !== undefined ? (input.deliveryAddress === null ? null : normalizeAddress(input.deliveryAddress)) : current.deliveryAddress,
  };
}

const NO_DELIVERY: DeliveryMentions = { deliveryDate: null, servicePeriod: null, deliveryAddress: null };

function writeDelivery(db: Db, invoiceId: string, mentions: DeliveryMentions): void {
  const columns = deliveryColumns(mentions);
  db.prepare(
    `UPDATE invoices SET delivery_date = @delivery_date, service_period_from = @service_period_from, service_period_to = @service_period_to,
       delivery_line1 = @delivery_line1, delivery_line2 = @delivery_line2, delivery_postal_code = @delivery_postal_code,
       delivery_city = @delivery_city, delivery_country = @delivery_country WHERE id = @id`,
  ).run({ ...columns, id: invoiceId });
}

/** The due date follows the issue date, within the terms the law allows (an export sale: 90 days). */
export function assertDueAfterIssue(issueDate: string | null | undefined, dueDate: string | null | undefined, exemption?: string | null): void {
  if (!issueDate || !dueDate) return;
  if (dueDate < issueDate) throw invalid("dueDate", "must be on or after the issue date");
  const problem = dueDateProblem(issueDate, dueDate, exemption === "export");
  if (problem) throw invalid("dueDate", problem);
}

/**
 * A new draft is written in one INSERT with its totals and delivery mentions, then its lines and VAT;
 * the answer is built from what was written, as a later read of it answers (`draftInvoiceOf`).
 */
export function createDraft(ctx: UseCaseContext, companyId: string, input: InvoiceDraftInput & { lines: LineInput[] }): Invoice {
  return inTransaction(ctx.db, () => {
    const customer = ctx.db.prepare("SELECT code, name FROM customers WHERE company_id = ? AND id = ?").get(companyId, input.customerId) as
      | { code: string; name: string }
      | undefined;
    if (!customer) throw invalid("customerId", "is not a customer of this company");
    assertDueAfterIssue(input.issueDate, input.dueDate, input.vatExemption);
    const lines = resolveLines(ctx.db, companyId, input.lines);
    const totals = invoiceTotals(lines);
    const id = newId();
    const now = ctx.clock.now().toISOString();
    const delivery = deliveryColumns(deliveryMentions(NO_DELIVERY, input));
    const row = {
      id,
      company_id: companyId,
      customer_id: input.customerId,
      issue_date: input.issueDate ?? null,
      due_date: input.dueDate ?? null,
      notes: input.notes ?? null,
      vat_exemption: input.vatExemption ?? null,
      ht_cents: totals.htCents,
      vat_cents: totals.vatCents,
      ttc_cents: totals.ttcCents,
      created_at: now,
      updated_at: now,
      ...delivery,
    };
    const { lastInsertRowid } = ctx.db
      .prepare(
        `INSERT INTO invoices (id, company_id, type, status, customer_id, issue_date, due_date, notes, vat_exemption,
           ht_cents, vat_cents, ttc_cents, created_at, updated_at, delivery_date, service_period_from, service_period_to,
           delivery_line1, delivery_line2, delivery_postal_code, delivery_city, delivery_country)
         VALUES (@id, @company_id, 'invoice', 'draft', @customer_id, @issue_date, @due_date, @notes, @vat_exemption,
           @ht_cents, @vat_cents, @ttc_cents, @created_at, @updated_at, @delivery_date, @service_period_from, @service_period_to,
           @delivery_line1, @delivery_line2, @delivery_postal_code, @delivery_city, @delivery_country)`,
      )
      .run(row);
    const written = insertLinesAndVat(ctx.db, id, lines, totals);
    recordActivity(ctx.db, ctx.clock.now(), {
      companyId,
      actorId: ctx.actorId,
      action: "invoice.draft_created",
      recordKind: "invoice",
      recordId: id,
      recordDate: input.issueDate ?? null,
      after: { customerId: input.customerId, lines: lines.length, ttcCents: totals.ttcCents },
    });
    return draftInvoiceOf(ctx.db, { ...row, pk: Number(lastInsertRowid) }, customer, written, totals);
  });
}

function assertDraft(row: InvoiceRow, verb: string): void {
  if (row.status !== "draft") {
    throw conflict(
      `${row.type === "credit_note" ? "Credit note" : "Invoice"} ${row.number} is issued and can no longer be ${verb}: issued documents are final. Correct it with a credit note.`,
    );
  }
}

export function updateDraft(ctx: UseCaseContext, companyId: string, invoiceId: string, patch: InvoiceDraftPatch & { lines?: LineInput[] }): Invoice {
  return inTransaction(ctx.db, () => {
    const row = invoiceRow(ctx.db, companyId, invoiceId);
    assertDraft(row, "changed");
    if (row.order_role && patch.lines) {
      throw invalid("lines", `come from the order on a ${row.order_role === "deposit" ? "deposit" : "balance"} invoice: delete this draft and ask it again from the order`);
    }
    if (row.order_role && patch.customerId && patch.customerId !== row.customer_id) {
      throw invalid("customerId", "is the order's customer on a deposit or balance invoice");
    }
    if (patch.customerId) assertCustomerExists(ctx.db, companyId, patch.customerId);
    const issueDate = patch.issueDate !== undefined ? patch.issueDate : row.issue_date;
    const dueDate = patch.dueDate !== undefined ? patch.dueDate : row.due_date;
    assertDueAfterIssue(issueDate, dueDate, patch.vatExemption !== undefined ? patch.vatExemption : row.vat_exemption);
    ctx.db
      .prepare("UPDATE invoices SET customer_id = ?, issue_date = ?, due_date = ?, notes = ?, vat_exemption = ?, updated_at = ? WHERE id = ?")
      .run(
        patch.customerId ?? row.customer_id,
        issueDate,
        dueDate,
        patch.notes !== undefined ? patch.notes : row.notes,
        patch.vatExemption !== undefined ? patch.vatExemption : row.vat_exemption,
        ctx.clock.now().toISOString(),
        invoiceId,
      );
    if (patch.lines) {
      const lines = resolveLines(ctx.db, companyId, patch.lines);
      writeLinesAndTotals(ctx.db, invoiceId, lines, invoiceTotals(lines));
    }
    if (patch.deliveryDate !== undefined || patch.servicePeriod !== undefined || patch.deliveryAddress !== undefined) {
      writeDelivery(ctx.db, invoiceId, deliveryMentions(deliveryOf(row), patch));
    }
    const after = loadInvoice(ctx.db, companyId, invoiceId);
    recordActivity(ctx.db, ctx.clock.now(), {
      companyId,
      actorId: ctx.actorId,
      action: "invoice.draft_updated",
      recordKind: "invoice",
      recordId: invoiceId,
      recordDate: after.issueDate,
      before: { ttcCents: row.ttc_cents, issueDate: row.issue_date },
      after: { ttcCents: after.totals.ttcCents, issueDate: after.issueDate },
    });
    return after;
  });
}

export function deleteDraft(ctx: UseCaseContext, companyId: string, invoiceId: string): void {
  inTransaction(ctx.db, () => {
    const row = invoiceRow(ctx.db, companyId, invoiceId);
    assertDraft(row, "deleted");
    ctx.db.prepare("DELETE FROM invoices WHERE id = ?").run(invoiceId);
    recordActivity(ctx.db, ctx.clock.now(), {
      companyId,
      actorId: ctx.actorId,
      action: "invoice.draft_deleted",
      recordKind: "invoice",
      recordId: invoiceId,
      before: { ttcCents: row.ttc_cents, customerId: row.customer_id },
    });
  });
}

/** Takes the next number of a series; the unique index on (company, series, counter) backs it up. */
export function nextNumber(db: Db, companyId: string, series: Series, issueDate: string): { key: string; counter: number; number: string } {
  const key = seriesKey(series, issueDate);
  const counter = db
    .prepare(
      `INSERT INTO number_series (company_id, series_key, last_counter) VALUES (?, ?, 1)
       ON CONFLICT (company_id, series_key) DO UPDATE SET last_counter = number_series.last_counter + 1 RETURNING last_counter`,
    )
    .pluck()
    .get(companyId, key) as number;
  return { key, counter, number: formatNumber(key, counter) };
}

/**
 * Numbering follows dates: a document is never dated before the last one of its type. The latest date
 * comes from the end of the (company, type, date) index; the number that holds it is looked up only
 * to explain a refusal (ordering that day's documents by number for every issue would read them all).
 */
function assertChronological(db: Db, companyId: string, type: "invoice" | "credit_note", issueDate: string): void {
  const lastDate = db
    .prepare("SELECT MAX(issue_date) FROM invoices WHERE company_id = ? AND type = ? AND number IS NOT NULL")
    .pluck()
    .get(companyId, type) as string | null;
  if (lastDate && issueDate < lastDate) {
    const number = db
      .prepare("SELECT number FROM invoices WHERE company_id = ? AND type = ? AND number IS NOT NULL AND issue_date = ? ORDER BY series_counter DESC LIMIT 1")
      .pluck()
      .get(companyId, type, lastDate) as string;
    throw conflict(
      `${number} was issued on ${lastDate}; numbering must follow dates, so this document cannot be dated ${issueDate}. Use ${lastDate} or later.`,
      [{ path: "issueDate", message: `must be on or after ${lastDate} (date of ${number})` }],
    );
  }
}

export function assertNotFuture(ctx: UseCaseContext, issueDate: string): void {
  const now = today(ctx.clock, ctx.config.timeZone);
  if (issueDate > now) throw invalid("issueDate", `must not be in the future (today is ${now})`);
}

/** The seller's and the customer's identities as the document being issued will print them, frozen (ids and JSON). */
function frozenIdentities(
  db: Db,
  companyId: string,
  customerId: string,
  company?: ReturnType<typeof companyRow>,
): { customer: number; seller: number; customerJson: string; sellerJson: string } {
  const customer = frozenIdentity(db, companyId, customerIdentity(db, companyId, customerId));
  const seller = frozenIdentity(db, companyId, sellerIdentity(db, companyId, company));
  return { customer: customer.id, seller: seller.id, customerJson: customer.json, sellerJson: seller.json };
}

export function assertExemptionConsistent(row: Pick<InvoiceRow, "vat_exemption">, rates: number[]): void {
  const hasZero = rates.includes(0);
  if (hasZero && !row.vat_exemption) {
    throw invalid("vatExemption", "is required when a line has 0 % VAT (franchise, reverse_charge, intra_eu or export)");
  }
  if (row.vat_exemption && rates.some((r) => r !== 0)) {
    throw invalid("vatExemption", "applies only when every line is at 0 % VAT");
  }
}

export function issueInvoice(ctx: UseCaseContext, companyId: string, invoiceId: string, input: { issueDate?: string | undefined }): Invoice {
  return inTransaction(ctx.db, () => {
    const row = invoiceRow(ctx.db, companyId, invoiceId);
    assertDraft(row, "issued again");
    const issueDate = input.issueDate ?? row.issue_date ?? today(ctx.clock, ctx.config.timeZone);
    assertNotFuture(ctx, issueDate);
    assertPeriodOpen(ctx.db, companyId, issueDate, "Cannot issue this invoice");
    assertChronological(ctx.db, companyId, "invoice", issueDate);
    const lines = linesOf(ctx.db, [invoiceId]).get(invoiceId)!;
    if (lines.length === 0) throw invalid("lines", "an invoice needs at least one line");
    assertExemptionConsistent(row, lines.map((l) => l.vat_rate_bp));
    if (row.ttc_cents <= 0) throw invalid("lines", "the invoice total must be above zero");
    const company = companyRow(ctx.db, companyId);
    const dueDate = row.due_date ?? dueDateFor(issueDate, company.payment_terms_days, company.payment_terms_end_of_month === 1);
    assertDueAfterIssue(issueDate, dueDate, row.vat_exemption);
    const { key, counter, number } = nextNumber(ctx.db, companyId, "invoice", issueDate);
    const identities = frozenIdentities(ctx.db, companyId, row.customer_id, company);
    const now = ctx.clock.now().toISOString();
    ctx.db
      .prepare(
        `UPDATE invoices SET status = 'issued', number = ?, series_key = ?, series_counter = ?, issue_date = ?, due_date = ?,
           customer_identity_id = ?, seller_identity_id = ?, issued_at = ?, updated_at = ? WHERE id = ?`,
      )
      .run(number, key, counter, issueDate, dueDate, identities.customer, identities.seller, now, now, invoiceId);
    // the row as the UPDATE left it, and the lines read above: the chained record without reading them again
    const issued: InvoiceRow = {
      ...row,
      status: "issued",
      number,
      series_key: key,
      series_counter: counter,
      issue_date: issueDate,
      due_date: dueDate,
      customer_identity_id: identities.customer,
      seller_identity_id: identities.seller,
      customer_snapshot: identities.customerJson,
      seller_snapshot: identities.sellerJson,
      issued_at: now,
      updated_at: now,
    };
    addIssuedDocument(ctx.db, invoiceId);
    const vat = vatOf(ctx.db, [invoiceId]).get(invoiceId)!;
    appendToChain(ctx.db, companyId, "invoice", invoiceId, canonicalInvoice(ctx.db, issued, lines, vat));
    recordActivity(ctx.db, ctx.clock.now(), {
      companyId,
      actorId: ctx.actorId,
      action: "invoice.issued",
      recordKind: "invoice",
      recordId: invoiceId,
      recordDate: issueDate,
      before: { status: "draft" },
      after: { status: "issued", number, ttcCents: row.ttc_cents },
    });
    return issuedInvoiceOf(ctx.db, issued, lines, vat);
  });
}

/** Status follows payments: nothing paid → issued; part → partially_paid; all that is due → paid. */
export function statusFor(ttcCents: number, creditedCents: number, paidCents: number): InvoiceStatus {
  if (paidCents <= 0) return "issued";
  return paidCents >= ttcCents - creditedCents ? "paid" : "partially_paid";
}

export function refreshInvoiceStatus(db: Db, invoiceId: string): void {
  const r = db.prepare("SELECT ttc_cents, credited_cents, paid_cents FROM invoices WHERE id = ?").get(invoiceId) as {
    ttc_cents: number;
    credited_cents: number;
    paid_cents: number;
  };
  db.prepare("UPDATE invoices SET status = ? WHERE id = ?").run(statusFor(r.ttc_cents, r.credited_cents, r.paid_cents), invoiceId);
}

export function createCreditNote(ctx: UseCaseContext, companyId: string, invoiceId: string, input: CreditNoteInput & { lines?: { lineId: string; quantity?: string }[] }): Invoice {
  return inTransaction(ctx.db, () => {
    const original = invoiceRow(ctx.db, companyId, invoiceId);
    if (original.type !== "invoice") throw conflict("A credit note corrects an invoice; it cannot itself be credited.");
    if (original.status === "draft") throw conflict("This invoice is a draft: change or delete it instead of crediting it.");
    if (original.order_role === "balance") {
      throw conflict(`Invoice ${original.number} is a balance invoice that deducts the order's deposits; it cannot be credited.`);
    }
    if (original.order_role === "deposit") {
      const balance = ctx.db
        .prepare("SELECT COALESCE(number, 'draft') FROM invoices WHERE order_id = ? AND order_role = 'balance' AND type = 'invoice'")
        .pluck()
        .get(original.order_id) as string | undefined;
      if (balance) throw conflict(`The balance invoice of this order (${balance}) deducts deposit ${original.number}: it can no longer be credited.`);
    }
    const issueDate = input.issueDate ?? today(ctx.clock, ctx.config.timeZone);
    assertNotFuture(ctx, issueDate);
    if (issueDate < original.issue_date!) throw invalid("issueDate", `must be on or after the invoice's date (${original.issue_date})`);
    assertPeriodOpen(ctx.db, companyId, issueDate, "Cannot issue this credit note");
    assertChronological(ctx.db, companyId, "credit_note", issueDate);

    const originalLines = linesOf(ctx.db, [invoiceId]).get(invoiceId)!;
    const remainingByRate = remainingVat(ctx.db, invoiceId);
    const { lines, totals } = input.amount
      ? gestureCreditLines(input.amount, originalLines, remainingByRate)
      : creditedLines(ctx.db, invoiceId, originalLines, input.lines, remainingByRate);
    if (original.credited_cents + totals.ttcCents > original.ttc_cents) {
      throw conflict(`This credit note would credit more than invoice ${original.number} was for.`);
    }
    const id = newId();
    const { key, counter, number } = nextNumber(ctx.db, companyId, "credit_note", issueDate);
    const identities = frozenIdentities(ctx.db, companyId, original.customer_id);
    const now = ctx.clock.now().toISOString();
    ctx.db
      .prepare(
        `INSERT INTO invoices (id, company_id, type, status, number, series_key, series_counter, customer_id, issue_date, due_date,
           notes, vat_exemption, credited_invoice_id, customer_identity_id, seller_identity_id, ht_cents, vat_cents, ttc_cents,
           created_at, updated_at, issued_at, order_id, order_role)
         VALUES (?, ?, 'credit_note', 'issued', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, 0, ?, ?, ?, ?, ?)`,
      )
      .run(id, companyId, number, key, counter, original.customer_id, issueDate, issueDate, input.notes ?? null, original.vat_exemption, invoiceId, identities.customer, identities.seller, now, now, now, original.order_id, original.order_role);
    writeLinesAndTotals(ctx.db, id, lines, totals);
    addIssuedDocument(ctx.db, id);
    // It corrects the same sale: the date, period and place of the supply are the invoice's.
    const delivery = deliveryOf(original);
    if (delivery.deliveryDate || delivery.servicePeriod || delivery.deliveryAddress) writeDelivery(ctx.db, id, delivery);
    ctx.db.prepare("UPDATE invoices SET credited_cents = credited_cents + ?, updated_at = ? WHERE id = ?").run(totals.ttcCents, now, invoiceId);
    refreshInvoiceStatus(ctx.db, invoiceId);
    syncLettering(ctx.db, companyId, invoiceId, ctx.clock.now());
    appendToChain(ctx.db, companyId, "credit_note", id, canonicalInvoice(ctx.db, invoiceRow(ctx.db, companyId, id)));
    recordActivity(ctx.db, ctx.clock.now(), {
      companyId,
      actorId: ctx.actorId,
      action: "credit_note.issued",
      recordKind: "credit_note",
      recordId: id,
      recordDate: issueDate,
      after: { number, creditedInvoice: original.number, ttcCents: totals.ttcCents },
    });
    return loadInvoice(ctx.db, companyId, id);
  });
}

/** The lines a credit note takes from the invoice's (all that remains when `request` is absent), and their totals. */
function creditedLines(
  db: Db,
  invoiceId: string,
  originalLines: LineRow[],
  request: { lineId: string; quantity?: string }[] | undefined,
  remainingByRate: RateTotal[],
): { lines: ResolvedLine[]; totals: InvoiceTotals } {
  const already = db
    .prepare(
      `SELECT l.credited_line_id AS lineId, l.quantity, l.discount_cents, l.net_cents FROM invoice_lines l JOIN invoices n ON n.id = l.invoice_id
       WHERE n.credited_invoice_id = ? AND n.status != 'draft' AND l.credited_line_id IS NOT NULL`,
    )
    .all(invoiceId) as CreditedRow[];
  const credited = creditedByLine(already);
  const result = creditLines(
    originalLines.map((l) => ({
      id: l.id,
      productId: l.product_id,
      description: l.description,
      quantity: l.quantity,
      unitPriceCents: l.unit_price_cents,
      vatRateBp: l.vat_rate_bp,
      discountCents: l.discount_cents,
      kind: l.kind,
      unit: l.unit,
      creditedQuantity: credited.get(l.id)?.quantity ?? "0",
      creditedDiscountCents: credited.get(l.id)?.discount ?? 0,
      creditedNetCents: credited.get(l.id)?.net ?? 0,
    })),
    request,
  );
  if (!result.ok) throw new ProblemError(result.path === "lines" ? 409 : 422, result.path === "lines" ? "Conflict" : "Invalid request", `${result.path}: ${result.message}`, [{ path: result.path, message: result.message }]);
  return { lines: result.lines.map(toResolved), totals: creditNoteTotals(result.lines, remainingByRate) };
}

/** A commercial gesture (shared `gestureCredit`): one line of the amount, 422 on the field that stops it. */
function gestureCreditLines(amount: CreditAmount, originalLines: LineRow[], remainingByRate: RateTotal[]): { lines: ResolvedLine[]; totals: InvoiceTotals } {
  const result = gestureCredit(amount, originalLines.map((l) => ({ vatRateBp: l.vat_rate_bp, kind: l.kind })), remainingByRate);
  if (!result.ok) throw invalid(result.path, result.message);
  return { lines: [{ ...result.line, productId: null, unit: null }], totals: result.totals };
}

function toResolved(l: CreditLine): ResolvedLine {
  return { ...l, unit: l.unit ?? null, creditedLineId: l.creditedLineId };
}

interface CreditedRow {
  lineId: string;
  quantity: string;
  discount_cents: number;
  net_cents: number;
}

/** What earlier credit notes took from each line of an invoice. */
function creditedByLine(rows: CreditedRow[]): Map<string, { quantity: string; discount: number; net: number }> {
  const sums = new Map<string, { q: bigint; discount: number; net: number }>();
  for (const r of rows) {
    const acc = sums.get(r.lineId) ?? { q: 0n, discount: 0, net: 0 };
    acc.q += parseQuantity(r.quantity);
    acc.discount += r.discount_cents;
    acc.net += r.net_cents;
    sums.set(r.lineId, acc);
  }
  return new Map([...sums].map(([id, v]) => [id, { quantity: formatScaledQuantity(v.q), discount: v.discount, net: v.net }]));
}

/** Base and VAT per rate of the invoice minus what its credit notes already took. */
function remainingVat(db: Db, invoiceId: string) {
  const invoiceVat = vatOf(db, [invoiceId]).get(invoiceId)!;
  const taken = db
    .prepare(
      `SELECT v.vat_rate_bp, SUM(v.base_cents) AS base, SUM(v.vat_cents) AS vat FROM invoice_vat v JOIN invoices n ON n.id = v.invoice_id
       WHERE n.credited_invoice_id = ? GROUP BY v.vat_rate_bp`,
    )
    .all(invoiceId) as { vat_rate_bp: number; base: number; vat: number }[];
  return invoiceVat.map((v) => {
    const t = taken.find((x) => x.vat_rate_bp === v.vat_rate_bp);
    return { vatRateBp: v.vat_rate_bp, baseCents: v.base_cents - (t?.base ?? 0), vatCents: v.vat_cents - (t?.vat ?? 0) };
  });
}
