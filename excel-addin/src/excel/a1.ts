/** A1 addresses: zero-based row/column indexes ↔ "Sheet!B3:D10", as Excel writes them. */

export const MAX_ROWS = 1_048_576;
export const MAX_COLUMNS = 16_384;

export interface CellBox {
  row: number; // zero-based, inclusive
  column: number;
  lastRow: number; // inclusive
  lastColumn: number;
}

export function columnLetters(index: number): string {
  let n = index + 1;
  let letters = "";
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

export function columnIndex(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

export function cellName(row: number, column: number): string {
  return `${columnLetters(column)}${row + 1}`;
}

export function boxAddress(box: CellBox): string {
  const start = cellName(box.row, box.column);
  return box.row === box.lastRow && box.column === box.lastColumn ? start : `${start}:${cellName(box.lastRow, box.lastColumn)}`;
}

/** Excel quotes sheet names that are not plain words: 'Maison Lumière – Ventes'!A1. */
export function quoteSheetName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_.]*$/.test(name) ? name : `'${name.replaceAll("'", "''")}'`;
}

export function qualifiedAddress(sheetName: string, box: CellBox): string {
  return `${quoteSheetName(sheetName)}!${boxAddress(box)}`;
}

const CELL = /^\$?([A-Za-z]{1,3})\$?(\d{1,7})$/;
const ROWS = /^\$?(\d{1,7}):\$?(\d{1,7})$/;
const COLUMNS = /^\$?([A-Za-z]{1,3}):\$?([A-Za-z]{1,3})$/;

/** Parses "B3", "B3:D10", "5:9" (entire rows) or "C:E" (entire columns), without a sheet prefix. */
export function parseBox(address: string): CellBox | null {
  const rows = ROWS.exec(address);
  if (rows) return ordered({ row: Number(rows[1]) - 1, column: 0, lastRow: Number(rows[2]) - 1, lastColumn: MAX_COLUMNS - 1 });
  const columns = COLUMNS.exec(address);
  if (columns) return ordered({ row: 0, column: columnIndex(columns[1]!), lastRow: MAX_ROWS - 1, lastColumn: columnIndex(columns[2]!) });
  const [a, b, extra] = address.split(":");
  if (a === undefined || extra !== undefined) return null;
  const start = CELL.exec(a);
  const end = CELL.exec(b ?? a);
  if (!start || !end) return null;
  return ordered({
    row: Number(start[2]) - 1,
    column: columnIndex(start[1]!),
    lastRow: Number(end[2]) - 1,
    lastColumn: columnIndex(end[1]!),
  });
}

function ordered(box: CellBox): CellBox | null {
  const b = {
    row: Math.min(box.row, box.lastRow),
    lastRow: Math.max(box.row, box.lastRow),
    column: Math.min(box.column, box.lastColumn),
    lastColumn: Math.max(box.column, box.lastColumn),
  };
  if (b.row < 0 || b.column < 0 || b.lastRow >= MAX_ROWS || b.lastColumn >= MAX_COLUMNS) return null;
  return b;
}

/** Splits "'It''s'!A1:B2" into its sheet name (unquoted) and the local address. */
export function splitSheet(address: string): { sheet: string | null; local: string } {
  const bang = address.lastIndexOf("!");
  if (bang < 0) return { sheet: null, local: address };
  let sheet = address.slice(0, bang);
  if (sheet.startsWith("'") && sheet.endsWith("'")) sheet = sheet.slice(1, -1).replaceAll("''", "'");
  return { sheet, local: address.slice(bang + 1) };
}
