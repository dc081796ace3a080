import { useEffect, useState } from "preact/hooks";
import type { Company, Customer } from "@passerelle/shared";
import type { PasserelleClient } from "@passerelle/shared/client";
import { formatDateFr } from "@passerelle/shared/format";
import type { JournalFilters } from "../api/data.js";
import type { TableQuery } from "../excel/journal-tables.js";
import type { View } from "../excel/layout.js";
import { presetRange, todayLocal, type Preset } from "./periods.js";
import { DateField } from "./DateField.js";
import { DocumentFilters, type DocumentStatus, type DocumentType } from "./DocumentFilters.js";
import type { Strings } from "./i18n.js";

export function CompanyPane(props: {
  t: Strings;
  client: PasserelleClient;
  company: Company;
  busy: boolean;
  onInsert: (query: TableQuery) => void;
}) {
  const { t, client, company } = props;
  const [view, setView] = useState<View>("journal");
  const [preset, setPreset] = useState<Preset>("year");
  const initial = presetRange("year", todayLocal(), company.fiscalYearStart);
  const [from, setFrom] = useState(initial.from);
  const [to, setTo] = useState(initial.to);
  const [customers, setCustomers] = useState<Customer[]>([]);
  const [productCategories, setProductCategories] = useState<string[]>([]);
  const [customerId, setCustomerId] = useState("");
  const [type, setType] = useState<DocumentType>("");
  const [status, setStatus] = useState<DocumentStatus>("");
  const [category, setCategory] = useState("");

  useEffect(() => {
    void (async () => {
      const all: Customer[] = [];
      let cursor: string | null = null;
      try {
        do {
          const page = await client.listCustomers(company.id, { limit: 1000, ...(cursor ? { cursor } : {}) });
          all.push(...page.items);
          cursor = page.nextCursor;
        } while (cursor);
        setCustomers(all);
      } catch {
        setCustomers([]);
      }
    })();
    // the category filter matches the customer's category or one of the invoice's products'
    client.listProducts(company.id, { limit: 1000 }).then(
      (page) => setProductCategories(page.items.map((p) => p.category).filter((c): c is string => !!c)),
      () => setProductCategories([]),
    );
  }, [company.id]);

  function choosePreset(next: Preset) {
    setPreset(next);
    if (next !== "custom") {
      const range = presetRange(next, todayLocal(), company.fiscalYearStart);
      setFrom(range.from);
      setTo(range.to);
    }
  }

  const categories = [...new Set([...customers.map((c) => c.category).filter((c): c is string => !!c), ...productCategories])].sort((a, b) => a.localeCompare(b, "fr"));

  function insert(event: Event) {
    event.preventDefault();
    const filters: JournalFilters = { from, to };
    const parts = [`${formatDateFr(from)} – ${formatDateFr(to)}`];
    if (view === "journal") {
      if (customerId) {
        filters.customerId = customerId;
        parts.push(`${t.customer} : ${customers.find((c) => c.id === customerId)?.name ?? customerId}`);
      }
      if (type) {
        filters.type = type;
        parts.push(type === "invoice" ? t.invoices : t.creditNotes);
      }
      if (status) {
        filters.status = status;
        parts.push(t.statuses[status]);
      }
      if (category) {
        filters.category = category;
        parts.push(`${t.category} : ${category}`);
      }
    }
    props.onInsert({ companyId: company.id, companyName: company.name, siren: company.siren, view, filters, filtersText: parts.join(" · ") });
  }

  return (
    <form class="card" onSubmit={insert} aria-label={company.name}>
      <h2>{company.name}</h2>
      <p class="muted">SIREN {company.siren} · {company.lockedUntil ? `${t.lockedUntil} ${formatDateFr(company.lockedUntil)}` : t.notLocked}</p>
      <fieldset>
        <legend>{t.view}</legend>
        <label class="inline"><input type="radio" name="view" checked={view === "journal"} onChange={() => setView("journal")} />{t.salesJournal}</label>
        <label class="inline"><input type="radio" name="view" checked={view === "entries"} onChange={() => setView("entries")} />{t.entries}</label>
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
      {view === "journal" && (
        <>
          <label>{t.customer}
            <select name="customer" value={customerId} onChange={(e) => setCustomerId(e.currentTarget.value)}>
              <option value="">{t.allCustomers}</option>
              {customers.map((c) => <option value={c.id} key={c.id}>{c.name} ({c.code})</option>)}
            </select>
          </label>
          <DocumentFilters t={t} type={type} status={status} onType={setType} onStatus={setStatus} />
          <label>{t.category}
            <select name="category" value={category} onChange={(e) => setCategory(e.currentTarget.value)}>
              <option value="">{t.anyCategory}</option>
              {categories.map((c) => <option value={c} key={c}>{c}</option>)}
            </select>
          </label>
        </>
      )}
      <button class="primary" type="submit" disabled={props.busy || !from || !to || to < from}>{t.insert}</button>
    </form>
  );
}
