/**
 * The fake workbook's state: sheets of cells (value, formula, number format), tables, settings —
 * and the structural edits Excel performs (insert/delete whole rows or columns, moving tables and
 * rewriting formulas). Everything here runs only when a request context syncs.
 */
import { MAX_COLUMNS, MAX_ROWS, parseBox, splitSheet, type CellBox } from "../excel/a1.js";
import type { CellValue } from "../excel/host.js";
import { evaluate, shiftFormula, type FormulaScope, type Shift } from "./formulas.js";

export type FakeErrorCode =
  | "PropertyNotLoaded"
  | "InvalidArgument"
  | "ItemNotFound"
  | "ItemAlreadyExists"
  | "InvalidOperation"
  | "InvalidObjectPath"
  | "RequestPayloadSizeLimitExceeded"
  | "InvalidOperationInCellEditMode"
  | "GeneralException"
  | "ServiceNotAvailable"
  | "RequestAborted"
  | "NotModelled";

/** Thrown like Office's `OfficeExtension.Error`: a `code`, a message and `debugInfo` carrying both. */
export class FakeExcelError extends Error {
  readonly debugInfo: { code: FakeErrorCode; message: string };
  constructor(
    readonly code: FakeErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "RichApi.Error";
    this.debugInfo = { code, message };
  }
}

interface Row {
  v: (CellValue | undefined)[];
  f: (string | undefined)[];
  nf: (string | undefined)[];
}

export class SheetModel {
  rows: (Row | undefined)[] = [];
  frozenRows = 0;
  constructor(public name: string) {}

  row(r: number): Row {
    let row = this.rows[r];
    if (!row) {
      row = { v: [], f: [], nf: [] };
      this.rows[r] = row;
    }
    return row;
  }

  lastUsedRow(): number {
    for (let r = this.rows.length - 1; r >= 0; r--) {
      const row = this.rows[r];
      if (row && (row.v.some((v) => v !== undefined && v !== "") || row.f.some((f) => f !== undefined))) return r;
    }
    return -1;
  }
}

export interface TableModel {
  name: string;
  sheet: SheetModel;
  /** Header row included. */
  box: CellBox;
}

const TABLE_NAME = /^[A-Za-z_\\][A-Za-z0-9_.\\]{0,254}$/;
const CELL_LIKE = /^[A-Za-z]{1,3}\d+$|^[RrCc]\d*$/;

export class WorkbookModel {
  sheets: SheetModel[] = [];
  tables: TableModel[] = [];
  settings = new Map<string, string>();
  activeSheet: string | null = null;
  private tableCounter = 0;

  /** How Excel names a column it makes up, in the workbook's language: "Column1", or "Colonne1" in French. */
  constructor(readonly columnWord = "Column") {}

  // ---- sheets ----
  sheet(name: string): SheetModel | null {
    return this.sheets.find((s) => s.name.toLowerCase() === name.toLowerCase()) ?? null;
  }

  addSheet(name?: string): SheetModel {
    const sheetName = name ?? this.nextSheetName();
    if (sheetName.length === 0 || sheetName.length > 31 || /[[\]:*?/\\]/.test(sheetName) || /^'|'$/.test(sheetName)) {
      throw new FakeExcelError("InvalidArgument", `The argument is invalid or missing or has an incorrect format. (sheet name "${sheetName}")`);
    }
    if (this.sheet(sheetName)) throw new FakeExcelError("ItemAlreadyExists", `A worksheet named "${sheetName}" already exists.`);
    const sheet = new SheetModel(sheetName);
    this.sheets.push(sheet);
    return sheet;
  }

  private nextSheetName(): string {
    let i = this.sheets.length + 1;
    while (this.sheet(`Sheet${i}`)) i++;
    return `Sheet${i}`;
  }

  /** Resolves "Sheet!A1:B2" (or a local address on `defaultSheet`). */
  resolve(address: string, defaultSheet: SheetModel | null): { sheet: SheetModel; box: CellBox } {
    const { sheet: sheetName, local } = splitSheet(address);
    const sheet = sheetName ? this.sheet(sheetName) : defaultSheet;
    const box = parseBox(local);
    if (!sheet || !box) throw new FakeExcelError("InvalidArgument", `The argument is invalid or missing or has an incorrect format. (address "${address}")`);
    return { sheet, box };
  }

  // ---- cells ----
  read(sheet: SheetModel, box: CellBox, what: "values" | "formulas" | "numberFormat"): CellValue[][] {
    const out: CellValue[][] = [];
    for (let r = box.row; r <= box.lastRow; r++) {
      const row = sheet.rows[r];
      const line: CellValue[] = [];
      for (let c = box.column; c <= box.lastColumn; c++) {
        const formula = row?.f[c];
        if (what === "numberFormat") line.push(row?.nf[c] ?? "General");
        else if (formula !== undefined) line.push(what === "formulas" ? formula : evaluate(formula, this.scope(sheet)));
        else line.push(row?.v[c] ?? "");
      }
      out.push(line);
    }
    return out;
  }

  /** Writes like Excel: "=…" becomes a formula and numeric text a number, unless the cell is formatted as text ("@"). */
  write(sheet: SheetModel, box: CellBox, data: unknown[][], what: "values" | "formulas" | "numberFormat"): void {
    const rows = box.lastRow - box.row + 1;
    const columns = box.lastColumn - box.column + 1;
    // Excel applies a single number format ([["0.00"]]) to every cell of the range
    if (what === "numberFormat" && data.length === 1 && Array.isArray(data[0]) && data[0].length === 1 && rows * columns > 1) {
      data = Array.from({ length: rows }, () => Array.from({ length: columns }, () => data[0]![0]));
    }
    if (data.length !== rows || data.some((line) => !Array.isArray(line) || line.length !== columns)) {
      throw new FakeExcelError(
        "InvalidArgument",
        `The number of rows or columns in the input array doesn't match the size or dimensions of the range (${rows}×${columns} expected, ${data.length}×${data[0]?.length ?? 0} given).`,
      );
    }
    for (let i = 0; i < rows; i++) {
      const row = sheet.row(box.row + i);
      const line = data[i]!;
      for (let j = 0; j < columns; j++) {
        const c = box.column + j;
        const input = line[j];
        if (input === null || input === undefined) continue; // Excel: null leaves the cell as it is
        if (what === "numberFormat") {
          if (typeof input !== "string") throw new FakeExcelError("InvalidArgument", `Number formats are strings (got ${typeof input}).`);
          row.nf[c] = input === "General" ? undefined : input;
          continue;
        }
        if (typeof input !== "string" && typeof input !== "number" && typeof input !== "boolean") {
          throw new FakeExcelError("InvalidArgument", `Cell values are strings, numbers or booleans (got ${typeof input}).`);
        }
        if (typeof input === "number" && !Number.isFinite(input)) throw new FakeExcelError("InvalidArgument", "Cell values must be finite numbers.");
        const asText = row.nf[c] === "@";
        if (typeof input === "string" && input.length > 32767) throw new FakeExcelError("InvalidArgument", "A cell holds at most 32,767 characters.");
        if (typeof input === "string" && input.startsWith("=") && input.length > 1 && !asText) {
          row.f[c] = input;
          row.v[c] = undefined;
        } else {
          row.f[c] = undefined;
          row.v[c] = typeof input === "string" && !asText && /^-?\d+(\.\d+)?$/.test(input.trim()) ? Number(input) : input;
        }
      }
    }
  }

  clear(sheet: SheetModel, box: CellBox, applyTo: "All" | "Formats" | "Contents"): void {
    for (let r = box.row; r <= Math.min(box.lastRow, sheet.rows.length - 1); r++) {
      const row = sheet.rows[r];
      if (!row) continue;
      for (let c = box.column; c <= box.lastColumn && c < Math.max(row.v.length, row.f.length, row.nf.length); c++) {
        if (applyTo !== "Formats") {
          row.v[c] = undefined;
          row.f[c] = undefined;
        }
        if (applyTo !== "Contents") row.nf[c] = undefined;
      }
    }
  }

  scope(sheet: SheetModel): FormulaScope {
    return {
      sheetName: sheet.name,
      values: (name, box) => {
        const target = this.sheet(name);
        if (!target) return [["#REF!"]];
        return this.read(target, box, "values");
      },
      table: (name, part) => {
        const table = this.table(name);
        if (!table) return null;
        const { box } = table;
        if (part === "#All") return { sheet: table.sheet.name, box };
        if (part === "#Headers") return { sheet: table.sheet.name, box: { ...box, lastRow: box.row } };
        const body = { ...box, row: box.row + 1 };
        if (part === null || part === "#Data") return { sheet: table.sheet.name, box: body };
        const headers = this.read(table.sheet, { ...box, lastRow: box.row }, "values")[0]!;
        const index = headers.findIndex((h) => String(h).toLowerCase() === part.toLowerCase());
        if (index < 0) return null;
        return { sheet: table.sheet.name, box: { ...body, column: box.column + index, lastColumn: box.column + index } };
      },
    };
  }

  // ---- tables ----
  table(name: string): TableModel | null {
    return this.tables.find((t) => t.name.toLowerCase() === name.toLowerCase()) ?? null;
  }

  addTable(sheet: SheetModel, box: CellBox): TableModel {
    const withBody = box.lastRow === box.row ? { ...box, lastRow: box.row + 1 } : box;
    this.assertFree(sheet, withBody, null);
    const table: TableModel = { name: this.nextTableName(), sheet, box: withBody };
    this.tables.push(table);
    this.nameEmptyHeaders(table);
    return table;
  }

  renameTable(table: TableModel, name: string): void {
    if (!TABLE_NAME.test(name) || CELL_LIKE.test(name)) throw new FakeExcelError("InvalidArgument", `"${name}" is not a valid table name.`);
    const other = this.table(name);
    if (other && other !== table) throw new FakeExcelError("ItemAlreadyExists", `A table named "${name}" already exists.`);
    table.name = name;
  }

  /** Table.resize: same sheet, same header row, overlapping the old range, no other table inside. */
  resizeTable(table: TableModel, sheet: SheetModel, box: CellBox): void {
    if (sheet !== table.sheet) throw new FakeExcelError("InvalidArgument", "A table can only be resized on its own worksheet.");
    if (box.row !== table.box.row) throw new FakeExcelError("InvalidArgument", "The table's header row must stay in the same row.");
    if (box.lastRow <= box.row) throw new FakeExcelError("InvalidArgument", "A table keeps at least one data row.");
    if (!overlaps(box, table.box)) throw new FakeExcelError("InvalidArgument", "The new range must overlap the table's current range.");
    this.assertFree(sheet, box, table);
    table.box = box;
    this.nameEmptyHeaders(table);
  }

  private assertFree(sheet: SheetModel, box: CellBox, except: TableModel | null): void {
    for (const other of this.tables) {
      if (other !== except && other.sheet === sheet && overlaps(other.box, box)) {
        throw new FakeExcelError("InvalidOperation", `The range overlaps the table "${other.name}".`);
      }
    }
  }

  private nextTableName(): string {
    let name: string;
    do name = `Table${++this.tableCounter}`;
    while (this.table(name));
    return name;
  }

  private nameEmptyHeaders(table: TableModel): void {
    const headerBox = { ...table.box, lastRow: table.box.row };
    const headers = this.read(table.sheet, headerBox, "values")[0]!;
    headers.forEach((h, i) => {
      if (h === "") this.write(table.sheet, { ...headerBox, column: headerBox.column + i, lastColumn: headerBox.column + i }, [[`${this.columnWord}${i + 1}`]], "values");
    });
  }

  /**
   * Excel's AutoCorrect "include new rows and columns in the table": a value written in the row
   * just below a table (within its columns) adds that row to the table; a value written in the
   * column just right of it (header row or body) adds that column. A header typed there names the
   * column (numbered if the name is taken, "Montant2"); a blank one gets the first free "Column1"
   * ("Colonne1" in French). A table never grows over another table. Returns the tables that grew.
   */
  autoExpand(sheet: SheetModel, box: CellBox): TableModel[] {
    const grown: TableModel[] = [];
    const filled = (r: number, c: number) => {
      const row = sheet.rows[r];
      return row !== undefined && ((row.v[c] !== undefined && row.v[c] !== "") || row.f[c] !== undefined);
    };
    for (const table of this.tables.filter((t) => t.sheet === sheet)) {
      const t = table.box;
      const below = { row: t.lastRow + 1, column: t.column, lastRow: t.lastRow + 1, lastColumn: t.lastColumn };
      const right = { row: t.row, column: t.lastColumn + 1, lastRow: t.lastRow, lastColumn: t.lastColumn + 1 };
      let next: CellBox | null = null;
      if (hasValue(intersection(box, right), filled)) next = { ...t, lastColumn: t.lastColumn + 1 };
      else if (hasValue(intersection(box, below), filled)) next = { ...t, lastRow: t.lastRow + 1 };
      if (!next || next.lastRow >= MAX_ROWS || next.lastColumn >= MAX_COLUMNS) continue;
      if (this.tables.some((other) => other !== table && other.sheet === sheet && overlaps(other.box, next))) continue;
      const widened = next.lastColumn > t.lastColumn;
      table.box = next;
      if (widened) this.nameNewColumn(table);
      grown.push(table);
    }
    return grown;
  }

  private nameNewColumn(table: TableModel): void {
    const { sheet, box } = table;
    const cell = { row: box.row, column: box.lastColumn, lastRow: box.row, lastColumn: box.lastColumn };
    const headers = this.read(sheet, { ...box, lastRow: box.row, lastColumn: box.lastColumn - 1 }, "values")[0]!.map((h) => String(h).toLowerCase());
    const typed = String(this.read(sheet, cell, "values")[0]![0]);
    const taken = (name: string) => headers.includes(name.toLowerCase());
    let name = typed;
    if (typed === "") {
      let i = 1;
      while (taken(`${this.columnWord}${i}`)) i++;
      name = `${this.columnWord}${i}`;
    } else if (taken(typed)) {
      let i = 2;
      while (taken(`${typed}${i}`)) i++;
      name = `${typed}${i}`;
    }
    if (name !== typed || sheet.rows[box.row]?.f[box.lastColumn] !== undefined) {
      const row = sheet.row(box.row);
      row.f[box.lastColumn] = undefined;
      row.v[box.lastColumn] = name;
    }
  }

  // ---- structure ----
  /** Whole rows/columns inserted (delta > 0) or deleted (delta < 0) at `at` on `sheet`. */
  shift(sheet: SheetModel, axis: "row" | "column", at: number, delta: number): void {
    const limit = axis === "row" ? MAX_ROWS : MAX_COLUMNS;
    if (delta > 0) {
      const used = axis === "row" ? sheet.lastUsedRow() : Math.max(-1, ...sheet.rows.map((r) => (r ? r.v.length + r.f.length : 0)));
      if (used + delta >= limit) throw new FakeExcelError("InvalidOperation", "Inserting would push cells off the end of the worksheet.");
    }
    for (const table of this.tables.filter((t) => t.sheet === sheet)) {
      const [start, end] = axis === "row" ? [table.box.row, table.box.lastRow] : [table.box.column, table.box.lastColumn];
      let next: [number, number];
      if (delta > 0) next = [start >= at ? start + delta : start, end >= at ? end + delta : end];
      else {
        const last = at - delta - 1;
        if (axis === "row" && start >= at && start <= last) {
          throw new FakeExcelError("NotModelled", `The fake workbook does not delete the header row of table "${table.name}".`);
        }
        const move = (i: number, isEnd: boolean) => (i > last ? i + delta : i >= at ? (isEnd ? at - 1 : at) : i);
        next = [move(start, false), move(end, true)];
      }
      table.box = axis === "row" ? { ...table.box, row: next[0], lastRow: next[1] } : { ...table.box, column: next[0], lastColumn: next[1] };
    }
    const spliceArgs = (arr: unknown[]) => (delta > 0 ? arr.splice(at, 0, ...new Array<undefined>(delta)) : arr.splice(at, -delta));
    if (axis === "row") {
      if (at < sheet.rows.length) spliceArgs(sheet.rows);
    } else {
      for (const row of sheet.rows) if (row) for (const arr of [row.v, row.f, row.nf]) if (at < arr.length) spliceArgs(arr);
    }
    const change: Shift = { sheet: sheet.name, axis, at, delta };
    for (const s of this.sheets) {
      for (const row of s.rows) {
        if (!row) continue;
        row.f.forEach((formula, c) => {
          if (formula !== undefined) row.f[c] = shiftFormula(formula, s.name, change);
        });
      }
    }
  }
}

function intersection(a: CellBox, b: CellBox): CellBox | null {
  return overlaps(a, b) ? { row: Math.max(a.row, b.row), column: Math.max(a.column, b.column), lastRow: Math.min(a.lastRow, b.lastRow), lastColumn: Math.min(a.lastColumn, b.lastColumn) } : null;
}

function hasValue(box: CellBox | null, filled: (r: number, c: number) => boolean): boolean {
  if (!box) return false;
  for (let r = box.row; r <= box.lastRow; r++) for (let c = box.column; c <= box.lastColumn; c++) if (filled(r, c)) return true;
  return false;
}

export function overlaps(a: CellBox, b: CellBox): boolean {
  return a.row <= b.lastRow && b.row <= a.lastRow && a.column <= b.lastColumn && b.column <= a.lastColumn;
}
