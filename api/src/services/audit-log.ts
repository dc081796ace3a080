/**
 * Reading the activity log two ways: the audit log (who did what, filterable, newest first) and the
 * change feed (what changed after a sequence number, oldest first). Both read the same hash-chained
 * rows that every write appends in its own transaction.
 */
import type { AuditEntry, Change, Changes, LatestChanges, Page } from "@passerelle/shared";
import { isPostgres, type Db } from "../db/connection.js";
import { decodeCursor, encodeCursor } from "../db/ids.js";
import type { ActivityRow } from "./activity.js";

export interface AuditQuery {
  actor?: string | undefined;
  kind?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  limit: number;
  cursor?: string | undefined;
}

type Row = ActivityRow & { actor_name: string | null; actor_email: string | null };

export function auditLog(db: Db, companyId: string, q: AuditQuery): Page<AuditEntry> {
  const after = decodeCursor(q.cursor, 1);
  const clauses: string[] = [];
  if (q.actor) clauses.push("a.actor_id = @actor");
  if (q.kind) clauses.push("(a.action = @kind OR a.action LIKE @kindPrefix ESCAPE '\\')");
  // `at` is an ISO timestamp (UTC): a day is [from, to + 1 day)
  if (q.from) clauses.push("a.at >= @from");
  if (q.to) clauses.push("a.at < date(@to, '+1 day')");
  if (after) clauses.push("a.seq < @afterSeq");
  const rows = db
    .prepare(
      `SELECT a.*, u.name AS actor_name, u.email AS actor_email FROM activity a LEFT JOIN users u ON u.id = a.actor_id
       WHERE a.company_id = @companyId ${clauses.map((c) => `AND ${c}`).join(" ")}
       ORDER BY a.seq DESC LIMIT @limit`,
    )
    .all({
      companyId,
      actor: q.actor,
      kind: q.kind,
      kindPrefix: q.kind ? `${q.kind.replace(/[\\%_]/g, (m) => `\\${m}`)}.%` : undefined,
      from: q.from,
      to: q.to,
      afterSeq: after?.[0],
      limit: q.limit + 1,
    }) as Row[];
  const page = rows.slice(0, q.limit);
  return {
    items: page.map((r) => ({
      seq: r.seq,
      at: r.at,
      actor: r.actor_id ? { id: r.actor_id, name: r.actor_name ?? "", email: r.actor_email ?? "" } : null,
      action: r.action,
      recordKind: r.record_kind,
      recordId: r.record_id,
      recordDate: r.record_date,
      before: r.before_json === null ? null : (JSON.parse(r.before_json) as unknown),
      after: r.after_json === null ? null : (JSON.parse(r.after_json) as unknown),
      hash: r.hash,
    })),
    nextCursor: rows.length > q.limit ? encodeCursor([page.at(-1)!.seq]) : null,
  };
}

export function lastSeq(db: Db, companyId: string): number {
  return (db.prepare("SELECT last_seq FROM companies WHERE id = ?").pluck().get(companyId) as number | undefined) ?? 0;
}

/** What changed after `since`, oldest first, at most `limit` changes. */
export function changesSince(db: Db, companyId: string, since: number, limit: number): Changes {
  return db.transaction(() => {
    const rows = db
      .prepare("SELECT seq, record_kind, record_id, action, at FROM activity WHERE company_id = ? AND seq > ? ORDER BY seq LIMIT ?")
      .all(companyId, since, limit + 1) as { seq: number; record_kind: string; record_id: string; action: string; at: string }[];
    const items: Change[] = rows.slice(0, limit).map((r) => ({ seq: r.seq, kind: r.record_kind, id: r.record_id, action: r.action, at: r.at }));
    return { items, lastSeq: lastSeq(db, companyId), hasMore: rows.length > limit };
  })();
}

/**
 * The page `changesSince` reads, as the JSON text of its `Changes` (the same bytes as
 * `JSON.stringify`), written by SQLite: a page of 1,000 changes never becomes 1,000 JavaScript
 * objects to be written out again, which cost the route 6× the statements' own time.
 */
export function changesSinceJson(db: Db, companyId: string, since: number, limit: number): string {
  // PostgreSQL's JSON functions write a space after each colon and comma where SQLite's and
  // JSON.stringify write none: there the page is written from changesSince's, the same bytes
  if (isPostgres(db)) return JSON.stringify(changesSince(db, companyId, since, limit));
  return db.transaction(() => {
    const page = db
      .prepare(
        `SELECT COUNT(*) AS n, MAX(seq) AS last, json_group_array(json_object('seq', seq, 'kind', record_kind, 'id', record_id, 'action', action, 'at', at)) AS items
         FROM (SELECT seq, record_kind, record_id, action, at FROM activity WHERE company_id = ? AND seq > ? ORDER BY seq LIMIT ?) AS page`,
      )
      .get(companyId, since, limit) as { n: number; last: number | null; items: string };
    const hasMore = page.n === limit && db.prepare("SELECT 1 FROM activity WHERE company_id = ? AND seq > ? LIMIT 1").pluck().get(companyId, page.last) !== undefined;
    return `{"items":${page.items},"lastSeq":${lastSeq(db, companyId)},"hasMore":${hasMore}}`;
  })();
}

/** The newest sequence and its time for each company of the user (one company for a key limited to it). */
export function latestChanges(db: Db, userId: string, onlyCompanyId: string | null): LatestChanges {
  const rows = db
    .prepare(
      `SELECT m.company_id AS companyId, c.last_seq AS lastSeq, a.at AS at
         FROM memberships m
         JOIN companies c ON c.id = m.company_id
         LEFT JOIN activity a ON a.company_id = c.id AND a.seq = c.last_seq
        WHERE m.user_id = ? AND (? IS NULL OR m.company_id = ?)
        ORDER BY m.company_id`,
    )
    .all(userId, onlyCompanyId, onlyCompanyId) as LatestChanges["items"];
  return { items: rows };
}
