/** Background work of a running server: webhook deliveries, retries of invitation and document e-mails, and backups. */
import type { Deps } from "./context.js";
import { WebhookDispatcher } from "./services/webhook-dispatcher.js";
import { retryDueInvitations } from "./services/invitation-delivery.js";
import { retryDueSendings } from "./services/invoice-sending-delivery.js";
import { startBackupSchedule } from "./backups/schedule.js";

export function startWorkers(deps: Deps, options: { pollMs?: number } = {}) {
  const webhooks = new WebhookDispatcher(deps, { pollMs: options.pollMs }).start();
  let mailRun: Promise<unknown> | null = null;
  const retryMail = () => {
    mailRun ??= Promise.all([retryDueInvitations(deps), retryDueSendings(deps)])
      .catch((error) => console.error("[mail] retry pass failed:", error))
      .finally(() => (mailRun = null));
  };
  const timer = setInterval(retryMail, options.pollMs ?? 15_000);
  timer.unref();
  retryMail();
  const backups = startBackupSchedule(deps);
  return {
    webhooks,
    async stop() {
      clearInterval(timer);
      await Promise.all([webhooks.stop(), mailRun, backups.stop()]);
    },
  };
}
