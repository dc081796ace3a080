/**
 * Saved journal queries of a company (the accountant's layer) and the filters a feed reads on a
 * given day: a rolling period is resolved against today's date in the server's time zone.
 */
import { rollingPeriodRange, type JournalQuery, type JournalQueryInput, type JournalQueryPeriod } from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import type { UseCaseContext } from "../context.js";
import { inTransaction } from "../db/connection.js";
import { newId } from "../db/ids.js";
import { invalid, notFound } from "../http/problem.js";
import { recordActivity } from "./activity.js";
import type { InvoiceFilter } from "../exports/invoices-zip.js";

interface Row {
  id: string;
  company_id: string;
  name: string;
  period: JournalQueryPeriod;
  from_date: string | null;
  to_date: string | null;
  customer_id: string | null;
  type: JournalQuery["type"];
  status: JournalQuery["status"];
  category: string | null;
  created_at: string;
}

/** Where the feeds of a query are read; `publicUrl` is how users reach the server. */
export function feedUrls(publicUrl: string, id: string): { csvUrl: string; jsonUrl: string } {
  const base = `${publicUrl.replace(/\/$/, "")}/api/v1/feeds/${encodeURIComponent(id)}`;
  return { csvUrl: `${base}/journal.csv`, jsonUrl: `${base}/journal.json` };
}

function toQuery(row: Row, publicUrl: string): JournalQuery {
  return {
    id: row.id,
    name: row.name,
    period: row.period,
    from: row.from_date,
    to: row.to_date,
    customerId: row.customer_id,
    type: row.type,
    status: row.status,
    category: row.category,
    createdAt: row.created_at,
    ...feedUrls(publicUrl, row.id),
  };
}

export function listJournalQueries(db: Db, companyId: string, publicUrl: string): JournalQuery[] {
  const rows = db.prepare("SELECT * FROM journal_queries WHERE company_id = ? ORDER BY pk").all(companyId) as Row[];
  return rows.map((r) => toQuery(r, publicUrl));
}

/** A query by its id alone (a feed's address names no company); the caller checks access to `company_id`. */
export function journalQueryRow(db: Db, id: string): Row {
  const row = db.prepare("SELECT * FROM journal_queries WHERE id = ?").get(id) as Row | undefined;
  if (!row) throw notFound("feed");
  return row;
}

export function createJournalQuery(ctx: UseCaseContext, companyId: string, input: JournalQueryInput): JournalQuery {
  const now = ctx.clock.now();
  const id = newId();
  return inTransaction(ctx.db, () => {
    if (input.customerId && !ctx.db.prepare("SELECT 1 FROM customers WHERE company_id = ? AND id = ?").get(companyId, input.customerId)) {
      throw invalid("customerId", "is not a customer of this company");
    }
    ctx.db
      .prepare(
        `INSERT INTO journal_queries (id, company_id, name, period, from_date, to_date, customer_id, type, status, category, created_by, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(id, companyId, input.name, input.period, input.from ?? null, input.to ?? null, input.customerId ?? null, input.type ?? null, input.status ?? null, input.category ?? null, ctx.actorId, now.toISOString());
    const query = toQuery(journalQueryRow(ctx.db, id), ctx.config.publicUrl);
    const { csvUrl: _csv, jsonUrl: _json, ...after } = query;
    recordActivity(ctx.db, now, { companyId, actorId: ctx.actorId, action: "journal_query.created", recordKind: "journal_query", recordId: id, after });
    return query;
  });
}

export function deleteJournalQuery(ctx: UseCaseContext, companyId: string, id: string): void {
  inTransaction(ctx.db, () => {
    const row = ctx.db.prepare("SELECT * FROM journal_queries WHERE company_id = ? AND id = ?").get(companyId, id) as Row | undefined;
    if (!row) throw notFound("journal query");
    ctx.db.prepare("DELETE FROM journal_queries WHERE company_id = ? AND id = ?").run(companyId, id);
    recordActivity(ctx.db, ctx.clock.now(), { companyId, actorId: ctx.actorId, action: "journal_query.deleted", recordKind: "journal_query", recordId: id, before: { name: row.name, period: row.period } });
  });
}

/** The journal filters a query stands for on `today`. */
export function journalQueryFilter(row: Row, today: string, fiscalYearStart: string): InvoiceFilter {
  const dates = row.period === "fixed" ? { from: row.from_date ?? undefined, to: row.to_date ?? undefined } : rollingPeriodRange(row.period, today, fiscalYearStart);
  return {
    ...dates,
    customerId: row.customer_id ?? undefined,
    type: row.type ?? undefined,
    status: row.status ?? undefined,
    category: row.category ?? undefined,
  };
}
