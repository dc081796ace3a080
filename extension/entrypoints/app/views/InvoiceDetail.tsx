import { useCallback, useEffect, useState } from "preact/hooks";
import type { Dispute, Invoice, InvoiceSending, Payment, ReminderLevel } from "@passerelle/shared";
import { paymentState } from "@passerelle/shared/payment-state";
import { browser } from "wxt/browser";
import { api, describeFailure, send } from "../../../lib/messaging";
import { allPages, useAppData } from "../../../lib/app/data";
import { navigate, routeHref } from "../../../lib/app/route";
import { storedForm } from "../../../lib/app/form-store";
import { leftToCreditCents } from "../../../lib/app/credit";
import { base64ToBytes } from "../../../lib/base64";
import { businessToday, formatDateFr, formatEuros } from "../../../lib/format";
import { t } from "../../../lib/i18n";
import { METHOD_LABELS } from "../../../lib/app/labels";
import { Notice } from "../../../components/Notice";
import { StatePill } from "../../../components/StatePill";
import { TotalsTable } from "../../../components/app/TotalsTable";
import { DetailLines } from "../../../components/app/DetailLines";
import { FlashNotice } from "../../../components/app/FlashNotice";
import { PaymentForm } from "./PaymentForm";
import { CreditNoteForm } from "./CreditNoteForm";
import { SendInvoiceForm, sendingOutcome } from "./SendInvoiceForm";
import { InvoiceSendings, lastSentText, type Sending } from "./InvoiceSendings";
import { Deductions } from "./OrderDraft";
import { SelectInput, TextInput } from "../../../components/app/inputs";

/** The reminder proposed next: the level after the last one sent, the formal notice at most. */
function nextReminderLevel(sendings: readonly InvoiceSending[] | null): ReminderLevel {
  const last = Math.max(0, ...(sendings ?? []).map((s) => s.reminderLevel ?? 0));
  return Math.min(3, last + 1) as ReminderLevel;
}

/** "Chantier Part-Dieu, Bâtiment B, 69003 Lyon" (the country when it is not France). */
function addressText(a: NonNullable<Invoice["deliveryAddress"]>): string {
  return [a.line1, a.line2, [a.postalCode, a.city].filter(Boolean).join(" "), a.country === "FR" ? null : a.country].filter(Boolean).join(", ");
}

/** An issued invoice or credit note: final, so it can only be paid, credited or downloaded. */
export function InvoiceDetail(props: { invoice: Invoice; reload: () => Promise<void> }) {
  const { invoice } = props;
  const data = useAppData();
  const { companyId } = data;
  const [payments, setPayments] = useState<Payment[] | null>(null);
  const [creditNotes, setCreditNotes] = useState<Invoice[] | null>(null);
  const [sendings, setSendings] = useState<InvoiceSending[] | null>(null);
  const [panel, setPanel] = useState<"payment" | "credit" | "send" | "remind" | "dispute" | null>(null);
  const [remindLevel, setRemindLevel] = useState<ReminderLevel | null>(null);
  const [dispute, setDispute] = useState<Dispute | null>(null);
  const [disputeReason, setDisputeReason] = useState("");
  const [disputeBusy, setDisputeBusy] = useState(false);
  const [pdfError, setPdfError] = useState<string | null>(null);
  const [sendNotice, setSendNotice] = useState<string | null>(null);
  const [pdfBusy, setPdfBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const isInvoice = invoice.type === "invoice";
  const today = businessToday();

  const loadRelated = useCallback(async () => {
    if (!isInvoice) return;
    try {
      const [p, notes] = await Promise.all([
        allPages((cursor) => api("listPayments", companyId, { invoiceId: invoice.id, limit: 1000, cursor })),
        allPages((cursor) => api("listInvoices", companyId, { type: "credit_note", customerId: invoice.customer.id, limit: 1000, cursor })),
      ]);
      setPayments(p);
      setCreditNotes(notes.filter((n) => n.creditedInvoiceId === invoice.id));
    } catch (e) {
      setError(describeFailure(e));
    }
  }, [companyId, invoice]);

  useEffect(() => void loadRelated(), [loadRelated]);

  const loadSendings = useCallback(async () => {
    try {
      setSendings((await api("listInvoiceSendings", companyId, invoice.id)).items);
    } catch (e) {
      setError(describeFailure(e));
    }
  }, [companyId, invoice.id]);

  useEffect(() => void loadSendings(), [loadSendings]);

  useEffect(() => {
    if (!isInvoice) return;
    void api("invoiceDispute", companyId, invoice.id).then(setDispute, (e: unknown) => setError(describeFailure(e)));
  }, [companyId, invoice.id]);

  async function changeDispute(disputed: boolean) {
    setDisputeBusy(true);
    try {
      setDispute(await api("setInvoiceDispute", companyId, invoice.id, { disputed, reason: disputed ? disputeReason : undefined }));
      setPanel(null);
      setDisputeReason("");
      setError(null);
    } catch (e) {
      setError(describeFailure(e));
    } finally {
      setDisputeBusy(false);
    }
  }

  // A payment or credit note being typed before a reload opens again where it was.
  useEffect(() => {
    const keys = ["payment", "credit", "sending"].map((kind) => storedForm(`${companyId}:${kind}:${invoice.id}`));
    void Promise.all(keys).then(([p, c, m]) => {
      if (p !== undefined) setPanel("payment");
      else if (c !== undefined) setPanel("credit");
      else if (m !== undefined) setPanel("send");
    });
  }, [invoice.id]);

  async function downloadPdf() {
    setPdfBusy(true);
    setPdfError(null);
    try {
      const pdf = await send({ kind: "invoice.pdf", companyId, invoiceId: invoice.id });
      const url = URL.createObjectURL(new Blob([base64ToBytes(pdf.base64)], { type: "application/pdf" }));
      const link = document.createElement("a");
      link.href = url;
      link.download = pdf.fileName;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 60_000);
    } catch (e) {
      setPdfError(describeFailure(e));
    } finally {
      setPdfBusy(false);
    }
  }

  function openPdf() {
    const params = new URLSearchParams({ company: companyId, invoice: invoice.id, number: invoice.number ?? "" });
    void browser.tabs.create({ url: browser.runtime.getURL(`/invoice-pdf.html?${params}`) });
  }

  async function sent(sending: Sending) {
    setPanel(null);
    await loadSendings();
    // a sending the server will retry is not a success to celebrate, but it is not lost either
    if (sending.status === "retrying") setSendNotice(sendingOutcome(sending));
    else data.setFlash(sendingOutcome(sending));
  }

  /** The balance invoice of a deposit's order: opened when it exists, else drafted. */
  async function balance() {
    if (!invoice.orderId) return;
    setError(null);
    try {
      const order = await api("getOrder", companyId, invoice.orderId);
      if (order.balanceInvoiceId) {
        navigate({ view: "invoice", id: order.balanceInvoiceId });
        return;
      }
      const draft = await api("createBalance", companyId, invoice.orderId);
      data.setFlash(t("appBalanceCreated", formatEuros(draft.totals.ttcCents)), { view: "invoice", id: draft.id });
      navigate({ view: "invoice", id: draft.id });
    } catch (e) {
      setError(describeFailure(e));
    }
  }

  async function done() {
    setPanel(null);
    await props.reload();
    await loadRelated();
  }

  const state = paymentState(invoice, today);
  const leftToCredit = leftToCreditCents(invoice);
  const canPay = isInvoice && invoice.dueCents > 0;
  const canRemind = state === "overdue";
  const level = remindLevel ?? nextReminderLevel(sendings);
  const canCredit = isInvoice && leftToCredit > 0;
  const sentText = sendings ? lastSentText(sendings, isInvoice) : null;
  const title = !isInvoice
    ? t("appCreditNoteNumber", invoice.number ?? "")
    : invoice.orderRole === "deposit"
      ? t("appDepositInvoiceNumber", invoice.number ?? "")
      : invoice.orderRole === "balance"
        ? t("appBalanceInvoiceNumber", invoice.number ?? "")
        : t("appInvoiceNumber", invoice.number ?? "");

  return (
    <section class="stack detail" aria-labelledby="detail-title">
      <div class="screen-head">
        <h1 id="detail-title" data-testid="invoice-number">
          {title}
        </h1>
        <StatePill state={state} />
      </div>
      <FlashNotice />
      {error ? <Notice kind="error">{error}</Notice> : null}
      <dl class="facts">
        <div>
          <dt>{t("appCustomer")}</dt>
          <dd>
            <a href={routeHref({ view: "customer", id: invoice.customer.id })}>{invoice.customer.name}</a> <span class="muted">({invoice.customer.code})</span>
          </dd>
        </div>
        <div>
          <dt>{t("appIssueDate")}</dt>
          <dd>{invoice.issueDate ? formatDateFr(invoice.issueDate) : "—"}</dd>
        </div>
        {isInvoice ? (
          <div>
            <dt>{t("appDueDate")}</dt>
            <dd>{invoice.dueDate ? formatDateFr(invoice.dueDate) : "—"}</dd>
          </div>
        ) : (
          <div>
            <dt>{t("appCredits")}</dt>
            <dd>
              {invoice.creditedInvoiceId ? (
                <a href={routeHref({ view: "invoice", id: invoice.creditedInvoiceId })}>{t("appInvoiceNumber", invoice.creditedInvoiceNumber ?? "")}</a>
              ) : (
                "—"
              )}
            </dd>
          </div>
        )}
        {invoice.deliveryDate ? (
          <div>
            <dt>{t("appDeliveryDate")}</dt>
            <dd data-testid="delivery-date">{formatDateFr(invoice.deliveryDate)}</dd>
          </div>
        ) : null}
        {invoice.servicePeriod ? (
          <div>
            <dt>{t("appServicePeriod")}</dt>
            <dd data-testid="service-period">{t("appPeriodValue", formatDateFr(invoice.servicePeriod.from), formatDateFr(invoice.servicePeriod.to))}</dd>
          </div>
        ) : null}
        {invoice.deliveryAddress ? (
          <div>
            <dt>{t("appDeliveryLine1")}</dt>
            <dd data-testid="delivery-address">{addressText(invoice.deliveryAddress)}</dd>
          </div>
        ) : null}
        {dispute?.disputed ? (
          <div>
            <dt>{t("appDisputed")}</dt>
            <dd data-testid="disputed">{t("appDisputedSince", formatDateFr(dispute.since!.slice(0, 10)), dispute.by?.name ?? "", dispute.reason ?? "")}</dd>
          </div>
        ) : null}
        {invoice.orderId ? (
          <div>
            <dt>{t("appOrder")}</dt>
            <dd data-testid="order-reference">{invoice.orderReference ?? "—"}</dd>
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
          <dd>{t("appFinalExplained")}</dd>
        </div>
      </dl>

      <Deductions invoice={invoice} />
      {isInvoice && invoice.orderRole === "deposit" ? (
        <p class="actions">
          <button type="button" class="button secondary" onClick={balance} data-testid="balance-invoice">
            {t("appBalanceCreate")}
          </button>
        </p>
      ) : null}
      <div class="actions detail-actions">
        {data.session.capabilities.invoicePdf ? (
          <>
            <button type="button" class="button secondary" onClick={downloadPdf} disabled={pdfBusy}>
              {pdfBusy ? t("loading") : t("appDownloadPdf")}
            </button>
            <button type="button" class="button-link" onClick={openPdf}>
              {t("appOpenPdf")}
            </button>
          </>
        ) : null}
        <button type="button" class="button secondary" aria-expanded={panel === "send"} onClick={() => setPanel(panel === "send" ? null : "send")}>
          {t("appSendByEmail")}
        </button>
        {canPay ? (
          <button type="button" class="button primary" aria-expanded={panel === "payment"} onClick={() => setPanel(panel === "payment" ? null : "payment")}>
            {t("appRecordPayment")}
          </button>
        ) : null}
        {canRemind ? (
          <button type="button" class="button secondary" aria-expanded={panel === "remind"} onClick={() => setPanel(panel === "remind" ? null : "remind")}>
            {t("appRemind")}
          </button>
        ) : null}
        {isInvoice && dispute ? (
          dispute.disputed ? (
            <button type="button" class="button secondary" onClick={() => void changeDispute(false)} disabled={disputeBusy}>
              {t("appLiftDispute")}
            </button>
          ) : (
            <button type="button" class="button secondary" aria-expanded={panel === "dispute"} onClick={() => setPanel(panel === "dispute" ? null : "dispute")}>
              {t("appMarkDisputed")}
            </button>
          )
        ) : null}
        {canCredit ? (
          <button type="button" class="button secondary" aria-expanded={panel === "credit"} onClick={() => setPanel(panel === "credit" ? null : "credit")}>
            {t("appCreateCreditNote")}
          </button>
        ) : null}
      </div>
      {pdfError ? <Notice kind="error">{pdfError}</Notice> : null}
      {sendNotice ? (
        <Notice kind="error" testId="send-retrying">
          {sendNotice}
        </Notice>
      ) : null}

      {panel === "send" ? <SendInvoiceForm invoice={invoice} onSent={sent} onCancel={() => setPanel(null)} /> : null}
      {panel === "remind" && canRemind ? (
        <div class="stack" data-testid="remind-panel">
          <SelectInput label={t("appReminderLevel")} value={String(level)} onChange={(v) => setRemindLevel(Number(v) as ReminderLevel)}>
            <option value="1">{t("appReminderLevel1")}</option>
            <option value="2">{t("appReminderLevel2")}</option>
            <option value="3">{t("appReminderLevel3")}</option>
          </SelectInput>
          <SendInvoiceForm key={level} invoice={invoice} reminderLevel={level} onSent={(s) => (setRemindLevel(null), sent(s))} onCancel={() => setPanel(null)} />
        </div>
      ) : null}
      {panel === "dispute" && dispute && !dispute.disputed ? (
        <form
          class="panel stack"
          data-testid="dispute-form"
          onSubmit={(e) => {
            e.preventDefault();
            void changeDispute(true);
          }}
        >
          <p class="muted">{t("appDisputeExplained")}</p>
          <TextInput label={t("appDisputeReason")} value={disputeReason} onInput={setDisputeReason} maxLength={500} />
          <div class="actions">
            <button type="submit" class="button primary" disabled={disputeBusy}>
              {t("appMarkDisputed")}
            </button>
            <button type="button" class="button secondary" onClick={() => setPanel(null)} disabled={disputeBusy}>
              {t("cancel")}
            </button>
          </div>
        </form>
      ) : null}
      {panel === "payment" && canPay ? <PaymentForm invoice={invoice} onDone={done} onCancel={() => setPanel(null)} /> : null}
      {panel === "credit" && canCredit ? (
        creditNotes === null ? (
          <p class="muted">{t("loading")}</p>
        ) : (
          <CreditNoteForm invoice={invoice} creditNotes={creditNotes} onDone={done} onCancel={() => setPanel(null)} />
        )
      ) : null}

      <div class="lines-and-totals">
        <DetailLines lines={invoice.lines} />
        <aside class="totals-box">
          <TotalsTable totals={invoice.totals} testId="detail-totals">
            {isInvoice ? (
              <>
                <tr data-total="credited">
                  <th scope="row" colSpan={2}>
                    {t("appCredited")}
                  </th>
                  <td class="num">{formatEuros(invoice.creditedCents)}</td>
                </tr>
                <tr data-total="paid">
                  <th scope="row" colSpan={2}>
                    {t("appPaid")}
                  </th>
                  <td class="num">{formatEuros(invoice.paidCents)}</td>
                </tr>
                <tr data-total="due" class="grand">
                  <th scope="row" colSpan={2}>
                    {invoice.dueCents < 0 ? t("appOverpaid") : t("appLeftToPay")}
                  </th>
                  <td class="num">{formatEuros(Math.abs(invoice.dueCents))}</td>
                </tr>
              </>
            ) : null}
          </TotalsTable>
        </aside>
      </div>

      {isInvoice ? (
        <div class="related">
          <section aria-labelledby="payments-title">
            <h2 id="payments-title">{t("appPayments")}</h2>
            {payments === null ? (
              <p class="muted">{t("loading")}</p>
            ) : payments.length === 0 ? (
              <p class="muted">{t("appNoPayments")}</p>
            ) : (
              <table class="list" data-testid="payment-list">
                <tbody>
                  {payments.map((p) => (
                    <tr key={p.id}>
                      <td>{formatDateFr(p.date)}</td>
                      <td>{t(METHOD_LABELS[p.method])}</td>
                      <td class="clip">{p.reference ?? ""}</td>
                      <td class="num">{formatEuros(p.amountCents)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section aria-labelledby="credits-title">
            <h2 id="credits-title">{t("appCreditNotes")}</h2>
            <p class="muted" data-testid="left-to-credit">
              {t("appLeftToCredit", formatEuros(leftToCredit))}
            </p>
            {creditNotes && creditNotes.length > 0 ? (
              <table class="list" data-testid="credit-note-list">
                <tbody>
                  {creditNotes.map((n) => (
                    <tr key={n.id}>
                      <td>
                        <a href={routeHref({ view: "invoice", id: n.id })}>{n.number}</a>
                      </td>
                      <td>{n.issueDate ? formatDateFr(n.issueDate) : ""}</td>
                      <td class="num">{formatEuros(-n.totals.ttcCents)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
          </section>
        </div>
      ) : null}
      <InvoiceSendings sendings={sendings} />
    </section>
  );
}
