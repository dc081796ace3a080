/**
 * Money is integer cents; quantities are decimal strings with at most 4 decimals.
 * Every multiplication goes through BigInt so no binary float ever touches an amount.
 */

export const QUANTITY_SCALE = 10_000n;
export const MAX_CENTS = 99_999_999_999; // 999 999 999,99 € — far beyond any invoice, safe in a double

const QUANTITY_PATTERN = /^(0|[1-9]\d{0,8})(\.\d{1,4})?$/;

/** True when `value` is a quantity we accept: positive, ≤ 4 decimals, no exponent, no sign. */
export function isQuantity(value: string): boolean {
  return QUANTITY_PATTERN.test(value) && /[1-9]/.test(value);
}

/** "1.5" → 15000n (ten-thousandths). Throws on anything `isQuantity` refuses. */
export function parseQuantity(value: string): bigint {
  const match = QUANTITY_PATTERN.exec(value);
  if (!match) throw new RangeError(`invalid quantity: ${value}`);
  const whole = BigInt(match[1]!);
  const decimals = (match[2] ?? ".").slice(1).padEnd(4, "0");
  const scaled = whole * QUANTITY_SCALE + BigInt(decimals);
  if (scaled === 0n) throw new RangeError(`invalid quantity: ${value} (must be positive)`);
  return scaled;
}

/** Division rounding half away from zero ("half-up" on magnitudes), exact on integers. */
export function divideRoundHalfUp(numerator: bigint, denominator: bigint): bigint {
  if (denominator <= 0n) throw new RangeError("denominator must be positive");
  const negative = numerator < 0n;
  const magnitude = negative ? -numerator : numerator;
  const rounded = (magnitude * 2n + denominator) / (denominator * 2n);
  return negative ? -rounded : rounded;
}

/** Line net = quantity × unit price HT − discount, rounded half-up to the cent (accounting.md §1.1). */
export function lineNetCents(quantity: string, unitPriceCents: number, discountCents = 0): number {
  assertCents(unitPriceCents, "unitPriceCents");
  assertCents(discountCents, "discountCents");
  const gross = divideRoundHalfUp(parseQuantity(quantity) * BigInt(unitPriceCents), QUANTITY_SCALE);
  return Number(gross - BigInt(discountCents));
}

/** Gross amount of a line before its discount, in cents. */
export function lineGrossCents(quantity: string, unitPriceCents: number): number {
  return Number(divideRoundHalfUp(parseQuantity(quantity) * BigInt(unitPriceCents), QUANTITY_SCALE));
}

export function isCents(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && Math.abs(value) <= MAX_CENTS;
}

export function assertCents(value: number, name: string): void {
  if (!isCents(value)) throw new RangeError(`${name} must be an integer number of cents`);
}

/** Sum of integer cents, checked. */
export function sumCents(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  if (!Number.isSafeInteger(total)) throw new RangeError("amount overflow");
  return total;
}
