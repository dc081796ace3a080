import { t, type MessageKey } from "../../../lib/i18n";
import { useStorageValue } from "../../../lib/hooks";
import { uploadsItem } from "../../../lib/storage";
import { isActive } from "../../../lib/uploads";

export type TabId = "invoices" | "accountant" | "documents";

const TABS: { id: TabId; label: MessageKey }[] = [
  { id: "invoices", label: "tabInvoices" },
  { id: "accountant", label: "tabAccountant" },
  { id: "documents", label: "tabDocuments" },
];

export function Tabs(props: { current: TabId; onSelect: (tab: TabId) => void }) {
  const uploads = useStorageValue(uploadsItem) ?? [];
  const sending = uploads.filter(isActive).length;
  return (
    <nav class="tabs" role="tablist">
      {TABS.map((tab) => (
        <button
          key={tab.id}
          type="button"
          role="tab"
          id={`tab-${tab.id}`}
          aria-selected={props.current === tab.id}
          aria-controls={`panel-${tab.id}`}
          class={props.current === tab.id ? "tab current" : "tab"}
          onClick={() => props.onSelect(tab.id)}
        >
          {t(tab.label)}
          {tab.id === "documents" && sending > 0 ? <span class="count">{sending}</span> : null}
        </button>
      ))}
    </nav>
  );
}
