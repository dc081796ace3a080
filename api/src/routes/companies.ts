import { createRoute, z } from "@hono/zod-openapi";
import { Company, CompanyInput, CompanyPatch, ListQuery, LOGO_MEDIA_TYPES, LogoUpload, pageOf } from "@passerelle/shared";
import type { Deps } from "../context.js";
import { access, bearerAuth, CompanyParam, createRouter, jsonBody, jsonResponse, problemResponses, useCase } from "../http/router.js";
import { requirePrincipal } from "../auth/authenticate.js";
import { forbidden, notFound } from "../http/problem.js";
import { createCompany, getCompany, listCompanies, updateCompany } from "../services/companies.js";
import { checkedLogo, currentLogo, removeLogo, setLogo, undrawableLogo } from "../services/logos.js";

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

  app.openapi(
    createRoute({
      method: "put",
      path: "/companies/{companyId}/logo",
      tags: ["Companies"],
      summary: "Set the logo printed on the company's documents (owners)",
      description: [
        "`contentBase64`: a PNG, a JPEG or an SVG, at most 512 KB and 4096 pixels a side (a PNG with transparency, or interlaced, 1024 × 1024: every document decodes it again); the type is read from the bytes.",
        "A PNG's chunks and checksums and a JPEG's markers are read, and the image is drawn on a page before it is kept: a file that is not what it claims answers 422 saying what is wrong.",
        "An SVG may hold only svg, g, path, rect, circle, ellipse, line, polyline, polygon, title and desc with plain colours and transforms:",
        "scripts, event handlers, links to anything but a #fragment, external references, foreignObject, DOCTYPEs, text, images, gradients and filters are refused (422 naming what was found), never stripped.",
        "Documents issued from now on print it; documents issued before keep the logo they were issued with.",
      ].join(" "),
      security: bearerAuth,
      request: { params: CompanyParam, ...jsonBody(LogoUpload) },
      responses: {
        200: jsonResponse(Company, "The company, with its new logo"),
        ...problemResponses,
        503: { description: "Too many documents being drawn at once; `Retry-After` says when to try again", content: problemResponses[422].content },
      },
    }),
    async (c) => {
      const { companyId } = c.req.valid("param");
      access(c, deps, companyId, "owner", "write");
      const logo = checkedLogo(new Uint8Array(Buffer.from(c.req.valid("json").contentBase64, "base64")));
      await deps.renders.render({ kind: "logo.pdf", logo }, c.req.raw.signal).catch((error: unknown) => {
        throw undrawableLogo(error);
      });
      // access checked again: the render took time, and the write is the use-case's
      return c.json(setLogo(useCase(deps, access(c, deps, companyId, "owner", "write")), companyId, logo), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/companies/{companyId}/logo",
      tags: ["Companies"],
      summary: "Print no logo on documents from now on (owners); issued documents keep theirs",
      security: bearerAuth,
      request: { params: CompanyParam },
      responses: { 200: jsonResponse(Company, "The company, without a logo"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "write");
      return c.json(removeLogo(useCase(deps, a), companyId), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/logo",
      tags: ["Companies"],
      summary: "The logo's bytes, as the type read from them; 404 when the company has none",
      security: bearerAuth,
      request: { params: CompanyParam },
      responses: {
        200: { description: "The logo", content: Object.fromEntries(LOGO_MEDIA_TYPES.map((type) => [type, { schema: z.string().openapi({ format: "binary" }) }])) },
        ...problemResponses,
      },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      access(c, deps, companyId, "owner", "read");
      const logo = currentLogo(deps.db, companyId);
      if (!logo) throw notFound("logo");
      return new Response(logo.bytes, {
        status: 200,
        headers: {
          "content-type": logo.mediaType,
          "content-length": String(logo.bytes.byteLength),
          etag: `"${logo.sha256}"`,
          "x-content-type-options": "nosniff",
          // an SVG opened on its own runs nothing and loads nothing
          "content-security-policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
          "cache-control": "private, no-cache",
        },
      });
    },
  );

  return app;
}

