/**
 * Credit notes (avoirs): which lines, how much, and never more than was invoiced.
 * A line credited in part gets its discount pro rata; crediting what remains of a line takes
 * exactly what remains (quantity, and the net in cents), so the credits of a line add up to it.
 *
 * Each credit line's gross is rounded on its own (quantity × unit price, half-up), so partial
 * credits can drift by a cent from the line's rounded gross (0.5 + 0.5 of 1 × 0,01 € would be
 * 0,01 € + 0,01 €). The discount absorbs that drift: a credit line's net never exceeds what
 * remains of the line's net and is never negative (so if earlier parts rounded down, the last
 * one may leave a cent uncredited rather than carry a negative discount).
 */
import { divideRoundHalfUp, isQuantity, lineNetCents, parseQuantity, QUANTITY_SCALE } from "./money.js";
import { invoiceTotals, type InvoiceTotals, type RateTotal } from "./totals.js";
import { vatCents } from "./vat.js";
import type { ProductKind } from "./schemas.js";
import type { UnitKey as LineUnit } from "./units.js";

export interface CreditableLine {
  id: string;
  productId: string | null;
  description: string;
  quantity: string;
  unitPriceCents: number;
  vatRateBp: number;
  discountCents: number;
  kind: ProductKind;
  /** What the quantity counts; absent or null for a plain count. */
  unit?: LineUnit | null;
  /** What earlier credit notes already took from this line. */
  creditedQuantity: string;
  creditedDiscountCents: number;
  /** Σ of the nets (lineNetCents) of the earlier credit lines of this line. */
  creditedNetCents: number;
}

export interface CreditLine {
  creditedLineId: string;
  productId: string | null;
  description: string;
  quantity: string;
  unitPriceCents: number;
  vatRateBp: number;
  discountCents: number;
  kind: ProductKind;
  /** What the quantity counts; absent or null for a plain count. */
  unit?: LineUnit | null;
}

export interface CreditRequestLine {
  lineId: string;
  quantity?: string | undefined;
}

export type CreditResult =
  | { ok: true; lines: CreditLine[] }
  | { ok: false; path: string; message: string };

export function formatScaledQuantity(scaled: bigint): string {
  const whole = scaled / QUANTITY_SCALE;
  const fraction = (scaled % QUANTITY_SCALE).toString().padStart(4, "0").replace(/0+$/, "");
  return fraction ? `${whole}.${fraction}` : whole.toString();
}

/** Lines of a credit note for `request` (every remaining line when absent). */
export function creditLines(original: readonly CreditableLine[], request?: readonly CreditRequestLine[]): CreditResult {
  const wanted: readonly CreditRequestLine[] = request ?? original.map((l) => ({ lineId: l.id }));
  const seen = new Set<string>();
  const lines: CreditLine[] = [];
  for (const [index, ask] of wanted.entries()) {
    const path = `lines.${index}`;
    const line = original.find((l) => l.id === ask.lineId);
    if (!line) return { ok: false, path: `${path}.lineId`, message: "is not a line of this invoice" };
    if (seen.has(line.id)) return { ok: false, path: `${path}.lineId`, message: "appears twice" };
    seen.add(line.id);
    const total = parseQuantity(line.quantity);
    const remaining = total - parseQuantityOrZero(line.creditedQuantity);
    if (remaining <= 0n) {
      if (request) return { ok: false, path: `${path}.lineId`, message: "has already been credited in full" };
      continue;
    }
    if (ask.quantity !== undefined && !isQuantity(ask.quantity)) {
      return { ok: false, path: `${path}.quantity`, message: "must be a positive decimal with at most 4 decimals" };
    }
    const quantity = ask.quantity === undefined ? remaining : parseQuantity(ask.quantity);
    if (quantity > remaining) {
      return { ok: false, path: `${path}.quantity`, message: `must not exceed what remains to credit (${formatScaledQuantity(remaining)})` };
    }
    const gross = Number(divideRoundHalfUp(quantity * BigInt(line.unitPriceCents), QUANTITY_SCALE));
    const remainingNet = Math.max(lineNetCents(line.quantity, line.unitPriceCents, line.discountCents) - line.creditedNetCents, 0);
    const remainingDiscount = Math.max(line.discountCents - line.creditedDiscountCents, 0);
    // The remainder takes exactly the remaining net; a part takes its share of the discount.
    const wantedDiscount =
      quantity === remaining
        ? gross - remainingNet
        : Math.min(Number(divideRoundHalfUp(BigInt(line.discountCents) * quantity, total)), remainingDiscount);
    // Never more than the remaining net, never a negative net, never a negative discount.
    const discount = Math.max(Math.min(Math.max(wantedDiscount, gross - remainingNet), gross), 0);
    lines.push({
      creditedLineId: line.id,
      productId: line.productId,
      description: line.description,
      quantity: formatScaledQuantity(quantity),
      unitPriceCents: line.unitPriceCents,
      vatRateBp: line.vatRateBp,
      discountCents: discount,
      kind: line.kind,
      unit: line.unit ?? null,
    });
  }
  if (lines.length === 0) return { ok: false, path: "lines", message: "nothing is left to credit on this invoice" };
  return { ok: true, lines };
}

/**
 * Totals of a credit note: the shared rule, except that VAT per rate never exceeds what remains
 * of the invoice's VAT at that rate (per-line rounding could otherwise credit a cent too much),
 * and a credit note that takes the last of a rate's base takes the last of its VAT, so an invoice
 * credited in several parts ends cancelled to the cent (1 then 2 of 3 × 10,01 € at 20 %: VAT
 * 2,00 € then 4,01 €, together the invoice's 6,01 €). `remainingByRate` is what the invoice's
 * earlier credit notes left, base and VAT, rate by rate.
 */
export function creditNoteTotals(lines: readonly CreditLine[], remainingByRate: readonly RateTotal[]): InvoiceTotals {
  const totals = invoiceTotals(lines);
  const byRate = totals.byRate.map((r) => {
    const left = remainingByRate.find((x) => x.vatRateBp === r.vatRateBp);
    const leftVat = Math.max(left?.vatCents ?? 0, 0);
    if (left && r.baseCents === left.baseCents) return { ...r, vatCents: leftVat };
    return { ...r, vatCents: Math.min(r.vatCents, leftVat) };
  });
  const vat = byRate.reduce((s, r) => s + r.vatCents, 0);
  return { htCents: totals.htCents, vatCents: vat, ttcCents: totals.htCents + vat, byRate };
}



function parseQuantityOrZero(value: string): bigint {
  return value === "0" || value === "" ? 0n : parseQuantity(value);
}

/**
 * A credit note of an amount alone (a commercial gesture): one line at a rate of the invoice. The
 * amount is the net (`ht`) or what the customer gets back (`ttc`); from a TTC the net is the one
 * whose VAT, rounded as every VAT is (accounting.md §1), gives back exactly that TTC.
 */
export type AmountBasis = "ht" | "ttc";

/** The net and VAT of a gesture, or why the amount cannot be credited exactly at that rate. */
export function gestureAmounts(amountCents: number, basis: AmountBasis, vatRateBp: number): { ok: true; netCents: number; vatCents: number } | { ok: false; message: string } {
  if (basis === "ht") return { ok: true, netCents: amountCents, vatCents: vatCents(amountCents, vatRateBp) };
  const guess = Number(divideRoundHalfUp(BigInt(amountCents) * 10_000n, BigInt(10_000 + vatRateBp)));
  for (const net of [guess, guess - 1, guess + 1]) {
    if (net > 0 && net + vatCents(net, vatRateBp) === amountCents) return { ok: true, netCents: net, vatCents: vatCents(net, vatRateBp) };
  }
  // a TTC between two nets' TTCs: say the two nearest that exist
  const below = guess - 1 + vatCents(guess - 1, vatRateBp);
  const above = guess + 1 + vatCents(guess + 1, vatRateBp);
  const near = [below, guess + vatCents(guess, vatRateBp), above].filter((t) => t !== amountCents && t > 0);
  const lower = Math.max(...near.filter((t) => t < amountCents));
  const upper = Math.min(...near.filter((t) => t > amountCents));
  return { ok: false, message: `cannot be reached exactly at this rate once VAT is rounded to the cent: use ${lower} or ${upper} cents` };
}

export interface GestureLine {
  description: string;
  quantity: string;
  unitPriceCents: number;
  vatRateBp: number;
  discountCents: number;
  kind: ProductKind;
}

/**
 * The one line of a gesture and its totals, or the field that stops it: the rate must be one of the
 * invoice's, and the gesture never takes more than what remains of that rate's base and VAT. Its
 * nature is that of the invoice's lines at that rate (goods when they all are), so it reverses the
 * same revenue account.
 */
export function gestureCredit(
  amount: { amountCents: number; basis: AmountBasis; vatRateBp: number; reason: string },
  invoiceLines: readonly { vatRateBp: number; kind: ProductKind }[],
  remainingByRate: readonly RateTotal[],
): { ok: true; line: GestureLine; totals: InvoiceTotals } | { ok: false; path: string; message: string } {
  const atRate = invoiceLines.filter((l) => l.vatRateBp === amount.vatRateBp);
  if (atRate.length === 0) {
    const rates = [...new Set(invoiceLines.map((l) => l.vatRateBp))].map((r) => `${r / 100} %`).join(", ");
    return { ok: false, path: "amount.vatRateBp", message: `must be a rate of the invoice (${rates})` };
  }
  const figures = gestureAmounts(amount.amountCents, amount.basis, amount.vatRateBp);
  if (!figures.ok) return { ok: false, path: "amount.amountCents", message: figures.message };
  const left = remainingByRate.find((r) => r.vatRateBp === amount.vatRateBp) ?? { baseCents: 0, vatCents: 0 };
  if (figures.netCents > left.baseCents || figures.vatCents > left.vatCents) {
    const leftCents = Math.max(amount.basis === "ht" ? left.baseCents : left.baseCents + left.vatCents, 0);
    return { ok: false, path: "amount.amountCents", message: `must not exceed what remains to credit at this rate (${leftCents} cents ${amount.basis === "ht" ? "before VAT" : "VAT included"})` };
  }
  const line: GestureLine = {
    description: amount.reason,
    quantity: "1",
    unitPriceCents: figures.netCents,
    vatRateBp: amount.vatRateBp,
    discountCents: 0,
    kind: atRate.every((l) => l.kind === "goods") ? "goods" : "services",
  };
  return { ok: true, line, totals: creditNoteTotals([{ ...line, creditedLineId: "", productId: null }], remainingByRate) };
}
