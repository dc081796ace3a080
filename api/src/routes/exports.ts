import { createRoute, z } from "@hono/zod-openapi";
import { ExportFilters, ExportKind, ExportLogEntry, ListQuery, pageOf } from "@passerelle/shared";
import type { Deps } from "../context.js";
import { access, bearerAuth, CompanyParam, createRouter, jsonResponse, problemResponses } from "../http/router.js";
import { invoicePdfFileName, invoicePdfModel, renderInvoicePdf } from "../exports/invoice-pdf.js";
import { customersXlsx, productsXlsx } from "../exports/lists.js";
import { invoicesZip } from "../exports/invoices-zip.js";
import { listExports } from "../exports/log.js";
import { filterRecord, streamExport, type ExportBody } from "../exports/stream.js";

const InvoiceParam = CompanyParam.extend({ invoiceId: z.string().max(64) });
const ExportLogQuery = ListQuery.extend({ kind: ExportKind.optional() });

const binary = (contentType: string, description: string) => ({
  description,
  content: { [contentType]: { schema: z.string().openapi({ type: "string", format: "binary" }) } },
});

export const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async function* once(bytes: Promise<Uint8Array>): ExportBody {
  yield await bytes;
  return { rows: 1 };
}

export function exportRoutes(deps: Deps) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/invoices/{invoiceId}/pdf",
      tags: ["Exports"],
      summary: "An invoice or credit note as PDF (PDF/A-3b), with every legal mention",
      description:
        "Printed from the identities frozen when the document was issued. A credit note names the invoice it corrects; a draft prints as a draft. Recorded in the export log.",
      security: bearerAuth,
      request: { params: InvoiceParam },
      responses: { 200: binary("application/pdf", "The PDF"), ...problemResponses },
    }),
    (c) => {
      const { companyId, invoiceId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "read");
      const model = invoicePdfModel(deps.db, companyId, invoiceId);
      return streamExport(
        deps,
        a,
        { kind: "invoice.pdf", fileName: invoicePdfFileName(model, invoiceId), contentType: "application/pdf", filters: { invoiceId }, disposition: "inline" },
        once(renderInvoicePdf(model)),
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/exports/customers.xlsx",
      tags: ["Exports"],
      summary: "The customers as an Excel table",
      security: bearerAuth,
      request: { params: CompanyParam },
      responses: { 200: binary(XLSX, "customers.xlsx"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      const a = access(c, deps, companyId, "accountant", "read");
      return streamExport(deps, a, { kind: "customers.xlsx", fileName: "clients.xlsx", contentType: XLSX, filters: {} }, customersXlsx(deps.db, companyId, deps.clock.now()));
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/exports/products.xlsx",
      tags: ["Exports"],
      summary: "The products and services as an Excel table",
      security: bearerAuth,
      request: { params: CompanyParam },
      responses: { 200: binary(XLSX, "products.xlsx"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      const a = access(c, deps, companyId, "accountant", "read");
      return streamExport(deps, a, { kind: "products.xlsx", fileName: "produits.xlsx", contentType: XLSX, filters: {} }, productsXlsx(deps.db, companyId, deps.clock.now()));
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/exports/invoices.zip",
      tags: ["Exports"],
      summary: "The filtered invoices and credit notes as PDFs in one ZIP, named by number",
      description: "Issued documents only, unless `status=draft` is asked for.",
      security: bearerAuth,
      request: { params: CompanyParam, query: ExportFilters },
      responses: { 200: binary("application/zip", "invoices.zip"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      const a = access(c, deps, companyId, "accountant", "read");
      const filters = c.req.valid("query");
      return streamExport(
        deps,
        a,
        { kind: "invoices.zip", fileName: "factures.zip", contentType: "application/zip", filters: filterRecord(filters) },
        invoicesZip(deps.db, companyId, filters),
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/exports",
      tags: ["Exports"],
      summary: "The export log, newest first: who, when, filters, rows, SHA-256 of the bytes sent",
      security: bearerAuth,
      request: { params: CompanyParam, query: ExportLogQuery },
      responses: { 200: jsonResponse(pageOf(ExportLogEntry), "A page of the export log"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      access(c, deps, companyId, "accountant", "read");
      const q = c.req.valid("query");
      return c.json(listExports(deps.db, companyId, { limit: q.limit ?? 100, cursor: q.cursor, kind: q.kind }), 200);
    },
  );

  return app;
}
