import type { InvoiceLine } from "@passerelle/shared";
import { formatVatRate } from "@passerelle/shared/vat";
import { formatQuantityFr } from "@passerelle/shared/format";
import { unitLabel } from "@passerelle/shared/units";
import { formatEuros } from "../../lib/format";
import { t } from "../../lib/i18n";

type Line = Pick<InvoiceLine, "id" | "description" | "quantity" | "unit" | "unitPriceCents" | "discountCents" | "vatRateBp" | "netCents">;

/** The lines of an issued document (invoice, credit note, quote) as it states them: the quantity in its unit, the description on as many lines as it was typed. */
export function DetailLines(props: { lines: readonly Line[] }) {
  return (
    <table class="list detail-lines" data-testid="detail-lines">
      <caption class="visually-hidden">{t("appLines")}</caption>
      <thead>
        <tr>
          <th scope="col">{t("appDescription")}</th>
          <th scope="col" class="num">
            {t("appQuantity")}
          </th>
          <th scope="col" class="num wide-only">
            {t("appUnitPriceHt")}
          </th>
          <th scope="col" class="num wide-only">
            {t("appDiscount")}
          </th>
          <th scope="col" class="num">
            {t("appVatRate")}
          </th>
          <th scope="col" class="num">
            {t("appLineNet")}
          </th>
        </tr>
      </thead>
      <tbody>
        {props.lines.map((l) => (
          <tr key={l.id}>
            <td class="line-description">{l.description}</td>
            <td class="num">{l.unit ? `${formatQuantityFr(l.quantity)} ${unitLabel(l.unit, l.quantity)}` : formatQuantityFr(l.quantity)}</td>
            <td class="num wide-only">{formatEuros(l.unitPriceCents)}</td>
            <td class="num wide-only">{l.discountCents > 0 ? formatEuros(l.discountCents) : ""}</td>
            <td class="num">{formatVatRate(l.vatRateBp)}</td>
            <td class="num">{formatEuros(l.netCents)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
