import { createRoute, z } from "@hono/zod-openapi";
import { Customer, CustomerInput, CustomerPatch, ListQuery, pageOf, SearchTerm } from "@passerelle/shared";
import type { Deps } from "../context.js";
import { access, bearerAuth, CompanyParam, createRouter, jsonBody, jsonResponse, problemResponses, useCase } from "../http/router.js";
import { toCustomer } from "../db/rows.js";
import { createCustomer, customerRow, listCustomers, updateCustomer } from "../services/customers.js";

const CustomerParam = CompanyParam.extend({ customerId: z.string().max(64) });
const CustomerQuery = ListQuery.extend({ q: SearchTerm(100).optional() });

export function customerRoutes(deps: Deps) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/customers",
      tags: ["Customers"],
      summary: "Customers by name; `q` searches name, code and e-mail",
      security: bearerAuth,
      request: { params: CompanyParam, query: CustomerQuery },
      responses: { 200: jsonResponse(pageOf(Customer), "A page of customers"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      access(c, deps, companyId, "owner", "read");
      const q = c.req.valid("query");
      return c.json(listCustomers(deps.db, companyId, { limit: q.limit ?? 100, cursor: q.cursor, q: q.q }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/companies/{companyId}/customers",
      tags: ["Customers"],
      summary: "Create a customer; `code` (the auxiliary account) is generated as C0001… when absent",
      security: bearerAuth,
      request: { params: CompanyParam, ...jsonBody(CustomerInput) },
      responses: { 201: jsonResponse(Customer, "The new customer"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "write");
      return c.json(createCustomer(useCase(deps, a), companyId, c.req.valid("json")), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/customers/{customerId}",
      tags: ["Customers"],
      summary: "One customer",
      security: bearerAuth,
      request: { params: CustomerParam },
      responses: { 200: jsonResponse(Customer, "The customer"), ...problemResponses },
    }),
    (c) => {
      const { companyId, customerId } = c.req.valid("param");
      access(c, deps, companyId, "owner", "read");
      return c.json(toCustomer(customerRow(deps.db, companyId, customerId)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/companies/{companyId}/customers/{customerId}",
      tags: ["Customers"],
      summary: "Change a customer (its code stays: it is the auxiliary account)",
      description: "Issued invoices keep the customer details they were issued with.",
      security: bearerAuth,
      request: { params: CustomerParam, ...jsonBody(CustomerPatch) },
      responses: { 200: jsonResponse(Customer, "The customer"), ...problemResponses },
    }),
    (c) => {
      const { companyId, customerId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "write");
      return c.json(updateCustomer(useCase(deps, a), companyId, customerId, c.req.valid("json")), 200);
    },
  );

  return app;
}
