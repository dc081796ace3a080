/** createApp(deps): the whole HTTP surface, composed from per-resource routers. Pure: no listening, no globals. */
import { DatabaseUnavailableError } from "./db/postgres/channel.js";
import { OpenAPIHono, createRoute, z } from "@hono/zod-openapi";
import { HTTPException } from "hono/http-exception";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv, Deps } from "./context.js";
import { VERSION } from "./version.js";
import { ProblemError, problemResponse } from "./http/problem.js";
import { DOCS_PAGE_CSP, renderDocsPage } from "./http/docs-page.js";
import { securityHeaders } from "./http/security-headers.js";
import { authenticate, requireCredentials, sessionResolver } from "./auth/authenticate.js";
import { apiKeyResolver } from "./auth/api-keys.js";
import { credentialGuard } from "./auth/guard.js";
import { invitationRoutes } from "./routes/invitations.js";
import { accountantRoutes } from "./routes/accountants.js";
import { apiKeyRoutes } from "./routes/api-keys.js";
import { webhookRoutes } from "./routes/webhooks.js";
import { invitePages, registerInvitePageDoc } from "./pages/invite.js";
import { registerSignupPageDoc, signupPages } from "./pages/signup.js";
import { homePage } from "./pages/home.js";
import { requireWellFormedText } from "./http/text-body.js";
import { routeTable } from "./http/route-table.js";
import { methodNotAllowed } from "./http/method-not-allowed.js";
import { guardStreamedBodies, oneLine } from "./http/streamed-bodies.js";
import { problemResponses } from "./http/router.js";
import { clientLeft } from "./http/client-left.js";
import { readiness } from "./http/readiness.js";
import { authRoutes } from "./routes/auth.js";
import { companyRoutes } from "./routes/companies.js";
import { customerRoutes } from "./routes/customers.js";
import { productRoutes } from "./routes/products.js";
import { invoiceRoutes } from "./routes/invoices.js";
import { paymentRoutes } from "./routes/payments.js";
import { orderRoutes } from "./routes/orders.js";
import { admitUpload, documentRoutes } from "./routes/documents.js";
import { integrityRoutes } from "./routes/integrity.js";
import { addinRoutes } from "./routes/addin.js";
import { exportRoutes } from "./routes/exports.js";
import { journalRoutes } from "./routes/journal.js";
import { consolidatedJournalRoutes } from "./routes/consolidated-journal.js";
import { entryRoutes } from "./routes/entries.js";
import { accountingSettingsRoutes } from "./routes/accounting-settings.js";
import { accountSheetRoutes } from "./routes/account-sheet.js";
import { lockRoutes } from "./routes/locks.js";
import { auditLogRoutes } from "./routes/audit-log.js";
import { changeRoutes } from "./routes/changes.js";
import { einvoiceRoutes } from "./routes/einvoice.js";
import { invoiceSendingRoutes } from "./routes/invoice-sendings.js";
import { mailTemplateRoutes } from "./routes/mail-templates.js";
import { reminderRoutes } from "./routes/reminders.js";
import { standingRoutes } from "./routes/standing.js";
import { quoteRoutes } from "./routes/quotes.js";
import { monthEndRoutes } from "./routes/month-end.js";
import { journalQueryRoutes } from "./routes/journal-queries.js";
import { FEED_REALM, feedCredentials } from "./auth/feed-credentials.js";

export const API_BASE = "/api/v1";

const HTTP_TITLES: Record<number, string> = { 400: "Bad Request", 405: "Method Not Allowed", 413: "Payload Too Large", 415: "Unsupported Media Type" };

export function createApp(deps: Deps) {
  const app = new OpenAPIHono<AppEnv>();
  app.onError((error, c) => {
    if (error instanceof ProblemError) return problemResponse(c, error);
    if (clientLeft(c.req.raw, error)) {
      deps.abortedConnections.record(`${c.req.method} ${c.req.path}`);
      return problemResponse(c, new ProblemError(400, "Bad Request", "The connection closed before the request arrived whole; nothing was changed."));
    }
    if (error instanceof HTTPException) {
      const status = error.status;
      return problemResponse(c, new ProblemError(status, HTTP_TITLES[status] ?? "Error", error.message || "The request could not be read."));
    }
    if (error instanceof DatabaseUnavailableError) {
      // PostgreSQL stopped or unreachable: the transaction did not commit; the client may try again
      console.error(`${c.req.method} ${c.req.path}: database unavailable: ${error.message}`);
      return problemResponse(c, new ProblemError(503, "Service Unavailable", "The database cannot be reached; nothing was changed. Try again in a few seconds.", undefined, { "retry-after": "5" }));
    }
    console.error(`${c.req.method} ${c.req.path} failed: ${oneLine(error)}`);
    return problemResponse(c, new ProblemError(500, "Internal Server Error", "Something went wrong on our side; nothing was changed."));
  });
  app.notFound((c) => problemResponse(c, new ProblemError(404, "Not Found", `No route for ${c.req.method} ${new URL(c.req.url).pathname}.`)));

  app.use("*", securityHeaders(deps.config.trustedProxies));
  app.use("*", guardStreamedBodies(deps.abortedConnections));

  app.openapi(
    createRoute({
      method: "get",
      path: "/health",
      tags: ["Identity"],
      summary: "Readiness and version (no base path, no authentication)",
      description: "200 while the process takes new work; 503 when its database cannot be read or it is shutting down (a load balancer then sends requests elsewhere).",
      responses: {
        200: {
          description: "Ready",
          content: { "application/json": { schema: z.object({ ok: z.literal(true), version: z.string(), ready: z.literal(true), database: z.literal("ok") }) } },
        },
        503: { description: "Not ready: the database cannot be read, or the server is shutting down", content: problemResponses[422].content },
      },
    }),
    (c) => {
      const state = readiness(deps);
      if (!state.ready) {
        const detail = state.shuttingDown ? "The server is shutting down." : "The database cannot be read.";
        throw new ProblemError(503, "Service Unavailable", detail, undefined, { "retry-after": "5" });
      }
      return c.json({ ok: true as const, version: VERSION, ready: true as const, database: "ok" as const }, 200);
    },
  );

  const routes = routeTable(app);
  app.use("*", methodNotAllowed(routes));

  // Who is calling comes first: a caller without credentials gets 401 before any input is read.
  app.use(`${API_BASE}/feeds/*`, feedCredentials(deps));
  app.use(`${API_BASE}/*`, authenticate(deps, [sessionResolver(deps), apiKeyResolver(deps)]));
  app.use(`${API_BASE}/*`, requireCredentials(routes));
  app.use(`${API_BASE}/*`, credentialGuard(deps, API_BASE));
  const tooLarge = (limit: number) => () => {
    throw new ProblemError(413, "Payload Too Large", `The request body exceeds ${limit} bytes.`);
  };
  const documentsPath = /\/companies\/[^/]+\/documents$/;
  app.use(`${API_BASE}/*`, async (c, next) => {
    const limit = documentsPath.test(c.req.path) ? deps.config.maxUploadBytes + 64 * 1024 : deps.config.maxJsonBytes;
    // what bodyLimit decides from a Content-Length, decided without opening the body as a stream
    // (which would make the server build a full Request and read the body through it)
    const length = c.req.header("content-length");
    if (c.req.method === "GET" || c.req.method === "HEAD") return next();
    if (length !== undefined && c.req.header("transfer-encoding") === undefined) return parseInt(length, 10) > limit ? tooLarge(limit)() : next();
    return bodyLimit({ maxSize: limit, onError: tooLarge(limit) })(c, next);
  });
  // before anything reads an upload's body: its rate, its quota and a turn among the bodies held in memory
  app.use(`${API_BASE}/companies/:companyId/documents`, admitUpload(deps));
  app.use(`${API_BASE}/*`, requireWellFormedText());

  // Live clients learn about committed writes without polling the database.
  app.use(`${API_BASE}/companies/:companyId/*`, async (c, next) => {
    await next();
    if (c.req.method !== "GET" && c.res.status < 400) {
      const companyId = c.req.param("companyId");
      const seq = deps.db.prepare("SELECT last_seq FROM companies WHERE id = ?").pluck().get(companyId) as number | undefined;
      if (seq !== undefined) deps.changes.publish(companyId, seq);
    }
  });

  for (const routes of [authRoutes, companyRoutes, customerRoutes, productRoutes, invoiceRoutes, orderRoutes, paymentRoutes, documentRoutes, integrityRoutes, exportRoutes]) {
    app.route(API_BASE, routes(deps));
  }
  app.route(API_BASE, einvoiceRoutes(deps));
  app.route(API_BASE, invoiceSendingRoutes(deps));
  app.route(API_BASE, mailTemplateRoutes(deps));
  app.route(API_BASE, reminderRoutes(deps));
  app.route(API_BASE, standingRoutes(deps));
  app.route(API_BASE, quoteRoutes(deps));
  app.route(API_BASE, monthEndRoutes(deps));
  app.route(API_BASE, journalQueryRoutes(deps));
  // the accountant's layer
  app.route(API_BASE, accountSheetRoutes(deps));
  for (const routes of [journalRoutes, consolidatedJournalRoutes, entryRoutes, accountingSettingsRoutes, lockRoutes, auditLogRoutes, changeRoutes]) app.route(API_BASE, routes(deps));

  for (const routes of [invitationRoutes, accountantRoutes, apiKeyRoutes, webhookRoutes]) app.route(API_BASE, routes(deps));
  app.route("/", homePage(deps));
  app.route("/", invitePages(deps));
  app.route("/", signupPages(deps));
  // the Excel add-in, on the same origin as the API
  app.route("/", addinRoutes(deps));
  registerInvitePageDoc(app);
  registerSignupPageDoc(app);

  app.openAPIRegistry.registerComponent("securitySchemes", "bearerAuth", {
    type: "http",
    scheme: "bearer",
    description:
      "A session token from `POST /auth/login` (or `POST /auth/signup/confirm`, `POST /invitations/accept`), or an API key `psk_…` from `POST /api-keys` for scripts: a `read` key can only GET, a key created with `companyId` sees that company only, and revoking a key takes effect on the next request.",
  });
  app.openAPIRegistry.registerComponent("securitySchemes", "feedBasicAuth", {
    type: "http",
    scheme: "basic",
    description: `Feeds only (realm "${FEED_REALM}"): any user name, and a read-only API key \`psk_…\` as the password — what Excel's Data → From Web sends as its Basic credentials.`,
  });
  const documentInfo = {
    openapi: "3.0.3",
    info: {
      title: "Passerelle",
      version: VERSION,
      description:
        "Invoices, credit notes, payments and the sales journal of French small businesses, for their owners and their accountants. Money is integer cents (`…Cents`), VAT rates are basis points (`2000` = 20 %), quantities are decimal strings, dates are YYYY-MM-DD. Errors are application/problem+json. A path asked with a method it does not list answers 405 with `Allow`.",
    },
    servers: [{ url: deps.config.publicUrl }],
  };
  app.doc("/openapi.json", documentInfo);
  app.get("/docs", (c) => {
    c.header("content-security-policy", DOCS_PAGE_CSP);
    return c.html(renderDocsPage(app.getOpenAPIDocument(documentInfo) as never));
  });

  return app;
}

export type App = ReturnType<typeof createApp>;
