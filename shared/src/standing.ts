/**
 * Where the money stands, as the home screen shows it. The definitions, one place for the API and
 * its clients:
 * - revenue HT: the net of issued invoices minus that of issued credit notes, by issue date;
 * - cash received: the payments (not deleted) by payment date;
 * - due: what is still to be received on issued invoices (TTC − credited − paid, when above 0);
 * - overdue: the part of it on invoices whose due date is before today.
 * Pure calendar arithmetic here; the sums are one SQL service in the API (services/standing.ts).
 */
import { daysInMonth } from "./dates.js";

/** `YYYY-MM` of a `YYYY-MM-DD` date. */
export function monthOf(date: string): string {
  return date.slice(0, 7);
}

/** First and last day of a `YYYY-MM` month. */
export function monthBounds(month: string): { from: string; to: string } {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return { from: `${month}-01`, to: `${month}-${String(daysInMonth(y, m)).padStart(2, "0")}` };
}

/** The `count` months ending with `month`, oldest first: `("2026-02", 3)` → 2025-12, 2026-01, 2026-02. */
export function monthsEnding(month: string, count: number): string[] {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return Array.from({ length: count }, (_, i) => {
    const d = new Date(Date.UTC(y, m - count + i, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
  });
}

/** Whole days from `dueDate` to `today` (both `YYYY-MM-DD`): 1 the day after the due date. */
export function daysLate(dueDate: string, today: string): number {
  return Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${dueDate}T00:00:00Z`)) / 86_400_000);
}
