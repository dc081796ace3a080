import { describe, expect, it } from "vitest";
import { VERSION } from "../src/version.js";
import { createTestApp } from "./helpers.js";

const C = "/api/v1/companies/{companyId}";
/** The contract's "Health and identity" and "Companies and the owner's data" routes, with their methods. */
const CONTRACT: Record<string, string[]> = {
  "/health": ["get"],
  "/api/v1/auth/signup": ["post"],
  "/api/v1/auth/login": ["post"],
  "/api/v1/auth/logout": ["post"],
  "/api/v1/me": ["get"],
  "/api/v1/companies": ["get", "post"],
  [C]: ["get", "patch"],
  [`${C}/customers`]: ["get", "post"],
  [`${C}/customers/{customerId}`]: ["get", "patch"],
  [`${C}/products`]: ["get", "post"],
  [`${C}/products/{productId}`]: ["get", "patch"],
  [`${C}/invoices`]: ["get", "post"],
  [`${C}/invoices/{invoiceId}`]: ["get", "patch", "delete"],
  [`${C}/invoices/{invoiceId}/issue`]: ["post"],
  [`${C}/invoices/{invoiceId}/credit-note`]: ["post"],
  [`${C}/payments`]: ["get", "post"],
  [`${C}/payments/{paymentId}`]: ["get"],
  [`${C}/documents`]: ["get", "post"],
  [`${C}/documents/{documentId}`]: ["get"],
  [`${C}/documents/{documentId}/content`]: ["get"],
  [`${C}/integrity`]: ["get"],
};
const PUBLIC = new Set(["/health get", "/api/v1/auth/signup post", "/api/v1/auth/login post"]);

describe("OpenAPI and docs", () => {
  it("/openapi.json describes every route of the contract's first two sections, secured by bearerAuth", async () => {
    const t = createTestApp();
    const res = await t.app.request("/openapi.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    const doc = JSON.parse(await res.text());
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info).toMatchObject({ title: "Passerelle", version: VERSION });
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });

    for (const [path, methods] of Object.entries(CONTRACT)) {
      expect(doc.paths[path], path).toBeDefined();
      for (const method of methods) {
        const op = doc.paths[path][method];
        expect(op, `${method.toUpperCase()} ${path}`).toBeDefined();
        expect(Object.keys(op.responses).length, `${method} ${path}`).toBeGreaterThan(0);
        if (PUBLIC.has(`${path} ${method}`)) expect(op.security, `${method} ${path}`).toBeUndefined();
        else expect(op.security, `${method} ${path}`).toEqual([{ bearerAuth: [] }]);
      }
    }
    // field names of the contract appear in the schemas
    const draft = doc.paths[`${C}/invoices`].post.requestBody.content["application/json"].schema;
    const json = JSON.stringify(draft);
    for (const field of ["customerId", "issueDate", "dueDate", "lines", "description", "quantity", "unitPriceCents", "vatRateBp", "discountCents", "productId", "kind", "notes", "deliveryDate", "servicePeriod", "deliveryAddress"]) {
      expect(json, field).toContain(`"${field}"`);
    }
    const list = doc.paths[`${C}/invoices`].get.parameters.map((p: { name: string }) => p.name);
    expect(list).toEqual(expect.arrayContaining(["from", "to", "customerId", "type", "status", "category", "limit", "cursor"]));
    expect(Object.keys(doc.paths[`${C}/documents`].post.requestBody.content)).toEqual(["multipart/form-data"]);
    const payment = JSON.stringify(doc.paths[`${C}/payments`].post.requestBody.content["application/json"].schema);
    for (const field of ["invoiceId", "amountCents", "date", "method", "reference"]) expect(payment).toContain(`"${field}"`);
    expect(doc.paths[`${C}/invoices/{invoiceId}`].patch.responses["409"]).toBeDefined();
    // the invoice mentions of accounting.md §2: the delivery address is structured, the option for débits is the company's
    const address = JSON.stringify(draft.properties.deliveryAddress);
    for (const field of ["line1", "line2", "postalCode", "city", "country"]) expect(address, field).toContain(`"${field}"`);
    expect(draft.properties.deliveryAddress.required).toEqual(["line1", "postalCode", "city"]);
    expect(doc.paths[C].patch.requestBody.content["application/json"].schema.properties.vatOnDebits.type).toBe("boolean");
    const invoice = JSON.stringify(doc.paths[`${C}/invoices/{invoiceId}`].get.responses["200"].content["application/json"].schema);
    for (const field of ["deliveryDate", "servicePeriod", "deliveryAddress"]) expect(invoice, field).toContain(`"${field}"`);
    expect(doc.paths[`${C}/invoices/{invoiceId}`].get.responses["200"].content["application/json"].schema).toBeDefined();
  });

  it("/docs is a readable HTML page listing those routes", async () => {
    const t = createTestApp();
    const res = await t.app.request("/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain("<title>Passerelle — API</title>");
    expect(html).toContain('href="/openapi.json"');
    for (const path of Object.keys(CONTRACT)) expect(html, path).toContain(`<code>${path}</code>`);
    expect(html).not.toMatch(/<script/i);
  });
});
