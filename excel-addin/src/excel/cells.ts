/** Conversions from API values to Excel cells: dates as serial numbers, cents as euros. */

const EXCEL_EPOCH = Date.UTC(1899, 11, 30);
const DAY = 86_400_000;

/** "2026-11-02" → 46328 (Excel's day number; valid after 1900-03-01). */
export function dateSerial(isoDate: string): number {
  const [y, m, d] = isoDate.split("-").map(Number) as [number, number, number];
  return Math.round((Date.UTC(y, m - 1, d) - EXCEL_EPOCH) / DAY);
}

/** A local date-time as Excel stores it (day number + fraction of the day). */
export function dateTimeSerial(date: Date): number {
  const local = Date.UTC(date.getFullYear(), date.getMonth(), date.getDate(), date.getHours(), date.getMinutes(), date.getSeconds());
  return (local - EXCEL_EPOCH) / DAY;
}

/** 46328 → "2026-11-02". */
export function serialToIso(serial: number): string {
  return new Date(EXCEL_EPOCH + Math.floor(serial) * DAY).toISOString().slice(0, 10);
}

export function euros(cents: number): number {
  return cents / 100;
}
