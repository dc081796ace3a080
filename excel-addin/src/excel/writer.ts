/**
 * The sheet writer: puts a table with a header block above it on a worksheet, and later
 * refreshes it in place. Refreshing never re-creates the table (formulas such as
 * `=SUM(Ventes[TTC])` keep working): it inserts or deletes whole rows below it so the sheet's
 * other content moves with it, rewrites the body in chunks that stay far below Excel on the
 * web's 5 MB request limit with calculation suspended, and resizes the table explicitly.
 */
import { boxAddress, qualifiedAddress, type CellBox } from "./a1.js";
import type { CellValue, ExcelRun, XlRange, XlRequestContext } from "./host.js";

export type ColumnKind = "text" | "date" | "datetime" | "money" | "integer";

export interface ColumnSpec {
  header: string;
  kind: ColumnKind;
  /** Summed in the totals line above the table. */
  total?: boolean;
}

export interface HeaderLine {
  label: string;
  value: CellValue;
  kind: ColumnKind;
}

export interface SheetTableSpec {
  sheetName: string;
  tableName: string;
  title: string;
  lines: HeaderLine[];
  totalLabel: string;
  columns: ColumnSpec[];
  rows: CellValue[][];
}

export interface WriteProgress {
  rowsWritten: number;
  rowsTotal: number;
}

export interface WriteOptions {
  onProgress?: (progress: WriteProgress) => void;
  /** Largest request sent in one sync; Excel on the web refuses more than 5 MB. */
  chunkBytes?: number;
  /** How many columns the last write left: a refresh finding more refuses (the user added them). */
  knownColumns?: number;
}

export interface WrittenTable {
  sheetName: string;
  tableName: string;
  /** Header row included, e.g. "'Ventes'!A8:P1208". */
  address: string;
  rows: number;
}

export class TableMissingError extends Error {
  constructor(readonly tableName: string) {
    super(`The table "${tableName}" is no longer in this workbook.`);
    this.name = "TableMissingError";
  }
}

/** The table has more columns than the refresh writes (the user added some next to it). */
export class TableWidenedError extends Error {
  constructor(
    readonly tableName: string,
    readonly columns: number,
    readonly written: number,
  ) {
    super(`The table "${tableName}" has ${columns} columns; the refresh would write only ${written}.`);
    this.name = "TableWidenedError";
  }
}

/** Too few rows are left above the table for its header block. */
export class HeaderBlockError extends Error {
  constructor(
    readonly tableName: string,
    readonly needed: number,
    readonly left: number,
  ) {
    super(`The header block above "${tableName}" needs ${needed} rows; only ${left} are left above the table.`);
    this.name = "HeaderBlockError";
  }
}

/** The wanted sheet or table name and its 19 numbered variants are all taken. */
export class NamesTakenError extends Error {
  constructor(readonly wanted: string) {
    super(`"${wanted}" and its numbered variants are all taken.`);
    this.name = "NamesTakenError";
  }
}

export const DEFAULT_CHUNK_BYTES = 1_000_000;

export const NUMBER_FORMATS: Record<ColumnKind, string> = {
  text: "@",
  date: "dd/mm/yyyy",
  datetime: "dd/mm/yyyy hh:mm",
  money: '#,##0.00 "€"',
  integer: "0",
};

/** Rows above the table: title, the header lines, the totals line. */
export function blockRows(spec: Pick<SheetTableSpec, "lines">): number {
  return spec.lines.length + 2;
}

/** Writes a new sheet with the header block and the table; names are made unique if taken. */
export async function insertTable(run: ExcelRun, spec: SheetTableSpec, options: WriteOptions = {}): Promise<WrittenTable> {
  validate(spec);
  const { sheetName, tableName } = await run(async (ctx) => ({
    sheetName: await freeName(ctx, spec.sheetName, 31, (name) => ctx.workbook.worksheets.getItemOrNullObject(name)),
    tableName: await freeName(ctx, spec.tableName, 255, (name) => ctx.workbook.tables.getItemOrNullObject(name), "_"),
  }));
  const top = blockRows(spec); // zero-based row of the table's header
  const width = spec.columns.length;
  const bodyRows = Math.max(1, spec.rows.length);

  await run(async (ctx) => {
    const sheet = ctx.workbook.worksheets.add(sheetName);
    writeHeaderRow(sheet.getRange(boxAddress({ row: top, column: 0, lastRow: top, lastColumn: width - 1 })), spec.columns.map((c) => c.header));
    await ctx.sync();
  });
  await writeBody(run, sheetName, { row: top + 1, column: 0 }, spec, options);

  const box: CellBox = { row: top, column: 0, lastRow: top + bodyRows, lastColumn: width - 1 };
  await run(async (ctx) => {
    const sheet = ctx.workbook.worksheets.getItemOrNullObject(sheetName);
    const table = ctx.workbook.tables.add(sheet.getRange(boxAddress(box)), true);
    table.name = tableName;
    writeBlock(sheet.getRange(boxAddress({ row: 0, column: 0, lastRow: top - 1, lastColumn: width - 1 })), spec, tableName);
    sheet.freezePanes.freezeRows(top + 1);
    sheet.getRange(boxAddress(box)).format.autofitColumns();
    sheet.activate();
    await ctx.sync();
  });
  return { sheetName, tableName, address: qualifiedAddress(sheetName, box), rows: spec.rows.length };
}

/** Replaces the table's body with `spec.rows` in place; new columns are appended on the right. */
export async function refreshTable(run: ExcelRun, spec: SheetTableSpec, options: WriteOptions = {}): Promise<WrittenTable> {
  validate(spec);
  const current = await run(async (ctx) => {
    const table = ctx.workbook.tables.getItemOrNullObject(spec.tableName);
    await ctx.sync();
    if (table.isNullObject) return null;
    const range = table.getRange().load(["rowIndex", "columnIndex", "rowCount", "columnCount"]);
    const sheet = table.worksheet.load(["name"]);
    await ctx.sync();
    return { sheetName: sheet.name, row: range.rowIndex, column: range.columnIndex, rows: range.rowCount, columns: range.columnCount };
  });
  if (!current) throw new TableMissingError(spec.tableName);
  const { sheetName, row: top, column: left } = current;
  const width = spec.columns.length;
  if (width < current.columns) throw new TableWidenedError(spec.tableName, current.columns, width);
  // new columns would go where the user's are, and write over them
  if (options.knownColumns !== undefined && current.columns > options.knownColumns) throw new TableWidenedError(spec.tableName, current.columns, options.knownColumns);
  const block = blockRows(spec);
  if (top < block) throw new HeaderBlockError(spec.tableName, block, top);
  const oldBody = current.rows - 1;
  const newBody = Math.max(1, spec.rows.length);

  // make room first, so the cells below and to the right move with the table
  await run(async (ctx) => {
    const sheet = ctx.workbook.worksheets.getItemOrNullObject(sheetName);
    if (width > current.columns) {
      sheet.getRange(boxAddress({ row: 0, column: left + current.columns, lastRow: 0, lastColumn: left + width - 1 })).getEntireColumn().insert("Right");
    }
    if (newBody > oldBody) {
      sheet.getRange(boxAddress({ row: top + 1 + oldBody, column: 0, lastRow: top + newBody, lastColumn: 0 })).getEntireRow().insert("Down");
    }
    await ctx.sync();
  });
  await writeBody(run, sheetName, { row: top + 1, column: left }, spec, options);

  const box: CellBox = { row: top, column: left, lastRow: top + newBody, lastColumn: left + width - 1 };
  await run(async (ctx) => {
    const sheet = ctx.workbook.worksheets.getItemOrNullObject(sheetName);
    if (width > current.columns) {
      const added = spec.columns.slice(current.columns).map((c) => c.header);
      writeHeaderRow(sheet.getRange(boxAddress({ row: top, column: left + current.columns, lastRow: top, lastColumn: left + width - 1 })), added);
    }
    ctx.workbook.tables.getItemOrNullObject(spec.tableName).resize(sheet.getRange(boxAddress(box)));
    if (newBody < oldBody) {
      sheet.getRange(boxAddress({ row: top + 1 + newBody, column: 0, lastRow: top + oldBody, lastColumn: 0 })).getEntireRow().delete("Up");
    }
    writeBlock(sheet.getRange(boxAddress({ row: top - block, column: left, lastRow: top - 1, lastColumn: left + width - 1 })), spec, spec.tableName);
    await ctx.sync();
  });
  return { sheetName, tableName: spec.tableName, address: qualifiedAddress(sheetName, box), rows: spec.rows.length };
}

function validate(spec: SheetTableSpec): void {
  const width = spec.columns.length;
  if (width < 2) throw new Error("A table needs at least two columns.");
  spec.rows.forEach((row, i) => {
    if (row.length !== width) throw new Error(`Row ${i + 1} has ${row.length} cells; the table has ${width} columns.`);
  });
}

async function freeName(
  ctx: XlRequestContext,
  wanted: string,
  maxLength: number,
  lookup: (name: string) => { readonly isNullObject: boolean },
  separator = " ",
): Promise<string> {
  const candidates = Array.from({ length: 20 }, (_, i) => {
    if (i === 0) return wanted.slice(0, maxLength);
    const suffix = separator === " " ? ` (${i + 1})` : `_${i + 1}`;
    return wanted.slice(0, maxLength - suffix.length) + suffix;
  });
  const probes = candidates.map((name) => lookup(name));
  await ctx.sync();
  const index = probes.findIndex((p) => p.isNullObject);
  if (index < 0) throw new NamesTakenError(wanted);
  return candidates[index]!;
}

function writeHeaderRow(range: XlRange, headers: string[]): void {
  range.numberFormat = [headers.map(() => "@")];
  range.values = [headers];
  range.format.font.bold = true;
}

/** Title, the header lines (label in the first column, value in the second), then the totals line. */
function writeBlock(range: XlRange, spec: SheetTableSpec, tableName: string): void {
  const width = spec.columns.length;
  const blank = () => Array.from({ length: width }, () => "" as CellValue);
  const values: CellValue[][] = [];
  const formats: string[][] = [];
  const title = blank();
  title[0] = spec.title;
  values.push(title);
  formats.push(Array.from({ length: width }, () => "@"));
  for (const line of spec.lines) {
    const row = blank();
    row[0] = line.label;
    row[1] = line.value;
    values.push(row);
    const format = Array.from({ length: width }, () => "General");
    format[0] = "@";
    format[1] = NUMBER_FORMATS[line.kind];
    formats.push(format);
  }
  const totals = spec.columns.map((column, i): CellValue => {
    if (column.total) return `=SUBTOTAL(109,${tableName}[${structuredName(column.header)}])`;
    return i === 0 ? spec.totalLabel : "";
  });
  values.push(totals);
  formats.push(spec.columns.map((c, i) => (c.total ? NUMBER_FORMATS.money : i === 0 ? "@" : "General")));
  range.numberFormat = formats;
  range.values = values;
  range.getCell(0, 0).format.font.bold = true;
  range.getCell(values.length - 1, 0).getResizedRange(0, width - 1).format.font.bold = true;
}

/** Column names inside structured references escape [ ] # ' with a quote. */
export function structuredName(header: string): string {
  return header.replace(/([[\]#'])/g, "'$1");
}

/** Writes rows in chunks bounded by their serialized size; one sync each, calculation suspended. */
async function writeBody(
  run: ExcelRun,
  sheetName: string,
  origin: { row: number; column: number },
  spec: SheetTableSpec,
  options: WriteOptions,
): Promise<void> {
  const budget = options.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const width = spec.columns.length;
  const columnFormats = spec.columns.map((c) => NUMBER_FORMATS[c.kind]);
  const rows = spec.rows.length > 0 ? spec.rows : [Array.from({ length: width }, () => "" as CellValue)];
  const total = spec.rows.length;
  let start = 0;
  options.onProgress?.({ rowsWritten: 0, rowsTotal: total });
  while (start < rows.length) {
    let end = start;
    let bytes = 0;
    while (end < rows.length) {
      const rowBytes = JSON.stringify(rows[end]).length + 1;
      if (end > start && bytes + rowBytes > budget) break;
      bytes += rowBytes;
      end++;
    }
    const chunk = rows.slice(start, end);
    const first = origin.row + start;
    await run(async (ctx) => {
      ctx.workbook.application.suspendApiCalculationUntilNextSync();
      const sheet = ctx.workbook.worksheets.getItemOrNullObject(sheetName);
      if (start === 0) {
        // each column's format once, for the whole body: a single format applies to every cell of its range
        columnFormats.forEach((format, j) => {
          const column = origin.column + j;
          sheet.getRange(boxAddress({ row: origin.row, column, lastRow: origin.row + rows.length - 1, lastColumn: column })).numberFormat = [[format]];
        });
      }
      const range = sheet.getRange(boxAddress({ row: first, column: origin.column, lastRow: first + chunk.length - 1, lastColumn: origin.column + width - 1 }));
      range.values = chunk;
      await ctx.sync();
    });
    start = end;
    options.onProgress?.({ rowsWritten: Math.min(start, total), rowsTotal: total });
  }
}

