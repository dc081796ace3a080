/**
 * Deposits (acomptes) on an order and the balance invoice that closes it.
 *
 * The rule, so that deposits and balance add up to the order to the cent, rate by rate:
 *
 * 1. A deposit is asked as a percentage of the order's net (basis points, half-up to the cent) or
 *    as a net amount in cents. Either way it comes to one net amount H.
 * 2. H is shared among the rates in proportion to what the order still leaves at each rate (its
 *    net per rate minus the earlier deposits' net at that rate): each rate takes the floor of its
 *    share, and the cents left go one by one to the largest remainders (the higher rate first on a
 *    tie). The deposit's net per rate never exceeds what is left at that rate, and adds up to H.
 * 3. The deposit is an invoice: VAT per rate on its net per rate, half-up, once per rate
 *    (accounting.md §1) — never more than the VAT the order still leaves at that rate.
 * 4. A deposit must leave something to invoice: H is below what the order still leaves.
 * 5. The balance invoice takes, rate by rate, the order's net and VAT minus the deposits' net and
 *    VAT (after their credit notes): so deposits + balance = the order, per rate, base and VAT.
 *    Its own VAT is that difference, not the rate applied again to the remaining net.
 */
import { divideRoundHalfUp } from "./money.js";
import type { InvoiceTotals, RateTotal } from "./totals.js";
import { vatCents } from "./vat.js";

export type DepositRequest = { percentBp: number } | { amountCents: number };

export type DepositResult = { ok: true; totals: InvoiceTotals } | { ok: false; path: string; message: string };

/** What the order still leaves per rate once `deposits` (each net of its credit notes) are taken off. */
export function remainingByRate(order: InvoiceTotals, deposits: readonly (readonly RateTotal[])[]): RateTotal[] {
  return order.byRate.map((r) => {
    let base = r.baseCents;
    let vat = r.vatCents;
    for (const d of deposits) {
      const taken = d.find((x) => x.vatRateBp === r.vatRateBp);
      base -= taken?.baseCents ?? 0;
      vat -= taken?.vatCents ?? 0;
    }
    return { vatRateBp: r.vatRateBp, baseCents: base, vatCents: vat };
  });
}

/** The net amount a request comes to on an order of `orderHtCents` (rule 1). */
export function depositNetCents(orderHtCents: number, request: DepositRequest): number {
  return "percentBp" in request
    ? Number(divideRoundHalfUp(BigInt(orderHtCents) * BigInt(request.percentBp), 10_000n))
    : request.amountCents;
}

/** Totals of a new deposit on an order that earlier deposits (net of their credit notes) already took from (rules 1–4). */
export function depositTotals(order: InvoiceTotals, earlier: readonly (readonly RateTotal[])[], request: DepositRequest): DepositResult {
  const field = "percentBp" in request ? "percentBp" : "amountCents";
  if (order.htCents <= 0) return { ok: false, path: field, message: "the order's total before VAT must be above zero" };
  const left = remainingByRate(order, earlier).filter((r) => r.baseCents > 0);
  const leftHt = left.reduce((s, r) => s + r.baseCents, 0);
  const net = depositNetCents(order.htCents, request);
  if (net <= 0) return { ok: false, path: field, message: "must come to at least one cent before VAT" };
  if (net >= leftHt) {
    return { ok: false, path: field, message: `must come to less than what the order still leaves before VAT (${leftHt} cents): the balance invoice takes the rest` };
  }
  const shares = left.map((r) => {
    const exact = BigInt(net) * BigInt(r.baseCents);
    return { r, base: exact / BigInt(leftHt), remainder: exact % BigInt(leftHt) };
  });
  let spare = BigInt(net) - shares.reduce((s, x) => s + x.base, 0n);
  for (const x of [...shares].sort((a, b) => (b.remainder > a.remainder ? 1 : b.remainder < a.remainder ? -1 : b.r.vatRateBp - a.r.vatRateBp))) {
    if (spare === 0n) break;
    x.base += 1n;
    spare -= 1n;
  }
  const byRate = shares
    .filter((x) => x.base > 0n)
    .map((x) => {
      const base = Number(x.base);
      return { vatRateBp: x.r.vatRateBp, baseCents: base, vatCents: Math.min(vatCents(base, x.r.vatRateBp), Math.max(x.r.vatCents, 0)) };
    })
    .sort((a, b) => b.vatRateBp - a.vatRateBp);
  const vat = byRate.reduce((s, r) => s + r.vatCents, 0);
  return { ok: true, totals: { htCents: net, vatCents: vat, ttcCents: net + vat, byRate } };
}

/** A deposit's totals less what its credit notes took back, rate by rate (what a balance invoice deducts). */
export function depositNetOfCredits(deposit: readonly RateTotal[], credits: readonly (readonly RateTotal[])[]): RateTotal[] {
  return deposit.map((r) => {
    let base = r.baseCents;
    let vat = r.vatCents;
    for (const c of credits) {
      const taken = c.find((x) => x.vatRateBp === r.vatRateBp);
      base -= taken?.baseCents ?? 0;
      vat -= taken?.vatCents ?? 0;
    }
    return { vatRateBp: r.vatRateBp, baseCents: base, vatCents: vat };
  });
}

/** Totals of the balance invoice: the order less its deposits, rate by rate (rule 5). */
export function balanceTotals(order: InvoiceTotals, deposits: readonly (readonly RateTotal[])[]): InvoiceTotals {
  const byRate = remainingByRate(order, deposits);
  const ht = byRate.reduce((s, r) => s + r.baseCents, 0);
  const vat = byRate.reduce((s, r) => s + r.vatCents, 0);
  return { htCents: ht, vatCents: vat, ttcCents: ht + vat, byRate };
}
