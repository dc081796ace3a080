import { createRoute, z } from "@hono/zod-openapi";
import { Product, ProductInput, ProductPatch, ListQuery, pageOf, SearchTerm } from "@passerelle/shared";
import type { Deps } from "../context.js";
import { access, bearerAuth, CompanyParam, createRouter, jsonBody, jsonResponse, problemResponses, useCase } from "../http/router.js";
import { toProduct } from "../db/rows.js";
import { createProduct, listProducts, productRow, updateProduct } from "../services/products.js";

const ProductParam = CompanyParam.extend({ productId: z.string().max(64) });
const ProductQuery = ListQuery.extend({ q: SearchTerm(100).optional() });

export function productRoutes(deps: Deps) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/products",
      tags: ["Products"],
      summary: "Products and services by name; `q` searches name and category",
      security: bearerAuth,
      request: { params: CompanyParam, query: ProductQuery },
      responses: { 200: jsonResponse(pageOf(Product), "A page of products"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      access(c, deps, companyId, "owner", "read");
      const q = c.req.valid("query");
      return c.json(listProducts(deps.db, companyId, { limit: q.limit ?? 100, cursor: q.cursor, q: q.q }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/companies/{companyId}/products",
      tags: ["Products"],
      summary: "Create a product or service",
      security: bearerAuth,
      request: { params: CompanyParam, ...jsonBody(ProductInput) },
      responses: { 201: jsonResponse(Product, "The new product"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "write");
      return c.json(createProduct(useCase(deps, a), companyId, c.req.valid("json")), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/products/{productId}",
      tags: ["Products"],
      summary: "One product",
      security: bearerAuth,
      request: { params: ProductParam },
      responses: { 200: jsonResponse(Product, "The product"), ...problemResponses },
    }),
    (c) => {
      const { companyId, productId } = c.req.valid("param");
      access(c, deps, companyId, "owner", "read");
      return c.json(toProduct(productRow(deps.db, companyId, productId)), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "patch",
      path: "/companies/{companyId}/products/{productId}",
      tags: ["Products"],
      summary: "Change a product",
      description: "Issued invoices keep the lines they were issued with.",
      security: bearerAuth,
      request: { params: ProductParam, ...jsonBody(ProductPatch) },
      responses: { 200: jsonResponse(Product, "The product"), ...problemResponses },
    }),
    (c) => {
      const { companyId, productId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "write");
      return c.json(updateProduct(useCase(deps, a), companyId, productId, c.req.valid("json")), 200);
    },
  );

  return app;
}
