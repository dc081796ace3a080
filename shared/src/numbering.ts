/** Invoice numbers: `<prefix><year>-<counter padded to 5>`, ≤ 35 characters of [A-Za-z0-9+-_/] (accounting.md §2). */

export const NUMBER_PATTERN = /^[A-Za-z0-9+\-_/]{1,35}$/;

/** Quotes (`D2026-00001`) have their own series: they are not accounting documents. */
export type Series = "invoice" | "credit_note" | "quote";
export const SERIES_PREFIX: Record<Series, string> = { invoice: "F", credit_note: "AV", quote: "D" };

/** The series key a document belongs to: its prefix and the year of its issue date (`F2026`). */
export function seriesKey(series: Series, issueDate: string): string {
  return `${SERIES_PREFIX[series]}${issueDate.slice(0, 4)}`;
}

export function formatNumber(key: string, counter: number): string {
  const number = `${key}-${String(counter).padStart(5, "0")}`;
  if (!NUMBER_PATTERN.test(number)) throw new RangeError(`invalid invoice number ${number}`);
  return number;
}

/** Parses `F2026-00042` → { key: "F2026", counter: 42 }. */
export function parseNumber(number: string): { key: string; counter: number } | null {
  const match = /^(.+)-(\d+)$/.exec(number);
  return match ? { key: match[1]!, counter: Number(match[2]) } : null;
}
