/** fr-FR display of amounts and dates, built from integers (no float rounding in what users read). */

const NARROW_NBSP = "\u202f";
const NBSP = "\u00a0";

/** 123456 → "1 234,56 €" (narrow no-break space between thousands, as fr-FR prints them). */
export function formatEuros(cents: number, withSymbol = true): string {
  const negative = cents < 0;
  const abs = Math.abs(cents);
  const euros = String(Math.trunc(abs / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, NARROW_NBSP);
  const rest = String(abs % 100).padStart(2, "0");
  return `${negative ? "-" : ""}${euros},${rest}${withSymbol ? NBSP + "€" : ""}`;
}

/** "2026-03-09" → "09/03/2026". */
export function formatDateFr(isoDate: string): string {
  const [y, m, d] = isoDate.split("-");
  return `${d}/${m}/${y}`;
}

/** "1.5000" → "1,5" */
export function formatQuantityFr(quantity: string): string {
  return quantity.includes(".") ? quantity.replace(/\.?0+$/, "").replace(".", ",") : quantity;
}
