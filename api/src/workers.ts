/** Background work of a running server: webhook deliveries, retries of invitation and document e-mails, automatic reminders, backups, and expired sessions removed. */
import type { Deps } from "./context.js";
import { WebhookDispatcher } from "./services/webhook-dispatcher.js";
import { retryDueInvitations } from "./services/invitation-delivery.js";
import { retryDueSendings } from "./services/invoice-sending-delivery.js";
import { sendDueReminders } from "./services/reminder-schedule.js";
import { startBackupSchedule } from "./backups/schedule.js";
import { purgeExpiredSessions } from "./auth/sessions.js";

/** Expired sessions can no longer sign anyone in; their rows go at start-up and every hour. */
const SESSION_PURGE_MS = 3600_000;

export function startWorkers(deps: Deps, options: { pollMs?: number } = {}) {
  const webhooks = new WebhookDispatcher(deps, { pollMs: options.pollMs }).start();
  let mailRun: Promise<unknown> | null = null;
  const retryMail = () => {
    // due reminders after the retries: a reminder recorded in this pass is attempted once in it
    mailRun ??= Promise.all([retryDueInvitations(deps), retryDueSendings(deps).then(() => sendDueReminders(deps))])
      .catch((error) => console.error("[mail] retry pass failed:", error))
      .finally(() => (mailRun = null));
  };
  const timer = setInterval(retryMail, options.pollMs ?? 15_000);
  timer.unref();
  retryMail();
  const purgeSessions = () => {
    try {
      purgeExpiredSessions(deps.db, deps.clock.now());
    } catch (error) {
      console.error("[sessions] purge failed:", error);
    }
  };
  const purgeTimer = setInterval(purgeSessions, SESSION_PURGE_MS);
  purgeTimer.unref();
  purgeSessions();
  const backups = startBackupSchedule(deps);
  return {
    webhooks,
    async stop() {
      clearInterval(timer);
      clearInterval(purgeTimer);
      await Promise.all([webhooks.stop(), mailRun, backups.stop()]);
    },
  };
}
