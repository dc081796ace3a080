import { createRoute, z } from "@hono/zod-openapi";
import { Dispute, DisputeInput, OverdueList, OverdueQuery, ReminderSettings, ReminderSettingsInput } from "@passerelle/shared";
import type { Deps } from "../context.js";
import { access, bearerAuth, CompanyParam, createRouter, jsonBody, jsonResponse, problemResponses, useCase } from "../http/router.js";
import { today } from "../clock.js";
import { invoiceDispute, overdueInvoices, reminderSettings, saveReminderSettings, setDispute } from "../services/reminders.js";

const InvoiceParam = CompanyParam.extend({ invoiceId: z.string().max(64) });

export function reminderRoutes(deps: Deps) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/overdue-invoices",
      tags: ["Invoices"],
      summary: "Overdue invoices: issued, something still due, the due date passed; with the days late, the dispute and the last reminder",
      description:
        "`sort=dueDate` (the default) puts the oldest due date first, so the most days late first; `sort=amountDue` the most still due first. Days late count from the due date to the company's business day (Europe/Paris).",
      security: bearerAuth,
      request: { params: CompanyParam, query: OverdueQuery },
      responses: { 200: jsonResponse(OverdueList, "The overdue invoices and what they leave due"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      access(c, deps, companyId, "owner", "read");
      return c.json(overdueInvoices(deps.db, companyId, today(deps.clock, deps.config.timeZone), c.req.valid("query").sort), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/invoices/{invoiceId}/dispute",
      tags: ["Invoices"],
      summary: "Whether the customer disputes the invoice: since when, marked by whom, why",
      security: bearerAuth,
      request: { params: InvoiceParam },
      responses: { 200: jsonResponse(Dispute, "The invoice's dispute"), ...problemResponses },
    }),
    (c) => {
      const { companyId, invoiceId } = c.req.valid("param");
      access(c, deps, companyId, "owner", "read");
      return c.json(invoiceDispute(deps.db, companyId, invoiceId), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/companies/{companyId}/invoices/{invoiceId}/dispute",
      tags: ["Invoices"],
      summary: "Mark an issued invoice disputed (en litige), or lift the dispute (owners)",
      description: "A disputed invoice gets no automatic reminder until the dispute is lifted. Each mark and lift is kept with who and when, and in the activity log. Drafts and credit notes answer 409.",
      security: bearerAuth,
      request: { params: InvoiceParam, ...jsonBody(DisputeInput) },
      responses: { 200: jsonResponse(Dispute, "The invoice's dispute"), ...problemResponses },
    }),
    (c) => {
      const { companyId, invoiceId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "write");
      return c.json(setDispute(useCase(deps, a), companyId, invoiceId, c.req.valid("json")), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/reminder-settings",
      tags: ["Companies"],
      summary: "The company's automatic reminders: on or off, and the days after the due date of the three levels",
      security: bearerAuth,
      request: { params: CompanyParam },
      responses: { 200: jsonResponse(ReminderSettings, "The reminder settings"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      access(c, deps, companyId, "owner", "read");
      return c.json(reminderSettings(deps.db, companyId), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/companies/{companyId}/reminder-settings",
      tags: ["Companies"],
      summary: "Turn automatic reminders on or off and set their days (owners)",
      description:
        "`days` are the days after the due date of the courtesy reminder, the second reminder and the formal notice, strictly increasing (1 to 365). The server sends each level at most once per invoice, never for a paid, credited or disputed invoice nor without the customer's e-mail address; an invoice already past a later level's day gets that level only. Reminders go out in the name of the owner who saved these settings.",
      security: bearerAuth,
      request: { params: CompanyParam, ...jsonBody(ReminderSettingsInput) },
      responses: { 200: jsonResponse(ReminderSettings, "The saved settings"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "write");
      return c.json(saveReminderSettings(useCase(deps, a), companyId, c.req.valid("json")), 200);
    },
  );

  return app;
}
