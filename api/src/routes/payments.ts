import { createRoute, z } from "@hono/zod-openapi";
import { ListQuery, Payment, PaymentInput, pageOf } from "@passerelle/shared";
import type { Deps } from "../context.js";
import { access, bearerAuth, CompanyParam, createRouter, jsonBody, jsonResponse, problemResponses, useCase } from "../http/router.js";
import { deletePayment, getPayment, listPayments, recordPayment } from "../services/payments.js";

const PaymentQuery = ListQuery.extend({ invoiceId: z.string().max(64).optional() });

export function paymentRoutes(deps: Deps) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/payments",
      tags: ["Payments"],
      summary: "Payments received, newest first",
      security: bearerAuth,
      request: { params: CompanyParam, query: PaymentQuery },
      responses: { 200: jsonResponse(pageOf(Payment), "A page of payments"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      access(c, deps, companyId, "owner", "read");
      const q = c.req.valid("query");
      return c.json(listPayments(deps.db, companyId, { limit: q.limit ?? 100, cursor: q.cursor, invoiceId: q.invoiceId }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/companies/{companyId}/payments",
      tags: ["Payments"],
      summary: "Record a payment on an issued invoice (partial payments allowed, never more than is due)",
      security: bearerAuth,
      request: { params: CompanyParam, ...jsonBody(PaymentInput) },
      responses: { 201: jsonResponse(Payment, "The payment"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "write");
      return c.json(recordPayment(useCase(deps, a), companyId, c.req.valid("json")), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/payments/{paymentId}",
      tags: ["Payments"],
      summary: "One payment",
      security: bearerAuth,
      request: { params: CompanyParam.extend({ paymentId: z.string().max(64) }) },
      responses: { 200: jsonResponse(Payment, "The payment"), ...problemResponses },
    }),
    (c) => {
      const { companyId, paymentId } = c.req.valid("param");
      access(c, deps, companyId, "owner", "read");
      return c.json(getPayment(deps.db, companyId, paymentId), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/companies/{companyId}/payments/{paymentId}",
      tags: ["Payments"],
      summary: "Delete a payment recorded by mistake (refused in a locked period)",
      description:
        "The invoice's paid amount and status go back; the payment leaves lists, the journal and the entries. The record itself stays in the append-only record chain and the deletion in the audit log.",
      security: bearerAuth,
      request: { params: CompanyParam.extend({ paymentId: z.string().max(64) }) },
      responses: { 204: { description: "Deleted" }, ...problemResponses },
    }),
    (c) => {
      const { companyId, paymentId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "write");
      deletePayment(useCase(deps, a), companyId, paymentId);
      return c.body(null, 204);
    },
  );

  return app;
}
