/**
 * "Envoyer à mon comptable" on links, images and on pages that are a document themselves (a PDF or
 * an image opened in the tab) — not on ordinary web pages, where there would be nothing to send:
 * the clicked document joins the upload queue.
 */
import { browser } from "wxt/browser";
import { t } from "../i18n";
import type { Uploader } from "./uploads";

export const SEND_MENU_ID = "send-to-accountant";
export const SEND_PAGE_MENU_ID = "send-page-to-accountant";

/** Addresses of a PDF or an image opened as the page itself, with or without a query string. */
export const DOCUMENT_PAGE_PATTERNS = ["pdf", "PDF", "png", "jpg", "jpeg", "gif", "webp"].flatMap((ext) => [`*://*/*.${ext}`, `*://*/*.${ext}?*`]);

export async function createMenus(): Promise<void> {
  await browser.contextMenus.removeAll();
  browser.contextMenus.create({ id: SEND_MENU_ID, title: t("menuSendToAccountant"), contexts: ["link", "image"] });
  browser.contextMenus.create({ id: SEND_PAGE_MENU_ID, title: t("menuSendToAccountant"), contexts: ["page"], documentUrlPatterns: DOCUMENT_PAGE_PATTERNS });
}

export interface MenuClick {
  menuItemId: string | number;
  linkUrl?: string | undefined;
  srcUrl?: string | undefined;
  pageUrl?: string | undefined;
  selectionText?: string | undefined;
}

/** The document a click points at: the link, else the image, else the page itself. */
export function documentFromClick(info: MenuClick, tab: { id?: number | undefined; url?: string | undefined } | undefined) {
  const url = info.linkUrl ?? info.srcUrl ?? info.pageUrl ?? tab?.url;
  if (!url) return null;
  return { url, label: info.linkUrl ? info.selectionText : undefined, tabId: tab?.id !== undefined && tab.id >= 0 ? tab.id : undefined };
}

export async function onMenuClick(uploader: Uploader, info: MenuClick, tab: { id?: number | undefined; url?: string | undefined } | undefined): Promise<void> {
  if (info.menuItemId !== SEND_MENU_ID && info.menuItemId !== SEND_PAGE_MENU_ID) return;
  const request = documentFromClick(info, tab);
  if (request) await uploader.enqueue([request]);
}
