/**
 * Automatic reminders: for each company that turned them on, every overdue invoice past a level's
 * day gets the highest such level, unless it has that level or a later one already. Never for a
 * paid, credited or disputed invoice, nor without the customer's e-mail address. Each is recorded
 * under the unique index of automatic reminders (migration 014) before it is attempted, so several
 * processes and restarts send it once; its delivery and retries are a sending's.
 */
import { daysBetween, type ReminderLevel } from "@passerelle/shared";
import type { Deps } from "../context.js";
import { today as businessDay } from "../clock.js";
import { OVERDUE_SQL } from "./reminders.js";
import { recordAutomaticReminder } from "./invoice-sendings.js";
import { attemptSending, newClaim, SENDING_LEASE_MS } from "./invoice-sending-delivery.js";

interface CompanySettings {
  company_id: string;
  level1_days: number;
  level2_days: number;
  level3_days: number;
  updated_by: string;
}

interface Candidate {
  id: string;
  due_date: string;
  reminded_level: number | null;
}

/** The highest level whose day after the due date has come, or null. */
export function reminderLevelDue(daysLate: number, days: readonly [number, number, number]): ReminderLevel | null {
  if (daysLate >= days[2]) return 3;
  if (daysLate >= days[1]) return 2;
  if (daysLate >= days[0]) return 1;
  return null;
}

/** Records and attempts every automatic reminder that is due; returns how many this process recorded. */
export async function sendDueReminders(deps: Deps): Promise<number> {
  const today = businessDay(deps.clock, deps.config.timeZone);
  const companies = deps.db
    .prepare("SELECT company_id, level1_days, level2_days, level3_days, updated_by FROM reminder_settings WHERE automatic = 1 ORDER BY company_id")
    .all() as CompanySettings[];
  let recorded = 0;
  for (const company of companies) {
    const days = [company.level1_days, company.level2_days, company.level3_days] as const;
    const candidates = deps.db
      .prepare(
        `SELECT i.id, i.due_date,
           (SELECT MAX(s.reminder_level) FROM invoice_sendings s WHERE s.company_id = i.company_id AND s.invoice_id = i.id AND s.reminder_level IS NOT NULL) AS reminded_level
         FROM invoices i JOIN customers c ON c.id = i.customer_id AND c.company_id = i.company_id
         WHERE i.company_id = @companyId AND ${OVERDUE_SQL} AND i.due_date <= date(@today, @firstDay)
           AND c.email IS NOT NULL
           AND NOT EXISTS (SELECT 1 FROM invoice_disputes d WHERE d.invoice_id = i.id AND d.lifted_at IS NULL)
         ORDER BY i.due_date, i.number`,
      )
      .all({ companyId: company.company_id, today, firstDay: `-${days[0]} days` }) as Candidate[];
    for (const invoice of candidates) {
      const level = reminderLevelDue(daysBetween(invoice.due_date, today), days);
      if (level === null || (invoice.reminded_level !== null && invoice.reminded_level >= level)) continue;
      const claim = newClaim();
      const ctx = { db: deps.db, clock: deps.clock, config: deps.config, actorId: company.updated_by };
      const id = recordAutomaticReminder(ctx, company.company_id, invoice.id, level, today, claim, new Date(deps.clock.now().getTime() + SENDING_LEASE_MS));
      if (id === null) continue;
      recorded++;
      await attemptSending(deps, id, claim);
    }
  }
  return recorded;
}
