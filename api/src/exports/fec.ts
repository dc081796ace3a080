/**
 * The FEC export. Entries are read in file order a page at a time (services/entries.ts: frozen rows
 * for locked dates, computed ones for open dates) and written as they come, so memory does not grow
 * with the file. Lines are formatted by shared/src/fec.ts.
 */
import fs from "node:fs";
import path from "node:path";
import { createHash } from "node:crypto";
import {
  addDays,
  applyLettering,
  entryNumber,
  fecDescriptif,
  fecEntryText,
  fecFileName,
  fecHeader,
  fiscalYearOf,
  letteringCode,
  type AccountingEntry,
  type FecDescription,
  type FecSeparator,
  type InvoiceStatus,
  type InvoiceType,
  type JournalKind,
} from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import type { Deps } from "../context.js";
import type { CompanyAccess } from "../auth/access.js";
import { inTransaction } from "../db/connection.js";
import { newId } from "../db/ids.js";
import { invoiceFilterSql } from "../db/invoices.js";
import { invalid } from "../http/problem.js";
import { companyRow } from "../services/companies.js";
import { loadAccountingSettings } from "../services/accounting-settings.js";
import { readEntries } from "../services/entries.js";
import { lockPeriod, lockState } from "../services/locks.js";
import { LIVE_PAYMENT } from "../db/ledger.js";
import { insertExport } from "./log.js";
import { openReader, TextChunks, yieldToEventLoop, type ExportBody } from "./stream.js";

export interface DocumentFilters {
  customerId?: string | undefined;
  type?: InvoiceType | undefined;
  status?: InvoiceStatus | undefined;
  category?: string | undefined;
  q?: string | undefined;
}

export interface FecRequest extends DocumentFilters {
  from?: string | undefined;
  to?: string | undefined;
  journals?: string[] | undefined;
  separator: FecSeparator;
}

export interface FecPlan {
  companyId: string;
  companyName: string;
  siren: string;
  from: string | null;
  to: string;
  journals: { code: string; label: string; kind: JournalKind }[];
  separator: FecSeparator;
  exportedOn: string;
  lockedUntil: string | null;
  legal: boolean;
  fileName: string;
  documentFilters: DocumentFilters;
  /** Document filters keep only some entries: numbers restart at 1 per journal in the file. */
  renumber: boolean;
  filters: Record<string, string>;
}

export interface FecStats {
  entries: number;
  lines: number;
  debitCents: number;
  creditCents: number;
  unvalidatedEntries: number;
  accounts: Map<string, string>;
}

const hasDocumentFilters = (f: DocumentFilters) => Boolean(f.customerId || f.type || f.status || f.category || f.q);

/** Checks the request against the company (journal codes) and names the file. */
export function planFec(db: Db, companyId: string, req: FecRequest, exportedOn: string, filters: Record<string, string>): FecPlan {
  const company = companyRow(db, companyId);
  const settings = loadAccountingSettings(db, companyId);
  const known = [
    { ...settings.journals.sales, kind: "sales" as const },
    { ...settings.journals.bank, kind: "bank" as const },
  ];
  let journals = known;
  if (req.journals) {
    for (const code of req.journals) {
      if (!known.some((j) => j.code === code)) throw invalid("journals", `${code} is not a journal of this company (${known.map((j) => j.code).join(", ")})`);
    }
    journals = known.filter((j) => req.journals!.includes(j.code));
  }
  const to = req.to ?? exportedOn;
  const from = req.from ?? null;
  const year = fiscalYearOf(to, company.fiscal_year_start);
  const documentFilters: DocumentFilters = { customerId: req.customerId, type: req.type, status: req.status, category: req.category, q: req.q };
  const filtered = hasDocumentFilters(documentFilters);
  const wholeFiscalYear = from === year.from && to === year.to && journals.length === known.length;
  return {
    companyId,
    companyName: company.name,
    siren: company.siren,
    from,
    to,
    journals,
    separator: req.separator,
    exportedOn,
    lockedUntil: lockState(db, companyId).lockedUntil,
    legal: wholeFiscalYear && !filtered,
    fileName: fecFileName({ siren: company.siren, from, to, wholeFiscalYear, journals: journals.map((j) => j.code), filtered }),
    documentFilters,
    renumber: filtered,
    filters,
  };
}

export function emptyStats(): FecStats {
  return { entries: 0, lines: 0, debitCents: 0, creditCents: 0, unvalidatedEntries: 0, accounts: new Map() };
}

/**
 * The plan's entries in file order (services/entries.ts reads them without holding them), numbered
 * continuously per journal within the file when document filters keep only some of them;
 * `pageSize` rows read per query (services/entries.ts chooses when absent).
 */
export function* planEntries(db: Db, plan: FecPlan, pageSize?: number): Generator<AccountingEntry, void, void> {
  const counters = new Map<string, number>();
  const entries = readEntries(db, plan.companyId, {
    lockedUntil: plan.lockedUntil,
    journals: new Set(plan.journals.map((j) => j.kind)),
    from: plan.from,
    to: plan.to,
    documents: plan.renumber ? invoiceFilterSql(plan.documentFilters) : undefined,
    pageSize,
  });
  for (const entry of entries) {
    if (!plan.renumber) {
      yield entry;
      continue;
    }
    const next = (counters.get(entry.journalCode) ?? 0) + 1;
    counters.set(entry.journalCode, next);
    yield { ...entry, entryNumber: entryNumber(entry.journalCode, next) };
  }
}

/** Adds an entry to the file's control totals. */
export function countEntry(stats: FecStats, entry: AccountingEntry): void {
  stats.entries++;
  if (entry.validatedOn === null) stats.unvalidatedEntries++;
  for (const l of entry.lines) {
    stats.lines++;
    stats.debitCents += l.debitCents;
    stats.creditCents += l.creditCents;
    if (!stats.accounts.has(l.account)) stats.accounts.set(l.account, l.accountLabel);
  }
}

/** The file as text pieces: the header, then one piece per entry, in chronological order. */
export function* fecPieces(db: Db, plan: FecPlan, stats: FecStats): Generator<string, void, void> {
  yield fecHeader(plan.separator);
  for (const entry of planEntries(db, plan)) {
    countEntry(stats, entry);
    yield fecEntryText(entry, plan.separator, { unvalidatedDate: plan.exportedOn });
  }
}

export function fecSummary(plan: FecPlan, stats: FecStats) {
  return {
    legal: plan.legal,
    journals: plan.journals.map((j) => j.code),
    separator: plan.separator,
    entries: stats.entries,
    debitCents: stats.debitCents,
    creditCents: stats.creditCents,
    unvalidatedEntries: stats.unvalidatedEntries,
    renumbered: plan.renumber,
  };
}

export function fecDescription(plan: FecPlan, stats: FecStats, sha256: string): FecDescription {
  return {
    companyName: plan.companyName,
    siren: plan.siren,
    fileName: plan.fileName,
    legal: plan.legal,
    from: plan.from,
    to: plan.to,
    exportedOn: plan.exportedOn,
    separator: plan.separator,
    journals: plan.journals.map((j) => ({ code: j.code, label: j.label })),
    lockedUntil: plan.lockedUntil,
    renumbered: plan.renumber,
    filters: plan.filters,
    entries: stats.entries,
    lines: stats.lines,
    debitCents: stats.debitCents,
    creditCents: stats.creditCents,
    unvalidatedEntries: stats.unvalidatedEntries,
    accounts: [...stats.accounts].sort(([a], [b]) => (a < b ? -1 : 1)).map(([number, label]) => ({ number, label })),
    sha256,
  };
}

/** Streams the FEC from its own read snapshot; `stats` is filled as the file goes. */
export async function* fecBody(db: Db, plan: FecPlan, stats: FecStats = emptyStats()): ExportBody {
  const reader = openReader(db);
  try {
    const chunks = new TextChunks();
    let pieces = 0;
    for (const piece of fecPieces(reader.db, plan, stats)) {
      if (chunks.push(piece)) yield chunks.take();
      // a slow client already pauses us at `yield`; between yields, let other requests in now and then
      if (++pieces % 5000 === 0) await yieldToEventLoop();
    }
    if (chunks.pending) yield chunks.take();
    return { rows: stats.lines, detail: fecSummary(plan, stats) };
  } finally {
    reader.close();
  }
}

export interface LockedExport {
  exportId: string;
  file: string;
  bytes: number;
  sha256: string;
  seq: number;
}

/**
 * "Export and lock" (accountants): locks the period up to `plan.to` and writes the FEC of the
 * now-frozen entries in the same transaction, with its export log entry. If anything fails,
 * neither the lock nor the log remain. The file is written to disk, then sent.
 */
export function exportAndLock(deps: Deps, access: CompanyAccess, plan: FecPlan, startedAt: Date): LockedExport {
  const dir = path.join(deps.config.dataDir, "tmp");
  fs.mkdirSync(dir, { recursive: true });
  const exportId = newId();
  const file = path.join(dir, `fec-${exportId}.txt`);
  const fd = fs.openSync(file, "wx");
  try {
    const result = inTransaction(deps.db, () => {
      lockPeriod({ db: deps.db, clock: deps.clock, config: deps.config, actorId: access.principal.userId }, plan.companyId, { until: plan.to, kind: "soft" });
      plan.lockedUntil = lockState(deps.db, plan.companyId).lockedUntil;
      const stats = emptyStats();
      const hash = createHash("sha256");
      let bytes = 0;
      const chunks = new TextChunks();
      const flush = () => {
        const chunk = chunks.take();
        hash.update(chunk);
        bytes += chunk.byteLength;
        fs.writeSync(fd, chunk);
      };
      for (const piece of fecPieces(deps.db, plan, stats)) if (chunks.push(piece)) flush();
      if (chunks.pending) flush();
      const sha256 = hash.digest("hex");
      const seq = insertExport(deps.db, deps.clock.now(), {
        id: exportId,
        companyId: plan.companyId,
        kind: "fec",
        fileName: plan.fileName,
        contentType: "text/plain; charset=utf-8",
        filters: plan.filters,
        rows: stats.lines,
        bytes,
        sha256,
        detail: fecSummary(plan, stats),
        lockedUntil: plan.to,
        principal: access.principal,
        startedAt,
      });
      return { bytes, sha256, seq };
    });
    return { exportId, file, ...result };
  } catch (error) {
    fs.rmSync(file, { force: true });
    throw error;
  } finally {
    fs.closeSync(fd);
  }
}

/** The descriptif that accompanies a FEC, as the bytes of a text file (CR LF, UTF-8). */
export function descriptifBytes(plan: FecPlan, stats: FecStats, sha256: string): Buffer {
  return Buffer.from(fecDescriptif(fecDescription(plan, stats, sha256)), "utf8");
}
