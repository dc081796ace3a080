import { useState } from "preact/hooks";
import type { Invoice } from "@passerelle/shared";
import { formatVatRate } from "@passerelle/shared/vat";
import { formatQuantityFr } from "@passerelle/shared/format";
import { api } from "../../../lib/messaging";
import { useAppData } from "../../../lib/app/data";
import { navigate } from "../../../lib/app/route";
import { formProblem } from "../../../lib/app/form-errors";
import { businessToday, formatDateFr, formatEuros } from "../../../lib/format";
import { t } from "../../../lib/i18n";
import { Notice } from "../../../components/Notice";
import { ConfirmButton } from "../../../components/ConfirmButton";
import { TextInput } from "../../../components/app/inputs";
import { TotalsTable } from "../../../components/app/TotalsTable";
import { FlashNotice } from "../../../components/app/FlashNotice";

/** What a balance invoice deducts, deposit by deposit, under the whole order's total. */
export function Deductions(props: { invoice: Invoice }) {
  const { invoice } = props;
  if (invoice.orderRole !== "balance" || !invoice.orderTotals) return null;
  return (
    <table class="totals" data-testid="deductions">
      <caption>{t("appDeductions")}</caption>
      <tbody>
        <tr data-total="order">
          <th scope="row">{t("appOrderTotal")}</th>
          <td class="num">{formatEuros(invoice.orderTotals.ttcCents)}</td>
        </tr>
        {invoice.deductions.map((d) => (
          <tr key={d.invoiceId} data-deposit={d.number ?? ""}>
            <th scope="row">{t("appDeductionRow", d.number ?? "", d.issueDate ? formatDateFr(d.issueDate) : "")}</th>
            <td class="num">-{formatEuros(d.ttcCents)}</td>
          </tr>
        ))}
        <tr data-total="balance" class="grand">
          <th scope="row">{t("appBalanceDue")}</th>
          <td class="num">{formatEuros(invoice.totals.ttcCents)}</td>
        </tr>
      </tbody>
    </table>
  );
}

/**
 * A draft deposit or balance invoice: its lines come from the order (changing them means asking it
 * again), so the owner reads it, issues it or deletes it.
 */
export function OrderDraft(props: { invoice: Invoice; onSaved: (invoice: Invoice) => void }) {
  const { invoice } = props;
  const data = useAppData();
  const { companyId } = data;
  const today = businessToday();
  const [issueDate, setIssueDate] = useState(invoice.issueDate ?? today);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const deposit = invoice.orderRole === "deposit";

  async function issue() {
    setBusy(true);
    try {
      const issued = await api("issueInvoice", companyId, invoice.id, issueDate);
      data.setFlash(t("appInvoiceIssued", issued.number ?? "", formatEuros(issued.totals.ttcCents)), { view: "invoice", id: issued.id });
      props.onSaved(issued);
    } catch (error) {
      setProblem(formProblem(error).message);
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    setBusy(true);
    try {
      await api("deleteDraft", companyId, invoice.id);
      data.setFlash(t("appDraftDeleted"), { view: "invoices", filters: {} });
      navigate({ view: "invoices", filters: {} }, true);
    } catch (error) {
      setProblem(formProblem(error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="stack detail" aria-labelledby="order-draft-title">
      <div class="screen-head">
        <h1 id="order-draft-title">{deposit ? t("appDepositTitle") : t("appBalanceTitle")}</h1>
        <span class="pill pill-draft">{t("stateDraft")}</span>
      </div>
      <FlashNotice />
      {problem ? (
        <Notice kind="error" testId="form-problem">
          {problem}
        </Notice>
      ) : null}
      <dl class="facts">
        <div>
          <dt>{t("appCustomer")}</dt>
          <dd>
            {invoice.customer.name} <span class="muted">({invoice.customer.code})</span>
          </dd>
        </div>
        <div>
          <dt>{t("appOrder")}</dt>
          <dd data-testid="order-reference">{invoice.orderReference ?? "—"}</dd>
        </div>
      </dl>
      <p class="muted">{t("appOrderDraftExplained")}</p>
      <table class="lines" data-testid="order-lines">
        <tbody>
          {invoice.lines.map((l) => (
            <tr key={l.id}>
              <td>{l.description}</td>
              <td class="num">{formatQuantityFr(l.quantity)}</td>
              <td class="num">{formatVatRate(l.vatRateBp)}</td>
              <td class="num">{formatEuros(l.netCents)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <Deductions invoice={invoice} />
      <TotalsTable totals={invoice.totals} testId="draft-totals" />
      <TextInput label={t("appIssueDate")} type="date" value={issueDate} onInput={setIssueDate} max={today} inputId="issue-date" />
      <div class="form-actions">
        <button type="button" class="button primary" disabled={busy || !issueDate} onClick={issue} data-testid="issue-order-draft">
          {busy ? t("appIssuing") : t("appIssueConfirm")}
        </button>
        <ConfirmButton label={t("appDeleteDraft")} question={t("appDeleteDraftQuestion")} confirmLabel={t("appDeleteDraftConfirm")} onConfirm={remove} disabled={busy} />
      </div>
    </section>
  );
}
