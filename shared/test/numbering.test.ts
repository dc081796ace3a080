import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { formatNumber, NUMBER_PATTERN, parseNumber, SERIES_PREFIX, seriesKey } from "../src/numbering.js";

describe("invoice numbering (accounting.md §2)", () => {
  it("seriesKey is the series prefix and the year of the issue date", () => {
    expect(seriesKey("invoice", "2026-03-09")).toBe("F2026");
    expect(seriesKey("credit_note", "2026-03-09")).toBe("AV2026");
    expect(seriesKey("invoice", "2027-01-01")).toBe("F2027");
    expect(seriesKey("quote", "2026-03-09")).toBe("D2026");
    expect(SERIES_PREFIX).toEqual({ invoice: "F", credit_note: "AV", quote: "D" });
  });

  it("formatNumber pads the counter to 5 digits: F2026-00042", () => {
    expect(formatNumber("F2026", 42)).toBe("F2026-00042");
    expect(formatNumber("F2026", 1)).toBe("F2026-00001");
    expect(formatNumber("AV2026", 7)).toBe("AV2026-00007");
    expect(formatNumber("F2026", 99_999)).toBe("F2026-99999");
    expect(formatNumber("F2026", 123_456)).toBe("F2026-123456");
  });

  it("a number is at most 35 characters: a 29-character key fits, a 30-character key does not", () => {
    const key29 = "K".repeat(29);
    expect(formatNumber(key29, 1)).toHaveLength(35);
    expect(() => formatNumber("K".repeat(30), 1)).toThrow(RangeError);
    expect(() => formatNumber(key29, 100_000)).toThrow(RangeError); // 6-digit counter → 36
  });

  it("only A–Z a–z 0–9 + - _ / are allowed: no spaces, no accents", () => {
    expect(formatNumber("SITE_A/F+2026", 3)).toBe("SITE_A/F+2026-00003");
    expect(() => formatNumber("F 2026", 1)).toThrow(RangeError);
    expect(() => formatNumber("Fé2026", 1)).toThrow(RangeError);
    expect(() => formatNumber("F.2026", 1)).toThrow(RangeError);
    expect(NUMBER_PATTERN.test("F2026-00042")).toBe(true);
    expect(NUMBER_PATTERN.test("")).toBe(false);
    expect(NUMBER_PATTERN.test("A".repeat(36))).toBe(false);
  });

  it("parseNumber splits key and counter at the last dash", () => {
    expect(parseNumber("F2026-00042")).toEqual({ key: "F2026", counter: 42 });
    expect(parseNumber("AV2026-00001")).toEqual({ key: "AV2026", counter: 1 });
    expect(parseNumber("SITE-A-F2026-00007")).toEqual({ key: "SITE-A-F2026", counter: 7 });
    expect(parseNumber("F2026-123456")).toEqual({ key: "F2026", counter: 123_456 });
    expect(parseNumber("F2026")).toBeNull();
    expect(parseNumber("F2026-")).toBeNull();
    expect(parseNumber("-00042")).toBeNull();
    expect(parseNumber("F2026-0004a")).toBeNull();
  });

  it("property: parseNumber(formatNumber(key, n)) gives back key and n", () => {
    const keyArb = fc.string({
      unit: fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+-_/"),
      minLength: 1,
      maxLength: 20,
    });
    fc.assert(
      fc.property(keyArb, fc.integer({ min: 0, max: 9_999_999 }), (key, counter) => {
        const number = formatNumber(key, counter);
        expect(number.length).toBeLessThanOrEqual(35);
        expect(parseNumber(number)).toEqual({ key, counter });
      }),
    );
  });

  it("property: numbers of one series sort like their counters (zero padding) up to 99 999", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 99_999 }), fc.integer({ min: 1, max: 99_999 }), (a, b) => {
        const [na, nb] = [formatNumber("F2026", a), formatNumber("F2026", b)];
        expect(Math.sign(na.localeCompare(nb, "en"))).toBe(Math.sign(a - b));
        expect(na < nb).toBe(a < b);
      }),
    );
  });
});
