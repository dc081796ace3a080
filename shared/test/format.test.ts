import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { formatDateFr, formatEuros, formatQuantityFr } from "../src/format.js";
import { MAX_CENTS } from "../src/money.js";

describe("formatEuros: fr-FR amounts from integer cents", () => {
  it.each([
    [123_456, "1\u202f234,56\u00a0€"],
    [-123_456, "-1\u202f234,56\u00a0€"],
    [5, "0,05\u00a0€"],
    [-5, "-0,05\u00a0€"],
    [0, "0,00\u00a0€"],
    [100, "1,00\u00a0€"],
    [99_999, "999,99\u00a0€"],
    [100_000, "1\u202f000,00\u00a0€"],
    [100_000_000, "1\u202f000\u202f000,00\u00a0€"],
    [3604, "36,04\u00a0€"],
    [MAX_CENTS, "999\u202f999\u202f999,99\u00a0€"],
  ])("%i cents → %j", (cents, text) => {
    expect(formatEuros(cents)).toBe(text);
  });

  it("can leave out the symbol", () => {
    expect(formatEuros(123_456, false)).toBe("1\u202f234,56");
    expect(formatEuros(-5, false)).toBe("-0,05");
  });

  it("property: matches Intl fr-FR currency formatting for every amount up to MAX_CENTS", () => {
    const intl = new Intl.NumberFormat("fr-FR", { style: "currency", currency: "EUR" });
    fc.assert(
      fc.property(fc.integer({ min: -MAX_CENTS, max: MAX_CENTS }), (cents) => {
        // cents / 100 is the double nearest to the amount; Intl rounds it back to the same 2 decimals
        expect(formatEuros(cents)).toBe(intl.format(cents / 100).replace("\u2212", "-"));
      }),
    );
  });
});

describe("formatDateFr and formatQuantityFr", () => {
  it("formatDateFr: YYYY-MM-DD → DD/MM/YYYY", () => {
    expect(formatDateFr("2026-03-09")).toBe("09/03/2026");
    expect(formatDateFr("2024-12-31")).toBe("31/12/2024");
  });

  it.each([
    ["1.5000", "1,5"],
    ["1.5", "1,5"],
    ["2", "2"],
    ["10", "10"],
    ["100", "100"],
    ["10.0", "10"],
    ["100.00", "100"],
    ["0.25", "0,25"],
    ["0.0001", "0,0001"],
    ["123456789.1234", "123456789,1234"],
  ])("formatQuantityFr(%s) === %s", (quantity, text) => {
    expect(formatQuantityFr(quantity)).toBe(text);
  });
});
