/**
 * The sales journal as files: CSV (streamed), XLSX (Excel tables: the journal, totals per VAT
 * rate, the accounting entries) and a printable PDF register. Rows come from the journal service
 * (services/journal.ts) page after page on one read snapshot, so the files agree with
 * `GET /sales-journal` to the cent and memory stays flat.
 */
import {
  formatDateFr,
  formatEuros,
  formatVatRate,
  type AccountingEntry,
  type JournalRow,
  type JournalTotals,
} from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import { ProblemError } from "../http/problem.js";
import { entryLinesAtMost } from "../db/ledger.js";
import { loadAccountingSettings } from "../services/accounting-settings.js";
import { journalRows, salesJournal } from "../services/journal.js";
import { companyRow } from "../services/companies.js";
import { CSV_DIALECTS, csvAmount, csvLine, csvRate, csvText, type CsvLocale } from "./csv.js";
import { emptyStats, planEntries, type FecPlan } from "./fec.js";
import type { InvoiceFilter } from "./invoices-zip.js";
import { createPdf, fitText, writeFixed } from "./pdf-document.js";
import { openReader, TextChunks, yieldToEventLoop, type ExportBody } from "./stream.js";
import { writeTableSheet, xlsxBody, type TableColumn } from "./xlsx.js";

export interface JournalCursor {
  totals: JournalTotals;
  rows: Generator<JournalRow, void, void>;
}

/** Journal rows read per page by the exports: a page is held while its rows are written, so it stays small. */
const JOURNAL_PAGE = 1_000;

/**
 * The journal of a filter: its totals at once, its rows page after page (each page starts after the
 * previous one's last row, or is the next batch of a cursor on a PostgreSQL reader; the totals are
 * counted once, so pages cost the same whatever their number): memory stays bounded by one page.
 */
export function openJournal(db: Db, companyId: string, filters: InvoiceFilter): JournalCursor {
  const { totals } = salesJournal(db, companyId, { ...filters, limit: 1 });
  return { totals, rows: journalRows(db, companyId, filters, JOURNAL_PAGE) };
}

const TYPE_LABELS = {
  fr: { invoice: "Facture", credit_note: "Avoir" },
  en: { invoice: "invoice", credit_note: "credit note" },
} as const;
const STATUS_LABELS = {
  fr: { draft: "Brouillon", issued: "Émise", partially_paid: "Partiellement réglée", paid: "Réglée" },
  en: { draft: "draft", issued: "issued", partially_paid: "partially paid", paid: "paid" },
} as const;

// ---------------------------------------------------------------- CSV

/** The journal as CSV, one line per document, written as the rows come; per-rate columns from the totals. */
export async function* journalCsv(db: Db, companyId: string, filters: InvoiceFilter, locale: CsvLocale): ExportBody {
  const reader = openReader(db);
  try {
    const dialect = CSV_DIALECTS[locale];
    const journal = openJournal(reader.db, companyId, filters);
    const rates = journal.totals.byRate.map((r) => r.vatRateBp);
    const fr = locale === "fr";
    const rateHeaders = rates.flatMap((r) => {
      const label = fr ? formatVatRate(r).replace("\u00a0", " ") : `${csvRate(r, dialect)} %`;
      return fr ? [`Base HT ${label}`, `TVA ${label}`] : [`Base ${label}`, `VAT ${label}`];
    });
    const headers = fr
      ? ["Date", "Numéro", "Type", "Code client", "Client", "Total HT", "TVA", "Total TTC", "Réglé", "Statut", "Échéance", "Facture d'origine"]
      : ["Date", "Number", "Type", "Customer code", "Customer", "Net", "VAT", "Gross", "Paid", "Status", "Due date", "Corrected invoice"];
    const chunks = new TextChunks();
    chunks.push((dialect.bom ? "\ufeff" : "") + csvLine([...headers, ...rateHeaders].map((h) => csvText(h)), dialect));
    const date = (iso: string | null) => (iso ? (fr ? formatDateFr(iso) : iso) : "");
    let count = 0;
    for (const r of journal.rows) {
      const byRate = new Map(r.byRate.map((b) => [b.vatRateBp, b]));
      const line = csvLine(
        [
          date(r.date),
          csvText(r.number),
          csvText(TYPE_LABELS[locale][r.type]),
          csvText(r.customerCode),
          csvText(r.customerName),
          csvAmount(r.htCents, dialect),
          csvAmount(r.vatCents, dialect),
          csvAmount(r.ttcCents, dialect),
          csvAmount(r.paidCents, dialect),
          csvText(STATUS_LABELS[locale][r.status]),
          date(r.dueDate),
          csvText(r.creditedInvoiceNumber),
          ...rates.flatMap((rate) => {
            const b = byRate.get(rate);
            return b ? [csvAmount(b.baseCents, dialect), csvAmount(b.vatCents, dialect)] : ["", ""];
          }),
        ],
        dialect,
      );
      count++;
      if (chunks.push(line)) yield chunks.take();
      if (count % 5000 === 0) await yieldToEventLoop();
    }
    if (chunks.pending) yield chunks.take();
    return { rows: count, detail: { locale, totals: journal.totals } };
  } finally {
    reader.close();
  }
}

// ---------------------------------------------------------------- XLSX

const JOURNAL_COLUMNS: TableColumn<JournalRow>[] = [
  { header: "Date", width: 11, kind: "date", value: (r) => r.date },
  { header: "Numéro", width: 14, kind: "text", value: (r) => r.number },
  { header: "Type", width: 9, kind: "text", value: (r) => TYPE_LABELS.fr[r.type] },
  { header: "Code client", width: 12, kind: "text", value: (r) => r.customerCode },
  { header: "Client", width: 30, kind: "text", value: (r) => r.customerName },
  { header: "Total HT", width: 14, kind: "euro", value: (r) => r.htCents, total: true },
  { header: "TVA", width: 12, kind: "euro", value: (r) => r.vatCents, total: true },
  { header: "Total TTC", width: 14, kind: "euro", value: (r) => r.ttcCents, total: true },
  { header: "Réglé", width: 13, kind: "euro", value: (r) => r.paidCents, total: true },
  { header: "Statut", width: 18, kind: "text", value: (r) => STATUS_LABELS.fr[r.status] },
  { header: "Échéance", width: 11, kind: "date", value: (r) => r.dueDate },
  { header: "Facture d'origine", width: 16, kind: "text", value: (r) => r.creditedInvoiceNumber },
];

type RateRow = JournalTotals["byRate"][number];
const RATE_COLUMNS: TableColumn<RateRow>[] = [
  { header: "Taux de TVA", width: 12, kind: "rate", value: (r) => r.vatRateBp },
  { header: "Base HT", width: 16, kind: "euro", value: (r) => r.baseCents, total: true },
  { header: "TVA", width: 14, kind: "euro", value: (r) => r.vatCents, total: true },
  { header: "Total TTC", width: 16, kind: "euro", value: (r) => r.baseCents + r.vatCents, total: true },
];

interface EntryLineRow {
  entry: AccountingEntry;
  line: AccountingEntry["lines"][number];
}
const ENTRY_COLUMNS: TableColumn<EntryLineRow>[] = [
  { header: "Journal", width: 8, kind: "text", value: (r) => r.entry.journalCode },
  { header: "N° écriture", width: 12, kind: "text", value: (r) => r.entry.entryNumber },
  { header: "Date", width: 11, kind: "date", value: (r) => r.entry.date },
  { header: "Pièce", width: 14, kind: "text", value: (r) => r.entry.pieceRef },
  { header: "Compte", width: 10, kind: "text", value: (r) => r.line.account },
  { header: "Libellé du compte", width: 26, kind: "text", value: (r) => r.line.accountLabel },
  { header: "Compte auxiliaire", width: 12, kind: "text", value: (r) => r.line.auxAccount ?? null },
  { header: "Libellé auxiliaire", width: 24, kind: "text", value: (r) => r.line.auxLabel ?? null },
  { header: "Libellé", width: 36, kind: "text", value: (r) => r.line.label },
  { header: "Débit", width: 13, kind: "euro", value: (r) => r.line.debitCents, total: true },
  { header: "Crédit", width: 13, kind: "euro", value: (r) => r.line.creditCents, total: true },
  { header: "Lettrage", width: 9, kind: "text", value: (r) => r.line.lettering ?? null },
  { header: "Date de lettrage", width: 11, kind: "date", value: (r) => r.line.letteringDate ?? null },
  { header: "Validée le", width: 11, kind: "date", value: (r) => r.entry.validatedOn },
];

/**
 * Entries read per query for the « Écritures » sheet. A page lives while its lines are written, and
 * writing pauses for the archive and the client: on the pages the FEC reads (500 frozen, 250 open),
 * they outlived collections and the server's memory grew with them. Measured in process on the
 * sheet of 653,148 lines: 214 MB peak RSS at those pages, 189 MB at 200/100, 160 MB at 50, in
 * about the same CPU time.
 */
const ENTRY_PAGE = 50;

/**
 * Whether the workbook (journal rows, rate rows, entry lines) stays within `maxRows`. Most exports
 * fit by far: when even the most lines the period's documents and payments could make fit
 * (`entryLinesAtMost`), the entries are not computed to be counted (`lines` then absent); otherwise
 * they are counted, up to the cap.
 */
export function xlsxRows(db: Db, companyId: string, filters: InvoiceFilter, plan: FecPlan, maxRows: number): { documents: number; lines?: number; fits: boolean } {
  const journal = salesJournal(db, companyId, { ...filters, limit: 1 });
  const fixed = journal.totals.count + journal.totals.byRate.length;
  if (fixed + entryLinesAtMost(db, companyId, plan.from, plan.to, plan.lockedUntil, loadAccountingSettings(db, companyId)) <= maxRows) return { documents: journal.totals.count, fits: true };
  let lines = 0;
  for (const entry of planEntries(db, plan)) {
    lines += entry.lines.length;
    if (journal.totals.count + lines > maxRows) break;
  }
  return { documents: journal.totals.count, lines, fits: fixed + lines <= maxRows };
}

/** Refuses, before any byte is sent, a workbook beyond `maxRows` rows. */
export function assertXlsxFits(db: Db, companyId: string, filters: InvoiceFilter, plan: FecPlan, maxRows: number): void {
  const { documents, lines, fits } = xlsxRows(db, companyId, filters, plan, maxRows);
  if (!fits) {
    throw new ProblemError(
      422,
      "Too many rows for an Excel file",
      `This filter selects ${documents} documents and ${lines} or more entry lines: an XLSX export is limited to ${maxRows} rows in all (XLSX_MAX_ROWS; Excel itself shows at most 1,048,576 rows a sheet). Narrow the period, or use the CSV export (sales-journal.csv) or the FEC (exports/fec), which stream any size.`,
      [{ path: "from", message: `the period selects more than ${maxRows} rows for an XLSX file; narrow it or export CSV / FEC` }],
    );
  }
}

/** The journal workbook: the journal table, totals per VAT rate, and the accounting entries of the same documents. */
export function journalXlsx(db: Db, companyId: string, filters: InvoiceFilter, plan: FecPlan, createdAt: Date): ExportBody {
  return xlsxBody(
    async (x) => {
      const reader = openReader(db);
      try {
        const journal = openJournal(reader.db, companyId, filters);
        const rows = await writeTableSheet(x, { sheetName: "Journal des ventes", tableName: "JournalVentes", columns: JOURNAL_COLUMNS, rows: journal.rows });
        if (x.aborted()) return { rows };
        await writeTableSheet(x, { sheetName: "TVA par taux", tableName: "TVAParTaux", columns: RATE_COLUMNS, rows: journal.totals.byRate });
        if (x.aborted()) return { rows };
        const stats = emptyStats();
        function* lines(): Generator<EntryLineRow> {
          for (const entry of planEntries(reader.db, plan, ENTRY_PAGE)) {
            stats.entries++;
            for (const line of entry.lines) yield { entry, line };
          }
        }
        const entryLines = await writeTableSheet(x, { sheetName: "Écritures", tableName: "Ecritures", columns: ENTRY_COLUMNS, rows: lines() });
        return { rows, detail: { totals: journal.totals, entries: stats.entries, entryLines } };
      } finally {
        reader.close();
      }
    },
    { title: "Journal des ventes", createdAt },
  );
}

// ---------------------------------------------------------------- PDF register

const REG = {
  left: 40,
  right: 555.28,
  top: 40,
  bottom: 841.89 - 40,
  rowHeight: 12,
  headerHeight: 96,
  footerHeight: 44,
};
const REG_COLS = [
  { title: "Date", x: 40, w: 52, align: "left" as const },
  { title: "Numéro", x: 94, w: 74, align: "left" as const },
  { title: "Type", x: 170, w: 38, align: "left" as const },
  { title: "Client", x: 210, w: 150, align: "left" as const },
  { title: "Total HT", x: 362, w: 62, align: "right" as const },
  { title: "TVA", x: 426, w: 56, align: "right" as const },
  { title: "Total TTC", x: 484, w: 71.28, align: "right" as const },
];

export function registerRowsPerPage(): number {
  return Math.floor((REG.bottom - REG.top - REG.headerHeight - REG.footerHeight) / REG.rowHeight);
}

/** Pages the register takes: rows at a fixed count per page, then the per-rate recap (on the last page if it fits). */
export function registerPageCount(rows: number, rates: number): number {
  const perPage = registerRowsPerPage();
  const rowPages = Math.max(1, Math.ceil(rows / perPage));
  const lastRows = rows - (rowPages - 1) * perPage;
  const recapRows = rates + 5;
  return lastRows + recapRows <= perPage ? rowPages : rowPages + 1;
}

function describeFilters(filters: InvoiceFilter, customerName: string | null): string {
  const parts: string[] = [];
  if (filters.customerId) parts.push(`client ${customerName ?? filters.customerId}`);
  if (filters.type) parts.push(filters.type === "invoice" ? "factures seulement" : "avoirs seulement");
  if (filters.status) parts.push(`statut ${STATUS_LABELS.fr[filters.status]}`);
  if (filters.category) parts.push(`catégorie ${filters.category}`);
  if (filters.q) parts.push(`recherche « ${filters.q} »`);
  return parts.length ? parts.join(", ") : "aucun (tous les documents émis)";
}

/**
 * The printable register: company header, period and filters on every page, one line per
 * document, page totals carried forward ("Report" / "À reporter"), a recap per VAT rate, and
 * "page n / N" (N is known in advance: rows per page are fixed). Produced page by page.
 */
export async function* journalPdf(db: Db, companyId: string, filters: InvoiceFilter, createdAt: Date): ExportBody {
  const reader = openReader(db);
  try {
    const company = companyRow(reader.db, companyId);
    const journal = openJournal(reader.db, companyId, filters);
    const customerName = filters.customerId
      ? ((reader.db.prepare("SELECT name FROM customers WHERE company_id = ? AND id = ?").pluck().get(companyId, filters.customerId) as string | undefined) ?? null)
      : null;
    const totalPages = registerPageCount(journal.totals.count, journal.totals.byRate.length);
    const pdf = createPdf({ title: `Journal des ventes — ${company.name}`, author: company.name, createdAt, margins: { top: REG.top, bottom: 20, left: REG.left, right: 40 } });
    const { doc, t } = pdf;
    const pending: Buffer[] = [];
    doc.on("data", (chunk: Buffer) => pending.push(chunk));
    const ended = new Promise<void>((resolve, reject) => doc.on("end", resolve).on("error", reject));
    const period = `Période : ${filters.from ? `du ${formatDateFr(filters.from)}` : "depuis l'origine"} au ${filters.to ? formatDateFr(filters.to) : formatDateFr(createdAt.toISOString().slice(0, 10))}`;
    const filterText = `Filtres : ${describeFilters(filters, customerName)}`;
    const text = (s: string, x: number, y: number, w: number, align: "left" | "right" = "left") => writeFixed(doc, fitText(doc, t(s), w), x, y, { width: w, align });

    let page = 0;
    let y = 0;
    const carried = { ht: 0, vat: 0, ttc: 0 };
    const sumsRow = (label: string, ht: number, vat: number, ttc: number, at: number) => {
      doc.font(pdf.bold).fontSize(8);
      text(label, REG.left, at, 300);
      text(formatEuros(ht), REG_COLS[4]!.x, at, REG_COLS[4]!.w, "right");
      text(formatEuros(vat), REG_COLS[5]!.x, at, REG_COLS[5]!.w, "right");
      text(formatEuros(ttc), REG_COLS[6]!.x, at, REG_COLS[6]!.w, "right");
      doc.font(pdf.regular);
    };
    const startPage = () => {
      if (page > 0) doc.addPage();
      page++;
      doc.font(pdf.bold).fontSize(13).fillColor("black");
      text(`Journal des ventes — ${company.name}`, REG.left, REG.top, REG.right - REG.left);
      doc.font(pdf.regular).fontSize(8.5).fillColor("#444444");
      text(`SIREN ${company.siren}${company.vat_number ? ` — TVA ${company.vat_number}` : ""} — ${company.address_line1}, ${company.postal_code} ${company.city}`, REG.left, REG.top + 18, REG.right - REG.left);
      text(period, REG.left, REG.top + 30, REG.right - REG.left);
      text(filterText, REG.left, REG.top + 41, REG.right - REG.left);
      doc.fillColor("black");
      const headY = REG.top + 58;
      doc.rect(REG.left, headY - 3, REG.right - REG.left, 14).fill("#eeeeee");
      doc.fillColor("black").font(pdf.bold).fontSize(8);
      for (const c of REG_COLS) text(c.title, c.x, headY, c.w, c.align);
      doc.font(pdf.regular);
      y = headY + 16;
      if (page > 1) {
        sumsRow("Report", carried.ht, carried.vat, carried.ttc, y);
        y += REG.rowHeight + 4;
      }
    };
    const endPage = (pageSums: { ht: number; vat: number; ttc: number }, last = false) => {
      const footY = REG.bottom - REG.footerHeight + 6;
      doc.moveTo(REG.left, footY - 3).lineTo(REG.right, footY - 3).lineWidth(0.5).strokeColor("#999999").stroke();
      sumsRow("Total de la page", pageSums.ht, pageSums.vat, pageSums.ttc, footY);
      sumsRow(last ? "Total cumulé" : "À reporter", carried.ht, carried.vat, carried.ttc, footY + 12);
      doc.font(pdf.regular).fontSize(7.5).fillColor("#555555");
      text(`Édité le ${formatDateFr(createdAt.toISOString().slice(0, 10))} — page ${page} / ${totalPages}`, REG.left, REG.bottom - 4, REG.right - REG.left, "right");
      doc.fillColor("black");
    };

    const perPage = registerRowsPerPage();
    let onPage = 0;
    let pageSums = { ht: 0, vat: 0, ttc: 0 };
    let count = 0;
    startPage();
    for (const r of journal.rows) {
      if (onPage === perPage) {
        endPage(pageSums);
        startPage();
        onPage = 0;
        pageSums = { ht: 0, vat: 0, ttc: 0 };
        // pdfkit hands out the finished page's bytes on a later turn of the event loop
        await yieldToEventLoop();
        while (pending.length) yield pending.shift()!;
      }
      doc.fontSize(8);
      text(formatDateFr(r.date), REG_COLS[0]!.x, y, REG_COLS[0]!.w);
      text(r.number, REG_COLS[1]!.x, y, REG_COLS[1]!.w);
      text(TYPE_LABELS.fr[r.type], REG_COLS[2]!.x, y, REG_COLS[2]!.w);
      text(`${r.customerCode} ${r.customerName}`, REG_COLS[3]!.x, y, REG_COLS[3]!.w);
      text(formatEuros(r.htCents), REG_COLS[4]!.x, y, REG_COLS[4]!.w, "right");
      text(formatEuros(r.vatCents), REG_COLS[5]!.x, y, REG_COLS[5]!.w, "right");
      text(formatEuros(r.ttcCents), REG_COLS[6]!.x, y, REG_COLS[6]!.w, "right");
      y += REG.rowHeight;
      onPage++;
      count++;
      pageSums = { ht: pageSums.ht + r.htCents, vat: pageSums.vat + r.vatCents, ttc: pageSums.ttc + r.ttcCents };
      carried.ht += r.htCents;
      carried.vat += r.vatCents;
      carried.ttc += r.ttcCents;
    }
    const recapRows = journal.totals.byRate.length + 5;
    if (onPage + recapRows > perPage) {
      endPage(pageSums);
      startPage();
      pageSums = { ht: 0, vat: 0, ttc: 0 };
    }
    // recap per VAT rate and grand totals
    y += 8;
    doc.font(pdf.bold).fontSize(9);
    text("Récapitulatif par taux de TVA", REG.left, y, 300);
    y += REG.rowHeight + 2;
    doc.fontSize(8);
    text("Taux", REG_COLS[3]!.x, y, REG_COLS[3]!.w);
    text("Base HT", REG_COLS[4]!.x, y, REG_COLS[4]!.w, "right");
    text("TVA", REG_COLS[5]!.x, y, REG_COLS[5]!.w, "right");
    text("Total TTC", REG_COLS[6]!.x, y, REG_COLS[6]!.w, "right");
    doc.font(pdf.regular);
    y += REG.rowHeight;
    for (const r of journal.totals.byRate) {
      text(`TVA ${formatVatRate(r.vatRateBp)}`, REG_COLS[3]!.x, y, REG_COLS[3]!.w);
      text(formatEuros(r.baseCents), REG_COLS[4]!.x, y, REG_COLS[4]!.w, "right");
      text(formatEuros(r.vatCents), REG_COLS[5]!.x, y, REG_COLS[5]!.w, "right");
      text(formatEuros(r.baseCents + r.vatCents), REG_COLS[6]!.x, y, REG_COLS[6]!.w, "right");
      y += REG.rowHeight;
    }
    sumsRow(`Total général (${journal.totals.count} documents)`, journal.totals.htCents, journal.totals.vatCents, journal.totals.ttcCents, y + 2);
    endPage(pageSums, true);
    doc.end();
    await ended;
    while (pending.length) yield pending.shift()!;
    return { rows: count, detail: { pages: page, totals: journal.totals } };
  } finally {
    reader.close();
  }
}
