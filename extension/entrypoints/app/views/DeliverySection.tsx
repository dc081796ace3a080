import { useState } from "preact/hooks";
import { DELIVERY_FIELDS, hasDelivery, type DeliveryForm } from "../../../lib/app/invoice-form";
import type { FieldErrors } from "../../../lib/app/form-errors";
import { formatDateFr } from "../../../lib/format";
import { t } from "../../../lib/i18n";
import { TextInput } from "../../../components/app/inputs";

/** What the closed section says it holds: "31/10/2026 · Chantier Part-Dieu, 69003 Lyon". */
function summaryOf(d: DeliveryForm): string {
  const parts: string[] = [];
  if (d.date) parts.push(/^\d{4}-\d{2}-\d{2}$/.test(d.date) ? formatDateFr(d.date) : d.date);
  if (d.periodFrom && d.periodTo) parts.push(t("appPeriodValue", formatDateFr(d.periodFrom), formatDateFr(d.periodTo)));
  const place = [d.line1.trim(), [d.postalCode.trim(), d.city.trim()].filter(Boolean).join(" ")].filter(Boolean).join(", ");
  if (place) parts.push(place);
  return parts.join(" · ");
}

/**
 * The "Livraison" part of a draft, closed until it is needed: the date of the sale or service when
 * it is not the issue date, the period of the services, and a delivery address when it is not the
 * customer's. It opens by itself when it holds something or a field of it is refused.
 */
export function DeliverySection(props: {
  value: DeliveryForm;
  errors: FieldErrors;
  onChange: (field: keyof DeliveryForm, value: string) => void;
}) {
  const d = props.value;
  const [open, setOpen] = useState(() => hasDelivery(d));
  const refused = Object.values(DELIVERY_FIELDS).some((key) => props.errors[key]);
  const field = (name: keyof DeliveryForm) => ({
    value: d[name],
    onInput: (v: string) => props.onChange(name, v),
    error: props.errors[DELIVERY_FIELDS[name]],
  });
  const summary = summaryOf(d);
  return (
    <details class="delivery-section" open={open || refused} onToggle={(e) => setOpen(e.currentTarget.open)} data-testid="delivery-section">
      <summary>
        <span class="summary-title">{t("appDelivery")}</span>
        {summary ? <span class="muted"> — {summary}</span> : null}
      </summary>
      <p class="muted">{t("appDeliveryHint")}</p>
      <div class="grid-3">
        <TextInput label={t("appDeliveryDate")} type="date" {...field("date")} hint={t("appDeliveryDateHint")} />
        <TextInput label={t("appPeriodFrom")} type="date" {...field("periodFrom")} />
        <TextInput label={t("appPeriodTo")} type="date" {...field("periodTo")} min={d.periodFrom || undefined} />
      </div>
      <div class="grid-2">
        <TextInput class="span-2" label={t("appDeliveryLine1")} {...field("line1")} maxLength={200} autoComplete="shipping address-line1" hint={t("appDeliveryAddressHint")} />
        <TextInput class="span-2" label={t("appDeliveryLine2")} {...field("line2")} maxLength={200} autoComplete="shipping address-line2" />
        <TextInput label={t("appDeliveryPostalCode")} {...field("postalCode")} maxLength={20} autoComplete="shipping postal-code" />
        <TextInput label={t("appDeliveryCity")} {...field("city")} maxLength={100} autoComplete="shipping address-level2" />
        <TextInput label={t("appDeliveryCountry")} {...field("country")} maxLength={2} hint={t("appCountryHint")} />
      </div>
    </details>
  );
}
