/**
 * Month-end across an accountant's portfolio: for a date, what stands in the way of locking each
 * company (one statement for the whole portfolio, however many companies), and one lock per
 * company for many companies at once, each in its own transaction.
 */
import type { BatchLockOut, BatchLockResult, LockKind, LockPreview, MonthEnd, MonthEndCompany } from "@passerelle/shared";
import { addDays } from "@passerelle/shared";
import type { Deps, Principal } from "../context.js";
import { authorize } from "../auth/access.js";
import { ProblemError } from "../http/problem.js";
import { useCase } from "../http/router.js";
import { checkedLockEnd, lockPeriod, lockState } from "./locks.js";

/** The exports that hand the accountant the period's accounting: after one, the documents issued before it are known. */
export const ACCOUNTING_EXPORTS = ["fec", "sales-journal.csv", "sales-journal.xlsx", "sales-journal.pdf", "pack.zip"] as const;
const EXPORT_KINDS = ACCOUNTING_EXPORTS.map((k) => `'${k}'`).join(", ");

interface Row {
  companyId: string;
  name: string;
  siren: string;
  role: "owner" | "accountant";
  lockedUntil: string | null;
  lockKind: "soft" | "hard" | null;
  hardUntil: string | null;
  drafts: number;
  lastExportAt: string | null;
  lastRefreshAt: string | null;
  issuedSinceExport: number;
  unpaidCount: number;
  unpaidCents: number;
}

/**
 * Every company of the caller (only its company for a key limited to one), by name. One statement:
 * each company's lock in force, last accounting export and last refresh are read through the
 * indexes by company, then its drafts, its documents issued since and its open invoices up to the
 * date each counted from an index that holds what the count needs (migration 023), so neither the
 * invoice rows nor other companies' invoices are read (each part computed once: MATERIALIZED).
 */
export function monthEndView(deps: Deps, principal: Principal, date: string, refreshed: Record<string, string> = {}): MonthEnd {
  const rows = deps.db
    .prepare(
      `WITH base AS MATERIALIZED (
         SELECT m.company_id, m.role,
                (SELECT MAX(pk) FROM period_locks WHERE company_id = m.company_id) AS lock_pk,
                (SELECT MAX(completed_at) FROM exports WHERE company_id = m.company_id AND kind IN (${EXPORT_KINDS})) AS exported_at,
                json_extract(@refreshed, '$."' || m.company_id || '"') AS refreshed_at
         FROM memberships m
         WHERE m.user_id = @userId AND (@only IS NULL OR m.company_id = @only)
       ),
       mine AS MATERIALIZED (
         SELECT b.company_id, b.role, b.exported_at, b.refreshed_at, l.until AS locked_until, l.kind, l.hard_until,
                NULLIF(MAX(COALESCE(b.exported_at, ''), COALESCE(b.refreshed_at, '')), '') AS seen_at
         FROM base b LEFT JOIN period_locks l ON l.pk = b.lock_pk
       ),
       counts AS MATERIALIZED (
         -- each count through its own index (migration 023, named: the planner's statistics may predate it), the rows never read
         SELECT mine.company_id,
           (SELECT COUNT(*) FROM invoices i INDEXED BY invoices_drafts
             WHERE i.company_id = mine.company_id AND i.status = 'draft' AND i.issue_date <= @date
               AND (mine.locked_until IS NULL OR i.issue_date > mine.locked_until)) AS drafts,
           (SELECT COUNT(*) FROM invoices i INDEXED BY invoices_issued_dates
             WHERE i.company_id = mine.company_id AND i.status != 'draft' AND i.issue_date <= @date
               AND (mine.seen_at IS NULL OR i.issued_at > mine.seen_at)) AS issued_since,
           (SELECT COUNT(*) FROM invoices i INDEXED BY invoices_open
             WHERE i.company_id = mine.company_id AND i.type = 'invoice' AND i.status IN ('issued', 'partially_paid') AND i.issue_date <= @date
               AND i.ttc_cents - i.credited_cents - i.paid_cents > 0) AS unpaid,
           (SELECT SUM(i.ttc_cents - i.credited_cents - i.paid_cents) FROM invoices i INDEXED BY invoices_open
             WHERE i.company_id = mine.company_id AND i.type = 'invoice' AND i.status IN ('issued', 'partially_paid') AND i.issue_date <= @date
               AND i.ttc_cents - i.credited_cents - i.paid_cents > 0) AS unpaid_cents
         FROM mine
       )
       SELECT c.id AS companyId, c.name, c.siren, mine.role,
              mine.locked_until AS lockedUntil, CASE WHEN mine.locked_until IS NULL THEN NULL ELSE mine.kind END AS lockKind, mine.hard_until AS hardUntil,
              COALESCE(n.drafts, 0) AS drafts, mine.exported_at AS lastExportAt, mine.refreshed_at AS lastRefreshAt, COALESCE(n.issued_since, 0) AS issuedSinceExport,
              COALESCE(n.unpaid, 0) AS unpaidCount, COALESCE(n.unpaid_cents, 0) AS unpaidCents
       FROM mine JOIN companies c ON c.id = mine.company_id
       LEFT JOIN counts n ON n.company_id = c.id`,
    )
    .all({ userId: principal.userId, only: principal.companyId, date, refreshed: JSON.stringify(refreshed) }) as Row[];
  const byName = new Intl.Collator("fr").compare;
  const items: MonthEndCompany[] = rows.sort((a, b) => byName(a.name, b.name) || a.companyId.localeCompare(b.companyId));
  return { date, items };
}

/** What locking `companyId` from its current lock up to `until` covers: issued documents and their totals, drafts left behind. */
function previewOf(deps: Deps, companyId: string, lockedUntil: string | null, until: string): LockPreview {
  const from = lockedUntil ? addDays(lockedUntil, 1) : null;
  const sums = deps.db
    .prepare(
      `SELECT SUM(CASE WHEN status != 'draft' THEN 1 ELSE 0 END) AS documents,
              SUM(CASE WHEN status = 'draft' THEN 1 ELSE 0 END) AS drafts,
              SUM(CASE WHEN status = 'draft' THEN 0 WHEN type = 'credit_note' THEN -ht_cents ELSE ht_cents END) AS ht,
              SUM(CASE WHEN status = 'draft' THEN 0 WHEN type = 'credit_note' THEN -vat_cents ELSE vat_cents END) AS vat,
              SUM(CASE WHEN status = 'draft' THEN 0 WHEN type = 'credit_note' THEN -ttc_cents ELSE ttc_cents END) AS ttc
       FROM invoices WHERE company_id = @companyId AND issue_date <= @until AND (@after IS NULL OR issue_date > @after)`,
    )
    .get({ companyId, until, after: lockedUntil }) as { documents: number | null; drafts: number | null; ht: number | null; vat: number | null; ttc: number | null };
  return { from, to: until, documents: sums.documents ?? 0, drafts: sums.drafts ?? 0, htCents: sums.ht ?? 0, vatCents: sums.vat ?? 0, ttcCents: sums.ttc ?? 0 };
}

function problemOf(e: unknown): NonNullable<BatchLockResult["problem"]> {
  if (!(e instanceof ProblemError)) throw e;
  return { status: e.status, title: e.title, ...(e.detail ? { detail: e.detail } : {}), ...(e.errors ? { errors: e.errors } : {}) };
}

/**
 * Locks each company named up to `until`, as its own lock route would (same rights, same rules),
 * each in its own transaction: a refusal in one company is reported and the others go on.
 * With `preview`, says what each lock would cover and whether it would be refused; writes nothing.
 * Returns the companies whose lock moved, to tell their live clients.
 */
export function lockMany(
  deps: Deps,
  principal: Principal,
  input: { until: string; kind: LockKind; companies: string[]; preview: boolean },
): { out: BatchLockOut; changed: string[] } {
  const items: BatchLockResult[] = [];
  const changed: string[] = [];
  const names = deps.db.prepare("SELECT name FROM companies WHERE id = ?").pluck();
  for (const companyId of [...new Set(input.companies)]) {
    let name: string | null = null;
    try {
      authorize(deps.db, principal, companyId, "accountant", "read");
      name = names.get(companyId) as string; // a company the caller sees is named, even when refused
      const a = authorize(deps.db, principal, companyId, "accountant", "write");
      const before = lockState(deps.db, companyId);
      const ctx = useCase(deps, a);
      if (input.preview) {
        const until = checkedLockEnd(ctx, companyId, input, before);
        items.push({ companyId, name, outcome: "would_lock", lockedUntil: before.lockedUntil, lockKind: before.kind, preview: previewOf(deps, companyId, before.lockedUntil, until), problem: null });
      } else {
        const preview = previewOf(deps, companyId, before.lockedUntil, input.until);
        const after = lockPeriod(ctx, companyId, input);
        changed.push(companyId);
        items.push({ companyId, name, outcome: "locked", lockedUntil: after.lockedUntil, lockKind: after.kind, preview, problem: null });
      }
    } catch (e) {
      const problem = problemOf(e);
      const state = name === null ? null : lockState(deps.db, companyId);
      items.push({ companyId, name, outcome: "refused", lockedUntil: state?.lockedUntil ?? null, lockKind: state?.kind ?? null, preview: null, problem });
    }
  }
  const locked = items.filter((x) => x.outcome !== "refused").length;
  return { out: { until: input.until, kind: input.kind, preview: input.preview, locked, refused: items.length - locked, items }, changed };
}
