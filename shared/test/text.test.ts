import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { plainText, singleLineText, textProblem } from "../src/text.js";

const BIDI = [0x061c, 0x200e, 0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069];
const CONTROLS = [...Array.from({ length: 0x20 }, (_, i) => i), ...Array.from({ length: 0x21 }, (_, i) => 0x7f + i), 0x2028, 0x2029];
const REFUSED = new Set([...CONTROLS, ...BIDI]);
const hex = (cp: number) => `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`;

/** Any text, refused characters swapped for "x". */
const clean = fc.string({ unit: "binary", maxLength: 40 }).map((s) => [...s].map((ch) => (REFUSED.has(ch.codePointAt(0)!) ? "x" : ch)).join(""));
const refused = fc.constantFrom(...REFUSED);

describe("text fields", () => {
  it("names each refused character, one line or several", () => {
    const cases: [string, boolean, string | null][] = [
      ["Acme\u0000SARL", false, "must not contain control characters or line breaks (found U+0000)"],
      ["Acme\u0001", false, "must not contain control characters or line breaks (found U+0001)"],
      ["Acme\u0085SARL", false, "must not contain control characters or line breaks (found U+0085)"],
      ["Acme\nSARL", false, "must not contain control characters or line breaks (found U+000A)"],
      ["Acme\tSARL", false, "must not contain control characters or line breaks (found U+0009)"],
      ["Acme\u2028SARL", false, "must not contain control characters or line breaks (found U+2028)"],
      ["Acme\u007f", false, "must not contain control characters or line breaks (found U+007F)"],
      ["facture\u202efdp.exe", false, "must not contain bidirectional formatting characters (found U+202E)"],
      ["a\u2066b\u2069", false, "must not contain bidirectional formatting characters (found U+2066)"],
      ["a\u200fb", false, "must not contain bidirectional formatting characters (found U+200F)"],
      ["a\u061cb", false, "must not contain bidirectional formatting characters (found U+061C)"],
      ["Ligne 1\nLigne 2", true, null],
      ["Ligne 1\rLigne 2", true, "must not contain control characters other than line breaks (found U+000D)"],
      ["Ligne 1\tLigne 2", true, "must not contain control characters other than line breaks (found U+0009)"],
      ["Ligne 1\u0085Ligne 2", true, "must not contain control characters other than line breaks (found U+0085)"],
      ["Ligne\u202e 1", true, "must not contain bidirectional formatting characters (found U+202E)"],
      ["Café « Le Zinc » — 12\u202f345,67\u00a0€ 😀 עברית", false, null],
    ];
    expect(cases.map(([value, multiline]) => [value, multiline, textProblem(value, multiline)])).toEqual(cases);
  });

  it("a single-line text is accepted trimmed when it holds no refused character", () => {
    fc.assert(
      fc.property(clean, (value) => {
        expect(plainText(100).parse(value)).toBe(value.trim());
      }),
    );
  });

  it("a refused character anywhere inside a text is refused, naming it", () => {
    fc.assert(
      fc.property(clean, refused, clean, fc.boolean(), (before, cp, after, multiline) => {
        if (multiline && cp === 0x0a) return;
        const value = `a${before}${String.fromCodePoint(cp)}${after}z`;
        const result = plainText(100, { multiline }).safeParse(value);
        const first = [...value].find((ch) => REFUSED.has(ch.codePointAt(0)!) && !(multiline && ch === "\n"))!;
        expect(result.success).toBe(false);
        expect(result.error!.issues.map((i) => i.message)).toEqual([textProblem(value, multiline)]);
        expect(textProblem(value, multiline)).toContain(`(found ${hex(first.codePointAt(0)!)})`);
      }),
    );
  });

  it("a multi-line text keeps its line feeds and reads CR LF as one", () => {
    fc.assert(
      fc.property(fc.array(clean, { minLength: 1, maxLength: 5 }), fc.constantFrom("\n", "\r\n"), (lines, separator) => {
        const value = lines.map((l) => `a${l}z`).join(separator);
        expect(plainText(1000, { multiline: true }).parse(value)).toBe(lines.map((l) => `a${l}z`).join("\n"));
      }),
    );
    expect(plainText(100, { multiline: true }).parse("  Ligne 1\r\nLigne 2\r\n")).toBe("Ligne 1\nLigne 2");
  });

  it("counts the maximum length after trimming", () => {
    const field = plainText(5);
    expect([field.safeParse("  12345  ").success, field.safeParse("123456").success]).toEqual([true, false]);
  });

  it("flattens any stored text to one line of visible characters, leaving clean text as it is", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), clean, (any, ok) => {
        const flat = singleLineText(any);
        expect(textProblem(flat)).toBeNull();
        expect(singleLineText(flat)).toBe(flat);
        expect(singleLineText(ok)).toBe(ok);
      }),
    );
    expect(singleLineText('Café "Le Zinc" | Paris\tNord\r\nBis\u0000\u202e!')).toBe('Café "Le Zinc" | Paris Nord Bis !');
  });
});
