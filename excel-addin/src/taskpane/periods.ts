/** Period presets: month, quarter and fiscal year (from the company's fiscal year start), current or previous. */
import { addDays, daysInMonth } from "@passerelle/shared/dates";

export type Preset = "month" | "lastMonth" | "quarter" | "lastQuarter" | "year" | "lastYear" | "custom";

const pad = (n: number) => String(n).padStart(2, "0");
const iso = (y: number, m: number, d: number) => `${y}-${pad(m)}-${pad(d)}`;

/** `today` is YYYY-MM-DD; `fiscalYearStart` is MM-DD. */
export function presetRange(preset: Exclude<Preset, "custom">, today: string, fiscalYearStart: string): { from: string; to: string } {
  const [y, m] = today.split("-").map(Number) as [number, number];
  if (preset === "month" || preset === "lastMonth") {
    const back = preset === "lastMonth" ? 1 : 0;
    const year = m - back < 1 ? y - 1 : y;
    const month = ((m - 1 - back + 12) % 12) + 1;
    return { from: iso(year, month, 1), to: iso(year, month, daysInMonth(year, month)) };
  }
  if (preset === "quarter" || preset === "lastQuarter") {
    let q = Math.floor((m - 1) / 3) - (preset === "lastQuarter" ? 1 : 0);
    let year = y;
    if (q < 0) {
      q = 3;
      year--;
    }
    const first = q * 3 + 1;
    return { from: iso(year, first, 1), to: iso(year, first + 2, daysInMonth(year, first + 2)) };
  }
  const startThisYear = `${y}-${fiscalYearStart}`;
  const startYear = today >= startThisYear ? y : y - 1;
  const start = preset === "year" ? startYear : startYear - 1;
  const from = `${start}-${fiscalYearStart}`;
  return { from, to: addDays(`${start + 1}-${fiscalYearStart}`, -1) };
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
