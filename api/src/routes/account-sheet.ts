import { createRoute } from "@hono/zod-openapi";
import { AccountSheet, AccountSheetInput } from "@passerelle/shared";
import type { Deps } from "../context.js";
import { access, bearerAuth, CompanyParam, createRouter, jsonBody, jsonResponse, problemResponses, useCase } from "../http/router.js";
import { loadAccountSheet, saveAccountSheet } from "../services/account-sheet.js";

export function accountSheetRoutes(deps: Deps) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/accounting/accounts",
      tags: ["Accountant"],
      summary: "The account codes as rows of a sheet: defaults, journals, VAT rates, customers, products, categories",
      description:
        "One row per default account (`customers`, `goods`, `services`, `bank`, `deposits`), per journal (`sales`, `bank`: the row's account is the journal code), per VAT rate (key \"20 %\"), per customer (key: its code; `auxAccount` the auxiliary account), per product (key: its id) and per category. `account` is the value in force; `origin` says whether it is a default or an override. A category without a mapping has an empty account.",
      security: bearerAuth,
      request: { params: CompanyParam },
      responses: { 200: jsonResponse(AccountSheet, "The rows in force"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      access(c, deps, companyId, "accountant", "read");
      return c.json(loadAccountSheet(deps.db, companyId), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/companies/{companyId}/accounting/accounts",
      tags: ["Accountant"],
      summary: "Apply a whole sheet of account codes (accountants)",
      description:
        "The rows are the whole mapping: a customer, product or category left out has no override. Each row is checked — its account's PCG class (customers 411…, products and categories 70…, VAT 4457…, bank 512…, deposits 4191…), an unknown customer code or product id, a duplicate row — and every refused row is named in `errors[].path` (`rows.12.account`); then nothing is changed. A row's value becomes an override only where it differs from what it would inherit; an empty account means the default. A valid sheet is applied in one transaction, as PUT /accounting/settings would: owner data never changes, entries of locked periods stay frozen.",
      security: bearerAuth,
      request: { params: CompanyParam, ...jsonBody(AccountSheetInput) },
      responses: { 200: jsonResponse(AccountSheet, "The rows now in force"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      const a = access(c, deps, companyId, "accountant", "write");
      return c.json(saveAccountSheet(useCase(deps, a), companyId, c.req.valid("json").rows), 200);
    },
  );

  return app;
}
