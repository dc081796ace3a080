import { useEffect, useState } from "preact/hooks";
import type { BatchLockOut, BatchLockResult, Company, ExportLogEntry, MonthEnd as MonthEndView } from "@passerelle/shared";
import type { PasserelleClient } from "@passerelle/shared/client";
import { formatDateFr, formatEuros } from "@passerelle/shared/format";
import { downloadExport, exportLog, lastRefreshes, loadMonthEnd, lockCompanies, type ExportFile } from "../api/month-end.js";
import { lastMonthEnd, presetRange, todayLocal } from "./periods.js";
import { PAGE_SIZE } from "./Portfolio.js";
import { explain } from "./errors.js";
import type { Strings } from "./i18n.js";

/**
 * Month-end across the portfolio: for a date, what stands in the way in each company; lock the
 * companies ticked to that date in one request (preview first), one result per company; the FEC
 * and the pack of a company downloaded from here, and its export log.
 */
export function MonthEnd(props: {
  t: Strings;
  client: PasserelleClient;
  companies: Company[];
  /** The tables of this workbook: a refresh counts as having seen the documents issued before it. */
  tables: { companyId: string; refreshedAt: string }[];
  onLocked: (locks: Map<string, string | null>) => void; onSignedOut: () => void }) {
  const { t, client, companies } = props;
  const m = t.monthEnd;
  const [date, setDate] = useState(() => lastMonthEnd(todayLocal()));
  const [view, setView] = useState<MonthEndView | null>(null);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [answer, setAnswer] = useState<BatchLockOut | null>(null);
  const [page, setPage] = useState(0);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);

  const fail = (e: unknown) => {
    const x = explain(e, t);
    setMessage({ text: x.message, error: true });
    if (x.signedOut) props.onSignedOut();
  };

  const refreshKey = [...lastRefreshes(props.tables)].sort().join(",");
  async function reload(at = date) {
    try {
      setView(await loadMonthEnd(client, at, lastRefreshes(props.tables)));
    } catch (e) {
      fail(e);
    }
  }
  useEffect(() => {
    setAnswer(null);
    void reload(date);
  }, [client, date, refreshKey]);

  async function lock(preview: boolean) {
    setBusy(true);
    setMessage(null);
    try {
      const out = await lockCompanies(client, date, [...picked], preview);
      setAnswer(out);
      setMessage({ text: m.summary(out.locked, out.refused, preview), error: false });
      if (!preview) {
        props.onLocked(new Map(out.items.filter((x) => x.outcome === "locked").map((x) => [x.companyId, x.lockedUntil])));
        await reload();
      }
    } catch (e) {
      fail(e);
    } finally {
      setBusy(false);
    }
  }

  const items = view?.items ?? [];
  const pages = Math.max(1, Math.ceil(items.length / PAGE_SIZE));
  const current = Math.min(page, pages - 1);
  const shown = items.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE);
  const results = new Map((answer?.items ?? []).map((x) => [x.companyId, x]));
  const toggle = (id: string, on: boolean) => {
    const next = new Set(picked);
    if (on) next.add(id);
    else next.delete(id);
    setPicked(next);
    setAnswer(null);
  };
  const lockable = items.filter((x) => x.role === "accountant");

  return (
    <section class="card month-end" aria-label={m.title}>
      <h2>{m.title}</h2>
      <label>
        {m.date}
        <input type="date" name="monthEndDate" required value={date} onInput={(e) => e.currentTarget.value && setDate(e.currentTarget.value)} />
      </label>
      {view && (
        <>
          <p class="muted" data-testid="month-end-status">
            {m.shown(items.length, items.length)} · {m.selected(picked.size)}
          </p>
          <label class="inline">
            <input
              type="checkbox"
              name="selectAll"
              checked={lockable.length > 0 && lockable.every((x) => picked.has(x.companyId))}
              onChange={(e) => (setPicked(e.currentTarget.checked ? new Set(lockable.map((x) => x.companyId)) : new Set()), setAnswer(null))}
            />
            {m.selectAll}
          </label>
          <table class="month-end-table">
            <thead>
              <tr>
                <th />
                <th>{m.company}</th>
                <th title={m.drafts}>{m.drafts}</th>
                <th title={m.issuedSinceHint}>{m.issuedSinceExport}</th>
                <th>{m.unpaid}</th>
                <th>{m.lock}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((x) => {
                const result = results.get(x.companyId);
                return [
                  <tr key={x.companyId} data-month-end={x.companyId}>
                    <td><input type="checkbox" aria-label={m.select(x.name)} checked={picked.has(x.companyId)} onChange={(e) => toggle(x.companyId, e.currentTarget.checked)} /></td>
                    <td>
                      <strong>{x.name}</strong>
                      <div class="muted">{x.lastExportAt ? m.exportedOn(new Date(x.lastExportAt).toLocaleDateString("fr-FR")) : m.neverExported}</div>
                      {x.lastRefreshAt && <div class="muted">{m.refreshedOn(new Date(x.lastRefreshAt).toLocaleDateString("fr-FR"))}</div>}
                    </td>
                    <td class="num" data-col="drafts">{x.drafts}</td>
                    <td class="num" data-col="issued">{x.issuedSinceExport}</td>
                    <td class="num" data-col="unpaid">{x.unpaidCount}{x.unpaidCount > 0 && <div class="muted">{formatEuros(x.unpaidCents)}</div>}</td>
                    <td data-col="lock">{x.lockedUntil ? formatDateFr(x.lockedUntil) : m.none}</td>
                  </tr>,
                  result && (
                    <tr key={`${x.companyId}-result`} class="result-row">
                      <td />
                      <td colSpan={5} class={result.outcome === "refused" ? "error" : result.outcome === "locked" ? "ok" : "preview"} data-result={x.companyId}>
                        {describe(m, result)}
                      </td>
                    </tr>
                  ),
                ];
              })}
            </tbody>
          </table>
          {[...results.values()]
            .filter((r) => !items.some((x) => x.companyId === r.companyId))
            .map((r) => <p class="error" key={r.companyId} data-result={r.companyId}>{describe(m, r)}</p>)}
          {pages > 1 && (
            <nav class="pager">
              <button type="button" disabled={current === 0} onClick={() => setPage(current - 1)}>{t.previous}</button>
              <span class="muted">{t.pageOf(current + 1, pages)}</span>
              <button type="button" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>{t.next}</button>
            </nav>
          )}
          <div class="row">
            <button type="button" disabled={busy || picked.size === 0} onClick={() => void lock(true)}>{m.preview}</button>
            <button type="button" class="primary" disabled={busy || picked.size === 0 || answer?.preview !== true} onClick={() => void lock(false)}>
              {m.lockSelected(picked.size, formatDateFr(date))}
            </button>
          </div>
        </>
      )}
      {message && <p class={message.error ? "error" : "ok"} role={message.error ? "alert" : "status"} data-testid="month-end-message">{message.text}</p>}
      {view && <Exports t={t} client={client} companies={companies} date={date} onExported={() => void reload()} onFail={fail} />}
    </section>
  );
}

function describe(m: Strings["monthEnd"], r: BatchLockResult): string {
  if (r.outcome === "refused") return m.refusal(r);
  if (r.outcome === "locked") return m.lockedTo(r.lockedUntil!);
  const p = r.preview!;
  return m.wouldLock(p.from, p.to, p.documents, formatEuros(p.ttcCents)) + (p.drafts > 0 ? m.draftsLeft(p.drafts) : "");
}

/** A company's FEC and pack of its fiscal year up to the date, downloaded as files, and its export log. */
function Exports(props: { t: Strings; client: PasserelleClient; companies: Company[]; date: string; onExported: () => void; onFail: (e: unknown) => void }) {
  const { t, client, companies, date } = props;
  const m = t.monthEnd;
  const [companyId, setCompanyId] = useState(companies[0]?.id ?? "");
  const [log, setLog] = useState<ExportLogEntry[] | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const company = companies.find((c) => c.id === companyId);
  const range = company ? { from: presetRange("year", date, company.fiscalYearStart).from, to: date } : null;

  const readLog = () => (companyId ? exportLog(client, companyId).then((page) => setLog(page.items), props.onFail) : Promise.resolve());
  useEffect(() => {
    setLog(null);
    setDone(null);
    void readLog();
  }, [companyId]);

  async function download(file: ExportFile) {
    if (!range) return;
    setBusy(true);
    setDone(null);
    try {
      const saved = await downloadExport(client, companyId, file, range.from, range.to);
      setDone(m.downloaded(saved.fileName, saved.bytes));
      await readLog();
      props.onExported();
    } catch (e) {
      props.onFail(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="exports" aria-label={m.exports}>
      <h3>{m.exports}</h3>
      <label>
        {m.exportsOf}
        <select name="exportCompany" value={companyId} onChange={(e) => setCompanyId(e.currentTarget.value)}>
          {companies.map((c) => <option value={c.id} key={c.id}>{c.name}</option>)}
        </select>
      </label>
      {range && <p class="muted">{m.period(range.from, range.to)}</p>}
      <div class="row">
        <button type="button" disabled={busy || !range} onClick={() => void download("fec")}>{m.fec}</button>
        <button type="button" disabled={busy || !range} onClick={() => void download("pack.zip")}>{m.pack}</button>
      </div>
      {done && <p class="ok" role="status" data-testid="download-status">{done}</p>}
      <h3>{m.log}</h3>
      {log && log.length === 0 && <p class="muted">{m.noExport}</p>}
      <ul class="export-log" data-testid="export-log">
        {(log ?? []).map((x) => (
          <li key={x.id} title={`SHA-256 ${x.sha256}`}>
            <strong>{x.fileName}</strong>
            <span class="muted">{m.logLine(x.completedAt, x.kind, x.rows, x.by.name)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
