import { useCallback, useEffect, useState } from "preact/hooks";
import type { Quote } from "@passerelle/shared";
import { api, describeFailure } from "../../../lib/messaging";
import { useAppData } from "../../../lib/app/data";
import { t } from "../../../lib/i18n";
import { Notice } from "../../../components/Notice";
import { InvoiceEditor } from "./InvoiceEditor";
import { QuoteDetail } from "./QuoteDetail";

/** One quote: a draft opens in the editor, an issued quote in its detail. */
export function QuoteScreen(props: { quoteId: string }) {
  const { companyId } = useAppData();
  const [quote, setQuote] = useState<Quote | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setQuote(await api("getQuote", companyId, props.quoteId));
      setError(null);
    } catch (e) {
      setError(describeFailure(e));
    }
  }, [companyId, props.quoteId]);

  useEffect(() => void load(), [load]);

  if (error && !quote) return <Notice kind="error">{error}</Notice>;
  if (!quote) return <p class="muted">{t("loading")}</p>;
  if (quote.status === "draft") return <InvoiceEditor kind="quote" invoiceId={quote.id} quote={quote} onQuoteSaved={setQuote} />;
  return <QuoteDetail quote={quote} onChanged={setQuote} reload={load} />;
}
