/** Period presets: month, quarter and fiscal year (from the company's fiscal year start), current or previous. */
import { daysInMonth } from "@passerelle/shared/dates";
import { rollingPeriodRange, type RollingPeriod } from "@passerelle/shared/periods";

export type Preset = "month" | "lastMonth" | "quarter" | "lastQuarter" | "year" | "lastYear" | "custom";

const pad = (n: number) => String(n).padStart(2, "0");
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

/** The presets are the rolling periods of saved journal queries (one rule for the pane and the server's feeds). */
const ROLLING: Record<Exclude<Preset, "custom">, RollingPeriod> = {
  month: "current_month",
  lastMonth: "previous_month",
  quarter: "current_quarter",
  lastQuarter: "previous_quarter",
  year: "current_fiscal_year",
  lastYear: "previous_fiscal_year",
};

/** `today` is YYYY-MM-DD; `fiscalYearStart` is MM-DD. */
export function presetRange(preset: Exclude<Preset, "custom">, today: string, fiscalYearStart: string): { from: string; to: string } {
  return rollingPeriodRange(ROLLING[preset], today, fiscalYearStart);
}

export function todayLocal(now = new Date()): string {
  return iso(now.getFullYear(), now.getMonth() + 1, now.getDate());
}

/** The last day of the month before `today` (YYYY-MM-DD): what "not locked up to last month's end" compares with. */
export function lastMonthEnd(today: string): string {
  const [y, m] = today.split("-").map(Number) as [number, number];
  const year = m === 1 ? y - 1 : y;
  const month = m === 1 ? 12 : m - 1;
  return iso(year, month, daysInMonth(year, month));
}
