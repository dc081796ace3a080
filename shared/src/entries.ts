/**
 * Accounting entries from invoices, credit notes and payments (accounting.md §3), pure:
 *
 * | document    | debit                                   | credit                                       |
 * |-------------|-----------------------------------------|----------------------------------------------|
 * | invoice     | 411 (aux = customer code), TTC          | 70x per mapped account, HT; 4457x per rate   |
 * | credit note | the exact mirror of the lines it cancels|                                              |
 * | payment     | 512, amount                             | 411 (aux = customer code), amount            |
 * | deposit     | 411, TTC                                | 4191, HT; 4457x per rate                     |
 * | balance     | 411, TTC left; 4191, the deposits' HT   | 70x, the whole order's HT; 4457x VAT left    |
 *
 * With "VAT on payment for services" on, the services' share of each rate's VAT is credited to a
 * waiting account (44574x) instead of 44571x, and moved to 44571x as payments come in: each
 * payment moves the waiting VAT in proportion to the part of the remaining balance it pays, so
 * the payment that settles the invoice moves exactly what is left (nothing stays waiting on a
 * settled invoice). A credit note takes back its own services' VAT from what is still waiting;
 * if it settles the invoice, whatever still waits becomes due in the same entry.
 *
 * Every entry balances to the cent and its VAT lines are the document's stored per-rate VAT.
 */
import { divideRoundHalfUp } from "./money.js";
import type { RateTotal } from "./totals.js";
import type { InvoiceType, ProductKind } from "./schemas.js";
import { AccountPlan, type AccountingSettings } from "./accounting-settings.js";

export type JournalKind = "sales" | "bank";
export type EntrySourceKind = "invoice" | "credit_note" | "payment";

export interface LedgerCustomer {
  id: string;
  /** The code printed on the document (auxiliary account unless the accountant maps another). */
  code: string;
  name: string;
  category: string | null;
}

export interface LedgerLine {
  netCents: number;
  vatRateBp: number;
  kind: ProductKind;
  productId: string | null;
  productCategory: string | null;
}

export interface LedgerDocument {
  id: string;
  type: InvoiceType;
  number: string;
  date: string;
  /** Position in its numbering series (orders documents of one day). */
  order: number;
  customer: LedgerCustomer;
  creditedInvoiceId: string | null;
  lines: LedgerLine[];
  /** The stored per-rate totals (for credit notes: VAT as capped when issued). */
  byRate: RateTotal[];
  ttcCents: number;
  /** A deposit invoice, or a credit note of one: its net goes to the deposits account (4191), not to revenue. */
  deposit?: boolean | undefined;
  /** A balance invoice: the deposits' net it deducts, taken back from the deposits account (lines hold the whole order). */
  depositsHtCents?: number | undefined;
}

export interface LedgerPayment {
  id: string;
  invoiceId: string;
  date: string;
  amountCents: number;
  /** Recording order (orders payments of one day). */
  order: number;
}

export interface EntryLine {
  account: string;
  accountLabel: string;
  auxAccount?: string;
  auxLabel?: string;
  label: string;
  debitCents: number;
  creditCents: number;
  lettering?: string;
  letteringDate?: string;
}

export interface AccountingEntry {
  journal: JournalKind;
  journalCode: string;
  journalLabel: string;
  /** Continuous per journal, in date order: `VE000001`. */
  entryNumber: string;
  sequence: number;
  date: string;
  pieceRef: string;
  pieceDate: string;
  label: string;
  source: { kind: EntrySourceKind; id: string; invoiceId: string };
  lines: EntryLine[];
  /** The day the entry became unchangeable (its period was locked); null while the period is open. */
  validatedOn: string | null;
}

export interface RateAmount {
  vatRateBp: number;
  cents: number;
}

/** An entry with what it did to the VAT waiting for payment (kept with frozen entries). */
export interface ComputedEntry {
  entry: AccountingEntry;
  waiting: RateAmount[];
}

export interface LedgerInput {
  documents: readonly LedgerDocument[];
  payments: readonly LedgerPayment[];
  settings: AccountingSettings;
  /** Entries already frozen by a lock (key `kind:id`): not recomputed; their recorded waiting-VAT moves are replayed. */
  frozen?: ReadonlyMap<string, { waiting: readonly RateAmount[] }>;
  /** First sequence number for the entries computed here (after the frozen ones). */
  nextSequence?: { sales: number; bank: number };
}

export interface LedgerResult {
  /** The entries not frozen, numbered, in journal order (sales, then bank). */
  entries: ComputedEntry[];
  /** Invoices whose 411 lines balance exactly (settled), with the date of the last settling document. */
  settled: Map<string, string>;
}

export function sourceKey(kind: EntrySourceKind, id: string): string {
  return `${kind}:${id}`;
}

const TYPE_LABEL = { invoice: "Facture", credit_note: "Avoir" } as const;

/** The services' share of each rate's VAT, split in proportion to the services' base (half-up). */
export function servicesVatByRate(doc: Pick<LedgerDocument, "lines" | "byRate">): Map<number, number> {
  const base = new Map<number, number>();
  const services = new Map<number, number>();
  for (const l of doc.lines) {
    base.set(l.vatRateBp, (base.get(l.vatRateBp) ?? 0) + l.netCents);
    if (l.kind === "services") services.set(l.vatRateBp, (services.get(l.vatRateBp) ?? 0) + l.netCents);
  }
  const out = new Map<number, number>();
  for (const r of doc.byRate) {
    const b = base.get(r.vatRateBp) ?? 0;
    const s = services.get(r.vatRateBp) ?? 0;
    out.set(r.vatRateBp, b === 0 || s === 0 ? 0 : s === b ? r.vatCents : Number(divideRoundHalfUp(BigInt(r.vatCents) * BigInt(s), BigInt(b))));
  }
  return out;
}

interface GroupEvent {
  kind: EntrySourceKind;
  date: string;
  rank: number;
  order: number;
  doc?: LedgerDocument;
  payment?: LedgerPayment;
}

/** What one invoice's documents and payments come to: their entries (unnumbered) and whether the invoice is settled. */
export interface GroupResult {
  /** The entries of the events not frozen, in event order; `sequence` holds the document's place in its series (or the payment's recording order) until numbered. */
  entries: ComputedEntry[];
  /** The date of the last settling document when the invoice's 411 lines balance exactly; null otherwise. */
  settledOn: string | null;
}

/** The group an event belongs to: an invoice and what credits or pays it (a credit note of no invoice stands alone). */
export function groupOf(doc: Pick<LedgerDocument, "id" | "type" | "creditedInvoiceId">): string {
  return doc.type === "invoice" ? doc.id : (doc.creditedInvoiceId ?? doc.id);
}

/**
 * The entries of one invoice's events — the invoice, its credit notes and its payments, all of them
 * (the running balance and the VAT waiting for payment depend on every earlier event).
 *
 * `wanted` limits the entries returned to some events (by `sourceKey`). The others still count in the
 * balance; their entries are built only when the VAT waiting for payment depends on them, so without
 * VAT on payment the documents of unwanted events need no lines nor per-rate totals.
 */
export function groupEntries(
  documents: readonly LedgerDocument[],
  payments: readonly LedgerPayment[],
  settings: AccountingSettings,
  frozen: ReadonlyMap<string, { waiting: readonly RateAmount[] }> = new Map(),
  plan: AccountPlan = new AccountPlan(settings),
  wanted?: ReadonlySet<string>,
): GroupResult {
  const events: GroupEvent[] = [];
  let invoice: LedgerDocument | undefined;
  for (const d of documents) {
    if (d.type === "invoice") invoice = d;
    events.push({ kind: d.type, date: d.date, rank: d.type === "invoice" ? 0 : 1, order: d.order, doc: d });
  }
  for (const p of payments) events.push({ kind: "payment", date: p.date, rank: 2, order: p.order, payment: p });
  events.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.rank - b.rank || a.order - b.order));

  const entries: ComputedEntry[] = [];
  let remaining = 0; // TTC still due on the invoice
  const waiting = new Map<number, number>(); // VAT still waiting for payment, per rate
  for (const ev of events) {
    const key = sourceKey(ev.kind, ev.doc?.id ?? ev.payment!.id);
    const recorded = frozen.get(key);
    const keep = !wanted || wanted.has(key);
    const build = !recorded && (keep || settings.vatOnPayments);
    let result: ComputedEntry | null = null;
    if (ev.kind === "invoice") {
      if (build) result = invoiceEntry(ev.doc!, plan, settings);
      remaining += ev.doc!.ttcCents;
    } else if (ev.kind === "credit_note") {
      remaining -= ev.doc!.ttcCents;
      if (build) result = creditNoteEntry(ev.doc!, plan, waiting, remaining <= 0);
    } else {
      const p = ev.payment!;
      if (build && invoice) result = paymentEntry(p, invoice, plan, waiting, remaining);
      remaining -= p.amountCents;
    }
    for (const w of recorded?.waiting ?? result?.waiting ?? []) waiting.set(w.vatRateBp, (waiting.get(w.vatRateBp) ?? 0) + w.cents);
    if (result && keep) entries.push(result);
  }
  return { entries, settledOn: invoice && remaining === 0 ? events.at(-1)!.date : null };
}

/** Entries for a company's documents and payments, numbered per journal in date order. */
export function ledgerEntries(input: LedgerInput): LedgerResult {
  const plan = new AccountPlan(input.settings);
  const groups = new Map<string, { documents: LedgerDocument[]; payments: LedgerPayment[] }>();
  const group = (invoiceId: string) => {
    let g = groups.get(invoiceId);
    if (!g) groups.set(invoiceId, (g = { documents: [], payments: [] }));
    return g;
  };
  for (const d of input.documents) group(groupOf(d)).documents.push(d);
  for (const p of input.payments) group(p.invoiceId).payments.push(p);

  const computed: ComputedEntry[] = [];
  const settled = new Map<string, string>();
  for (const [invoiceId, g] of groups) {
    const { entries, settledOn } = groupEntries(g.documents, g.payments, input.settings, input.frozen, plan);
    computed.push(...entries);
    if (settledOn !== null) settled.set(invoiceId, settledOn);
  }

  number(computed, input.settings, input.nextSequence ?? { sales: 1, bank: 1 });
  return { entries: computed, settled };
}

function number(entries: ComputedEntry[], settings: AccountingSettings, next: { sales: number; bank: number }): void {
  const rank = (e: AccountingEntry) => (e.source.kind === "invoice" ? 0 : e.source.kind === "credit_note" ? 1 : 2);
  // before numbering, `sequence` holds the document's place in its series (or the payment's recording order)
  entries.sort((a, b) => {
    const x = a.entry;
    const y = b.entry;
    if (x.journal !== y.journal) return x.journal === "sales" ? -1 : 1;
    if (x.date !== y.date) return x.date < y.date ? -1 : 1;
    return rank(x) - rank(y) || x.sequence - y.sequence;
  });
  const counters = { ...next };
  for (const c of entries) numberEntry(c.entry, settings, counters[c.entry.journal]++);
}

/** Gives an entry its place in its journal: `VE000042`. */
export function numberEntry(entry: AccountingEntry, settings: AccountingSettings, sequence: number): void {
  const journal = settings.journals[entry.journal];
  entry.sequence = sequence;
  entry.entryNumber = entryNumber(journal.code, sequence);
  entry.journalCode = journal.code;
  entry.journalLabel = journal.label;
}

export function entryNumber(journalCode: string, sequence: number): string {
  return `${journalCode}${String(sequence).padStart(6, "0")}`;
}

function newEntry(
  journal: JournalKind,
  date: string,
  pieceRef: string,
  label: string,
  source: AccountingEntry["source"],
  order: number,
): AccountingEntry {
  // journal code, label and number are filled in by `number` once every entry is known
  return { journal, journalCode: "", journalLabel: "", entryNumber: "", sequence: order, date, pieceRef, pieceDate: date, label, source, lines: [], validatedOn: null };
}

function line(plan: AccountPlan, account: string, label: string, debitCents: number, creditCents: number, aux?: { code: string; name: string }): EntryLine {
  return {
    account,
    accountLabel: plan.accountLabel(account),
    ...(aux ? { auxAccount: aux.code, auxLabel: aux.name } : {}),
    label,
    debitCents,
    creditCents,
  };
}

function customerAux(plan: AccountPlan, doc: { customer: LedgerCustomer }): { code: string; name: string } {
  return { code: plan.auxAccount(doc.customer.id, doc.customer.code), name: doc.customer.name };
}

/** HT per revenue account, accounts in ascending order. */
function revenueByAccount(doc: LedgerDocument, plan: AccountPlan): [string, number][] {
  if (doc.deposit) return [[plan.depositsAccount, doc.lines.reduce((s, l) => s + l.netCents, 0)]];
  const sums = new Map<string, number>();
  for (const l of doc.lines) {
    const account = plan.revenueAccount(l, doc.customer.category);
    sums.set(account, (sums.get(account) ?? 0) + l.netCents);
  }
  return [...sums].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function documentLabel(doc: LedgerDocument): string {
  const kind = doc.type === "invoice" && doc.deposit ? "Facture d'acompte" : doc.type === "invoice" && doc.depositsHtCents ? "Facture de solde" : TYPE_LABEL[doc.type];
  return `${kind} ${doc.number} ${doc.customer.name}`.slice(0, 200);
}

/**
 * At most how many lines an entry computed under `settings` has, from its document's counts alone
 * (the entries below). An invoice: 1 (411) + one per line at most (70x accounts) + one per rate
 * (4457x). A credit note: the same. A payment: 2 (512, 411). With VAT on payment, waiting VAT adds
 * up to 3 more per rate to a document (44574x; for a credit note that settles, the move to 4457x),
 * 2 per rate of the invoice a credit note credits, and 2 per rate of its invoice to a payment.
 */
export function entryLineLimits(settings: Pick<AccountingSettings, "vatOnPayments">) {
  return settings.vatOnPayments
    ? { document: { base: 1, perLine: 1, perRate: 4, perCreditedRate: 2 }, payment: { base: 2, perInvoiceRate: 2 } }
    : { document: { base: 1, perLine: 1, perRate: 1, perCreditedRate: 0 }, payment: { base: 2, perInvoiceRate: 0 } };
}

function invoiceEntry(doc: LedgerDocument, plan: AccountPlan, settings: AccountingSettings): ComputedEntry {
  const label = documentLabel(doc);
  const entry = newEntry("sales", doc.date, doc.number, label, { kind: "invoice", id: doc.id, invoiceId: doc.id }, doc.order);
  entry.lines.push(line(plan, plan.customerAccount(doc.customer.id), label, doc.ttcCents, 0, customerAux(plan, doc)));
  // a balance invoice clears the deposits it deducts: their net leaves 4191, the whole order's net goes to revenue
  if (doc.depositsHtCents) entry.lines.push(line(plan, plan.depositsAccount, label, doc.depositsHtCents, 0));
  for (const [account, cents] of revenueByAccount(doc, plan)) if (cents !== 0) entry.lines.push(line(plan, account, label, 0, cents));
  const services = settings.vatOnPayments ? servicesVatByRate(doc) : new Map<number, number>();
  const waiting: RateAmount[] = [];
  for (const r of doc.byRate) {
    const wait = services.get(r.vatRateBp) ?? 0;
    if (r.vatCents - wait !== 0) entry.lines.push(line(plan, plan.vatAccount(r.vatRateBp), label, 0, r.vatCents - wait));
    if (wait !== 0) {
      entry.lines.push(line(plan, plan.waitingAccount(r.vatRateBp), label, 0, wait));
      waiting.push({ vatRateBp: r.vatRateBp, cents: wait });
    }
  }
  return { entry, waiting };
}

function creditNoteEntry(doc: LedgerDocument, plan: AccountPlan, waiting: ReadonlyMap<number, number>, settles: boolean): ComputedEntry {
  const label = documentLabel(doc);
  const invoiceId = doc.creditedInvoiceId ?? doc.id;
  const entry = newEntry("sales", doc.date, doc.number, label, { kind: "credit_note", id: doc.id, invoiceId }, doc.order);
  for (const [account, cents] of revenueByAccount(doc, plan)) if (cents !== 0) entry.lines.push(line(plan, account, label, cents, 0));
  const services = servicesVatByRate(doc);
  const moves: RateAmount[] = [];
  const dueLabel = `TVA exigible ${doc.number}`.slice(0, 200);
  const transfers: EntryLine[] = [];
  for (const r of doc.byRate) {
    const waitingNow = Math.max(waiting.get(r.vatRateBp) ?? 0, 0);
    const back = Math.min(services.get(r.vatRateBp) ?? 0, waitingNow, r.vatCents);
    if (r.vatCents - back !== 0) entry.lines.push(line(plan, plan.vatAccount(r.vatRateBp), label, r.vatCents - back, 0));
    if (back !== 0) entry.lines.push(line(plan, plan.waitingAccount(r.vatRateBp), label, back, 0));
    const rest = settles ? waitingNow - back : 0;
    if (rest > 0) {
      transfers.push(line(plan, plan.waitingAccount(r.vatRateBp), dueLabel, rest, 0), line(plan, plan.vatAccount(r.vatRateBp), dueLabel, 0, rest));
    }
    if (back + rest !== 0) moves.push({ vatRateBp: r.vatRateBp, cents: -(back + rest) });
  }
  // waiting VAT of rates this credit note does not carry still becomes due when it settles the invoice
  if (settles) {
    for (const [rate, cents] of [...waiting].sort(([a], [b]) => b - a)) {
      if (cents > 0 && !doc.byRate.some((r) => r.vatRateBp === rate)) {
        transfers.push(line(plan, plan.waitingAccount(rate), dueLabel, cents, 0), line(plan, plan.vatAccount(rate), dueLabel, 0, cents));
        moves.push({ vatRateBp: rate, cents: -cents });
      }
    }
  }
  entry.lines.push(line(plan, plan.customerAccount(doc.customer.id), label, 0, doc.ttcCents, customerAux(plan, doc)));
  entry.lines.push(...transfers);
  return { entry, waiting: moves };
}

function paymentEntry(p: LedgerPayment, invoice: LedgerDocument, plan: AccountPlan, waiting: ReadonlyMap<number, number>, remaining: number): ComputedEntry {
  const label = `Règlement ${invoice.number} ${invoice.customer.name}`.slice(0, 200);
  const entry = newEntry("bank", p.date, invoice.number, label, { kind: "payment", id: p.id, invoiceId: invoice.id }, p.order);
  entry.lines.push(line(plan, plan.bankAccount, label, p.amountCents, 0));
  entry.lines.push(line(plan, plan.customerAccount(invoice.customer.id), label, 0, p.amountCents, customerAux(plan, invoice)));
  const moves: RateAmount[] = [];
  const dueLabel = `TVA exigible ${invoice.number}`.slice(0, 200);
  for (const [rate, cents] of [...waiting].sort(([a], [b]) => b - a)) {
    if (cents <= 0) continue;
    // the part of the remaining balance this payment pays releases the same part of the waiting VAT
    const moved = p.amountCents >= remaining ? cents : Number(divideRoundHalfUp(BigInt(cents) * BigInt(p.amountCents), BigInt(remaining)));
    if (moved === 0) continue;
    entry.lines.push(line(plan, plan.waitingAccount(rate), dueLabel, moved, 0), line(plan, plan.vatAccount(rate), dueLabel, 0, moved));
    moves.push({ vatRateBp: rate, cents: -moved });
  }
  return { entry, waiting: moves };
}

/** Puts the lettering code and date on the 411 lines (those with an auxiliary account) of settled invoices' entries. */
export function applyLettering(entries: readonly AccountingEntry[], codes: ReadonlyMap<string, { code: string; date: string }>): void {
  for (const e of entries) {
    const letter = codes.get(e.source.invoiceId);
    for (const l of e.lines) {
      if (l.auxAccount === undefined) continue;
      if (letter) {
        l.lettering = letter.code;
        l.letteringDate = letter.date;
      } else {
        delete l.lettering;
        delete l.letteringDate;
      }
    }
  }
}

export function entryTotals(entry: Pick<AccountingEntry, "lines">): { debitCents: number; creditCents: number } {
  let debitCents = 0;
  let creditCents = 0;
  for (const l of entry.lines) {
    debitCents += l.debitCents;
    creditCents += l.creditCents;
  }
  return { debitCents, creditCents };
}
