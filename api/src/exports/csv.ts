/**
 * CSV cells for spreadsheets. French Excel expects `;` and a decimal comma (and a BOM to read
 * UTF-8); English tools `,` and a dot. Text cells are always quoted, written on one line without
 * control or bidirectional formatting characters (data stored before those were refused may hold
 * them), and never read as a formula: one starting with = + - @ gets a leading apostrophe, at the
 * start of the cell and after either dialect's separator — a file opened with the other separator,
 * or with quotes ignored, would start a cell there. Numbers we write ourselves (negative amounts
 * of credit notes) are left as numbers.
 */
import { singleLineText } from "@passerelle/shared";

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

// spaces and quotes may come between: a parser may drop them before reading the cell
const FORMULA_STARTS = /(^|[,;])([ \u00a0"]*)(?=[=+\-@])/g;

/** A text cell: quoted, one line, never read as a formula. */
export function csvText(value: string | null | undefined): string {
  const neutral = singleLineText(value ?? "").replace(FORMULA_STARTS, "$1$2'");
  return `"${neutral.replace(/"/g, '""')}"`;
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
