import { useEffect, useState } from "preact/hooks";
import type { Company, JournalTotals, LockStateOut } from "@passerelle/shared";
import type { PasserelleClient } from "@passerelle/shared/client";
import { addDays } from "@passerelle/shared/dates";
import { formatDateFr, formatEuros } from "@passerelle/shared/format";
import { getLocks, lockPeriod, reopenPeriod } from "../api/data.js";
import { explain } from "./errors.js";
import type { Strings } from "./i18n.js";

export function LockPanel(props: { t: Strings; client: PasserelleClient; company: Company; onChanged: (state: LockStateOut) => void; onSignedOut: () => void }) {
  const { t, client, company } = props;
  const [state, setState] = useState<LockStateOut | null>(null);
  const [until, setUntil] = useState("");
  const [kind, setKind] = useState<"soft" | "hard">("soft");
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

  async function showPreview(event: Event) {
    event.preventDefault();
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
      const next = await lockPeriod(client, company.id, until, kind);
      setState(next);
      setPreview(null);
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
    <section class="card" aria-label={t.lockTitle}>
      <h2>{t.lockTitle}</h2>
      <p data-testid="lock-state">
        <strong>{t.lockState} :</strong>{" "}
        {state?.lockedUntil ? `${t.lockedUntil} ${formatDateFr(state.lockedUntil)} (${state.kind === "hard" ? t.hard : t.soft})` : t.notLocked}
        {state?.hardUntil && <> · {t.hardUntil} {formatDateFr(state.hardUntil)}</>}
      </p>
      {company.role !== "accountant" && <p class="muted">{t.accountantsOnly}</p>}
      {company.role === "accountant" && <form onSubmit={showPreview}>
        <div class="row">
          <label>{t.lockEnd}<input type="date" name="lockUntil" required value={until} onInput={(e) => (setUntil(e.currentTarget.value), setPreview(null))} /></label>
          <label>{t.lockKind}
            <select name="lockKind" value={kind} onChange={(e) => setKind(e.currentTarget.value as "soft" | "hard")}>
              <option value="soft">{t.soft}</option>
              <option value="hard">{t.hard}</option>
            </select>
          </label>
        </div>
        <button type="submit" disabled={busy || !until}>{t.preview}</button>
      </form>}
      {preview && (
        <div class="preview" data-testid="lock-preview">
          <p>{t.willLock(preview.from ? formatDateFr(preview.from) : t.fromStart, formatDateFr(preview.to), preview.totals.count)}</p>
          <p>{t.totals} : HT {formatEuros(preview.totals.htCents)} · TVA {formatEuros(preview.totals.vatCents)} · TTC {formatEuros(preview.totals.ttcCents)}</p>
          <button class="primary" type="button" onClick={confirm} disabled={busy}>{t.confirmLock}</button>
        </div>
      )}
      {company.role === "accountant" && state?.lockedUntil && state.kind === "soft" && (
        <form onSubmit={reopen}>
          <h3>{t.reopenTitle}</h3>
          <label>{t.reopenTo}<input type="date" name="reopenTo" value={reopenTo} onInput={(e) => setReopenTo(e.currentTarget.value)} /></label>
          <label>{t.reason}<textarea name="reason" required minLength={3} value={reason} onInput={(e) => setReason(e.currentTarget.value)} /></label>
          <button type="submit" disabled={busy || reason.trim().length < 3}>{t.reopen}</button>
        </form>
      )}
      {message && <p class={message.error ? "error" : "ok"} role={message.error ? "alert" : "status"}>{message.text}</p>}
    </section>
  );
}
