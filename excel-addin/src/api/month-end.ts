/** Month-end across the portfolio: what stands in the way per company, locking many at once, exports saved as files and the export log. */
import type { PasserelleClient } from "@passerelle/shared/client";
import type { BatchLockOut, ExportLogEntry, MonthEnd, Page } from "@passerelle/shared";

const enc = encodeURIComponent;

/** Most companies whose last refresh in this workbook is sent along (the newest ones). */
const MAX_REFRESHED = 80;

/**
 * `refreshed`: when this workbook last refreshed each company's tables; documents issued before
 * count as seen, as those issued before the last export.
 */
export function loadMonthEnd(client: PasserelleClient, date: string, refreshed: Map<string, string> = new Map()): Promise<MonthEnd> {
  const newest = [...refreshed].sort((a, b) => b[1].localeCompare(a[1])).slice(0, MAX_REFRESHED);
  const query = { date, ...(newest.length ? { refreshed: newest.map(([id, at]) => `${id}:${at}`).join(",") } : {}) };
  return client.request("GET", "/accountant/month-end", { query });
}

/** Each company's latest refresh among the tables of this workbook. */
export function lastRefreshes(tables: { companyId: string; refreshedAt: string }[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const x of tables) if ((out.get(x.companyId) ?? "") < x.refreshedAt) out.set(x.companyId, x.refreshedAt);
  return out;
}

export function lockCompanies(client: PasserelleClient, until: string, companies: string[], preview: boolean): Promise<BatchLockOut> {
  return client.request("POST", "/accountant/locks", { body: { until, kind: "soft", companies, preview } });
}

export function exportLog(client: PasserelleClient, companyId: string, limit = 10): Promise<Page<ExportLogEntry>> {
  return client.request("GET", `/companies/${enc(companyId)}/exports`, { query: { limit } });
}

export type ExportFile = "fec" | "pack.zip";

/** The file name the server gives in `Content-Disposition`. */
export function attachmentName(header: string | null, fallback: string): string {
  const match = /filename="([^"]+)"/.exec(header ?? "");
  return match?.[1] ?? fallback;
}

/** Reads an export of the period through the API and hands it to the browser as a download. */
export async function downloadExport(client: PasserelleClient, companyId: string, file: ExportFile, from: string, to: string): Promise<{ fileName: string; bytes: number }> {
  const res = await client.raw("GET", `/companies/${enc(companyId)}/exports/${file}`, { query: { from, to } });
  const blob = await res.blob();
  const fileName = attachmentName(res.headers.get("content-disposition"), file === "fec" ? "FEC.txt" : "pack.zip");
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = fileName;
  a.style.display = "none";
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { fileName, bytes: blob.size };
}
