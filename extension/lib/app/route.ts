/**
 * Where the invoicing view is, in the address's #fragment: a reload, the back button and a
 * bookmark all land on the same screen with the same filters.
 */
import { useEffect, useState } from "preact/hooks";
import type { InvoiceStatus, InvoiceType, OverdueSort, QuoteStatus } from "@passerelle/shared";

export interface InvoiceListFilters {
  from?: string | undefined;
  to?: string | undefined;
  customerId?: string | undefined;
  /** "overdue" shows the overdue list instead ("En retard"), sorted by `sort`. */
  status?: InvoiceStatus | "overdue" | undefined;
  sort?: OverdueSort | undefined;
  type?: InvoiceType | undefined;
  q?: string | undefined;
}

export interface QuoteListFilters {
  from?: string | undefined;
  to?: string | undefined;
  customerId?: string | undefined;
  status?: QuoteStatus | undefined;
  q?: string | undefined;
}

export type Route =
  | { view: "home" }
  | { view: "invoices"; filters: InvoiceListFilters }
  | { view: "quotes"; filters: QuoteListFilters }
  | { view: "quote-new" }
  | { view: "quote"; id: string }
  | { view: "invoice-new" }
  | { view: "invoice"; id: string }
  | { view: "customers" }
  | { view: "customer-new" }
  | { view: "customer"; id: string }
  | { view: "customer-edit"; id: string }
  | { view: "products" }
  | { view: "product-new" }
  | { view: "product"; id: string }
  | { view: "company" };

const STATUSES: readonly string[] = ["draft", "issued", "partially_paid", "paid", "overdue"];
const SORTS: readonly string[] = ["dueDate", "amountDue"];
const TYPES: readonly string[] = ["invoice", "credit_note"];
const QUOTE_STATUSES: readonly string[] = ["draft", "issued", "accepted", "refused", "expired"];
const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function parseRoute(hash: string): Route {
  const [path = "", query = ""] = hash.replace(/^#\/?/, "").split("?");
  const [section, id, action] = path.split("/").map((s) => decodeURIComponent(s));
  const params = new URLSearchParams(query);
  const date = (name: string) => (DATE.test(params.get(name) ?? "") ? params.get(name)! : undefined);
  const status = params.get("status") ?? "";
  const type = params.get("type") ?? "";
  switch (section) {
    case "company":
      return { view: "company" };
    case "customers":
      if (id === "new") return { view: "customer-new" };
      if (id) return action === "edit" ? { view: "customer-edit", id } : { view: "customer", id };
      return { view: "customers" };
    case "products":
      return id === "new" ? { view: "product-new" } : id ? { view: "product", id } : { view: "products" };
    case "invoices":
      if (id === "new") return { view: "invoice-new" };
      if (id) return { view: "invoice", id };
      break;
    case "quotes":
      if (id === "new") return { view: "quote-new" };
      if (id) return { view: "quote", id };
      return {
        view: "quotes",
        filters: {
          from: date("from"),
          to: date("to"),
          customerId: params.get("customer") || undefined,
          status: QUOTE_STATUSES.includes(status) ? (status as QuoteStatus) : undefined,
          q: params.get("q") || undefined,
        },
      };
    default:
      // the home screen: where the money stands
      return { view: "home" };
  }
  return {
    view: "invoices",
    filters: {
      from: date("from"),
      to: date("to"),
      customerId: params.get("customer") || undefined,
      status: STATUSES.includes(status) ? (status as InvoiceListFilters["status"]) : undefined,
      sort: SORTS.includes(params.get("sort") ?? "") ? (params.get("sort") as OverdueSort) : undefined,
      type: TYPES.includes(type) ? (type as InvoiceType) : undefined,
      q: params.get("q") || undefined,
    },
  };
}

export function routeHref(route: Route): string {
  switch (route.view) {
    case "home":
      return "#/";
    case "invoice-new":
      return "#/invoices/new";
    case "invoice":
      return `#/invoices/${encodeURIComponent(route.id)}`;
    case "quote-new":
      return "#/quotes/new";
    case "quote":
      return `#/quotes/${encodeURIComponent(route.id)}`;
    case "quotes":
      return listHref("#/quotes", route.filters);
    case "customers":
      return "#/customers";
    case "customer-new":
      return "#/customers/new";
    case "customer":
      return `#/customers/${encodeURIComponent(route.id)}`;
    case "customer-edit":
      return `#/customers/${encodeURIComponent(route.id)}/edit`;
    case "products":
      return "#/products";
    case "product-new":
      return "#/products/new";
    case "product":
      return `#/products/${encodeURIComponent(route.id)}`;
    case "company":
      return "#/company";
    case "invoices":
      return listHref("#/invoices", route.filters);
  }
}

function listHref(path: string, f: InvoiceListFilters | QuoteListFilters): string {
  const params = new URLSearchParams();
  for (const [name, value] of [["from", f.from], ["to", f.to], ["customer", f.customerId], ["status", f.status], ["type", "type" in f ? f.type : undefined], ["q", f.q], ["sort", "sort" in f ? f.sort : undefined]] as const) {
    if (value) params.set(name, value);
  }
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

export function navigate(route: Route, replace = false): void {
  const href = routeHref(route);
  if (replace) history.replaceState(null, "", href);
  else location.hash = href;
  // replaceState does not fire hashchange: tell the view ourselves.
  if (replace) window.dispatchEvent(new HashChangeEvent("hashchange"));
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const update = () => setRoute(parseRoute(location.hash));
    window.addEventListener("hashchange", update);
    // The address may have changed between the first render and now.
    update();
    return () => window.removeEventListener("hashchange", update);
  }, []);
  return route;
}

/** The type filter shared by the invoice and quote lists: invoices and credit notes are one list, quotes another. */
export function typeChoice(value: string, filters: { from?: string | undefined; to?: string | undefined; customerId?: string | undefined; q?: string | undefined }): void {
  const kept = { from: filters.from, to: filters.to, customerId: filters.customerId, q: filters.q };
  if (value === "quote") navigate({ view: "quotes", filters: kept }, true);
  else navigate({ view: "invoices", filters: { ...kept, type: (value || undefined) as "invoice" | "credit_note" | undefined } }, true);
}
