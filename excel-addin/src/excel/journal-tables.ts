/**
 * Insert and refresh of Passerelle tables: read the journal (or the entries) from the API, lay it
 * out, hand it to the sheet writer, and remember the query in the workbook.
 */
import type { PasserelleClient } from "@passerelle/shared/client";
import { currentSeq, loadChangedJournal, loadEntries, loadSalesJournal, type JournalFilters, type LoadProgress } from "../api/data.js";
import { periodSheetName } from "./period-names.js";
import type { Language } from "../language.js";
import type { CellValue, ExcelRun } from "./host.js";
import {
  buildSpec,
  entryCells,
  FORMER_SEQUENCE_LABELS,
  headerBlock,
  KEY,
  entryColumns,
  journalCells,
  journalColumns,
  mergeColumns,
  ratesOf,
  sheetNameFor,
  tableNameFor,
  type ColumnDef,
  type View,
} from "./layout.js";
import { saveTable, type SavedTable } from "./saved-tables.js";
import { applyPlan, locateColumns, planChanges, readBody, readKeys, readTableState, reconcile, type Plan, type TableState } from "./keyed-table.js";
import { dateSerial } from "./cells.js";
import { boxAddress } from "./a1.js";
import { insertTable, refreshTable, type WriteProgress } from "./writer.js";
import type { CompanySelection } from "../api/consolidated.js";
import { insertConsolidatedTable, refreshConsolidatedTable } from "./consolidated.js";

export interface TableQuery {
  companyId: string;
  companyName: string;
  siren: string;
  view: View;
  filters: JournalFilters;
  filtersText: string;
  /** The consolidated journal's companies (view "consolidated"). */
  companies?: CompanySelection;
}

export interface Progress {
  phase: "loading" | "writing";
  done: number;
  total: number | null;
}

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  now?: () => Date;
  /** The table's previous refresh had been cut off; this one repaired the whole table. */
  onRepaired?: (table: SavedTable) => void;
  /** Largest request of one write sync (Excel on the web refuses more than 5 MB). */
  chunkBytes?: number;
  /** What the refresh changed, row by row. */
  onRefreshed?: (outcome: RefreshOutcome) => void;
}

export interface RefreshOutcome {
  tableName: string;
  /** "changes": only the documents changed since the last refresh; "whole": every row checked by key. */
  mode: "changes" | "whole" | "rewrite";
  inserted: number;
  updated: number;
  deleted: number;
  repaired: boolean;
}

/** More changed documents than this: the whole table is checked instead. */
const MAX_CHANGED = 5000;
/** Rows whose date is read to place new documents (they come last, the journal being chronological). */
const DATE_TAIL = 2000;

async function fetchRows(client: PasserelleClient, query: TableQuery, lang: Language, existing: ColumnDef[] | null, options: RunOptions) {
  // the sequence first: the rows read next include at least every change up to it
  const seq = await currentSeq(client, query.companyId);
  options.signal?.throwIfAborted();
  const onProgress = (p: LoadProgress) => options.onProgress?.({ phase: "loading", done: p.loaded, total: p.total });
  const loadOptions = { ...(options.signal ? { signal: options.signal } : {}), onProgress };
  let columns: ColumnDef[];
  let rows: CellValue[][];
  if (query.view === "journal") {
    const { rows: journal } = await loadSalesJournal(client, query.companyId, query.filters, loadOptions);
    columns = mergeColumns(existing ?? [], journalColumns(lang, ratesOf(journal)));
    rows = journal.map((row) => journalCells(row, columns, lang));
  } else {
    const entries = await loadEntries(client, query.companyId, query.filters, loadOptions);
    columns = mergeColumns(existing ?? [], entryColumns(lang));
    rows = entryCells(entries, columns);
  }
  options.signal?.throwIfAborted();
  return { seq, columns, rows };
}

function writeProgress(options: RunOptions) {
  return (p: WriteProgress) => options.onProgress?.({ phase: "writing", done: p.rowsWritten, total: p.rowsTotal });
}

/** The company's plain sheet name, or, when a sheet has it already, one named after the period. */
async function sheetNameForInsert(run: ExcelRun, query: TableQuery, lang: Language): Promise<string> {
  const plain = sheetNameFor(query.companyName, query.view, lang);
  const taken = await run(async (ctx) => {
    const sheet = ctx.workbook.worksheets.getItemOrNullObject(plain);
    await ctx.sync();
    return !sheet.isNullObject;
  });
  const { from, to } = query.filters;
  return taken && from && to ? periodSheetName(query.companyName, query.view, from, to, lang) : plain;
}

export async function insertJournalTable(run: ExcelRun, client: PasserelleClient, query: TableQuery, lang: Language, options: RunOptions = {}): Promise<SavedTable> {
  if (query.view === "consolidated") return insertConsolidatedTable(run, client, query, lang, options);
  const { seq, columns, rows } = await fetchRows(client, query, lang, null, options);
  const refreshedAt = (options.now ?? (() => new Date()))();
  const spec = buildSpec({
    view: query.view,
    lang,
    sheetName: await sheetNameForInsert(run, query, lang),
    tableName: tableNameFor(query.companyName, query.view),
    columns,
    rows,
    header: { view: query.view, companyName: query.companyName, siren: query.siren, filtersText: query.filtersText, refreshedAt },
  });
  const written = await insertTable(run, spec, { onProgress: writeProgress(options) });
  const saved: SavedTable = {
    ...query,
    tableName: written.tableName,
    sheetName: written.sheetName,
    lang,
    columns,
    lastSeq: seq,
    refreshedAt: refreshedAt.toISOString(),
    rows: rows.length,
    headerLines: spec.lines.length,
  };
  await saveTable(run, saved);
  return saved;
}

/**
 * Refreshes a table in place, row by row (see keyed-table.ts): only the documents changed since
 * the table's sequence when it can, the whole table by key after an interrupted refresh, for the
 * entries view, or when a column of ours went missing. Tables inserted before rows had keys are
 * rewritten once (gaining the key column).
 */
export async function refreshJournalTable(run: ExcelRun, client: PasserelleClient, saved: SavedTable, options: RunOptions = {}): Promise<SavedTable> {
  if (saved.view === "consolidated") return refreshConsolidatedTable(run, client, saved, options);
  if (saved.headerLines === undefined) await dropSequenceLine(run, saved.tableName);
  if (!saved.columns.some((c) => c.key === KEY)) return rewriteJournalTable(run, client, saved, options);
  options.signal?.throwIfAborted();
  const state = await readTableState(run, saved.tableName);
  const stored = state.saved;
  const { refreshingTo, ...current } = { ...saved, ...stored };
  const repaired = refreshingTo !== undefined;
  const { at, missing } = locateColumns(state.headers, current.columns);
  const keyAt = at.get(KEY);
  if (keyAt === undefined) return rewriteJournalTable(run, client, current, options);
  const lang = current.lang;
  const onProgress = (p: LoadProgress) => options.onProgress?.({ phase: "loading", done: p.loaded, total: p.total });
  const loadOptions = { ...(options.signal ? { signal: options.signal } : {}), onProgress };

  let seq: number;
  let columns: ColumnDef[];
  let plan: Plan;
  let mode: RefreshOutcome["mode"] = "whole";
  const changes =
    current.view === "journal" && !repaired && missing.length === 0
      ? await (async () => {
          const s = await currentSeq(client, current.companyId);
          const changed = await loadChangedJournal(client, current.companyId, current.filters, current.lastSeq, loadOptions);
          return { seq: s, ...changed };
        })()
      : null;
  if (changes && changes.changedIds.length <= MAX_CHANGED) {
    mode = "changes";
    seq = changes.seq;
    columns = mergeColumns(current.columns, journalColumns(lang, ratesOf(changes.rows)));
    const served = changes.rows.map((row) => ({ key: row.id, date: dateSerial(row.date), cells: journalCells(row, columns, lang) }));
    const dateAt = at.get("date");
    const keys = changes.changedIds.length > 0 ? await readKeys(run, state, keyAt, dateAt ?? null, DATE_TAIL) : null;
    plan = keys
      ? planChanges({ keys: keys.keys, dates: keys.also, served, changedIds: changes.changedIds, blank: columns.map(() => "") })
      : { ops: [], rows: current.rows, inserted: 0, updated: 0, deleted: 0 };
  } else {
    const fetched = await fetchRows(client, current, lang, current.columns, options);
    seq = fetched.seq;
    columns = fetched.columns;
    const k = columns.findIndex((c) => c.key === KEY);
    const body = await readBody(run, state);
    options.signal?.throwIfAborted();
    const rewriteAll = missing.length > 0 || columns.length > current.columns.length;
    plan = reconcile({
      body,
      keyColumn: keyAt,
      ours: columns.map((c) => (rewriteAll ? -1 : (at.get(c.key) ?? -1))),
      wanted: fetched.rows.map((cells) => ({ key: String(cells[k]), cells })),
      blank: columns.map(() => ""),
    });
  }
  options.signal?.throwIfAborted();
  const refreshedAt = (options.now ?? (() => new Date()))();
  const added = [...missing, ...columns.filter((c) => !current.columns.some((x) => x.key === c.key))];
  const { lines } = headerBlock({ view: current.view, companyName: current.companyName, siren: current.siren, filtersText: current.filtersText, refreshedAt }, lang);
  const next: SavedTable = { ...current, sheetName: state.sheetName, columns, lastSeq: seq, refreshedAt: refreshedAt.toISOString(), rows: plan.rows, headerLines: lines.length };
  await applyPlan(run, {
    state,
    tableName: current.tableName,
    columns,
    added,
    plan,
    lines,
    // while writing, the saved table keeps its sequence (the changes are not all in yet) and names the columns being added
    during: { ...current, columns, refreshingTo: seq },
    after: next,
    onProgress: (done, total) => options.onProgress?.({ phase: "writing", done, total }),
    ...(options.chunkBytes ? { chunkBytes: options.chunkBytes } : {}),
  });
  options.onRefreshed?.({ tableName: current.tableName, mode, inserted: plan.inserted, updated: plan.updated, deleted: plan.deleted, repaired });
  if (repaired) options.onRepaired?.(next);
  return next;
}

/**
 * Tables inserted by earlier versions show the change feed's sequence as the last line of their
 * header block: that row is deleted once, so the block has the lines written today and the table
 * moves up by one row (formulas follow it). A missing table is left to the refresh to report.
 */
async function dropSequenceLine(run: ExcelRun, tableName: string): Promise<void> {
  await run(async (ctx) => {
    const table = ctx.workbook.tables.getItemOrNullObject(tableName);
    await ctx.sync();
    if (table.isNullObject) return;
    const range = table.getRange().load(["rowIndex", "columnIndex"]);
    const sheet = table.worksheet;
    await ctx.sync();
    // the block's last line sits just above its totals line, two rows above the table's header
    if (range.rowIndex < 2) return;
    const label = sheet.getRange(boxAddress({ row: range.rowIndex - 2, column: range.columnIndex, lastRow: range.rowIndex - 2, lastColumn: range.columnIndex })).load(["values"]);
    await ctx.sync();
    if (!FORMER_SEQUENCE_LABELS.includes(String(label.values[0]![0]))) return;
    sheet.getRange(boxAddress({ row: range.rowIndex - 2, column: 0, lastRow: range.rowIndex - 2, lastColumn: 0 })).getEntireRow().delete("Up");
    sheet.freezePanes.freezeRows(range.rowIndex);
    await ctx.sync();
  });
}

/** Rewrites the whole body (tables from before the key column); new columns are appended on the right. */
async function rewriteJournalTable(run: ExcelRun, client: PasserelleClient, saved: SavedTable, options: RunOptions = {}): Promise<SavedTable> {
  const { seq, columns, rows } = await fetchRows(client, saved, saved.lang, saved.columns, options);
  const refreshedAt = (options.now ?? (() => new Date()))();
  const spec = buildSpec({
    view: saved.view,
    lang: saved.lang,
    sheetName: saved.sheetName,
    tableName: saved.tableName,
    columns,
    rows,
    header: { view: saved.view, companyName: saved.companyName, siren: saved.siren, filtersText: saved.filtersText, refreshedAt },
  });
  const written = await refreshTable(run, spec, { onProgress: writeProgress(options), knownColumns: saved.columns.length });
  const next: SavedTable = { ...saved, sheetName: written.sheetName, columns, lastSeq: seq, refreshedAt: refreshedAt.toISOString(), rows: rows.length, headerLines: spec.lines.length };
  await saveTable(run, next);
  options.onRefreshed?.({ tableName: saved.tableName, mode: "rewrite", inserted: 0, updated: rows.length, deleted: 0, repaired: false });
  return next;
}

export type { TableState };
