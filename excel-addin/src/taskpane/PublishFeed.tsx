import { useState } from "preact/hooks";
import type { JournalQuery, JournalQueryPeriod } from "@passerelle/shared";
import type { PasserelleClient } from "@passerelle/shared/client";
import { formatDateFr } from "@passerelle/shared/format";
import { ROLLING_PERIODS } from "@passerelle/shared/periods";
import type { SavedTable } from "../excel/saved-tables.js";
import { feedKey, publishTable } from "../api/journal-feeds.js";
import { explain } from "./errors.js";
import type { Strings } from "./i18n.js";

/** « Publier comme flux » on a journal table: its query saved on the server, the feed's address and a read-only key to copy. */
export function PublishFeed(props: { t: Strings; client: PasserelleClient; table: SavedTable; onPublished: () => void; onSignedOut: () => void }) {
  const { t, client, table } = props;
  const f = t.feed;
  const [open, setOpen] = useState(false);
  const [period, setPeriod] = useState<JournalQueryPeriod>("fixed");
  const [published, setPublished] = useState<JournalQuery | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(work: () => Promise<void>) {
    setBusy(true);
    setMessage(null);
    try {
      await work();
    } catch (e) {
      const x = explain(e, t);
      setMessage({ text: x.message, error: true });
      if (x.signedOut) props.onSignedOut();
    } finally {
      setBusy(false);
    }
  }

  async function copy(text: string, input: HTMLInputElement | null) {
    input?.select();
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      // Office's web views may refuse the clipboard API: the selected text copies the old way
      document.execCommand("copy");
    }
    setMessage({ text: f.copied, error: false });
  }

  if (table.view !== "journal") return null;
  if (!open) return <button type="button" onClick={() => setOpen(true)}>{f.publish}</button>;
  const { from, to } = table.filters;
  const dates = from && to ? f.tableDates(formatDateFr(from), formatDateFr(to)) : f.tableDatesAll;
  return (
    <div class="publish-feed" aria-label={f.publish}>
      {!published ? (
        <form onSubmit={(e) => (e.preventDefault(), void run(async () => (setPublished(await publishTable(client, table, period)), props.onPublished())))}>
          <label>{f.period}
            <select name="feed-period" value={period} onChange={(e) => setPeriod(e.currentTarget.value as JournalQueryPeriod)}>
              <option value="fixed">{dates}</option>
              {ROLLING_PERIODS.map((p) => <option value={p} key={p}>{f.periods[p]}</option>)}
            </select>
          </label>
          <button class="primary" type="submit" disabled={busy}>{f.confirm}</button>
        </form>
      ) : (
        <>
          <label>{f.url}
            <span class="row">
              <input name="feed-url" readOnly value={published.csvUrl} onFocus={(e) => e.currentTarget.select()} />
              <button type="button" onClick={(e) => void copy(published.csvUrl, e.currentTarget.previousElementSibling as HTMLInputElement)}>{f.copy}</button>
            </span>
          </label>
          {secret ? (
            <label>{f.key}
              <span class="row">
                <input name="feed-key" readOnly value={secret} onFocus={(e) => e.currentTarget.select()} />
                <button type="button" onClick={(e) => void copy(secret, e.currentTarget.previousElementSibling as HTMLInputElement)}>{f.copy}</button>
              </span>
            </label>
          ) : (
            <button type="button" disabled={busy} onClick={() => void run(async () => setSecret((await feedKey(client, table)).secret))}>{f.createKey}</button>
          )}
          <ol class="muted steps">
            {f.steps.map((s) => <li key={s}>{s}</li>)}
          </ol>
        </>
      )}
      {message && <p class={message.error ? "error" : "ok"} role={message.error ? "alert" : "status"}>{message.text}</p>}
    </div>
  );
}
