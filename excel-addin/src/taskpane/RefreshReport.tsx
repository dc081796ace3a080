/** What "Tout actualiser" did, table by table: refreshed with its rows, or why it failed, in a sentence. */
import { explain } from "./errors.js";
import type { Strings } from "./i18n.js";
import type { TableOutcome } from "./refresh-all.js";

export function RefreshReport({ t, outcomes, onClose }: { t: Strings; outcomes: TableOutcome[]; onClose: () => void }) {
  const failed = outcomes.filter((o) => !o.ok).length;
  return (
    <section class="card report" aria-label={t.report.title} data-testid="refresh-report">
      <h2>{t.report.title}</h2>
      <p class={failed ? "error" : "ok"} role={failed ? "alert" : "status"}>{t.report.summary(outcomes.length - failed, failed)}</p>
      <ul class="tables">
        {outcomes.map((o) => (
          <li key={o.tableName} data-table={o.tableName} data-ok={String(o.ok)}>
            {/* the sheet's name is the accountant's word for the table; its Excel name stays in data-table */}
            <strong>{o.sheetName}</strong>
            <span class={o.ok ? "" : "failed"}>{o.ok ? t.report.refreshed(t.rows(o.rows)) : t.report.failed(explain(o.error, t).message)}</span>
          </li>
        ))}
      </ul>
      <button type="button" onClick={onClose}>{t.report.close}</button>
    </section>
  );
}
