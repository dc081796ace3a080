/**
 * The consolidated sales journal in Excel: one table of the rows of several companies (Société and
 * SIREN before the journal's columns, and last a stable key column: company and document), and
 * a small table of each company's subtotals on a sheet of its own, so that sorting and filtering
 * the journal keeps working. A refresh checks the journal row by row by its key (keyed-table.ts):
 * only the rows of documents that changed are written, and the accountant's notes and columns stay
 * with their document; the small subtotals table is rewritten. The query, each company's sequence
 * and the subtotals table are saved with the journal's table.
 */
import type { CompanyJournalTotals, ConsolidatedJournalRow } from "@passerelle/shared";
import type { PasserelleClient } from "@passerelle/shared/client";
import { loadConsolidatedJournal, type CompanySelection } from "../api/consolidated.js";
import type { LoadProgress } from "../api/data.js";
import type { Language } from "../language.js";
import { dateTimeSerial, euros } from "./cells.js";
import type { CellValue, ExcelRun } from "./host.js";
import type { RunOptions, TableQuery } from "./journal-tables.js";
import { applyPlan, locateColumns, readBody, readTableState, reconcile } from "./keyed-table.js";
import { DEFAULT_RATES, journalCells, journalColumns, KEY, mergeColumns, rateLabel, type ColumnDef } from "./layout.js";
import { saveTable, type SavedTable } from "./saved-tables.js";
import { insertTable, refreshTable, TableMissingError, type SheetTableSpec, type WriteProgress, type WrittenTable } from "./writer.js";

/** Where the subtotals of a consolidated journal are. */
export interface SubtotalsTable {
  tableName: string;
  sheetName: string;
  columns: ColumnDef[];
}

const L = {
  fr: {
    key: "Clé", company: "Société", count: "Pièces", ht: "HT", vat: "TVA", ttc: "TTC", paid: "Payé", base: "Base",
    title: "Passerelle — Journal des ventes consolidé", subtotalsTitle: "Passerelle — Sous-totaux par société",
    companies: "Sociétés", all: (n: number) => `Toutes mes sociétés (${n})`, some: (n: number) => `${n} société${n > 1 ? "s" : ""}`,
    filters: "Filtres", refreshedAt: "Actualisé le", subtotals: "Sous-totaux", journal: "Journal",
    sheet: "Ventes consolidées", subtotalsSheet: "Sous-totaux consolidés",
  },
  en: {
    key: "Key", company: "Company", count: "Documents", ht: "Excl. VAT", vat: "VAT", ttc: "Incl. VAT", paid: "Paid", base: "Base",
    title: "Passerelle — Consolidated sales journal", subtotalsTitle: "Passerelle — Subtotals by company",
    companies: "Companies", all: (n: number) => `All my companies (${n})`, some: (n: number) => `${n} compan${n === 1 ? "y" : "ies"}`,
    filters: "Filters", refreshedAt: "Refreshed at", subtotals: "Subtotals", journal: "Journal",
    sheet: "Consolidated sales", subtotalsSheet: "Consolidated subtotals",
  },
} as const;

export const CONSOLIDATED_TABLE = "Ventes_consolidees";
export const SUBTOTALS_TABLE = "Ventes_consolidees_societes";

/** The document's stable key: its company and its id. */
export const documentKey = (row: { companyId: string; id: string }) => `${row.companyId}:${row.id}`;

const OWN = new Set([KEY, "company", "siren"]);

export function consolidatedColumns(lang: Language, rates: number[]): ColumnDef[] {
  const t = L[lang];
  return [
    { key: "company", header: t.company, kind: "text" },
    { key: "siren", header: "SIREN", kind: "text" },
    ...journalColumns(lang, rates).filter((c) => !OWN.has(c.key)),
    { key: KEY, header: t.key, kind: "text" },
  ];
}

export function consolidatedCells(row: ConsolidatedJournalRow, columns: ColumnDef[], lang: Language): CellValue[] {
  const journal = journalCells(row, columns.filter((c) => !OWN.has(c.key)), lang);
  let next = 0;
  return columns.map((column) => {
    if (column.key === KEY) return documentKey(row);
    if (column.key === "company") return row.companyName;
    if (column.key === "siren") return row.siren;
    return journal[next++]!;
  });
}

export function subtotalColumns(lang: Language, rates: number[]): ColumnDef[] {
  const t = L[lang];
  return [
    { key: "company", header: t.company, kind: "text" },
    { key: "siren", header: "SIREN", kind: "text" },
    { key: "count", header: t.count, kind: "integer", total: true },
    { key: "ht", header: t.ht, kind: "money", total: true },
    { key: "vat", header: t.vat, kind: "money", total: true },
    { key: "ttc", header: t.ttc, kind: "money", total: true },
    { key: "paid", header: t.paid, kind: "money", total: true },
    ...[...rates]
      .sort((a, b) => b - a)
      .flatMap((bp): ColumnDef[] => [
        { key: `base:${bp}`, header: `${t.base} ${rateLabel(bp, lang)}`, kind: "money", total: true },
        { key: `vat:${bp}`, header: `${t.vat} ${rateLabel(bp, lang)}`, kind: "money", total: true },
      ]),
  ];
}

export function subtotalCells(company: CompanyJournalTotals, columns: ColumnDef[]): CellValue[] {
  const totals = company.totals;
  return columns.map((column): CellValue => {
    switch (column.key) {
      case "company": return company.companyName;
      case "siren": return company.siren;
      case "count": return totals.count;
      case "ht": return euros(totals.htCents);
      case "vat": return euros(totals.vatCents);
      case "ttc": return euros(totals.ttcCents);
      case "paid": return euros(totals.paidCents);
    }
    const [part, bp] = column.key.split(":");
    const rate = totals.byRate.find((r) => r.vatRateBp === Number(bp));
    if (part === "base") return rate ? euros(rate.baseCents) : 0;
    if (part === "vat") return rate ? euros(rate.vatCents) : 0;
    throw new Error(`Unknown subtotal column "${column.key}".`);
  });
}

/** Every company a saved table follows: the companies of a consolidated journal, or its one company. */
export function companiesOf(table: SavedTable): string[] {
  return table.seqs ? Object.keys(table.seqs) : [table.companyId];
}

/** The sequence a table was refreshed at, for one of its companies. */
export function seqOf(table: SavedTable, companyId: string): number {
  return table.seqs?.[companyId] ?? table.lastSeq;
}

/** "Toutes mes sociétés (3)" or "2 sociétés": what the table's header says of its companies. */
export function selectionLabel(selection: CompanySelection, count: number, lang: Language): string {
  return selection === "all" ? L[lang].all(count) : L[lang].some(count);
}

async function fetchConsolidated(
  client: PasserelleClient,
  selection: CompanySelection,
  query: Pick<TableQuery, "filters">,
  lang: Language,
  existing: { columns: ColumnDef[]; subtotals: ColumnDef[] } | null,
  options: RunOptions,
) {
  const onProgress = (p: LoadProgress) => options.onProgress?.({ phase: "loading", done: p.loaded, total: p.total });
  const { customerId: _customerId, ...filters } = query.filters;
  const journal = await loadConsolidatedJournal(client, selection, filters, { ...(options.signal ? { signal: options.signal } : {}), onProgress });
  options.signal?.throwIfAborted();
  const rates = new Set(DEFAULT_RATES);
  for (const company of journal.companies) for (const r of company.totals.byRate) rates.add(r.vatRateBp);
  const columns = mergeColumns(existing?.columns ?? [], consolidatedColumns(lang, [...rates]));
  const subtotals = mergeColumns(existing?.subtotals ?? [], subtotalColumns(lang, [...rates]));
  // each company's sequence as the API read it with its totals: the rows include at least every change up to it
  const seqs = Object.fromEntries(journal.companies.map((c) => [c.companyId, c.lastSeq]));
  return {
    seqs,
    companies: journal.companies,
    columns,
    rows: journal.rows.map((row) => consolidatedCells(row, columns, lang)),
    subtotals,
    subtotalRows: journal.companies.map((c) => subtotalCells(c, subtotals)),
  };
}

function specs(args: {
  lang: Language;
  sheets: { journal: string; subtotals: string };
  tables: { journal: string; subtotals: string };
  label: string;
  filtersText: string;
  refreshedAt: Date;
  data: Awaited<ReturnType<typeof fetchConsolidated>>;
}): { journal: SheetTableSpec; subtotals: SheetTableSpec } {
  const t = L[args.lang];
  const refreshed = { label: t.refreshedAt, value: dateTimeSerial(args.refreshedAt), kind: "datetime" as const };
  const strip = (columns: ColumnDef[]) => columns.map(({ header, kind, total }) => ({ header, kind, ...(total ? { total } : {}) }));
  return {
    journal: {
      sheetName: args.sheets.journal,
      tableName: args.tables.journal,
      title: t.title,
      lines: [
        { label: t.companies, value: args.label, kind: "text" },
        { label: t.filters, value: args.filtersText, kind: "text" },
        refreshed,
        { label: t.subtotals, value: args.sheets.subtotals, kind: "text" },
      ],
      totalLabel: "Total",
      columns: strip(args.data.columns),
      rows: args.data.rows,
    },
    subtotals: {
      sheetName: args.sheets.subtotals,
      tableName: args.tables.subtotals,
      title: t.subtotalsTitle,
      lines: [
        { label: t.journal, value: args.sheets.journal, kind: "text" },
        { label: t.filters, value: args.filtersText, kind: "text" },
        refreshed,
      ],
      totalLabel: "Total",
      columns: strip(args.data.subtotals),
      rows: args.data.subtotalRows,
    },
  };
}

const writeProgress = (options: RunOptions) => (p: WriteProgress) => options.onProgress?.({ phase: "writing", done: p.rowsWritten, total: p.rowsTotal });

export async function insertConsolidatedTable(run: ExcelRun, client: PasserelleClient, query: TableQuery, lang: Language, options: RunOptions = {}): Promise<SavedTable> {
  const selection = query.companies ?? "all";
  const data = await fetchConsolidated(client, selection, query, lang, null, options);
  const refreshedAt = (options.now ?? (() => new Date()))();
  const label = selectionLabel(selection, data.companies.length, lang);
  const t = L[lang];
  // the subtotals first: the journal's sheet is the one left active
  const first = specs({ lang, sheets: { journal: t.sheet, subtotals: t.subtotalsSheet }, tables: { journal: CONSOLIDATED_TABLE, subtotals: SUBTOTALS_TABLE }, label, filtersText: query.filtersText, refreshedAt, data });
  const subtotals = await insertTable(run, first.subtotals);
  const journalSpec = specs({ lang, sheets: { journal: t.sheet, subtotals: subtotals.sheetName }, tables: { journal: CONSOLIDATED_TABLE, subtotals: subtotals.tableName }, label, filtersText: query.filtersText, refreshedAt, data }).journal;
  const written = await insertTable(run, journalSpec, { onProgress: writeProgress(options) });
  const saved: SavedTable = {
    ...query,
    companyName: label,
    companies: selection,
    tableName: written.tableName,
    sheetName: written.sheetName,
    lang,
    columns: data.columns,
    lastSeq: Math.max(0, ...Object.values(data.seqs)),
    seqs: data.seqs,
    subtotals: { tableName: subtotals.tableName, sheetName: subtotals.sheetName, columns: data.subtotals },
    refreshedAt: refreshedAt.toISOString(),
    rows: data.rows.length,
  };
  await saveTable(run, saved);
  // the subtotals' sheet names its journal's sheet: said again once the journal's name is known
  if (written.sheetName !== t.sheet) await refreshTable(run, specs({ lang, sheets: { journal: written.sheetName, subtotals: subtotals.sheetName }, tables: { journal: written.tableName, subtotals: subtotals.tableName }, label, filtersText: query.filtersText, refreshedAt, data }).subtotals);
  return saved;
}

export async function refreshConsolidatedTable(run: ExcelRun, client: PasserelleClient, saved: SavedTable, options: RunOptions = {}): Promise<SavedTable> {
  options.signal?.throwIfAborted();
  const state = await readTableState(run, saved.tableName);
  const stored = state.saved;
  const { refreshingTo, ...current } = { ...saved, ...stored };
  const repaired = refreshingTo !== undefined;
  const { at, missing } = locateColumns(state.headers, current.columns);
  const keyAt = at.get(KEY);
  if (keyAt === undefined) throw new Error(`The table "${current.tableName}" has lost its ${L[current.lang].key} column.`);
  const selection = current.companies ?? "all";
  const sub = current.subtotals!;
  const data = await fetchConsolidated(client, selection, current, current.lang, { columns: current.columns, subtotals: sub.columns }, options);
  const body = await readBody(run, state);
  options.signal?.throwIfAborted();
  const k = data.columns.findIndex((c) => c.key === KEY);
  const rewriteAll = missing.length > 0 || data.columns.length > current.columns.length;
  const plan = reconcile({
    body,
    keyColumn: keyAt,
    ours: data.columns.map((c) => (rewriteAll ? -1 : (at.get(c.key) ?? -1))),
    wanted: data.rows.map((cells) => ({ key: String(cells[k]), cells })),
    blank: data.columns.map(() => ""),
  });
  const refreshedAt = (options.now ?? (() => new Date()))();
  const label = selectionLabel(selection, data.companies.length, current.lang);
  const both = (subtotals: { sheetName: string; tableName: string }) =>
    specs({
      lang: current.lang,
      sheets: { journal: state.sheetName, subtotals: subtotals.sheetName },
      tables: { journal: current.tableName, subtotals: subtotals.tableName },
      label,
      filtersText: current.filtersText,
      refreshedAt,
      data,
    });
  let subWritten: WrittenTable;
  try {
    subWritten = await refreshTable(run, both(sub).subtotals);
  } catch (error) {
    if (!(error instanceof TableMissingError)) throw error;
    // the subtotals' table was deleted: it is made again on a sheet of its own
    subWritten = await insertTable(run, both(sub).subtotals);
  }
  const seq = Math.max(0, ...Object.values(data.seqs));
  const next: SavedTable = {
    ...current,
    companyName: label,
    sheetName: state.sheetName,
    columns: data.columns,
    lastSeq: seq,
    seqs: data.seqs,
    subtotals: { tableName: subWritten.tableName, sheetName: subWritten.sheetName, columns: data.subtotals },
    refreshedAt: refreshedAt.toISOString(),
    rows: plan.rows,
  };
  await applyPlan(run, {
    state,
    tableName: current.tableName,
    columns: data.columns,
    added: [...missing, ...data.columns.filter((c) => !current.columns.some((x) => x.key === c.key))],
    plan,
    lines: both(subWritten).journal.lines,
    // while writing, the saved table keeps its sequences (the changes are not all in yet)
    during: { ...current, columns: data.columns, refreshingTo: seq },
    after: next,
    onProgress: (done, total) => options.onProgress?.({ phase: "writing", done, total }),
    ...(options.chunkBytes ? { chunkBytes: options.chunkBytes } : {}),
  });
  options.onRefreshed?.({ tableName: current.tableName, mode: "whole", inserted: plan.inserted, updated: plan.updated, deleted: plan.deleted, repaired });
  if (repaired) options.onRepaired?.(next);
  return next;
}
