/** A first check before asking the server, which has the final word: one @, a dot in the domain, no spaces. */
export function isPlausibleEmail(value: string): boolean {
  return value.length <= 254 && /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/.test(value);
}
