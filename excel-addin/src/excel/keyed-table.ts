/**
 * Refreshing a table row by row. Every row carries its document's key (the "Clé" column); a
 * refresh reads the keys, then inserts, rewrites or deletes only the rows of the documents that
 * changed, as whole sheet rows, so that what the accountant keeps beside a row (a note, a column
 * of their own inside or right of the table) stays with its document. Rows are never re-sorted by
 * rewriting values. Columns are found by their header: any header that is not ours belongs to the
 * user and is never written.
 *
 * Writes are planned first (`Op`s over the body's row order), then sent in as few syncs as their
 * size allows. The saved table is marked "refreshing" in the first write sync and unmarked in the
 * last: a refresh cut off between the two (network, failed sync, pane closed) leaves the mark, and
 * the next refresh repairs the whole table by key (`reconcile`).
 */
import { boxAddress, qualifiedAddress } from "./a1.js";
import type { CellValue, ExcelRun, XlRequestContext, XlWorksheet } from "./host.js";
import { KEY, type ColumnDef } from "./layout.js";
import { LEGACY_SETTINGS_KEY, moveLegacyTables, parseSavedTable, parseSavedTables, settingKey, type SavedTable } from "./saved-tables.js";
import { blockRows, DEFAULT_CHUNK_BYTES, NUMBER_FORMATS, structuredName, TableMissingError, type HeaderLine } from "./writer.js";

/** What the first sync of a refresh learns about the table and the workbook's saved tables. */
export interface TableState {
  sheetName: string;
  /** Zero-based sheet row of the header and column of the table's first column. */
  top: number;
  left: number;
  /** Data rows (at least one). */
  bodyRows: number;
  /** Every column of the table, ours and the user's. */
  headers: string[];
  /** The table's saved query as the workbook holds it (its own setting, or its entry in the old single setting). */
  saved: SavedTable | undefined;
}

export async function readTableState(run: ExcelRun, tableName: string): Promise<TableState> {
  return run(async (ctx) => {
    const setting = ctx.workbook.settings.getItemOrNullObject(settingKey(tableName)).load("value");
    const table = ctx.workbook.tables.getItem(tableName);
    const range = table.getRange().load(["rowIndex", "columnIndex", "rowCount"]);
    const header = table.getHeaderRowRange().load(["values"]);
    const sheet = table.worksheet.load(["name"]);
    try {
      await ctx.sync();
    } catch (error) {
      if ((error as { code?: string }).code === "ItemNotFound") throw new TableMissingError(tableName);
      throw error;
    }
    let saved = setting.isNullObject ? undefined : parseSavedTable(setting.value);
    if (setting.isNullObject) {
      // a workbook saved with every table in one setting: each table gets its own before this one is written
      const legacy = ctx.workbook.settings.getItemOrNullObject(LEGACY_SETTINGS_KEY).load("value");
      await ctx.sync();
      if (!legacy.isNullObject) {
        saved = parseSavedTables(legacy.value).find((t) => t.tableName === tableName);
        await moveLegacyTables(ctx, legacy.value);
      }
    }
    return {
      sheetName: sheet.name,
      top: range.rowIndex,
      left: range.columnIndex,
      bodyRows: range.rowCount - 1,
      headers: header.values[0]!.map((h) => String(h)),
      saved,
    };
  });
}

/** Zero-based table column of each of our columns, by header; the missing ones are listed apart. */
export function locateColumns(headers: string[], columns: ColumnDef[]): { at: Map<string, number>; missing: ColumnDef[] } {
  const at = new Map<string, number>();
  const missing: ColumnDef[] = [];
  for (const column of columns) {
    const index = headers.indexOf(column.header);
    if (index < 0) missing.push(column);
    else at.set(column.key, index);
  }
  return { at, missing };
}

/** Reads one column of the body (table-relative index), rows `from`…`to` excluded. */
function bodyColumn(ctx: XlRequestContext, sheet: XlWorksheet, state: TableState, column: number, from: number, to: number) {
  const c = state.left + column;
  return sheet.getRange(boxAddress({ row: state.top + 1 + from, column: c, lastRow: state.top + to, lastColumn: c })).load(["values"]);
}

/** The key of every row, and the values of `alsoColumn` (a date) for the last `tail` rows. One sync per 100,000 rows. */
export async function readKeys(run: ExcelRun, state: TableState, keyColumn: number, alsoColumn: number | null, tail: number): Promise<{ keys: string[]; also: (CellValue | undefined)[] }> {
  const keys: string[] = [];
  const also: (CellValue | undefined)[] = new Array<CellValue | undefined>(state.bodyRows).fill(undefined);
  const PER_SYNC = 100_000;
  for (let from = 0; from < state.bodyRows; from += PER_SYNC) {
    const to = Math.min(state.bodyRows, from + PER_SYNC);
    const tailFrom = Math.max(from, state.bodyRows - tail);
    await run(async (ctx) => {
      const sheet = ctx.workbook.worksheets.getItemOrNullObject(state.sheetName);
      const keyRange = bodyColumn(ctx, sheet, state, keyColumn, from, to);
      const alsoRange = alsoColumn !== null && tailFrom < to ? bodyColumn(ctx, sheet, state, alsoColumn, tailFrom, to) : null;
      await ctx.sync();
      for (const [value] of keyRange.values) keys.push(String(value));
      alsoRange?.values.forEach(([value], i) => (also[tailFrom + i] = value));
    });
  }
  return { keys, also };
}

/** Every cell of the body (all columns, the user's too), a few thousand rows per sync. */
export async function readBody(run: ExcelRun, state: TableState, chunkBytes = DEFAULT_CHUNK_BYTES): Promise<CellValue[][]> {
  const width = state.headers.length;
  const perSync = Math.max(1, Math.floor((chunkBytes * 3) / (width * 16)));
  const body: CellValue[][] = [];
  for (let from = 0; from < state.bodyRows; from += perSync) {
    const to = Math.min(state.bodyRows, from + perSync);
    await run(async (ctx) => {
      const range = ctx.workbook.worksheets
        .getItemOrNullObject(state.sheetName)
        .getRange(boxAddress({ row: state.top + 1 + from, column: state.left, lastRow: state.top + to, lastColumn: state.left + width - 1 }))
        .load(["values"]);
      await ctx.sync();
      body.push(...range.values);
    });
  }
  return body;
}

/** Changes to the body, in order; indexes are body rows at the moment the change runs. Rows hold our columns' cells, in `columns` order. */
export type Op =
  | { kind: "delete"; at: number; count: number }
  | { kind: "insert"; at: number; rows: CellValue[][] }
  | { kind: "write"; at: number; rows: CellValue[][] };

export interface Plan {
  ops: Op[];
  /** Documents in the table once done (rows without a key are not counted). */
  rows: number;
  inserted: number;
  updated: number;
  deleted: number;
}

/** Builds the ops on a working copy of the keys, merging neighbours (consecutive rows, one range). */
class Planner {
  readonly ops: Op[] = [];
  inserted = 0;
  updated = 0;
  deleted = 0;
  constructor(
    readonly keys: string[],
    readonly also: (CellValue | undefined)[] = [],
  ) {}

  delete(at: number): void {
    this.keys.splice(at, 1);
    this.also.splice(at, 1);
    this.deleted++;
    const last = this.ops.at(-1);
    if (last?.kind === "delete" && last.at === at + 1) (last.at = at), last.count++;
    else if (last?.kind === "delete" && last.at === at) last.count++;
    else this.ops.push({ kind: "delete", at, count: 1 });
  }

  insert(at: number, key: string, cells: CellValue[], also?: CellValue): void {
    if (at === this.keys.length) this.keys.push(key);
    else this.keys.splice(at, 0, key);
    if (at === this.also.length) this.also.push(also);
    else this.also.splice(at, 0, also);
    this.inserted++;
    const last = this.ops.at(-1);
    if (last?.kind === "insert" && last.at + last.rows.length === at) last.rows.push(cells);
    else this.ops.push({ kind: "insert", at, rows: [cells] });
  }

  write(at: number, cells: CellValue[], counted = true): void {
    if (counted) this.updated++;
    const last = this.ops.at(-1);
    if (last?.kind === "write" && last.at + last.rows.length === at) last.rows.push(cells);
    else this.ops.push({ kind: "write", at, rows: [cells] });
  }

  /** The table keeps one row: when every row would go, the first is blanked instead. */
  deleteAll(indexes: number[], blank: CellValue[]): void {
    const sorted = [...new Set(indexes)].sort((a, b) => b - a);
    const keepOne = sorted.length > 0 && sorted.length === this.keys.length;
    for (const at of keepOne ? sorted.slice(0, -1) : sorted) this.delete(at);
    if (keepOne) {
      this.keys[0] = "";
      this.deleted++;
      this.write(0, blank, false);
    }
  }

  plan(): Plan {
    return { ops: this.ops, rows: this.keys.filter((k) => k !== "").length, inserted: this.inserted, updated: this.updated, deleted: this.deleted };
  }
}

export interface Row {
  key: string;
  cells: CellValue[];
}

/**
 * The changed documents only: rewrites those present, deletes those named but not served (they left
 * the filter), inserts the new ones after the last row dated on or before them (`dates`: the date
 * of the last rows, undefined further up).
 */
export function planChanges(args: { keys: string[]; dates: (CellValue | undefined)[]; served: (Row & { date: number })[]; changedIds: string[]; blank: CellValue[] }): Plan {
  const { served, blank } = args;
  const placeholder = args.keys.length === 1 && args.keys[0] === "";
  const p = new Planner([...args.keys], [...args.dates]);
  const servedKeys = new Set(served.map((r) => r.key));
  const gone = args.changedIds.filter((id) => !servedKeys.has(id));
  const goneSet = new Set(gone);
  const fresh = served.filter((r) => !p.keys.includes(r.key));
  // deletes first (bottom up), unless that would leave no row and nothing comes in
  const toDelete = p.keys.flatMap((k, i) => (goneSet.has(k) ? [i] : []));
  if (fresh.length > 0 || placeholder) for (const at of toDelete.sort((a, b) => b - a)) p.delete(at);
  else p.deleteAll(toDelete, blank);
  for (const row of [...fresh].sort((a, b) => a.date - b.date)) {
    let at = p.keys.length;
    while (at > 0) {
      const date = p.also[at - 1];
      if (date === undefined) break; // above the rows read: place it here
      if (typeof date === "number" && date <= row.date) break;
      at--;
    }
    if (placeholder && p.keys.length === 1 && p.keys[0] === "") at = 1;
    p.insert(at, row.key, row.cells, row.date);
  }
  if (placeholder && fresh.length > 0) p.delete(p.keys.indexOf(""));
  const index = new Map(p.keys.map((k, i) => [k, i]));
  const updates = served.filter((r) => !fresh.includes(r)).map((r) => ({ at: index.get(r.key)!, cells: r.cells }));
  for (const u of updates.sort((a, b) => a.at - b.at)) p.write(u.at, u.cells);
  return p.plan();
}

/**
 * The whole table against every wanted row: rows of documents no longer wanted (or twice) go,
 * empty rows too (a row inserted but never written); rows whose cells differ are rewritten; new
 * documents go after the one before them in `wanted`'s order. Rows the user typed into the table
 * (no key, something in a cell) and the user's columns stay as they are.
 */
export function reconcile(args: { body: CellValue[][]; keyColumn: number; ours: (number | null)[]; wanted: Row[]; blank: CellValue[] }): Plan {
  const { body, keyColumn, ours, wanted, blank } = args;
  const wantedAt = new Map(wanted.map((r, i) => [r.key, i]));
  const keys = body.map((row) => String(row[keyColumn] ?? ""));
  const seen = new Set<string>();
  const toDelete: number[] = [];
  keys.forEach((key, i) => {
    const empty = body[i]!.every((v) => v === "");
    if ((key === "" && empty && body.length > 1) || (key !== "" && (!wantedAt.has(key) || seen.has(key)))) toDelete.push(i);
    seen.add(key);
  });
  const p = new Planner([...keys]);
  const placeholder = keys.length === 1 && keys[0] === "" && body[0]!.every((v) => v === "");
  const fresh = wanted.filter((r) => !seen.has(r.key));
  if (fresh.length > 0 || placeholder) for (const at of toDelete.sort((a, b) => b - a)) p.delete(at);
  else p.deleteAll(toDelete, blank);
  // unchanged rows are compared now, before the indexes move
  const deleted = new Set(toDelete);
  const stale = new Set<string>();
  keys.forEach((key, i) => {
    const want = wanted[wantedAt.get(key) ?? -1];
    if (want && !deleted.has(i) && ours.some((c, j) => c !== null && !same(body[i]![c]!, want.cells[j]!))) stale.add(key);
  });
  const present = new Set(keys.filter((_, i) => !deleted.has(i)));
  let previous: string | null = null;
  let previousAt = -1; // where the previous row was inserted (-1: look it up)
  for (const row of wanted) {
    if (present.has(row.key)) {
      previous = row.key;
      previousAt = -1;
      continue;
    }
    const at: number = previous === null ? (placeholder ? 1 : 0) : (previousAt >= 0 ? previousAt : p.keys.indexOf(previous)) + 1;
    p.insert(at, row.key, row.cells);
    present.add(row.key);
    previous = row.key;
    previousAt = at;
  }
  if (placeholder && fresh.length > 0) p.delete(p.keys.indexOf(""));
  const index = new Map(p.keys.map((k, i) => [k, i]));
  const updates = wanted.filter((r) => stale.has(r.key)).map((r) => ({ at: index.get(r.key)!, cells: r.cells }));
  for (const u of updates.sort((a, b) => a.at - b.at)) p.write(u.at, u.cells);
  return p.plan();
}

/** Excel answers what it stores: numbers stay numbers, text formatted as text stays text. */
function same(a: CellValue, b: CellValue): boolean {
  if (typeof a === "number" && typeof b === "number") return Math.abs(a - b) < 1e-9;
  return a === b;
}

export interface ApplyArgs {
  state: TableState;
  tableName: string;
  /** Our columns, in the order of the plan's cells. */
  columns: ColumnDef[];
  /** Our columns not in the table yet: appended on its right first. */
  added: ColumnDef[];
  plan: Plan;
  lines: HeaderLine[];
  /** The saved table while writing (with its mark), and once done. */
  during: SavedTable;
  after: SavedTable;
  chunkBytes?: number;
  onProgress?: (done: number, total: number) => void;
}

type Step = { bytes: number; queue: (ctx: XlRequestContext, sheet: XlWorksheet) => void };

/** Sends the plan in as few syncs as its size allows; returns the table's address once done. */
export async function applyPlan(run: ExcelRun, a: ApplyArgs): Promise<string> {
  const { state } = a;
  const budget = a.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const { top, left } = state;
  let width = state.headers.length;
  let rows = state.bodyRows;
  const steps: Step[] = [];
  const json = (v: unknown) => JSON.stringify(v).length;
  const resize = () => {
    const box = { row: top, column: left, lastRow: top + Math.max(1, rows), lastColumn: left + width - 1 };
    steps.push({ bytes: 80, queue: (ctx, sheet) => ctx.workbook.tables.getItem(a.tableName).resize(sheet.getRange(boxAddress(box))) });
  };

  steps.push({ bytes: json(a.during), queue: (ctx) => void ctx.workbook.settings.add(settingKey(a.during.tableName), JSON.stringify(a.during)) });

  // new columns right after ours: whole sheet columns, so the accountant's columns on the right
  // and what is beside the table move along
  const headers = [...state.headers];
  if (a.added.length > 0) {
    const ourLast = Math.max(-1, ...a.columns.map((c) => headers.indexOf(c.header)));
    const first = left + ourLast + 1;
    const n = a.added.length;
    const names = a.added.map((c) => c.header);
    steps.push({
      bytes: json(names) + 64,
      queue: (_ctx, sheet) => {
        sheet.getRange(boxAddress({ row: 0, column: first, lastRow: 0, lastColumn: first + n - 1 })).getEntireColumn().insert("Right");
        const header = sheet.getRange(boxAddress({ row: top, column: first, lastRow: top, lastColumn: first + n - 1 }));
        header.numberFormat = [names.map(() => "@")];
        header.values = [names];
        header.format.font.bold = true;
      },
    });
    width += n;
    headers.splice(ourLast + 1, 0, ...names);
    resize();
    // each new column's format, once for the whole column; totals in the line above
    a.added.forEach((column, i) => {
      const c = first + i;
      for (let from = 0; from < rows; from += 50_000) {
        const to = Math.min(rows, from + 50_000);
        const formats = [[NUMBER_FORMATS[column.kind]]]; // one format for the whole column
        // the rows already there had nothing at a rate they did not use; the plan then writes the rows that change
        const fill = Array.from({ length: to - from }, (): CellValue[] => [column.kind === "money" ? 0 : ""]);
        steps.push({
          bytes: json(formats) + json(fill),
          queue: (_ctx, sheet) => {
            const range = sheet.getRange(boxAddress({ row: top + 1 + from, column: c, lastRow: top + to, lastColumn: c }));
            range.numberFormat = formats;
            range.values = fill;
          },
        });
      }
      if (column.total) {
        const formula = `=SUBTOTAL(109,${a.tableName}[${structuredName(column.header)}])`;
        steps.push({
          bytes: formula.length + 40,
          queue: (_ctx, sheet) => {
            const cell = sheet.getRange(boxAddress({ row: top - 1, column: c, lastRow: top - 1, lastColumn: c }));
            cell.numberFormat = [[NUMBER_FORMATS.money]];
            cell.values = [[formula]];
          },
        });
      }
    });
  }

  // our columns' places, grouped in runs of neighbouring columns
  const place = a.columns.map((c) => headers.indexOf(c.header));
  const runs: { from: number; cells: number[] }[] = [];
  [...place.keys()].filter((j) => place[j]! >= 0).sort((x, y) => place[x]! - place[y]!).forEach((j) => {
    const run = runs.at(-1);
    if (run && place[run.cells.at(-1)!]! + 1 === place[j]) run.cells.push(j);
    else runs.push({ from: place[j]!, cells: [j] });
  });
  const formatsOf = runs.map((r) => r.cells.map((j) => NUMBER_FORMATS[a.columns[j]!.kind]));
  const writeRows = (at: number, data: CellValue[][], withFormats: boolean): Step => ({
    bytes: json(data) * (withFormats ? 2 : 1) + 64 * runs.length,
    queue: (_ctx, sheet) => {
      runs.forEach((run, r) => {
        const range = sheet.getRange(boxAddress({ row: top + 1 + at, column: left + run.from, lastRow: top + at + data.length, lastColumn: left + run.from + run.cells.length - 1 }));
        if (withFormats) range.numberFormat = data.map(() => formatsOf[r]!);
        range.values = data.map((cells) => run.cells.map((j) => cells[j]!));
      });
    },
  });

  for (const op of a.plan.ops) {
    // big inserts and writes go in pieces, each within the budget
    const piece = (data: CellValue[][]) => Math.max(1, Math.floor(budget / Math.max(1, json(data[0]) * 2 + 16)));
    if (op.kind === "delete") {
      const at = op.at;
      steps.push({ bytes: 64, queue: (_ctx, sheet) => sheet.getRange(boxAddress({ row: top + 1 + at, column: 0, lastRow: top + at + op.count, lastColumn: 0 })).getEntireRow().delete("Up") });
      rows -= op.count;
    } else if (op.kind === "insert") {
      const n = piece(op.rows);
      for (let i = 0; i < op.rows.length; i += n) {
        const data = op.rows.slice(i, i + n);
        const at = op.at + i;
        const append = at >= rows;
        steps.push({ bytes: 64, queue: (_ctx, sheet) => void sheet.getRange(boxAddress({ row: top + 1 + at, column: 0, lastRow: top + at + data.length, lastColumn: 0 })).getEntireRow().insert("Down") });
        rows += data.length;
        // rows added below the table join it at once, so an interrupted refresh leaves them keyed inside it
        if (append) resize();
        steps.push(writeRows(at, data, true));
      }
    } else {
      const n = piece(op.rows);
      for (let i = 0; i < op.rows.length; i += n) steps.push(writeRows(op.at + i, op.rows.slice(i, i + n), false));
    }
  }

  // the header block's values (the refresh time, the sequence…), the table's final size, the saved query
  const block = blockRows({ lines: a.lines });
  const lineValues = a.lines.map((l) => [l.value]);
  steps.push({
    bytes: json(lineValues) + 64,
    queue: (_ctx, sheet) => void (sheet.getRange(boxAddress({ row: top - block + 1, column: left + 1, lastRow: top - 2, lastColumn: left + 1 })).values = lineValues),
  });
  resize();
  steps.push({ bytes: json(a.after), queue: (ctx) => void ctx.workbook.settings.add(settingKey(a.after.tableName), JSON.stringify(a.after)) });

  // batches: as many steps as fit in the budget, one sync each
  const total = steps.length;
  let done = 0;
  while (done < total) {
    let end = done;
    let bytes = 0;
    while (end < total && (end === done || bytes + steps[end]!.bytes <= budget)) bytes += steps[end++]!.bytes;
    const batch = steps.slice(done, end);
    await run(async (ctx) => {
      ctx.workbook.application.suspendApiCalculationUntilNextSync();
      const sheet = ctx.workbook.worksheets.getItemOrNullObject(state.sheetName);
      for (const step of batch) step.queue(ctx, sheet);
      await ctx.sync();
    });
    done = end;
    a.onProgress?.(done, total);
  }
  return qualifiedAddress(state.sheetName, { row: top, column: left, lastRow: top + Math.max(1, rows), lastColumn: left + width - 1 });
}

export { KEY };
