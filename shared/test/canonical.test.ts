import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { canonicalJson } from "../src/canonical.js";

describe("canonicalJson: sorted keys, no whitespace, undefined dropped", () => {
  it("does not depend on key order", () => {
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
    expect(canonicalJson({ a: 2, b: 1 })).toBe('{"a":2,"b":1}');
  });

  it("sorts nested objects too, keeps array order", () => {
    const a = { z: { y: [3, { d: 1, c: 2 }], x: null }, a: "é\"\n" };
    const b = { a: "é\"\n", z: { x: null, y: [3, { c: 2, d: 1 }] } };
    expect(canonicalJson(a)).toBe('{"a":"é\\"\\n","z":{"x":null,"y":[3,{"c":2,"d":1}]}}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
    expect(canonicalJson([2, 1])).not.toBe(canonicalJson([1, 2]));
  });

  it("sorts keys by code unit, not locale", () => {
    expect(canonicalJson({ b: 1, B: 2, a: 3, "10": 4, "9": 5 })).toBe('{"10":4,"9":5,"B":2,"a":3,"b":1}');
  });

  it("drops undefined properties (so an absent and an undefined field hash alike)", () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe('{"a":1}');
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson({ n: { x: undefined } })).toBe('{"n":{}}');
    expect(canonicalJson([undefined])).toBe("[null]"); // as JSON.stringify does in arrays
  });

  it("writes scalars as JSON does", () => {
    expect(canonicalJson(null)).toBe("null");
    expect(canonicalJson(true)).toBe("true");
    expect(canonicalJson(0)).toBe("0");
    expect(canonicalJson(-1.5)).toBe("-1.5");
    expect(canonicalJson("x")).toBe('"x"');
    expect(canonicalJson({})).toBe("{}");
    expect(canonicalJson([])).toBe("[]");
  });

  it("throws on NaN and infinities, even nested", () => {
    expect(() => canonicalJson(Number.NaN)).toThrow(RangeError);
    expect(() => canonicalJson(Number.POSITIVE_INFINITY)).toThrow(RangeError);
    expect(() => canonicalJson({ a: { b: [1, Number.NEGATIVE_INFINITY] } })).toThrow(RangeError);
    expect(() => canonicalJson({ amount: Number.NaN })).toThrow(RangeError);
  });

  it("property: any JSON value round-trips and re-serialises identically; key order never matters", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(text).not.toMatch(/^\s|\s$/);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        expect(canonicalJson(reverseKeys(value))).toBe(text);
      }),
    );
  });
});

function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .reverse()
        .map(([k, v]) => [k, reverseKeys(v)]),
    );
  }
  return value;
}
