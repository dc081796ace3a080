import { useMemo, useState } from "preact/hooks";
import { useAppData } from "../../../lib/app/data";
import { routeHref } from "../../../lib/app/route";
import { matchesCustomer } from "../../../lib/app/customer-search";
import { t } from "../../../lib/i18n";
import { FlashNotice } from "../../../components/app/FlashNotice";

/** Every customer of the company, searched as one types (name, code, SIREN, e-mail, city, category). */
export function CustomerList() {
  const { customers } = useAppData();
  const [query, setQuery] = useState("");
  const shown = useMemo(() => (customers ?? []).filter((c) => matchesCustomer(c, query)), [customers, query]);
  return (
    <section class="stack" aria-labelledby="customers-title" aria-busy={customers === null}>
      <div class="screen-head">
        <h1 id="customers-title">{t("appNavCustomers")}</h1>
        <a class="button secondary" href={routeHref({ view: "customer-new" })}>
          {t("appNewCustomer")}
        </a>
      </div>
      <FlashNotice />
      <input type="search" class="search" aria-label={t("appCustomersSearch")} placeholder={t("appCustomersSearch")} value={query} onInput={(e) => setQuery(e.currentTarget.value)} />
      {customers === null ? (
        <p class="muted">{t("loading")}</p>
      ) : shown.length === 0 ? (
        <p class="muted empty">{query ? t("appNoMatch", query) : t("appNoCustomers")}</p>
      ) : (
        <table class="list" data-testid="customer-list">
          <thead>
            <tr>
              <th scope="col">{t("appCode")}</th>
              <th scope="col">{t("appName")}</th>
              <th scope="col" class="wide-only">
                {t("appSiren")}
              </th>
              <th scope="col" class="wide-only">
                {t("appCity")}
              </th>
              <th scope="col" class="wide-only">
                {t("appCategory")}
              </th>
            </tr>
          </thead>
          <tbody>
            {shown.map((c) => (
              <tr key={c.id}>
                <td class="code">{c.code}</td>
                <td>
                  <a href={routeHref({ view: "customer", id: c.id })}>{c.name}</a>
                  {c.email ? <span class="sub">{c.email}</span> : null}
                </td>
                <td class="wide-only mono">{c.siren ?? ""}</td>
                <td class="wide-only">{c.address.city}</td>
                <td class="wide-only">{c.category ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
