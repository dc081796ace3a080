/** The lock in force for a company, and the guard every dated write goes through (accounting.md §5). */
import type { Db } from "../db/connection.js";
import type { UseCaseContext } from "../context.js";
import { inTransaction } from "../db/connection.js";
import { newId } from "../db/ids.js";
import { conflict, invalid } from "../http/problem.js";
import { addDays, formatDateFr, type LockStateOut } from "@passerelle/shared";
import { companyRow } from "./companies.js";
import { today } from "../clock.js";
import { recordActivity } from "./activity.js";
import { freezeEntries, unfreezeEntriesAfter } from "./entries.js";

export interface LockState {
  /** Every date on or before this one is locked (null: nothing locked). */
  lockedUntil: string | null;
  kind: "soft" | "hard" | null;
  /** Dates on or before this one are closed for good. */
  hardUntil: string | null;
}

export function lockState(db: Db, companyId: string): LockState {
  const row = db
    .prepare("SELECT until, kind, hard_until FROM period_locks WHERE company_id = ? ORDER BY pk DESC LIMIT 1")
    .get(companyId) as { until: string | null; kind: "soft" | "hard" | null; hard_until: string | null } | undefined;
  if (!row) return { lockedUntil: null, kind: null, hardUntil: null };
  return { lockedUntil: row.until, kind: row.until ? row.kind : null, hardUntil: row.hard_until };
}

/** Refuses (409) a write dated inside the locked period, naming the lock date. */
export function assertPeriodOpen(db: Db, companyId: string, date: string, what: string): void {
  const { lockedUntil } = lockState(db, companyId);
  if (lockedUntil && date <= lockedUntil) {
    throw conflict(
      `${what}: the period is locked up to ${lockedUntil} (${formatDateFr(lockedUntil)}); ${date} falls inside it. Use a date after ${lockedUntil}.`,
      [{ path: "date", message: `is in a locked period (locked up to ${lockedUntil})` }],
    );
  }
}

// ---- locking and reopening (the accountant's layer) ----

export interface LockHistoryRow {
  id: string;
  action: "lock" | "reopen";
  until: string | null;
  kind: "soft" | "hard" | null;
  hard_until: string | null;
  reason: string | null;
  created_by: string;
  by_name: string;
  created_at: string;
}

export function lockOverview(db: Db, companyId: string): LockStateOut {
  const history = db
    .prepare(
      `SELECT l.id, l.action, l.until, l.kind, l.hard_until, l.reason, l.created_by, u.name AS by_name, l.created_at
       FROM period_locks l JOIN users u ON u.id = l.created_by WHERE l.company_id = ? ORDER BY l.pk DESC`,
    )
    .all(companyId) as LockHistoryRow[];
  return {
    ...lockState(db, companyId),
    history: history.map((h) => ({
      id: h.id,
      action: h.action,
      until: h.until,
      kind: h.kind,
      hardUntil: h.hard_until,
      reason: h.reason,
      by: { id: h.created_by, name: h.by_name },
      at: h.created_at,
    })),
  };
}

function appendLock(ctx: UseCaseContext, companyId: string, row: { action: "lock" | "reopen"; until: string | null; hardUntil: string | null; reason: string | null }): string {
  const id = newId();
  // the kind names the lock in force: hard when its date is the hard close
  const kind = row.until === null ? null : row.until === row.hardUntil ? "hard" : "soft";
  ctx.db
    .prepare(
      `INSERT INTO period_locks (id, company_id, action, until, kind, hard_until, reason, created_by, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(id, companyId, row.action, row.until, kind, row.hardUntil, row.reason, ctx.actorId, ctx.clock.now().toISOString());
  return id;
}

/**
 * The date a lock to `input.until` leaves in force, or the refusal its route answers (in the future,
 * a hard close off a fiscal year end, before a hard close, behind the current lock). Writes nothing.
 */
export function checkedLockEnd(ctx: UseCaseContext, companyId: string, input: { until: string; kind: "soft" | "hard" }, before: LockState): string {
  const now = today(ctx.clock, ctx.config.timeZone);
  if (input.until > now) throw invalid("until", `must not be in the future (today is ${now}): only past days can be locked`);
  if (input.kind === "hard") {
    const start = companyRow(ctx.db, companyId).fiscal_year_start;
    if (addDays(input.until, 1).slice(5) !== start) {
      throw invalid("until", `a hard close ends a fiscal year: must be the day before the fiscal year start (${start}), e.g. ${fiscalYearEndFrom(input.until, start)}`);
    }
  }
  if (before.hardUntil && input.until <= before.hardUntil) {
    throw conflict(`The period up to ${before.hardUntil} is closed for good (hard close); lock a later date.`, [
      { path: "until", message: `must be after the hard close (${before.hardUntil})` },
    ]);
  }
  let until = input.until;
  if (before.lockedUntil && input.until <= before.lockedUntil) {
    if (input.kind !== "hard") {
      throw conflict(
        `The company is already locked up to ${before.lockedUntil}; locks only move forward. To move the lock back, reopen the period with a reason.`,
        [{ path: "until", message: `must be after the current lock (${before.lockedUntil})` }],
      );
    }
    until = before.lockedUntil; // the soft lock stays in force over the newly closed dates
  }
  return until;
}

/**
 * Locks everything dated on or before `until`. Locks only move forward; a hard close may also be
 * put under an existing soft lock (closing a year while the next one is already partly locked).
 * The entries of the newly locked dates are frozen in the same transaction.
 */
export function lockPeriod(ctx: UseCaseContext, companyId: string, input: { until: string; kind: "soft" | "hard" }): LockStateOut {
  return inTransaction(ctx.db, () => {
    const before = lockState(ctx.db, companyId);
    const now = today(ctx.clock, ctx.config.timeZone);
    const until = checkedLockEnd(ctx, companyId, input, before);
    const hardUntil = input.kind === "hard" ? input.until : before.hardUntil;
    const id = appendLock(ctx, companyId, { action: "lock", until, hardUntil, reason: null });
    const frozen = freezeEntries(ctx.db, companyId, before.lockedUntil, until, id, now);
    const after = lockState(ctx.db, companyId);
    recordActivity(ctx.db, ctx.clock.now(), {
      companyId,
      actorId: ctx.actorId,
      action: input.kind === "hard" ? "period.closed" : "period.locked",
      recordKind: "period_lock",
      recordId: id,
      recordDate: input.until,
      before,
      after: { ...after, frozenEntries: frozen },
    });
    return lockOverview(ctx.db, companyId);
  });
}

/** Moves a soft lock back to `to` (null: nothing locked), never before a hard close; the reason is kept. */
export function reopenPeriod(ctx: UseCaseContext, companyId: string, input: { to: string | null; reason: string }): LockStateOut {
  return inTransaction(ctx.db, () => {
    const before = lockState(ctx.db, companyId);
    if (!before.lockedUntil) throw conflict("Nothing is locked: there is no period to reopen.");
    if (before.kind === "hard") {
      throw conflict(`The period up to ${before.lockedUntil} is closed for good (hard close); it can never be reopened.`, [
        { path: "to", message: "a hard close cannot be reopened" },
      ]);
    }
    if (input.to !== null && input.to >= before.lockedUntil) {
      throw conflict(`Reopening moves the lock back: \`to\` must be before the current lock (${before.lockedUntil}).`, [
        { path: "to", message: `must be before ${before.lockedUntil}` },
      ]);
    }
    if (before.hardUntil && (input.to === null || input.to < before.hardUntil)) {
      throw conflict(`The period up to ${before.hardUntil} is closed for good (hard close); reopen no further back than ${before.hardUntil}.`, [
        { path: "to", message: `must be on or after the hard close (${before.hardUntil})` },
      ]);
    }
    const id = appendLock(ctx, companyId, { action: "reopen", until: input.to, hardUntil: before.hardUntil, reason: input.reason });
    const unfrozen = unfreezeEntriesAfter(ctx.db, companyId, input.to);
    const after = lockState(ctx.db, companyId);
    recordActivity(ctx.db, ctx.clock.now(), {
      companyId,
      actorId: ctx.actorId,
      action: "period.reopened",
      recordKind: "period_lock",
      recordId: id,
      recordDate: input.to,
      before,
      after: { ...after, reason: input.reason, unfrozenEntries: unfrozen },
    });
    return lockOverview(ctx.db, companyId);
  });
}

/** The first fiscal year end on or after `date`, for a fiscal year starting on `start` (MM-DD). */
function fiscalYearEndFrom(date: string, start: string): string {
  const year = Number(date.slice(0, 4));
  const end = addDays(`${year}-${start}`, -1);
  return end >= date ? end : addDays(`${year + 1}-${start}`, -1);
}
