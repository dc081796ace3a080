import { useEffect, useState } from "preact/hooks";
import { browser } from "wxt/browser";
import { t } from "../../lib/i18n";
import "./open-invoicing.css";

/** Opens the invoicing view in a new tab, on one of its screens (`#/invoices/new`), and closes the popup. */
export function openInvoicingAt(hash: string) {
  void browser.tabs.create({ url: browser.runtime.getURL(`/app.html${hash}`) }).then(() => window.close());
}

/** Firefox's sidebar, absent from Chrome's API types. */
type WithSidebar = { sidebarAction?: { open(): Promise<void> } };

/**
 * The way from the popup to the invoicing view: in a tab, or in the browser's side panel where it
 * has one. Both must open on the click itself (a user gesture), so the window is looked up first.
 */
export function OpenInvoicing() {
  const [windowId, setWindowId] = useState<number | null>(null);
  const sidebar = (browser as unknown as WithSidebar).sidebarAction;
  // Chrome's side panel (absent in Firefox, and in Chrome before 114).
  const sidePanel = (browser as { sidePanel?: typeof browser.sidePanel }).sidePanel ?? null;

  useEffect(() => {
    if (!sidePanel) return;
    void browser.windows
      .getCurrent()
      .then((w) => setWindowId(w.id ?? null))
      .catch(() => undefined);
  }, []);

  const inPanel = () => {
    if (sidebar) void sidebar.open().then(() => window.close());
    else if (sidePanel && windowId !== null) void sidePanel.open({ windowId }).then(() => window.close());
  };
  return (
    <span class="open-invoicing">
      <button type="button" class="button-link" title={t("appOpenTitle")} onClick={() => void browser.tabs.create({ url: browser.runtime.getURL("/app.html") })}>
        {t("appOpen")}
      </button>
      {sidebar || (sidePanel && windowId !== null) ? (
        <button type="button" class="panel-button" title={t("appOpenSidePanelTitle")} aria-label={t("appOpenSidePanelTitle")} onClick={inPanel} />
      ) : null}
    </span>
  );
}
