import { describe, it, expect } from "vitest";
import { addTotals, invoiceTotals, negateTotals, type InvoiceTotals, type PricedLine } from "../src/totals.js";
import { vatCents } from "../src/vat.js";

const line = (quantity: string, unitPriceCents: number, vatRateBp: number, discountCents?: number): PricedLine => ({
  quantity,
  unitPriceCents,
  vatRateBp,
  discountCents,
});

describe("invoiceTotals: round each line, sum per rate, VAT once per rate (accounting.md §1)", () => {
  it("three lines of 10,01 € HT at 20 % → HT 30,03 €, VAT 6,01 €, TTC 36,04 €", () => {
    const totals = invoiceTotals([line("1", 1001, 2000), line("1", 1001, 2000), line("1", 1001, 2000)]);
    expect(totals).toEqual({
      htCents: 3003,
      vatCents: 601,
      ttcCents: 3604,
      byRate: [{ vatRateBp: 2000, baseCents: 3003, vatCents: 601 }],
    });
  });

  it("VAT is computed on the per-rate sum, not per line (per-line rounding would give 3 × 2,00 € = 6,00 €)", () => {
    const lines = [line("1", 1001, 2000), line("1", 1001, 2000), line("1", 1001, 2000)];
    const perLine = lines.reduce((s, l) => s + vatCents(1001, l.vatRateBp), 0);
    expect(perLine).toBe(600);
    expect(invoiceTotals(lines).vatCents).toBe(vatCents(3003, 2000));
    expect(invoiceTotals(lines).vatCents).toBe(601);
  });

  it("a quantity of 3 on one line gives the same totals as three lines of 1", () => {
    expect(invoiceTotals([line("3", 1001, 2000)])).toEqual(
      invoiceTotals([line("1", 1001, 2000), line("1", 1001, 2000), line("1", 1001, 2000)]),
    );
  });

  it("multi-rate invoice with 20 %, 10 %, 5,5 % and discounts: exact per-rate breakdown, highest rate first", () => {
    const totals = invoiceTotals([
      line("0.25", 1234, 550), // 308.5 → 309
      line("2", 5000, 2000), // 10000
      line("3", 1999, 1000, 500), // 5997 − 500 = 5497
      line("1.5", 3335, 2000), // 5002.5 → 5003
      line("1", 1000, 550), // 1000
      line("4", 250, 2000, 100), // 1000 − 100 = 900
    ]);
    expect(totals.byRate).toEqual([
      { vatRateBp: 2000, baseCents: 15_903, vatCents: 3181 }, // 3180.6 → 3181
      { vatRateBp: 1000, baseCents: 5497, vatCents: 550 }, // 549.7 → 550
      { vatRateBp: 550, baseCents: 1309, vatCents: 72 }, // 71.995 → 72
    ]);
    expect(totals.htCents).toBe(22_709);
    expect(totals.vatCents).toBe(3803);
    expect(totals.ttcCents).toBe(26_512);
  });

  it("0 % lines form their own rate with 0 VAT", () => {
    expect(invoiceTotals([line("2", 1500, 0), line("1", 1000, 2000)])).toEqual({
      htCents: 4000,
      vatCents: 200,
      ttcCents: 4200,
      byRate: [
        { vatRateBp: 2000, baseCents: 1000, vatCents: 200 },
        { vatRateBp: 0, baseCents: 3000, vatCents: 0 },
      ],
    });
  });

  it("an empty invoice totals zero with no rate", () => {
    expect(invoiceTotals([])).toEqual({ htCents: 0, vatCents: 0, ttcCents: 0, byRate: [] });
  });

  it("refuses a float price rather than rounding it", () => {
    expect(() => invoiceTotals([line("1", 10.01, 2000)])).toThrow(RangeError);
  });
});

describe("negateTotals: a credit note counts negatively", () => {
  it("flips every sign, rate by rate", () => {
    const totals = invoiceTotals([line("3", 1001, 2000), line("1", 1000, 550)]);
    expect(negateTotals(totals)).toEqual({
      htCents: -4003,
      vatCents: -656,
      ttcCents: -4659,
      byRate: [
        { vatRateBp: 2000, baseCents: -3003, vatCents: -601 },
        { vatRateBp: 550, baseCents: -1000, vatCents: -55 },
      ],
    });
  });

  it("negating twice gives the totals back and does not mutate the input", () => {
    const totals = invoiceTotals([line("3", 1001, 2000)]);
    const copy = structuredClone(totals);
    expect(negateTotals(negateTotals(totals))).toEqual(totals);
    expect(totals).toEqual(copy);
  });
});

describe("addTotals: journal totals add rate by rate", () => {
  it("merges rates across documents, highest rate first", () => {
    const a = invoiceTotals([line("3", 1001, 2000), line("1", 1000, 550)]); // 2000: 3003/601 ; 550: 1000/55
    const b = invoiceTotals([line("1", 5000, 1000), line("1", 997, 2000)]); // 1000: 5000/500 ; 2000: 997/199
    expect(addTotals([a, b])).toEqual({
      htCents: 10_000,
      vatCents: 1355,
      ttcCents: 11_355,
      byRate: [
        { vatRateBp: 2000, baseCents: 4000, vatCents: 800 },
        { vatRateBp: 1000, baseCents: 5000, vatCents: 500 },
        { vatRateBp: 550, baseCents: 1000, vatCents: 55 },
      ],
    });
  });

  it("sums each document's per-rate VAT as stored: 3 × 200 = 600, not re-rounded from the summed base (601)", () => {
    const one: InvoiceTotals = invoiceTotals([line("1", 1001, 2000)]); // 200.2 → 200
    expect(addTotals([one, one, one]).byRate).toEqual([{ vatRateBp: 2000, baseCents: 3003, vatCents: 600 }]);
  });

  it("an invoice plus its negation is zero", () => {
    const t = invoiceTotals([line("3", 1001, 2000), line("0.5", 999, 1000, 10)]);
    const sum = addTotals([t, negateTotals(t)]);
    expect(sum.htCents).toBe(0);
    expect(sum.vatCents).toBe(0);
    expect(sum.ttcCents).toBe(0);
    for (const r of sum.byRate) {
      expect(r.baseCents).toBe(0);
      expect(r.vatCents).toBe(0);
    }
  });

  it("adding nothing is zero, and does not mutate its inputs", () => {
    expect(addTotals([])).toEqual({ htCents: 0, vatCents: 0, ttcCents: 0, byRate: [] });
    const t = invoiceTotals([line("1", 100, 2000)]);
    const copy = structuredClone(t);
    addTotals([t, t]);
    expect(t).toEqual(copy);
  });
});
