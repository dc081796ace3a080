/**
 * The "Comptes" sheet: the company's account codes as the accountant's layer sees them, one row
 * per default, journal, VAT rate, customer, product and category, in an Excel table the accountant
 * edits. Saving reads the table back, sends the whole sheet, and writes each refused row's reasons
 * in French in the Erreur column beside it (cleared once the row is right); a saved sheet is
 * rewritten as the server now has it.
 */
import type { PasserelleClient } from "@passerelle/shared/client";
import { ApiError } from "@passerelle/shared/client";
import { ACCOUNT_ROW_NAMES, accountRowMessageFr, type AccountRowKind } from "@passerelle/shared/account-rows";
import type { Language } from "../language.js";
import type { CellValue, ExcelRun } from "./host.js";
import { boxAddress } from "./a1.js";
import { insertTable, refreshTable, TableMissingError, type SheetTableSpec } from "./writer.js";

/** A row as the API shows it (GET /companies/{id}/accounting/accounts). */
export interface AccountRow {
  kind: AccountRowKind;
  key: string;
  label: string;
  account: string;
  auxAccount?: string;
  origin: "default" | "override";
}

/** A row as sent back: the cells' text. */
export interface AccountRowInput {
  kind: string;
  key: string;
  account: string;
  auxAccount?: string;
}

export interface AccountSheetTarget {
  companyId: string;
  companyName: string;
  siren: string;
}

export interface SavedAccountSheet extends AccountSheetTarget {
  tableName: string;
  sheetName: string;
  lang: Language;
}

export const ACCOUNT_SHEETS_KEY = "passerelle.accountSheets";

const HEADERS: Record<Language, string[]> = {
  fr: ["Type", "Élément", "Libellé", "Compte", "Auxiliaire", "Origine", "Erreur"],
  en: ["Type", "Item", "Label", "Account", "Auxiliary", "Origin", "Error"],
};
const [KIND, KEY, , ACCOUNT, AUX, , ERROR] = [0, 1, 2, 3, 4, 5, 6] as const;

export function accountSheetNameFor(companyName: string, lang: Language): string {
  const suffix = lang === "fr" ? " – Comptes" : " – Accounts";
  const clean = companyName.replace(/[[\]:*?/\\']/g, " ").replace(/\s+/g, " ").trim();
  return clean.slice(0, 31 - suffix.length).trim() + suffix;
}

export function accountTableNameFor(companyName: string): string {
  const slug = companyName.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[^A-Za-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 60);
  return `Comptes_${slug || "societe"}`;
}

/** The default and journal keys the sheet shows in words ("Clients", "Ventes"); the API's otherwise. */
function shownKey(row: AccountRow, lang: Language): string {
  if (row.kind !== "default" && row.kind !== "journal") return row.key;
  const keys = ACCOUNT_ROW_NAMES[lang].keys as Record<string, string>;
  return keys[row.key] ?? row.key;
}

export function accountCells(rows: AccountRow[], lang: Language): CellValue[][] {
  const names = ACCOUNT_ROW_NAMES[lang];
  return rows.map((r) => [names.kinds[r.kind], shownKey(r, lang), r.label, r.account, r.auxAccount ?? "", names.origins[r.origin], ""]);
}

/** Reads a row's cells back into what the API takes: kinds and keys in either language. */
export function rowInput(cells: CellValue[]): AccountRowInput {
  const text = (v: CellValue | undefined) => (v === undefined ? "" : String(v).trim());
  const shownKind = text(cells[KIND]);
  const kind =
    (Object.values(ACCOUNT_ROW_NAMES).flatMap((n) => Object.entries(n.kinds)).find(([, label]) => label.toLowerCase() === shownKind.toLowerCase())?.[0] as string | undefined) ?? shownKind;
  let key = text(cells[KEY]);
  if (kind === "default" || kind === "journal") {
    const wanted = kind === "default" ? ["customers", "goods", "services", "bank", "deposits"] : ["sales", "bank"];
    const match = Object.values(ACCOUNT_ROW_NAMES)
      .flatMap((n) => Object.entries(n.keys as Record<string, string>))
      .find(([k, label]) => wanted.includes(k) && label.toLowerCase() === key.toLowerCase());
    if (match) key = match[0];
  }
  const aux = text(cells[AUX]);
  return { kind, key, account: text(cells[ACCOUNT]), ...(aux ? { auxAccount: aux } : {}) };
}

function specFor(saved: SavedAccountSheet, rows: AccountRow[]): SheetTableSpec {
  const fr = saved.lang === "fr";
  return {
    sheetName: saved.sheetName,
    tableName: saved.tableName,
    title: fr ? "Passerelle — Comptes" : "Passerelle — Accounts",
    lines: [
      { label: fr ? "Société" : "Company", value: saved.companyName, kind: "text" },
      { label: "SIREN", value: saved.siren, kind: "text" },
    ],
    totalLabel: fr ? "Modifiez la colonne Compte, puis « Enregistrer »" : "Edit the Account column, then “Save”",
    columns: HEADERS[saved.lang].map((header) => ({ header, kind: "text" as const })),
    rows: accountCells(rows, saved.lang),
  };
}

async function fetchRows(client: PasserelleClient, companyId: string): Promise<AccountRow[]> {
  return (await client.request<{ rows: AccountRow[] }>("GET", `/companies/${encodeURIComponent(companyId)}/accounting/accounts`)).rows;
}

export async function readAccountSheets(run: ExcelRun): Promise<SavedAccountSheet[]> {
  return run(async (ctx) => {
    const setting = ctx.workbook.settings.getItemOrNullObject(ACCOUNT_SHEETS_KEY);
    setting.load("value");
    await ctx.sync();
    if (setting.isNullObject || typeof setting.value !== "string") return [];
    try {
      const parsed = JSON.parse(setting.value) as unknown;
      return Array.isArray(parsed) ? (parsed as SavedAccountSheet[]) : [];
    } catch {
      return [];
    }
  });
}

async function remember(run: ExcelRun, sheet: SavedAccountSheet): Promise<void> {
  const others = (await readAccountSheets(run)).filter((s) => s.companyId !== sheet.companyId);
  await run(async (ctx) => {
    ctx.workbook.settings.add(ACCOUNT_SHEETS_KEY, JSON.stringify([...others, sheet]));
    await ctx.sync();
  });
}

/** Inserts a new sheet with the company's account codes, values in force filled in. */
export async function insertAccountSheet(run: ExcelRun, client: PasserelleClient, target: AccountSheetTarget, lang: Language): Promise<SavedAccountSheet & { rows: number }> {
  const rows = await fetchRows(client, target.companyId);
  const wanted: SavedAccountSheet = { ...target, lang, sheetName: accountSheetNameFor(target.companyName, lang), tableName: accountTableNameFor(target.companyName) };
  const written = await insertTable(run, specFor(wanted, rows));
  const saved = { ...wanted, sheetName: written.sheetName, tableName: written.tableName };
  await remember(run, saved);
  return { ...saved, rows: rows.length };
}

export type SaveOutcome = { saved: true; rows: number } | { saved: false; refusedRows: number };

/**
 * Sends the sheet. Refused: each row's reasons go in its Erreur cell (in French), the others' are
 * emptied, nothing else is touched. Saved: the table is rewritten as the server has it.
 */
export async function saveAccountSheet(run: ExcelRun, client: PasserelleClient, saved: SavedAccountSheet): Promise<SaveOutcome> {
  const body = await run(async (ctx) => {
    const table = ctx.workbook.tables.getItemOrNullObject(saved.tableName);
    await ctx.sync();
    if (table.isNullObject) return null;
    const range = table.getDataBodyRange().load(["values", "rowIndex", "columnIndex"]);
    const sheet = table.worksheet.load(["name"]);
    await ctx.sync();
    return { values: range.values, row: range.rowIndex, column: range.columnIndex, sheetName: sheet.name };
  });
  if (!body) throw new TableMissingError(saved.tableName);
  // blank rows are skipped; each row sent remembers its place in the table
  const places: number[] = [];
  const rows: AccountRowInput[] = [];
  body.values.forEach((cells, i) => {
    if (cells.slice(0, ERROR).every((c) => String(c).trim() === "")) return;
    places.push(i);
    rows.push(rowInput(cells));
  });
  const errorCells = (messages: Map<number, string[]>) => body.values.map((_, i) => [messages.get(i)?.join(" ; ") ?? ""]);
  const writeErrors = (cells: CellValue[][]) =>
    run(async (ctx) => {
      const column = { row: body.row, column: body.column + ERROR, lastRow: body.row + body.values.length - 1, lastColumn: body.column + ERROR };
      ctx.workbook.worksheets.getItemOrNullObject(body.sheetName).getRange(boxAddress(column)).values = cells;
      await ctx.sync();
    });

  let answer: AccountRow[];
  try {
    answer = (await client.request<{ rows: AccountRow[] }>("PUT", `/companies/${encodeURIComponent(saved.companyId)}/accounting/accounts`, { body: { rows } })).rows;
  } catch (e) {
    if (!(e instanceof ApiError) || e.status !== 422) throw e;
    const whole = e.problem.errors?.find((x) => x.path === "rows");
    if (whole) throw new Error(saved.lang === "fr" ? accountRowMessageFr(whole.message) : whole.message);
    if (!e.problem.errors?.some((x) => x.path.startsWith("rows."))) throw e;
    const messages = new Map<number, string[]>();
    for (const error of e.problem.errors) {
      const m = /^rows\.(\d+)\./.exec(error.path);
      const place = m ? places[Number(m[1])] : undefined;
      if (place === undefined) continue;
      const text = saved.lang === "fr" ? accountRowMessageFr(error.message) : error.message;
      messages.set(place, [...(messages.get(place) ?? []), text]);
    }
    await writeErrors(errorCells(messages));
    return { saved: false, refusedRows: messages.size };
  }
  await refreshTable(run, specFor({ ...saved, sheetName: body.sheetName }, answer));
  return { saved: true, rows: answer.length };
}
