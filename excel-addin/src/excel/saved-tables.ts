/**
 * The queries behind the workbook's Passerelle tables, saved in the workbook's settings so that
 * anyone who opens the file and has access to the company can refresh them.
 */
import type { ExcelRun, XlRequestContext } from "./host.js";
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

/** Each table's query is its own setting: a refresh rewrites its table's setting and no other. */
export const SETTING_PREFIX = "passerelle.table.";
/** Workbooks saved before kept every table in this one setting: still read, and moved to one setting per table on the next save. */
export const LEGACY_SETTINGS_KEY = "passerelle.tables";

export function settingKey(tableName: string): string {
  return SETTING_PREFIX + tableName;
}

/**
 * Every saved table (its own setting, else its entry in the old single setting), or only the
 * tables named: then only their settings are read, not the whole workbook's.
 */
export async function readSavedTables(run: ExcelRun, only?: string[]): Promise<SavedTable[]> {
  return run(async (ctx) => {
    const byName = new Map<string, SavedTable>();
    if (only) {
      const legacy = ctx.workbook.settings.getItemOrNullObject(LEGACY_SETTINGS_KEY).load("value");
      const own = only.map((name) => ctx.workbook.settings.getItemOrNullObject(settingKey(name)).load("value"));
      await ctx.sync();
      const old = legacy.isNullObject ? [] : parseSavedTables(legacy.value);
      only.forEach((name, i) => {
        const t = own[i]!.isNullObject ? old.find((x) => x.tableName === name) : parseSavedTable(own[i]!.value);
        if (t) byName.set(name, t);
      });
      return [...byName.values()];
    }
    const settings = ctx.workbook.settings.load("items");
    await ctx.sync();
    const legacy = settings.items.find((s) => s.key === LEGACY_SETTINGS_KEY);
    for (const t of legacy ? parseSavedTables(legacy.value) : []) byName.set(t.tableName, t);
    for (const s of settings.items) {
      if (!s.key.startsWith(SETTING_PREFIX)) continue;
      const t = parseSavedTable(s.value);
      if (t) byName.set(t.tableName, t);
    }
    return [...byName.values()];
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

export function parseSavedTable(value: unknown): SavedTable | undefined {
  if (typeof value !== "string") return undefined;
  try {
    const parsed = JSON.parse(value) as unknown;
    return parsed !== null && typeof parsed === "object" && typeof (parsed as SavedTable).tableName === "string" ? (parsed as SavedTable) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Moves the old single setting's tables to one setting each (a table that already has its own
 * setting keeps it), then deletes the old setting. Two syncs, once in the workbook's life.
 */
export async function moveLegacyTables(ctx: XlRequestContext, legacyValue: unknown): Promise<void> {
  const settings = ctx.workbook.settings.load("items");
  await ctx.sync();
  const own = new Set(settings.items.map((s) => s.key));
  for (const t of parseSavedTables(legacyValue)) {
    if (!own.has(settingKey(t.tableName))) ctx.workbook.settings.add(settingKey(t.tableName), JSON.stringify(t));
  }
  ctx.workbook.settings.getItemOrNullObject(LEGACY_SETTINGS_KEY).delete();
  await ctx.sync();
}

/** Adds or replaces (by table name) one saved table. */
export async function saveTable(run: ExcelRun, table: SavedTable): Promise<void> {
  await run(async (ctx) => {
    const legacy = ctx.workbook.settings.getItemOrNullObject(LEGACY_SETTINGS_KEY).load("value");
    await ctx.sync();
    if (!legacy.isNullObject) await moveLegacyTables(ctx, legacy.value);
    ctx.workbook.settings.add(settingKey(table.tableName), JSON.stringify(table));
    await ctx.sync();
  });
}
