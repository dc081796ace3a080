/** The tab the owner is looking at: the active tab of the last focused browser window (the popup is not one). */
import { browser } from "wxt/browser";

export async function targetTabId(): Promise<number | null> {
  try {
    const win = await browser.windows.getLastFocused({ windowTypes: ["normal"] });
    const [tab] = await browser.tabs.query({ active: true, windowId: win.id });
    if (tab?.id !== undefined) return tab.id;
  } catch {
    // no normal window: fall through
  }
  const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
  return tab?.id ?? null;
}
