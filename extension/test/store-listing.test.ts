// @vitest-environment node
/**
 * What the stores receive besides the package: listing texts in French and English within the
 * consoles' limits, the summary the package itself shows, and screenshots at the sizes required.
 * (That every permission is justified is checked against the built package in build.test.ts.)
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { catalogs } from "./i18n-fake";
import { HEADINGS, readListing, storeDir } from "./store-listing";
import { pngSize } from "./png-size";

describe("store listing", () => {
  for (const language of ["fr", "en"] as const) {
    it(`has every section the consoles ask for, within their limits (${language})`, () => {
      const listing = readListing(language);
      expect(listing.headings).toEqual(HEADINGS[language]);
      expect(listing.text.name).toBe("Passerelle");
      // Chrome shows the manifest's description as the summary: they are one text.
      expect(listing.text.summary).toBe(catalogs[language].extDescription!.message);
      expect(listing.text.summary.length).toBeLessThanOrEqual(132);
      expect(listing.text.description.length).toBeGreaterThan(500);
      expect(listing.text.description.length).toBeLessThanOrEqual(16_000);
      expect(listing.text.singlePurpose.length).toBeLessThanOrEqual(1_000);
      expect(listing.permissions.size).toBeGreaterThan(0);
      for (const [permission, why] of listing.permissions) expect([permission, why.length > 40 && why.length <= 1_000]).toEqual([permission, true]);
    });
  }

  it("says the same things in both languages: the same permissions and the same data declared", () => {
    const [fr, en] = [readListing("fr"), readListing("en")];
    expect([...fr.permissions.keys()]).toEqual([...en.permissions.keys()]);
    expect(fr.firefoxData).toEqual(en.firefoxData);
  });

  it("has a privacy policy in each language", () => {
    for (const language of ["fr", "en"]) expect(fs.readFileSync(path.join(storeDir, `privacy.${language}.md`), "utf8").length).toBeGreaterThan(1_000);
  });
});

describe("store screenshots", () => {
  const shots = (language: string) => fs.readdirSync(path.join(storeDir, "screenshots", language)).sort();

  it("shows the popup, the invoicing view and the options in French and English, at 1280 × 800, with a 440 × 280 promo tile", () => {
    expect(shots("fr")).toEqual(["1-popup.png", "2-invoicing.png", "3-options.png", "promo-440x280.png"]);
    expect(shots("en")).toEqual(shots("fr"));
    for (const language of ["fr", "en"]) {
      for (const file of shots(language)) {
        const expected = file.startsWith("promo") ? { width: 440, height: 280 } : { width: 1280, height: 800 };
        expect([language, file, pngSize(fs.readFileSync(path.join(storeDir, "screenshots", language, file)))]).toEqual([language, file, expected]);
      }
    }
  });
});
