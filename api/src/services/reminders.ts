/**
 * Overdue invoices and what stops reminding them: the overdue list with each invoice's days late
 * and last reminder, the dispute an owner opens and lifts, and the company's reminder settings.
 */
import { daysBetween, DEFAULT_REMINDER_DAYS, type Dispute, type DisputeInput, type OverdueInvoice, type OverdueList, type OverdueSort, type ReminderLevel, type ReminderSettings, type ReminderSettingsInput } from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import type { UseCaseContext } from "../context.js";
import { inTransaction } from "../db/connection.js";
import { FROZEN_IDENTITIES, invoiceRow } from "../db/invoices.js";
import { conflict } from "../http/problem.js";
import { recordActivity } from "./activity.js";

/** Issued invoices with something still due and a due date before `today`. */
export const OVERDUE_SQL = `i.type = 'invoice' AND i.status IN ('issued', 'partially_paid') AND i.ttc_cents - i.paid_cents - i.credited_cents > 0
  AND i.due_date IS NOT NULL AND i.due_date < @today`;

interface OverdueRow {
  id: string;
  number: string;
  customer_id: string;
  customer_snapshot: string;
  issue_date: string;
  due_date: string;
  ttc_cents: number;
  due_cents: number;
  disputed: number;
  reminder_level: ReminderLevel | null;
  reminder_at: string | null;
  reminder_automatic: number | null;
}

const ORDER: Record<OverdueSort, string> = {
  dueDate: "i.due_date, i.number",
  amountDue: "due_cents DESC, i.due_date, i.number",
};

/** The company's overdue invoices, oldest due date first (or most still due first), with their totals. */
export function overdueInvoices(db: Db, companyId: string, today: string, sort: OverdueSort = "dueDate"): OverdueList {
  const rows = db
    .prepare(
      `SELECT i.id, i.number, i.customer_id, fc.json AS customer_snapshot, i.issue_date, i.due_date, i.ttc_cents,
         i.ttc_cents - i.paid_cents - i.credited_cents AS due_cents,
         EXISTS (SELECT 1 FROM invoice_disputes d WHERE d.invoice_id = i.id AND d.lifted_at IS NULL) AS disputed,
         r.reminder_level, r.created_at AS reminder_at, r.automatic AS reminder_automatic
       FROM invoices i ${FROZEN_IDENTITIES.CUSTOMER_JOIN}
       LEFT JOIN invoice_sendings r ON r.pk = (
         SELECT s.pk FROM invoice_sendings s WHERE s.company_id = i.company_id AND s.invoice_id = i.id AND s.reminder_level IS NOT NULL
         ORDER BY s.created_at DESC, s.pk DESC LIMIT 1)
       WHERE i.company_id = @companyId AND ${OVERDUE_SQL}
       ORDER BY ${ORDER[sort]}`,
    )
    .all({ companyId, today }) as OverdueRow[];
  const items = rows.map((r): OverdueInvoice => {
    const customer = JSON.parse(r.customer_snapshot) as { code: string; name: string };
    return {
      id: r.id,
      number: r.number,
      customer: { id: r.customer_id, code: customer.code, name: customer.name },
      issueDate: r.issue_date,
      dueDate: r.due_date,
      ttcCents: r.ttc_cents,
      dueCents: r.due_cents,
      daysLate: daysBetween(r.due_date, today),
      disputed: r.disputed === 1,
      lastReminder: r.reminder_level === null ? null : { level: r.reminder_level, at: r.reminder_at!, automatic: r.reminder_automatic === 1 },
    };
  });
  return { items, totals: { count: items.length, dueCents: items.reduce((sum, i) => sum + i.dueCents, 0) } };
}

interface DisputeRow {
  reason: string | null;
  opened_at: string;
  opened_by: string;
  opened_by_name: string;
  lifted_at: string | null;
  lifted_by: string | null;
  lifted_by_name: string | null;
}

/** Where the invoice's latest dispute stands: open, lifted, or none ever. */
export function invoiceDispute(db: Db, companyId: string, invoiceId: string): Dispute {
  invoiceRow(db, companyId, invoiceId);
  const row = db
    .prepare(
      `SELECT d.reason, d.opened_at, d.opened_by, o.name AS opened_by_name, d.lifted_at, d.lifted_by, l.name AS lifted_by_name
       FROM invoice_disputes d JOIN users o ON o.id = d.opened_by LEFT JOIN users l ON l.id = d.lifted_by
       WHERE d.company_id = ? AND d.invoice_id = ? ORDER BY d.pk DESC LIMIT 1`,
    )
    .get(companyId, invoiceId) as DisputeRow | undefined;
  if (!row) return { invoiceId, disputed: false, reason: null, since: null, by: null };
  if (row.lifted_at === null) return { invoiceId, disputed: true, reason: row.reason, since: row.opened_at, by: { id: row.opened_by, name: row.opened_by_name } };
  return { invoiceId, disputed: false, reason: row.reason, since: row.lifted_at, by: { id: row.lifted_by!, name: row.lifted_by_name! } };
}

/** Marks an issued invoice disputed, or lifts its dispute; asking for the state it is in already changes nothing. */
export function setDispute(ctx: UseCaseContext, companyId: string, invoiceId: string, input: DisputeInput): Dispute {
  return inTransaction(ctx.db, () => {
    const row = invoiceRow(ctx.db, companyId, invoiceId);
    if (row.type !== "invoice" || row.status === "draft") throw conflict("Only an issued invoice can be disputed.");
    const before = invoiceDispute(ctx.db, companyId, invoiceId);
    if (before.disputed === input.disputed) return before;
    const now = ctx.clock.now().toISOString();
    if (input.disputed) {
      ctx.db
        .prepare("INSERT INTO invoice_disputes (company_id, invoice_id, reason, opened_at, opened_by) VALUES (?, ?, ?, ?, ?)")
        .run(companyId, invoiceId, input.reason ?? null, now, ctx.actorId);
    } else {
      ctx.db.prepare("UPDATE invoice_disputes SET lifted_at = ?, lifted_by = ? WHERE company_id = ? AND invoice_id = ? AND lifted_at IS NULL").run(now, ctx.actorId, companyId, invoiceId);
    }
    const after = invoiceDispute(ctx.db, companyId, invoiceId);
    recordActivity(ctx.db, ctx.clock.now(), {
      companyId,
      actorId: ctx.actorId,
      action: input.disputed ? "invoice.disputed" : "invoice.dispute_lifted",
      recordKind: "invoice",
      recordId: invoiceId,
      recordDate: row.issue_date,
      before: { disputed: before.disputed },
      after: { disputed: after.disputed, reason: after.reason },
    });
    return after;
  });
}

interface SettingsRow {
  automatic: number;
  level1_days: number;
  level2_days: number;
  level3_days: number;
  updated_at: string;
  updated_by: string;
  updated_by_name: string;
}

export function reminderSettings(db: Db, companyId: string): ReminderSettings {
  const row = db
    .prepare("SELECT r.*, u.name AS updated_by_name FROM reminder_settings r JOIN users u ON u.id = r.updated_by WHERE r.company_id = ?")
    .get(companyId) as SettingsRow | undefined;
  if (!row) return { automatic: false, days: [...DEFAULT_REMINDER_DAYS], updatedBy: null, updatedAt: null };
  return {
    automatic: row.automatic === 1,
    days: [row.level1_days, row.level2_days, row.level3_days],
    updatedBy: { id: row.updated_by, name: row.updated_by_name },
    updatedAt: row.updated_at,
  };
}

export function saveReminderSettings(ctx: UseCaseContext, companyId: string, input: ReminderSettingsInput): ReminderSettings {
  return inTransaction(ctx.db, () => {
    const before = reminderSettings(ctx.db, companyId);
    const [d1, d2, d3] = input.days;
    const now = ctx.clock.now();
    ctx.db
      .prepare(
        `INSERT INTO reminder_settings (company_id, automatic, level1_days, level2_days, level3_days, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (company_id) DO UPDATE SET automatic = excluded.automatic, level1_days = excluded.level1_days, level2_days = excluded.level2_days,
           level3_days = excluded.level3_days, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
      )
      .run(companyId, input.automatic ? 1 : 0, d1, d2, d3, now.toISOString(), ctx.actorId);
    recordActivity(ctx.db, now, {
      companyId,
      actorId: ctx.actorId,
      action: "reminder_settings.updated",
      recordKind: "reminder_settings",
      recordId: companyId,
      before: { automatic: before.automatic, days: before.days },
      after: { automatic: input.automatic, days: input.days },
    });
    return reminderSettings(ctx.db, companyId);
  });
}
