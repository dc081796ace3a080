/**
 * A strict in-memory Excel workbook implementing exactly the API surface of `../excel/host.ts`,
 * for unit tests in Node and for the task pane's end-to-end test in a browser.
 */
import type { ExcelRun, CellValue, OfficeRun } from "../excel/host.js";
import { boxAddress, splitSheet } from "../excel/a1.js";
import { FakeContext, emptyStats, type Link, type SyncStats } from "./context.js";
import { FakeExcelError, WorkbookModel, type FakeErrorCode } from "./model.js";

export { FakeExcelError } from "./model.js";
export type { FakeErrorCode } from "./model.js";
export type { SyncStats } from "./context.js";

/** Excel on the web refuses requests over 5 MB. */
export const EXCEL_WEB_PAYLOAD_LIMIT = 5 * 1024 * 1024;

export interface FakeWorkbookOptions {
  payloadLimitBytes?: number;
  /** The workbook's language: French Excel names made-up columns "Colonne1", English "Column1". */
  language?: "fr" | "en";
  /** How long each request (each sync that sends something) takes to come back. */
  latencyMs?: number;
  /** Writes from the add-in extend adjacent tables too (AutoCorrect applied to them); off unless asked. */
  autoExpandApiWrites?: boolean;
}

export class FakeWorkbook {
  readonly model: WorkbookModel;
  stats: SyncStats = emptyStats();
  readonly payloadLimitBytes: number;
  /** Round trip of each request, in milliseconds; may be changed at any time. */
  latencyMs: number;
  autoExpandApiWrites: boolean;
  /** Requests sent since the workbook opened, counting the refused ones. */
  requests = 0;
  private failures = new Map<number, FakeErrorCode>();

  constructor(options: FakeWorkbookOptions | number = {}) {
    const o = typeof options === "number" ? { payloadLimitBytes: options } : options;
    this.payloadLimitBytes = o.payloadLimitBytes ?? EXCEL_WEB_PAYLOAD_LIMIT;
    this.latencyMs = o.latencyMs ?? 0;
    this.autoExpandApiWrites = o.autoExpandApiWrites ?? false;
    this.model = new WorkbookModel((o.language ?? "fr") === "fr" ? "Colonne" : "Column");
    this.model.addSheet("Feuil1");
    this.model.activeSheet = "Feuil1";
  }

  /**
   * The `nth` request from now (1 = the next one) fails as a whole: it is rejected with an
   * `OfficeExtension.Error` of that code and none of its operations is applied.
   */
  failSync(nth = 1, code: FakeErrorCode = "GeneralException"): void {
    if (!Number.isInteger(nth) || nth < 1) throw new RangeError("failSync counts requests from 1.");
    this.failures.set(this.requests + nth, code);
  }

  private readonly request = async (): Promise<void> => {
    const number = ++this.requests;
    if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
    const code = this.failures.get(number);
    if (code) {
      this.failures.delete(number);
      throw new FakeExcelError(code, "An internal error has occurred. The request was not processed.");
    }
  };

  private editing: { ended: Promise<void>; end: () => void } | null = null;

  /** Excel.run(batch): one request context per batch; pending calls are flushed when the batch ends. Refused in cell-edit mode, as Excel does. */
  readonly run: ExcelRun = async (batch) => {
    if (this.editing) throw new FakeExcelError("InvalidOperationInCellEditMode", "The request cannot run while a cell is being edited.");
    return this.runBatch(batch);
  };

  /** Excel.run(options, batch): with `delayForCellEdit`, waits until the cell edit ends instead of failing. */
  readonly officeRun: OfficeRun = async (options, batch) => {
    if (this.editing && !options.delayForCellEdit) throw new FakeExcelError("InvalidOperationInCellEditMode", "The request cannot run while a cell is being edited.");
    while (this.editing) await this.editing.ended;
    return this.runBatch(batch);
  };

  private readonly runBatch: ExcelRun = async (batch) => {
    const context = new FakeContext(this.model, this.stats, this.payloadLimitBytes, { request: this.request, autoExpandApiWrites: this.autoExpandApiWrites } satisfies Link);
    try {
      const result = await batch(context);
      await context.sync();
      return result;
    } finally {
      context.closed = true;
    }
  };

  /** The user starts typing in a cell (Excel's cell-edit mode), until `endCellEdit`. */
  beginCellEdit(): void {
    if (this.editing) return;
    let end!: () => void;
    const ended = new Promise<void>((resolve) => (end = resolve));
    this.editing = { ended, end };
  }

  /** The user presses Enter or leaves the cell: batches that waited run. */
  endCellEdit(): void {
    const editing = this.editing;
    this.editing = null;
    editing?.end();
  }

  get inCellEdit(): boolean {
    return this.editing !== null;
  }

  resetStats(): void {
    this.stats = emptyStats();
  }

  // ---- what a person does in Excel, and what a test inspects ----

  /** Types a value or a formula into a cell, as a user would; a table next to it grows to take it in. */
  type(address: string, input: CellValue): void {
    const { sheet, box } = this.locate(address);
    this.model.write(sheet, box, [[input]], "values");
    this.model.autoExpand(sheet, box);
  }

  /** Table Design → Convert to Range: the cells stay, the table is gone. */
  convertTableToRange(name: string): void {
    const table = this.model.table(name);
    if (!table) throw new FakeExcelError("ItemNotFound", `No table named "${name}".`);
    this.model.tables = this.model.tables.filter((t) => t !== table);
  }

  values(address: string): CellValue[][] {
    const { sheet, box } = this.locate(address);
    return this.model.read(sheet, box, "values");
  }

  formulas(address: string): CellValue[][] {
    const { sheet, box } = this.locate(address);
    return this.model.read(sheet, box, "formulas");
  }

  numberFormats(address: string): CellValue[][] {
    const { sheet, box } = this.locate(address);
    return this.model.read(sheet, box, "numberFormat");
  }

  value(address: string): CellValue {
    return this.values(address)[0]![0]!;
  }

  sheetNames(): string[] {
    return this.model.sheets.map((s) => s.name);
  }

  table(name: string): { sheet: string; address: string; headers: CellValue[]; rows: CellValue[][]; formats: CellValue[][] } {
    const table = this.model.table(name);
    if (!table) throw new FakeExcelError("ItemNotFound", `No table named "${name}".`);
    const { box, sheet } = table;
    const header = { ...box, lastRow: box.row };
    const body = { ...box, row: box.row + 1 };
    return {
      sheet: sheet.name,
      address: boxAddress(box),
      headers: this.model.read(sheet, header, "values")[0]!,
      rows: this.model.read(sheet, body, "values"),
      formats: this.model.read(sheet, body, "numberFormat"),
    };
  }

  tableNames(): string[] {
    return this.model.tables.map((t) => t.name);
  }

  setting(key: string): string | undefined {
    return this.model.settings.get(key);
  }

  private locate(address: string) {
    const { sheet } = splitSheet(address);
    return this.model.resolve(address, sheet ? null : (this.model.sheet(this.model.activeSheet ?? "") ?? this.model.sheets[0]!));
  }
}
