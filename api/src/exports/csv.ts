/**
 * CSV cells for spreadsheets. French Excel expects `;` and a decimal comma (and a BOM to read
 * UTF-8); English tools `,` and a dot. Text that a spreadsheet would run as a formula
 * (starting with = + - @, or a tab / carriage return) is neutralised with a leading apostrophe;
 * numbers we write ourselves (negative amounts of credit notes) are left as numbers.
 */
export type CsvLocale = "fr" | "en";

export interface CsvDialect {
  separator: ";" | ",";
  decimal: "," | ".";
  bom: boolean;
}

export const CSV_DIALECTS: Record<CsvLocale, CsvDialect> = {
  fr: { separator: ";", decimal: ",", bom: true },
  en: { separator: ",", decimal: ".", bom: false },
};

export const CSV_EOL = "\r\n";

const FORMULA_START = /^[=+\-@\t\r]/;

function quote(value: string, dialect: CsvDialect): string {
  return value.includes(dialect.separator) || /["\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** A text cell: quoted when needed, never read as a formula. */
export function csvText(value: string | null | undefined, dialect: CsvDialect): string {
  const text = value ?? "";
  return quote(FORMULA_START.test(text) ? `'${text}` : text, dialect);
}

/** Integer cents as a decimal amount in the dialect: -123456 → "-1234,56" / "-1234.56". */
export function csvAmount(cents: number, dialect: CsvDialect): string {
  const abs = Math.abs(cents);
  return `${cents < 0 ? "-" : ""}${Math.trunc(abs / 100)}${dialect.decimal}${String(abs % 100).padStart(2, "0")}`;
}

/** A VAT rate in basis points as a percentage number: 550 → "5,5" / "5.5". */
export function csvRate(rateBp: number, dialect: CsvDialect): string {
  const whole = Math.trunc(rateBp / 100);
  const fraction = String(rateBp % 100).padStart(2, "0").replace(/0+$/, "");
  return fraction ? `${whole}${dialect.decimal}${fraction}` : String(whole);
}

export function csvLine(cells: string[], dialect: CsvDialect): string {
  return cells.join(dialect.separator) + CSV_EOL;
}
