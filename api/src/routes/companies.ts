import { createRoute } from "@hono/zod-openapi";
import { Company, CompanyInput, CompanyPatch, ListQuery, pageOf } from "@passerelle/shared";
import type { Deps } from "../context.js";
import { access, bearerAuth, CompanyParam, createRouter, jsonBody, jsonResponse, problemResponses, useCase } from "../http/router.js";
import { requirePrincipal } from "../auth/authenticate.js";
import { forbidden } from "../http/problem.js";
import { createCompany, getCompany, listCompanies, updateCompany } from "../services/companies.js";

export function companyRoutes(deps: Deps) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies",
      tags: ["Companies"],
      summary: "Companies the caller belongs to (an accountant's portfolio), by name",
      security: bearerAuth,
      request: { query: ListQuery },
      responses: { 200: jsonResponse(pageOf(Company), "A page of companies"), 401: problemResponses[401], 422: problemResponses[422] },
    }),
    (c) => {
      const principal = requirePrincipal(c.get("principal"));
      const q = c.req.valid("query");
      return c.json(listCompanies(deps.db, principal.userId, principal.companyId, q.limit ?? 100, q.cursor), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/companies",
      tags: ["Companies"],
      summary: "Create a company; the caller becomes its owner",
      security: bearerAuth,
      request: jsonBody(CompanyInput),
      responses: { 201: jsonResponse(Company, "The new company"), 401: problemResponses[401], 403: problemResponses[403], 422: problemResponses[422] },
    }),
    (c) => {
      const principal = requirePrincipal(c.get("principal"));
      if (principal.scope !== "write" || principal.companyId) throw forbidden("This API key cannot create companies.");
      return c.json(createCompany(useCase(deps, { principal }), c.req.valid("json")), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}",
      tags: ["Companies"],
      summary: "One company, with the caller's role and the lock in force",
      security: bearerAuth,
      request: { params: CompanyParam },
      responses: { 200: jsonResponse(Company, "The company"), 401: problemResponses[401], 404: problemResponses[404] },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "read");
      return c.json(getCompany(deps.db, companyId, a.role), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/companies/{companyId}",
      tags: ["Companies"],
      summary: "Change the company's details (owners)",
      description:
        "Issued invoices keep the details they were issued with (the option `vatOnDebits` included: each document keeps the one it was issued under). `vatOnDebits: true` — the option pour le paiement de la taxe d'après les débits, printed on every invoice — answers 409 while the accounting settings put services' VAT on payment (`vatOnPayments`).",
      security: bearerAuth,
      request: { params: CompanyParam, ...jsonBody(CompanyPatch) },
      responses: { 200: jsonResponse(Company, "The company"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "write");
      return c.json(updateCompany(useCase(deps, a), companyId, c.req.valid("json")), 200);
    },
  );

  return app;
}

