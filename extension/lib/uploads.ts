/** Documents on their way to the accountant: the record the background keeps and the popup shows. */

/** `duplicate`: the company already holds these very bytes; the owner may send them anyway. */
export type UploadState = "queued" | "fetching" | "uploading" | "sent" | "failed" | "duplicate";

export interface Upload {
  id: string;
  /** Where the document comes from: also sent to the API as its `sourceUrl`. */
  url: string;
  label: string;
  /** The tab it was found in: lets the page itself fetch it with its own cookies when needed. */
  tabId: number | null;
  companyId: string | null;
  state: UploadState;
  receivedBytes: number;
  totalBytes: number | null;
  /** Why it failed, in the user's language. */
  error: string | null;
  /** The stored document: this one once sent, or the earlier one holding the same bytes. */
  documentId: string | null;
  sha256: string | null;
  /** When the same bytes were sent before (a `duplicate`). */
  alreadySentAt?: string | null;
  /** The owner chose to send it although the same bytes were sent before. */
  sendAnyway?: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface UploadRequest {
  url: string;
  label?: string | undefined;
  tabId?: number | undefined;
}

export const isActive = (u: Upload) => u.state === "queued" || u.state === "fetching" || u.state === "uploading";
export const isFinished = (u: Upload) => u.state === "sent" || u.state === "failed" || u.state === "duplicate";

/** 0–100 while the bytes come in, null when the size is unknown or not downloading. */
export function downloadPercent(u: Upload): number | null {
  if (u.state !== "fetching" || !u.totalBytes) return null;
  return Math.min(100, Math.floor((u.receivedBytes / u.totalBytes) * 100));
}

/** A readable name for a link: its text, else the file name in its path, else its host. */
export function labelFor(url: string, text?: string | null): string {
  const cleaned = (text ?? "").replace(/\s+/g, " ").trim().slice(0, 120);
  if (cleaned) return cleaned;
  try {
    const parsed = new URL(url);
    const last = parsed.pathname.split("/").filter(Boolean).pop();
    return last ? safeDecode(last) : parsed.hostname;
  } catch {
    return url.slice(0, 120);
  }
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
