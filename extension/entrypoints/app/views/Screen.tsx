import type { Route } from "../../../lib/app/route";
import { InvoiceList } from "./InvoiceList";
import { InvoiceScreen } from "./InvoiceScreen";
import { InvoiceEditor } from "./InvoiceEditor";
import { QuoteList } from "./QuoteList";
import { QuoteScreen } from "./QuoteScreen";
import { CustomerList } from "./CustomerList";
import { CustomerEditor } from "./CustomerEditor";
import { ProductList } from "./ProductList";
import { ProductEditor } from "./ProductEditor";
import { CompanySettings } from "./CompanySettings";
import { HomeScreen } from "./HomeScreen";
import { CustomerPage } from "./CustomerPage";

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
