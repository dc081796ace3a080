/**
 * Proxy objects with Office.js semantics: calls are queued and run in order at `sync()`;
 * properties are readable only after `load(…)` and a sync (otherwise `PropertyNotLoaded`);
 * null objects answer `isNullObject` after a sync; every sync's request and response size is
 * counted, and a request over the payload limit is refused as Excel on the web refuses it. Every
 * request goes through the workbook's `Link`: it takes time (latency) and may fail as a whole.
 */
import { MAX_COLUMNS, MAX_ROWS, qualifiedAddress, type CellBox } from "../excel/a1.js";
import type {
  CellValue,
  RangeProperty,
  XlApplication,
  XlFreezePanes,
  XlRange,
  XlRangeFont,
  XlRangeFormat,
  XlRequestContext,
  XlSetting,
  XlSettingCollection,
  XlTable,
  XlTableCollection,
  XlWorkbook,
  XlWorksheet,
  XlWorksheetCollection,
} from "../excel/host.js";
import { FakeExcelError, type SheetModel, type TableModel, type WorkbookModel } from "./model.js";

export interface SyncStats {
  syncs: number;
  /** Syncs that carried at least one write. */
  writeSyncs: number;
  /** Write syncs sent with calculation suspended. */
  suspendedWriteSyncs: number;
  largestRequestBytes: number;
  largestResponseBytes: number;
  totalRequestBytes: number;
}

export function emptyStats(): SyncStats {
  return { syncs: 0, writeSyncs: 0, suspendedWriteSyncs: 0, largestRequestBytes: 0, largestResponseBytes: 0, totalRequestBytes: 0 };
}

interface Op {
  bytes: number;
  write: boolean;
  /** Returns the size of what it sends back. */
  run: () => number;
}

/** The way to the workbook: each request waits its round trip and may be refused before any of it runs. */
export interface Link {
  request(): Promise<void>;
  /** Writes from the add-in extend an adjacent table, as with AutoCorrect applied to them. */
  readonly autoExpandApiWrites: boolean;
}

const OP_OVERHEAD_BYTES = 64;
const json = (v: unknown) => JSON.stringify(v)?.length ?? 0;

export class FakeContext implements XlRequestContext {
  readonly workbook: XlWorkbook;
  private queue: Op[] = [];
  private suspended = false;
  closed = false;

  constructor(
    readonly model: WorkbookModel,
    private readonly stats: SyncStats,
    private readonly payloadLimitBytes: number,
    readonly link: Link = { request: async () => undefined, autoExpandApiWrites: false },
  ) {
    this.workbook = new WorkbookProxy(this);
  }

  enqueue(op: Op): void {
    if (this.closed) throw new FakeExcelError("InvalidObjectPath", "The object was used outside the Excel.run batch that created it.");
    this.queue.push(op);
  }

  suspendCalculation(): void {
    this.enqueue({ bytes: 0, write: false, run: () => 0 });
    this.suspended = true;
  }

  async sync(): Promise<void> {
    const ops = this.queue;
    const suspended = this.suspended;
    this.queue = [];
    this.suspended = false;
    await Promise.resolve();
    if (ops.length === 0) return; // nothing queued: no request goes out
    const request = ops.reduce((n, op) => n + op.bytes + OP_OVERHEAD_BYTES, 0);
    this.stats.syncs++;
    this.stats.totalRequestBytes += request;
    this.stats.largestRequestBytes = Math.max(this.stats.largestRequestBytes, request);
    if (request > this.payloadLimitBytes) {
      throw new FakeExcelError("RequestPayloadSizeLimitExceeded", `The request payload size (${request} bytes) has exceeded the limit (${this.payloadLimitBytes} bytes).`);
    }
    await this.link.request(); // a failed request is refused whole: none of its operations run
    if (ops.some((op) => op.write)) {
      this.stats.writeSyncs++;
      if (suspended) this.stats.suspendedWriteSyncs++;
    }
    let response = 0;
    for (const op of ops) response += op.run();
    this.stats.largestResponseBytes = Math.max(this.stats.largestResponseBytes, response);
    if (response > this.payloadLimitBytes) {
      throw new FakeExcelError("RequestPayloadSizeLimitExceeded", `The response payload size (${response} bytes) has exceeded the limit (${this.payloadLimitBytes} bytes).`);
    }
  }
}

/** Base of every proxy: loaded properties, readable only after load + sync. */
class Loadable {
  protected loaded = new Map<string, unknown>();
  constructor(protected readonly ctx: FakeContext) {}

  protected get<T>(property: string): T {
    if (!this.loaded.has(property)) {
      throw new FakeExcelError(
        "PropertyNotLoaded",
        `The property '${property}' is not available. Before reading the property's value, call the load method on the containing object and call "context.sync()" on the associated request context.`,
      );
    }
    return this.loaded.get(property) as T;
  }

  protected queueLoad(read: () => Record<string, unknown>): void {
    this.ctx.enqueue({
      bytes: 32,
      write: false,
      run: () => {
        const values = read();
        for (const [k, v] of Object.entries(values)) this.loaded.set(k, v);
        return json(values);
      },
    });
  }

  protected queueWrite(bytes: number, run: () => void): void {
    this.ctx.enqueue({ bytes, write: true, run: () => (run(), 0) });
  }
}

type Located = { sheet: SheetModel; box: CellBox };

class WorkbookProxy implements XlWorkbook {
  readonly worksheets: XlWorksheetCollection;
  readonly tables: XlTableCollection;
  readonly application: XlApplication;
  readonly settings: XlSettingCollection;
  constructor(ctx: FakeContext) {
    this.worksheets = new WorksheetCollectionProxy(ctx);
    this.tables = new TableCollectionProxy(ctx);
    this.application = { suspendApiCalculationUntilNextSync: () => ctx.suspendCalculation() };
    this.settings = new SettingCollectionProxy(ctx);
  }
}

class WorksheetCollectionProxy implements XlWorksheetCollection {
  constructor(private readonly ctx: FakeContext) {}

  add(name?: string): XlWorksheet {
    let created: SheetModel | null = null;
    this.ctx.enqueue({ bytes: json(name ?? ""), write: true, run: () => ((created = this.ctx.model.addSheet(name)), 0) });
    return new WorksheetProxy(this.ctx, () => created);
  }

  getItemOrNullObject(key: string): XlWorksheet {
    return new WorksheetProxy(this.ctx, () => this.ctx.model.sheet(key), true);
  }
}

class WorksheetProxy extends Loadable implements XlWorksheet {
  readonly freezePanes: XlFreezePanes;
  constructor(
    ctx: FakeContext,
    private readonly find: () => SheetModel | null,
    nullable = false,
  ) {
    super(ctx);
    this.freezePanes = {
      freezeRows: (count = 1) => this.queueWrite(8, () => void (this.sheet().frozenRows = count)),
    };
    if (nullable) this.queueLoad(() => ({ isNullObject: this.find() === null }));
    else this.loaded.set("isNullObject", false);
  }

  sheet(): SheetModel {
    const sheet = this.find();
    if (!sheet) throw new FakeExcelError("ItemNotFound", "The requested resource doesn't exist (worksheet).");
    return sheet;
  }

  get name(): string {
    return this.get("name");
  }
  get isNullObject(): boolean {
    return this.get("isNullObject");
  }

  getRange(address?: string): XlRange {
    return new RangeProxy(
      this.ctx,
      () => {
        const sheet = this.sheet();
        if (address === undefined) return { sheet, box: { row: 0, column: 0, lastRow: MAX_ROWS - 1, lastColumn: MAX_COLUMNS - 1 } };
        const located = this.ctx.model.resolve(address, sheet);
        if (located.sheet !== sheet) throw new FakeExcelError("InvalidArgument", `"${address}" is not on worksheet "${sheet.name}".`);
        return located;
      },
      RANGE_PATH_BYTES + json(address ?? ""),
    );
  }

  activate(): void {
    this.queueWrite(8, () => void (this.ctx.model.activeSheet = this.sheet().name));
  }

  load(propertyNames: ("name" | "isNullObject")[]): XlWorksheet {
    this.queueLoad(() => {
      const sheet = this.find();
      return Object.fromEntries(propertyNames.map((p) => [p, p === "isNullObject" ? sheet === null : (sheet?.name ?? null)]));
    });
    return this;
  }
}

class TableCollectionProxy implements XlTableCollection {
  constructor(private readonly ctx: FakeContext) {}

  add(address: XlRange | string, hasHeaders: boolean): XlTable {
    let created: TableModel | null = null;
    this.ctx.enqueue({
      bytes: json(typeof address === "string" ? address : "range"),
      write: true,
      run: () => {
        if (!hasHeaders) throw new FakeExcelError("NotModelled", "The fake workbook only creates tables with headers.");
        const { sheet, box } = address instanceof RangeProxy ? address.locate() : this.ctx.model.resolve(String(address), null);
        created = this.ctx.model.addTable(sheet, box);
        return 0;
      },
    });
    return new TableProxy(this.ctx, () => created);
  }

  getItem(key: string): XlTable {
    return new TableProxy(this.ctx, () => this.ctx.model.table(key));
  }

  getItemOrNullObject(key: string): XlTable {
    return new TableProxy(this.ctx, () => this.ctx.model.table(key), true);
  }
}

class TableProxy extends Loadable implements XlTable {
  constructor(
    ctx: FakeContext,
    private readonly find: () => TableModel | null,
    nullable = false,
  ) {
    super(ctx);
    if (nullable) this.queueLoad(() => ({ isNullObject: this.find() === null }));
    else this.loaded.set("isNullObject", false);
  }

  private table(): TableModel {
    const table = this.find();
    if (!table) throw new FakeExcelError("ItemNotFound", "The requested resource doesn't exist (table).");
    return table;
  }

  get name(): string {
    return this.get("name");
  }
  set name(value: string) {
    this.queueWrite(json(value), () => this.ctx.model.renameTable(this.table(), value));
  }
  get isNullObject(): boolean {
    return this.get("isNullObject");
  }
  get worksheet(): XlWorksheet {
    return new WorksheetProxy(this.ctx, () => this.table().sheet);
  }

  getRange(): XlRange {
    return new RangeProxy(this.ctx, () => ({ sheet: this.table().sheet, box: this.table().box }));
  }
  getHeaderRowRange(): XlRange {
    return new RangeProxy(this.ctx, () => {
      const { sheet, box } = this.table();
      return { sheet, box: { ...box, lastRow: box.row } };
    });
  }
  getDataBodyRange(): XlRange {
    return new RangeProxy(this.ctx, () => {
      const { sheet, box } = this.table();
      return { sheet, box: { ...box, row: box.row + 1 } };
    });
  }

  resize(newRange: XlRange | string): void {
    this.queueWrite(json(typeof newRange === "string" ? newRange : "range"), () => {
      const table = this.table();
      const target = newRange instanceof RangeProxy ? newRange.locate() : this.ctx.model.resolve(String(newRange), table.sheet);
      this.ctx.model.resizeTable(table, target.sheet, target.box);
    });
  }

  load(propertyNames: ("name" | "isNullObject")[]): XlTable {
    this.queueLoad(() => {
      const table = this.find();
      return Object.fromEntries(propertyNames.map((p) => [p, p === "isNullObject" ? table === null : (table?.name ?? null)]));
    });
    return this;
  }
}

const ENTIRE_ROWS = (box: CellBox) => box.column === 0 && box.lastColumn === MAX_COLUMNS - 1;
const ENTIRE_COLUMNS = (box: CellBox) => box.row === 0 && box.lastRow === MAX_ROWS - 1;

/**
 * What a write to a range adds to its request besides the data: the object path that names the
 * range (the worksheet, then `getRange` with its address, or the method it was derived by), as
 * Excel on the web sends it with each action.
 */
const RANGE_PATH_BYTES = 48;

class RangeProxy extends Loadable implements XlRange {
  readonly format: XlRangeFormat;
  constructor(
    ctx: FakeContext,
    private readonly where: () => Located,
    private readonly pathBytes = RANGE_PATH_BYTES,
  ) {
    super(ctx);
    const font: XlRangeFont = {
      get bold(): boolean {
        throw new FakeExcelError("PropertyNotLoaded", "The property 'bold' is not available.");
      },
      set bold(_value: boolean) {
        ctx.enqueue({ bytes: 8, write: true, run: () => 0 });
      },
    };
    this.format = { font, autofitColumns: () => this.queueWrite(8, () => void this.locate()) };
  }

  locate(): Located {
    const located = this.where();
    const { box } = located;
    if (box.row < 0 || box.column < 0 || box.lastRow >= MAX_ROWS || box.lastColumn >= MAX_COLUMNS || box.lastRow < box.row || box.lastColumn < box.column) {
      throw new FakeExcelError("InvalidArgument", "The range falls outside the worksheet.");
    }
    return located;
  }

  private derived(change: (box: CellBox) => CellBox): RangeProxy {
    return new RangeProxy(
      this.ctx,
      () => {
        const { sheet, box } = this.locate();
        return { sheet, box: change(box) };
      },
      this.pathBytes + RANGE_PATH_BYTES,
    );
  }

  protected override queueWrite(bytes: number, run: () => void): void {
    super.queueWrite(bytes + this.pathBytes, run);
  }

  get address(): string {
    return this.get("address");
  }
  get rowIndex(): number {
    return this.get("rowIndex");
  }
  get columnIndex(): number {
    return this.get("columnIndex");
  }
  get rowCount(): number {
    return this.get("rowCount");
  }
  get columnCount(): number {
    return this.get("columnCount");
  }
  get values(): CellValue[][] {
    return this.get("values");
  }
  set values(data: CellValue[][]) {
    this.queueWrite(json(data), () => {
      const { sheet, box } = this.locate();
      this.ctx.model.write(sheet, box, data, "values");
      if (this.ctx.link.autoExpandApiWrites) this.ctx.model.autoExpand(sheet, box);
    });
  }
  get numberFormat(): string[][] {
    return this.get("numberFormat");
  }
  set numberFormat(data: string[][]) {
    this.queueWrite(json(data), () => {
      const { sheet, box } = this.locate();
      this.ctx.model.write(sheet, box, data, "numberFormat");
    });
  }
  get formulas(): CellValue[][] {
    return this.get("formulas");
  }
  set formulas(data: CellValue[][]) {
    this.queueWrite(json(data), () => {
      const { sheet, box } = this.locate();
      this.ctx.model.write(sheet, box, data, "formulas");
      if (this.ctx.link.autoExpandApiWrites) this.ctx.model.autoExpand(sheet, box);
    });
  }

  load(propertyNames: RangeProperty[]): XlRange {
    this.queueLoad(() => {
      const { sheet, box } = this.locate();
      const out: Record<string, unknown> = {};
      for (const p of propertyNames) {
        if (p === "address") out[p] = qualifiedAddress(sheet.name, box);
        else if (p === "rowIndex") out[p] = box.row;
        else if (p === "columnIndex") out[p] = box.column;
        else if (p === "rowCount") out[p] = box.lastRow - box.row + 1;
        else if (p === "columnCount") out[p] = box.lastColumn - box.column + 1;
        else {
          if ((box.lastRow - box.row + 1) * (box.lastColumn - box.column + 1) > 5_000_000) {
            throw new FakeExcelError("RequestPayloadSizeLimitExceeded", "The range is too large to load its cells.");
          }
          out[p] = this.ctx.model.read(sheet, box, p);
        }
      }
      return out;
    });
    return this;
  }

  getCell(row: number, column: number): XlRange {
    return this.derived((b) => ({ row: b.row + row, column: b.column + column, lastRow: b.row + row, lastColumn: b.column + column }));
  }
  getResizedRange(deltaRows: number, deltaColumns: number): XlRange {
    return this.derived((b) => ({ ...b, lastRow: b.lastRow + deltaRows, lastColumn: b.lastColumn + deltaColumns }));
  }
  getOffsetRange(rowOffset: number, columnOffset: number): XlRange {
    return this.derived((b) => ({ row: b.row + rowOffset, column: b.column + columnOffset, lastRow: b.lastRow + rowOffset, lastColumn: b.lastColumn + columnOffset }));
  }
  getEntireRow(): XlRange {
    return this.derived((b) => ({ ...b, column: 0, lastColumn: MAX_COLUMNS - 1 }));
  }
  getEntireColumn(): XlRange {
    return this.derived((b) => ({ ...b, row: 0, lastRow: MAX_ROWS - 1 }));
  }

  insert(shift: "Down" | "Right"): XlRange {
    this.queueWrite(16, () => {
      const { sheet, box } = this.locate();
      if (shift === "Down" && ENTIRE_ROWS(box)) this.ctx.model.shift(sheet, "row", box.row, box.lastRow - box.row + 1);
      else if (shift === "Right" && ENTIRE_COLUMNS(box)) this.ctx.model.shift(sheet, "column", box.column, box.lastColumn - box.column + 1);
      else throw new FakeExcelError("NotModelled", "The fake workbook inserts whole rows (Down) or whole columns (Right) only.");
    });
    return this.derived((b) => b);
  }

  delete(shift: "Up" | "Left"): void {
    this.queueWrite(16, () => {
      const { sheet, box } = this.locate();
      if (shift === "Up" && ENTIRE_ROWS(box)) this.ctx.model.shift(sheet, "row", box.row, -(box.lastRow - box.row + 1));
      else if (shift === "Left" && ENTIRE_COLUMNS(box)) this.ctx.model.shift(sheet, "column", box.column, -(box.lastColumn - box.column + 1));
      else throw new FakeExcelError("NotModelled", "The fake workbook deletes whole rows (Up) or whole columns (Left) only.");
    });
  }

  clear(applyTo: "All" | "Formats" | "Contents" = "All"): void {
    this.queueWrite(16, () => {
      const { sheet, box } = this.locate();
      this.ctx.model.clear(sheet, box, applyTo);
    });
  }
}

class SettingCollectionProxy extends Loadable implements XlSettingCollection {
  add(key: string, value: string): XlSetting {
    this.ctx.enqueue({ bytes: json(key) + json(value), write: true, run: () => (this.ctx.model.settings.set(key, value), 0) });
    return new SettingProxy(this.ctx, key, false);
  }

  getItemOrNullObject(key: string): XlSetting {
    return new SettingProxy(this.ctx, key, true);
  }

  get items(): XlSetting[] {
    return this.get("items");
  }

  /** Every setting with its key and value, as `settings.load("items")` answers in Excel (ExcelApi 1.4). */
  load(_propertyNames: "items"): XlSettingCollection {
    this.ctx.enqueue({
      bytes: 32,
      write: false,
      run: () => {
        const entries = [...this.ctx.model.settings].map(([key, value]) => ({ key, value }));
        this.loaded.set(
          "items",
          entries.map(({ key, value }) => new SettingProxy(this.ctx, key, false, value)),
        );
        return json(entries);
      },
    });
    return this;
  }
}

class SettingProxy extends Loadable implements XlSetting {
  constructor(
    ctx: FakeContext,
    readonly key: string,
    nullable: boolean,
    value?: string,
  ) {
    super(ctx);
    if (nullable) this.queueLoad(() => ({ isNullObject: !ctx.model.settings.has(key) }));
    else this.loaded.set("isNullObject", false);
    if (value !== undefined) this.loaded.set("value", value);
  }

  get isNullObject(): boolean {
    return this.get("isNullObject");
  }
  get value(): unknown {
    return this.get("value");
  }

  load(_propertyNames: "value" | "value"[]): XlSetting {
    this.queueLoad(() => {
      // a null object loads as null, as in Excel
      return { value: this.ctx.model.settings.get(this.key) ?? null };
    });
    return this;
  }

  delete(): void {
    this.queueWrite(json(this.key), () => void this.ctx.model.settings.delete(this.key));
  }
}
