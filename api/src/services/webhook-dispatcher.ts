/**
 * Turns committed activity into signed webhook deliveries. After each committed write the change
 * notifier wakes the dispatcher, which reads the activity rows past each webhook's cursor, queues
 * a delivery for every subscribed event (cursor and deliveries move in one transaction, so an
 * event is queued exactly once), then POSTs what is due, each delivery leased to one process (so
 * the dispatchers of several processes on one database send it once, see claimDue). Failed deliveries are retried with
 * exponential backoff (30 s doubling, at most 4 h apart) for 24 hours, then marked failed. A
 * target that is or resolves to an internal address is refused and failed at once (see http/outbound.ts).
 */
import { createHmac } from "node:crypto";
import type { Deps } from "../context.js";
import { inTransaction } from "../db/connection.js";
import { newId } from "../db/ids.js";
import { unseal } from "../auth/secret-box.js";
import { InternalTargetError, postTo, resolveTarget, systemResolver, type Resolver } from "../http/outbound.js";
import { VERSION } from "../version.js";

export const WEBHOOK_RETRY_WINDOW_MS = 24 * 3600_000;
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_GAP_MS = 4 * 3600_000;
const SCAN_BATCH = 5_000;
/** A leased delivery stays with its process this long past the receiver's time-out (see claimDue). */
const WEBHOOK_LEASE_MARGIN_MS = 60_000;

/** The webhook event an activity row raises: a hard close is a lock too (its details say `kind: "hard"`). */
export function webhookEventOf(action: string): string {
  return action === "period.closed" ? "period.locked" : action;
}

/** Wait before the attempt following attempt number `attempts` (1-based). */
export function webhookRetryDelay(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** (attempts - 1), MAX_RETRY_GAP_MS);
}

/** `X-Passerelle-Signature`: `sha256=` + hex HMAC-SHA256 of `${timestamp}.${body}` with the webhook's secret. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

interface ActivityForHook {
  seq: number;
  at: string;
  actor_id: string | null;
  action: string;
  record_kind: string;
  record_id: string;
  record_date: string | null;
  after_json: string | null;
}

interface DueDelivery {
  id: string;
  payload: string;
  attempts: number;
  created_at: string;
  event: string;
  url: string;
  secret_sealed: string;
  creator_member: number;
}

export interface DispatcherOptions {
  /** How receivers' host names are resolved (dns.lookup, every address, by default). */
  resolve?: Resolver;
  /** How long a receiver may take to answer. */
  timeoutMs?: number;
  /** How often due retries are looked for when nothing else wakes the dispatcher. */
  pollMs?: number;
  concurrency?: number;
}

export class WebhookDispatcher {
  private running: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  /** Whether the next pass sends the deliveries due (retries included), not only new events. */
  private deliveriesDue = true;

  constructor(
    private readonly deps: Deps,
    private readonly options: DispatcherOptions = {},
  ) {}

  start(): this {
    this.unsubscribe = this.deps.changes.subscribe(() => this.kick("changes"));
    this.timer = setInterval(() => this.kick(), this.options.pollMs ?? 15_000);
    this.timer.unref();
    this.kick();
    return this;
  }

  async stop(): Promise<void> {
    this.unsubscribe?.();
    clearInterval(this.timer);
    await this.idle();
  }

  /**
   * Schedules a pass (queue new events, send what is due); passes never overlap. A committed write
   * (`"changes"`) only asks for its events to be queued and sent: retries that fall due are sent by
   * the poll, so a burst of writes with nothing to deliver costs a read each, not a transaction.
   */
  kick(reason: "changes" | "due" = "due"): void {
    if (reason === "due") this.deliveriesDue = true;
    if (this.running) {
      this.again = true;
      return;
    }
    // the pass starts on the next microtask, once `running` holds it: a pass with nothing to do
    // finishes without awaiting anything, and must still leave `running` empty behind it
    this.running = Promise.resolve()
      .then(() => this.pass())
      .catch((error) => console.error("[webhooks] dispatcher pass failed:", error))
      .finally(() => {
        this.running = null;
      });
  }

  private async pass(): Promise<void> {
    do {
      this.again = false;
      const scanned = this.enqueue();
      if (scanned === SCAN_BATCH) this.again = true;
      if (scanned > 0 || this.deliveriesDue) {
        this.deliveriesDue = false;
        await this.deliverDue();
      }
    } while (this.again);
  }

  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** One full pass, awaited. */
  async run(): Promise<void> {
    this.kick();
    await this.idle();
  }

  /** Queues a delivery for every subscribed event past each webhook's cursor. Returns the activity rows scanned. */
  enqueue(): number {
    const db = this.deps.db;
    const now = this.deps.clock.now().toISOString();
    // most writes concern companies without webhooks: a read tells, without taking the write lock
    if (!db.prepare(`SELECT 1 FROM webhooks w JOIN companies c ON c.id = w.company_id WHERE w.deleted_at IS NULL AND w.cursor_seq < c.last_seq LIMIT 1`).get()) return 0;
    return inTransaction(db, () => {
      const hooks = db
        .prepare(
          `SELECT w.id, w.company_id, w.events, w.cursor_seq FROM webhooks w JOIN companies c ON c.id = w.company_id
           WHERE w.deleted_at IS NULL AND w.cursor_seq < c.last_seq`,
        )
        .all() as { id: string; company_id: string; events: string; cursor_seq: number }[];
      const readActivity = db.prepare(
        `SELECT seq, at, actor_id, action, record_kind, record_id, record_date, after_json FROM activity
         WHERE company_id = ? AND seq > ? ORDER BY seq LIMIT ${SCAN_BATCH}`,
      );
      const insert = db.prepare(
        `INSERT OR IGNORE INTO webhook_deliveries (id, webhook_id, company_id, event, activity_seq, payload, status, created_at, next_attempt_at)
         VALUES (?, ?, ?, ?, ?, ?, 'pending', ?, ?)`,
      );
      const moveCursor = db.prepare("UPDATE webhooks SET cursor_seq = ? WHERE id = ?");
      let scanned = 0;
      for (const hook of hooks) {
        const events = new Set(JSON.parse(hook.events) as string[]);
        const rows = readActivity.all(hook.company_id, hook.cursor_seq) as ActivityForHook[];
        for (const row of rows) {
          const event = webhookEventOf(row.action);
          if (!events.has(event)) continue;
          const id = newId();
          insert.run(id, hook.id, hook.company_id, event, row.seq, this.payload(id, event, hook.company_id, row), now, now);
        }
        if (rows.length > 0) moveCursor.run(rows.at(-1)!.seq, hook.id);
        scanned = Math.max(scanned, rows.length);
      }
      return scanned;
    });
  }

  private payload(deliveryId: string, event: string, companyId: string, row: ActivityForHook): string {
    const base = `${this.deps.config.publicUrl}/api/v1/companies/${encodeURIComponent(companyId)}`;
    const url =
      row.record_kind === "invoice" || row.record_kind === "credit_note"
        ? `${base}/invoices/${encodeURIComponent(row.record_id)}`
        : row.record_kind === "payment"
          ? `${base}/payments/${encodeURIComponent(row.record_id)}`
          : null;
    return JSON.stringify({
      id: deliveryId,
      event,
      companyId,
      seq: row.seq,
      occurredAt: row.at,
      actorId: row.actor_id,
      data: {
        action: row.action,
        kind: row.record_kind,
        id: row.record_id,
        date: row.record_date,
        details: row.after_json ? (JSON.parse(row.after_json) as unknown) : null,
        ...(url ? { url } : {}),
      },
    });
  }

  /** Sends every delivery whose attempt is due. Returns how many were attempted. */
  async deliverDue(): Promise<number> {
    let attempted = 0;
    for (;;) {
      const due = this.claimDue();
      if (due.length === 0) return attempted;
      await Promise.all(due.map((d) => this.attempt(d)));
      attempted += due.length;
    }
  }

  /**
   * Takes the deliveries due for this process: in one write transaction, those due are read and
   * leased (their next attempt moved past the lease), so a dispatcher running in another process
   * sharing the database never sends them too. The attempt's outcome replaces the lease; a process
   * that dies mid-attempt leaves it to expire, and the delivery is attempted again after it.
   */
  private claimDue(): DueDelivery[] {
    const db = this.deps.db;
    return inTransaction(db, () => {
      const now = this.deps.clock.now();
      const due = db
        .prepare(
          `SELECT d.id, d.payload, d.attempts, d.created_at, d.event, w.url, w.secret_sealed,
                  EXISTS (SELECT 1 FROM memberships m WHERE m.company_id = w.company_id AND m.user_id = w.created_by) AS creator_member
           FROM webhook_deliveries d JOIN webhooks w ON w.id = d.webhook_id
           WHERE d.status IN ('pending', 'retrying') AND d.next_attempt_at <= ? AND w.deleted_at IS NULL
           ORDER BY d.next_attempt_at, d.pk LIMIT ?`,
        )
        .all(now.toISOString(), this.options.concurrency ?? 8) as DueDelivery[];
      if (due.length === 0) return due;
      const leasedUntil = new Date(now.getTime() + (this.options.timeoutMs ?? 10_000) + WEBHOOK_LEASE_MARGIN_MS).toISOString();
      db.prepare("UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id IN (SELECT value FROM json_each(?))").run(leasedUntil, JSON.stringify(due.map((d) => d.id)));
      return due;
    });
  }

  private async attempt(delivery: DueDelivery): Promise<void> {
    const db = this.deps.db;
    if (!delivery.creator_member) {
      db.prepare(
        "UPDATE webhook_deliveries SET status = 'cancelled', next_attempt_at = NULL, last_error = 'the webhook owner no longer has access to the company' WHERE id = ?",
      ).run(delivery.id);
      return;
    }
    const started = this.deps.clock.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    let refused = false;
    try {
      const secret = unseal(this.deps.config, delivery.secret_sealed);
      const timestamp = String(Math.floor(started.getTime() / 1000));
      const url = new URL(delivery.url);
      const addresses = await resolveTarget(url, {
        resolve: this.options.resolve ?? systemResolver,
        allowInternal: this.deps.config.webhooksAllowPrivateTargets,
      });
      statusCode = await postTo(url, addresses, {
        timeoutMs: this.options.timeoutMs ?? 10_000,
        headers: {
          "content-type": "application/json",
          "user-agent": `Passerelle-Webhooks/${VERSION}`,
          "x-passerelle-event": delivery.event,
          "x-passerelle-delivery": delivery.id,
          "x-passerelle-timestamp": timestamp,
          "x-passerelle-signature": webhookSignature(secret, timestamp, delivery.payload),
        },
        body: delivery.payload,
      });
      if (statusCode < 200 || statusCode > 299) error = `the receiver answered HTTP ${statusCode}`;
    } catch (e) {
      refused = e instanceof InternalTargetError;
      error = e instanceof Error ? e.message : String(e);
    }
    const now = this.deps.clock.now();
    const attempts = delivery.attempts + 1;
    if (error === null) {
      db.prepare(
        `UPDATE webhook_deliveries SET status = 'delivered', attempts = ?, last_attempt_at = ?, next_attempt_at = NULL,
           last_status_code = ?, last_error = NULL, delivered_at = ? WHERE id = ?`,
      ).run(attempts, now.toISOString(), statusCode, now.toISOString(), delivery.id);
      return;
    }
    const next = now.getTime() + webhookRetryDelay(attempts);
    // an internal target stays internal: retrying would only knock on it again
    const giveUp = refused || next > Date.parse(delivery.created_at) + WEBHOOK_RETRY_WINDOW_MS;
    db.prepare(
      `UPDATE webhook_deliveries SET status = ?, attempts = ?, last_attempt_at = ?, next_attempt_at = ?, last_status_code = ?, last_error = ?
       WHERE id = ?`,
    ).run(giveUp ? "failed" : "retrying", attempts, now.toISOString(), giveUp ? null : new Date(next).toISOString(), statusCode, error.slice(0, 500), delivery.id);
  }
}
