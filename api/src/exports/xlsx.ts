/**
 * XLSX exports written as they are read: each sheet's XML goes row after row into a deflated entry
 * of the archive (yazl), which flows out as fast as the client takes it, so memory stays flat
 * whatever the size. Every sheet holds one real Excel table (header, autofilter, totals row);
 * amounts are numbers in a euro format, dates are dates, codes and names are text (never formulas).
 * The XML parts themselves are in xlsx-parts.ts.
 */
import { PassThrough, type Readable } from "node:stream";
import yazl from "yazl";
import "./zip-crc.js";
import type { ExportBody, ExportSummary } from "./stream.js";
import { yieldToEventLoop } from "./stream.js";
import {
  appProps,
  cellXml,
  columnLetter,
  contentTypes,
  coreProps,
  dateSerial,
  formulaCellXml,
  HEADER_STYLE,
  rootRels,
  SHEET_END,
  sheetRels,
  sheetStart,
  styleOf,
  stylesXml,
  tableXml,
  workbookRels,
  workbookXml,
  type CellKind,
} from "./xlsx-parts.js";

export type { CellKind } from "./xlsx-parts.js";

export interface TableColumn<R> {
  header: string;
  width: number;
  kind: CellKind;
  /** Euro columns give cents, rate columns basis points, date columns YYYY-MM-DD. */
  value: (row: R) => string | number | null;
  /** Sum this column in the totals row. */
  total?: boolean;
}

/** What Excel stores for a value of `kind`: euros, fractions, day serials, or the text itself. */
function cellValue(kind: CellKind, value: string | number | null): string | number | null {
  if (value === null || value === "") return null;
  switch (kind) {
    case "date":
      return dateSerial(String(value));
    case "euro":
      return Number(value) / 100;
    case "rate":
      return Number(value) / 10_000;
    case "quantity":
    case "integer":
      return Number(value);
    default:
      return String(value);
  }
}

/**
 * Deflate level of the sheets. Their XML repeats the same markup cell after cell: the fastest level
 * already takes it to about 1/16 (an « Écritures » sheet of 42 MB: 3.8 MB in 84 ms of CPU, against
 * 3.0 MB in 346 ms at zlib's default level 6), and a year's workbook holds half a gigabyte of it.
 */
const SHEET_COMPRESSION = 1;

/** XML text of one sheet, handed to the archive in chunks of about CHUNK characters. */
const CHUNK = 64 * 1024;

export class SheetSink {
  private parts: string[] = [];
  private size = 0;
  constructor(
    private readonly stream: PassThrough,
    private readonly gone: () => boolean,
  ) {}

  /** Adds text; true when a chunk is ready to be flushed. */
  push(text: string): boolean {
    this.parts.push(text);
    this.size += text.length;
    return this.size >= CHUNK;
  }

  /** Hands the text so far to the archive, waiting while it (or the client behind it) is behind. */
  async flush(): Promise<void> {
    if (this.size === 0 || this.gone()) return;
    const ready = this.stream.write(this.parts.join(""));
    this.parts = [];
    this.size = 0;
    if (ready) return;
    await new Promise<void>((resolve) => {
      const done = () => {
        this.stream.off("drain", done);
        this.stream.off("close", done);
        resolve();
      };
      this.stream.on("drain", done);
      this.stream.on("close", done);
    });
  }

  async end(): Promise<void> {
    await this.flush();
    this.stream.end();
  }
}

export interface XlsxContext {
  /** True once the client has gone: stop writing. */
  aborted(): boolean;
  /** Opens the next sheet (numbered from 1) in the archive; its XML goes through `sink`. */
  addSheet(name: string): { number: number; sink: SheetSink };
  /** Adds a small part whose text is complete (a table, a sheet's relationships). */
  addPart(path: string, xml: string): void;
}

export interface TableSheet<R> {
  sheetName: string;
  /** Excel table name: letters, digits, underscores. */
  tableName: string;
  columns: TableColumn<R>[];
  rows: Iterable<R> | AsyncIterable<R>;
  totalsLabel?: string;
}

/** Writes one sheet holding one Excel table (frozen header, autofilter, totals row); returns the data rows written. */
export async function writeTableSheet<R>(x: XlsxContext, spec: TableSheet<R>): Promise<number> {
  const { number, sink } = x.addSheet(spec.sheetName);
  const columns = spec.columns;
  const letters = columns.map((_, i) => columnLetter(i));
  const styles = columns.map((c) => styleOf(c.kind));
  sink.push(sheetStart({ columns, selected: number === 1 }));
  sink.push(`<row r="1">${columns.map((c, i) => cellXml(`${letters[i]}1`, HEADER_STYLE, c.header)).join("")}</row>`);

  const sums = columns.map(() => 0);
  let count = 0;
  for await (const row of spec.rows as AsyncIterable<R>) {
    const r = count + 2;
    let xml = `<row r="${r}">`;
    // a cell names its place only when it does not follow the previous one
    let follows = false;
    for (let i = 0; i < columns.length; i++) {
      const c = columns[i]!;
      const v = c.value(row);
      if (c.total && typeof v === "number") sums[i]! += v;
      const cell = cellXml(follows ? null : `${letters[i]}${r}`, styles[i]!, cellValue(c.kind, v));
      follows = cell !== "";
      xml += cell;
    }
    count++;
    if (sink.push(`${xml}</row>`)) await sink.flush();
    if (count % 500 === 0) {
      await yieldToEventLoop();
      if (x.aborted()) return count;
    }
  }
  // an empty table still spans one (blank) data row
  const dataRows = Math.max(count, 1);
  const totals = columns.flatMap((c, i) => (c.total ? [i] : []));
  const totalsLabel = spec.totalsLabel ?? "Total";
  if (totals.length > 0) {
    const r = dataRows + 2;
    const cells = columns.map((c, i) => {
      const ref = `${letters[i]}${r}`;
      if (c.total) return formulaCellXml(ref, styleOf(c.kind, true), `SUBTOTAL(109,${spec.tableName}[${c.header}])`, cellValue(c.kind, sums[i]!) as number);
      return i === 0 ? cellXml(ref, HEADER_STYLE, totalsLabel) : "";
    });
    sink.push(`<row r="${r}">${cells.join("")}</row>`);
  }
  sink.push(SHEET_END);
  await sink.end();
  x.addPart(`xl/worksheets/_rels/sheet${number}.xml.rels`, sheetRels(number));
  x.addPart(
    `xl/tables/table${number}.xml`,
    tableXml({ number, name: spec.tableName, headers: columns.map((c) => c.header), dataRows, totals, totalsLabel }),
  );
  return count;
}

/**
 * Runs `build` against a workbook written as it is read, and yields the file's bytes as the client
 * takes them. `build` adds the sheets and returns the export's summary; the workbook's own parts
 * (sheet list, styles, properties, content types) close the archive.
 */
export async function* xlsxBody(build: (x: XlsxContext) => Promise<ExportSummary>, meta: { title: string; createdAt: Date }): ExportBody {
  const zip = new yazl.ZipFile();
  const output = zip.outputStream as unknown as Readable;
  const entry = { mtime: meta.createdAt, mode: 0o100644 };
  const sheetNames: string[] = [];
  let current: PassThrough | null = null;
  let gone = false;
  let failure: unknown;
  const fail = (error: unknown) => {
    failure ??= error;
    output.destroy(error as Error);
  };
  zip.on("error", fail);
  const x: XlsxContext = {
    aborted: () => gone,
    addSheet(name) {
      sheetNames.push(name);
      const number = sheetNames.length;
      current = new PassThrough({ highWaterMark: CHUNK });
      // yazl pipes the sheet without listening for its errors
      current.on("error", fail);
      zip.addReadStream(current, `xl/worksheets/sheet${number}.xml`, { ...entry, compressionLevel: SHEET_COMPRESSION });
      return { number, sink: new SheetSink(current, () => gone) };
    },
    addPart(path, xml) {
      zip.addBuffer(Buffer.from(xml, "utf8"), path, entry);
    },
  };
  const done = (async () => {
    const summary = await build(x);
    if (gone) return summary;
    x.addPart("xl/workbook.xml", workbookXml(sheetNames));
    x.addPart("xl/_rels/workbook.xml.rels", workbookRels(sheetNames.length));
    x.addPart("xl/styles.xml", stylesXml());
    x.addPart("docProps/core.xml", coreProps(meta.title, meta.createdAt));
    x.addPart("docProps/app.xml", appProps());
    x.addPart("_rels/.rels", rootRels());
    x.addPart("[Content_Types].xml", contentTypes(sheetNames.length));
    zip.end();
    return summary;
  })().catch((error: unknown) => {
    fail(error);
    return { rows: 0 } as ExportSummary;
  });
  try {
    for await (const chunk of output) yield chunk as Uint8Array;
    const summary = await done;
    if (failure) throw failure;
    return summary;
  } finally {
    gone = true;
    (current as PassThrough | null)?.destroy();
    if (!output.destroyed) output.destroy();
    // `build` stops at its next check of `aborted()`: until then it may still read its rows' snapshot
    await done;
  }
}
