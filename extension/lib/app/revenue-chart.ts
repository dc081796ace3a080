/** The geometry and words of the home screen's monthly revenue chart: bars from a zero line, credit notes may take a month below it. */
import { formatEuros } from "@passerelle/shared/format";

export interface MonthRevenue {
  month: string; // YYYY-MM
  revenueHtCents: number;
}

export interface Bar {
  month: string;
  /** "déc." under the bar. */
  short: string;
  /** "décembre 2025 : 500,00 €" for screen readers and the bar's tooltip. */
  text: string;
  x: number;
  y: number;
  width: number;
  height: number;
  negative: boolean;
}

const shortMonth = new Intl.DateTimeFormat("fr-FR", { month: "short", timeZone: "UTC" });
const longMonth = new Intl.DateTimeFormat("fr-FR", { month: "long", year: "numeric", timeZone: "UTC" });

function monthDate(month: string): Date {
  const [y, m] = month.split("-").map(Number) as [number, number];
  return new Date(Date.UTC(y, m - 1, 1));
}

/** "novembre 2026". */
export function monthName(month: string): string {
  return longMonth.format(monthDate(month));
}

export const CHART = { width: 360, height: 120, top: 6, plot: 96, slot: 30, bar: 20 } as const;

const px = (n: number) => Math.round(n * 100) / 100;

/** One bar per month, scaled so the tallest fills the plot; `zero` is the y of the zero line. */
export function revenueBars(months: readonly MonthRevenue[]): { bars: Bar[]; zero: number } {
  const values = months.map((m) => m.revenueHtCents);
  const max = Math.max(0, ...values);
  const min = Math.min(0, ...values);
  const span = max - min || 1;
  const zero = px(CHART.top + (CHART.plot * max) / span);
  const bars = months.map((m, i) => {
    const height = px((CHART.plot * Math.abs(m.revenueHtCents)) / span);
    return {
      month: m.month,
      short: shortMonth.format(monthDate(m.month)),
      text: `${monthName(m.month)} : ${formatEuros(m.revenueHtCents)}`,
      x: i * CHART.slot + (CHART.slot - CHART.bar) / 2,
      y: m.revenueHtCents >= 0 ? px(zero - height) : zero,
      width: CHART.bar,
      height,
      negative: m.revenueHtCents < 0,
    };
  });
  return { bars, zero };
}
