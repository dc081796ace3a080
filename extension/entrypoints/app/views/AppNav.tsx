import type { Route } from "../../../lib/app/route";
import { routeHref } from "../../../lib/app/route";
import { t, type MessageKey } from "../../../lib/i18n";

const SECTIONS: { section: "invoices" | "customers" | "products"; label: MessageKey; route: Route }[] = [
  { section: "invoices", label: "appNavInvoices", route: { view: "invoices", filters: {} } },
  { section: "customers", label: "appNavCustomers", route: { view: "customers" } },
  { section: "products", label: "appNavProducts", route: { view: "products" } },
];

export function sectionOf(route: Route): "invoices" | "customers" | "products" {
  if (route.view.startsWith("customer")) return "customers";
  if (route.view.startsWith("product")) return "products";
  return "invoices";
}

/** The three lists, and the one action owners come for. Plain links: the keyboard and the back button just work. */
export function AppNav(props: { route: Route }) {
  const current = sectionOf(props.route);
  return (
    <nav class="app-nav" aria-label={t("appNavLabel")}>
      <ul>
        {SECTIONS.map((s) => (
          <li key={s.section}>
            <a href={routeHref(s.route)} aria-current={current === s.section ? "page" : undefined} class={current === s.section ? "current" : undefined}>
              {t(s.label)}
            </a>
          </li>
        ))}
      </ul>
      <a class="button primary new-invoice" href={routeHref({ view: "invoice-new" })}>
        {t("appNewInvoice")}
      </a>
    </nav>
  );
}
