/**
 * The queries behind the workbook's Passerelle tables, saved in the workbook's settings so that
 * anyone who opens the file and has access to the company can refresh them.
 */
import type { ExcelRun } from "./host.js";
import type { ColumnDef, View } from "./layout.js";
import type { JournalFilters } from "../api/data.js";
import type { CompanySelection } from "../api/consolidated.js";
import type { SubtotalsTable } from "./consolidated.js";
import type { Language } from "../language.js";

export interface SavedTable {
  tableName: string;
  sheetName: string;
  companyId: string;
  companyName: string;
  siren: string;
  view: View;
  filters: JournalFilters;
  filtersText: string;
  /** Column headers stay in the language they were inserted in: formulas use their names. */
  lang: Language;
  columns: ColumnDef[];
  lastSeq: number;
  refreshedAt: string;
  rows: number;
  /** Lines of the header block above a journal table; absent on tables inserted when the block ended with the sequence. */
  headerLines?: number;
  /** Set while a refresh writes, up to this sequence: found by the next refresh, which then repairs the whole table. */
  refreshingTo?: number;
  /** A consolidated journal: the companies chosen, each one's sequence at the last refresh, and its subtotals table. */
  companies?: CompanySelection;
  seqs?: Record<string, number>;
  subtotals?: SubtotalsTable;
}

export const SETTINGS_KEY = "passerelle.tables";

export async function readSavedTables(run: ExcelRun): Promise<SavedTable[]> {
  return run(async (ctx) => {
    const setting = ctx.workbook.settings.getItemOrNullObject(SETTINGS_KEY);
    setting.load("value");
    await ctx.sync();
    if (setting.isNullObject) return [];
    return parseSavedTables(setting.value);
  });
}

export function parseSavedTables(value: unknown): SavedTable[] {
  if (typeof value !== "string") return [];
  try {
    const parsed = JSON.parse(value) as unknown;
    return Array.isArray(parsed) ? (parsed as SavedTable[]) : [];
  } catch {
    return [];
  }
}

/** The settings value with `table` added or replaced (by table name). */
export function withTable(tables: SavedTable[], table: SavedTable): string {
  return JSON.stringify([...tables.filter((t) => t.tableName !== table.tableName), table]);
}

/** Adds or replaces (by table name) one saved table. */
export async function saveTable(run: ExcelRun, table: SavedTable): Promise<SavedTable[]> {
  const tables = (await readSavedTables(run)).filter((t) => t.tableName !== table.tableName);
  tables.push(table);
  await writeAll(run, tables);
  return tables;
}

export async function forgetTable(run: ExcelRun, tableName: string): Promise<SavedTable[]> {
  const tables = (await readSavedTables(run)).filter((t) => t.tableName !== tableName);
  await writeAll(run, tables);
  return tables;
}

async function writeAll(run: ExcelRun, tables: SavedTable[]): Promise<void> {
  await run(async (ctx) => {
    ctx.workbook.settings.add(SETTINGS_KEY, JSON.stringify(tables));
    await ctx.sync();
  });
}
