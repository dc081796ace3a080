import { useEffect, useMemo, useState } from "preact/hooks";
import type { Company, LatestChange } from "@passerelle/shared";
import type { PasserelleClient } from "@passerelle/shared/client";
import { formatDateFr } from "@passerelle/shared/format";
import { lastMonthEnd, todayLocal } from "./periods.js";
import type { Strings } from "./i18n.js";

/** Rows per page: every company stays reachable, whatever the portfolio's size. */
export const PAGE_SIZE = 50;

type Sort = "name" | "recent" | "lock";

const fold = (s: string) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();

/**
 * The sequence of each company at the accountant's last visit, kept in this browser: a company
 * seen for the first time starts from its current sequence; opening it moves its mark.
 */
function visitsKey(owner: string): string {
  return `passerelle-visits:${owner}`;
}
function readVisits(owner: string): Record<string, number> {
  try {
    return JSON.parse(globalThis.localStorage?.getItem(visitsKey(owner)) ?? "{}") as Record<string, number>;
  } catch {
    return {};
  }
}
function saveVisits(owner: string, visits: Record<string, number>): void {
  try {
    globalThis.localStorage?.setItem(visitsKey(owner), JSON.stringify(visits));
  } catch {
    // storage unavailable: the marks last as long as the pane
  }
}

export function Portfolio(props: { t: Strings; client: PasserelleClient; companies: Company[]; visitsOwner: string; onPick: (c: Company) => void }) {
  const { t, client, companies, visitsOwner } = props;
  const [query, setQuery] = useState("");
  const [sort, setSort] = useState<Sort>("name");
  const [onlyChanged, setOnlyChanged] = useState(false);
  const [onlyUnlocked, setOnlyUnlocked] = useState(false);
  const [page, setPage] = useState(0);
  const [latest, setLatest] = useState<Map<string, LatestChange>>(new Map());
  const [visits, setVisits] = useState<Record<string, number>>(() => readVisits(visitsOwner));
  const monthEnd = lastMonthEnd(todayLocal());

  // one call for the whole portfolio: each company's newest sequence and its time
  useEffect(() => {
    let stopped = false;
    client.latestChanges().then(
      (answer) => {
        if (stopped) return;
        const byId = new Map(answer.items.map((x) => [x.companyId, x]));
        setLatest(byId);
        const marks = readVisits(visitsOwner);
        let added = false;
        for (const x of answer.items) {
          if (marks[x.companyId] === undefined) {
            marks[x.companyId] = x.lastSeq;
            added = true;
          }
        }
        if (added) saveVisits(visitsOwner, marks);
        setVisits(marks);
      },
      () => undefined, // without it the list still works: no dates, nothing marked as changed
    );
    return () => {
      stopped = true;
    };
  }, [client, companies]);

  const changed = (c: Company) => {
    const x = latest.get(c.id);
    return x !== undefined && visits[c.id] !== undefined && x.lastSeq > visits[c.id]!;
  };
  const unlocked = (c: Company) => !c.lockedUntil || c.lockedUntil < monthEnd;

  const matching = useMemo(() => {
    const q = fold(query);
    const digits = query.replace(/\s+/g, "");
    let list = q ? companies.filter((c) => (digits !== "" && c.siren.includes(digits)) || fold(c.name).includes(q)) : companies;
    if (onlyChanged) list = list.filter(changed);
    if (onlyUnlocked) list = list.filter(unlocked);
    const byName = (a: Company, b: Company) => a.name.localeCompare(b.name, "fr");
    const at = (c: Company) => latest.get(c.id)?.at ?? "";
    const sorter =
      sort === "recent"
        ? (a: Company, b: Company) => at(b).localeCompare(at(a)) || byName(a, b)
        : sort === "lock"
          ? (a: Company, b: Company) => (a.lockedUntil ?? "").localeCompare(b.lockedUntil ?? "") || byName(a, b)
          : byName;
    return [...list].sort(sorter);
  }, [companies, query, sort, onlyChanged, onlyUnlocked, latest, visits]);

  const pages = Math.max(1, Math.ceil(matching.length / PAGE_SIZE));
  const current = Math.min(page, pages - 1);
  const shown = matching.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE);
  // a new search, sort or filter starts from the first page
  useEffect(() => setPage(0), [query, sort, onlyChanged, onlyUnlocked]);

  function pick(c: Company) {
    const x = latest.get(c.id);
    if (x) {
      const marks = { ...readVisits(visitsOwner), [c.id]: x.lastSeq };
      saveVisits(visitsOwner, marks);
      setVisits(marks);
    }
    props.onPick(c);
  }

  return (
    <section class="card" aria-label={t.companies}>
      <h2>{t.companies} <span class="count" data-testid="company-count">{companies.length.toLocaleString("fr-FR")}</span></h2>
      <input type="search" aria-label={t.search} placeholder={t.search} value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
      <div class="filters">
        <label class="inline">{t.sortBy}{" "}
          <select name="sort" value={sort} onChange={(e) => setSort(e.currentTarget.value as Sort)}>
            {(Object.keys(t.sorts) as Sort[]).map((s) => <option value={s} key={s}>{t.sorts[s]}</option>)}
          </select>
        </label>
        <label class="inline"><input type="checkbox" name="changed" checked={onlyChanged} onChange={(e) => setOnlyChanged(e.currentTarget.checked)} />{t.changedSinceVisit}</label>
        <label class="inline"><input type="checkbox" name="unlocked" checked={onlyUnlocked} onChange={(e) => setOnlyUnlocked(e.currentTarget.checked)} />{t.notLockedAt(formatDateFr(monthEnd))}</label>
      </div>
      <p class="muted" data-testid="portfolio-status">{t.shown(matching.length, companies.length)} · {t.pageOf(current + 1, pages)}</p>
      {shown.length === 0 && <p class="muted">{t.noCompany}</p>}
      <ul class="companies compact">
        {shown.map((c) => {
          const last = latest.get(c.id);
          const isChanged = changed(c);
          return (
            <li key={c.id}>
              <button type="button" class="company" data-company={c.id} onClick={() => pick(c)}>
                <strong title={c.name}>{c.name}{isChanged && <span class="changed"> ● {t.changed}</span>}</strong>
                <span class="muted">
                  {c.siren} · {c.lockedUntil ? `${t.lockedUntil} ${formatDateFr(c.lockedUntil)}` : t.notLocked}
                  {last?.at ? ` · ${new Date(last.at).toLocaleDateString("fr-FR")}` : ""}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
      {pages > 1 && (
        <nav class="pager" aria-label={t.pageOf(current + 1, pages)}>
          <button type="button" disabled={current === 0} onClick={() => setPage(current - 1)}>{t.previous}</button>
          <button type="button" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>{t.next}</button>
        </nav>
      )}
    </section>
  );
}
