/**
 * Insert and refresh of Passerelle tables: read the journal (or the entries) from the API, lay it
 * out, hand it to the sheet writer, and remember the query in the workbook.
 */
import type { PasserelleClient } from "@passerelle/shared/client";
import { currentSeq, loadEntries, loadSalesJournal, type JournalFilters, type LoadProgress } from "../api/data.js";
import { periodSheetName } from "./period-names.js";
import type { Language } from "../language.js";
import type { CellValue, ExcelRun } from "./host.js";
import {
  buildSpec,
  entryCells,
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
}

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
    header: { view: query.view, companyName: query.companyName, siren: query.siren, filtersText: query.filtersText, refreshedAt, seq },
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
  };
  await saveTable(run, saved);
  return saved;
}

export async function refreshJournalTable(run: ExcelRun, client: PasserelleClient, saved: SavedTable, options: RunOptions = {}): Promise<SavedTable> {
  if (saved.view === "consolidated") return refreshConsolidatedTable(run, client, saved, options);
  const { seq, columns, rows } = await fetchRows(client, saved, saved.lang, saved.columns, options);
  const refreshedAt = (options.now ?? (() => new Date()))();
  const spec = buildSpec({
    view: saved.view,
    lang: saved.lang,
    sheetName: saved.sheetName,
    tableName: saved.tableName,
    columns,
    rows,
    header: { view: saved.view, companyName: saved.companyName, siren: saved.siren, filtersText: saved.filtersText, refreshedAt, seq },
  });
  const written = await refreshTable(run, spec, { onProgress: writeProgress(options) });
  const next: SavedTable = { ...saved, sheetName: written.sheetName, columns, lastSeq: seq, refreshedAt: refreshedAt.toISOString(), rows: rows.length };
  await saveTable(run, next);
  return next;
}
