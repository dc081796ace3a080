import { useMemo } from "preact/hooks";
import type { Customer } from "@passerelle/shared";
import { t } from "../../lib/i18n";
import { SelectInput, TextInput } from "./inputs";

interface PeriodCustomer {
  from?: string | undefined;
  to?: string | undefined;
  customerId?: string | undefined;
}

/** The filters the invoice and quote lists share: a period (refused when it ends before it starts) and a customer. */
export function PeriodCustomerFilters(props: { filters: PeriodCustomer; customers: Customer[] | null; badPeriod: boolean; onChange: (change: PeriodCustomer) => void }) {
  const { filters, onChange } = props;
  const sorted = useMemo(() => [...(props.customers ?? [])].sort((a, b) => a.name.localeCompare(b.name, "fr")), [props.customers]);
  return (
    <>
      <TextInput label={t("appFrom")} type="date" value={filters.from ?? ""} onInput={(v) => onChange({ from: v || undefined })} error={props.badPeriod ? t("appPeriodReversed") : undefined} />
      <TextInput label={t("appTo")} type="date" value={filters.to ?? ""} onInput={(v) => onChange({ to: v || undefined })} />
      <SelectInput label={t("appCustomer")} value={filters.customerId ?? ""} onChange={(v) => onChange({ customerId: v || undefined })}>
        <option value="">{t("appAllCustomers")}</option>
        {sorted.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name} ({c.code})
          </option>
        ))}
      </SelectInput>
    </>
  );
}
