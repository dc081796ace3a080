/**
 * Three fiscal years of one company's sales, day by day, as the API would have recorded them:
 * every document's totals, credit notes, numbers and hashes come from the functions the services
 * use (shared invoiceTotals / lineNetCents / creditLines / creditNoteTotals / seriesKey /
 * formatNumber; the services' statusFor). The record chain and the activity log are hashed as
 * services/chain.ts and services/activity.ts hash them — SHA-256 of the previous hash and the
 * record's canonical JSON — with the canonical JSON written by serializers specialised for these
 * fixed-shape records (the seller's and customers' canonical identities computed once). They give
 * the same bytes as shared `canonicalJson` (test/bench-canonical.test.ts proves it on generated
 * records, and every 512th record of a run is checked against it); the integrity check recomputes
 * every hash of a generated data set with the generic functions (test/reliability/bench-data.test.ts).
 * The result is emitted as batches of rows (arrays in column order), table by table.
 */
import * as crypto from "node:crypto";
import { addDays, canonicalJson, creditLines, creditNoteTotals, formatNumber, invoiceTotals, lineNetCents, seriesKey, type InvoiceTotals } from "@passerelle/shared";
import { sha256Hex } from "../src/auth/secrets.js";
import type { ActivityRow } from "../src/services/activity.js";
import { canonicalPayment } from "../src/services/chain.js";
import { statusFor } from "../src/services/invoices.js";
import { uuidV7Source } from "../src/db/ids.js";

export const FIRST_DAY = "2023-01-01";
export const DAYS = 365 + 366 + 365; // 2023-01-01 … 2025-12-31
const RATES = [2000, 2000, 2000, 1000, 1000, 550, 210];
const METHODS = ["transfer", "transfer", "card", "cheque", "cash"] as const;

export interface SimulationInput {
  invoices: number;
  seed: number;
  batchInvoices: number;
  companyId: string;
  actorId: string;
  paymentTermsDays: number;
  /** The seller's identity as the documents print it, and its id in frozen_identities. */
  seller: Record<string, unknown>;
  sellerIdentityId: number;
  customers: { id: string; identityId: number; snapshot: Record<string, unknown> }[];
  products: { id: string; name: string; unitPriceCents: number; vatRateBp: number; kind: "goods" | "services" }[];
  start: { seq: number; activityHash: string; chainPosition: number; chainHash: string };
}

/**
 * Rows per table, one flat array per table: row after row, each in the column order of
 * TABLE_COLUMNS (a table's row count is its array's length over its column count). The columns
 * whose value is the same on every row (`constantColumns`) are not in them. `done` counts invoices
 * so far.
 */
export interface Batch {
  done: number;
  rows: Record<TableName, unknown[]>;
  final?: { series: [string, number][]; lastSeq: number };
}

/** The columns of each table that vary from row to row, in the order a row lists them. */
export const TABLE_COLUMNS = {
  invoices: ["id", "type", "status", "number", "series_key", "series_counter", "customer_id", "issue_date", "due_date", "credited_invoice_id", "customer_identity_id", "ht_cents", "vat_cents", "ttc_cents", "paid_cents", "credited_cents", "created_at", "updated_at", "issued_at"],
  invoice_lines: ["id", "invoice_id", "position", "product_id", "description", "quantity", "unit_price_cents", "vat_rate_bp", "discount_cents", "kind", "net_cents", "credited_line_id"],
  invoice_vat: ["invoice_id", "vat_rate_bp", "base_cents", "vat_cents"],
  payments: ["id", "invoice_id", "amount_cents", "date", "method", "created_at"],
  record_chain: ["position", "record_kind", "record_id", "hash"],
  activity: ["seq", "at", "action", "record_kind", "record_id", "record_date", "before_json", "after_json", "hash"],
  lettering: ["invoice_id", "position", "assigned_at"],
} as const;
export type TableName = keyof typeof TABLE_COLUMNS;

/**
 * The columns every row of a table shares: the company, the one user who did everything, the
 * seller's frozen identity. The writer puts them in its INSERT statements as literals, so they are
 * neither handed from thread to thread nor bound row after row.
 */
export function constantColumns(input: Pick<SimulationInput, "companyId" | "actorId" | "sellerIdentityId">): Record<TableName, Record<string, string | number>> {
  const company = { company_id: input.companyId };
  return {
    invoices: { ...company, seller_identity_id: input.sellerIdentityId },
    invoice_lines: {},
    invoice_vat: {},
    payments: company,
    record_chain: company,
    activity: { ...company, actor_id: input.actorId },
    lettering: company,
  };
}

function rng(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
  return { next, int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

export interface Line {
  id: string;
  position: number;
  productId: string | null;
  description: string;
  quantity: string;
  unitPriceCents: number;
  vatRateBp: number;
  discountCents: number;
  kind: "goods" | "services";
  netCents: number;
  creditedLineId: string | null;
}

export interface Doc {
  id: string;
  type: "invoice" | "credit_note";
  number: string;
  key: string;
  counter: number;
  customer: Customer;
  issueDate: string;
  dueDate: string;
  creditedInvoiceId: string | null;
  lines: Line[];
  totals: InvoiceTotals;
  paidCents: number;
  creditedCents: number;
}

/** A customer as the documents carry it: the frozen identity, stored (its id in frozen_identities) and hashed (canonical JSON). */
export interface Customer {
  identityId: number;
  id: string;
  snapshot: Record<string, unknown>;
  canonical: string;
}

/**
 * Something due on a later day. A payment keeps only what it needs of its invoice (id and number):
 * the documents themselves, lines and all, then die young instead of waiting in the old generation
 * for their payment (up to 60 simulated days); a credit note needs its whole invoice.
 */
type Event = { kind: "payment"; invoice: Pick<Doc, "id" | "number">; amountCents: number; method: string; settles: boolean } | { kind: "credit"; invoice: Doc };

/** The record the chain hashes, as services/chain.ts canonicalInvoice rebuilds it from the stored rows. */
export function canonicalDocument(d: Doc, companyId: string, seller: Record<string, unknown>): Record<string, unknown> {
  return {
    kind: d.type,
    id: d.id,
    companyId,
    number: d.number,
    issueDate: d.issueDate,
    dueDate: d.dueDate,
    customer: d.customer.snapshot,
    seller,
    creditedInvoiceId: d.creditedInvoiceId,
    vatExemption: null,
    lines: d.lines.map((l) => ({
      position: l.position,
      productId: l.productId,
      description: l.description,
      quantity: l.quantity,
      unitPriceCents: l.unitPriceCents,
      vatRateBp: l.vatRateBp,
      discountCents: l.discountCents,
      kind: l.kind,
      netCents: l.netCents,
      creditedLineId: l.creditedLineId,
    })),
    totals: { htCents: d.totals.htCents, vatCents: d.totals.vatCents, ttcCents: d.totals.ttcCents, byRate: d.totals.byRate },
  };
}

// ------------------------------------------------ canonical JSON of the fixed-shape records
// Keys in the order canonicalJson sorts them (UTF-16 code units), strings through JSON.stringify as
// canonicalJson writes them, numbers as JSON writes them (finite only, as canonicalJson demands).

const str = (v: string | null): string => (v === null ? "null" : JSON.stringify(v));
/**
 * A string the simulation made in a fixed format that JSON never escapes (ids, dates, document
 * numbers, quantities, enumerated values: printable ASCII without quote or backslash), quoted
 * directly: JSON.stringify costs some 95 ns a call, and a record has dozens of them. Free texts
 * (descriptions, the before/after summaries) go through `str`.
 */
const q = (v: string | null): string => (v === null ? "null" : `"${v}"`);
function num(v: number): string {
  if (!Number.isFinite(v)) throw new RangeError("non-finite number");
  return JSON.stringify(v);
}

/** canonicalJson(canonicalDocument(d, companyId, seller)), given canonicalJson(seller) and the customer's canonical identity. */
export function documentJson(d: Doc, companyId: string, sellerCanonical: string): string {
  let lines = "";
  for (const l of d.lines) {
    lines +=
      `${lines === "" ? "" : ","}{"creditedLineId":${q(l.creditedLineId)},"description":${str(l.description)},"discountCents":${num(l.discountCents)},` +
      `"kind":${q(l.kind)},"netCents":${num(l.netCents)},"position":${num(l.position)},"productId":${q(l.productId)},"quantity":${q(l.quantity)},` +
      `"unitPriceCents":${num(l.unitPriceCents)},"vatRateBp":${num(l.vatRateBp)}}`;
  }
  let byRate = "";
  for (const v of d.totals.byRate) {
    if (Object.keys(v).length !== 3) throw new Error("a rate total has other fields than baseCents, vatCents and vatRateBp");
    byRate += `${byRate === "" ? "" : ","}{"baseCents":${num(v.baseCents)},"vatCents":${num(v.vatCents)},"vatRateBp":${num(v.vatRateBp)}}`;
  }
  const t = d.totals;
  return (
    `{"companyId":${q(companyId)},"creditedInvoiceId":${q(d.creditedInvoiceId)},"customer":${d.customer.canonical},"dueDate":${q(d.dueDate)},` +
    `"id":${q(d.id)},"issueDate":${q(d.issueDate)},"kind":${q(d.type)},"lines":[${lines}],"number":${q(d.number)},"seller":${sellerCanonical},` +
    `"totals":{"byRate":[${byRate}],"htCents":${num(t.htCents)},"ttcCents":${num(t.ttcCents)},"vatCents":${num(t.vatCents)}},"vatExemption":null}`
  );
}

export interface PaymentRecord {
  id: string;
  companyId: string;
  invoiceId: string;
  amountCents: number;
  date: string;
  method: string;
}

/** canonicalJson(canonicalPayment(row)) of a payment without reference. */
export function paymentJson(p: PaymentRecord): string {
  return (
    `{"amountCents":${num(p.amountCents)},"companyId":${q(p.companyId)},"date":${q(p.date)},"id":${q(p.id)},"invoiceId":${q(p.invoiceId)},` +
    `"kind":"payment","method":${q(p.method)},"reference":null}`
  );
}

/** canonicalJson(row) of an activity row (what activityHash hashes after the previous hash). */
export function activityJson(row: Omit<ActivityRow, "hash">): string {
  return (
    `{"action":${q(row.action)},"actor_id":${q(row.actor_id)},"after_json":${str(row.after_json)},"at":${q(row.at)},"before_json":${str(row.before_json)},` +
    `"company_id":${q(row.company_id)},"record_date":${q(row.record_date)},"record_id":${q(row.record_id)},"record_kind":${q(row.record_kind)},"seq":${num(row.seq)}}`
  );
}

/** The before/after summaries the services record, canonical: canonicalJson of the object in the comment. */
export const summaries = {
  /** { customerId, lines, ttcCents } */
  draftCreated: (customerId: string, lines: number, ttcCents: number) => `{"customerId":${q(customerId)},"lines":${num(lines)},"ttcCents":${num(ttcCents)}}`,
  /** { status: "draft" } */
  draft: '{"status":"draft"}',
  /** { status: "issued", number, ttcCents } */
  issued: (number: string, ttcCents: number) => `{"number":${q(number)},"status":"issued","ttcCents":${num(ttcCents)}}`,
  /** { invoice, amountCents, method } */
  payment: (invoice: string, amountCents: number, method: string) => `{"amountCents":${num(amountCents)},"invoice":${q(invoice)},"method":${q(method)}}`,
  /** { number, creditedInvoice, ttcCents } */
  creditNote: (number: string, creditedInvoice: string, ttcCents: number) => `{"creditedInvoice":${q(creditedInvoice)},"number":${q(number)},"ttcCents":${num(ttcCents)}}`,
};

/** SHA-256 in hex, as sha256Hex computes it (one call instead of a Hash object where Node has crypto.hash). */
const sha256: (value: string) => string = typeof (crypto as { hash?: unknown }).hash === "function" ? (value) => crypto.hash("sha256", value, "hex") : sha256Hex;

/** Every 512th record is also serialized by the generic canonicalJson, and must match to the byte. */
function spotCheck(count: number, fast: string, record: () => unknown): void {
  if ((count & 511) !== 0) return;
  const generic = canonicalJson(record());
  if (generic !== fast) throw new Error(`specialised canonical JSON differs from canonicalJson:\n${fast}\n${generic}`);
}

function emptyRows(): Record<TableName, unknown[]> {
  return { invoices: [], invoice_lines: [], invoice_vat: [], payments: [], record_chain: [], activity: [], lettering: [] };
}

/** Runs the three years, handing over a batch every `batchInvoices` invoices (and a final one). */
export async function simulate(input: SimulationInput, emit: (batch: Batch) => void | Promise<void>): Promise<void> {
  const r = rng(input.seed);
  const { companyId, actorId, seller } = input;
  const sellerCanonical = canonicalJson(seller);
  const customers: Customer[] = input.customers.map((c) => ({ ...c, canonical: canonicalJson(c.snapshot) }));
  let records = 0;
  let rows = emptyRows();
  let chainPosition = input.start.chainPosition;
  let chainHash = input.start.chainHash;
  let seq = input.start.seq;
  let activityPrev = input.start.activityHash;
  let letteringPosition = 0;
  const counters = new Map<string, number>();

  // the record chain's link: SHA-256(previous hash + canonical JSON of the record), as linkHash
  const chain = (kind: string, id: string, json: string, record: () => unknown) => {
    spotCheck(records++, json, record);
    chainHash = sha256(chainHash + json);
    rows.record_chain.push(++chainPosition, kind, id, chainHash);
  };
  // the activity log's row: SHA-256(previous hash + canonical JSON of the row), as activityHash; before and after are canonical already
  const activity = (at: string, action: string, recordKind: string, recordId: string, recordDate: string | null, before: string | null, after: string | null) => {
    const row: Omit<ActivityRow, "hash"> = {
      company_id: companyId,
      seq: ++seq,
      at,
      actor_id: actorId,
      action,
      record_kind: recordKind,
      record_id: recordId,
      record_date: recordDate,
      before_json: before,
      after_json: after,
    };
    const json = activityJson(row);
    spotCheck(records++, json, () => row);
    activityPrev = sha256(activityPrev + json);
    rows.activity.push(row.seq, at, action, recordKind, recordId, recordDate, before, after, activityPrev);
  };
  const nextNumber = (series: "invoice" | "credit_note", date: string) => {
    const key = seriesKey(series, date);
    const counter = (counters.get(key) ?? 0) + 1;
    counters.set(key, counter);
    return { key, counter, number: formatNumber(key, counter) };
  };
  const writeDoc = (d: Doc, at: string) => {
    const status = d.type === "credit_note" ? "issued" : statusFor(d.totals.ttcCents, d.creditedCents, d.paidCents);
    rows.invoices.push(
      d.id, d.type, status, d.number, d.key, d.counter, d.customer.id, d.issueDate, d.dueDate, d.creditedInvoiceId,
      d.customer.identityId, d.totals.htCents, d.totals.vatCents, d.totals.ttcCents, d.paidCents, d.creditedCents, at, at, at,
    );
    for (const l of d.lines) rows.invoice_lines.push(l.id, d.id, l.position, l.productId, l.description, l.quantity, l.unitPriceCents, l.vatRateBp, l.discountCents, l.kind, l.netCents, l.creditedLineId);
    for (const v of d.totals.byRate) rows.invoice_vat.push(d.id, v.vatRateBp, v.baseCents, v.vatCents);
  };
  const settle = (invoice: Pick<Doc, "id">, at: string) => rows.lettering.push(invoice.id, letteringPosition++, at);

  const perDay = input.invoices / DAYS;
  const scheduled = new Map<number, Event[]>();
  const schedule = (day: number, e: Event) => {
    if (day >= DAYS) return false;
    const list = scheduled.get(day);
    if (list) list.push(e);
    else scheduled.set(day, [e]);
    return true;
  };
  // ids as the API makes them (UUIDv7), at the simulated moment of each record
  const newId = uuidV7Source();
  let made = 0;
  let sinceBatch = 0;

  for (let day = 0; day < DAYS; day++) {
    const date = addDays(FIRST_DAY, day);
    const dueDate = addDays(date, input.paymentTermsDays);
    const todayCount = Math.floor(perDay * (day + 1)) - Math.floor(perDay * day);
    const issued: Doc[] = [];
    for (let n = 0; n < todayCount && made < input.invoices; n++, made++) {
      const at = `${date}T${String(8 + Math.floor((n * 10) / todayCount)).padStart(2, "0")}:${String(n % 60).padStart(2, "0")}:00.000Z`;
      const atMs = Date.parse(at);
      const id = newId(atMs);
      const lines: Line[] = [];
      const lineCount = r.int(1, 5);
      for (let p = 1; p <= lineCount; p++) {
        const product = r.next() < 0.7 ? r.pick(input.products) : null;
        const quantity = r.pick(["1", "1", "2", "3", "0.5", "1.25", "10", "4.5"]);
        const unitPriceCents = product?.unitPriceCents ?? r.int(100, 150_000);
        const vatRateBp = product?.vatRateBp ?? r.pick(RATES);
        const discountCents = r.next() < 0.1 ? Math.floor(lineNetCents(quantity, unitPriceCents) / 10) : 0;
        lines.push({
          id: newId(atMs),
          position: p,
          productId: product?.id ?? null,
          description: product?.name ?? `Travaux sur mesure n° ${p}`,
          quantity,
          unitPriceCents,
          vatRateBp,
          discountCents,
          kind: product?.kind ?? (r.next() < 0.5 ? "goods" : "services"),
          netCents: lineNetCents(quantity, unitPriceCents, discountCents),
          creditedLineId: null,
        });
      }
      const totals = invoiceTotals(lines);
      const num = nextNumber("invoice", date);
      const doc: Doc = {
        id, type: "invoice", number: num.number, key: num.key, counter: num.counter, customer: r.pick(customers), issueDate: date,
        dueDate, creditedInvoiceId: null, lines, totals, paidCents: 0, creditedCents: 0,
      };
      // POST /invoices then POST /issue: two activity rows, one link of the record chain
      activity(at, "invoice.draft_created", "invoice", id, null, null, summaries.draftCreated(doc.customer.id, lines.length, totals.ttcCents));
      chain("invoice", id, documentJson(doc, companyId, sellerCanonical), () => canonicalDocument(doc, companyId, seller));
      activity(at, "invoice.issued", "invoice", id, date, summaries.draft, summaries.issued(doc.number, totals.ttcCents));
      // its future: 5 % credited in full; the others paid (90 % of all invoices), one in ten in two instalments
      const roll = r.next();
      if (roll < 0.05) {
        if (schedule(day + r.int(1, 45), { kind: "credit", invoice: doc })) doc.creditedCents = totals.ttcCents;
      } else if (r.next() < 0.9 / 0.95) {
        const method = r.pick(METHODS);
        const ref = { id, number: doc.number };
        if (r.next() < 0.1 && totals.ttcCents > 1) {
          const first = Math.floor(totals.ttcCents / 2);
          const d1 = day + r.int(0, 30);
          const d2 = d1 + r.int(1, 30);
          if (schedule(d1, { kind: "payment", invoice: ref, amountCents: first, method, settles: false })) {
            doc.paidCents = first;
            if (schedule(d2, { kind: "payment", invoice: ref, amountCents: totals.ttcCents - first, method, settles: true })) doc.paidCents = totals.ttcCents;
          }
        } else if (schedule(day + r.int(0, 60), { kind: "payment", invoice: ref, amountCents: totals.ttcCents, method, settles: true })) {
          doc.paidCents = totals.ttcCents;
        }
      }
      issued.push(doc);
    }
    // the rows carry what the document's future left on them (paid, credited, status), as the API's updates would
    for (const doc of issued) writeDoc(doc, `${date}T08:00:00.000Z`);

    for (const e of scheduled.get(day) ?? []) {
      const at = `${date}T17:00:00.000Z`;
      const atMs = Date.parse(at);
      if (e.kind === "payment") {
        const pid = newId(atMs);
        rows.payments.push(pid, e.invoice.id, e.amountCents, date, e.method, at);
        const payment = { id: pid, companyId, invoiceId: e.invoice.id, amountCents: e.amountCents, date, method: e.method };
        chain("payment", pid, paymentJson(payment), () =>
          canonicalPayment({ id: pid, company_id: companyId, invoice_id: e.invoice.id, amount_cents: e.amountCents, date, method: e.method, reference: null }),
        );
        if (e.settles) settle(e.invoice, at);
        activity(at, "payment.recorded", "payment", pid, date, null, summaries.payment(e.invoice.number, e.amountCents, e.method));
      } else {
        const original = e.invoice;
        const credit = creditLines(original.lines.map((l) => ({ ...l, unit: null, creditedQuantity: "0", creditedDiscountCents: 0, creditedNetCents: 0 })));
        if (!credit.ok) throw new Error(`credit note of ${original.number}: ${credit.message}`);
        const totals = creditNoteTotals(credit.lines, original.totals.byRate);
        const num = nextNumber("credit_note", date);
        const note: Doc = {
          id: newId(atMs), type: "credit_note", number: num.number, key: num.key, counter: num.counter, customer: original.customer, issueDate: date,
          dueDate: date, creditedInvoiceId: original.id, totals, paidCents: 0, creditedCents: 0,
          lines: credit.lines.map((l, i) => ({ ...l, id: newId(atMs), position: i + 1, netCents: lineNetCents(l.quantity, l.unitPriceCents, l.discountCents) })),
        };
        writeDoc(note, at);
        settle(original, at);
        chain("credit_note", note.id, documentJson(note, companyId, sellerCanonical), () => canonicalDocument(note, companyId, seller));
        activity(at, "credit_note.issued", "credit_note", note.id, date, null, summaries.creditNote(note.number, original.number, totals.ttcCents));
      }
    }
    scheduled.delete(day);

    sinceBatch += todayCount;
    if (sinceBatch >= input.batchInvoices || day === DAYS - 1) {
      const final = day === DAYS - 1 ? { series: [...counters], lastSeq: seq } : undefined;
      await emit({ done: made, rows, ...(final ? { final } : {}) });
      rows = emptyRows();
      sinceBatch = 0;
    }
  }
}
