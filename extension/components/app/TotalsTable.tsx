import type { ComponentChildren } from "preact";
import type { InvoiceTotals } from "@passerelle/shared/totals";
import { formatVatRate } from "@passerelle/shared/vat";
import { formatEuros } from "../../lib/format";
import { t } from "../../lib/i18n";

/**
 * Totals as a French invoice prints them: per VAT rate the base HT and the VAT, then HT, VAT and
 * TTC. Figures sit in fixed-width columns of tabular digits, so nothing moves as they change.
 */
export function TotalsTable(props: { totals: InvoiceTotals; caption?: string; testId?: string; children?: ComponentChildren }) {
  const { totals } = props;
  return (
    <table class="totals" data-testid={props.testId}>
      <caption class={props.caption ? undefined : "visually-hidden"}>{props.caption ?? t("appTotals")}</caption>
      <colgroup>
        <col />
        <col class="money-col" />
        <col class="money-col" />
      </colgroup>
      <thead>
        <tr>
          <th scope="col">{t("appVatRate")}</th>
          <th scope="col" class="num">
            {t("appBaseHt")}
          </th>
          <th scope="col" class="num">
            {t("appVatAmount")}
          </th>
        </tr>
      </thead>
      <tbody>
        {totals.byRate.length === 0 ? (
          <tr class="rate-row">
            <td>—</td>
            <td class="num">{formatEuros(0)}</td>
            <td class="num">{formatEuros(0)}</td>
          </tr>
        ) : (
          totals.byRate.map((r) => (
            <tr key={r.vatRateBp} class="rate-row" data-rate={r.vatRateBp}>
              <th scope="row">{t("appVatAt", formatVatRate(r.vatRateBp))}</th>
              <td class="num">{formatEuros(r.baseCents)}</td>
              <td class="num">{formatEuros(r.vatCents)}</td>
            </tr>
          ))
        )}
      </tbody>
      <tfoot>
        <tr data-total="ht">
          <th scope="row" colSpan={2}>
            {t("appTotalHt")}
          </th>
          <td class="num">{formatEuros(totals.htCents)}</td>
        </tr>
        <tr data-total="vat">
          <th scope="row" colSpan={2}>
            {t("appTotalVat")}
          </th>
          <td class="num">{formatEuros(totals.vatCents)}</td>
        </tr>
        <tr data-total="ttc" class="grand">
          <th scope="row" colSpan={2}>
            {t("appTotalTtc")}
          </th>
          <td class="num">{formatEuros(totals.ttcCents)}</td>
        </tr>
        {props.children}
      </tfoot>
    </table>
  );
}
