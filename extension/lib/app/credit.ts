/**
 * A credit note before it is issued: what each line of the invoice still has to credit and what
 * the credit note will hold, by the shared rules the API applies (`creditLines`,
 * `creditNoteTotals`) on the same inputs — the invoice and its earlier credit notes.
 */
import type { Invoice } from "@passerelle/shared";
import {
  creditLines,
  creditNoteTotals,
  formatScaledQuantity,
  gestureCredit,
  type AmountBasis,
  type CreditableLine,
  type CreditLine,
  type CreditRequestLine,
  type GestureLine,
} from "@passerelle/shared/credit";
import { parseQuantity } from "@passerelle/shared/money";
import type { InvoiceTotals, RateTotal } from "@passerelle/shared/totals";

/** The invoice's lines with what its credit notes already took from each. */
export function creditableLines(invoice: Invoice, creditNotes: readonly Invoice[]): CreditableLine[] {
  const taken = new Map<string, { quantity: bigint; discount: number; net: number }>();
  for (const note of creditNotes) {
    if (note.creditedInvoiceId !== invoice.id || note.status === "draft") continue;
    for (const l of note.lines) {
      if (!l.creditedLineId) continue;
      const acc = taken.get(l.creditedLineId) ?? { quantity: 0n, discount: 0, net: 0 };
      acc.quantity += parseQuantity(l.quantity);
      acc.discount += l.discountCents;
      acc.net += l.netCents;
      taken.set(l.creditedLineId, acc);
    }
  }
  return invoice.lines.map((l) => ({
    id: l.id,
    productId: l.productId,
    description: l.description,
    quantity: l.quantity,
    unitPriceCents: l.unitPriceCents,
    vatRateBp: l.vatRateBp,
    discountCents: l.discountCents,
    kind: l.kind,
    creditedQuantity: formatScaledQuantity(taken.get(l.id)?.quantity ?? 0n),
    creditedDiscountCents: taken.get(l.id)?.discount ?? 0,
    creditedNetCents: taken.get(l.id)?.net ?? 0,
  }));
}

/** Base and VAT per rate of the invoice, less its earlier credit notes. */
export function remainingByRate(invoice: Invoice, creditNotes: readonly Invoice[]): RateTotal[] {
  const notes = creditNotes.filter((n) => n.creditedInvoiceId === invoice.id && n.status !== "draft");
  return invoice.totals.byRate.map((r) => {
    const taken = notes.flatMap((n) => n.totals.byRate).filter((x) => x.vatRateBp === r.vatRateBp);
    return {
      vatRateBp: r.vatRateBp,
      baseCents: r.baseCents - taken.reduce((s, x) => s + x.baseCents, 0),
      vatCents: r.vatCents - taken.reduce((s, x) => s + x.vatCents, 0),
    };
  });
}

/** "3" of "5" → "2": what a line still has to credit. */
export function remainingQuantity(line: CreditableLine): string {
  return formatScaledQuantity(parseQuantity(line.quantity) - (line.creditedQuantity === "0" ? 0n : parseQuantity(line.creditedQuantity)));
}

export type CreditPreview =
  | { ok: true; lines: CreditLine[]; totals: InvoiceTotals }
  | { ok: false; path: string; message: string };

/** The credit note `request` would make (every remaining line when absent). */
export function previewCreditNote(invoice: Invoice, creditNotes: readonly Invoice[], request?: readonly CreditRequestLine[]): CreditPreview {
  const result = creditLines(creditableLines(invoice, creditNotes), request);
  if (!result.ok) return result;
  return { ok: true, lines: result.lines, totals: creditNoteTotals(result.lines, remainingByRate(invoice, creditNotes)) };
}

/** A credit note of an amount alone, as the API will issue it (`gestureCredit`), or the field that stops it. */
export function previewGesture(
  invoice: Invoice,
  creditNotes: readonly Invoice[],
  amount: { amountCents: number; basis: AmountBasis; vatRateBp: number; reason: string },
): { ok: true; line: GestureLine; totals: InvoiceTotals } | { ok: false; path: string; message: string } {
  return gestureCredit(amount, invoice.lines, remainingByRate(invoice, creditNotes));
}

/** What is left to credit on the invoice, TTC. */
export function leftToCreditCents(invoice: Invoice): number {
  return Math.max(invoice.totals.ttcCents - invoice.creditedCents, 0);
}
