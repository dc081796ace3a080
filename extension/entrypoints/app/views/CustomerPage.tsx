import { useEffect, useState } from "preact/hooks";
import type { Customer, CustomerBalance, CustomerSending, Invoice } from "@passerelle/shared";
import { paymentState } from "@passerelle/shared/payment-state";
import { api, describeFailure } from "../../../lib/messaging";
import { useAppData } from "../../../lib/app/data";
import { routeHref } from "../../../lib/app/route";
import { businessToday, formatDateFr, formatEuros } from "../../../lib/format";
import { t } from "../../../lib/i18n";
import { Notice } from "../../../components/Notice";
import { StatePill } from "../../../components/StatePill";
import { FlashNotice } from "../../../components/app/FlashNotice";
import { atTime, statusText } from "./InvoiceSendings";

const PAGE = 50;

function kindLabel(kind: string): string {
  if (kind === "invoice") return t("appSendingKindInvoice");
  if (kind === "credit_note") return t("appSendingKindCreditNote");
  if (kind === "reminder_1") return t("appReminderLevel1");
  if (kind === "reminder_2") return t("appReminderLevel2");
  if (kind === "reminder_3") return t("appReminderLevel3");
  return t("appSendingKindReminder");
}

/** A customer's page: what it owes, its documents, and the e-mails sent to it (invoices, credit notes, reminders). */
export function CustomerPage(props: { customerId: string }) {
  const { companyId } = useAppData();
  const [customer, setCustomer] = useState<Customer | null>(null);
  const [balance, setBalance] = useState<CustomerBalance | null>(null);
  const [documents, setDocuments] = useState<{ items: Invoice[]; more: boolean } | null>(null);
  const [sendings, setSendings] = useState<CustomerSending[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const today = businessToday();

  useEffect(() => {
    let alive = true;
    const id = props.customerId;
    Promise.all([
      api("getCustomer", companyId, id),
      api("customerBalance", companyId, id),
      api("listInvoices", companyId, { customerId: id, limit: PAGE }),
      api("listCustomerSendings", companyId, id, { limit: PAGE }),
    ])
      .then(([c, b, docs, sent]) => {
        if (!alive) return;
        setCustomer(c);
        setBalance(b);
        setDocuments({ items: docs.items, more: docs.nextCursor !== null });
        setSendings(sent.items);
        setError(null);
      })
      .catch((e: unknown) => alive && setError(describeFailure(e)));
    return () => {
      alive = false;
    };
  }, [companyId, props.customerId]);

  return (
    <section class="stack customer-page" aria-labelledby="customer-page-title" aria-busy={customer === null && !error}>
      <div class="screen-head">
        <h1 id="customer-page-title">{customer ? customer.name : t("appCustomer")}</h1>
        {customer ? (
          <a class="button secondary" href={routeHref({ view: "customer-edit", id: customer.id })}>
            {t("appEditCustomer")}
          </a>
        ) : null}
      </div>
      <FlashNotice />
      {error ? <Notice kind="error">{error}</Notice> : null}
      {customer ? (
        <p class="muted" data-testid="customer-summary">
          {[t("appCustomerCode", customer.code), customer.email, `${customer.address.postalCode} ${customer.address.city}`.trim()].filter(Boolean).join(" · ")}
        </p>
      ) : error ? null : (
        <p class="muted">{t("loading")}</p>
      )}
      {balance ? (
        <dl class="figures" data-testid="customer-balance">
          {(
            [
              ["billed", t("appCustomerBilled"), balance.billedCents, undefined],
              ["received", t("appCustomerReceived"), balance.receivedCents, undefined],
              ["due", t("appHomeDue"), balance.dueCents, undefined],
              ["overdue", t("appHomeOverdue"), balance.overdueCents, t("appHomeInvoiceCount", balance.overdueCount)],
            ] as const
          ).map(([id, label, cents, sub]) => (
            <div class="figure" key={id} data-testid={`balance-${id}`}>
              <dt>{label}</dt>
              <dd>
                <span class="amount">{formatEuros(cents)}</span>
                {sub ? <span class="sub">{sub}</span> : null}
              </dd>
            </div>
          ))}
        </dl>
      ) : null}
      {documents ? (
        <section aria-labelledby="customer-documents-title">
          <h2 id="customer-documents-title">{t("appCustomerDocuments")}</h2>
          {documents.items.length === 0 ? (
            <p class="muted">{t("appNoInvoices")}</p>
          ) : (
            <table class="list invoices-table" data-testid="customer-documents">
              <thead>
                <tr>
                  <th scope="col">{t("appNumber")}</th>
                  <th scope="col">{t("appDate")}</th>
                  <th scope="col">{t("appDueDate")}</th>
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
                {documents.items.map((i) => (
                  <tr key={i.id} data-type={i.type}>
                    <td>
                      <a href={routeHref({ view: "invoice", id: i.id })}>{i.number ?? t("stateDraft")}</a>
                    </td>
                    <td>{i.issueDate ? formatDateFr(i.issueDate) : "—"}</td>
                    <td data-label={t("appDueDate")}>{i.type === "invoice" && i.dueDate ? formatDateFr(i.dueDate) : ""}</td>
                    <td class="num" data-label={t("appTtc")}>
                      {formatEuros((i.type === "credit_note" ? -1 : 1) * i.totals.ttcCents)}
                    </td>
                    <td class="num" data-label={t("appDue")}>
                      {i.type === "invoice" && i.status !== "draft" ? formatEuros(i.dueCents) : ""}
                    </td>
                    <td data-label={t("appStatus")}>
                      <StatePill state={paymentState(i, today)} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {documents.more ? (
            <a href={routeHref({ view: "invoices", filters: { customerId: props.customerId } })}>{t("appCustomerAllDocuments")}</a>
          ) : null}
        </section>
      ) : null}
      {sendings ? (
        <section aria-labelledby="customer-sendings-title">
          <h2 id="customer-sendings-title">{t("appSendings")}</h2>
          {sendings.length === 0 ? (
            <p class="muted">{t("appNoSendings")}</p>
          ) : (
            <table class="list" data-testid="customer-sendings">
              <tbody>
                {sendings.map((s) => (
                  <tr key={s.id} data-kind={s.kind} data-status={s.status}>
                    <td>{atTime(s.sentAt ?? s.createdAt)}</td>
                    <td>
                      {kindLabel(s.kind)} <a href={routeHref({ view: "invoice", id: s.invoiceId })}>{s.invoiceNumber}</a>
                    </td>
                    <td class="clip">{s.to.join(", ")}</td>
                    <td>{statusText(s)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ) : null}
    </section>
  );
}
