import { createRoute, z } from "@hono/zod-openapi";
import { Invoice, InvoiceEmailDraft, InvoiceSendingInput, Quote, QuoteDecisionInput, QuoteDraftInput, QuoteDraftPatch, QuoteFilters, QuoteIssueInput, QuotePage, QuoteSending } from "@passerelle/shared";
import type { Deps } from "../context.js";
import { access, bearerAuth, CompanyParam, createRouter, jsonBody, jsonResponse, problemResponses, useCase } from "../http/router.js";
import { today } from "../clock.js";
import { listQuotes, loadQuote } from "../db/quotes.js";
import { attemptSending, newClaim, QUOTE_SENDINGS, SENDING_LEASE_MS } from "../services/invoice-sending-delivery.js";
import { getQuoteSending, listQuoteSendings, quoteEmailDraft, recordQuoteSending } from "../services/quote-sendings.js";
import { createQuoteDraft, decideQuote, deleteQuoteDraft, duplicateQuote, invoiceFromQuote, issueQuote, updateQuoteDraft } from "../services/quotes.js";

const QuoteParam = CompanyParam.extend({ quoteId: z.string().max(64) });

const NOT_ACCOUNTING = "A quote is an offer, not an accounting document: it is never in the sales journal, the entries or the FEC.";

export function quoteRoutes(deps: Deps) {
  const app = createRouter();
  const todayNow = () => today(deps.clock, deps.config.timeZone);

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/quotes",
      tags: ["Quotes"],
      summary: "Quotes, newest first, filtered",
      description: `\`from\`/\`to\` apply to the issue date; \`q\` searches number and customer; \`status\` \`expired\` selects issued quotes whose validity date has passed. ${NOT_ACCOUNTING}`,
      security: bearerAuth,
      request: { params: CompanyParam, query: QuoteFilters },
      responses: { 200: jsonResponse(QuotePage, "A page of quotes"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      access(c, deps, companyId, "owner", "read");
      const { limit, cursor, ...filters } = c.req.valid("query");
      return c.json(listQuotes(deps.db, companyId, { ...filters, cursor, limit: limit ?? 100 }, todayNow()), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/companies/{companyId}/quotes",
      tags: ["Quotes"],
      summary: "Create a draft quote",
      description:
        "Lines as an invoice's: a `productId` gives the product's name, price, rate and kind unless given; per-rate VAT on the sum of rounded line nets. `validUntil` is the last day the offer holds (30 days after the issue date when left out).",
      security: bearerAuth,
      request: { params: CompanyParam, ...jsonBody(QuoteDraftInput) },
      responses: { 201: jsonResponse(Quote, "The draft"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "write");
      return c.json(createQuoteDraft(useCase(deps, a), companyId, c.req.valid("json")), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/quotes/{quoteId}",
      tags: ["Quotes"],
      summary: "One quote",
      security: bearerAuth,
      request: { params: QuoteParam },
      responses: { 200: jsonResponse(Quote, "The quote"), ...problemResponses },
    }),
    (c) => {
      const { companyId, quoteId } = c.req.valid("param");
      access(c, deps, companyId, "owner", "read");
      return c.json(loadQuote(deps.db, companyId, quoteId, todayNow()), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/companies/{companyId}/quotes/{quoteId}",
      tags: ["Quotes"],
      summary: "Change a draft quote (issued quotes answer 409)",
      description: "A field left out stays as it is; `null` clears an optional one (`issueDate`, `validUntil`, `notes`, `vatExemption`).",
      security: bearerAuth,
      request: { params: QuoteParam, ...jsonBody(QuoteDraftPatch) },
      responses: { 200: jsonResponse(Quote, "The draft"), ...problemResponses },
    }),
    (c) => {
      const { companyId, quoteId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "write");
      return c.json(updateQuoteDraft(useCase(deps, a), companyId, quoteId, c.req.valid("json")), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/companies/{companyId}/quotes/{quoteId}",
      tags: ["Quotes"],
      summary: "Delete a draft quote (issued quotes answer 409)",
      security: bearerAuth,
      request: { params: QuoteParam },
      responses: { 204: { description: "Deleted" }, ...problemResponses },
    }),
    (c) => {
      const { companyId, quoteId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "write");
      deleteQuoteDraft(useCase(deps, a), companyId, quoteId);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/companies/{companyId}/quotes/{quoteId}/issue",
      tags: ["Quotes"],
      summary: "Issue a draft quote: assigns the next quote number (D2026-00001…) and makes the offer final",
      description:
        "The issue date defaults to the draft's date, else today; it may not be in the future nor earlier than the last issued quote. The validity date defaults to the draft's, else 30 days after the issue date.",
      security: bearerAuth,
      request: { params: QuoteParam, ...jsonBody(QuoteIssueInput) },
      responses: { 200: jsonResponse(Quote, "The issued quote"), ...problemResponses },
    }),
    (c) => {
      const { companyId, quoteId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "write");
      return c.json(issueQuote(useCase(deps, a), companyId, quoteId, c.req.valid("json")), 200);
    },
  );

  for (const decision of ["accepted", "refused"] as const) {
    const verb = decision === "accepted" ? "accept" : "refuse";
    app.openapi(
      createRoute({
        method: "post",
        path: `/companies/{companyId}/quotes/{quoteId}/${verb}`,
        tags: ["Quotes"],
        summary: decision === "accepted" ? "Record that the customer accepted an issued quote" : "Record that the customer refused an issued quote",
        description:
          decision === "accepted"
            ? "`date` (today when left out) may not be in the future, before the quote's date, or after its validity date (409: duplicate the quote to offer again)."
            : "`date` (today when left out) may not be in the future nor before the quote's date; an expired quote may be refused.",
        security: bearerAuth,
        request: { params: QuoteParam, ...jsonBody(QuoteDecisionInput) },
        responses: { 200: jsonResponse(Quote, "The quote"), ...problemResponses },
      }),
      (c) => {
        const { companyId, quoteId } = c.req.valid("param");
        const a = access(c, deps, companyId, "owner", "write");
        return c.json(decideQuote(useCase(deps, a), companyId, quoteId, decision, c.req.valid("json")), 200);
      },
    );
  }

  app.openapi(
    createRoute({
      method: "post",
      path: "/companies/{companyId}/quotes/{quoteId}/duplicate",
      tags: ["Quotes"],
      summary: "A new draft quote with the same customer, lines, notes and exemption (any quote, whatever its state)",
      security: bearerAuth,
      request: { params: QuoteParam },
      responses: { 201: jsonResponse(Quote, "The new draft"), ...problemResponses },
    }),
    (c) => {
      const { companyId, quoteId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "write");
      return c.json(duplicateQuote(useCase(deps, a), companyId, quoteId), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/companies/{companyId}/quotes/{quoteId}/invoice",
      tags: ["Quotes"],
      summary: "Turn an accepted quote into a draft invoice: lines copied, the quote keeps the link",
      description:
        "The draft invoice has the quote's customer, lines, exemption and notes, plus a note naming the quote; issue it as any draft. Once per quote (409 naming the invoice), unless that draft is deleted.",
      security: bearerAuth,
      request: { params: QuoteParam },
      responses: { 201: jsonResponse(Invoice, "The draft invoice"), ...problemResponses },
    }),
    (c) => {
      const { companyId, quoteId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "write");
      return c.json(invoiceFromQuote(useCase(deps, a), companyId, quoteId), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/quotes/{quoteId}/email-draft",
      tags: ["Quotes"],
      summary: "The e-mail proposed for an issued quote: the customer's address, the company's `quote` template filled in, the attachment's name",
      security: bearerAuth,
      request: { params: QuoteParam },
      responses: { 200: jsonResponse(InvoiceEmailDraft, "The proposed e-mail"), ...problemResponses },
    }),
    (c) => {
      const { companyId, quoteId } = c.req.valid("param");
      access(c, deps, companyId, "owner", "read");
      return c.json(quoteEmailDraft(deps.db, companyId, quoteId, todayNow()), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/companies/{companyId}/quotes/{quoteId}/sendings",
      tags: ["Quotes"],
      summary: "Send an issued quote to the customer by e-mail, its PDF attached (owners)",
      description:
        "The attachment is the quote's PDF, byte for byte the `pdf` download, named `{number}.pdf`; delivery, retries and the Message-ID as for invoices. Answers go to the owner who sends (Reply-To). A draft answers 409.",
      security: bearerAuth,
      request: { params: QuoteParam, ...jsonBody(InvoiceSendingInput) },
      responses: { 201: jsonResponse(QuoteSending, "The sending"), ...problemResponses },
    }),
    async (c) => {
      const { companyId, quoteId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "write");
      const input = c.req.valid("json");
      const claim = newClaim();
      const id = recordQuoteSending(useCase(deps, a), companyId, quoteId, input, claim, new Date(deps.clock.now().getTime() + SENDING_LEASE_MS));
      await attemptSending(deps, id, claim, QUOTE_SENDINGS);
      return c.json(getQuoteSending(deps.db, companyId, id), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/quotes/{quoteId}/sendings",
      tags: ["Quotes"],
      summary: "The e-mail sendings of a quote, newest first",
      security: bearerAuth,
      request: { params: QuoteParam },
      responses: { 200: jsonResponse(z.object({ items: z.array(QuoteSending) }), "The sendings"), ...problemResponses },
    }),
    (c) => {
      const { companyId, quoteId } = c.req.valid("param");
      access(c, deps, companyId, "owner", "read");
      return c.json({ items: listQuoteSendings(deps.db, companyId, quoteId) }, 200);
    },
  );

  return app;
}
