/**
 * What the owner types, read exactly: euros with a comma or a dot ("1 234,5" → 123450 cents) and
 * quantities ("1,5" → "1.5"), by string arithmetic — no binary float between the keyboard and a cent.
 */
import { isQuantity, MAX_CENTS } from "@passerelle/shared/money";

const EUROS = /^(\d{1,9})(?:[.,](\d{0,2}))?$/;

/** "12,50", "12.5", "1 234", "0,07 €" → cents; null when it is not an amount of at most 2 decimals. */
export function parseEuros(text: string): number | null {
  const compact = text.replace(/[\s\u00a0\u202f€]/g, "");
  const match = EUROS.exec(compact);
  if (!match) return null;
  const cents = Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
  return cents <= MAX_CENTS ? cents : null;
}

/** 123450 → "1234,50": how an amount is put back into a field (no thousands separator to trip on). */
export function eurosInput(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}${Math.trunc(abs / 100)},${String(abs % 100).padStart(2, "0")}`;
}

/** "1,5" → "1.5" as the API wants it; null when it is not a positive quantity with at most 4 decimals. */
export function parseQuantityInput(text: string): string | null {
  const normalised = text.replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
  return isQuantity(normalised) ? normalised : null;
}

/** "1.5" → "1,5". */
export function quantityInput(quantity: string): string {
  return quantity.replace(".", ",");
}
