import { useEffect, useState } from "preact/hooks";
import type { Company, JournalTotals, LockStateOut } from "@passerelle/shared";
import type { PasserelleClient } from "@passerelle/shared/client";
import { addDays } from "@passerelle/shared/dates";
import { formatDateFr, formatEuros } from "@passerelle/shared/format";
import { getLocks, lockPeriod, reopenPeriod } from "../api/data.js";
import { DateField } from "./DateField.js";
import { HardClose } from "./HardClose.js";
import { explain } from "./errors.js";
import type { Strings } from "./i18n.js";

export function LockPanel(props: { t: Strings; client: PasserelleClient; company: Company; onChanged: (state: LockStateOut) => void; onSignedOut: () => void }) {
  const { t, client, company } = props;
  const [state, setState] = useState<LockStateOut | null>(null);
  const [until, setUntil] = useState("");
  const [preview, setPreview] = useState<{ from: string | null; to: string; totals: JournalTotals } | null>(null);
  const [reopenTo, setReopenTo] = useState("");
  const [reason, setReason] = useState("");
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  const fail = (e: unknown) => {
    const x = explain(e, t);
    setMessage({ text: x.message, error: true });
    if (x.signedOut) props.onSignedOut();
  };

  useEffect(() => {
    getLocks(client, company.id).then((current) => {
      setState(current);
      // locked or reopened since the list of companies was read
      if (current.lockedUntil !== company.lockedUntil) props.onChanged(current);
    }, fail);
  }, [company.id]);

  // refused before sending: a lock only moves forward, a reopening only back (never before a hard close)
  const untilError = until && state?.lockedUntil && until <= state.lockedUntil ? t.lockNotAfter(formatDateFr(state.lockedUntil)) : null;
  const reopenError =
    reopenTo && state?.hardUntil && reopenTo < state.hardUntil
      ? t.reopenNotHard(formatDateFr(state.hardUntil))
      : reopenTo && state?.lockedUntil && reopenTo >= state.lockedUntil
        ? t.reopenNotBefore(formatDateFr(state.lockedUntil))
        : null;

  async function showPreview(event: Event) {
    event.preventDefault();
    if (!until || untilError) return;
    setMessage(null);
    setBusy(true);
    try {
      const from = state?.lockedUntil ? addDays(state.lockedUntil, 1) : null;
      // one row is enough: the totals cover the whole filter
      const page = await client.request<{ totals: JournalTotals }>("GET", `/companies/${encodeURIComponent(company.id)}/sales-journal`, {
        query: { ...(from ? { from } : {}), to: until, limit: 1 },
      });
      setPreview({ from, to: until, totals: page.totals });
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  }

  async function confirm() {
    setBusy(true);
    try {
      const next = await lockPeriod(client, company.id, until, "soft");
      setState(next);
      setPreview(null);
      setUntil("");
      setMessage({ text: t.locked(formatDateFr(next.lockedUntil ?? until)), error: false });
      props.onChanged(next);
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  }

  async function reopen(event: Event) {
    event.preventDefault();
    if (reopenError) return;
    setBusy(true);
    try {
      const next = await reopenPeriod(client, company.id, reopenTo || null, reason);
      setState(next);
      setReason("");
      setMessage({ text: t.reopened, error: false });
      props.onChanged(next);
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
    <section class="card" aria-label={t.lockTitle}>
      <h2>{t.lockTitle}</h2>
      <p data-testid="lock-state">
        <strong>{t.lockState} :</strong>{" "}
        {state?.lockedUntil ? `${t.lockedUntil} ${formatDateFr(state.lockedUntil)} (${state.kind === "hard" ? t.hard : t.soft})` : t.notLocked}
        {state?.hardUntil && <> · {t.hardUntil} {formatDateFr(state.hardUntil)}</>}
      </p>
      {company.role !== "accountant" && <p class="muted">{t.accountantsOnly}</p>}
      {company.role === "accountant" && <form onSubmit={showPreview}>
        <DateField t={t} label={t.lockEnd} name="lockUntil" required value={until} error={untilError} onChange={(iso) => (setUntil(iso), setPreview(null))} />
        <button type="submit" disabled={busy || !until || !!untilError}>{t.preview}</button>
      </form>}
      {preview && (
        <div class="preview" data-testid="lock-preview">
          <p>{t.willLock(preview.from ? formatDateFr(preview.from) : t.fromStart, formatDateFr(preview.to), preview.totals.count)}</p>
          <p>{t.totals} : HT {formatEuros(preview.totals.htCents)} · TVA {formatEuros(preview.totals.vatCents)} · TTC {formatEuros(preview.totals.ttcCents)}</p>
          <button class="primary" type="button" onClick={confirm} disabled={busy || !!untilError}>{t.confirmLock}</button>
        </div>
      )}
      {company.role === "accountant" && state?.lockedUntil && state.kind === "soft" && (
        <form onSubmit={reopen}>
          <h3>{t.reopenTitle}</h3>
          <DateField t={t} label={t.reopenTo} name="reopenTo" value={reopenTo} error={reopenError} onChange={setReopenTo} />
          <label>{t.reason}<textarea name="reason" required minLength={3} value={reason} onInput={(e) => setReason(e.currentTarget.value)} /></label>
          <button type="submit" disabled={busy || reason.trim().length < 3 || !!reopenError}>{t.reopen}</button>
        </form>
      )}
      {message && <p class={message.error ? "error" : "ok"} role={message.error ? "alert" : "status"}>{message.text}</p>}
    </section>
    {company.role === "accountant" && state && (
      <HardClose
        t={t}
        client={client}
        company={company}
        state={state}
        onSignedOut={props.onSignedOut}
        onClosed={(next) => {
          setState(next);
          setMessage(null);
          props.onChanged(next);
        }}
      />
    )}
    </>
  );
}
