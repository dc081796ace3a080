import { useEffect, useState } from "preact/hooks";
import type { OverdueList as OverdueListData, OverdueSort } from "@passerelle/shared";
import { api, describeFailure } from "../../../lib/messaging";
import { useAppData } from "../../../lib/app/data";
import { routeHref } from "../../../lib/app/route";
import { formatDateFr, formatEuros, formatTimestampDate } from "../../../lib/format";
import { t } from "../../../lib/i18n";
import { Notice } from "../../../components/Notice";
import { SelectInput } from "../../../components/app/inputs";

/** "Relance 2 le 12/12/2026 (automatique)". */
function reminderText(r: NonNullable<OverdueListData["items"][number]["lastReminder"]>): string {
  return t(r.automatic ? "appLastReminderAutomatic" : "appLastReminder", r.level, formatTimestampDate(r.at));
}

/** The overdue invoices ("En retard"): days late, what is still due, a dispute, the last reminder; by due date or by amount. */
export function OverdueList(props: { sort: OverdueSort; onSort: (sort: OverdueSort) => void }) {
  const { companyId } = useAppData();
  const [list, setList] = useState<OverdueListData | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let alive = true;
    api("overdueInvoices", companyId, { sort: props.sort })
      .then((l) => alive && (setList(l), setError(null)))
      .catch((e: unknown) => alive && setError(describeFailure(e)));
    return () => {
      alive = false;
    };
  }, [companyId, props.sort]);

  return (
    <>
      <SelectInput label={t("appSortBy")} value={props.sort} onChange={(v) => props.onSort(v as OverdueSort)}>
        <option value="dueDate">{t("appSortDaysLate")}</option>
        <option value="amountDue">{t("appSortAmountDue")}</option>
      </SelectInput>
      {error ? <Notice kind="error">{error}</Notice> : null}
      {list === null ? (
        <p class="muted">{t("loading")}</p>
      ) : list.items.length === 0 ? (
        <p class="muted empty">{t("appNoOverdue")}</p>
      ) : (
        <table class="list invoices-table" data-testid="overdue-table">
          <thead>
            <tr>
              <th scope="col">{t("appNumber")}</th>
              <th scope="col">{t("appCustomer")}</th>
              <th scope="col">{t("appDueDate")}</th>
              <th scope="col" class="num">
                {t("appDaysLate")}
              </th>
              <th scope="col" class="num">
                {t("appDue")}
              </th>
              <th scope="col">{t("appReminders")}</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((i) => (
              <tr key={i.id} data-disputed={i.disputed ? "true" : undefined}>
                <td>
                  <a href={routeHref({ view: "invoice", id: i.id })}>{i.number}</a>
                  {i.disputed ? <span class="sub">{t("appDisputed")}</span> : null}
                </td>
                <td class="clip">{i.customer.name}</td>
                <td data-label={t("appDueDate")}>{formatDateFr(i.dueDate)}</td>
                <td class="num" data-label={t("appDaysLate")}>
                  {t("appDaysCount", i.daysLate)}
                </td>
                <td class="num" data-label={t("appDue")}>
                  {formatEuros(i.dueCents)}
                </td>
                <td data-label={t("appReminders")}>{i.lastReminder ? reminderText(i.lastReminder) : <span class="muted">{t("appNoReminder")}</span>}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr data-testid="overdue-totals">
              <th scope="row" colSpan={4}>
                {t("appOverdueTotal", list.totals.count)}
              </th>
              <td class="num" data-label={t("appDue")}>
                {formatEuros(list.totals.dueCents)}
              </td>
              <td />
            </tr>
          </tfoot>
        </table>
      )}
    </>
  );
}
