/**
 * "Documents on this page": the PDF links of the tab the owner is looking at, read on demand by
 * a function injected with `scripting` (no content script runs on every page).
 */
import { browser } from "wxt/browser";
import type { FoundDocument, PageDocuments } from "../protocol";
import { t } from "../i18n";
import { fail } from "./failures";

const MAX_DOCUMENTS = 100;

/** Runs inside the page (serialised by `scripting.executeScript`): must not use anything from outside its body. */
export function collectDocumentLinks(max: number): { title: string; documents: { url: string; label: string }[] } {
  const found: { url: string; label: string }[] = [];
  const seen = new Set<string>();
  const isPdfUrl = (url: URL) => /\.pdf$/i.test(url.pathname);
  const add = (raw: string | null, label: string | null, knownPdf: boolean) => {
    if (!raw || found.length >= max) return;
    let url: URL;
    try {
      url = new URL(raw, document.baseURI);
    } catch {
      return;
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") return;
    if (!knownPdf && !isPdfUrl(url)) return;
    url.hash = "";
    if (seen.has(url.href)) return;
    seen.add(url.href);
    found.push({ url: url.href, label: (label ?? "").replace(/\s+/g, " ").trim().slice(0, 120) });
  };
  if (document.contentType === "application/pdf") add(location.href, document.title, true);
  for (const a of Array.from(document.querySelectorAll<HTMLAnchorElement>("a[href]"))) {
    const typed = (a.getAttribute("type") ?? "").toLowerCase() === "application/pdf";
    add(a.getAttribute("href"), a.textContent || a.title || a.getAttribute("download"), typed);
  }
  for (const el of Array.from(document.querySelectorAll("embed[src], iframe[src], object[data]"))) {
    const typed = (el.getAttribute("type") ?? "").toLowerCase() === "application/pdf";
    add(el.getAttribute("src") ?? el.getAttribute("data"), el.getAttribute("title"), typed);
  }
  return { title: document.title, documents: found };
}

export function labelled(documents: { url: string; label: string }[]): FoundDocument[] {
  return documents.map((d) => ({ url: d.url, label: d.label || decodeLastSegment(d.url) }));
}

function decodeLastSegment(url: string): string {
  const last = new URL(url).pathname.split("/").filter(Boolean).pop() ?? url;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

export async function findDocumentsOnPage(tabId: number): Promise<PageDocuments> {
  let results;
  try {
    results = await browser.scripting.executeScript({ target: { tabId }, func: collectDocumentLinks, args: [MAX_DOCUMENTS] });
  } catch {
    // Browser pages, the web store, or a tab the owner has not opened the popup on: no access.
    throw fail("page-unavailable", t("errorPageUnavailable"));
  }
  const result = results[0]?.result;
  if (!result) throw fail("page-unavailable", t("errorPageUnavailable"));
  return { tabId, pageTitle: result.title, documents: labelled(result.documents) };
}
