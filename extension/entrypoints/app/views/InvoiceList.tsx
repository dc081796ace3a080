import { useEffect, useState } from "preact/hooks";
import type { Invoice, InvoiceListTotals } from "@passerelle/shared";
import { paymentState } from "@passerelle/shared/payment-state";
import { addDays } from "@passerelle/shared/dates";
import { api, describeFailure } from "../../../lib/messaging";
import { useAppData } from "../../../lib/app/data";
import { navigate, routeHref, typeChoice, type InvoiceListFilters } from "../../../lib/app/route";
import { useDebounced } from "../../../lib/hooks";
import { businessToday, formatDateFr, formatEuros } from "../../../lib/format";
import { t } from "../../../lib/i18n";
import { Notice } from "../../../components/Notice";
import { StatePill } from "../../../components/StatePill";
import { FlashNotice } from "../../../components/app/FlashNotice";
import { SelectInput, TextInput } from "../../../components/app/inputs";
import { PeriodCustomerFilters } from "../../../components/app/PeriodCustomerFilters";
import { OverdueList } from "./OverdueList";

const PAGE = 50;

function monthStart(today: string, monthsBack: number): string {
  const [y, m] = today.split("-").map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 - monthsBack, 1));
  return d.toISOString().slice(0, 10);
}

/** Invoices and credit notes filtered by period, customer, status and type, with their totals. */
export function InvoiceList(props: { filters: InvoiceListFilters }) {
  const { companyId, customers } = useAppData();
  const filters = props.filters;
  const [query, setQuery] = useState(filters.q ?? "");
  const q = useDebounced(query.trim(), 300);
  const [rows, setRows] = useState<Invoice[] | null>(null);
  // The server adds up the whole filter, not only the pages loaded so far.
  const [totals, setTotals] = useState<InvoiceListTotals | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const today = businessToday();
  const badPeriod = Boolean(filters.from && filters.to && filters.from > filters.to);
  const overdue = filters.status === "overdue";

  const setFilters = (change: Partial<InvoiceListFilters>) => navigate({ view: "invoices", filters: { ...filters, ...change } }, true);

  useEffect(() => {
    if ((q || undefined) !== filters.q) setFilters({ q: q || undefined });
  }, [q]);

  const key = JSON.stringify(filters);
  useEffect(() => {
    let alive = true;
    if (badPeriod) {
      setRows([]);
      setTotals(null);
      setLoading(false);
      return;
    }
    if (overdue) {
      setLoading(false);
      return;
    }
    setLoading(true);
    const { status, sort: _sort, ...listed } = filters;
    api("listInvoices", companyId, { ...listed, status: status as Exclude<typeof status, "overdue">, limit: PAGE })
      .then((page) => {
        if (!alive) return;
        setRows(page.items);
        setTotals(page.totals);
        setCursor(page.nextCursor);
        setError(null);
      })
      .catch((e: unknown) => alive && setError(describeFailure(e)))
      .finally(() => alive && setLoading(false));
    return () => {
      alive = false;
    };
  }, [companyId, key]);

  async function more() {
    if (!cursor) return;
    setLoading(true);
    try {
      const { status, sort: _sort, ...listed } = filters;
      const page = await api("listInvoices", companyId, { ...listed, status: status as Exclude<typeof status, "overdue">, limit: PAGE, cursor });
      setRows((r) => [...(r ?? []), ...page.items]);
      setTotals(page.totals);
      setCursor(page.nextCursor);
    } catch (e) {
      setError(describeFailure(e));
    } finally {
      setLoading(false);
    }
  }

  const presets = [
    { label: t("appThisMonth"), from: monthStart(today, 0), to: today },
    { label: t("appLastMonth"), from: monthStart(today, 1), to: addDays(monthStart(today, 0), -1) },
    { label: t("appThisYear"), from: `${today.slice(0, 4)}-01-01`, to: today },
  ];

  return (
    <section class="stack" aria-labelledby="invoices-title" aria-busy={loading}>
      <div class="screen-head">
        <h1 id="invoices-title">{t("appNavInvoices")}</h1>
        <a class="button secondary" href={routeHref({ view: "invoice-new" })}>
          {t("appNewInvoice")}
        </a>
      </div>
      <FlashNotice />
      <fieldset class="filters">
        <legend class="visually-hidden">{t("appFilters")}</legend>
        <PeriodCustomerFilters filters={filters} customers={customers} badPeriod={badPeriod} onChange={setFilters} />
        <SelectInput label={t("appStatus")} value={filters.status ?? ""} onChange={(v) => setFilters({ status: (v || undefined) as InvoiceListFilters["status"] })}>
          <option value="">{t("appAllStatuses")}</option>
          <option value="draft">{t("stateDraft")}</option>
          <option value="issued">{t("appStatusIssued")}</option>
          <option value="partially_paid">{t("statePartiallyPaid")}</option>
          <option value="paid">{t("statePaid")}</option>
          <option value="overdue">{t("stateOverdue")}</option>
        </SelectInput>
        <SelectInput label={t("appType")} value={filters.type ?? ""} onChange={(v) => typeChoice(v, filters)}>
          <option value="">{t("appAllTypes")}</option>
          <option value="invoice">{t("appTypeInvoice")}</option>
          <option value="credit_note">{t("appTypeCreditNote")}</option>
          <option value="quote">{t("appTypeQuote")}</option>
        </SelectInput>
        <TextInput label={t("appSearch")} type="search" value={query} onInput={setQuery} placeholder={t("invoicesSearch")} />
        <div class="presets" role="group" aria-label={t("appPeriod")}>
          {presets.map((p) => (
            <button key={p.label} type="button" class="button-link" aria-pressed={filters.from === p.from && filters.to === p.to} onClick={() => setFilters({ from: p.from, to: p.to })}>
              {p.label}
            </button>
          ))}
          <button type="button" class="button-link" onClick={() => (setQuery(""), navigate({ view: "invoices", filters: {} }, true))}>
            {t("appClearFilters")}
          </button>
        </div>
      </fieldset>
      {overdue ? (
        <OverdueList sort={filters.sort ?? "dueDate"} onSort={(sort) => setFilters({ sort })} />
      ) : error ? (
        <Notice kind="error">{error}</Notice>
      ) : null}
      {overdue ? null : rows === null ? (
        <p class="muted">{t("loading")}</p>
      ) : rows.length === 0 ? (
        <p class="muted empty">{t("appNoInvoices")}</p>
      ) : (
        <table class="list invoices-table" data-testid="invoice-table">
          <thead>
            <tr>
              <th scope="col">{t("appNumber")}</th>
              <th scope="col">{t("appDate")}</th>
              <th scope="col">{t("appCustomer")}</th>
              <th scope="col" class="num">
                {t("appHt")}
              </th>
              <th scope="col" class="num">
                {t("appVat")}
              </th>
              <th scope="col" class="num">
                {t("appTtc")}
              </th>
              <th scope="col" class="num">
                {t("appDue")}
              </th>
              <th scope="col">{t("appStatus")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((i) => {
              const sign = i.type === "credit_note" ? -1 : 1;
              return (
                <tr key={i.id} data-type={i.type}>
                  <td>
                    <a href={routeHref({ view: "invoice", id: i.id })}>{i.number ?? t("stateDraft")}</a>
                    {i.type === "credit_note" ? <span class="sub">{t("appCreditNoteOf", i.creditedInvoiceNumber ?? "")}</span> : null}
                  </td>
                  <td>{i.issueDate ? formatDateFr(i.issueDate) : "—"}</td>
                  <td class="clip">
                    <a href={routeHref({ view: "customer", id: i.customer.id })}>{i.customer.name}</a>
                  </td>
                  <td class="num" data-label={t("appHt")}>{formatEuros(sign * i.totals.htCents)}</td>
                  <td class="num" data-label={t("appVat")}>{formatEuros(sign * i.totals.vatCents)}</td>
                  <td class="num" data-label={t("appTtc")}>{formatEuros(sign * i.totals.ttcCents)}</td>
                  <td class="num" data-label={t("appDue")}>{i.type === "invoice" && i.status !== "draft" ? formatEuros(i.dueCents) : ""}</td>
                  <td data-label={t("appStatus")}>
                    <StatePill state={paymentState(i, today)} />
                  </td>
                </tr>
              );
            })}
          </tbody>
          {totals ? (
            <tfoot>
              <tr data-testid="list-totals">
                <th scope="row" colSpan={3}>
                  {t("appListTotal", totals.count)}
                </th>
                <td class="num" data-label={t("appHt")}>{formatEuros(totals.htCents)}</td>
                <td class="num" data-label={t("appVat")}>{formatEuros(totals.vatCents)}</td>
                <td class="num" data-label={t("appTtc")}>{formatEuros(totals.ttcCents)}</td>
                <td class="num" data-label={t("appDue")}>{formatEuros(totals.dueCents)}</td>
                <td />
              </tr>
            </tfoot>
          ) : null}
        </table>
      )}
      {cursor && !overdue ? (
        <button type="button" class="button secondary" onClick={more} disabled={loading}>
          {t("appShowMore")}
        </button>
      ) : null}
    </section>
  );
}
