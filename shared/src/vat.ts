import { divideRoundHalfUp } from "./money.js";

/** VAT rates are basis points: 2000 = 20 %, 550 = 5,5 %. */
export const BASIS_POINTS = 10_000n;

/** The French rates (accounting.md §1): mainland, overseas departments, Corsica, and 0 % with an exemption. */
export const FRENCH_VAT_RATES_BP = [2000, 1300, 1000, 850, 550, 210, 175, 105, 90, 0] as const;
export const MAINLAND_VAT_RATES_BP = [2000, 1000, 550, 210, 0] as const;

export function isFrenchVatRate(rateBp: number): boolean {
  return (FRENCH_VAT_RATES_BP as readonly number[]).includes(rateBp);
}

/** VAT on a per-rate base, rounded half-up once (accounting.md §1.3). */
export function vatCents(baseCents: number, rateBp: number): number {
  return Number(divideRoundHalfUp(BigInt(baseCents) * BigInt(rateBp), BASIS_POINTS));
}

/** "20 %", "5,5 %" — the way a French invoice prints a rate. */
export function formatVatRate(rateBp: number): string {
  const whole = Math.trunc(rateBp / 100);
  const fraction = String(rateBp % 100).padStart(2, "0").replace(/0+$/, "");
  return `${whole}${fraction ? "," + fraction : ""}\u00a0%`;
}

/** Exemption reasons printed when a line's VAT is 0 %. */
export const VAT_EXEMPTIONS = {
  franchise: "TVA non applicable, art. 293 B du CGI",
  reverse_charge: "Autoliquidation",
  intra_eu: "Exonération de TVA, art. 262 ter I du CGI",
  export: "Exonération de TVA, art. 262 I du CGI",
} as const;
export type VatExemption = keyof typeof VAT_EXEMPTIONS;
