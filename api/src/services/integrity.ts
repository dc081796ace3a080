/**
 * Integrity check: recompute the record chain and the activity chain from the stored rows, and check
 * that every series is numbered 1, 2, 3… without gap, in date order, and that the journal's sums per day
 * equal what the documents add up to. Reports the first problem of each kind.
 */
import { balanceTotals, invoiceTotals, parseNumber, type IntegrityReport } from "@passerelle/shared";
import { isPostgres, type Db } from "../db/connection.js";
import { deductionsOf, invoiceRow, linesOf } from "../db/invoices.js";
import { aggregateProblems } from "../db/journal-aggregates.js";
import { canonicalInvoice, canonicalPayment, linkHash, type PaymentChainRow } from "./chain.js";
import { activityHash, type ActivityRow } from "./activity.js";

type Problem = IntegrityReport["problems"][number];

/**
 * The first issued document the record chain does not hold. The chain's ids are gathered once (the
 * chain has no index by record, and needs none elsewhere): looking each document up in it scanned
 * the company's whole chain per document: over ten minutes for 100,000 invoices.
 */
export const UNCHAINED = `SELECT number FROM invoices WHERE company_id = @companyId AND number IS NOT NULL
  AND id NOT IN (SELECT record_id FROM record_chain WHERE company_id = @companyId) LIMIT 1`;

/**
 * The same on PostgreSQL, as an anti-join: its `NOT IN` keeps the chain's ids in memory only up to
 * `work_mem` (4 MB, some 50,000 ids) and past that compares each document with the whole chain
 * (beyond the statement time-out at 100,000 invoices), where an anti-join's hash spills to disk.
 * On SQLite the same `NOT EXISTS` would look each document up in the chain, which has no index by record.
 */
export const UNCHAINED_POSTGRES = `SELECT number FROM invoices i WHERE company_id = @companyId AND number IS NOT NULL
  AND NOT EXISTS (SELECT 1 FROM record_chain r WHERE r.company_id = @companyId AND r.record_id = i.id) LIMIT 1`;

export function checkIntegrity(db: Db, companyId: string): IntegrityReport {
  const problems: Problem[] = [];
  let chainOk = true;
  let numberingOk = true;
  let checked = 0;

  // 1. the record chain
  let previous = "";
  let expectedPosition = 1;
  const links = db.prepare("SELECT position, record_kind, record_id, hash FROM record_chain WHERE company_id = ? ORDER BY position").iterate(companyId) as IterableIterator<{
    position: number;
    record_kind: string;
    record_id: string;
    hash: string;
  }>;
  for (const link of links) {
    checked++;
    if (chainOk && link.position !== expectedPosition) {
      chainOk = false;
      problems.push({ kind: "chain", message: `chain position ${expectedPosition} is missing (found ${link.position})` });
    }
    expectedPosition = link.position + 1;
    const record = canonicalRecord(db, companyId, link.record_kind, link.record_id);
    if (chainOk && !record) {
      chainOk = false;
      problems.push({ kind: "chain", record: link.record_id, message: `chain position ${link.position}: the ${link.record_kind} it points to is missing` });
    } else if (chainOk && record && linkHash(previous, record.canonical) !== link.hash) {
      chainOk = false;
      problems.push({ kind: "chain", record: record.label, message: `chain position ${link.position}: ${record.label} was changed after it became final (hash mismatch)` });
    }
    if (record?.totalsProblem) problems.push({ kind: "totals", record: record.label, message: record.totalsProblem });
    previous = link.hash;
  }
  const unchained = db.prepare(isPostgres(db) ? UNCHAINED_POSTGRES : UNCHAINED).pluck().get({ companyId }) as string | undefined;
  if (unchained) {
    chainOk = false;
    problems.push({ kind: "chain", record: unchained, message: `${unchained} is issued but not in the chain` });
  }

  // 2. numbering: each series 1..n, dates never going back
  const numbers = db
    .prepare("SELECT number, series_key, series_counter, issue_date FROM invoices WHERE company_id = ? AND number IS NOT NULL ORDER BY series_key, series_counter")
    .all(companyId) as { number: string; series_key: string; series_counter: number; issue_date: string }[];
  let lastKey = "";
  let lastCounter = 0;
  let lastDate = "";
  for (const n of numbers) {
    if (n.series_key !== lastKey) {
      lastKey = n.series_key;
      lastCounter = 0;
      lastDate = "";
    }
    const parsed = parseNumber(n.number);
    if (numberingOk && (n.series_counter !== lastCounter + 1 || parsed?.counter !== n.series_counter)) {
      numberingOk = false;
      problems.push({ kind: "numbering", record: n.number, message: `series ${n.series_key}: expected number ${lastCounter + 1}, found ${n.number}` });
    }
    if (numberingOk && n.issue_date < lastDate) {
      numberingOk = false;
      problems.push({ kind: "numbering", record: n.number, message: `${n.number} is dated ${n.issue_date}, before the previous number (${lastDate})` });
    }
    lastCounter = n.series_counter;
    lastDate = n.issue_date;
  }

  // 3. the activity log chain
  let previousActivity = "";
  let expectedSeq = 1;
  let activityOk = true;
  for (const row of db.prepare("SELECT * FROM activity WHERE company_id = ? ORDER BY seq").iterate(companyId) as IterableIterator<ActivityRow>) {
    checked++;
    const { hash, ...rest } = row;
    if (activityOk && (row.seq !== expectedSeq || activityHash(previousActivity, rest) !== hash)) {
      activityOk = false;
      problems.push({ kind: "audit", record: String(row.seq), message: `audit log entry ${row.seq} was altered or an entry before it is missing` });
    }
    expectedSeq = row.seq + 1;
    previousActivity = hash;
  }

  // 4. the journal's sums per day, against a recomputation from the documents
  const differing = aggregateProblems(db, companyId);
  if (differing.length > 0) {
    const first = differing[0]!;
    const days = new Set(differing.map((d) => d.day)).size;
    problems.push({
      kind: "journal_totals",
      record: first.day,
      message: `the journal's sums of ${first.day} (${first.type === "credit_note" ? "credit notes" : "invoices"}${first.table === "journal_day_rates" ? ", VAT by rate" : ""}) differ from its documents${days > 1 ? `, and those of ${days - 1} other day${days > 2 ? "s" : ""}` : ""}`,
    });
  }

  const chain = chainOk && activityOk ? "valid" : "broken";
  const numbering = numberingOk ? "continuous" : "gaps";
  return { ok: chain === "valid" && numberingOk && problems.length === 0, chain, numbering, checkedRecords: checked, problems };
}

function canonicalRecord(
  db: Db,
  companyId: string,
  kind: string,
  id: string,
): { canonical: Record<string, unknown>; label: string; totalsProblem?: string } | null {
  if (kind === "payment") {
    const row = db.prepare("SELECT * FROM payments WHERE company_id = ? AND id = ?").get(companyId, id) as PaymentChainRow | undefined;
    return row ? { canonical: canonicalPayment(row), label: `payment ${id}` } : null;
  }
  const exists = db.prepare("SELECT 1 FROM invoices WHERE company_id = ? AND id = ?").get(companyId, id);
  if (!exists) return null;
  const row = invoiceRow(db, companyId, id);
  const label = row.number ?? id;
  let totalsProblem: string | undefined;
  const lines = linesOf(db, [id]).get(id)!;
  const ofLines = invoiceTotals(lines.map((l) => ({ quantity: l.quantity, unitPriceCents: l.unit_price_cents, vatRateBp: l.vat_rate_bp, discountCents: l.discount_cents })));
  // a balance invoice's lines are the whole order: its totals are theirs less the deposits it deducts
  const recomputed =
    row.order_role === "balance" && row.type === "invoice" ? balanceTotals(ofLines, deductionsOf(db, [id]).get(id)!.map((d) => d.byRate)) : ofLines;
  if (recomputed.htCents !== row.ht_cents || (row.type === "invoice" && recomputed.vatCents !== row.vat_cents) || row.ttc_cents !== row.ht_cents + row.vat_cents) {
    totalsProblem = `${label}: stored totals differ from its lines`;
  }
  return { canonical: canonicalInvoice(db, row), label, ...(totalsProblem ? { totalsProblem } : {}) };
}
