/**
 * Orders, their deposits and their balance invoice (shared/src/deposits.ts states the rule).
 *
 * An order is what the customer ordered, priced like an invoice; it is not a document of the
 * books. A deposit is a draft invoice asked on it (a percentage of its net or a net amount), one
 * line per VAT rate, issued in the invoice series like any invoice. The balance invoice lists the
 * whole order and deducts every issued deposit (net of its credit notes): its totals are what is
 * left, rate by rate, so the deposits and the balance add up to the order to the cent.
 */
import {
  balanceTotals,
  depositNetOfCredits,
  depositTotals,
  formatDateFr,
  invoiceTotals,
  type BalanceInput,
  type DepositInput,
  type DepositRequest,
  type Invoice,
  type InvoiceTotals,
  type Order,
  type OrderInput,
  type QuoteOrderInput,
  type RateTotal,
  type LineUnit,
} from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import type { UseCaseContext } from "../context.js";
import { inTransaction } from "../db/connection.js";
import { newId } from "../db/ids.js";
import { loadInvoice, vatOf } from "../db/invoices.js";
import { conflict, invalid, notFound } from "../http/problem.js";
import { today } from "../clock.js";
import { recordActivity } from "./activity.js";
import { acceptedQuoteAmounts } from "./quotes.js";
import { assertCustomerExists, assertDueAfterIssue, resolveLines, writeLinesAndTotals, type LineInput, type ResolvedLine } from "./invoices.js";

interface OrderRow {
  id: string;
  company_id: string;
  customer_id: string;
  quote_id: string | null;
  reference: string | null;
  order_date: string;
  ht_cents: number;
  vat_cents: number;
  ttc_cents: number;
  created_at: string;
  customer_code: string;
  customer_name: string;
}

interface OrderLineRow {
  position: number;
  product_id: string | null;
  description: string;
  quantity: string;
  unit_price_cents: number;
  vat_rate_bp: number;
  discount_cents: number;
  kind: "goods" | "services";
  unit: LineUnit | null;
  net_cents: number;
}

interface DepositRow {
  id: string;
  number: string | null;
  issue_date: string | null;
  status: Invoice["status"];
}

function orderRow(db: Db, companyId: string, orderId: string): OrderRow {
  const row = db
    .prepare(
      `SELECT o.*, c.code AS customer_code, c.name AS customer_name FROM orders o JOIN customers c ON c.id = o.customer_id
       WHERE o.company_id = ? AND o.id = ?`,
    )
    .get(companyId, orderId) as OrderRow | undefined;
  if (!row) throw notFound("order");
  return row;
}

function orderLines(db: Db, orderId: string): OrderLineRow[] {
  return db.prepare("SELECT * FROM order_lines WHERE order_id = ? ORDER BY position").all(orderId) as OrderLineRow[];
}

function orderTotals(db: Db, row: OrderRow): InvoiceTotals {
  const byRate = db
    .prepare("SELECT vat_rate_bp AS vatRateBp, base_cents AS baseCents, vat_cents AS vatCents FROM order_vat WHERE order_id = ? ORDER BY vat_rate_bp DESC")
    .all(row.id) as RateTotal[];
  return { htCents: row.ht_cents, vatCents: row.vat_cents, ttcCents: row.ttc_cents, byRate };
}

/** The order's deposit invoices (drafts included), in the order they were asked. */
function depositRows(db: Db, orderId: string): DepositRow[] {
  return db
    .prepare("SELECT id, number, issue_date, status FROM invoices WHERE order_id = ? AND type = 'invoice' AND order_role = 'deposit' ORDER BY pk")
    .all(orderId) as DepositRow[];
}

/** Each deposit's per-rate totals less its issued credit notes'. */
function depositsNetOfCredits(db: Db, deposits: DepositRow[]): Map<string, RateTotal[]> {
  const ids = deposits.map((d) => d.id);
  const own = vatOf(db, ids);
  const creditIds = db
    .prepare("SELECT id, credited_invoice_id FROM invoices WHERE credited_invoice_id IN (SELECT value FROM json_each(?)) AND status != 'draft'")
    .all(JSON.stringify(ids)) as { id: string; credited_invoice_id: string }[];
  const creditVat = vatOf(db, creditIds.map((c) => c.id));
  const out = new Map<string, RateTotal[]>();
  for (const id of ids) {
    const rates = own.get(id)!.map((v) => ({ vatRateBp: v.vat_rate_bp, baseCents: v.base_cents, vatCents: v.vat_cents }));
    const credits = creditIds
      .filter((c) => c.credited_invoice_id === id)
      .map((c) => creditVat.get(c.id)!.map((v) => ({ vatRateBp: v.vat_rate_bp, baseCents: v.base_cents, vatCents: v.vat_cents })));
    out.set(id, depositNetOfCredits(rates, credits));
  }
  return out;
}

const sum = (rates: readonly RateTotal[]) => {
  const ht = rates.reduce((s, r) => s + r.baseCents, 0);
  const vat = rates.reduce((s, r) => s + r.vatCents, 0);
  return { htCents: ht, vatCents: vat, ttcCents: ht + vat };
};

export function loadOrder(db: Db, companyId: string, orderId: string): Order {
  const row = orderRow(db, companyId, orderId);
  const totals = orderTotals(db, row);
  const deposits = depositRows(db, orderId);
  const nets = depositsNetOfCredits(db, deposits);
  const balance = db
    .prepare("SELECT id FROM invoices WHERE order_id = ? AND type = 'invoice' AND order_role = 'balance'")
    .pluck()
    .get(orderId) as string | undefined;
  return {
    id: row.id,
    customer: { id: row.customer_id, code: row.customer_code, name: row.customer_name },
    quoteId: row.quote_id,
    reference: row.reference,
    orderDate: row.order_date,
    lines: orderLines(db, orderId).map((l) => ({
      position: l.position,
      productId: l.product_id,
      description: l.description,
      quantity: l.quantity,
      unitPriceCents: l.unit_price_cents,
      vatRateBp: l.vat_rate_bp,
      discountCents: l.discount_cents,
      kind: l.kind,
      unit: l.unit,
      netCents: l.net_cents,
    })),
    totals,
    deposits: deposits.map((d) => {
      const byRate = nets.get(d.id)!;
      return { invoiceId: d.id, number: d.number, issueDate: d.issue_date, status: d.status, ...sum(byRate), byRate };
    }),
    balanceInvoiceId: balance ?? null,
    leftTotals: balanceTotals(totals, [...nets.values()]),
    createdAt: row.created_at,
  };
}

function insertOrder(
  ctx: UseCaseContext,
  companyId: string,
  order: { customerId: string; quoteId: string | null; reference: string | null; orderDate: string },
  lines: ResolvedLine[],
  after: Record<string, unknown>,
): Order {
  const totals = invoiceTotals(lines);
  if (totals.htCents <= 0) throw invalid("lines", "the order's total before VAT must be above zero");
  const id = newId();
  const now = ctx.clock.now().toISOString();
  ctx.db
    .prepare(
      `INSERT INTO orders (id, company_id, customer_id, quote_id, reference, order_date, ht_cents, vat_cents, ttc_cents, created_at, created_by)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(id, companyId, order.customerId, order.quoteId, order.reference, order.orderDate, totals.htCents, totals.vatCents, totals.ttcCents, now, ctx.actorId);
  const insertLine = ctx.db.prepare(
    `INSERT INTO order_lines (order_id, position, product_id, description, quantity, unit_price_cents, vat_rate_bp, discount_cents, kind, unit, net_cents)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  lines.forEach((l, i) =>
    insertLine.run(id, i + 1, l.productId, l.description, l.quantity, l.unitPriceCents, l.vatRateBp, l.discountCents, l.kind, l.unit, invoiceTotals([l]).htCents),
  );
  const insertVat = ctx.db.prepare("INSERT INTO order_vat (order_id, vat_rate_bp, base_cents, vat_cents) VALUES (?, ?, ?, ?)");
  for (const r of totals.byRate) insertVat.run(id, r.vatRateBp, r.baseCents, r.vatCents);
  recordActivity(ctx.db, ctx.clock.now(), {
    companyId,
    actorId: ctx.actorId,
    action: "order.created",
    recordKind: "order",
    recordId: id,
    recordDate: order.orderDate,
    after: { customerId: order.customerId, lines: lines.length, ttcCents: totals.ttcCents, ...after },
  });
  return loadOrder(ctx.db, companyId, id);
}

export function createOrder(ctx: UseCaseContext, companyId: string, input: OrderInput & { lines: LineInput[] }): Order {
  return inTransaction(ctx.db, () => {
    assertCustomerExists(ctx.db, companyId, input.customerId);
    const lines = resolveLines(ctx.db, companyId, input.lines);
    const orderDate = input.orderDate ?? today(ctx.clock, ctx.config.timeZone);
    return insertOrder(ctx, companyId, { customerId: input.customerId, quoteId: null, reference: input.reference ?? null, orderDate }, lines, {});
  });
}

/**
 * The order of an accepted quote: the quote's customer, lines (units and nature included) and
 * exemption, so its totals are the quote's to the cent. A quote is ordered or invoiced, once:
 * 409 when it already has its order or its invoice (and `invoiceFromQuote` refuses a quote that
 * has its order), 409 unless accepted, 404 for a quote the company does not have.
 */
export function orderFromQuote(ctx: UseCaseContext, companyId: string, quoteId: string, input: QuoteOrderInput): Order {
  return inTransaction(ctx.db, () => {
    const quote = acceptedQuoteAmounts(ctx.db, companyId, quoteId);
    assertQuoteFree(ctx.db, companyId, quoteId, quote.number);
    const decidedOn = ctx.db.prepare("SELECT decided_on FROM quotes WHERE id = ?").pluck().get(quoteId) as string;
    const orderDate = input.orderDate ?? decidedOn;
    if (orderDate < decidedOn) throw invalid("orderDate", `must be on or after the quote's acceptance (${decidedOn})`);
    const todayIs = today(ctx.clock, ctx.config.timeZone);
    if (orderDate > todayIs) throw invalid("orderDate", `must not be in the future (today is ${todayIs})`);
    const lines: ResolvedLine[] = quote.lines.map((l) => ({
      productId: l.productId,
      description: l.description,
      quantity: l.quantity,
      unitPriceCents: l.unitPriceCents,
      vatRateBp: l.vatRateBp,
      discountCents: l.discountCents,
      kind: l.kind,
      unit: l.unit,
    }));
    return insertOrder(ctx, companyId, { customerId: quote.customerId, quoteId, reference: input.reference ?? null, orderDate }, lines, { quote: quote.number });
  });
}

/** 409 when the quote already has its order or its invoice: a quote is ordered or invoiced, once. */
export function assertQuoteFree(db: Db, companyId: string, quoteId: string, quoteNumber: string): void {
  const invoice = db
    .prepare("SELECT i.id, i.number FROM quotes q JOIN invoices i ON i.id = q.invoice_id WHERE q.company_id = ? AND q.id = ?")
    .get(companyId, quoteId) as { id: string; number: string | null } | undefined;
  if (invoice) throw conflict(`Quote ${quoteNumber} is already invoiced${invoice.number ? ` by ${invoice.number}` : " (a draft invoice)"}.`);
  const order = db.prepare("SELECT reference, order_date FROM orders WHERE company_id = ? AND quote_id = ?").get(companyId, quoteId) as { reference: string | null; order_date: string } | undefined;
  if (order) {
    throw conflict(
      `Quote ${quoteNumber} already has its order${order.reference ? ` ${order.reference}` : ""} of ${order.order_date}: its deposits and its balance invoice are asked there.`,
    );
  }
}

/** "30 %", "12,5 %" from basis points. */
function percentLabel(percentBp: number): string {
  const whole = Math.trunc(percentBp / 100);
  const fraction = String(percentBp % 100).padStart(2, "0").replace(/0+$/, "");
  return `${whole}${fraction ? "," + fraction : ""}\u00a0%`;
}

function orderLabel(row: OrderRow): string {
  return `la commande${row.reference ? ` ${row.reference}` : ""} du ${formatDateFr(row.order_date)}`;
}

function assertNoBalance(db: Db, orderId: string, what: string): void {
  const balance = db
    .prepare("SELECT COALESCE(number, 'draft') FROM invoices WHERE order_id = ? AND order_role = 'balance' AND type = 'invoice'")
    .pluck()
    .get(orderId) as string | undefined;
  if (balance) throw conflict(`This order already has its balance invoice (${balance}): ${what}`);
}

function insertDraft(
  ctx: UseCaseContext,
  companyId: string,
  order: OrderRow,
  role: "deposit" | "balance",
  input: { issueDate?: string | undefined; dueDate?: string | undefined; notes?: string | undefined },
  depositsHt: number,
): string {
  assertDueAfterIssue(input.issueDate, input.dueDate);
  const id = newId();
  const now = ctx.clock.now().toISOString();
  ctx.db
    .prepare(
      `INSERT INTO invoices (id, company_id, type, status, customer_id, issue_date, due_date, notes, vat_exemption,
         ht_cents, vat_cents, ttc_cents, created_at, updated_at, order_id, order_role, deposits_ht_cents)
       VALUES (?, ?, 'invoice', 'draft', ?, ?, ?, ?, (SELECT vat_exemption FROM quotes WHERE company_id = ? AND id = ?), 0, 0, 0, ?, ?, ?, ?, ?)`,
    )
    .run(id, companyId, order.customer_id, input.issueDate ?? null, input.dueDate ?? null, input.notes ?? null, companyId, order.quote_id, now, now, order.id, role, depositsHt);
  return id;
}

/** A draft deposit invoice on the order: one line per VAT rate, its net shared among them in proportion. */
export function createDeposit(ctx: UseCaseContext, companyId: string, orderId: string, input: DepositInput): Invoice {
  return inTransaction(ctx.db, () => {
    const order = orderRow(ctx.db, companyId, orderId);
    assertNoBalance(ctx.db, orderId, "no deposit can be asked any more");
    const totals = orderTotals(ctx.db, order);
    const earlier = [...depositsNetOfCredits(ctx.db, depositRows(ctx.db, orderId)).values()];
    const request: DepositRequest = input.percentBp !== undefined ? { percentBp: input.percentBp } : { amountCents: input.amountCents ?? 0 };
    const result = depositTotals(totals, earlier, request);
    if (!result.ok) throw invalid(result.path, result.message);
    const lines = orderLines(ctx.db, orderId);
    const what = `Acompte${"percentBp" in request ? ` de ${percentLabel(request.percentBp)}` : ""} sur ${orderLabel(order)}`;
    const depositLines: ResolvedLine[] = result.totals.byRate.map((r) => ({
      productId: null,
      description: result.totals.byRate.length > 1 ? `${what} (part à ${percentLabel(r.vatRateBp)} de TVA)` : what,
      quantity: "1",
      unitPriceCents: r.baseCents,
      vatRateBp: r.vatRateBp,
      discountCents: 0,
      unit: null,
      kind: lines.filter((l) => l.vat_rate_bp === r.vatRateBp).every((l) => l.kind === "goods") ? "goods" : "services",
    }));
    const id = insertDraft(ctx, companyId, order, "deposit", input, 0);
    writeLinesAndTotals(ctx.db, id, depositLines, result.totals);
    recordActivity(ctx.db, ctx.clock.now(), {
      companyId,
      actorId: ctx.actorId,
      action: "invoice.draft_created",
      recordKind: "invoice",
      recordId: id,
      recordDate: input.issueDate ?? null,
      after: { orderId, deposit: request, ttcCents: result.totals.ttcCents },
    });
    return loadInvoice(ctx.db, companyId, id);
  });
}

/** The draft balance invoice of the order: its whole lines, each issued deposit deducted. */
export function createBalance(ctx: UseCaseContext, companyId: string, orderId: string, input: BalanceInput): Invoice {
  return inTransaction(ctx.db, () => {
    const order = orderRow(ctx.db, companyId, orderId);
    assertNoBalance(ctx.db, orderId, "open it instead");
    const deposits = depositRows(ctx.db, orderId);
    const draft = deposits.find((d) => d.status === "draft");
    if (draft) throw conflict("A deposit of this order is still a draft: issue it or delete it before the balance invoice.");
    const nets = depositsNetOfCredits(ctx.db, deposits);
    const deducted = [...nets].filter(([, rates]) => rates.some((r) => r.baseCents !== 0 || r.vatCents !== 0));
    const totals = balanceTotals(orderTotals(ctx.db, order), deducted.map(([, rates]) => rates));
    const lines: ResolvedLine[] = orderLines(ctx.db, orderId).map((l) => ({
      productId: l.product_id,
      description: l.description,
      quantity: l.quantity,
      unitPriceCents: l.unit_price_cents,
      vatRateBp: l.vat_rate_bp,
      discountCents: l.discount_cents,
      kind: l.kind,
      unit: l.unit,
    }));
    const depositsHt = deducted.reduce((s, [, rates]) => s + rates.reduce((t, r) => t + r.baseCents, 0), 0);
    const id = insertDraft(ctx, companyId, order, "balance", input, depositsHt);
    writeLinesAndTotals(ctx.db, id, lines, totals);
    const insert = ctx.db.prepare("INSERT INTO invoice_deductions (invoice_id, deposit_invoice_id, vat_rate_bp, base_cents, vat_cents) VALUES (?, ?, ?, ?, ?)");
    for (const [depositId, rates] of deducted) for (const r of rates) insert.run(id, depositId, r.vatRateBp, r.baseCents, r.vatCents);
    recordActivity(ctx.db, ctx.clock.now(), {
      companyId,
      actorId: ctx.actorId,
      action: "invoice.draft_created",
      recordKind: "invoice",
      recordId: id,
      recordDate: input.issueDate ?? null,
      after: { orderId, balance: true, deposits: deducted.length, ttcCents: totals.ttcCents },
    });
    return loadInvoice(ctx.db, companyId, id);
  });
}
