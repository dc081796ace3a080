import { useEffect, useState } from "preact/hooks";
import type { Quote, QuoteStatus } from "@passerelle/shared";
import { api, describeFailure } from "../../../lib/messaging";
import { useAppData } from "../../../lib/app/data";
import { navigate, routeHref, typeChoice, type QuoteListFilters } from "../../../lib/app/route";
import { useDebounced } from "../../../lib/hooks";
import { formatDateFr, formatEuros } from "../../../lib/format";
import { t, type MessageKey } from "../../../lib/i18n";
import { Notice } from "../../../components/Notice";
import { FlashNotice } from "../../../components/app/FlashNotice";
import { SelectInput, TextInput } from "../../../components/app/inputs";
import { PeriodCustomerFilters } from "../../../components/app/PeriodCustomerFilters";

const PAGE = 50;

export const QUOTE_STATUS_LABELS: Record<QuoteStatus, MessageKey> = {
  draft: "stateDraft",
  issued: "appQuoteIssuedState",
  accepted: "appQuoteAccepted",
  refused: "appQuoteRefused",
  expired: "appQuoteExpired",
};

export function QuotePill(props: { status: QuoteStatus }) {
  return <span class={`pill pill-${props.status}`}>{t(QUOTE_STATUS_LABELS[props.status])}</span>;
}

/** Quotes filtered by period, customer, state and search: offers, not accounting documents, so no totals to add up. */
export function QuoteList(props: { filters: QuoteListFilters }) {
  const { companyId, customers } = useAppData();
  const filters = props.filters;
  const [query, setQuery] = useState(filters.q ?? "");
  const q = useDebounced(query.trim(), 300);
  const [rows, setRows] = useState<Quote[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const badPeriod = Boolean(filters.from && filters.to && filters.from > filters.to);

  const setFilters = (change: Partial<QuoteListFilters>) => navigate({ view: "quotes", filters: { ...filters, ...change } }, true);

  useEffect(() => {
    if ((q || undefined) !== filters.q) setFilters({ q: q || undefined });
  }, [q]);

  const key = JSON.stringify(filters);
  useEffect(() => {
    let alive = true;
    if (badPeriod) {
      setRows([]);
      setLoading(false);
      return;
    }
    setLoading(true);
    api("listQuotes", companyId, { ...filters, limit: PAGE })
      .then((page) => {
        if (!alive) return;
        setRows(page.items);
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
      const page = await api("listQuotes", companyId, { ...filters, limit: PAGE, cursor });
      setRows((r) => [...(r ?? []), ...page.items]);
      setCursor(page.nextCursor);
    } catch (e) {
      setError(describeFailure(e));
    } finally {
      setLoading(false);
    }
  }

  return (
    <section class="stack" aria-labelledby="quotes-title" aria-busy={loading}>
      <div class="screen-head">
        <h1 id="quotes-title">{t("appQuotes")}</h1>
        <a class="button secondary" href={routeHref({ view: "quote-new" })}>
          {t("appNewQuote")}
        </a>
      </div>
      <FlashNotice />
      <fieldset class="filters">
        <legend class="visually-hidden">{t("appFilters")}</legend>
        <PeriodCustomerFilters filters={filters} customers={customers} badPeriod={badPeriod} onChange={setFilters} />
        <SelectInput label={t("appStatus")} value={filters.status ?? ""} onChange={(v) => setFilters({ status: (v || undefined) as QuoteListFilters["status"] })}>
          <option value="">{t("appAllStatuses")}</option>
          {(Object.keys(QUOTE_STATUS_LABELS) as QuoteStatus[]).map((s) => (
            <option key={s} value={s}>
              {t(QUOTE_STATUS_LABELS[s])}
            </option>
          ))}
        </SelectInput>
        <SelectInput label={t("appType")} value="quote" onChange={(v) => typeChoice(v, filters)}>
          <option value="">{t("appAllTypes")}</option>
          <option value="invoice">{t("appTypeInvoice")}</option>
          <option value="credit_note">{t("appTypeCreditNote")}</option>
          <option value="quote">{t("appTypeQuote")}</option>
        </SelectInput>
        <TextInput label={t("appSearch")} type="search" value={query} onInput={setQuery} placeholder={t("invoicesSearch")} />
        <div class="presets" role="group" aria-label={t("appPeriod")}>
          <button type="button" class="button-link" onClick={() => (setQuery(""), navigate({ view: "quotes", filters: {} }, true))}>
            {t("appClearFilters")}
          </button>
        </div>
      </fieldset>
      {error ? <Notice kind="error">{error}</Notice> : null}
      {rows === null ? (
        <p class="muted">{t("loading")}</p>
      ) : rows.length === 0 ? (
        <p class="muted empty">{t("appNoQuotes")}</p>
      ) : (
        <table class="list invoices-table" data-testid="quote-table">
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
              <th scope="col">{t("appValidUntil")}</th>
              <th scope="col">{t("appStatus")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((quote) => (
              <tr key={quote.id} data-status={quote.status}>
                <td>
                  <a href={routeHref({ view: "quote", id: quote.id })}>{quote.number ?? t("stateDraft")}</a>
                  {quote.invoiceNumber ? <span class="sub">{t("appQuoteInvoicedBy", quote.invoiceNumber)}</span> : null}
                </td>
                <td>{quote.issueDate ? formatDateFr(quote.issueDate) : "—"}</td>
                <td class="clip">{quote.customer.name}</td>
                <td class="num" data-label={t("appHt")}>{formatEuros(quote.totals.htCents)}</td>
                <td class="num" data-label={t("appVat")}>{formatEuros(quote.totals.vatCents)}</td>
                <td class="num" data-label={t("appTtc")}>{formatEuros(quote.totals.ttcCents)}</td>
                <td data-label={t("appValidUntil")}>{quote.validUntil ? formatDateFr(quote.validUntil) : "—"}</td>
                <td data-label={t("appStatus")}>
                  <QuotePill status={quote.status} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cursor ? (
        <button type="button" class="button secondary" onClick={more} disabled={loading}>
          {t("appShowMore")}
        </button>
      ) : null}
    </section>
  );
}
