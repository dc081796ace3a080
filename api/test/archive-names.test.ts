import fc from "fast-check";
import yazl from "yazl";
import { describe, expect, it } from "vitest";
import { archiveFileName } from "../src/exports/archive-names.js";

describe("archive entry names", () => {
  it("any stored name becomes one plain, valid entry name: no path part, no control or direction character, NFC, at most 200 characters", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 400 }), (name) => {
        const clean = archiveFileName(name, "document.pdf");
        expect(clean).not.toMatch(/[/\\<>:"|?*\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/);
        expect(clean).not.toMatch(/^[\s.]|[\s.]$/);
        expect(clean.normalize("NFC")).toBe(clean);
        expect([...clean].length).toBeLessThanOrEqual(200);
        // yazl refuses what would extract outside the folder
        expect(() => new yazl.ZipFile().addBuffer(Buffer.alloc(0), `documents/${clean}`)).not.toThrow();
      }),
      { numRuns: 2000 },
    );
  });

  it("characters taken out do not leave a decomposed accent behind", () => {
    expect(archiveFileName("e\u200d\u0301te\u0301.pdf", "x")).toBe("\u00e9t\u00e9.pdf");
  });

  it("a long name keeps its extension", () => {
    expect(archiveFileName(`${"a".repeat(300)}.pdf`, "x")).toBe(`${"a".repeat(196)}.pdf`);
  });
});
