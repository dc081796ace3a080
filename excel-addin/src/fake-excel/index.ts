/**
 * A strict in-memory Excel workbook implementing exactly the API surface of `../excel/host.ts`,
 * for unit tests in Node and for the task pane's end-to-end test in a browser.
 */
import type { ExcelRun, CellValue, OfficeRun } from "../excel/host.js";
import { boxAddress, splitSheet } from "../excel/a1.js";
import { FakeContext, emptyStats, type SyncStats } from "./context.js";
import { FakeExcelError, WorkbookModel } from "./model.js";

export { FakeExcelError } from "./model.js";
export type { SyncStats } from "./context.js";

/** Excel on the web refuses requests over 5 MB. */
export const EXCEL_WEB_PAYLOAD_LIMIT = 5 * 1024 * 1024;

export class FakeWorkbook {
  readonly model = new WorkbookModel();
  stats: SyncStats = emptyStats();

  constructor(readonly payloadLimitBytes = EXCEL_WEB_PAYLOAD_LIMIT) {
    this.model.addSheet("Feuil1");
    this.model.activeSheet = "Feuil1";
  }

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
    const context = new FakeContext(this.model, this.stats, this.payloadLimitBytes);
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

  /** Types a value or a formula into a cell, as a user would. */
  type(address: string, input: CellValue): void {
    const { sheet, box } = this.locate(address);
    this.model.write(sheet, box, [[input]], "values");
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
