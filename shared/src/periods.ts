/** Periods that roll with the calendar (a saved journal query's "current month"…): pure date arithmetic, no I/O. */
import { addDays, daysInMonth } from "./dates.js";

/** Periods that move with today's date; `fixed` keeps the query's own `from`/`to`. */
export const ROLLING_PERIODS = ["current_month", "previous_month", "current_quarter", "previous_quarter", "current_fiscal_year", "previous_fiscal_year"] as const;
export type RollingPeriod = (typeof ROLLING_PERIODS)[number];
const pad = (n: number) => String(n).padStart(2, "0");
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

/**
 * The dates a rolling period covers on `today` (YYYY-MM-DD): months and quarters of the calendar,
 * fiscal years from the company's `fiscalYearStart` (MM-DD).
 */
export function rollingPeriodRange(period: RollingPeriod, today: string, fiscalYearStart: string): { from: string; to: string } {
  const [y, m] = today.split("-").map(Number) as [number, number];
  if (period === "current_month" || period === "previous_month") {
    const back = period === "previous_month" ? 1 : 0;
    const year = m - back < 1 ? y - 1 : y;
    const month = ((m - 1 - back + 12) % 12) + 1;
    return { from: iso(year, month, 1), to: iso(year, month, daysInMonth(year, month)) };
  }
  if (period === "current_quarter" || period === "previous_quarter") {
    let q = Math.floor((m - 1) / 3) - (period === "previous_quarter" ? 1 : 0);
    let year = y;
    if (q < 0) {
      q = 3;
      year--;
    }
    const first = q * 3 + 1;
    return { from: iso(year, first, 1), to: iso(year, first + 2, daysInMonth(year, first + 2)) };
  }
  const startYear = today >= `${y}-${fiscalYearStart}` ? y : y - 1;
  const start = period === "current_fiscal_year" ? startYear : startYear - 1;
  return { from: `${start}-${fiscalYearStart}`, to: addDays(`${start + 1}-${fiscalYearStart}`, -1) };
}

