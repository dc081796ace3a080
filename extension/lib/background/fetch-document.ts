/**
 * Getting a document's bytes from where the owner found it. The background fetches it first;
 * when that is refused (the site wants its own cookies, or answers cross-origin requests with an
 * error) the tab it came from fetches it itself — possible only with `activeTab` or the host
 * permission, i.e. after the owner acted on that tab.
 */
import { browser } from "wxt/browser";
import type { BackgroundEnv } from "./env";
import { fail, FailureError } from "./failures";
import { t } from "../i18n";
import { base64ToBytes } from "../base64";

export interface FetchedDocument {
  bytes: Uint8Array<ArrayBuffer>;
  contentType: string;
  fileName: string;
}

export type Progress = (received: number, total: number | null) => void;

/** Runs inside the page (serialised by `scripting.executeScript`): must not use anything from outside its body. */
export async function fetchInPage(url: string): Promise<{ status: number; contentType: string; disposition: string; base64: string } | { status: number; error: string }> {
  try {
    const response = await fetch(url, { credentials: "include" });
    if (!response.ok) return { status: response.status, error: response.statusText };
    const bytes = new Uint8Array(await response.arrayBuffer());
    let binary = "";
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return {
      status: response.status,
      contentType: response.headers.get("content-type") ?? "",
      disposition: response.headers.get("content-disposition") ?? "",
      base64: btoa(binary),
    };
  } catch (error) {
    return { status: 0, error: String(error) };
  }
}

/** `attachment; filename*=UTF-8''facture%20n%C2%B01.pdf` → `facture n°1.pdf`. */
export function fileNameFromDisposition(header: string): string | null {
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim());
    } catch {
      // fall through to the plain form
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(header);
  return plain?.[1]?.trim() || null;
}

export function fileNameFor(url: string, disposition: string, label: string): string {
  const fromHeader = fileNameFromDisposition(disposition);
  if (fromHeader) return fromHeader;
  try {
    const last = new URL(url).pathname.split("/").filter(Boolean).pop();
    if (last) return decodeURIComponent(last);
  } catch {
    // not a parsable URL or segment: use the label
  }
  return label;
}

/** HTML is what a link gives when it leads to a login page or a viewer, not to the document. */
function refuseWebPage(contentType: string): void {
  if (/^\s*(text\/html|application\/xhtml)/i.test(contentType)) throw fail("not-a-document", t("uploadNotDocument"));
}

async function readWithProgress(response: Response, onProgress: Progress): Promise<Uint8Array<ArrayBuffer>> {
  const total = Number(response.headers.get("content-length")) || null;
  if (!response.body) return new Uint8Array(await response.arrayBuffer());
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.byteLength;
    onProgress(received, total);
  }
  const bytes = new Uint8Array(received);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

export async function fetchDocument(
  env: BackgroundEnv,
  request: { url: string; tabId: number | null; label: string },
  onProgress: Progress,
): Promise<FetchedDocument> {
  let firstProblem: unknown = null;
  try {
    const response = await env.fetch(request.url, { credentials: "include" });
    if (response.ok) {
      const contentType = response.headers.get("content-type") ?? "";
      refuseWebPage(contentType);
      const bytes = await readWithProgress(response, onProgress);
      return { bytes, contentType, fileName: fileNameFor(response.url || request.url, response.headers.get("content-disposition") ?? "", request.label) };
    }
    firstProblem = fail("download-failed", t("uploadDownloadFailed", response.status));
    // Only a refusal the page's own session could lift is worth asking the page about.
    if (![401, 403, 404].includes(response.status)) throw firstProblem;
  } catch (error) {
    if (error instanceof FailureError) throw error;
    firstProblem = error;
  }
  if (request.tabId === null) {
    throw firstProblem instanceof FailureError ? firstProblem : fail("download-failed", t("uploadDownloadUnreachable"));
  }

  let results;
  try {
    results = await browser.scripting.executeScript({ target: { tabId: request.tabId }, func: fetchInPage, args: [request.url] });
  } catch {
    throw firstProblem instanceof FailureError ? firstProblem : fail("page-unavailable", t("errorPageUnavailable"));
  }
  const result = results[0]?.result;
  if (!result || !("base64" in result)) {
    const status = result?.status ?? 0;
    if (status) throw fail("download-failed", t("uploadDownloadFailed", status));
    throw firstProblem instanceof FailureError ? firstProblem : fail("download-failed", t("uploadDownloadUnreachable"));
  }
  refuseWebPage(result.contentType);
  const bytes = base64ToBytes(result.base64);
  onProgress(bytes.byteLength, bytes.byteLength);
  return { bytes, contentType: result.contentType, fileName: fileNameFor(request.url, result.disposition, request.label) };
}
