import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { invoiceTotals, type InvoiceTotals, type PricedLine } from "../src/totals.js";
import { FRENCH_VAT_RATES_BP } from "../src/vat.js";

/** A quantity as written by a user: 0–4 decimals, positive, and its exact value as numerator / 10^decimals. */
const quantityArb = fc
  .tuple(
    fc.integer({ min: 0, max: 9_999 }),
    fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 0, maxLength: 4 }),
  )
  .filter(([whole, fraction]) => BigInt(`${whole}${fraction}`) > 0n)
  .map(([whole, fraction]) => ({
    text: fraction ? `${whole}.${fraction}` : String(whole),
    numerator: BigInt(`${whole}${fraction}`),
    denominator: 10n ** BigInt(fraction.length),
  }));

/** Half-up division written independently of the code under test (quotient + remainder comparison). */
function roundHalfUp(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  const q = n / denominator;
  const r = n % denominator;
  const rounded = 2n * r >= denominator ? q + 1n : q;
  return negative ? -rounded : rounded;
}

interface GeneratedLine {
  line: PricedLine;
  /** The line net computed by the test, in cents. */
  net: bigint;
}

const lineArb: fc.Arbitrary<GeneratedLine> = fc
  .record({
    quantity: quantityArb,
    unitPriceCents: fc.oneof(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 5_000_000 })),
    vatRateBp: fc.constantFrom(...FRENCH_VAT_RATES_BP),
  })
  .chain(({ quantity, unitPriceCents, vatRateBp }) => {
    const gross = roundHalfUp(quantity.numerator * BigInt(unitPriceCents), quantity.denominator);
    return fc
      .oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: gross }))
      .map((discount) => ({
        line: {
          quantity: quantity.text,
          unitPriceCents,
          vatRateBp,
          discountCents: discount === 0n ? undefined : Number(discount),
        },
        net: gross - discount,
      }));
  });

const linesArb = fc.array(lineArb, { minLength: 0, maxLength: 30 });

function allIntegers(totals: InvoiceTotals): boolean {
  const values = [totals.htCents, totals.vatCents, totals.ttcCents];
  for (const r of totals.byRate) values.push(r.vatRateBp, r.baseCents, r.vatCents);
  return values.every((v) => typeof v === "number" && Number.isInteger(v) && Number.isSafeInteger(v));
}

describe("invoiceTotals properties (accounting.md §1 rounding rule)", () => {
  it("HT = Σ per-rate bases = Σ rounded line nets; VAT = Σ per-rate VAT; TTC = HT + VAT", () => {
    fc.assert(
      fc.property(linesArb, (generated) => {
        const totals = invoiceTotals(generated.map((g) => g.line));
        const expectedHt = generated.reduce((s, g) => s + g.net, 0n);
        expect(BigInt(totals.htCents)).toBe(expectedHt);
        expect(totals.byRate.reduce((s, r) => s + r.baseCents, 0)).toBe(totals.htCents);
        expect(totals.byRate.reduce((s, r) => s + r.vatCents, 0)).toBe(totals.vatCents);
        expect(totals.ttcCents).toBe(totals.htCents + totals.vatCents);
      }),
    );
  });

  it("each per-rate base is the sum of that rate's line nets, and its VAT is base × rate / 10 000 rounded half-up (BigInt)", () => {
    fc.assert(
      fc.property(linesArb, (generated) => {
        const totals = invoiceTotals(generated.map((g) => g.line));
        const bases = new Map<number, bigint>();
        for (const g of generated) bases.set(g.line.vatRateBp, (bases.get(g.line.vatRateBp) ?? 0n) + g.net);
        expect(totals.byRate.map((r) => r.vatRateBp)).toEqual([...bases.keys()].sort((a, b) => b - a));
        for (const r of totals.byRate) {
          const base = bases.get(r.vatRateBp)!;
          expect(BigInt(r.baseCents)).toBe(base);
          expect(BigInt(r.vatCents)).toBe(roundHalfUp(base * BigInt(r.vatRateBp), 10_000n));
        }
      }),
    );
  });

  it("per-rate VAT is within half a cent of the exact rational VAT of its base", () => {
    fc.assert(
      fc.property(linesArb, (generated) => {
        const totals = invoiceTotals(generated.map((g) => g.line));
        for (const r of totals.byRate) {
          // |vat − base × rate / 10000| ≤ 1/2  ⇔  2 × |vat × 10000 − base × rate| ≤ 10000
          const diff = BigInt(r.vatCents) * 10_000n - BigInt(r.baseCents) * BigInt(r.vatRateBp);
          expect(2n * (diff < 0n ? -diff : diff) <= 10_000n).toBe(true);
        }
      }),
    );
  });

  it("no float anywhere: every output value is a safe integer", () => {
    fc.assert(
      fc.property(linesArb, (generated) => {
        expect(allIntegers(invoiceTotals(generated.map((g) => g.line)))).toBe(true);
      }),
    );
  });

  it("totals do not depend on the order of the lines", () => {
    fc.assert(
      fc.property(
        linesArb.chain((generated) =>
          fc.tuple(
            fc.constant(generated),
            fc.shuffledSubarray(generated, { minLength: generated.length, maxLength: generated.length }),
          ),
        ),
        ([lines, shuffled]) => {
          expect(invoiceTotals(shuffled.map((g) => g.line))).toEqual(invoiceTotals(lines.map((g) => g.line)));
        },
      ),
    );
  });

  it("rates are listed highest first, each once", () => {
    fc.assert(
      fc.property(linesArb, (generated) => {
        const rates = invoiceTotals(generated.map((g) => g.line)).byRate.map((r) => r.vatRateBp);
        for (let i = 1; i < rates.length; i++) expect(rates[i - 1]!).toBeGreaterThan(rates[i]!);
      }),
    );
  });
});
