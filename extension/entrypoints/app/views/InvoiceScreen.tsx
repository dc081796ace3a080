import { useCallback, useEffect, useState } from "preact/hooks";
import type { Invoice } from "@passerelle/shared";
import { api, describeFailure } from "../../../lib/messaging";
import { useAppData } from "../../../lib/app/data";
import { t } from "../../../lib/i18n";
import { Notice } from "../../../components/Notice";
import { InvoiceEditor } from "./InvoiceEditor";
import { InvoiceDetail } from "./InvoiceDetail";
import { OrderDraft } from "./OrderDraft";

/** One invoice: a draft opens in the editor (a deposit's or balance's in its own view), an issued invoice or credit note in its detail. */
export function InvoiceScreen(props: { invoiceId: string }) {
  const { companyId } = useAppData();
  const [invoice, setInvoice] = useState<Invoice | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setInvoice(await api("getInvoice", companyId, props.invoiceId));
      setError(null);
    } catch (e) {
      setError(describeFailure(e));
    }
  }, [companyId, props.invoiceId]);

  useEffect(() => void load(), [load]);

  if (error && !invoice) return <Notice kind="error">{error}</Notice>;
  if (!invoice) return <p class="muted">{t("loading")}</p>;
  if (invoice.status === "draft" && invoice.orderRole) return <OrderDraft key={invoice.id} invoice={invoice} onSaved={setInvoice} />;
  if (invoice.status === "draft") return <InvoiceEditor invoiceId={invoice.id} invoice={invoice} onSaved={setInvoice} />;
  return <InvoiceDetail invoice={invoice} reload={load} />;
}
