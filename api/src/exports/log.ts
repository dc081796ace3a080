/**
 * The export log (accounting.md §5): who exported what, when, with which filters, how many rows,
 * and the SHA-256 of the bytes sent. Each entry also records the activity `export.made`, which the
 * audit log, the change feed and webhooks all see.
 */
import type { ExportKind, ExportLogEntry, Page } from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import type { Principal } from "../context.js";
import { decodeCursor, encodeCursor } from "../db/ids.js";
import { recordActivity } from "../services/activity.js";

export interface ExportRecord {
  id: string;
  companyId: string;
  kind: ExportKind;
  fileName: string;
  contentType: string;
  filters: Record<string, string>;
  rows: number;
  bytes: number;
  sha256: string;
  detail?: unknown;
  lockedUntil?: string | null;
  principal: Principal;
  startedAt: Date;
}

/** Appends the entry and its activity; must run inside the caller's transaction. Returns the activity seq. */
export function insertExport(db: Db, now: Date, r: ExportRecord): number {
  db.prepare(
    `INSERT INTO exports (id, company_id, kind, file_name, content_type, filters_json, row_count, byte_count, sha256, detail_json,
       locked_until, actor_id, actor_via, started_at, completed_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    r.id,
    r.companyId,
    r.kind,
    r.fileName,
    r.contentType,
    JSON.stringify(r.filters),
    r.rows,
    r.bytes,
    r.sha256,
    r.detail === undefined ? null : JSON.stringify(r.detail),
    r.lockedUntil ?? null,
    r.principal.userId,
    r.principal.via,
    r.startedAt.toISOString(),
    now.toISOString(),
  );
  return recordActivity(db, now, {
    companyId: r.companyId,
    actorId: r.principal.userId,
    action: "export.made",
    recordKind: "export",
    recordId: r.id,
    after: { kind: r.kind, fileName: r.fileName, filters: r.filters, rows: r.rows, bytes: r.bytes, sha256: r.sha256, lockedUntil: r.lockedUntil ?? null },
  });
}

interface ExportRow {
  pk: number;
  id: string;
  kind: ExportKind;
  file_name: string;
  content_type: string;
  filters_json: string;
  row_count: number;
  byte_count: number;
  sha256: string;
  detail_json: string | null;
  locked_until: string | null;
  actor_id: string;
  actor_via: "session" | "api_key";
  actor_name: string;
  actor_email: string;
  started_at: string;
  completed_at: string;
}

function toEntry(r: ExportRow): ExportLogEntry {
  return {
    id: r.id,
    kind: r.kind,
    fileName: r.file_name,
    contentType: r.content_type,
    filters: JSON.parse(r.filters_json) as Record<string, string>,
    rows: r.row_count,
    bytes: r.byte_count,
    sha256: r.sha256,
    detail: r.detail_json === null ? null : (JSON.parse(r.detail_json) as unknown),
    lockedUntil: r.locked_until,
    by: { id: r.actor_id, name: r.actor_name, email: r.actor_email },
    via: r.actor_via,
    startedAt: r.started_at,
    completedAt: r.completed_at,
  };
}

const SELECT = `SELECT e.*, u.name AS actor_name, u.email AS actor_email FROM exports e JOIN users u ON u.id = e.actor_id`;

export function getExport(db: Db, companyId: string, exportId: string): ExportLogEntry | null {
  const row = db.prepare(`${SELECT} WHERE e.company_id = ? AND e.id = ?`).get(companyId, exportId) as ExportRow | undefined;
  return row ? toEntry(row) : null;
}

/** Newest first. */
export function listExports(db: Db, companyId: string, q: { limit: number; cursor?: string | undefined; kind?: ExportKind | undefined }): Page<ExportLogEntry> {
  const after = decodeCursor(q.cursor, 1);
  const rows = db
    .prepare(
      `${SELECT} WHERE e.company_id = @companyId ${q.kind ? "AND e.kind = @kind" : ""} ${after ? "AND e.pk < @afterPk" : ""}
       ORDER BY e.pk DESC LIMIT @limit`,
    )
    .all({ companyId, kind: q.kind, afterPk: after?.[0], limit: q.limit + 1 }) as ExportRow[];
  const page = rows.slice(0, q.limit);
  return { items: page.map(toEntry), nextCursor: rows.length > q.limit ? encodeCursor([page.at(-1)!.pk]) : null };
}
