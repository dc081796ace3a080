/**
 * Lettering codes (lettrage, accounting.md §3): AA, AB, … AZ, BA, … ZZ, then AAA, AAB, … — at least
 * two capitals, assigned in order per company. `letteringCode(0)` is "AA".
 */
const LETTERS = 26;

export function letteringCode(position: number): string {
  if (!Number.isSafeInteger(position) || position < 0) throw new RangeError(`invalid lettering position ${position}`);
  let length = 2;
  let block = LETTERS ** length;
  let n = position;
  while (n >= block) {
    n -= block;
    length++;
    block = LETTERS ** length;
  }
  let code = "";
  for (let i = 0; i < length; i++) {
    code = String.fromCharCode(65 + (n % LETTERS)) + code;
    n = Math.floor(n / LETTERS);
  }
  return code;
}

/** The inverse of `letteringCode`; null for anything that is not a code. */
export function letteringPosition(code: string): number | null {
  if (!/^[A-Z]{2,}$/.test(code)) return null;
  let offset = 0;
  for (let length = 2; length < code.length; length++) offset += LETTERS ** length;
  let n = 0;
  for (const ch of code) n = n * LETTERS + (ch.charCodeAt(0) - 65);
  return offset + n;
}
