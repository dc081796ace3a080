import { createRoute } from "@hono/zod-openapi";
import { AccountingSettingsInput } from "@passerelle/shared";
import type { Deps } from "../context.js";
import { access, bearerAuth, CompanyParam, createRouter, jsonBody, jsonResponse, problemResponses, useCase } from "../http/router.js";
import { loadAccountingSettings, saveAccountingSettings } from "../services/accounting-settings.js";

export function accountingSettingsRoutes(deps: Deps) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/accounting/settings",
      tags: ["Accountant"],
      summary: "Account codes: defaults, overrides by product, category, customer and VAT rate; journals",
      description: "What a PUT takes, filled with the defaults (411000, 706000 services, 707000 goods, 512000, 44571xx per rate, VE/BQ).",
      security: bearerAuth,
      request: { params: CompanyParam },
      responses: { 200: jsonResponse(AccountingSettingsInput, "The settings in force"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      access(c, deps, companyId, "accountant", "read");
      return c.json(loadAccountingSettings(deps.db, companyId), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/companies/{companyId}/accounting/settings",
      tags: ["Accountant"],
      summary: "Replace the account codes (accountants)",
      description:
        "Fields left out take their defaults. Account numbers must belong to their PCG class (customers 411…, revenue 70…, VAT 4457…, bank 512…). The revenue account of a line is the first of: product override, category override (the product's category, then the customer's), VAT-rate override, default for goods/services. Changing the settings never modifies invoices, customers or products, and never alters the entries of locked periods. `vatOnPayments` (services' VAT due on payment) answers 409 while the company opted to pay VAT d'après les débits (`vatOnDebits`): a company is under one regime or the other.",
      security: bearerAuth,
      request: { params: CompanyParam, ...jsonBody(AccountingSettingsInput) },
      responses: { 200: jsonResponse(AccountingSettingsInput, "The settings now in force"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      const a = access(c, deps, companyId, "accountant", "write");
      return c.json(saveAccountingSettings(useCase(deps, a), companyId, c.req.valid("json")), 200);
    },
  );

  return app;
}
