/**
 * Closing a fiscal year for good, apart from the routine locks: the end of the last fiscal year is
 * proposed, and the button only works once the user has typed that year.
 */
import { useState } from "preact/hooks";
import type { Company, LockStateOut } from "@passerelle/shared";
import type { PasserelleClient } from "@passerelle/shared/client";
import { addDays } from "@passerelle/shared/dates";
import { formatDateFr } from "@passerelle/shared/format";
import { lockPeriod } from "../api/data.js";
import { DateField } from "./DateField.js";
import { explain } from "./errors.js";
import { presetRange, todayLocal } from "./periods.js";
import type { Strings } from "./i18n.js";

export function HardClose(props: {
  t: Strings;
  client: PasserelleClient;
  company: Company;
  state: LockStateOut;
  onClosed: (state: LockStateOut) => void;
  onSignedOut: () => void;
}) {
  const { t, client, company, state } = props;
  const [until, setUntil] = useState(() => presetRange("lastYear", todayLocal(), company.fiscalYearStart).to);
  const [typed, setTyped] = useState("");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  const year = until ? until.slice(0, 4) : "";
  // the year's last day: the day before the fiscal year start (MM-DD)
  const yearEnd = addDays(`2001-${company.fiscalYearStart}`, -1).slice(5);
  const untilError = !until
    ? null
    : until.slice(5) !== yearEnd
      ? t.hardNotYearEnd(`${yearEnd.slice(3)}/${yearEnd.slice(0, 2)}`)
      : state.hardUntil && until <= state.hardUntil
        ? t.hardNotAfter(formatDateFr(state.hardUntil))
        : null;
  const ready = !!until && !untilError && typed.trim() === year && !busy;

  async function close(event: Event) {
    event.preventDefault();
    if (!ready) return;
    setBusy(true);
    setMessage(null);
    try {
      const next = await lockPeriod(client, company.id, until, "hard");
      setTyped("");
      props.onClosed(next);
      setMessage({ text: t.hardClosed(formatDateFr(next.hardUntil ?? until)), error: false });
    } catch (e) {
      const x = explain(e, t);
      setMessage({ text: x.message, error: true });
      if (x.signedOut) props.onSignedOut();
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="card danger-zone" aria-label={t.hardTitle}>
      <h2>{t.hardTitle}</h2>
      <p class="muted">{t.hardHelp}</p>
      <form onSubmit={close}>
        <DateField t={t} label={t.hardEnd} name="hardUntil" required value={until} error={untilError} onChange={(iso) => (setUntil(iso), setTyped(""))} />
        {year && !untilError && (
          <label class="field">
            {t.hardTypeYear(year)}
            <input name="hardYear" inputMode="numeric" autoComplete="off" maxLength={4} value={typed} onInput={(e) => setTyped(e.currentTarget.value)} />
          </label>
        )}
        <button class="danger" type="submit" disabled={!ready}>{t.hardConfirm}</button>
      </form>
      {message && <p class={message.error ? "error" : "ok"} role={message.error ? "alert" : "status"}>{message.text}</p>}
    </section>
  );
}
