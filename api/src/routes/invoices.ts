import { createRoute, z } from "@hono/zod-openapi";
import { CreditNoteInput, Invoice, InvoiceDraftInput, InvoiceDraftPatch, InvoiceFilters, InvoicePage, IssueInput } from "@passerelle/shared";
import type { Deps } from "../context.js";
import { access, bearerAuth, CompanyParam, createRouter, jsonBody, jsonResponse, problemResponses, useCase } from "../http/router.js";
import { invoiceListTotals, listInvoices, loadInvoice } from "../db/invoices.js";
import { createCreditNote, createDraft, deleteDraft, issueInvoice, updateDraft } from "../services/invoices.js";

const InvoiceParam = CompanyParam.extend({ invoiceId: z.string().max(64) });

export function invoiceRoutes(deps: Deps) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/invoices",
      tags: ["Invoices"],
      summary: "Invoices and credit notes, newest first, filtered",
      description:
        "`from`/`to` apply to the issue date; `category` matches the customer's or a product's category; `q` searches number and customer. " +
        "`totals` add up every issued document the filter selects (not only this page), credit notes taken off.",
      security: bearerAuth,
      request: { params: CompanyParam, query: InvoiceFilters },
      responses: { 200: jsonResponse(InvoicePage, "A page of invoices, with the totals of the whole filter"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      access(c, deps, companyId, "owner", "read");
      const { limit, cursor, ...filters } = c.req.valid("query");
      // one read transaction: the page and its totals see the same documents
      const page = deps.db.transaction(() => ({
        ...listInvoices(deps.db, companyId, { ...filters, cursor, limit: limit ?? 100 }),
        totals: invoiceListTotals(deps.db, companyId, filters),
      }))();
      return c.json(page, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/companies/{companyId}/invoices",
      tags: ["Invoices"],
      summary: "Create a draft invoice",
      description:
        "Lines with a `productId` take the product's name, price, rate and kind unless given. Totals follow the shared rule: per-rate VAT on the sum of rounded line nets. " +
        "`deliveryDate` (the date of the sale or service, printed when it differs from the issue date; BT-72), `servicePeriod` (BG-14) and `deliveryAddress` (when it is not the customer's address; BG-15, every part but `line2` required) are frozen at issue and repeated by credit notes.",
      security: bearerAuth,
      request: { params: CompanyParam, ...jsonBody(InvoiceDraftInput) },
      responses: { 201: jsonResponse(Invoice, "The draft"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "write");
      return c.json(createDraft(useCase(deps, a), companyId, c.req.valid("json")), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/invoices/{invoiceId}",
      tags: ["Invoices"],
      summary: "One invoice or credit note",
      security: bearerAuth,
      request: { params: InvoiceParam },
      responses: { 200: jsonResponse(Invoice, "The invoice"), ...problemResponses },
    }),
    (c) => {
      const { companyId, invoiceId } = c.req.valid("param");
      access(c, deps, companyId, "owner", "read");
      return c.json(loadInvoice(deps.db, companyId, invoiceId), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/companies/{companyId}/invoices/{invoiceId}",
      tags: ["Invoices"],
      summary: "Change a draft (issued documents answer 409)",
      description: "A field left out stays as it is; `null` clears an optional one (`deliveryDate`, `servicePeriod`, `deliveryAddress`, `notes`…).",
      security: bearerAuth,
      request: { params: InvoiceParam, ...jsonBody(InvoiceDraftPatch) },
      responses: { 200: jsonResponse(Invoice, "The draft"), ...problemResponses },
    }),
    (c) => {
      const { companyId, invoiceId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "write");
      return c.json(updateDraft(useCase(deps, a), companyId, invoiceId, c.req.valid("json")), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/companies/{companyId}/invoices/{invoiceId}",
      tags: ["Invoices"],
      summary: "Delete a draft (issued documents answer 409)",
      security: bearerAuth,
      request: { params: InvoiceParam },
      responses: { 204: { description: "Deleted" }, ...problemResponses },
    }),
    (c) => {
      const { companyId, invoiceId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "write");
      deleteDraft(useCase(deps, a), companyId, invoiceId);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/companies/{companyId}/invoices/{invoiceId}/issue",
      tags: ["Invoices"],
      summary: "Issue a draft: assigns the next number (F2026-00001…) and makes it final",
      description:
        "The issue date defaults to the draft's date, else today; it may not be in the future, in a locked period, or earlier than the last issued invoice.",
      security: bearerAuth,
      request: { params: InvoiceParam, ...jsonBody(IssueInput) },
      responses: { 200: jsonResponse(Invoice, "The issued invoice"), ...problemResponses },
    }),
    (c) => {
      const { companyId, invoiceId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "write");
      return c.json(issueInvoice(useCase(deps, a), companyId, invoiceId, c.req.valid("json")), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/companies/{companyId}/invoices/{invoiceId}/credit-note",
      tags: ["Invoices"],
      summary: "Issue a credit note (AV2026-00001…) for an issued invoice: all of it, or some lines / quantities",
      security: bearerAuth,
      request: { params: InvoiceParam, ...jsonBody(CreditNoteInput) },
      responses: { 201: jsonResponse(Invoice, "The issued credit note"), ...problemResponses },
    }),
    (c) => {
      const { companyId, invoiceId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "write");
      return c.json(createCreditNote(useCase(deps, a), companyId, invoiceId, c.req.valid("json")), 201);
    },
  );

  return app;
}
