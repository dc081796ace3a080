/**
 * The French catalogue knows every rule the API's code can state: each message literal in api/src
 * and shared/src (read by rule-literals.ts) matches a rule of the catalogue.
 */
import { describe, expect, it } from "vitest";
import { formatEuros } from "@passerelle/shared/format";
import { RULES, TITLES, translateRule } from "@passerelle/shared/problem-i18n";
import { ruleLiterals } from "./rule-literals.js";

/** A literal as a pattern: its `{}` parts are any text (a catalogue rule writes them `{date}`, `{}`…). */
function patternOf(literal: string): RegExp {
  const parts = literal.split("{}").map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${parts.join(".*")}$`, "s");
}

describe("the French catalogue of the API's rules", () => {
  const literals = ruleLiterals();

  it("finds the rules in the code", () => {
    expect(literals.length).toBeGreaterThan(250);
    expect(literals.map((l) => l.text)).toEqual(expect.arrayContaining(["must be a 9-digit SIREN with a valid check digit", "must not be in the future (today is {})", "is an SVG that {}"]));
  });

  it("knows each of them, as a rule or as a title", () => {
    const known = RULES.map(([en]) => en);
    const unknown = literals.filter(({ text }) => {
      const pattern = patternOf(text);
      if (Object.keys(TITLES).some((title) => pattern.test(title))) return false;
      return !known.some((en) => pattern.test(en));
    });
    expect(unknown.map(({ text, where }) => `${where}: ${text}`)).toEqual([]);
  });

  it("translates a rule and its values: dates, amounts, nested rules", () => {
    const misses: string[] = [];
    expect(translateRule("must not be in the future (today is 2026-11-20)", misses)).toBe("ne doit pas être dans le futur (nous sommes le 20/11/2026)");
    expect(translateRule("cannot be reached exactly at this rate once VAT is rounded to the cent: use 1200 or 1201 cents", misses)).toBe(
      `ne peut pas être atteint exactement à ce taux une fois la TVA arrondie au centime : choisissez ${formatEuros(1200)} ou ${formatEuros(1201)}`,
    );
    expect(translateRule("is an SVG that holds a <script>", misses)).toBe("est un SVG qui contient un <script>");
    expect(translateRule("must not be empty: a delivery address needs its city", misses)).toBe("ne doit pas être vide : une adresse de livraison doit avoir sa ville");
    expect(misses).toEqual([]);
    expect(translateRule("is an SVG that sings", misses)).toBe("is an SVG that sings");
    expect(misses).toEqual(["rule: is an SVG that sings"]);
  });
});
