/** The document type and status choices of a journal query, as the company and consolidated panes offer them. */
import type { Strings } from "./i18n.js";

export type DocumentType = "" | "invoice" | "credit_note";
export type DocumentStatus = "" | "issued" | "partially_paid" | "paid";

export function DocumentFilters(props: { t: Strings; type: DocumentType; status: DocumentStatus; onType: (v: DocumentType) => void; onStatus: (v: DocumentStatus) => void }) {
  const { t } = props;
  return (
    <div class="row">
      <label>{t.docType}
        <select name="type" value={props.type} onChange={(e) => props.onType(e.currentTarget.value as DocumentType)}>
          <option value="">{t.allTypes}</option>
          <option value="invoice">{t.invoices}</option>
          <option value="credit_note">{t.creditNotes}</option>
        </select>
      </label>
      <label>{t.status}
        <select name="status" value={props.status} onChange={(e) => props.onStatus(e.currentTarget.value as DocumentStatus)}>
          <option value="">{t.allStatuses}</option>
          {(["issued", "partially_paid", "paid"] as const).map((s) => <option value={s} key={s}>{t.statuses[s]}</option>)}
        </select>
      </label>
    </div>
  );
}
