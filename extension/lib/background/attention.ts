/**
 * The toolbar badge: what deserves the owner's attention. A failed upload first ("!"), then
 * uploads in progress ("↑"), then the number of overdue invoices. The overdue count is refreshed
 * on a 30-minute alarm while signed in (alarms are batched by the browser and do not wake a
 * sleeping machine), when the popup opens and after sign-in — never on a busy loop.
 */
import { browser } from "wxt/browser";
import type { Invoice } from "@passerelle/shared";
import type { PasserelleClient } from "@passerelle/shared/client";
import { paymentState } from "@passerelle/shared/payment-state";
import { todayIn } from "@passerelle/shared/dates";
import { attentionItem, companyIdItem, uploadsItem, type Attention } from "../storage";
import { isActive, type Upload } from "../uploads";
import { ATTENTION_REFRESH_MINUTES, BUSINESS_TIME_ZONE } from "../config";
import { t } from "../i18n";
import type { BackgroundEnv } from "./env";
import type { Session } from "./session";

export const ATTENTION_ALARM = "attention";
const STALE_AFTER_MS = 5 * 60 * 1000;

export interface Badge {
  text: string;
  color: string;
  title: string;
}

export function badgeFor(attention: Attention | null, uploads: Upload[]): Badge {
  const failed = uploads.filter((u) => u.state === "failed").length;
  const active = uploads.filter(isActive).length;
  const overdue = attention?.overdueCount ?? 0;
  const name = t("extName");
  if (failed > 0) return { text: "!", color: "#b42318", title: `${name} — ${t("badgeFailedUploads", failed)}` };
  if (active > 0) return { text: "↑", color: "#1d4ed8", title: `${name} — ${t("badgeActiveUploads", active)}` };
  if (overdue > 0) return { text: overdue > 99 ? "99+" : String(overdue), color: "#c2410c", title: `${name} — ${t("badgeOverdue", overdue)}` };
  return { text: "", color: "#1d4ed8", title: name };
}

/** Counts overdue invoices: issued or partly paid, something still due, due date passed. */
export async function countOverdue(client: PasserelleClient, companyId: string, today: string): Promise<{ count: number; cents: number }> {
  let count = 0;
  let cents = 0;
  for (const status of ["issued", "partially_paid"] as const) {
    let cursor: string | undefined;
    do {
      const page = await client.listInvoices(companyId, { type: "invoice", status, limit: 500, cursor });
      for (const invoice of page.items as Invoice[]) {
        if (paymentState(invoice, today) === "overdue") {
          count += 1;
          cents += invoice.dueCents;
        }
      }
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }
  return { count, cents };
}

export function createAttention(env: BackgroundEnv, session: Session) {
  async function render(): Promise<void> {
    const badge = badgeFor(await attentionItem.getValue(), await uploadsItem.getValue());
    await browser.action.setBadgeText({ text: badge.text });
    await browser.action.setBadgeBackgroundColor({ color: badge.color });
    await browser.action.setTitle({ title: badge.title });
  }

  async function refresh(): Promise<void> {
    const companyId = await companyIdItem.getValue();
    const auth = await session.auth();
    if (!companyId || !auth) {
      await attentionItem.removeValue();
      return render();
    }
    const today = todayIn(BUSINESS_TIME_ZONE, env.now());
    const overdue = await session.call((client) => countOverdue(client, companyId, today));
    // Signed out, or switched company, while counting: the figure belongs to nobody now.
    if ((await session.auth())?.token !== auth.token || (await companyIdItem.getValue()) !== companyId) return;
    await attentionItem.setValue({ companyId, overdueCount: overdue.count, overdueCents: overdue.cents, checkedAt: env.now().getTime() });
    await render();
  }

  /** Refreshes only when the figure is older than a few minutes or belongs to another company. */
  async function refreshIfStale(): Promise<void> {
    const [current, companyId] = [await attentionItem.getValue(), await companyIdItem.getValue()];
    if (current && current.companyId === companyId && env.now().getTime() - current.checkedAt < STALE_AFTER_MS) return;
    await refresh();
  }

  async function schedule(): Promise<void> {
    await browser.alarms.create(ATTENTION_ALARM, { periodInMinutes: ATTENTION_REFRESH_MINUTES, delayInMinutes: ATTENTION_REFRESH_MINUTES });
  }

  async function stop(): Promise<void> {
    await browser.alarms.clear(ATTENTION_ALARM);
    await attentionItem.removeValue();
    await render();
  }

  return { render, refresh, refreshIfStale, schedule, stop };
}
