import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { Company } from "@passerelle/shared";
import { PasserelleClient } from "@passerelle/shared/client";
import { currentSession, onSessionChange, setSession, type StoredSession } from "../api/session.js";
import { loadCompanies } from "../api/data.js";
import { followChanges } from "../api/feed.js";
import type { ExcelRun } from "../excel/host.js";
import { insertJournalTable, refreshJournalTable, type Progress, type TableQuery } from "../excel/journal-tables.js";
import { readSavedTables, type SavedTable } from "../excel/saved-tables.js";
import { displayLanguage, type Language } from "../language.js";
import { CompanyPane } from "./CompanyPane.js";
import { ConsolidatedPane } from "./ConsolidatedPane.js";
import { companiesOf, seqOf } from "../excel/consolidated.js";
import { LockPanel } from "./LockPanel.js";
import { AccountsPanel } from "./AccountsPanel.js";
import { MonthEnd } from "./MonthEnd.js";
import { RefreshReport } from "./RefreshReport.js";
import { refreshEach, type TableOutcome } from "./refresh-all.js";
import { PublishFeed } from "./PublishFeed.js";
import { PublishedFeeds } from "./PublishedFeeds.js";
import { Portfolio } from "./Portfolio.js";
import { SignIn } from "./SignIn.js";
import { Tabs, type Tab } from "./Tabs.js";
import { explain } from "./errors.js";
import { strings, type Strings } from "./i18n.js";

/** How long live mode waits after a change before refreshing, so a burst of writes (an invoice and its entries) refreshes once. */
export const LIVE_DEBOUNCE_MS = 300;

/** The pane's sections, in their order: Journal · Clôture · Comptes · Tables du classeur. */
export type PaneTab = "journal" | "closing" | "accounts" | "tables";

export function App({ run, lang }: { run: ExcelRun; lang: Language }) {
  const t = strings(lang);
  const [session, setSessionState] = useState<StoredSession | null>(currentSession());
  const [ended, setEnded] = useState<string | null>(null);
  useEffect(() => onSessionChange(setSessionState), []);
  const endSession = (message: string) => {
    setEnded(message);
    setSession(null);
  };
  return (
    <main>
      <header class="bar">
        <h1>{t.appName}</h1>
        {session && (
          <span class="who">
            {t.signedInAs} {session.label}{" "}
            <button type="button" class="link" onClick={() => signOut(session)}>{t.signOut}</button>
          </span>
        )}
      </header>
      {session ? (
        <Workspace key={session.token} t={t} lang={lang} run={run} session={session} onSessionEnded={endSession} />
      ) : (
        <SignIn t={t} notice={ended} />
      )}
    </main>
  );
}

function signOut(session: StoredSession) {
  const client = new PasserelleClient({ baseUrl: session.baseUrl, token: session.token, language: displayLanguage() });
  // an API key is not a session: only forget it locally
  if (!session.token.startsWith("psk_")) void client.logout().catch(() => undefined);
  setSession(null);
}

interface Job {
  label: string;
  progress: Progress | null;
  abort: AbortController;
}

function Workspace(props: { t: Strings; lang: Language; run: ExcelRun; session: StoredSession; onSessionEnded: (message: string) => void }) {
  const { t, lang, run, session } = props;
  const client = useMemo(() => new PasserelleClient({ baseUrl: session.baseUrl, token: session.token, language: lang }), [session, lang]);
  const [companies, setCompanies] = useState<Company[] | null>(null);
  const [company, setCompany] = useState<Company | null>(null);
  const [consolidating, setConsolidating] = useState(false);
  const [tables, setTables] = useState<SavedTable[]>([]);
  const [job, setJob] = useState<Job | null>(null);
  const [notice, setNotice] = useState<{ text: string; error: boolean } | null>(null);
  const [report, setReport] = useState<TableOutcome[] | null>(null);
  const [live, setLive] = useState(false);
  /** Bumped when a table is published as a feed, so the list of published feeds reads it. */
  const [feedsVersion, setFeedsVersion] = useState(0);
  const [liveInfo, setLiveInfo] = useState<{ seq: number; mode: string } | null>(null);
  const queue = useRef<Promise<unknown>>(Promise.resolve());
  const tablesRef = useRef(tables);
  tablesRef.current = tables;

  const fail = (e: unknown) => {
    const x = explain(e, t);
    setNotice({ text: x.message, error: !x.cancelled });
    if (x.signedOut) props.onSessionEnded(x.message);
  };
  /** The server answered and the work went through: a refusal or an outage said earlier is over. */
  const succeeded = () => setNotice((n) => (n?.error ? null : n));

  const reloadCompanies = () =>
    loadCompanies(client).then((list) => {
      setCompanies(list);
      succeeded();
    }, fail);
  useEffect(() => {
    void reloadCompanies();
    readSavedTables(run).then(setTables, fail);
  }, [client]);

  /** One Excel job at a time: inserts, refreshes and live refreshes wait their turn. */
  function enqueue(label: string, work: (signal: AbortSignal, progress: (p: Progress) => void) => Promise<void>): Promise<void> {
    const next = queue.current.then(async () => {
      const abort = new AbortController();
      setJob({ label, progress: null, abort });
      try {
        await work(abort.signal, (progress) => setJob({ label, progress, abort }));
        succeeded();
      } catch (e) {
        fail(e);
      } finally {
        setJob(null);
        setTables(await readSavedTables(run).catch(() => tables));
      }
    });
    queue.current = next;
    return next;
  }

  const insert = (query: TableQuery) =>
    enqueue(query.companyName, async (signal, onProgress) => {
      setNotice(null);
      const saved = await insertJournalTable(run, client, query, lang, { signal, onProgress });
      setNotice({ text: `${saved.sheetName} : ${t.rows(saved.rows)}`, error: false });
    });

  /** Refreshes each table, going on past one that fails; refreshing them all reports on each. */
  const refresh = (names: string[], all = false) =>
    enqueue(all ? t.refreshingAll(names.length) : names.join(", "), async (signal, onProgress) => {
      if (all) setReport(null);
      const saved = await readSavedTables(run, names);
      const repaired: string[] = [];
      const onRepaired = (table: { tableName: string }) => void repaired.push(table.tableName);
      const outcomes = await refreshEach(saved, (table) => refreshJournalTable(run, client, table, { signal, onProgress, onRepaired }));
      if (all) setReport(outcomes);
      if (repaired.length > 0) setNotice({ text: t.repaired(repaired.join(", ")), error: false });
      const failed = outcomes.find((o) => !o.ok);
      if (!all && failed && !failed.ok) throw failed.error;
    });

  // live mode: follow the change feed of every company with a table here; refresh its tables, debounced
  const liveCompanies = [...new Set(tables.flatMap(companiesOf))].sort().join(",");
  useEffect(() => {
    if (!live || !liveCompanies) return;
    const stops: (() => void)[] = [];
    const timers = new Map<string, ReturnType<typeof setTimeout>>();
    for (const companyId of liveCompanies.split(",")) {
      const since = Math.min(...tables.filter((x) => companiesOf(x).includes(companyId)).map((x) => seqOf(x, companyId)));
      stops.push(
        followChanges(client, companyId, since, (event) => {
          if (event.type === "seq") {
            succeeded();
            setLiveInfo({ seq: event.seq, mode: event.mode });
            clearTimeout(timers.get(companyId));
            timers.set(
              companyId,
              setTimeout(() => void refresh(tablesRef.current.filter((x) => companiesOf(x).includes(companyId)).map((x) => x.tableName)), LIVE_DEBOUNCE_MS),
            );
          } else if (event.type === "ended") {
            if (event.reason === "revoked") {
              setNotice({ text: t.errors.revoked, error: true });
              setLive(false);
            } else props.onSessionEnded(t.errors.expired);
          } else fail(event.error);
        }),
      );
    }
    return () => {
      stops.forEach((stop) => stop());
      timers.forEach((timer) => clearTimeout(timer));
    };
  }, [live, liveCompanies, client]);

  const [tab, setTab] = useState<PaneTab>("journal");

  const pickFirst = <p class="muted empty">{t.pickCompanyFirst}</p>;
  const onSignedOut = () => props.onSessionEnded(t.errors.expired);
  // the pane's sections; a feature of its own mounts in its tab's panel
  const tabs: Tab<PaneTab>[] = [
    {
      key: "journal",
      label: t.tabs.journal,
      panel: company ? (
        <CompanyPane t={t} client={client} company={company} busy={job !== null} onInsert={(q) => void insert(q)} />
      ) : consolidating && companies ? (
        <>
          <button type="button" class="link" onClick={() => setConsolidating(false)}>{t.back}</button>
          <ConsolidatedPane t={t} companies={companies} busy={job !== null} onInsert={(q) => void insert(q)} />
        </>
      ) : companies ? (
        <>
          <button type="button" onClick={() => setConsolidating(true)}>{t.consolidated}</button>
          <Portfolio t={t} client={client} companies={companies} visitsOwner={`${session.baseUrl} ${session.label}`} onPick={setCompany} />
        </>
      ) : (
        <p class="muted">…</p>
      ),
    },
    {
      key: "closing",
      label: t.tabs.closing,
      // a company's locks once one is open; the month-end across the portfolio otherwise
      panel: company ? (
        <LockPanel
          key={company.id}
          t={t}
          client={client}
          company={company}
          onSignedOut={onSignedOut}
          onChanged={(state) => {
            // the header and the portfolio say what the lock panel says
            setCompany({ ...company, lockedUntil: state.lockedUntil });
            setCompanies((list) => list && list.map((c) => (c.id === company.id ? { ...c, lockedUntil: state.lockedUntil } : c)));
          }}
        />
      ) : companies ? (
        <MonthEnd
          t={t}
          client={client}
          companies={companies}
          tables={tables.flatMap((x) => companiesOf(x).map((companyId) => ({ companyId, refreshedAt: x.refreshedAt })))}
          onSignedOut={onSignedOut}
          onLocked={(locks) => setCompanies((list) => list && list.map((c) => (locks.has(c.id) ? { ...c, lockedUntil: locks.get(c.id) ?? null } : c)))}
        />
      ) : (
        pickFirst
      ),
    },
    {
      key: "accounts",
      label: t.tabs.accounts,
      panel: company ? <AccountsPanel key={company.id} t={t} lang={lang} run={run} client={client} company={company} onSignedOut={onSignedOut} /> : pickFirst,
    },
    {
      key: "tables",
      label: t.tabs.tables,
      panel: (
        <>
        <section class="card" aria-label={t.tablesInWorkbook}>
          <h2>{t.tablesInWorkbook}</h2>
          {tables.length === 0 ? (
            <p class="muted">{t.noTables}</p>
          ) : (
            <>
              <div class="actions">
                <label class="inline switch">
                  <input type="checkbox" role="switch" name="live" checked={live} onChange={(e) => setLive(e.currentTarget.checked)} />
                  {t.liveOn}
                </label>
                <button type="button" disabled={job !== null} onClick={() => void refresh(tables.map((x) => x.tableName), true)}>{t.refreshAll}</button>
              </div>
              <ul class="tables">
                {tables.map((x) => (
                  <li key={x.tableName} data-table={x.tableName}>
                    <strong>{x.sheetName}</strong>
                    <span class="muted">{x.filtersText}</span>
                    <span class="muted">
                      {t.rows(x.rows)} · {t.refreshedAt} {new Date(x.refreshedAt).toLocaleString("fr-FR")}
                    </span>
                    <button type="button" disabled={job !== null} onClick={() => void refresh([x.tableName])}>{t.refresh}</button>
                    <PublishFeed t={t} client={client} table={x} onPublished={() => setFeedsVersion((v) => v + 1)} onSignedOut={onSignedOut} />
                  </li>
                ))}
              </ul>
            </>
          )}
        </section>
        {company && <PublishedFeeds key={company.id} t={t} client={client} company={company} version={feedsVersion} onSignedOut={onSignedOut} />}
        </>
      ),
    },
  ];

  return (
    <>
      <div class="status-line" data-testid="live-status">
        {live && <span class="badge live">● {t.live}{liveInfo ? ` · ${t.liveVia(liveInfo.mode)}` : ""}</span>}
      </div>
      {job && <JobBar t={t} job={job} />}
      {notice && <p class={notice.error ? "error" : "ok"} role={notice.error ? "alert" : "status"} data-testid="notice">{notice.text}</p>}
      {report && <RefreshReport t={t} outcomes={report} onClose={() => setReport(null)} />}
      {company && (
        <div class="company-bar">
          <button type="button" class="link" onClick={() => (setCompany(null), setTab("journal"))}>{t.back}</button>
          <strong title={company.name}>{company.name}</strong>
        </div>
      )}
      <Tabs label={t.tabsLabel} tabs={tabs} selected={tab} onSelect={setTab} />
    </>
  );
}

function JobBar({ t, job }: { t: Strings; job: Job }) {
  const p = job.progress;
  const ratio = p && p.total ? Math.min(1, p.done / p.total) : null;
  const writing = p?.phase === "writing";
  return (
    <div class="job" role="progressbar" aria-valuenow={ratio === null ? undefined : Math.round(ratio * 100)} aria-valuemin={0} aria-valuemax={100} data-testid="progress">
      <span>
        {writing ? t.writing : t.loading} — {job.label}
        {p ? ` · ${p.done.toLocaleString("fr-FR")}${p.total !== null ? ` / ${p.total.toLocaleString("fr-FR")}` : ""}` : ""}
      </span>
      <div class="track"><div class={ratio === null ? "fill indeterminate" : "fill"} style={ratio === null ? undefined : { width: `${ratio * 100}%` }} /></div>
      {/* once Excel is being written, stopping half-way would leave a half-written table */}
      {!writing && <button type="button" onClick={() => job.abort.abort()}>{t.cancel}</button>}
    </div>
  );
}
