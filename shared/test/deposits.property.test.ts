import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { balanceTotals, depositNetOfCredits, depositTotals, type DepositRequest } from "../src/deposits.js";
import { invoiceTotals, type InvoiceTotals, type RateTotal } from "../src/totals.js";
import { FRENCH_VAT_RATES_BP, vatCents } from "../src/vat.js";

const lineArb = fc.record({
  quantity: fc.constantFrom("1", "2", "3", "0.5", "1.25", "7", "12.3456"),
  unitPriceCents: fc.oneof(fc.integer({ min: 1, max: 200 }), fc.integer({ min: 1, max: 5_000_000 })),
  vatRateBp: fc.constantFrom(...FRENCH_VAT_RATES_BP),
});
const orderArb = fc.array(lineArb, { minLength: 1, maxLength: 8 }).map((lines) => invoiceTotals(lines));
const requestArb: fc.Arbitrary<DepositRequest> = fc.oneof(
  fc.integer({ min: 1, max: 9_999 }).map((percentBp) => ({ percentBp })),
  fc.integer({ min: 1, max: 2_000_000_000 }).map((amountCents) => ({ amountCents })),
);

/** Σ of the per-rate totals of several documents, one rate at a time. */
function sumAt(docs: readonly (readonly RateTotal[])[], rate: number): { base: number; vat: number } {
  let base = 0;
  let vat = 0;
  for (const d of docs) {
    const r = d.find((x) => x.vatRateBp === rate);
    base += r?.baseCents ?? 0;
    vat += r?.vatCents ?? 0;
  }
  return { base, vat };
}

function depositsOn(order: InvoiceTotals, requests: DepositRequest[]): InvoiceTotals[] {
  const deposits: InvoiceTotals[] = [];
  for (const request of requests) {
    const result = depositTotals(order, deposits.map((d) => d.byRate), request);
    if (result.ok) deposits.push(result.totals);
  }
  return deposits;
}

describe("deposits and balance: the rule of shared/src/deposits.ts", () => {
  it("deposits + balance = the order, per rate, base and VAT, to the cent; nothing negative", { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(orderArb, fc.array(requestArb, { maxLength: 5 }), (order, requests) => {
        const deposits = depositsOn(order, requests);
        const balance = balanceTotals(order, deposits.map((d) => d.byRate));
        for (const r of order.byRate) {
          const dep = sumAt(deposits.map((d) => d.byRate), r.vatRateBp);
          const bal = sumAt([balance.byRate], r.vatRateBp);
          expect(dep.base + bal.base).toBe(r.baseCents);
          expect(dep.vat + bal.vat).toBe(r.vatCents);
          expect(bal.base).toBeGreaterThanOrEqual(0);
          expect(bal.vat).toBeGreaterThanOrEqual(0);
        }
        expect(deposits.reduce((s, d) => s + d.ttcCents, 0) + balance.ttcCents).toBe(order.ttcCents);
        expect(balance.htCents).toBeGreaterThan(0);
        for (const d of deposits) for (const r of d.byRate) expect(order.byRate.map((o) => o.vatRateBp)).toContain(r.vatRateBp);
      }),
      { numRuns: 1_000 },
    );
  });

  it("a deposit comes to the net asked (percentage half-up), VAT per rate by the invoice rule", { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(orderArb, requestArb, (order, request) => {
        const result = depositTotals(order, [], request);
        const asked = "percentBp" in request ? Number((BigInt(order.htCents) * BigInt(request.percentBp) * 2n + 10_000n) / 20_000n) : request.amountCents;
        if (asked <= 0 || asked >= order.htCents) {
          expect(result.ok).toBe(false);
          return;
        }
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(result.totals.htCents).toBe(asked);
        expect(result.totals.byRate.reduce((s, r) => s + r.baseCents, 0)).toBe(asked);
        for (const r of result.totals.byRate) {
          expect(r.vatCents).toBe(vatCents(r.baseCents, r.vatRateBp));
          // in proportion: within one cent of the exact share of the order's net at that rate
          const orderBase = order.byRate.find((o) => o.vatRateBp === r.vatRateBp)!.baseCents;
          expect(Math.abs(r.baseCents * order.htCents - asked * orderBase)).toBeLessThanOrEqual(order.htCents);
        }
        expect(result.totals.ttcCents).toBe(result.totals.htCents + result.totals.vatCents);
      }),
      { numRuns: 1_000 },
    );
  });

  it("a deposit credited in full is no longer deducted: deposits net of credit notes + balance = the order", { timeout: 60_000 }, () => {
    fc.assert(
      fc.property(orderArb, fc.array(requestArb, { minLength: 1, maxLength: 4 }), fc.nat(), (order, requests, pick) => {
        const deposits = depositsOn(order, requests);
        if (deposits.length === 0) return;
        const credited = pick % deposits.length;
        const net = deposits.map((d, i) => (i === credited ? depositNetOfCredits(d.byRate, [d.byRate]) : d.byRate));
        const balance = balanceTotals(order, net);
        for (const r of order.byRate) {
          const dep = sumAt(net, r.vatRateBp);
          const bal = sumAt([balance.byRate], r.vatRateBp);
          expect(dep.base + bal.base).toBe(r.baseCents);
          expect(dep.vat + bal.vat).toBe(r.vatCents);
        }
        expect(sumAt(net.slice(credited, credited + 1), 2000)).toEqual({ base: 0, vat: 0 });
      }),
      { numRuns: 500 },
    );
  });
});

describe("deposits: worked examples", () => {
  // 3 × 10,01 € at 20 % and 100,00 € at 5,5 %: 130,03 € HT, VAT 6,01 € + 5,50 €.
  const order = invoiceTotals([
    { quantity: "3", unitPriceCents: 1001, vatRateBp: 2000 },
    { quantity: "1", unitPriceCents: 10000, vatRateBp: 550 },
  ]);

  it("30 % of 130,03 € is 39,01 € HT: 9,01 € at 20 % (VAT 1,80 €) and 30,00 € at 5,5 % (VAT 1,65 €)", () => {
    const result = depositTotals(order, [], { percentBp: 3000 });
    expect(result).toEqual({
      ok: true,
      totals: {
        htCents: 3901,
        vatCents: 345,
        ttcCents: 4246,
        byRate: [
          { vatRateBp: 2000, baseCents: 901, vatCents: 180 },
          { vatRateBp: 550, baseCents: 3000, vatCents: 165 },
        ],
      },
    });
  });

  it("the balance after it: 21,02 € at 20 % (VAT 4,21 €), 70,00 € at 5,5 % (VAT 3,85 €), 99,08 € TTC", () => {
    const deposit = depositTotals(order, [], { percentBp: 3000 });
    if (!deposit.ok) throw new Error(deposit.message);
    expect(balanceTotals(order, [deposit.totals.byRate])).toEqual({
      htCents: 9102,
      vatCents: 806,
      ttcCents: 9908,
      byRate: [
        { vatRateBp: 2000, baseCents: 2102, vatCents: 421 },
        { vatRateBp: 550, baseCents: 7000, vatCents: 385 },
      ],
    });
    expect(4246 + 9908).toBe(order.ttcCents);
  });

  it("refuses a deposit that would leave nothing for the balance, naming the field", () => {
    expect(depositTotals(order, [], { amountCents: 13003 })).toEqual({
      ok: false,
      path: "amountCents",
      message: "must come to less than what the order still leaves before VAT (13003 cents): the balance invoice takes the rest",
    });
    expect(depositTotals(order, [], { percentBp: 0 })).toMatchObject({ ok: false, path: "percentBp" });
  });
});
