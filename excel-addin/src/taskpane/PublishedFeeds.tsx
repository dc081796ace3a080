import { useEffect, useState } from "preact/hooks";
import type { Company, JournalQuery } from "@passerelle/shared";
import type { PasserelleClient } from "@passerelle/shared/client";
import { formatDateFr } from "@passerelle/shared/format";
import { explain } from "./errors.js";
import type { Strings } from "./i18n.js";

/** The company's published feeds: each one's period and address; deleting one stops its feed at once. */
export function PublishedFeeds(props: { t: Strings; client: PasserelleClient; company: Company; version: number; onSignedOut: () => void }) {
  const { t, client, company } = props;
  const f = t.feed;
  const [feeds, setFeeds] = useState<JournalQuery[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const fail = (e: unknown) => {
    const x = explain(e, t);
    setMessage(x.message);
    if (x.signedOut) props.onSignedOut();
  };
  const load = () => client.listJournalQueries(company.id).then((r) => setFeeds(r.items), fail);
  useEffect(() => void load(), [company.id, props.version]);

  async function remove(feed: JournalQuery) {
    setMessage(null);
    try {
      await client.deleteJournalQuery(company.id, feed.id);
      await load();
    } catch (e) {
      fail(e);
    }
  }

  if (!feeds?.length && !message) return null;
  return (
    <section class="card" aria-label={f.published}>
      <h2>{f.published}</h2>
      <ul class="tables">
        {(feeds ?? []).map((q) => (
          <li key={q.id} data-feed={q.id}>
            <strong>{q.name}</strong>
            <span class="muted">
              {q.period === "fixed" ? (q.from && q.to ? `${formatDateFr(q.from)} – ${formatDateFr(q.to)}` : f.tableDatesAll) : f.periods[q.period]}
            </span>
            <input name="published-feed-url" readOnly value={q.csvUrl} onFocus={(e) => e.currentTarget.select()} />
            <button type="button" onClick={() => void remove(q)}>{f.remove}</button>
          </li>
        ))}
      </ul>
      {message && <p class="error" role="alert">{message}</p>}
    </section>
  );
}
