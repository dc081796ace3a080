/** The filtered quotes, one PDF each named by its number, in one ZIP. */
import type { Db } from "../db/connection.js";
import { quoteFilterSql, type QuoteQuery } from "../db/quotes.js";
import { invoicePdfFileName } from "./invoice-pdf.js";
import { quotePdfModel } from "./quote-pdf-model.js";
import type { RenderPool } from "./render-pool.js";
import type { ExportBody } from "./stream.js";
import { zipBody } from "./zip.js";
import { archiveFileName } from "./archive-names.js";

export type QuoteFilter = Omit<QuoteQuery, "limit" | "cursor">;

/** Issued quotes matching the filters, in the order of their numbers (drafts only when asked for by status). */
export function filteredQuoteRefs(db: Db, companyId: string, filters: QuoteFilter, today: string): { id: string; number: string | null; final_at: string }[] {
  const { where, params } = quoteFilterSql(filters, today);
  return db
    .prepare(
      `SELECT q.id, q.number, COALESCE(q.issued_at, q.updated_at) AS final_at FROM quotes q JOIN customers c ON c.id = q.customer_id
       WHERE q.company_id = @companyId ${filters.status ? "" : "AND q.status != 'draft'"} ${where}
       ORDER BY q.issue_date, q.series_counter, q.pk`,
    )
    .all({ ...params, companyId }) as { id: string; number: string | null; final_at: string }[];
}

export function quotesZip(db: Db, renders: RenderPool, companyId: string, filters: QuoteFilter, today: string): ExportBody {
  return zipBody((zip) => {
    const refs = filteredQuoteRefs(db, companyId, filters, today);
    for (const ref of refs) {
      const name = archiveFileName(invoicePdfFileName(ref, ref.id), `devis-${ref.id}.pdf`);
      zip.addLazy(name, new Date(ref.final_at), () => renders.render({ kind: "invoice.pdf", model: quotePdfModel(db, companyId, ref.id) }));
    }
    return { rows: refs.length, detail: { first: refs[0]?.number ?? null, last: refs.at(-1)?.number ?? null } };
  });
}
