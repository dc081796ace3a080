import { createRoute, z } from "@hono/zod-openapi";
import { InvoiceEmailDraft, InvoiceSending, InvoiceSendingInput, ReminderLevel } from "@passerelle/shared";
import { today } from "../clock.js";
import type { Deps } from "../context.js";
import { access, bearerAuth, CompanyParam, createRouter, jsonBody, jsonResponse, problemResponses, useCase } from "../http/router.js";
import { prepareFacturX } from "../einvoice/facturx-export.js";
import { emailDraft, getSending, listSendings, recordSending } from "../services/invoice-sendings.js";
import { attemptSending, newClaim, SENDING_LEASE_MS } from "../services/invoice-sending-delivery.js";

const InvoiceParam = CompanyParam.extend({ invoiceId: z.string().max(64) });
const DraftQuery = z.strictObject({
  reminder: z.coerce
    .number()
    .pipe(ReminderLevel)
    .optional()
    .meta({ description: "The reminder's level: 1 courtesy reminder, 2 second reminder, 3 formal notice" }),
});

const DELIVERY =
  "The e-mail is sent before the answer: `status` is `sent`, or `retrying` with `error` when the mail server failed (the server tries again after 1 min, 5 min, 15 min, 1 h and 4 h, then says `failed`). Every attempt carries the `messageId` recorded before the first one; a sending once `sent` is never sent again.";

export function invoiceSendingRoutes(deps: Deps) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/invoices/{invoiceId}/email-draft",
      tags: ["Invoices"],
      summary: "The e-mail proposed for an issued invoice or credit note, or for a reminder of an unpaid invoice: the customer's address, the company's template filled in, the attachment's name",
      description: "With `reminder`, the reminder template of that level, filled with what is still due, the days late and the invoice's late-payment penalty rate; an invoice with nothing left to pay or not yet overdue, or a credit note, answers 409.",
      security: bearerAuth,
      request: { params: InvoiceParam, query: DraftQuery },
      responses: { 200: jsonResponse(InvoiceEmailDraft, "The proposed e-mail"), ...problemResponses },
    }),
    (c) => {
      const { companyId, invoiceId } = c.req.valid("param");
      access(c, deps, companyId, "owner", "read");
      const level = c.req.valid("query").reminder;
      return c.json(emailDraft(deps.db, companyId, invoiceId, level ? { level, today: today(deps.clock, deps.config.timeZone) } : undefined), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/companies/{companyId}/invoices/{invoiceId}/sendings",
      tags: ["Invoices"],
      summary: "Send an issued invoice or credit note to the customer by e-mail, its Factur-X PDF attached (owners)",
      description: `The attachment is the document's Factur-X PDF (EN 16931 profile), byte for byte the \`facturx.pdf\` download, named as the PDF download (\`{number}.pdf\`). Answers go to the owner who sends (Reply-To). Recipients are e-mail addresses, each once (1 to 20); a refused one is named by its index (\`to.1\`). A draft answers 409. With \`reminderLevel\` the sending is a reminder of that level (1 courtesy reminder, 2 second reminder, 3 formal notice), recorded on the invoice; an invoice with nothing left to pay or not yet overdue, or a credit note, answers 409. ${DELIVERY}`,
      security: bearerAuth,
      request: { params: InvoiceParam, ...jsonBody(InvoiceSendingInput) },
      responses: {
        201: jsonResponse(InvoiceSending, "The sending"),
        ...problemResponses,
        503: { description: "The server has no embeddable fonts, so it cannot write the Factur-X PDF", content: problemResponses[409].content },
      },
    }),
    async (c) => {
      const { companyId, invoiceId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "write");
      const input = c.req.valid("json");
      // a document that cannot be a Factur-X PDF is refused before anything is recorded
      prepareFacturX(deps.db, companyId, invoiceId, "EN16931");
      const claim = newClaim();
      const id = recordSending(useCase(deps, a), companyId, invoiceId, input, claim, new Date(deps.clock.now().getTime() + SENDING_LEASE_MS));
      await attemptSending(deps, id, claim);
      return c.json(getSending(deps.db, companyId, id), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/invoices/{invoiceId}/sendings",
      tags: ["Invoices"],
      summary: "The e-mail sendings of an invoice or credit note, newest first: when, to whom, by whom, the Message-ID and where delivery stands",
      security: bearerAuth,
      request: { params: InvoiceParam },
      responses: { 200: jsonResponse(z.object({ items: z.array(InvoiceSending) }), "The sendings"), ...problemResponses },
    }),
    (c) => {
      const { companyId, invoiceId } = c.req.valid("param");
      access(c, deps, companyId, "owner", "read");
      return c.json({ items: listSendings(deps.db, companyId, invoiceId) }, 200);
    },
  );

  return app;
}
