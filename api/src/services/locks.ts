/** The lock in force for a company, and the guard every dated write goes through (accounting.md §5). */
import type { Db } from "../db/connection.js";
import { conflict } from "../http/problem.js";
import { formatDateFr } from "@passerelle/shared";

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
