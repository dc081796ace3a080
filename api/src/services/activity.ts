/**
 * The activity log: every write appends one row in the writer's transaction — who, when, what,
 * on which record, a short before/after. Rows are hash-chained per company and their `seq` is the
 * change-feed sequence, so the audit log and the live feed can never disagree.
 */
import { canonicalJson } from "@passerelle/shared";
import { sha256Hex } from "../auth/secrets.js";
import type { Db } from "../db/connection.js";
import { announceChange } from "../db/change-feed.js";

export interface ActivityInput {
  companyId: string;
  actorId: string | null;
  action: string; // e.g. "invoice.issued"
  recordKind: string;
  recordId: string;
  recordDate?: string | null;
  before?: unknown;
  after?: unknown;
}

export interface ActivityRow {
  company_id: string;
  seq: number;
  at: string;
  actor_id: string | null;
  action: string;
  record_kind: string;
  record_id: string;
  record_date: string | null;
  before_json: string | null;
  after_json: string | null;
  hash: string;
}

export function activityHash(previousHash: string, row: Omit<ActivityRow, "hash">): string {
  return sha256Hex(previousHash + canonicalJson(row));
}

/** Appends to the log; must run inside the use-case's transaction. Returns the new sequence. */
export function recordActivity(db: Db, at: Date, input: ActivityInput): number {
  const seq = db.prepare("UPDATE companies SET last_seq = last_seq + 1 WHERE id = ? RETURNING last_seq").pluck().get(input.companyId) as number;
  announceChange(db, input.companyId, seq);
  const previous = db
    .prepare("SELECT hash FROM activity WHERE company_id = ? ORDER BY seq DESC LIMIT 1")
    .pluck()
    .get(input.companyId) as string | undefined;
  const row: Omit<ActivityRow, "hash"> = {
    company_id: input.companyId,
    seq,
    at: at.toISOString(),
    actor_id: input.actorId,
    action: input.action,
    record_kind: input.recordKind,
    record_id: input.recordId,
    record_date: input.recordDate ?? null,
    before_json: input.before === undefined ? null : canonicalJson(input.before),
    after_json: input.after === undefined ? null : canonicalJson(input.after),
  };
  const hash = activityHash(previous ?? "", row);
  db.prepare(
    `INSERT INTO activity (company_id, seq, at, actor_id, action, record_kind, record_id, record_date, before_json, after_json, hash)
     VALUES (@company_id, @seq, @at, @actor_id, @action, @record_kind, @record_id, @record_date, @before_json, @after_json, @hash)`,
  ).run({ ...row, hash });
  return seq;
}
