import type { Route } from "../../../lib/app/route";
import { InvoiceList } from "./InvoiceList";
import { InvoiceScreen } from "./InvoiceScreen";
import { InvoiceEditor } from "./InvoiceEditor";
import { HomeScreen } from "./HomeScreen";
import { lazyScreen } from "../../../lib/app/lazy";

// Loaded when first shown: the view opens on the home screen and the invoices without them.
const QuoteList = lazyScreen(() => import("./QuoteList").then((m) => m.QuoteList));
const QuoteScreen = lazyScreen(() => import("./QuoteScreen").then((m) => m.QuoteScreen));
const CustomerList = lazyScreen(() => import("./CustomerList").then((m) => m.CustomerList));
const CustomerEditor = lazyScreen(() => import("./CustomerEditor").then((m) => m.CustomerEditor));
const CustomerPage = lazyScreen(() => import("./CustomerPage").then((m) => m.CustomerPage));
const ProductList = lazyScreen(() => import("./ProductList").then((m) => m.ProductList));
const ProductEditor = lazyScreen(() => import("./ProductEditor").then((m) => m.ProductEditor));
const CompanySettings = lazyScreen(() => import("./CompanySettings").then((m) => m.CompanySettings));

/** One screen per route; `key` gives each record a fresh screen. */
export function Screen(props: { route: Route }) {
  const { route } = props;
  switch (route.view) {
    case "home":
      return <HomeScreen />;
    case "invoices":
      return <InvoiceList filters={route.filters} />;
    case "invoice-new":
      return <InvoiceEditor key="new" invoiceId={null} />;
    case "invoice":
      return <InvoiceScreen key={route.id} invoiceId={route.id} />;
    case "quotes":
      return <QuoteList filters={route.filters} />;
    case "quote-new":
      return <InvoiceEditor key="new-quote" kind="quote" invoiceId={null} />;
    case "quote":
      return <QuoteScreen key={route.id} quoteId={route.id} />;
    case "customers":
      return <CustomerList />;
    case "customer-new":
      return <CustomerEditor key="new" customerId={null} />;
    case "customer":
      return <CustomerPage key={route.id} customerId={route.id} />;
    case "customer-edit":
      return <CustomerEditor key={route.id} customerId={route.id} />;
    case "products":
      return <ProductList />;
    case "product-new":
      return <ProductEditor key="new" productId={null} />;
    case "product":
      return <ProductEditor key={route.id} productId={route.id} />;
    case "company":
      return <CompanySettings />;
  }
}
