/**
 * A journal table published as a feed: the table's filters saved on the server as a journal query
 * (with its dates, or a period that rolls with the calendar), and a read-only API key limited to
 * the company for the workbook's credentials, so Excel's Data → From Web refreshes without the add-in.
 */
import type { ApiKeyCreated, JournalQuery, JournalQueryInput, JournalQueryPeriod } from "@passerelle/shared";
import type { PasserelleClient } from "@passerelle/shared/client";
import type { SavedTable } from "../excel/saved-tables.js";

/** The saved query a journal table stands for, over `period` (`fixed`: the table's own dates). */
export function feedQueryOf(table: SavedTable, period: JournalQueryPeriod): JournalQueryInput {
  const f = table.filters;
  return {
    name: table.sheetName,
    period,
    ...(period === "fixed" ? { ...(f.from ? { from: f.from } : {}), ...(f.to ? { to: f.to } : {}) } : {}),
    ...(f.customerId ? { customerId: f.customerId } : {}),
    ...(f.type ? { type: f.type } : {}),
    ...(f.status ? { status: f.status } : {}),
    ...(f.category ? { category: f.category } : {}),
  };
}

export function publishTable(client: PasserelleClient, table: SavedTable, period: JournalQueryPeriod): Promise<JournalQuery> {
  return client.createJournalQuery(table.companyId, feedQueryOf(table, period));
}

/** A read-only key for one company: what a workbook may hold. */
export function feedKey(client: PasserelleClient, table: SavedTable): Promise<ApiKeyCreated> {
  return client.createApiKey({ name: `Flux Excel — ${table.companyName}`.slice(0, 100), scope: "read", companyId: table.companyId });
}
