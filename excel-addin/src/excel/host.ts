/**
 * The narrow slice of Excel's JavaScript API that the add-in uses — nothing more. The sheet
 * writer is written against these interfaces; the real `Excel.RequestContext` satisfies them
 * (checked at compile time below), and so does the in-memory fake the tests drive. A misspelt or
 * invented API call therefore fails to compile instead of failing silently in a test.
 */

/** What a cell holds when read back: Excel answers numbers, strings and booleans ("" for empty). */
export type CellValue = string | number | boolean;

export interface XlRequestContext {
  readonly workbook: XlWorkbook;
  sync(): Promise<void>;
}

export interface XlWorkbook {
  readonly worksheets: XlWorksheetCollection;
  readonly tables: XlTableCollection;
  readonly application: XlApplication;
  readonly settings: XlSettingCollection;
}

export interface XlApplication {
  /** Formulas are not recalculated until the next sync: big writes don't recalculate per chunk. */
  suspendApiCalculationUntilNextSync(): void;
}

export interface XlSettingCollection {
  /** Every setting of the workbook, each with its key and value, once `load("items")` is synced. */
  readonly items: XlSetting[];
  add(key: string, value: string): XlSetting;
  getItemOrNullObject(key: string): XlSetting;
  load(propertyNames: "items"): XlSettingCollection;
}

export interface XlSetting {
  readonly isNullObject: boolean;
  readonly key: string;
  readonly value: unknown;
  load(propertyNames: "value" | "value"[]): XlSetting;
  delete(): void;
}

export interface XlWorksheetCollection {
  add(name?: string): XlWorksheet;
  getItemOrNullObject(key: string): XlWorksheet;
}

export interface XlWorksheet {
  readonly name: string;
  readonly isNullObject: boolean;
  readonly freezePanes: XlFreezePanes;
  getRange(address?: string): XlRange;
  activate(): void;
  load(propertyNames: ("name" | "isNullObject")[]): XlWorksheet;
}

export interface XlFreezePanes {
  freezeRows(count?: number): void;
}

export interface XlTableCollection {
  add(address: XlRange | string, hasHeaders: boolean): XlTable;
  /** The sync fails with ItemNotFound when there is no such table. */
  getItem(key: string): XlTable;
  getItemOrNullObject(key: string): XlTable;
}

export interface XlTable {
  name: string;
  readonly isNullObject: boolean;
  readonly worksheet: XlWorksheet;
  getRange(): XlRange;
  getHeaderRowRange(): XlRange;
  getDataBodyRange(): XlRange;
  resize(newRange: XlRange | string): void;
  load(propertyNames: ("name" | "isNullObject")[]): XlTable;
}

export type RangeProperty = "address" | "rowIndex" | "columnIndex" | "rowCount" | "columnCount" | "values" | "numberFormat" | "formulas";

export interface XlRange {
  readonly address: string;
  /** Zero-based, like Excel's. */
  readonly rowIndex: number;
  readonly columnIndex: number;
  readonly rowCount: number;
  readonly columnCount: number;
  values: CellValue[][];
  numberFormat: string[][];
  formulas: CellValue[][];
  readonly format: XlRangeFormat;
  load(propertyNames: RangeProperty[]): XlRange;
  getCell(row: number, column: number): XlRange;
  getResizedRange(deltaRows: number, deltaColumns: number): XlRange;
  getOffsetRange(rowOffset: number, columnOffset: number): XlRange;
  getEntireRow(): XlRange;
  getEntireColumn(): XlRange;
  insert(shift: "Down" | "Right"): XlRange;
  delete(shift: "Up" | "Left"): void;
  clear(applyTo?: "All" | "Formats" | "Contents"): void;
}

export interface XlRangeFormat {
  readonly font: XlRangeFont;
  autofitColumns(): void;
}

export interface XlRangeFont {
  bold: boolean;
}

/** Runs a batch against the workbook: `Excel.run` in Office, the fake's `run` in tests. */
export type ExcelRun = <T>(batch: (context: XlRequestContext) => Promise<T>) => Promise<T>;

export interface XlRunOptions {
  /** Wait until the user leaves the cell being typed in; without it Excel refuses the batch (InvalidOperationInCellEditMode). */
  delayForCellEdit?: boolean;
}

/** `Excel.run(options, batch)`, the overload the add-in calls. */
export type OfficeRun = <T>(options: XlRunOptions, batch: (context: XlRequestContext) => Promise<T>) => Promise<T>;

/** Every batch of the add-in waits for a cell edit to end: a live refresh never fails while the user types. */
export const RUN_OPTIONS: XlRunOptions = { delayForCellEdit: true };

export function excelRun(officeRun: OfficeRun): ExcelRun {
  return (batch) => officeRun(RUN_OPTIONS, batch);
}

// Compile-time proof that the real API offers everything above with compatible types.
type Satisfies<Narrow, Real extends Narrow> = Real;
export type RealExcelFits = [
  Satisfies<XlRequestContext, Excel.RequestContext>,
  Satisfies<XlWorkbook, Excel.Workbook>,
  Satisfies<XlWorksheet, Excel.Worksheet>,
  Satisfies<XlTable, Excel.Table>,
  Satisfies<XlRange, Excel.Range>,
  Satisfies<XlSetting, Excel.Setting>,
  Satisfies<XlRunOptions, Excel.RunOptions>,
];
