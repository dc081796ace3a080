/**
 * The company's accounting entries: those of locked periods as they were frozen, the others
 * computed now from the documents and the current account codes (shared/src/entries.ts), with
 * the lettering of settled invoices on their 411 lines.
 */
import {
  applyLettering,
  ledgerEntries,
  sourceKey,
  type AccountingEntry,
  type ComputedEntry,
  type JournalKind,
  type RateAmount,
} from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import { ledgerDocuments, ledgerPayments } from "../db/ledger.js";
import { loadAccountingSettings } from "./accounting-settings.js";
import { letteringCodes } from "./lettering.js";
import { invalid } from "../http/problem.js";

interface FrozenRow {
  journal: JournalKind;
  sequence: number;
  source_kind: AccountingEntry["source"]["kind"];
  source_id: string;
  entry_json: string;
  waiting_json: string;
}

export interface EntryFilter {
  /** Journal codes (VE, BQ, …); all journals when absent. */
  journals?: string[] | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

interface Ledger {
  frozen: AccountingEntry[];
  computed: ComputedEntry[];
  settled: Map<string, string>;
}

function buildLedger(db: Db, companyId: string): Ledger {
  const settings = loadAccountingSettings(db, companyId);
  const rows = db
    .prepare("SELECT journal, sequence, source_kind, source_id, entry_json, waiting_json FROM frozen_entries WHERE company_id = ?")
    .all(companyId) as FrozenRow[];
  const frozenWaiting = new Map<string, { waiting: RateAmount[] }>();
  const next = { sales: 1, bank: 1 };
  for (const r of rows) {
    frozenWaiting.set(sourceKey(r.source_kind, r.source_id), { waiting: JSON.parse(r.waiting_json) as RateAmount[] });
    next[r.journal] = Math.max(next[r.journal], r.sequence + 1);
  }
  const { entries, settled } = ledgerEntries({
    documents: ledgerDocuments(db, companyId),
    payments: ledgerPayments(db, companyId),
    settings,
    frozen: frozenWaiting,
    nextSequence: next,
  });
  return { frozen: rows.map((r) => JSON.parse(r.entry_json) as AccountingEntry), computed: entries, settled };
}

const journalRank = (e: AccountingEntry) => (e.journal === "sales" ? 0 : 1);

export function compareEntries(a: AccountingEntry, b: AccountingEntry): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  return journalRank(a) - journalRank(b) || a.sequence - b.sequence;
}

/**
 * The last computed entries per company, keyed by the company's change sequence: every write that
 * can alter an entry (documents, payments, account codes, locks, lettering) appends to the activity
 * log in its transaction and so moves `last_seq`, which makes a stale hit impossible — including
 * for writes by other processes. Paging through thousands of entries computes them once.
 */
const computedCache = new WeakMap<Db, Map<string, { seq: number; entries: readonly AccountingEntry[] }>>();
const CACHED_COMPANIES = 16;

function allEntriesOf(db: Db, companyId: string): readonly AccountingEntry[] {
  const seq = db.prepare("SELECT last_seq FROM companies WHERE id = ?").pluck().get(companyId) as number;
  let perDb = computedCache.get(db);
  if (!perDb) computedCache.set(db, (perDb = new Map()));
  const hit = perDb.get(companyId);
  if (hit && hit.seq === seq) return hit.entries;
  const ledger = buildLedger(db, companyId);
  const all = [...ledger.frozen, ...ledger.computed.map((c) => c.entry)];
  const positions = letteringCodes(db, companyId);
  const lettered = new Map<string, { code: string; date: string }>();
  for (const [invoiceId, date] of ledger.settled) {
    const code = positions.get(invoiceId);
    if (code) lettered.set(invoiceId, { code, date });
  }
  applyLettering(all, lettered);
  all.sort(compareEntries);
  for (const e of all) deepFreeze(e);
  perDb.delete(companyId);
  perDb.set(companyId, { seq, entries: all });
  if (perDb.size > CACHED_COMPANIES) perDb.delete(perDb.keys().next().value!);
  return all;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Every entry of the company matching the filter, chronological (date, journal, number), lettered. Read-only. */
export function companyEntries(db: Db, companyId: string, filter: EntryFilter = {}): readonly AccountingEntry[] {
  return db.transaction(() => {
    const settings = loadAccountingSettings(db, companyId);
    let kinds: Set<JournalKind> | null = null;
    let codes: Set<string> | null = null;
    if (filter.journals) {
      const known = new Map<string, JournalKind>([
        [settings.journals.sales.code, "sales"],
        [settings.journals.bank.code, "bank"],
      ]);
      codes = new Set(filter.journals);
      kinds = new Set();
      for (const code of filter.journals) {
        const kind = known.get(code);
        if (!kind) throw invalid("journal", `${code} is not a journal of this company (${settings.journals.sales.code}, ${settings.journals.bank.code})`);
        kinds.add(kind);
      }
    }
    return allEntriesOf(db, companyId).filter(
      (e) => (!kinds || kinds.has(e.journal) || codes!.has(e.journalCode)) && (!filter.from || e.date >= filter.from) && (!filter.to || e.date <= filter.to),
    );
  })();
}

/**
 * Freezes every entry dated on or before `until` that is not frozen yet; runs in the lock's
 * transaction. Returns how many entries were frozen.
 */
export function freezeEntries(db: Db, companyId: string, until: string, lockId: string, validatedOn: string): number {
  const ledger = buildLedger(db, companyId);
  const insert = db.prepare(
    `INSERT INTO frozen_entries (company_id, journal, sequence, entry_date, source_kind, source_id, entry_json, waiting_json, lock_id, validated_on)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let count = 0;
  for (const { entry, waiting } of ledger.computed) {
    if (entry.date > until) continue;
    const frozen: AccountingEntry = { ...entry, validatedOn };
    insert.run(companyId, entry.journal, entry.sequence, entry.date, entry.source.kind, entry.source.id, JSON.stringify(frozen), JSON.stringify(waiting), lockId, validatedOn);
    count++;
  }
  return count;
}

/** A reopened period's entries follow the account codes again. */
export function unfreezeEntriesAfter(db: Db, companyId: string, date: string | null): number {
  return date === null
    ? db.prepare("DELETE FROM frozen_entries WHERE company_id = ?").run(companyId).changes
    : db.prepare("DELETE FROM frozen_entries WHERE company_id = ? AND entry_date > ?").run(companyId, date).changes;
}
