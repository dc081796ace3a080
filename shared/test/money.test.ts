import { describe, it, expect } from "vitest";
import fc from "fast-check";
import {
  assertCents,
  divideRoundHalfUp,
  isCents,
  isQuantity,
  lineGrossCents,
  lineNetCents,
  MAX_CENTS,
  parseQuantity,
  QUANTITY_SCALE,
  sumCents,
} from "../src/money.js";

describe("parseQuantity: quantities are exact decimals in ten-thousandths", () => {
  it.each([
    ["1.5", 15_000n],
    ["0.0001", 1n],
    ["123456789.1234", 1_234_567_891_234n],
    ["1", 10_000n],
    ["2.25", 22_500n],
    ["10.10", 101_000n],
    ["0.3333", 3_333n],
    ["999999999.9999", 9_999_999_999_999n],
  ])("%s → %s", (text, scaled) => {
    expect(parseQuantity(text)).toBe(scaled);
    expect(isQuantity(text)).toBe(true);
  });

  it("QUANTITY_SCALE is 10 000 (4 decimals)", () => {
    expect(QUANTITY_SCALE).toBe(10_000n);
  });

  it.each([
    ["1.00001", "5 decimals"],
    ["0.00001", "5 decimals"],
    ["1e3", "exponent"],
    ["1E3", "exponent"],
    ["1.5e2", "exponent"],
    ["-1", "minus sign"],
    ["+1", "plus sign"],
    ["-0.5", "negative"],
    [" 1", "leading space"],
    ["1 ", "trailing space"],
    ["", "empty"],
    [".5", "no integer part"],
    ["1.", "dangling point"],
    ["1,5", "decimal comma"],
    ["01", "leading zero"],
    ["1_000", "separator"],
    ["1000000000", "more than 9 integer digits"],
    ["Infinity", "not a number"],
    ["NaN", "not a number"],
    ["0x10", "hex"],
  ])("rejects %j (%s): isQuantity false and parseQuantity throws", (text) => {
    expect(isQuantity(text)).toBe(false);
    expect(() => parseQuantity(text)).toThrow(RangeError);
  });

  it.each(["0", "0.0", "0.0000"])("rejects the zero quantity %j: isQuantity false and parseQuantity throws", (text) => {
    expect(isQuantity(text)).toBe(false);
    expect(() => parseQuantity(text)).toThrow(RangeError);
  });

  it("property: any decimal with 0–4 decimals parses to digits × 10^(4 − decimals)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 999_999_999 }),
        fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 0, maxLength: 4 }),
        (whole, fraction) => {
          const text = fraction ? `${whole}.${fraction}` : String(whole);
          const exact = BigInt(`${whole}${fraction}`) * 10n ** BigInt(4 - fraction.length);
          if (exact === 0n) {
            expect(isQuantity(text)).toBe(false);
          } else {
            expect(isQuantity(text)).toBe(true);
            expect(parseQuantity(text)).toBe(exact);
          }
        },
      ),
    );
  });
});

describe("divideRoundHalfUp: exact integer division, .5 rounds away from zero", () => {
  it.each([
    [5n, 10n, 1n],
    [15n, 10n, 2n],
    [25n, 10n, 3n],
    [14n, 10n, 1n],
    [16n, 10n, 2n],
    [4n, 10n, 0n],
    [0n, 10n, 0n],
    [10n, 10n, 1n],
    [1n, 2n, 1n],
    [1n, 3n, 0n],
    [2n, 3n, 1n],
    [6_006n, 10_000n, 1n],
    [6_005_000n, 10_000n, 601n],
    [6_004_999n, 10_000n, 600n],
  ])("positive: %s / %s → %s", (n, d, q) => {
    expect(divideRoundHalfUp(n, d)).toBe(q);
  });

  it.each([
    [-5n, 10n, -1n],
    [-15n, 10n, -2n],
    [-25n, 10n, -3n],
    [-14n, 10n, -1n],
    [-16n, 10n, -2n],
    [-4n, 10n, 0n],
    [-1n, 2n, -1n],
    [-6_005_000n, 10_000n, -601n],
  ])("negative: %s / %s → %s (symmetric with positives)", (n, d, q) => {
    expect(divideRoundHalfUp(n, d)).toBe(q);
  });

  it("refuses a zero or negative denominator", () => {
    expect(() => divideRoundHalfUp(1n, 0n)).toThrow(RangeError);
    expect(() => divideRoundHalfUp(1n, -10n)).toThrow(RangeError);
  });

  it("property: result is within half a unit of the exact quotient, ties going away from zero", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.bigInt({ min: 1n, max: 10n ** 9n }), (n, d) => {
        const q = divideRoundHalfUp(n, d);
        // |n − q·d| ≤ d/2  ⇔  2·|n − q·d| ≤ d
        const diff = n - q * d;
        const abs = diff < 0n ? -diff : diff;
        expect(2n * abs <= d).toBe(true);
        if (2n * abs === d) {
          // exact tie: away from zero, i.e. |q·d| > |n|
          expect(q * d * (n < 0n ? -1n : 1n) > (n < 0n ? -n : n)).toBe(true);
        }
        expect(divideRoundHalfUp(-n, d)).toBe(-q);
      }),
    );
  });
});

describe("lineNetCents: quantity × unit price, rounded half-up to the cent, minus the discount", () => {
  it.each([
    ["3", 1001, 0, 3003],
    ["0.3333", 1000, 0, 333], // 333.3 → 333
    ["0.6667", 1000, 0, 667], // 666.7 → 667
    ["1.5", 3, 0, 5], // 4.5 → 5 (half-up)
    ["0.5", 1, 0, 1], // 0.5 → 1 (half-up)
    ["0.0001", 5000, 0, 1], // 0.5 → 1
    ["0.0001", 4999, 0, 0], // 0.4999 → 0
    ["2.5", 101, 0, 253], // 252.5 → 253
    ["1", 0, 0, 0],
    ["123456789.1234", 1, 0, 123_456_789], // 123456789.1234 → 123456789
    ["1.25", 1999, 0, 2499], // 2498.75 → 2499
  ])("%s × %i cents − %i → %i", (quantity, unit, discount, net) => {
    expect(lineNetCents(quantity, unit, discount)).toBe(net);
  });

  it("subtracts the discount after rounding the gross: 2.5 × 101 = 252.5 → 253, − 50 = 203", () => {
    expect(lineGrossCents("2.5", 101)).toBe(253);
    expect(lineNetCents("2.5", 101, 50)).toBe(203);
  });

  it("subtracts the discount after rounding: 0.5 × 1 cent = 0.5 → 1, − 1 = 0 (rounding after would give −1)", () => {
    expect(lineNetCents("0.5", 1, 1)).toBe(0);
  });

  it("discount defaults to 0", () => {
    expect(lineNetCents("3", 1001)).toBe(3003);
  });

  it("refuses non-integer, non-finite or out-of-range cents", () => {
    expect(() => lineNetCents("1", 1.5)).toThrow(RangeError);
    expect(() => lineNetCents("1", Number.NaN)).toThrow(RangeError);
    expect(() => lineNetCents("1", Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => lineNetCents("1", MAX_CENTS + 1)).toThrow(RangeError);
    expect(() => lineNetCents("1", 100, 0.5)).toThrow(RangeError);
    expect(() => lineNetCents("1e3", 100)).toThrow(RangeError);
  });

  it("property: equals the BigInt computation (q·p / 10^d rounded half-up) − discount, and is an integer", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99_999 }),
        fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 0, maxLength: 4 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        (whole, fraction, unit, discount) => {
          const digits = BigInt(`${whole}${fraction}`);
          fc.pre(digits > 0n);
          const text = fraction ? `${whole}.${fraction}` : String(whole);
          const den = 10n ** BigInt(fraction.length);
          const product = digits * BigInt(unit);
          const q = product / den;
          const r = product % den;
          const gross = 2n * r >= den ? q + 1n : q;
          const net = lineNetCents(text, unit, discount);
          expect(Number.isSafeInteger(net)).toBe(true);
          expect(lineGrossCents(text, unit)).toBe(Number(gross));
          expect(net).toBe(Number(gross - BigInt(discount)));
        },
      ),
    );
  });
});

describe("cents helpers", () => {
  it("isCents accepts safe integers up to MAX_CENTS in magnitude only", () => {
    expect(MAX_CENTS).toBe(99_999_999_999);
    expect(isCents(0)).toBe(true);
    expect(isCents(-5)).toBe(true);
    expect(isCents(MAX_CENTS)).toBe(true);
    expect(isCents(-MAX_CENTS)).toBe(true);
    expect(isCents(MAX_CENTS + 1)).toBe(false);
    expect(isCents(1.5)).toBe(false);
    expect(isCents(Number.NaN)).toBe(false);
    expect(isCents(Number.POSITIVE_INFINITY)).toBe(false);
    expect(isCents("100")).toBe(false);
    expect(isCents(100n)).toBe(false);
  });

  it("assertCents names the offending field", () => {
    expect(() => assertCents(0.1, "amountCents")).toThrow(/amountCents/);
    expect(() => assertCents(10, "amountCents")).not.toThrow();
  });

  it("sumCents adds integers and refuses an unsafe total", () => {
    expect(sumCents([])).toBe(0);
    expect(sumCents([1001, 1001, 1001])).toBe(3003);
    expect(sumCents([500, -200])).toBe(300);
    expect(() => sumCents([Number.MAX_SAFE_INTEGER, 1])).toThrow(RangeError);
  });
});
