import { describe, it, expect } from "vitest";
import {
  BASIS_POINTS,
  formatVatRate,
  FRENCH_VAT_RATES_BP,
  isFrenchVatRate,
  MAINLAND_VAT_RATES_BP,
  VAT_EXEMPTIONS,
  vatCents,
} from "../src/vat.js";

describe("vatCents: base × rate / 10 000, rounded half-up once", () => {
  it.each([
    [3003, 2000, 601], // 600.6 → 601 (the accounting.md example)
    [1001, 2000, 200], // 200.2 → 200
    [10_000, 2000, 2000],
    [5, 1000, 1], // 0.5 cent → 1 (half-up)
    [4, 1000, 0], // 0.4 → 0
    [25, 1000, 3], // 2.5 → 3
    [100, 550, 6], // 5.5 → 6
    [10, 550, 1], // 0.55 → 1
    [500, 210, 11], // 10.5 → 11
    [1309, 550, 72], // 71.995 → 72
    [5497, 1000, 550], // 549.7 → 550
    [1000, 175, 18], // 17.5 → 18
    [1000, 105, 11], // 10.5 → 11
    [1000, 90, 9],
    [12_345, 0, 0],
    [0, 2000, 0],
  ])("%i cents at %i bp → %i", (base, rate, vat) => {
    expect(vatCents(base, rate)).toBe(vat);
  });

  it("rounds a negative base symmetrically (credit notes): −5 at 10 % → −1, −3003 at 20 % → −601", () => {
    expect(vatCents(-5, 1000)).toBe(-1);
    expect(vatCents(-3003, 2000)).toBe(-601);
    expect(vatCents(-4, 1000)).toBe(0);
  });

  it("stays exact on large bases where a float product would be inexact", () => {
    // 99 999 999 999 × 2000 = 199 999 999 998 000 > 2^53 / 100, still exact through BigInt
    expect(vatCents(99_999_999_999, 2000)).toBe(20_000_000_000); // 19 999 999 999.8 → 20 000 000 000
    expect(vatCents(99_999_999_997, 550)).toBe(5_500_000_000); // 5 499 999 999.835 → 5 500 000 000
  });

  it("BASIS_POINTS is 10 000", () => {
    expect(BASIS_POINTS).toBe(10_000n);
  });
});

describe("formatVatRate: French printing of a rate", () => {
  it.each([
    [550, "5,5\u00a0%"],
    [2000, "20\u00a0%"],
    [210, "2,1\u00a0%"],
    [175, "1,75\u00a0%"],
    [1000, "10\u00a0%"],
    [1300, "13\u00a0%"],
    [850, "8,5\u00a0%"],
    [105, "1,05\u00a0%"],
    [90, "0,9\u00a0%"],
    [0, "0\u00a0%"],
  ])("%i bp → %j", (rate, text) => {
    expect(formatVatRate(rate)).toBe(text);
  });
});

describe("French VAT rates (accounting.md §1)", () => {
  it("lists mainland, overseas and Corsica rates, and 0 %", () => {
    expect([...FRENCH_VAT_RATES_BP].sort((a, b) => a - b)).toEqual([0, 90, 105, 175, 210, 550, 850, 1000, 1300, 2000]);
    expect([...MAINLAND_VAT_RATES_BP]).toEqual([2000, 1000, 550, 210, 0]);
    for (const rate of MAINLAND_VAT_RATES_BP) expect(isFrenchVatRate(rate)).toBe(true);
  });

  it.each([1900, 700, 2100, 55, 5.5, -2000, Number.NaN])("%s bp is not a French rate", (rate) => {
    expect(isFrenchVatRate(rate)).toBe(false);
  });

  it("has the legal exemption wordings", () => {
    expect(VAT_EXEMPTIONS.franchise).toBe("TVA non applicable, art. 293 B du CGI");
    expect(VAT_EXEMPTIONS.reverse_charge).toBe("Autoliquidation");
    expect(VAT_EXEMPTIONS.intra_eu).toContain("262 ter I");
    expect(VAT_EXEMPTIONS.export).toContain("262 I");
  });
});
