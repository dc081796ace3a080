import type { Route } from "../../../lib/app/route";
import { routeHref } from "../../../lib/app/route";
import { t, type MessageKey } from "../../../lib/i18n";

type Section = "home" | "invoices" | "customers" | "products" | "company";

const SECTIONS: { section: Section; label: MessageKey; route: Route }[] = [
  { section: "home", label: "appNavHome", route: { view: "home" } },
  { section: "invoices", label: "appNavInvoices", route: { view: "invoices", filters: {} } },
  { section: "customers", label: "appNavCustomers", route: { view: "customers" } },
  { section: "products", label: "appNavProducts", route: { view: "products" } },
  { section: "company", label: "appNavCompany", route: { view: "company" } },
];

export function sectionOf(route: Route): Section {
  if (route.view === "home") return "home";
  if (route.view === "company") return "company";
  if (route.view.startsWith("customer")) return "customers";
  if (route.view.startsWith("product")) return "products";
  return "invoices";
}

/** Where the money stands, the three lists, the company's settings, and the one action owners come for. Plain links: the keyboard and the back button just work. */
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
