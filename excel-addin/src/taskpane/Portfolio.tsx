import { useEffect, useMemo, useState } from "preact/hooks";
import type { Company } from "@passerelle/shared";
import type { PasserelleClient } from "@passerelle/shared/client";
import { formatDateFr } from "@passerelle/shared/format";
import { lastChange } from "../api/data.js";
import type { Strings } from "./i18n.js";

const SHOWN = 50;

export function Portfolio(props: { t: Strings; client: PasserelleClient; companies: Company[]; onPick: (c: Company) => void }) {
  const { t, client, companies } = props;
  const [query, setQuery] = useState("");
  const [changes, setChanges] = useState<Record<string, { seq: number; at: string | null }>>({});

  const shown = useMemo(() => {
    const q = query.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().trim();
    const all = q
      ? companies.filter((c) => c.siren.includes(q.replace(/\s+/g, "")) || c.name.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().includes(q))
      : companies;
    return all.slice(0, SHOWN);
  }, [companies, query]);

  useEffect(() => {
    let stopped = false;
    void (async () => {
      for (const c of shown) {
        if (stopped || changes[c.id]) continue;
        try {
          const last = await lastChange(client, c.id);
          if (!stopped) setChanges((prev) => ({ ...prev, [c.id]: last }));
        } catch {
          // a company whose feed is not readable simply shows no date
        }
      }
    })();
    return () => {
      stopped = true;
    };
  }, [shown]);

  return (
    <section class="card" aria-label={t.companies}>
      <h2>{t.companies} <span class="count">{companies.length}</span></h2>
      <input type="search" aria-label={t.search} placeholder={t.search} value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
      {shown.length === 0 && <p class="muted">{t.noCompany}</p>}
      <ul class="companies">
        {shown.map((c) => {
          const last = changes[c.id];
          return (
            <li key={c.id}>
              <button type="button" class="company" data-company={c.id} onClick={() => props.onPick(c)}>
                <strong>{c.name}</strong>
                <span class="muted">SIREN {c.siren}</span>
                <span class="muted">{c.lockedUntil ? `${t.lockedUntil} ${formatDateFr(c.lockedUntil)}` : t.notLocked}</span>
                {last?.at && <span class="muted">{t.lastChange} : {new Date(last.at).toLocaleString("fr-FR")}</span>}
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
