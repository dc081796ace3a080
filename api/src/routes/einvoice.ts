/**
 * Structured e-invoices of issued documents: Factur-X / ZUGFeRD CII XML, UBL 2.1 XML, and the
 * Factur-X PDF (the invoice PDF as PDF/A-3 with the CII embedded as `factur-x.xml`).
 */
import { createRoute, z } from "@hono/zod-openapi";
import { buildCii, buildUbl, type FacturXProfile } from "@passerelle/shared";
import type { Deps } from "../context.js";
import { access, bearerAuth, CompanyParam, createRouter, problemResponses } from "../http/router.js";
import { loadEInvoice } from "../einvoice/document.js";
import { prepareFacturX } from "../einvoice/facturx-export.js";
import { streamExport, type ExportBody } from "../exports/stream.js";
import { contentDisposition } from "./documents.js";

const InvoiceParam = CompanyParam.extend({ invoiceId: z.string().max(64) });
export const ProfileQuery = z.strictObject({
  profile: z
    .enum(["en16931", "basic"], { message: "must be en16931 (default) or basic" })
    .optional()
    .openapi({ description: "Factur-X profile: `en16931` (full lines and VAT breakdown, default) or `basic`." }),
});

export function profileOf(q: { profile?: "en16931" | "basic" | undefined }): FacturXProfile {
  return q.profile === "basic" ? "BASIC" : "EN16931";
}

const xmlResponse = (description: string) => ({
  description,
  content: { "application/xml": { schema: z.string().openapi({ description: "UTF-8 XML" }) } },
});

function xml(body: string, fileName: string): Response {
  return new Response(body, {
    status: 200,
    headers: {
      "content-type": "application/xml; charset=utf-8",
      "content-disposition": contentDisposition("attachment", fileName),
      "cache-control": "private, no-store",
    },
  });
}

async function* once(bytes: Uint8Array): ExportBody {
  yield bytes;
  return { rows: 1 };
}

export function einvoiceRoutes(deps: Deps) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/invoices/{invoiceId}/cii.xml",
      tags: ["E-invoices"],
      summary: "The issued invoice or credit note as UN/CEFACT CII XML (Factur-X 1.0, EN 16931 profile)",
      description:
        "The same XML as the `factur-x.xml` inside `facturx.pdf`. Credit notes are type 381 and reference the invoice they correct; amounts are the stored totals (per-rate VAT on the sum of rounded line nets). Drafts answer 409.",
      security: bearerAuth,
      request: { params: InvoiceParam, query: ProfileQuery },
      responses: { 200: xmlResponse("CII XML"), ...problemResponses },
    }),
    (c) => {
      const { companyId, invoiceId } = c.req.valid("param");
      access(c, deps, companyId, "owner", "read");
      const { document } = loadEInvoice(deps.db, companyId, invoiceId);
      return xml(buildCii(document, { profile: profileOf(c.req.valid("query")) }), `${document.number}-cii.xml`);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/invoices/{invoiceId}/ubl.xml",
      tags: ["E-invoices"],
      summary: "The issued invoice or credit note as OASIS UBL 2.1 XML (EN 16931 semantics)",
      security: bearerAuth,
      request: { params: InvoiceParam },
      responses: { 200: xmlResponse("UBL 2.1 Invoice or CreditNote"), ...problemResponses },
    }),
    (c) => {
      const { companyId, invoiceId } = c.req.valid("param");
      access(c, deps, companyId, "owner", "read");
      const { document } = loadEInvoice(deps.db, companyId, invoiceId);
      return xml(buildUbl(document), `${document.number}-ubl.xml`);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/invoices/{invoiceId}/facturx.pdf",
      tags: ["E-invoices"],
      summary: "The issued invoice or credit note as a Factur-X PDF: PDF/A-3b with the CII XML embedded as factur-x.xml",
      description:
        "The invoice PDF (every legal mention) with `factur-x.xml` attached (AFRelationship /Data) and XMP metadata declaring PDF/A-3b and the Factur-X profile. The embedded XML is byte for byte the `cii.xml` of the same profile. Recorded in the export log as an `invoice.pdf` with `format=facturx`.",
      security: bearerAuth,
      request: { params: InvoiceParam, query: ProfileQuery },
      responses: {
        200: { description: "The Factur-X PDF", content: { "application/pdf": { schema: z.string().openapi({ type: "string", format: "binary" }) } } },
        ...problemResponses,
        503: {
          description: "The server has no embeddable fonts, so it cannot write PDF/A; or too many PDFs are being made, or this one took longer than the time limit (retry after `Retry-After` seconds)",
          content: problemResponses[409].content,
        },
      },
    }),
    async (c) => {
      const { companyId, invoiceId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "read");
      const profile = profileOf(c.req.valid("query"));
      const facturX = prepareFacturX(deps.db, companyId, invoiceId, profile);
      const pdf = await deps.renders.render(facturX.job, c.req.raw.signal);
      return streamExport(
        deps,
        a,
        {
          kind: "invoice.pdf",
          fileName: facturX.fileName,
          contentType: "application/pdf",
          filters: { invoiceId, format: "facturx", profile: profile.toLowerCase() },
          disposition: "inline",
        },
        once(pdf),
      );
    },
  );

  return app;
}
