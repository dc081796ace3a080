/**
 * What a Passerelle table looks like: its columns (per view and language), the cells of each
 * journal row or entry line, and the header block. Pure: the writer puts the result in Excel.
 */
import type { EntryOut, JournalRow } from "@passerelle/shared";
import type { CellValue } from "./host.js";
import type { ColumnKind, HeaderLine, SheetTableSpec } from "./writer.js";
import { dateSerial, dateTimeSerial, euros } from "./cells.js";
import type { Language } from "../language.js";

export type View = "journal" | "entries" | "consolidated";

export interface ColumnDef {
  /** Stable identity: "date", "ht", "base:2000", "vat:550", … */
  key: string;
  header: string;
  kind: ColumnKind;
  total?: boolean;
}

/** The rates every French mainland journal shows, even before one is used. */
export const DEFAULT_RATES = [2000, 1000, 550, 210];

const L = {
  fr: {
    date: "Date", number: "N° pièce", type: "Type", customerCode: "Code client", customerName: "Client", ht: "HT", vat: "TVA", ttc: "TTC",
    status: "Statut", paid: "Payé", dueDate: "Échéance", credited: "Facture d'origine", base: "Base", vatAt: "TVA",
    journalCode: "Journal", entryNumber: "N° écriture", pieceRef: "Pièce", account: "Compte", accountLabel: "Libellé compte",
    auxAccount: "Compte auxiliaire", auxLabel: "Libellé auxiliaire", label: "Libellé", debit: "Débit", credit: "Crédit",
    lettering: "Lettrage", letteringDate: "Date lettrage", validatedOn: "Validée le",
    invoice: "Facture", credit_note: "Avoir", issued: "Émise", partially_paid: "Partiellement payée", paid_status: "Payée",
    key: "Clé",
  },
  en: {
    date: "Date", number: "Number", type: "Type", customerCode: "Customer code", customerName: "Customer", ht: "Excl. VAT", vat: "VAT", ttc: "Incl. VAT",
    status: "Status", paid: "Paid", dueDate: "Due date", credited: "Credited invoice", base: "Base", vatAt: "VAT",
    journalCode: "Journal", entryNumber: "Entry number", pieceRef: "Document", account: "Account", accountLabel: "Account label",
    auxAccount: "Auxiliary account", auxLabel: "Auxiliary label", label: "Label", debit: "Debit", credit: "Credit",
    lettering: "Lettering", letteringDate: "Lettering date", validatedOn: "Validated on",
    invoice: "Invoice", credit_note: "Credit note", issued: "Issued", partially_paid: "Partially paid", paid_status: "Paid",
    key: "Key",
  },
} as const;

export function rateLabel(bp: number, lang: Language): string {
  const percent = (bp / 100).toString();
  return `${lang === "fr" ? percent.replace(".", ",") : percent} %`;
}

export function journalColumns(lang: Language, rates: number[]): ColumnDef[] {
  const t = L[lang];
  return [
    { key: "date", header: t.date, kind: "date" },
    { key: "number", header: t.number, kind: "text" },
    { key: "type", header: t.type, kind: "text" },
    { key: "customerCode", header: t.customerCode, kind: "text" },
    { key: "customerName", header: t.customerName, kind: "text" },
    { key: "ht", header: t.ht, kind: "money", total: true },
    { key: "vat", header: t.vat, kind: "money", total: true },
    { key: "ttc", header: t.ttc, kind: "money", total: true },
    { key: "status", header: t.status, kind: "text" },
    { key: "paid", header: t.paid, kind: "money", total: true },
    { key: "dueDate", header: t.dueDate, kind: "date" },
    { key: "credited", header: t.credited, kind: "text" },
    ...rateColumns(lang, rates),
    keyColumn(lang),
  ];
}

/** The row's document (the entry line for entries): refresh finds each row by it and changes only those that changed. */
export const KEY = "key";

export function keyColumn(lang: Language): ColumnDef {
  return { key: KEY, header: L[lang].key, kind: "text" };
}

function rateColumns(lang: Language, rates: number[]): ColumnDef[] {
  const t = L[lang];
  return [...rates]
    .sort((a, b) => b - a)
    .flatMap((bp): ColumnDef[] => [
      { key: `base:${bp}`, header: `${t.base} ${rateLabel(bp, lang)}`, kind: "money", total: true },
      { key: `vat:${bp}`, header: `${t.vatAt} ${rateLabel(bp, lang)}`, kind: "money", total: true },
    ]);
}

export function entryColumns(lang: Language): ColumnDef[] {
  const t = L[lang];
  return [
    { key: "journalCode", header: t.journalCode, kind: "text" },
    { key: "entryNumber", header: t.entryNumber, kind: "text" },
    { key: "date", header: t.date, kind: "date" },
    { key: "pieceRef", header: t.pieceRef, kind: "text" },
    { key: "account", header: t.account, kind: "text" },
    { key: "accountLabel", header: t.accountLabel, kind: "text" },
    { key: "auxAccount", header: t.auxAccount, kind: "text" },
    { key: "auxLabel", header: t.auxLabel, kind: "text" },
    { key: "label", header: t.label, kind: "text" },
    { key: "debit", header: t.debit, kind: "money", total: true },
    { key: "credit", header: t.credit, kind: "money", total: true },
    { key: "lettering", header: t.lettering, kind: "text" },
    { key: "letteringDate", header: t.letteringDate, kind: "date" },
    { key: "validatedOn", header: t.validatedOn, kind: "date" },
    keyColumn(lang),
  ];
}

/** Keeps the table's existing columns in place and appends the new ones (a new VAT rate) on the right. */
export function mergeColumns(existing: ColumnDef[], wanted: ColumnDef[]): ColumnDef[] {
  const known = new Set(existing.map((c) => c.key));
  return [...existing, ...wanted.filter((c) => !known.has(c.key))];
}

export function ratesOf(rows: JournalRow[]): number[] {
  const rates = new Set(DEFAULT_RATES);
  for (const row of rows) for (const r of row.byRate) rates.add(r.vatRateBp);
  return [...rates];
}

const optionalDate = (d: string | null | undefined): CellValue => (d ? dateSerial(d) : "");

export function journalCells(row: JournalRow, columns: ColumnDef[], lang: Language): CellValue[] {
  const t = L[lang];
  return columns.map((column): CellValue => {
    switch (column.key) {
      case "date": return dateSerial(row.date);
      case "number": return row.number;
      case "type": return t[row.type];
      case "customerCode": return row.customerCode;
      case "customerName": return row.customerName;
      case "ht": return euros(row.htCents);
      case "vat": return euros(row.vatCents);
      case "ttc": return euros(row.ttcCents);
      case "status": return row.status === "paid" ? t.paid_status : row.status === "draft" ? "" : t[row.status];
      case "paid": return euros(row.paidCents);
      case "dueDate": return optionalDate(row.dueDate);
      case "credited": return row.creditedInvoiceNumber ?? "";
      case KEY: return row.id;
    }
    const [part, bp] = column.key.split(":");
    const rate = row.byRate.find((r) => r.vatRateBp === Number(bp));
    if (part === "base") return rate ? euros(rate.baseCents) : 0;
    if (part === "vat") return rate ? euros(rate.vatCents) : 0;
    throw new Error(`Unknown journal column "${column.key}".`);
  });
}

/** One row per entry line (FEC-like). */
export function entryCells(entries: EntryOut[], columns: ColumnDef[]): CellValue[][] {
  return entries.flatMap((entry) =>
    entry.lines.map((line, index) =>
      columns.map((column): CellValue => {
        switch (column.key) {
          case "journalCode": return entry.journalCode;
          case "entryNumber": return entry.entryNumber;
          case "date": return dateSerial(entry.date);
          case "pieceRef": return entry.pieceRef;
          case "account": return line.account;
          case "accountLabel": return line.accountLabel;
          case "auxAccount": return line.auxAccount ?? "";
          case "auxLabel": return line.auxLabel ?? "";
          case "label": return line.label;
          case "debit": return euros(line.debitCents);
          case "credit": return euros(line.creditCents);
          case "lettering": return line.lettering ?? "";
          case "letteringDate": return optionalDate(line.letteringDate);
          case "validatedOn": return optionalDate(entry.validatedOn);
          case KEY: return entryLineKey(entry, index);
        }
        throw new Error(`Unknown entries column "${column.key}".`);
      }),
    ),
  );
}

/** An entry line's key: journal, entry number and line ("VE-000012-2"). */
export function entryLineKey(entry: Pick<EntryOut, "journalCode" | "entryNumber">, index: number): string {
  return `${entry.journalCode}-${entry.entryNumber}-${index + 1}`;
}

export interface HeaderInfo {
  view: View;
  companyName: string;
  siren: string;
  filtersText: string;
  refreshedAt: Date;
}

/**
 * The lines shown above a journal table. The change feed's sequence is not one of them: it is
 * kept with the saved table (its lastSeq), never read back from the sheet.
 */
export function headerBlock(info: HeaderInfo, lang: Language): { title: string; lines: HeaderLine[]; totalLabel: string } {
  const fr = lang === "fr";
  return {
    title: `Passerelle — ${info.view === "journal" ? (fr ? "Journal des ventes" : "Sales journal") : fr ? "Écritures comptables" : "Accounting entries"}`,
    lines: [
      { label: fr ? "Société" : "Company", value: info.companyName, kind: "text" },
      { label: "SIREN", value: info.siren, kind: "text" },
      { label: fr ? "Filtres" : "Filters", value: info.filtersText, kind: "text" },
      { label: fr ? "Actualisé le" : "Refreshed at", value: dateTimeSerial(info.refreshedAt), kind: "datetime" },
    ],
    totalLabel: fr ? "Total" : "Total",
  };
}

/** The label of the line tables inserted by earlier versions had last in their header block. */
export const FORMER_SEQUENCE_LABELS: readonly string[] = ["Séquence", "Sequence"];

/** "Maison Lumière SARL" → sheet "Maison Lumière SARL – Ventes" (≤ 31 characters, no []:*?/\). */
export function sheetNameFor(companyName: string, view: View, lang: Language): string {
  const suffix = view === "journal" ? (lang === "fr" ? " – Ventes" : " – Sales") : lang === "fr" ? " – Écritures" : " – Entries";
  const clean = companyName.replace(/[[\]:*?/\\']/g, " ").replace(/\s+/g, " ").trim();
  return clean.slice(0, 31 - suffix.length).trim() + suffix;
}

/** "Maison Lumière SARL" → "Ventes_Maison_Lumiere_SARL" (letters, digits and _ only). */
export function tableNameFor(companyName: string, view: View): string {
  const slug = companyName.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[^A-Za-z0-9]+/g, "_").replace(/^_+|_+$/g, "").slice(0, 60);
  return `${view === "journal" ? "Ventes" : "Ecritures"}_${slug || "societe"}`;
}

export function buildSpec(args: {
  view: View;
  lang: Language;
  sheetName: string;
  tableName: string;
  columns: ColumnDef[];
  rows: CellValue[][];
  header: HeaderInfo;
}): SheetTableSpec {
  const block = headerBlock(args.header, args.lang);
  return {
    sheetName: args.sheetName,
    tableName: args.tableName,
    ...block,
    columns: args.columns.map(({ header, kind, total }) => ({ header, kind, ...(total ? { total } : {}) })),
    rows: args.rows,
  };
}
