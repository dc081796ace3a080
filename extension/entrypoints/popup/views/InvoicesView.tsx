import { useEffect, useState } from "preact/hooks";
import { browser } from "wxt/browser";
import type { SessionView } from "../../../lib/protocol";
import { api, describeFailure } from "../../../lib/messaging";
import { attentionItem, recentInvoicesItem } from "../../../lib/storage";
import { invoiceRow, signedTtcCents, type InvoiceRow } from "../../../lib/invoice-rows";
import { routeHref } from "../../../lib/app/route";
import { openInvoicingAt } from "../../../components/app/OpenInvoicing";
import { businessToday, formatDateFr, formatEuros } from "../../../lib/format";
import { useDebounced, useStorageValue } from "../../../lib/hooks";
import { markUsable } from "../../../lib/perf";
import { RECENT_INVOICES } from "../../../lib/config";
import { t } from "../../../lib/i18n";
import { StatePill } from "../../../components/StatePill";
import { Notice } from "../../../components/Notice";

/** The latest invoices, shown at once from the session cache and then refreshed; a search asks the API. */
export function InvoicesView(props: { session: SessionView; companyId: string }) {
  const { companyId } = props;
  const [query, setQuery] = useState("");
  const search = useDebounced(query.trim(), 250);
  const [rows, setRows] = useState<InvoiceRow[] | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const attention = useStorageValue(attentionItem);

  useEffect(() => {
    let alive = true;
    if (!search) {
      void recentInvoicesItem.getValue().then((cached) => {
        if (alive && cached?.companyId === companyId) setRows((current) => current ?? cached.rows);
      });
    }
    setLoading(true);
    api("listInvoices", companyId, { limit: RECENT_INVOICES, q: search || undefined })
      .then(async (page) => {
        const today = businessToday();
        const fresh = page.items.map((invoice) => invoiceRow(invoice, today));
        if (!alive) return;
        setRows(fresh);
        setError(null);
        if (!search) await recentInvoicesItem.setValue({ companyId, rows: fresh, fetchedAt: Date.now() });
      })
      .catch((e: unknown) => alive && setError(describeFailure(e)))
      .finally(() => alive && setLoading(false));
    return () => {
      alive = false;
    };
  }, [companyId, search]);

  useEffect(() => {
    if (rows) markUsable("invoices");
  }, [rows]);

  const overdue = attention?.companyId === companyId ? attention : null;
  return (
    <section class="stack" aria-labelledby="invoices-title" aria-busy={loading}>
      <h2 id="invoices-title" class="visually-hidden">
        {t("tabInvoices")}
      </h2>
      <div class="search-bar">
        <input
          type="search"
          class="search"
          placeholder={t("invoicesSearch")}
          aria-label={t("invoicesSearch")}
          value={query}
          onInput={(e) => setQuery(e.currentTarget.value)}
        />
        <button type="button" class="button primary" onClick={() => openInvoicingAt(routeHref({ view: "invoice-new" }))}>
          {t("appNewInvoice")}
        </button>
      </div>
      {overdue && overdue.overdueCount > 0 ? (
        <p class="attention" data-testid="overdue-summary">
          <a
            href={`/app.html${routeHref({ view: "invoices", filters: { status: "overdue" } })}`}
            onClick={(e) => (e.preventDefault(), openInvoicingAt(routeHref({ view: "invoices", filters: { status: "overdue" } })))}
          >
            {t("overdueSummary", overdue.overdueCount, formatEuros(overdue.overdueCents))}
          </a>
        </p>
      ) : null}
      {error ? <Notice kind="error">{error}</Notice> : null}
      {rows === null ? (
        <p class="muted">{t("loading")}</p>
      ) : rows.length === 0 ? (
        <p class="muted empty">{search ? t("invoicesNoMatch", search) : t("invoicesNone")}</p>
      ) : (
        <ul class="invoice-list" data-testid="invoice-list">
          {rows.map((row) => (
            <InvoiceItem key={row.id} row={row} companyId={companyId} canOpenPdf={props.session.capabilities.invoicePdf} />
          ))}
        </ul>
      )}
    </section>
  );
}

function InvoiceItem(props: { row: InvoiceRow; companyId: string; canOpenPdf: boolean }) {
  const { row } = props;
  const number = row.number ?? t("stateDraft");
  const openPdf = () => {
    const params = new URLSearchParams({ company: props.companyId, invoice: row.id, number });
    void browser.tabs.create({ url: browser.runtime.getURL(`/invoice-pdf.html?${params}`) });
  };
  const href = routeHref({ view: "invoice", id: row.id });
  return (
    <li class="invoice" data-state={row.state}>
      {/* The whole row opens the document in the invoicing view (the link's area covers it). */}
      <a class="invoice-main invoice-open" href={`/app.html${href}`} onClick={(e) => (e.preventDefault(), openInvoicingAt(href))} aria-label={t("invoiceOpenIn", number)}>
        <span class="invoice-number">{number}</span>
        <span class="invoice-customer">{row.customerName}</span>
      </a>
      <div class="invoice-side">
        <span class="amount">{formatEuros(signedTtcCents(row))}</span>
        <StatePill state={row.state} />
      </div>
      <div class="invoice-meta">
        {row.issueDate ? <span>{formatDateFr(row.issueDate)}</span> : null}
        {row.dueDate && row.dueCents > 0 ? <span>{t("dueOn", formatDateFr(row.dueDate))}</span> : null}
        {row.state === "partially_paid" || (row.state === "overdue" && row.dueCents < row.ttcCents) ? (
          <span>{t("leftToPay", formatEuros(row.dueCents))}</span>
        ) : null}
        {props.canOpenPdf && row.number ? (
          <button type="button" class="button-link" onClick={openPdf} aria-label={t("openPdfOf", number)}>
            {t("openPdf")}
          </button>
        ) : null}
      </div>
    </li>
  );
}
