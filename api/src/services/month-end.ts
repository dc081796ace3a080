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
 * the lock in force, the last accounting export and the invoice counts are each grouped once over
 * the caller's companies, through the indexes by company.
 */
export function monthEndView(deps: Deps, principal: Principal, date: string, refreshed: Record<string, string> = {}): MonthEnd {
  const rows = deps.db
    .prepare(
      `WITH mine AS (
         SELECT m.company_id, m.role FROM memberships m
         WHERE m.user_id = @userId AND (@only IS NULL OR m.company_id = @only)
       ),
       last_lock AS (
         SELECT l.company_id, l.until, l.kind, l.hard_until FROM period_locks l
         JOIN (SELECT company_id, MAX(pk) AS pk FROM period_locks WHERE company_id IN (SELECT company_id FROM mine) GROUP BY company_id) x ON x.pk = l.pk
       ),
       last_export AS (
         SELECT company_id, MAX(completed_at) AS at FROM exports
         WHERE company_id IN (SELECT company_id FROM mine) AND kind IN (${EXPORT_KINDS}) GROUP BY company_id
       ),
       last_refresh AS (
         SELECT key AS company_id, value AS at FROM json_each(@refreshed) WHERE key IN (SELECT company_id FROM mine)
       ),
       seen AS (
         SELECT mine.company_id, NULLIF(MAX(COALESCE(e.at, ''), COALESCE(r.at, '')), '') AS at FROM mine
         LEFT JOIN last_export e ON e.company_id = mine.company_id
         LEFT JOIN last_refresh r ON r.company_id = mine.company_id
       ),
       counts AS (
         SELECT i.company_id,
           SUM(CASE WHEN i.status = 'draft' AND (l.until IS NULL OR i.issue_date > l.until) THEN 1 ELSE 0 END) AS drafts,
           SUM(CASE WHEN i.status != 'draft' AND (s.at IS NULL OR i.issued_at > s.at) THEN 1 ELSE 0 END) AS issued_since,
           SUM(CASE WHEN i.type = 'invoice' AND i.status IN ('issued', 'partially_paid') AND i.ttc_cents - i.credited_cents - i.paid_cents > 0 THEN 1 ELSE 0 END) AS unpaid,
           SUM(CASE WHEN i.type = 'invoice' AND i.status IN ('issued', 'partially_paid') AND i.ttc_cents - i.credited_cents - i.paid_cents > 0
                    THEN i.ttc_cents - i.credited_cents - i.paid_cents ELSE 0 END) AS unpaid_cents
         FROM invoices i
         JOIN mine ON mine.company_id = i.company_id
         LEFT JOIN last_lock l ON l.company_id = i.company_id
         LEFT JOIN seen s ON s.company_id = i.company_id
         WHERE i.issue_date <= @date
         GROUP BY i.company_id
       )
       SELECT c.id AS companyId, c.name, c.siren, mine.role,
              l.until AS lockedUntil, CASE WHEN l.until IS NULL THEN NULL ELSE l.kind END AS lockKind, l.hard_until AS hardUntil,
              COALESCE(n.drafts, 0) AS drafts, e.at AS lastExportAt, r.at AS lastRefreshAt, COALESCE(n.issued_since, 0) AS issuedSinceExport,
              COALESCE(n.unpaid, 0) AS unpaidCount, COALESCE(n.unpaid_cents, 0) AS unpaidCents
       FROM mine JOIN companies c ON c.id = mine.company_id
       LEFT JOIN last_lock l ON l.company_id = c.id
       LEFT JOIN last_export e ON e.company_id = c.id
       LEFT JOIN last_refresh r ON r.company_id = c.id
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
