import { useEffect, useState } from "preact/hooks";
import type { MoneyStanding } from "@passerelle/shared";
import { api, describeFailure } from "../../../lib/messaging";
import { useAppData } from "../../../lib/app/data";
import { navigate, routeHref } from "../../../lib/app/route";
import { monthName } from "../../../lib/app/revenue-chart";
import { formatDateFr, formatEuros } from "../../../lib/format";
import { t } from "../../../lib/i18n";
import { Notice } from "../../../components/Notice";
import { FlashNotice } from "../../../components/app/FlashNotice";
import { RevenueChart } from "../../../components/app/RevenueChart";

function Figure(props: { id: string; label: string; cents: number; sub?: string | undefined }) {
  return (
    <div class="figure" data-testid={`figure-${props.id}`}>
      <dt>{props.label}</dt>
      <dd>
        <span class="amount">{formatEuros(props.cents)}</span>
        {props.sub ? <span class="sub">{props.sub}</span> : null}
      </dd>
    </div>
  );
}

/** The invoicing view's first screen: where the money stands today, what is overdue longest, and 12 months of revenue. */
export function HomeScreen() {
  const { companyId } = useAppData();
  const [standing, setStanding] = useState<MoneyStanding | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let alive = true;
    api("moneyStanding", companyId)
      .then((s) => alive && (setStanding(s), setError(null)))
      .catch((e: unknown) => alive && setError(describeFailure(e)));
    return () => {
      alive = false;
    };
  }, [companyId]);

  const s = standing;
  return (
    <section class="stack home" aria-labelledby="home-title" aria-busy={s === null && !error}>
      <div class="screen-head">
        <h1 id="home-title">{t("appHomeTitle")}</h1>
        {s ? <span class="muted">{t("appHomeOn", formatDateFr(s.today))}</span> : null}
      </div>
      <FlashNotice />
      {error ? <Notice kind="error">{error}</Notice> : null}
      {s === null ? (
        error ? null : <p class="muted">{t("loading")}</p>
      ) : (
        <>
          <dl class="figures" data-testid="home-figures">
            <Figure id="month-revenue" label={t("appHomeMonthRevenue", monthName(s.month.from.slice(0, 7)))} cents={s.month.revenueHtCents} />
            <Figure id="month-received" label={t("appHomeMonthReceived", monthName(s.month.from.slice(0, 7)))} cents={s.month.receivedCents} />
            <Figure id="year-revenue" label={t("appHomeYearRevenue")} cents={s.fiscalYear.revenueHtCents} sub={t("appHomeYearSince", formatDateFr(s.fiscalYear.from))} />
            <Figure id="year-received" label={t("appHomeYearReceived")} cents={s.fiscalYear.receivedCents} sub={t("appHomeYearSince", formatDateFr(s.fiscalYear.from))} />
            <Figure id="due" label={t("appHomeDue")} cents={s.dueCents} sub={t("appHomeInvoiceCount", s.dueCount)} />
            <Figure id="overdue" label={t("appHomeOverdue")} cents={s.overdueCents} sub={t("appHomeInvoiceCount", s.overdueCount)} />
          </dl>
          <section aria-labelledby="most-overdue-title">
            <h2 id="most-overdue-title">{t("appHomeMostOverdue")}</h2>
            {s.mostOverdue.length === 0 ? (
              <p class="muted">{t("appHomeNothingOverdue")}</p>
            ) : (
              <table class="list invoices-table most-overdue" data-testid="most-overdue">
                <thead>
                  <tr>
                    <th scope="col">{t("appNumber")}</th>
                    <th scope="col">{t("appCustomer")}</th>
                    <th scope="col">{t("appDueDate")}</th>
                    <th scope="col" class="num">
                      {t("appHomeLate")}
                    </th>
                    <th scope="col" class="num">
                      {t("appDue")}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {s.mostOverdue.map((i) => (
                    // the whole row opens the invoice; its links (number, customer) keep their own target
                    <tr key={i.id} class="clickable" onClick={(e) => !(e.target as Element).closest("a") && navigate({ view: "invoice", id: i.id })}>
                      <td>
                        <a href={routeHref({ view: "invoice", id: i.id })}>{i.number}</a>
                      </td>
                      <td class="clip">
                        <a href={routeHref({ view: "customer", id: i.customer.id })}>{i.customer.name}</a>
                      </td>
                      <td data-label={t("appDueDate")}>{formatDateFr(i.dueDate)}</td>
                      <td class="num" data-label={t("appHomeLate")}>
                        {t("appHomeDaysLate", i.daysLate)}
                      </td>
                      <td class="num" data-label={t("appDue")}>
                        {formatEuros(i.dueCents)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section aria-labelledby="revenue-title">
            <h2 id="revenue-title">{t("appHomeChartTitle")}</h2>
            <RevenueChart months={s.monthlyRevenue} />
          </section>
        </>
      )}
    </section>
  );
}
