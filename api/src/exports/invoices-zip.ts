/** The filtered invoices and credit notes, one PDF each named by its number, in one ZIP. */
import type { Db } from "../db/connection.js";
import { invoiceFilterSql, type InvoiceQuery } from "../db/invoices.js";
import type { InvoiceArchiveFormat } from "@passerelle/shared";
import { facturXOrPdfJob } from "../einvoice/facturx-export.js";
import { invoicePdfFileName } from "./invoice-pdf.js";
import { invoicePdfModel } from "./invoice-pdf-model.js";
import type { RenderPool } from "./render-pool.js";
import type { ExportBody } from "./stream.js";
import { zipBody, type ZipWriter } from "./zip.js";
import { archiveFileName } from "./archive-names.js";

export type InvoiceFilter = Omit<InvoiceQuery, "limit" | "cursor">;

export interface InvoiceRef {
  id: string;
  number: string | null;
  final_at: string;
}

/** Issued documents matching the filters, in chronological order (drafts only when asked for by status). */
export function filteredInvoiceRefs(db: Db, companyId: string, filters: InvoiceFilter): InvoiceRef[] {
  const { where, params } = invoiceFilterSql(filters);
  return db
    .prepare(
      `SELECT i.id, i.number, COALESCE(i.issued_at, i.updated_at) AS final_at FROM invoices i JOIN customers c ON c.id = i.customer_id
       WHERE i.company_id = @companyId ${filters.status ? "" : "AND i.status != 'draft'"} ${where}
       ORDER BY i.issue_date, i.type, i.series_counter, i.pk`,
    )
    .all({ ...params, companyId }) as InvoiceRef[];
}

/**
 * Adds one PDF per document to a ZIP under `folder`; each is read and rendered (by the render pool)
 * when the archive reaches it. `facturx`: issued documents as Factur-X PDFs (same names),
 * `onRendered` is told which ones are.
 */
export function addInvoicePdfs(
  zip: ZipWriter,
  db: Db,
  renders: RenderPool,
  companyId: string,
  refs: InvoiceRef[],
  folder = "",
  onRendered?: (name: string, bytes: Uint8Array, facturX: boolean) => void,
  format: InvoiceArchiveFormat = "pdf",
): void {
  for (const ref of refs) {
    const name = `${folder}${archiveFileName(invoicePdfFileName(ref, ref.id), `document-${ref.id}.pdf`)}`;
    zip.addLazy(name, new Date(ref.final_at), async () => {
      const { job, facturX } = format === "facturx" ? facturXOrPdfJob(db, companyId, ref.id) : { job: { kind: "invoice.pdf", model: invoicePdfModel(db, companyId, ref.id) } as const, facturX: false };
      const bytes = await renders.render(job);
      onRendered?.(name, bytes, facturX);
      return bytes;
    });
  }
}

export function invoicesZip(db: Db, renders: RenderPool, companyId: string, filters: InvoiceFilter, format: InvoiceArchiveFormat = "pdf"): ExportBody {
  return zipBody((zip) => {
    const refs = filteredInvoiceRefs(db, companyId, filters);
    addInvoicePdfs(zip, db, renders, companyId, refs, "", undefined, format);
    return { rows: refs.length, detail: { first: refs[0]?.number ?? null, last: refs.at(-1)?.number ?? null } };
  });
}
