/**
 * Webhooks: a member registers a URL and the events to receive. Deliveries are produced from the
 * activity log by the dispatcher (webhook-dispatcher.ts), so no write path knows about webhooks.
 * The signing secret is shown once and kept sealed (see auth/secret-box.ts): it must stay usable.
 */
import type { Page, Webhook, WebhookCreated, WebhookDelivery, WebhookInput } from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import type { UseCaseContext } from "../context.js";
import { inTransaction } from "../db/connection.js";
import { decodeCursor, encodeCursor, newId } from "../db/ids.js";
import { forbidden, invalid, notFound } from "../http/problem.js";
import { internalHostProblem } from "../http/internal-addresses.js";
import { randomToken } from "../auth/secrets.js";
import { seal } from "../auth/secret-box.js";
import { recordActivity } from "./activity.js";

export const WEBHOOK_SECRET_PREFIX = "whsec_";

interface WebhookRow {
  pk: number;
  id: string;
  company_id: string;
  url: string;
  events: string;
  created_by: string;
  creator_name: string;
  created_at: string;
}

const SELECT = "SELECT w.*, u.name AS creator_name FROM webhooks w JOIN users u ON u.id = w.created_by";

function toWebhook(row: WebhookRow): Webhook {
  return {
    id: row.id,
    url: row.url,
    events: JSON.parse(row.events) as string[],
    createdAt: row.created_at,
    createdBy: { id: row.created_by, name: row.creator_name },
  };
}

export function listWebhooks(db: Db, companyId: string): Webhook[] {
  const rows = db.prepare(`${SELECT} WHERE w.company_id = ? AND w.deleted_at IS NULL ORDER BY w.pk`).all(companyId) as WebhookRow[];
  return rows.map(toWebhook);
}

function webhookRow(db: Db, companyId: string, webhookId: string): WebhookRow {
  const row = db.prepare(`${SELECT} WHERE w.company_id = ? AND w.id = ? AND w.deleted_at IS NULL`).get(companyId, webhookId) as
    | WebhookRow
    | undefined;
  if (!row) throw notFound("webhook");
  return row;
}

export function getWebhook(db: Db, companyId: string, webhookId: string): Webhook {
  return toWebhook(webhookRow(db, companyId, webhookId));
}

/** Registers a webhook; it receives the events that happen after this moment. */
export function createWebhook(ctx: UseCaseContext, companyId: string, input: WebhookInput): WebhookCreated {
  // the URL is the customer's choice: it must not make the server call itself or its network
  const internal = ctx.config.webhooksAllowPrivateTargets ? null : internalHostProblem(new URL(input.url));
  if (internal) throw invalid("url", `must not point to an internal address: ${internal}`);
  const now = ctx.clock.now();
  const secret = WEBHOOK_SECRET_PREFIX + randomToken(32);
  const id = newId();
  return inTransaction(ctx.db, () => {
    const seq = recordActivity(ctx.db, now, {
      companyId,
      actorId: ctx.actorId,
      action: "webhook.created",
      recordKind: "webhook",
      recordId: id,
      after: { url: input.url, events: input.events },
    });
    ctx.db
      .prepare(
        "INSERT INTO webhooks (id, company_id, url, events, secret_sealed, created_by, created_at, cursor_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
      )
      .run(id, companyId, input.url, JSON.stringify(input.events), seal(ctx.config, secret), ctx.actorId, now.toISOString(), seq);
    return { ...getWebhook(ctx.db, companyId, id), secret };
  });
}

/** Owners delete any webhook of their company; accountants the ones they registered. */
export function deleteWebhook(ctx: UseCaseContext, companyId: string, webhookId: string, role: string): void {
  const now = ctx.clock.now();
  inTransaction(ctx.db, () => {
    const row = webhookRow(ctx.db, companyId, webhookId);
    if (role !== "owner" && row.created_by !== ctx.actorId) throw forbidden("Accountants delete only the webhooks they registered.");
    retire(ctx.db, webhookId, now);
    recordActivity(ctx.db, now, {
      companyId,
      actorId: ctx.actorId,
      action: "webhook.deleted",
      recordKind: "webhook",
      recordId: webhookId,
      before: { url: row.url, events: JSON.parse(row.events) },
    });
  });
}

function retire(db: Db, webhookId: string, now: Date): void {
  db.prepare("UPDATE webhooks SET deleted_at = ? WHERE id = ?").run(now.toISOString(), webhookId);
  db.prepare(
    "UPDATE webhook_deliveries SET status = 'cancelled', next_attempt_at = NULL, last_error = 'the webhook was deleted' WHERE webhook_id = ? AND status IN ('pending', 'retrying')",
  ).run(webhookId);
}

/** When someone leaves a company, the webhooks they registered on it stop (inside the caller's transaction). */
export function retireWebhooksOf(db: Db, companyId: string, userId: string, now: Date): number {
  const ids = db
    .prepare("SELECT id FROM webhooks WHERE company_id = ? AND created_by = ? AND deleted_at IS NULL")
    .pluck()
    .all(companyId, userId) as string[];
  for (const id of ids) retire(db, id, now);
  return ids.length;
}

interface DeliveryRow {
  pk: number;
  id: string;
  event: string;
  activity_seq: number;
  status: WebhookDelivery["status"];
  attempts: number;
  created_at: string;
  last_attempt_at: string | null;
  next_attempt_at: string | null;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: string | null;
}

/** The delivery log of a webhook, newest first. */
export function listDeliveries(db: Db, companyId: string, webhookId: string, opts: { limit: number; cursor?: string | undefined }): Page<WebhookDelivery> {
  const exists = db.prepare("SELECT 1 FROM webhooks WHERE company_id = ? AND id = ? AND deleted_at IS NULL").get(companyId, webhookId);
  if (!exists) throw notFound("webhook");
  const after = decodeCursor(opts.cursor, 1);
  const rows = db
    .prepare(`SELECT * FROM webhook_deliveries WHERE webhook_id = ? ${after ? "AND pk < ?" : ""} ORDER BY pk DESC LIMIT ?`)
    .all(...[webhookId, ...(after ? [after[0]] : []), opts.limit + 1]) as DeliveryRow[];
  const page = rows.slice(0, opts.limit);
  return {
    items: page.map((r) => ({
      id: r.id,
      event: r.event,
      seq: r.activity_seq,
      status: r.status,
      attempts: r.attempts,
      createdAt: r.created_at,
      lastAttemptAt: r.last_attempt_at,
      nextAttemptAt: r.next_attempt_at,
      lastStatusCode: r.last_status_code,
      lastError: r.last_error,
      deliveredAt: r.delivered_at,
    })),
    nextCursor: rows.length > opts.limit ? encodeCursor([page.at(-1)!.pk]) : null,
  };
}
