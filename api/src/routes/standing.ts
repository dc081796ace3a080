import { createRoute, z } from "@hono/zod-openapi";
import { CustomerBalance, CustomerSending, ListQuery, MoneyStanding, pageOf } from "@passerelle/shared";
import type { Deps } from "../context.js";
import { access, bearerAuth, CompanyParam, createRouter, jsonResponse, problemResponses } from "../http/router.js";
import { today } from "../clock.js";
import { customerBalance, customerSendings, moneyStanding } from "../services/standing.js";

const CustomerParam = CompanyParam.extend({ customerId: z.string().max(64) });

const DEFINITIONS =
  "Revenue HT is the net of issued invoices minus that of issued credit notes, by issue date; cash received is the payments by payment date; due is what is still to be received on issued invoices (TTC − credited − paid); overdue is the part of it on invoices whose due date is before today (the company's business day). Amounts in cents.";

export function standingRoutes(deps: Deps) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/money-standing",
      tags: ["Invoices"],
      summary: "Where the money stands: revenue HT and cash received this month and this fiscal year, due and overdue, the 5 most overdue invoices, 12 months of revenue",
      description: DEFINITIONS,
      security: bearerAuth,
      request: { params: CompanyParam },
      responses: { 200: jsonResponse(MoneyStanding, "The figures"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      access(c, deps, companyId, "owner", "read");
      return c.json(moneyStanding(deps.db, companyId, today(deps.clock, deps.config.timeZone)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/customers/{customerId}/balance",
      tags: ["Customers"],
      summary: "A customer's balance: billed TTC (credit notes taken off), received, due and overdue",
      description: DEFINITIONS,
      security: bearerAuth,
      request: { params: CustomerParam },
      responses: { 200: jsonResponse(CustomerBalance, "The balance"), ...problemResponses },
    }),
    (c) => {
      const { companyId, customerId } = c.req.valid("param");
      access(c, deps, companyId, "owner", "read");
      return c.json(customerBalance(deps.db, companyId, customerId, today(deps.clock, deps.config.timeZone)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/customers/{customerId}/sendings",
      tags: ["Customers"],
      summary: "The e-mails sent to a customer about its documents (invoices, credit notes, reminders), newest first, with the document's number",
      security: bearerAuth,
      request: { params: CustomerParam, query: ListQuery },
      responses: { 200: jsonResponse(pageOf(CustomerSending), "A page of sendings"), ...problemResponses },
    }),
    (c) => {
      const { companyId, customerId } = c.req.valid("param");
      access(c, deps, companyId, "owner", "read");
      const q = c.req.valid("query");
      return c.json(customerSendings(deps.db, companyId, customerId, { limit: q.limit ?? 100, cursor: q.cursor }), 200);
    },
  );

  return app;
}
