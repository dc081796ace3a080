import { lineNetCents, sumCents } from "./money.js";
import { vatCents } from "./vat.js";

export interface PricedLine {
  quantity: string;
  unitPriceCents: number;
  vatRateBp: number;
  discountCents?: number | undefined;
}

export interface RateTotal {
  vatRateBp: number;
  baseCents: number;
  vatCents: number;
}

export interface InvoiceTotals {
  htCents: number;
  vatCents: number;
  ttcCents: number;
  byRate: RateTotal[];
}

/**
 * Invoice totals by the rule of accounting.md §1: round each line net, sum nets per rate,
 * VAT once per rate on that sum, TTC = HT + VAT. Rates are listed highest first.
 */
export function invoiceTotals(lines: readonly PricedLine[]): InvoiceTotals {
  const bases = new Map<number, number>();
  for (const line of lines) {
    const net = lineNetCents(line.quantity, line.unitPriceCents, line.discountCents ?? 0);
    bases.set(line.vatRateBp, (bases.get(line.vatRateBp) ?? 0) + net);
  }
  const byRate = [...bases.entries()]
    .sort(([a], [b]) => b - a)
    .map(([vatRateBp, baseCents]) => ({ vatRateBp, baseCents, vatCents: vatCents(baseCents, vatRateBp) }));
  const htCents = sumCents(byRate.map((r) => r.baseCents));
  const vat = sumCents(byRate.map((r) => r.vatCents));
  return { htCents, vatCents: vat, ttcCents: htCents + vat, byRate };
}

/** The same totals with every sign flipped: how a credit note counts in the journal. */
export function negateTotals(totals: InvoiceTotals): InvoiceTotals {
  return {
    htCents: -totals.htCents,
    vatCents: -totals.vatCents,
    ttcCents: -totals.ttcCents,
    byRate: totals.byRate.map((r) => ({ vatRateBp: r.vatRateBp, baseCents: -r.baseCents, vatCents: -r.vatCents })),
  };
}

/** Adds totals rate by rate (journal totals); rates listed highest first. */
export function addTotals(all: Iterable<InvoiceTotals>): InvoiceTotals {
  const rates = new Map<number, RateTotal>();
  let ht = 0;
  let vat = 0;
  for (const t of all) {
    ht += t.htCents;
    vat += t.vatCents;
    for (const r of t.byRate) {
      const acc = rates.get(r.vatRateBp) ?? { vatRateBp: r.vatRateBp, baseCents: 0, vatCents: 0 };
      acc.baseCents += r.baseCents;
      acc.vatCents += r.vatCents;
      rates.set(r.vatRateBp, acc);
    }
  }
  const byRate = [...rates.values()].sort((a, b) => b.vatRateBp - a.vatRateBp);
  return { htCents: ht, vatCents: vat, ttcCents: ht + vat, byRate };
}
