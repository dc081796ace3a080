import { useCallback, useEffect, useState } from "preact/hooks";
import type { Order, Quote } from "@passerelle/shared";
import { api, describeFailure, send } from "../../../lib/messaging";
import { useAppData } from "../../../lib/app/data";
import { navigate, routeHref } from "../../../lib/app/route";
import { base64ToBytes } from "../../../lib/base64";
import { formatDateFr, formatEuros } from "../../../lib/format";
import { t } from "../../../lib/i18n";
import { Notice } from "../../../components/Notice";
import { TextInput } from "../../../components/app/inputs";
import { TotalsTable } from "../../../components/app/TotalsTable";
import { DetailLines } from "../../../components/app/DetailLines";
import { FlashNotice } from "../../../components/app/FlashNotice";
import { SendInvoiceForm, sendingOutcome } from "./SendInvoiceForm";
import { InvoiceSendings, lastSentText, type Sending } from "./InvoiceSendings";
import { QuotePill } from "./QuoteList";

/**
 * An issued quote: final, so it is downloaded, sent, answered (accepted or refused), duplicated into
 * a new draft, and, once accepted, turned into a draft invoice or into the customer's order with a
 * deposit invoice (the quote then links to its deposits and its balance invoice).
 */
export function QuoteDetail(props: { quote: Quote; onChanged: (quote: Quote) => void; reload: () => Promise<void> }) {
  const { quote } = props;
  const data = useAppData();
  const { companyId } = data;
  const [sendings, setSendings] = useState<Sending[] | null>(null);
  const [sending, setSending] = useState(false);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [order, setOrder] = useState<Order | null>(null);
  const [depositPercent, setDepositPercent] = useState("30");
  const [depositReference, setDepositReference] = useState("");
  const [percentError, setPercentError] = useState<string | undefined>(undefined);

  const loadSendings = useCallback(async () => {
    try {
      setSendings((await api("listQuoteSendings", companyId, quote.id)).items);
    } catch (e) {
      setProblem(describeFailure(e));
    }
  }, [companyId, quote.id]);

  useEffect(() => void loadSendings(), [loadSendings]);

  useEffect(() => {
    if (!quote.orderId) return;
    api("getOrder", companyId, quote.orderId).then(setOrder, (e: unknown) => setProblem(describeFailure(e)));
  }, [companyId, quote.orderId]);

  /** Runs one action; its refusal (a 409 saying why) is shown above the actions. */
  async function act(action: () => Promise<void>) {
    if (busy) return;
    setBusy(true);
    setProblem(null);
    setNotice(null);
    try {
      await action();
    } catch (e) {
      setProblem(describeFailure(e));
    } finally {
      setBusy(false);
    }
  }

  const decide = (decision: "accept" | "refuse") =>
    act(async () => {
      const answered = await api("decideQuote", companyId, quote.id, decision);
      props.onChanged(answered);
      setNotice(t(decision === "accept" ? "appQuoteAcceptedNotice" : "appQuoteRefusedNotice", answered.number ?? ""));
    });

  const duplicate = () =>
    act(async () => {
      const copy = await api("duplicateQuote", companyId, quote.id);
      data.setFlash(t("appQuoteDuplicated", quote.number ?? ""), { view: "quote", id: copy.id });
      navigate({ view: "quote", id: copy.id });
    });

  const invoice = () =>
    act(async () => {
      const draft = await api("invoiceQuote", companyId, quote.id);
      data.setFlash(t("appQuoteInvoiced", quote.number ?? "", formatEuros(draft.totals.ttcCents)), { view: "invoice", id: draft.id });
      navigate({ view: "invoice", id: draft.id });
    });

  /** The accepted quote becomes the customer's order (once), and a draft deposit invoice asks for part of it. */
  const askDeposit = () => {
    const percent = Number(depositPercent.replace(",", "."));
    if (!Number.isFinite(percent) || percent <= 0 || percent >= 100) {
      setPercentError(t("appRuleRequired"));
      return;
    }
    setPercentError(undefined);
    return act(async () => {
      const orderId = quote.orderId ?? (await api("orderFromQuote", companyId, quote.id, depositReference.trim() ? { reference: depositReference.trim() } : {})).id;
      const deposit = await api("createDeposit", companyId, orderId, { percentBp: Math.round(percent * 100) });
      data.setFlash(t("appDepositCreated", formatEuros(deposit.totals.ttcCents)), { view: "invoice", id: deposit.id });
      navigate({ view: "invoice", id: deposit.id });
    });
  };

  const downloadPdf = () =>
    act(async () => {
      const pdf = await send({ kind: "quote.pdf", companyId, quoteId: quote.id });
      const url = URL.createObjectURL(new Blob([base64ToBytes(pdf.base64)], { type: "application/pdf" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = pdf.fileName;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    });

  async function sent(s: Sending) {
    setSending(false);
    await loadSendings();
    if (s.status === "retrying") setProblem(sendingOutcome(s));
    else setNotice(sendingOutcome(s));
  }

  const answerable = quote.status === "issued" || quote.status === "expired";
  const sentText = sendings ? lastSentText(sendings, "quote") : null;

  return (
    <section class="stack detail" aria-labelledby="quote-title">
      <div class="screen-head">
        <h1 id="quote-title" data-testid="quote-number">
          {t("appQuoteNumber", quote.number ?? "")}
        </h1>
        <QuotePill status={quote.status} />
      </div>
      <FlashNotice />
      {notice ? (
        <Notice kind="success" testId="quote-notice">
          {notice}
        </Notice>
      ) : null}
      {problem ? (
        <Notice kind="error" testId="quote-problem">
          {problem}
        </Notice>
      ) : null}
      <dl class="facts">
        <div>
          <dt>{t("appCustomer")}</dt>
          <dd>
            <a href={routeHref({ view: "customer", id: quote.customer.id })}>{quote.customer.name}</a> <span class="muted">({quote.customer.code})</span>
          </dd>
        </div>
        <div>
          <dt>{t("appQuoteDate")}</dt>
          <dd>{quote.issueDate ? formatDateFr(quote.issueDate) : "—"}</dd>
        </div>
        <div>
          <dt>{t("appValidUntil")}</dt>
          <dd data-testid="valid-until">{quote.validUntil ? formatDateFr(quote.validUntil) : "—"}</dd>
        </div>
        {quote.decidedOn ? (
          <div>
            <dt>{t(quote.status === "accepted" ? "appQuoteAcceptedOn" : "appQuoteRefusedOn")}</dt>
            <dd data-testid="decided-on">{formatDateFr(quote.decidedOn)}</dd>
          </div>
        ) : null}
        {quote.invoiceId ? (
          <div>
            <dt>{t("appQuoteInvoice")}</dt>
            <dd>
              <a href={routeHref({ view: "invoice", id: quote.invoiceId })} data-testid="quote-invoice">
                {quote.invoiceNumber ? t("appInvoiceNumber", quote.invoiceNumber) : t("appDraftTitle")}
              </a>
            </dd>
          </div>
        ) : null}
        {quote.orderId ? (
          <div>
            <dt>{t("appQuoteDeposits")}</dt>
            <dd data-testid="quote-deposits">
              {order?.deposits.length
                ? order.deposits.map((d, i) => (
                    <span key={d.invoiceId}>
                      {i > 0 ? ", " : null}
                      <a href={routeHref({ view: "invoice", id: d.invoiceId })} data-deposit={d.number ?? ""}>
                        {d.number ? t("appDepositInvoiceNumber", d.number) : t("appQuoteDepositDraft")}
                      </a>{" "}
                      <span class="muted">({formatEuros(d.ttcCents)})</span>
                    </span>
                  ))
                : "—"}
            </dd>
          </div>
        ) : null}
        {quote.orderId ? (
          <div>
            <dt>{t("appQuoteBalance")}</dt>
            <dd data-testid="quote-balance">
              {order?.balanceInvoiceId ? (
                <a href={routeHref({ view: "invoice", id: order.balanceInvoiceId })}>{t("appQuoteBalanceInvoice")}</a>
              ) : order ? (
                <span>{formatEuros(order.leftTotals.ttcCents)}</span>
              ) : (
                "—"
              )}
            </dd>
          </div>
        ) : null}
        {sentText ? (
          <div>
            <dt>{t("appEmailed")}</dt>
            <dd data-testid="sent-on">{sentText}</dd>
          </div>
        ) : null}
        <div>
          <dt>{t("appFinal")}</dt>
          <dd>{t("appQuoteNotAccounting")}</dd>
        </div>
      </dl>

      <div class="actions detail-actions">
        <button type="button" class="button secondary" onClick={downloadPdf} disabled={busy}>
          {t("appDownloadPdf")}
        </button>
        <button type="button" class="button secondary" aria-expanded={sending} onClick={() => setSending(!sending)}>
          {t("appSendByEmail")}
        </button>
        {answerable ? (
          <>
            {quote.status === "issued" ? (
              <button type="button" class="button primary" onClick={() => decide("accept")} disabled={busy}>
                {t("appQuoteAccept")}
              </button>
            ) : null}
            <button type="button" class="button secondary" onClick={() => decide("refuse")} disabled={busy}>
              {t("appQuoteRefuse")}
            </button>
          </>
        ) : null}
        {quote.status === "accepted" && !quote.invoiceId && !quote.orderId ? (
          <button type="button" class="button primary" onClick={invoice} disabled={busy}>
            {t("appQuoteToInvoice")}
          </button>
        ) : null}
        <button type="button" class="button-link" onClick={duplicate} disabled={busy}>
          {t("appQuoteDuplicate")}
        </button>
      </div>

      {quote.status === "accepted" && !quote.invoiceId && !order?.balanceInvoiceId ? (
        <fieldset class="deposit-section" data-testid="quote-deposit-section">
          <legend>{t("appQuoteDepositSection")}</legend>
          <p class="muted">{t("appQuoteDepositExplained")}</p>
          <div class="grid-3">
            <TextInput label={t("appDepositPercent")} value={depositPercent} onInput={setDepositPercent} error={percentError} inputId="quote-deposit-percent" />
            {quote.orderId ? null : (
              <TextInput label={t("appDepositReference")} value={depositReference} onInput={setDepositReference} maxLength={60} inputId="quote-deposit-reference" />
            )}
          </div>
          <p class="actions">
            <button type="button" class="button primary" disabled={busy} onClick={askDeposit} data-testid="quote-create-deposit">
              {t("appQuoteDepositCreate")}
            </button>
          </p>
        </fieldset>
      ) : null}

      {sending ? <SendInvoiceForm invoice={quote} quote onSent={sent} onCancel={() => setSending(false)} /> : null}

      <div class="lines-and-totals">
        <DetailLines lines={quote.lines} />
        <aside class="totals-box">
          <TotalsTable totals={quote.totals} testId="detail-totals" />
        </aside>
      </div>
      {quote.notes ? <p class="notes">{quote.notes}</p> : null}
      <InvoiceSendings sendings={sendings} />
    </section>
  );
}
