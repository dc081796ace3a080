import { useMemo, useState } from "preact/hooks";
import type { Company } from "@passerelle/shared";
import { formatDateFr } from "@passerelle/shared/format";
import { JOURNAL_COMPANIES, type ConsolidatedFilters } from "../api/consolidated.js";
import type { TableQuery } from "../excel/journal-tables.js";
import { presetRange, todayLocal, type Preset } from "./periods.js";
import { DateField } from "./DateField.js";
import { DocumentFilters, type DocumentStatus, type DocumentType } from "./DocumentFilters.js";
import type { Strings } from "./i18n.js";

/** Companies listed at once while choosing; a search narrows the rest. */
const SHOWN = 50;

const fold = (s: string) => s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();

/** The consolidated sales journal: which companies (all or some), the period and the journal's filters. */
export function ConsolidatedPane(props: { t: Strings; companies: Company[]; busy: boolean; onInsert: (query: TableQuery) => void }) {
  const { t, companies } = props;
  const [scope, setScope] = useState<"all" | "some">("all");
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const [search, setSearch] = useState("");
  const fiscalYearStart = companies[0]?.fiscalYearStart ?? "01-01";
  const [preset, setPreset] = useState<Preset>("year");
  const initial = presetRange("year", todayLocal(), fiscalYearStart);
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const [type, setType] = useState<DocumentType>("");
  const [status, setStatus] = useState<DocumentStatus>("");
  const [category, setCategory] = useState("");
  const [problem, setProblem] = useState<string | null>(null);

  const matching = useMemo(() => {
    const q = fold(search);
    const digits = search.replace(/\s+/g, "");
    const list = q ? companies.filter((c) => (digits !== "" && c.siren.includes(digits)) || fold(c.name).includes(q)) : companies;
    return [...list].sort((x, y) => x.name.localeCompare(y.name, "fr"));
  }, [companies, search]);

  function choosePreset(next: Preset) {
    setPreset(next);
    if (next !== "custom") {
      const range = presetRange(next, todayLocal(), fiscalYearStart);
      setFrom(range.from);
      setTo(range.to);
    }
  }

  function toggle(id: string, on: boolean) {
    const next = new Set(chosen);
    if (on) next.add(id);
    else next.delete(id);
    setChosen(next);
  }

  function insert(event: Event) {
    event.preventDefault();
    if (scope === "some" && chosen.size === 0) return setProblem(t.noneChosen);
    if (scope === "some" && chosen.size > JOURNAL_COMPANIES) return setProblem(t.tooMany(JOURNAL_COMPANIES));
    setProblem(null);
    const filters: ConsolidatedFilters = { from, to };
    const parts = [`${formatDateFr(from)} – ${formatDateFr(to)}`];
    if (type) {
      filters.type = type;
      parts.push(type === "invoice" ? t.invoices : t.creditNotes);
    }
    if (status) {
      filters.status = status;
      parts.push(t.statuses[status]);
    }
    if (category.trim()) {
      filters.category = category.trim();
      parts.push(`${t.category} : ${category.trim()}`);
    }
    props.onInsert({
      companyId: "",
      companyName: t.consolidated,
      siren: "",
      view: "consolidated",
      companies: scope === "all" ? "all" : companies.filter((c) => chosen.has(c.id)).map((c) => c.id),
      filters,
      filtersText: parts.join(" · "),
    });
  }

  return (
    <form class="card" onSubmit={insert} aria-label={t.consolidatedTitle}>
      <h2>{t.consolidatedTitle}</h2>
      <p class="muted">{t.consolidatedHint}</p>
      <fieldset>
        <legend>{t.companies}</legend>
        <label class="inline"><input type="radio" name="scope" checked={scope === "all"} onChange={() => setScope("all")} />{t.allCompanies} ({companies.length.toLocaleString("fr-FR")})</label>
        <label class="inline"><input type="radio" name="scope" checked={scope === "some"} onChange={() => setScope("some")} />{t.chooseCompanies}</label>
        {scope === "some" && (
          <>
            <input type="search" aria-label={t.search} placeholder={t.search} value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
            <p class="muted" data-testid="chosen-count">{t.chosen(chosen.size)}</p>
            <ul class="choices">
              {matching.slice(0, SHOWN).map((c) => (
                <li key={c.id}>
                  <label class="inline">
                    <input type="checkbox" name="company" value={c.id} checked={chosen.has(c.id)} onChange={(e) => toggle(c.id, e.currentTarget.checked)} />
                    {c.name} <span class="muted">{c.siren}</span>
                  </label>
                </li>
              ))}
            </ul>
            {matching.length > SHOWN && <p class="muted">{t.moreMatches(matching.length - SHOWN)}</p>}
          </>
        )}
      </fieldset>
      <label>{t.period}
        <select name="preset" value={preset} onChange={(e) => choosePreset(e.currentTarget.value as Preset)}>
          {(Object.keys(t.presets) as Preset[]).map((p) => <option value={p} key={p}>{t.presets[p]}</option>)}
        </select>
      </label>
      <div class="row">
        <DateField t={t} label={t.from} name="from" required value={from} onChange={(iso) => (setFrom(iso), setPreset("custom"))} />
        <DateField t={t} label={t.to} name="to" required value={to} error={from && to && to < from ? t.toBeforeFrom : null} onChange={(iso) => (setTo(iso), setPreset("custom"))} />
      </div>
      <DocumentFilters t={t} type={type} status={status} onType={setType} onStatus={setStatus} />
      <label>{t.category}<input type="text" name="category" maxLength={60} placeholder={t.anyCategory} value={category} onInput={(e) => setCategory(e.currentTarget.value)} /></label>
      {problem && <p class="error" role="alert">{problem}</p>}
      <button class="primary" type="submit" disabled={props.busy || !from || !to || to < from}>{t.insert}</button>
    </form>
  );
}
