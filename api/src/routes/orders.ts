import { createRoute, z } from "@hono/zod-openapi";
import { BalanceInput, DepositInput, Invoice, Order, OrderInput, QuoteOrderInput } from "@passerelle/shared";
import type { Deps } from "../context.js";
import { access, bearerAuth, CompanyParam, createRouter, jsonBody, jsonResponse, problemResponses, useCase } from "../http/router.js";
import { createBalance, createDeposit, createOrder, loadOrder, orderFromQuote } from "../services/orders.js";

const OrderParam = CompanyParam.extend({ orderId: z.string().max(64) });
const QuoteParam = CompanyParam.extend({ quoteId: z.string().max(64) });

export function orderRoutes(deps: Deps) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: "post",
      path: "/companies/{companyId}/orders",
      tags: ["Orders"],
      summary: "Record a customer's order, the basis of deposits and of the balance invoice",
      description:
        "Lines as an invoice's (a `productId` fills what is left out); totals by the shared rule. The order is not a document of the books: " +
        "deposits asked on it and its balance invoice are.",
      security: bearerAuth,
      request: { params: CompanyParam, ...jsonBody(OrderInput) },
      responses: { 201: jsonResponse(Order, "The order"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "write");
      return c.json(createOrder(useCase(deps, a), companyId, c.req.valid("json")), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/companies/{companyId}/quotes/{quoteId}/order",
      tags: ["Orders"],
      summary: "The order of an accepted quote, on which deposits and the balance invoice are asked",
      description:
        "The quote's customer, lines (units and nature included) and exemption: the order's totals are the quote's to the cent, and its deposits and " +
        "balance invoice carry the quote's exemption. `orderDate` defaults to the day the quote was accepted. A quote is ordered or invoiced, once: " +
        "409 when it already has its order or its invoice (and `POST …/quotes/{quoteId}/invoice` answers 409 once it has its order), 409 unless accepted.",
      security: bearerAuth,
      request: { params: QuoteParam, ...jsonBody(QuoteOrderInput) },
      responses: { 201: jsonResponse(Order, "The order"), ...problemResponses },
    }),
    (c) => {
      const { companyId, quoteId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "write");
      return c.json(orderFromQuote(useCase(deps, a), companyId, quoteId, c.req.valid("json")), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/orders/{orderId}",
      tags: ["Orders"],
      summary: "One order, its deposits (net of their credit notes) and what is left for the balance invoice",
      security: bearerAuth,
      request: { params: OrderParam },
      responses: { 200: jsonResponse(Order, "The order"), ...problemResponses },
    }),
    (c) => {
      const { companyId, orderId } = c.req.valid("param");
      access(c, deps, companyId, "owner", "read");
      return c.json(deps.db.transaction(() => loadOrder(deps.db, companyId, orderId))(), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/companies/{companyId}/orders/{orderId}/deposits",
      tags: ["Orders"],
      summary: "Ask a deposit on the order: a draft invoice, issued in the invoice series like any other",
      description:
        "`percentBp` (3000 = 30 % of the order's net, half-up) or `amountCents` (a net amount). The net is shared among the order's VAT rates in " +
        "proportion to what earlier deposits left at each, VAT per rate on it; it must leave something for the balance invoice. " +
        "Its entry credits the deposits account (4191) with the net, VAT as for any invoice.",
      security: bearerAuth,
      request: { params: OrderParam, ...jsonBody(DepositInput) },
      responses: { 201: jsonResponse(Invoice, "The draft deposit invoice"), ...problemResponses },
    }),
    (c) => {
      const { companyId, orderId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "write");
      return c.json(createDeposit(useCase(deps, a), companyId, orderId, c.req.valid("json")), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/companies/{companyId}/orders/{orderId}/balance",
      tags: ["Orders"],
      summary: "The order's balance invoice, as a draft: the whole order, each issued deposit deducted",
      description:
        "Totals per rate are the order's less the deposits' (net of their credit notes), so deposits + balance = the order to the cent. " +
        "Its entry credits revenue with the whole order's net and debits the deposits account with the deposits' net. Every deposit must be issued; one balance per order.",
      security: bearerAuth,
      request: { params: OrderParam, ...jsonBody(BalanceInput) },
      responses: { 201: jsonResponse(Invoice, "The draft balance invoice"), ...problemResponses },
    }),
    (c) => {
      const { companyId, orderId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "write");
      return c.json(createBalance(useCase(deps, a), companyId, orderId, c.req.valid("json")), 201);
    },
  );

  return app;
}
