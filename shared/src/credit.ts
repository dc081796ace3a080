/**
 * Credit notes (avoirs): which lines, how much, and never more than was invoiced.
 * A line credited in part gets its discount pro rata; crediting what remains of a line takes
 * exactly what remains (quantity and discount), so the credits of a line always add up to it.
 */
import { divideRoundHalfUp, parseQuantity, QUANTITY_SCALE } from "./money.js";
import { invoiceTotals, type InvoiceTotals, type RateTotal } from "./totals.js";
import type { ProductKind } from "./schemas.js";

export interface CreditableLine {
  id: string;
  productId: string | null;
  description: string;
  quantity: string;
  unitPriceCents: number;
  vatRateBp: number;
  discountCents: number;
  kind: ProductKind;
  /** What earlier credit notes already took from this line. */
  creditedQuantity: string;
  creditedDiscountCents: number;
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
    const quantity = ask.quantity === undefined ? remaining : parseQuantity(ask.quantity);
    if (quantity > remaining) {
      return { ok: false, path: `${path}.quantity`, message: `must not exceed what remains to credit (${formatScaledQuantity(remaining)})` };
    }
    const remainingDiscount = line.discountCents - line.creditedDiscountCents;
    const discount =
      quantity === remaining ? remainingDiscount : Number(divideRoundHalfUp(BigInt(line.discountCents) * quantity, total));
    lines.push({
      creditedLineId: line.id,
      productId: line.productId,
      description: line.description,
      quantity: formatScaledQuantity(quantity),
      unitPriceCents: line.unitPriceCents,
      vatRateBp: line.vatRateBp,
      discountCents: Math.min(discount, remainingDiscount),
      kind: line.kind,
    });
  }
  if (lines.length === 0) return { ok: false, path: "lines", message: "nothing is left to credit on this invoice" };
  return { ok: true, lines };
}

/**
 * Totals of a credit note: the shared rule, except that VAT per rate never exceeds what remains
 * of the invoice's VAT at that rate (per-line rounding could otherwise credit a cent too much).
 */
export function creditNoteTotals(lines: readonly CreditLine[], remainingByRate: readonly RateTotal[]): InvoiceTotals {
  const totals = invoiceTotals(lines);
  const byRate = totals.byRate.map((r) => {
    const left = remainingByRate.find((x) => x.vatRateBp === r.vatRateBp)?.vatCents ?? 0;
    return { ...r, vatCents: Math.min(r.vatCents, Math.max(left, 0)) };
  });
  const vat = byRate.reduce((s, r) => s + r.vatCents, 0);
  return { htCents: totals.htCents, vatCents: vat, ttcCents: totals.htCents + vat, byRate };
}



function parseQuantityOrZero(value: string): bigint {
  return value === "0" || value === "" ? 0n : parseQuantity(value);
}
