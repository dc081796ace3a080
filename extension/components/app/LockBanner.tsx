import type { LockStateOut } from "@passerelle/shared";
import { formatDateFr } from "../../lib/format";
import { t } from "../../lib/i18n";

/** The lock in force, always in sight: nothing dated on or before it can be issued, paid or credited. */
export function LockBanner(props: { lock: LockStateOut | null; lockedUntil: string | null | undefined }) {
  const until = props.lock?.lockedUntil ?? props.lockedUntil ?? null;
  if (!until) return null;
  const last = props.lock?.history.find((h) => h.action === "lock");
  const kind = props.lock?.kind === "hard" ? t("appLockHard") : t("appLockSoft");
  return (
    <p class="lock-banner" role="note" data-testid="lock-banner">
      {t("appLockedUntil", formatDateFr(until))} · {kind}
      {last ? ` · ${t("appLockedBy", last.by.name)}` : ""}
    </p>
  );
}
