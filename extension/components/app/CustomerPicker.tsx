import { useMemo, useState } from "preact/hooks";
import type { Customer } from "@passerelle/shared";
import { matchesCustomer } from "../../lib/app/customer-search";
import { routeHref } from "../../lib/app/route";
import { t } from "../../lib/i18n";
import { SelectInput } from "./inputs";

/**
 * The invoice's customer: a search that narrows the list as one types (name, code, SIREN, city…),
 * and the list itself. The customer chosen stays in the list whatever the search; when the search
 * leaves a single customer, that one is chosen.
 */
export function CustomerPicker(props: { customers: Customer[]; loading: boolean; value: string; onChange: (customerId: string) => void; error?: string | undefined }) {
  const [query, setQuery] = useState("");
  const shown = useMemo(() => props.customers.filter((c) => c.id === props.value || matchesCustomer(c, query)), [props.customers, props.value, query]);

  function search(text: string) {
    setQuery(text);
    const found = props.customers.filter((c) => matchesCustomer(c, text));
    if (text.trim() && found.length === 1 && found[0]!.id !== props.value) props.onChange(found[0]!.id);
  }

  return (
    <div class="customer-picker">
      <input
        type="search"
        class="picker-search"
        aria-label={t("appCustomersSearch")}
        placeholder={t("appCustomersSearch")}
        value={query}
        onInput={(e) => search(e.currentTarget.value)}
      />
      <SelectInput
        label={t("appCustomer")}
        value={props.value}
        onChange={props.onChange}
        error={props.error}
        required
        hint={query.trim() ? t("appCustomersFound", shown.length) : <a href={routeHref({ view: "customer-new" })}>{t("appNewCustomerLink")}</a>}
      >
        <option value="">{props.loading ? t("loading") : t("appChooseCustomer")}</option>
        {shown.map((c) => (
          <option key={c.id} value={c.id}>
            {c.name} ({c.code})
          </option>
        ))}
      </SelectInput>
    </div>
  );
}
