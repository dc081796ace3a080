/**
 * XLSX exports on exceljs's streaming writer, with real Excel tables (header, autofilter, totals
 * row) — something the streaming writer cannot do by itself, so each table part is written here
 * next to its sheet. Amounts are numbers in a euro format, dates are dates, codes are text.
 *
 * Memory: the streaming writer still keeps per-sheet state and compresses in memory, so rows are
 * written sheet after sheet, with pauses whenever the client is slower than the writer; exports are
 * capped (`xlsxMaxRows` in the configuration) to what fits in 512 MB.
 */
import { PassThrough } from "node:stream";
import type ExcelJS from "exceljs";
import type { ExportBody, ExportSummary } from "./stream.js";
import { yieldToEventLoop } from "./stream.js";

type WorkbookWriter = ExcelJS.stream.xlsx.WorkbookWriter;
type SheetWriter = ReturnType<WorkbookWriter["addWorksheet"]>;

export type CellKind = "text" | "date" | "euro" | "rate" | "integer" | "quantity";

export interface TableColumn<R> {
  header: string;
  width: number;
  kind: CellKind;
  /** Euro columns give cents, rate columns basis points, date columns YYYY-MM-DD. */
  value: (row: R) => string | number | null;
  /** Sum this column in the totals row. */
  total?: boolean;
}

const NUM_FMT: Record<CellKind, string | undefined> = {
  text: "@",
  date: "dd/mm/yyyy",
  euro: '#,##0.00 "€";-#,##0.00 "€"',
  rate: "0.0%",
  integer: "0",
  quantity: "0.####",
};

function cellValue(kind: CellKind, value: string | number | null): ExcelJS.CellValue {
  if (value === null || value === "") return null;
  switch (kind) {
    case "date": {
      const [y, m, d] = String(value).split("-").map(Number) as [number, number, number];
      return new Date(Date.UTC(y, m - 1, d));
    }
    case "euro":
      return Number(value) / 100;
    case "rate":
      return Number(value) / 10_000;
    case "quantity":
      return Number(value);
    case "integer":
      return Number(value);
    default:
      return String(value);
  }
}

function columnLetter(index: number): string {
  let n = index + 1;
  let s = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

const xmlEscape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

interface WriterInternals {
  _openStream(path: string): NodeJS.WritableStream;
  addContentTypes(): Promise<void>;
}
interface SheetInternals {
  _sheetRelsWriter: { addRelationship(rel: { Target: string; Type: string }): string };
  _writeCloseWorksheet(): void;
  _write(text: string): void;
}

/** Registers the table parts written so far in [Content_Types].xml (the writer does not know them). */
function trackTables(wb: WorkbookWriter): string[] {
  const holder = wb as unknown as WriterInternals & { __tables?: string[] };
  if (holder.__tables) return holder.__tables;
  const tables: string[] = [];
  holder.__tables = tables;
  const original = holder.addContentTypes.bind(holder);
  holder.addContentTypes = function addContentTypes(this: WriterInternals) {
    const zip = (this as unknown as { zip: { append(data: string, o: { name: string }): void } }).zip;
    const append = zip.append.bind(zip);
    zip.append = (data: string, o: { name: string }) => {
      if (o.name === "[Content_Types].xml") {
        const overrides = tables
          .map((t) => `<Override PartName="/xl/tables/${t}" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"/>`)
          .join("");
        data = data.replace("</Types>", `${overrides}</Types>`);
      }
      append(data, o);
    };
    return original().finally(() => {
      zip.append = append;
    });
  };
  return tables;
}

export interface TableSheet<R> {
  sheetName: string;
  /** Excel table name: letters, digits, underscores. */
  tableName: string;
  columns: TableColumn<R>[];
  rows: Iterable<R> | AsyncIterable<R>;
  totalsLabel?: string;
  /** Title lines above nothing: kept out of the table so it stays a clean list. */
}

export interface XlsxContext {
  wb: WorkbookWriter;
  /** Waits while the compressor or the client is behind; true when the client went away. */
  throttle(sheet?: SheetWriter): Promise<boolean>;
  aborted(): boolean;
}

/** Bytes a sheet has handed to the zip compressor and that wait there (exceljs writes without backpressure). */
function sheetBacklog(sheet: SheetWriter): number {
  const pipes = (sheet as unknown as { stream?: { pipes?: { _writableState?: { length: number } }[] } }).stream?.pipes ?? [];
  return pipes.reduce((n, p) => n + (p._writableState?.length ?? 0), 0);
}

const BACKLOG_LIMIT = 256 * 1024;

/** Writes one sheet holding one Excel table (frozen header, autofilter, totals row); returns the data rows written. */
export async function writeTableSheet<R>(x: XlsxContext, spec: TableSheet<R>): Promise<number> {
  const tables = trackTables(x.wb);
  const sheet = x.wb.addWorksheet(spec.sheetName, { views: [{ state: "frozen", ySplit: 1, xSplit: 0 }] });
  sheet.columns = spec.columns.map((c) => ({ key: c.header, width: c.width, style: NUM_FMT[c.kind] ? { numFmt: NUM_FMT[c.kind]! } : {} }));
  const header = sheet.addRow(spec.columns.map((c) => c.header));
  header.font = { bold: true };
  header.commit();

  const sums = spec.columns.map(() => 0);
  let count = 0;
  for await (const row of spec.rows as AsyncIterable<R>) {
    const values = spec.columns.map((c, i) => {
      const v = c.value(row);
      if (c.total && typeof v === "number") sums[i]! += v;
      return cellValue(c.kind, v);
    });
    sheet.addRow(values).commit();
    count++;
    if (count % 200 === 0 && (await x.throttle(sheet))) return count;
  }
  if (count === 0) sheet.addRow(spec.columns.map(() => null)).commit();
  const dataRows = Math.max(count, 1);
  const hasTotals = spec.columns.some((c) => c.total);
  const lastCol = columnLetter(spec.columns.length - 1);
  const lastDataRow = 1 + dataRows;
  if (hasTotals) {
    const totals = sheet.addRow(
      spec.columns.map((c, i) => {
        if (c.total) return { formula: `SUBTOTAL(109,${spec.tableName}[${c.header}])`, result: cellValue(c.kind, sums[i]!) as number };
        return i === 0 ? (spec.totalsLabel ?? "Total") : null;
      }),
    );
    totals.font = { bold: true };
    totals.commit();
  }

  const target = `table${tables.length + 1}.xml`;
  tables.push(target);
  const ref = `A1:${lastCol}${lastDataRow + (hasTotals ? 1 : 0)}`;
  const columnsXml = spec.columns
    .map((c, i) => {
      const attrs = c.total ? ' totalsRowFunction="sum"' : i === 0 && hasTotals ? ` totalsRowLabel="${xmlEscape(spec.totalsLabel ?? "Total")}"` : "";
      return `<tableColumn id="${i + 1}" name="${xmlEscape(c.header)}"${attrs}/>`;
    })
    .join("");
  const tableXml =
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n` +
    `<table xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" id="${tables.length}" name="${spec.tableName}" displayName="${spec.tableName}" ref="${ref}" headerRowCount="1"${hasTotals ? ' totalsRowCount="1"' : ""}>` +
    `<autoFilter ref="A1:${lastCol}${lastDataRow}"/>` +
    `<tableColumns count="${spec.columns.length}">${columnsXml}</tableColumns>` +
    `<tableStyleInfo name="TableStyleMedium2" showFirstColumn="0" showLastColumn="0" showRowStripes="1" showColumnStripes="0"/>` +
    `</table>`;
  const internals = sheet as unknown as SheetInternals;
  const rId = internals._sheetRelsWriter.addRelationship({
    Target: `../tables/${target}`,
    Type: "http://schemas.openxmlformats.org/officeDocument/2006/relationships/table",
  });
  internals._writeCloseWorksheet = function closeWithTable(this: SheetInternals) {
    this._write(`<tableParts count="1"><tablePart r:id="${rId}"/></tableParts></worksheet>`);
  };
  const part = (x.wb as unknown as WriterInternals)._openStream(`/xl/tables/${target}`);
  part.write(tableXml);
  part.end();
  sheet.commit();
  return count;
}

/**
 * Runs `build` against a streaming workbook and yields the file's bytes as the client reads them.
 * `build` returns the export's summary; it should check `throttle()` between batches of rows.
 */
export async function* xlsxBody(build: (x: XlsxContext) => Promise<ExportSummary>, meta: { title: string; createdAt: Date }): ExportBody {
  // loaded on the first workbook: exceljs weighs about 15 MB the server need not carry until then
  const { default: excel } = await import("exceljs");
  const out = new PassThrough({ highWaterMark: 256 * 1024 });
  const wb = new excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  wb.creator = "Passerelle";
  wb.lastModifiedBy = "Passerelle";
  wb.created = meta.createdAt;
  wb.modified = meta.createdAt;
  (wb as unknown as { title: string }).title = meta.title;
  let gone = false;
  let failure: unknown;
  let summary: ExportSummary = { rows: 0 };
  const x: XlsxContext = {
    wb,
    aborted: () => gone,
    async throttle(sheet) {
      await yieldToEventLoop();
      while (!gone && sheet && sheetBacklog(sheet) > BACKLOG_LIMIT) await new Promise((resolve) => setTimeout(resolve, 1));
      while (!gone && out.writableNeedDrain) await new Promise<void>((resolve) => out.once("drain", resolve).once("close", resolve));
      return gone;
    },
  };
  const done = (async () => {
    summary = await build(x);
    if (!gone) await wb.commit();
  })().catch((error: unknown) => {
    failure = error;
    out.destroy(error as Error);
  });
  try {
    for await (const chunk of out) yield chunk as Uint8Array;
    await done;
    if (failure) throw failure;
    return summary;
  } finally {
    gone = true;
    if (!out.destroyed) out.destroy();
  }
}
