import fs from "node:fs";
import { Readable } from "node:stream";
import { createRoute, z } from "@hono/zod-openapi";
import { ExportFilters, ExportKind, ExportLogEntry, FecQuery, InvoiceArchiveQuery, JournalCsvQuery, ListExportQuery, ListQuery, pageOf, QuoteArchiveQuery } from "@passerelle/shared";
import type { Deps } from "../context.js";
import type { CompanyAccess } from "../auth/access.js";
import { access, bearerAuth, CompanyParam, createRouter, jsonResponse, problemResponses } from "../http/router.js";
import { invalid } from "../http/problem.js";
import { today } from "../clock.js";
import { companyRow } from "../services/companies.js";
import { exportAndLock, fecBody, planFec, type FecPlan } from "../exports/fec.js";
import { assertXlsxFits, journalCsv, journalPdf, journalXlsx } from "../exports/journal.js";
import { packBody, packFileName } from "../exports/pack.js";
import type { InvoiceFilter } from "../exports/invoices-zip.js";
import { invoicePdfFileName } from "../exports/invoice-pdf.js";
import { invoicePdfModel } from "../exports/invoice-pdf-model.js";
import { customersXlsx, productsXlsx } from "../exports/lists.js";
import { invoicesZip } from "../exports/invoices-zip.js";
import { quotePdfModel } from "../exports/quote-pdf-model.js";
import { quotesZip } from "../exports/quotes-zip.js";
import { listExports } from "../exports/log.js";
import { assertFacturXAvailable } from "../einvoice/facturx-export.js";
import { filterRecord, streamExport, type ExportBody, type ExportDescriptor } from "../exports/stream.js";
import { streamed } from "../http/streamed-bodies.js";

const InvoiceParam = CompanyParam.extend({ invoiceId: z.string().max(64) });
const QuoteParam = CompanyParam.extend({ quoteId: z.string().max(64) });
const ExportLogQuery = ListQuery.extend({ kind: ExportKind.optional() });

const binary = (contentType: string, description: string) => ({
  description,
  content: { [contentType]: { schema: z.string().openapi({ type: "string", format: "binary" }) } },
});

export const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

async function* once(bytes: Uint8Array): ExportBody {
  yield bytes;
  return { rows: 1 };
}

/** PDFs are made by the render pool: it may be full, or a render may outlive its time limit. */
const renderUnavailable = {
  503: { description: "Too many PDFs being made, or this one took longer than the time limit: retry after `Retry-After` seconds", content: problemResponses[409].content },
};

/** The invoice filters of an export query (what the journal, the ZIPs and the pack select). */
function invoiceFilter(q: InvoiceFilter): InvoiceFilter {
  return { from: q.from, to: q.to, customerId: q.customerId, type: q.type, status: q.status, category: q.category, q: q.q };
}

/** The FEC plan of the same filters, every journal (entries of the XLSX and of the pack). */
function entriesPlan(deps: Deps, companyId: string, filters: InvoiceFilter): FecPlan {
  return planFec(deps.db, companyId, { ...filters, separator: "tab" }, today(deps.clock, deps.config.timeZone), filterRecord(filters));
}

/** Sends a FEC written during "export and lock", then removes the file. */
function lockedFecResponse(deps: Deps, a: CompanyAccess, d: ExportDescriptor, locked: ReturnType<typeof exportAndLock>): Response {
  deps.changes.publish(a.companyId, locked.seq);
  const file = fs.createReadStream(locked.file);
  const remove = () => fs.rm(locked.file, { force: true }, () => undefined);
  file.on("close", remove);
  return new Response(streamed(Readable.toWeb(file) as ReadableStream<Uint8Array>), {
    status: 200,
    headers: {
      "content-type": d.contentType,
      "content-length": String(locked.bytes),
      "content-disposition": `attachment; filename="${d.fileName}"`,
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
      "x-export-id": locked.exportId,
      "x-export-sha256": locked.sha256,
    },
  });
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
      responses: { 200: binary("application/pdf", "The PDF"), ...problemResponses, ...renderUnavailable },
    }),
    async (c) => {
      const { companyId, invoiceId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "read");
      const model = invoicePdfModel(deps.db, companyId, invoiceId);
      const pdf = await deps.renders.render({ kind: "invoice.pdf", model }, c.req.raw.signal);
      return streamExport(
        deps,
        a,
        { kind: "invoice.pdf", fileName: invoicePdfFileName(model, invoiceId), contentType: "application/pdf", filters: { invoiceId }, disposition: "inline" },
        once(pdf),
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/exports/customers.xlsx",
      tags: ["Exports"],
      summary: "The customers as an Excel table (`category`, `q` on name and code)",
      security: bearerAuth,
      request: { params: CompanyParam, query: ListExportQuery },
      responses: { 200: binary(XLSX, "customers.xlsx"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      const a = access(c, deps, companyId, "accountant", "read");
      const q = c.req.valid("query");
      return streamExport(deps, a, { kind: "customers.xlsx", fileName: "clients.xlsx", contentType: XLSX, filters: filterRecord(q) }, customersXlsx(deps.db, companyId, q, deps.clock.now()));
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/exports/products.xlsx",
      tags: ["Exports"],
      summary: "The products and services as an Excel table (`category`, `q` on name)",
      security: bearerAuth,
      request: { params: CompanyParam, query: ListExportQuery },
      responses: { 200: binary(XLSX, "products.xlsx"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      const a = access(c, deps, companyId, "accountant", "read");
      const q = c.req.valid("query");
      return streamExport(deps, a, { kind: "products.xlsx", fileName: "produits.xlsx", contentType: XLSX, filters: filterRecord(q) }, productsXlsx(deps.db, companyId, q, deps.clock.now()));
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/exports/invoices.zip",
      tags: ["Exports"],
      summary: "The filtered invoices and credit notes as PDFs in one ZIP, named by number",
      description: "Issued documents only, unless `status=draft` is asked for. `format=facturx`: Factur-X PDFs (PDF/A-3 with factur-x.xml).",
      security: bearerAuth,
      request: { params: CompanyParam, query: InvoiceArchiveQuery },
      responses: { 200: binary("application/zip", "invoices.zip"), ...problemResponses, ...renderUnavailable },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      const a = access(c, deps, companyId, "accountant", "read");
      const { format, ...filters } = c.req.valid("query");
      if (format === "facturx") assertFacturXAvailable();
      deps.renders.admit();
      return streamExport(
        deps,
        a,
        { kind: "invoices.zip", fileName: "factures.zip", contentType: "application/zip", filters: filterRecord({ ...filters, format }) },
        invoicesZip(deps.db, deps.renders, companyId, filters, format),
      );
    },
  );


  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/quotes/{quoteId}/pdf",
      tags: ["Exports"],
      summary: "A quote as PDF, with its validity and the customer's « Bon pour accord »",
      description: "Printed from the identities frozen when the quote was issued; a draft prints as a draft (no agreement box). Recorded in the export log.",
      security: bearerAuth,
      request: { params: QuoteParam },
      responses: { 200: binary("application/pdf", "The PDF"), ...problemResponses, ...renderUnavailable },
    }),
    async (c) => {
      const { companyId, quoteId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "read");
      const model = quotePdfModel(deps.db, companyId, quoteId);
      const pdf = await deps.renders.render({ kind: "invoice.pdf", model }, c.req.raw.signal);
      return streamExport(
        deps,
        a,
        { kind: "quote.pdf", fileName: invoicePdfFileName(model, quoteId), contentType: "application/pdf", filters: { quoteId }, disposition: "inline" },
        once(pdf),
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/exports/quotes.zip",
      tags: ["Exports"],
      summary: "The filtered quotes as PDFs in one ZIP, named by number",
      description: "Issued quotes only (whatever their answer), unless `status=draft` is asked for; the quote list's filters. Quotes are never in the invoices' ZIP, the journal or the FEC.",
      security: bearerAuth,
      request: { params: CompanyParam, query: QuoteArchiveQuery },
      responses: { 200: binary("application/zip", "devis.zip"), ...problemResponses, ...renderUnavailable },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      const a = access(c, deps, companyId, "accountant", "read");
      const filters = c.req.valid("query");
      deps.renders.admit();
      return streamExport(
        deps,
        a,
        { kind: "quotes.zip", fileName: "devis.zip", contentType: "application/zip", filters: filterRecord(filters) },
        quotesZip(deps.db, deps.renders, companyId, filters, today(deps.clock, deps.config.timeZone)),
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/exports/fec",
      tags: ["Exports"],
      summary: "Accounting entries in the FEC layout (fichier des écritures comptables), streamed",
      description: [
        "The 18 fields of article A47 A-1 LPF with the header line, tab (or `|` with `separator=pipe`), CR LF, UTF-8, decimal comma, dates YYYYMMDD; entries in date order, `EcritureNum` continuous per journal.",
        "`from`/`to` select entry dates (`to` defaults to today); `journals` selects journal codes; the document filters (`customerId`, `type`, `status`, `category`, `q`) keep the entries of matching documents (a payment goes with the invoice it pays) and then numbers restart at 1 per journal in the file.",
        "Entries of locked periods carry the lock date as `ValidDate`; entries of open periods carry the export date and are not validated (the descriptif in the pack says so).",
        "The file is named `<SIREN>FEC<closing date>.txt` only for a whole fiscal year with every journal and no document filter; otherwise `<SIREN>_<journals>_<from>_<to>.txt`.",
        "`lock=true` (accountants only) locks the company up to `to` (a soft lock) and exports in the same transaction.",
      ].join("\n\n"),
      security: bearerAuth,
      request: { params: CompanyParam, query: FecQuery },
      responses: { 200: binary("text/plain", "The FEC file"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      const q = c.req.valid("query");
      const lock = q.lock === "true";
      const a = access(c, deps, companyId, "accountant", lock ? "write" : "read");
      const exportedOn = today(deps.clock, deps.config.timeZone);
      const startedAt = deps.clock.now();
      if (q.to && q.to > exportedOn && lock) throw invalid("to", `must not be in the future when locking (today is ${exportedOn})`);
      if (lock && !q.to) throw invalid("to", "is required with lock=true: the period is locked up to and including this date");
      if (lock && (q.customerId || q.type || q.status || q.category || q.q)) {
        throw invalid("lock", "lock=true exports the whole period: it cannot be combined with customerId, type, status, category or q");
      }
      const filters = filterRecord(q);
      const plan = planFec(deps.db, companyId, { ...invoiceFilter(q), journals: q.journals?.split(","), separator: q.separator }, exportedOn, filters);
      const d: ExportDescriptor = { kind: "fec", fileName: plan.fileName, contentType: "text/plain; charset=utf-8", filters };
      if (lock) return lockedFecResponse(deps, a, d, exportAndLock(deps, a, plan, startedAt));
      return streamExport(deps, a, d, fecBody(deps.db, plan));
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/exports/sales-journal.csv",
      tags: ["Exports"],
      summary: "The sales journal as CSV, streamed (fr: `;`, decimal comma, UTF-8 with BOM; en: `,` and dot)",
      description: "One line per issued invoice or credit note (negative), chronological, with a base and VAT column per rate. Text that a spreadsheet would run as a formula is neutralised.",
      security: bearerAuth,
      request: { params: CompanyParam, query: JournalCsvQuery },
      responses: { 200: binary("text/csv", "The journal"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      const a = access(c, deps, companyId, "accountant", "read");
      const q = c.req.valid("query");
      const siren = companyRow(deps.db, companyId).siren;
      return streamExport(
        deps,
        a,
        { kind: "sales-journal.csv", fileName: `journal-des-ventes-${siren}.csv`, contentType: "text/csv; charset=utf-8", filters: filterRecord(q) },
        journalCsv(deps.db, companyId, invoiceFilter(q), q.locale),
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/exports/sales-journal.xlsx",
      tags: ["Exports"],
      summary: `The sales journal as an Excel workbook: the journal table, totals per VAT rate, the accounting entries (at most ${deps.config.xlsxMaxRows} rows)`,
      description: `Real Excel tables (autofilter, frozen header, totals row); amounts are numbers in euros, dates are dates, codes and accounts are text. Beyond ${deps.config.xlsxMaxRows} rows in all (\`XLSX_MAX_ROWS\`) the export is refused (422): use the CSV or the FEC, which stream any size.`,
      security: bearerAuth,
      request: { params: CompanyParam, query: ExportFilters },
      responses: { 200: binary(XLSX, "The workbook"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      const a = access(c, deps, companyId, "accountant", "read");
      const filters = invoiceFilter(c.req.valid("query"));
      const plan = entriesPlan(deps, companyId, filters);
      assertXlsxFits(deps.db, companyId, filters, plan, deps.config.xlsxMaxRows);
      const siren = companyRow(deps.db, companyId).siren;
      return streamExport(
        deps,
        a,
        { kind: "sales-journal.xlsx", fileName: `journal-des-ventes-${siren}.xlsx`, contentType: XLSX, filters: filterRecord(filters) },
        journalXlsx(deps.db, companyId, filters, plan, deps.clock.now()),
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/exports/sales-journal.pdf",
      tags: ["Exports"],
      summary: "The sales journal as a printable register: totals carried page to page, recap per VAT rate",
      security: bearerAuth,
      request: { params: CompanyParam, query: ExportFilters },
      responses: { 200: binary("application/pdf", "The register"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      const a = access(c, deps, companyId, "accountant", "read");
      const filters = invoiceFilter(c.req.valid("query"));
      const siren = companyRow(deps.db, companyId).siren;
      return streamExport(
        deps,
        a,
        { kind: "sales-journal.pdf", fileName: `journal-des-ventes-${siren}.pdf`, contentType: "application/pdf", filters: filterRecord(filters) },
        journalPdf(deps.db, companyId, filters, deps.clock.now()),
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/exports/pack.zip",
      tags: ["Exports"],
      summary: "The accountant pack: journal (XLSX), FEC and its descriptif, invoice PDFs, shared documents, README with SHA-256 of each file",
      description: `The journal comes as CSV instead of XLSX beyond ${deps.config.xlsxMaxRows} rows. Documents are those uploaded within the period. \`format=facturx\`: the invoices as Factur-X PDFs.`,
      security: bearerAuth,
      request: { params: CompanyParam, query: InvoiceArchiveQuery },
      responses: { 200: binary("application/zip", "The pack"), ...problemResponses, ...renderUnavailable },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      const a = access(c, deps, companyId, "accountant", "read");
      const query = c.req.valid("query");
      const filters = invoiceFilter(query);
      if (query.format === "facturx") assertFacturXAvailable();
      deps.renders.admit();
      const plan = entriesPlan(deps, companyId, filters);
      const siren = companyRow(deps.db, companyId).siren;
      return streamExport(
        deps,
        a,
        {
          kind: "pack.zip",
          fileName: packFileName(siren, filters, today(deps.clock, deps.config.timeZone)),
          contentType: "application/zip",
          filters: filterRecord({ ...filters, format: query.format }),
        },
        packBody(deps.db, deps.config, deps.renders, companyId, filters, plan, deps.clock.now(), query.format),
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
