import { createRoute, z } from "@hono/zod-openapi";
import { MAIL_PLACEHOLDERS, MailTemplate, MailTemplateInput, MailTemplateKind } from "@passerelle/shared";
import type { Deps } from "../context.js";
import { access, bearerAuth, CompanyParam, createRouter, jsonBody, jsonResponse, problemResponses, useCase } from "../http/router.js";
import { mailTemplates, saveMailTemplate } from "../services/mail-templates.js";

const TemplateParam = CompanyParam.extend({ kind: MailTemplateKind });
const PLACEHOLDERS = MAIL_PLACEHOLDERS.map((p) => `\`{${p}}\``).join(", ");

export function mailTemplateRoutes(deps: Deps) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/mail-templates",
      tags: ["Companies"],
      summary: "The subject and message of the e-mails sending an invoice and a credit note; the French default (`custom: false`) until the owner saves one",
      security: bearerAuth,
      request: { params: CompanyParam },
      responses: { 200: jsonResponse(z.object({ items: z.array(MailTemplate) }), "One template per kind"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      access(c, deps, companyId, "owner", "read");
      return c.json({ items: mailTemplates(deps.db, companyId) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/companies/{companyId}/mail-templates/{kind}",
      tags: ["Companies"],
      summary: "Save the company's subject and message for one kind of e-mail (owners)",
      description: `Placeholders, filled from the document when an e-mail is prepared: ${PLACEHOLDERS}. Any other \`{name}\` is refused.`,
      security: bearerAuth,
      request: { params: TemplateParam, ...jsonBody(MailTemplateInput) },
      responses: { 200: jsonResponse(MailTemplate, "The saved template"), ...problemResponses },
    }),
    (c) => {
      const { companyId, kind } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "write");
      return c.json(saveMailTemplate(useCase(deps, a), companyId, kind, c.req.valid("json")), 200);
    },
  );

  return app;
}
