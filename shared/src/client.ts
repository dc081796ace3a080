/**
 * Typed API client over `fetch`, for the extension, the Excel add-in, scripts and tests.
 * Errors come back as `ApiError` carrying the server's problem+json.
 */
import type {
  AuthResult,
  LoginResult,
  Company,
  Customer,
  DocumentMeta,
  IntegrityReport,
  Invoice,
  Me,
  Page,
  Payment,
  Problem,
  Product,
  SignupResult,
} from "./resources.js";
import type {
  AcceptInvitationResult,
  Accountant,
  ApiKey,
  ApiKeyCreated,
  Invitation,
  Webhook,
  WebhookCreated,
  WebhookDelivery,
} from "./resources.js";
import type { AcceptInvitationInput, ApiKeyInput, BalanceInput, DepositInput, LogoUpload, OrderInput, QuoteOrderInput, WebhookInput } from "./schemas.js";
import type { Order } from "./resources.js";
import type { AuditEntry, Change, Changes, EntriesPage, InvoicePage, LatestChanges, LockStateOut, SalesJournal } from "./resources.js";
import type { AuditLogQuery, EntriesQuery, LockInput, ReopenInput } from "./accountant-schemas.js";
import type { AccountingSettings, AccountingSettingsInput } from "./accounting-settings.js";
import { SseParser } from "./sse.js";
import type { InvoiceEmailDraft, InvoiceSending, InvoiceSendingInput, MailTemplate, MailTemplateInput, MailTemplateKind, QuoteSending, ReminderLevel } from "./invoice-mail.js";
import type { Dispute, DisputeInput, OverdueList, OverdueQuery, ReminderSettings, ReminderSettingsInput } from "./reminders.js";
import type { CustomerBalance, CustomerSending, MoneyStanding } from "./standing-schemas.js";
import type { Quote, QuotePage } from "./resources.js";
import type { QuoteDraftInput, QuoteDraftPatch, QuoteFilters } from "./schemas.js";
import type { JournalQuery, JournalQueryInput } from "./journal-queries.js";
import type { ExportFilters, ExportKind, ExportLogEntry, FecQuery, JournalCsvQuery, ListExportQuery, QuoteArchiveQuery } from "./exports.js";
import type {
  CompanyInput,
  CompanyPatch,
  CreditNoteInput,
  CustomerInput,
  CustomerPatch,
  InvoiceDraftInput,
  InvoiceDraftPatch,
  InvoiceFilters,
  DocumentListQuery,
  LoginInput,
  PaymentInput,
  ProductInput,
  ProductPatch,
  SignupConfirmInput,
  SignupInput,
} from "./schemas.js";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(problem.detail ?? problem.title);
    this.name = "ApiError";
  }

  /** The message for one field path (e.g. "lines.0.quantity"), if the server named it. */
  fieldMessage(path: string): string | undefined {
    return this.problem.errors?.find((e) => e.path === path)?.message;
  }
}

export interface ClientOptions {
  baseUrl: string; // e.g. "http://localhost:8787"
  token?: string | undefined;
  fetch?: typeof fetch;
  /** The language problems are answered in (`Accept-Language`); the server's default, French, when left out. */
  language?: "fr" | "en" | undefined;
}

type Query = Record<string, string | number | boolean | undefined | null>;

export function queryString(query: Query | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== "") params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : "";
}

export class PasserelleClient {
  readonly baseUrl: string;
  token: string | undefined;
  private readonly fetchImpl: typeof fetch;
  private readonly language: "fr" | "en" | undefined;

  constructor(options: ClientOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.token = options.token;
    this.fetchImpl = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    this.language = options.language;
  }

  /** Low-level call under /api/v1; returns the raw Response (for files and streams). */
  async raw(method: string, path: string, init: { query?: Query; body?: unknown; signal?: AbortSignal; headers?: Record<string, string> } = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: "application/json", ...(this.language ? { "accept-language": this.language } : {}), ...init.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let body: FormData | string | undefined;
    if (init.body instanceof FormData) body = init.body;
    else if (init.body !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(init.body);
    }
    const url = `${this.baseUrl}/api/v1${path}${queryString(init.query)}`;
    const response = await this.fetchImpl(url, { method, headers, body, signal: init.signal ?? null });
    if (!response.ok) throw await toApiError(response);
    return response;
  }

  async request<T>(method: string, path: string, init: { query?: Query; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
    const response = await this.raw(method, path, init);
    if (response.status === 204) return undefined as T;
    return (await response.json()) as T;
  }

  // ---- identity ----
  /** Sends the confirmation e-mail; nobody is signed in until the link's owner confirms. */
  signup(input: SignupInput): Promise<SignupResult> {
    return this.request("POST", "/auth/signup", { body: input });
  }
  async confirmSignup(input: SignupConfirmInput): Promise<AuthResult> {
    const result = await this.request<AuthResult>("POST", "/auth/signup/confirm", { body: input });
    this.token = result.token;
    return result;
  }
  async login(input: LoginInput): Promise<LoginResult> {
    const result = await this.request<LoginResult>("POST", "/auth/login", { body: input });
    this.token = result.token;
    return result;
  }
  async logout(): Promise<void> {
    await this.request<void>("POST", "/auth/logout");
    this.token = undefined;
  }
  me(): Promise<Me> {
    return this.request("GET", "/me");
  }

  // ---- companies ----
  listCompanies(query?: { limit?: number; cursor?: string }): Promise<Page<Company>> {
    return this.request("GET", "/companies", { query });
  }
  createCompany(input: CompanyInput): Promise<Company> {
    return this.request("POST", "/companies", { body: input });
  }
  getCompany(companyId: string): Promise<Company> {
    return this.request("GET", `/companies/${enc(companyId)}`);
  }
  updateCompany(companyId: string, patch: CompanyPatch): Promise<Company> {
    return this.request("PATCH", `/companies/${enc(companyId)}`, { body: patch });
  }
  /** Sets the logo printed on documents: a PNG, a JPEG or an SVG, its bytes in base64. */
  setCompanyLogo(companyId: string, input: LogoUpload): Promise<Company> {
    return this.request("PUT", `/companies/${enc(companyId)}/logo`, { body: input });
  }
  removeCompanyLogo(companyId: string): Promise<Company> {
    return this.request("DELETE", `/companies/${enc(companyId)}/logo`);
  }
  /** The logo's bytes in base64 with their type (plain data: it crosses the extension's message channel). */
  async companyLogo(companyId: string): Promise<{ mediaType: string; base64: string }> {
    const response = await this.raw("GET", `/companies/${enc(companyId)}/logo`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    let binary = "";
    for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { mediaType: response.headers.get("content-type") ?? "application/octet-stream", base64: btoa(binary) };
  }

  // ---- customers ----
  listCustomers(companyId: string, query?: { limit?: number; cursor?: string; q?: string }): Promise<Page<Customer>> {
    return this.request("GET", `/companies/${enc(companyId)}/customers`, { query });
  }
  createCustomer(companyId: string, input: CustomerInput): Promise<Customer> {
    return this.request("POST", `/companies/${enc(companyId)}/customers`, { body: input });
  }
  getCustomer(companyId: string, customerId: string): Promise<Customer> {
    return this.request("GET", `/companies/${enc(companyId)}/customers/${enc(customerId)}`);
  }
  updateCustomer(companyId: string, customerId: string, patch: CustomerPatch): Promise<Customer> {
    return this.request("PATCH", `/companies/${enc(companyId)}/customers/${enc(customerId)}`, { body: patch });
  }

  // ---- products ----
  listProducts(companyId: string, query?: { limit?: number; cursor?: string; q?: string }): Promise<Page<Product>> {
    return this.request("GET", `/companies/${enc(companyId)}/products`, { query });
  }
  createProduct(companyId: string, input: ProductInput): Promise<Product> {
    return this.request("POST", `/companies/${enc(companyId)}/products`, { body: input });
  }
  updateProduct(companyId: string, productId: string, patch: ProductPatch): Promise<Product> {
    return this.request("PATCH", `/companies/${enc(companyId)}/products/${enc(productId)}`, { body: patch });
  }

  // ---- invoices ----
  listInvoices(companyId: string, filters?: InvoiceFilters): Promise<InvoicePage> {
    return this.request("GET", `/companies/${enc(companyId)}/invoices`, { query: filters as Query });
  }
  createDraft(companyId: string, input: InvoiceDraftInput): Promise<Invoice> {
    return this.request("POST", `/companies/${enc(companyId)}/invoices`, { body: input });
  }
  getInvoice(companyId: string, invoiceId: string): Promise<Invoice> {
    return this.request("GET", `/companies/${enc(companyId)}/invoices/${enc(invoiceId)}`);
  }
  updateDraft(companyId: string, invoiceId: string, patch: InvoiceDraftPatch): Promise<Invoice> {
    return this.request("PATCH", `/companies/${enc(companyId)}/invoices/${enc(invoiceId)}`, { body: patch });
  }
  deleteDraft(companyId: string, invoiceId: string): Promise<void> {
    return this.request("DELETE", `/companies/${enc(companyId)}/invoices/${enc(invoiceId)}`);
  }
  issueInvoice(companyId: string, invoiceId: string, issueDate?: string): Promise<Invoice> {
    return this.request("POST", `/companies/${enc(companyId)}/invoices/${enc(invoiceId)}/issue`, {
      body: issueDate ? { issueDate } : {},
    });
  }
  createCreditNote(companyId: string, invoiceId: string, input: CreditNoteInput = {}): Promise<Invoice> {
    return this.request("POST", `/companies/${enc(companyId)}/invoices/${enc(invoiceId)}/credit-note`, { body: input });
  }

  // ---- quotes ----
  listQuotes(companyId: string, filters?: QuoteFilters): Promise<QuotePage> {
    return this.request("GET", `/companies/${enc(companyId)}/quotes`, { query: filters as Query });
  }
  createQuote(companyId: string, input: QuoteDraftInput): Promise<Quote> {
    return this.request("POST", `/companies/${enc(companyId)}/quotes`, { body: input });
  }
  getQuote(companyId: string, quoteId: string): Promise<Quote> {
    return this.request("GET", `/companies/${enc(companyId)}/quotes/${enc(quoteId)}`);
  }
  updateQuote(companyId: string, quoteId: string, patch: QuoteDraftPatch): Promise<Quote> {
    return this.request("PATCH", `/companies/${enc(companyId)}/quotes/${enc(quoteId)}`, { body: patch });
  }
  deleteQuote(companyId: string, quoteId: string): Promise<void> {
    return this.request("DELETE", `/companies/${enc(companyId)}/quotes/${enc(quoteId)}`);
  }
  issueQuote(companyId: string, quoteId: string, issueDate?: string): Promise<Quote> {
    return this.request("POST", `/companies/${enc(companyId)}/quotes/${enc(quoteId)}/issue`, { body: issueDate ? { issueDate } : {} });
  }
  /** Records the customer's answer (`date`: today when left out). */
  decideQuote(companyId: string, quoteId: string, decision: "accept" | "refuse", date?: string): Promise<Quote> {
    return this.request("POST", `/companies/${enc(companyId)}/quotes/${enc(quoteId)}/${decision}`, { body: date ? { date } : {} });
  }
  duplicateQuote(companyId: string, quoteId: string): Promise<Quote> {
    return this.request("POST", `/companies/${enc(companyId)}/quotes/${enc(quoteId)}/duplicate`, { body: {} });
  }
  /** A draft invoice made from the accepted quote. */
  invoiceQuote(companyId: string, quoteId: string): Promise<Invoice> {
    return this.request("POST", `/companies/${enc(companyId)}/quotes/${enc(quoteId)}/invoice`, { body: {} });
  }
  /** The order made from the accepted quote, on which deposits and the balance invoice are asked. */
  orderFromQuote(companyId: string, quoteId: string, input: QuoteOrderInput = {}): Promise<Order> {
    return this.request("POST", `/companies/${enc(companyId)}/quotes/${enc(quoteId)}/order`, { body: input });
  }
  quoteEmailDraft(companyId: string, quoteId: string): Promise<InvoiceEmailDraft> {
    return this.request("GET", `/companies/${enc(companyId)}/quotes/${enc(quoteId)}/email-draft`);
  }
  sendQuote(companyId: string, quoteId: string, input: InvoiceSendingInput): Promise<QuoteSending> {
    return this.request("POST", `/companies/${enc(companyId)}/quotes/${enc(quoteId)}/sendings`, { body: input });
  }
  listQuoteSendings(companyId: string, quoteId: string): Promise<{ items: QuoteSending[] }> {
    return this.request("GET", `/companies/${enc(companyId)}/quotes/${enc(quoteId)}/sendings`);
  }
  quotePdf(companyId: string, quoteId: string): Promise<Response> {
    return this.raw("GET", `/companies/${enc(companyId)}/quotes/${enc(quoteId)}/pdf`, { headers: { accept: "application/pdf" } });
  }

  // ---- orders: deposits and the balance invoice ----
  createOrder(companyId: string, input: OrderInput): Promise<Order> {
    return this.request("POST", `/companies/${enc(companyId)}/orders`, { body: input });
  }
  getOrder(companyId: string, orderId: string): Promise<Order> {
    return this.request("GET", `/companies/${enc(companyId)}/orders/${enc(orderId)}`);
  }
  /** A draft deposit invoice on the order: `percentBp` of its net, or `amountCents`. */
  createDeposit(companyId: string, orderId: string, input: DepositInput): Promise<Invoice> {
    return this.request("POST", `/companies/${enc(companyId)}/orders/${enc(orderId)}/deposits`, { body: input });
  }
  /** The order's draft balance invoice, each issued deposit deducted. */
  createBalance(companyId: string, orderId: string, input: BalanceInput = {}): Promise<Invoice> {
    return this.request("POST", `/companies/${enc(companyId)}/orders/${enc(orderId)}/balance`, { body: input });
  }

  // ---- sending documents by e-mail ----
  /** The e-mail proposed for an issued document: the customer's address, the company's template filled in, the attachment's name. */
  invoiceEmailDraft(companyId: string, invoiceId: string, reminder?: ReminderLevel): Promise<InvoiceEmailDraft> {
    return this.request("GET", `/companies/${enc(companyId)}/invoices/${enc(invoiceId)}/email-draft`, { query: { reminder } });
  }
  /** Sends the document with its Factur-X PDF attached; the answer says `sent`, or `retrying` with the mail server's error. */
  sendInvoice(companyId: string, invoiceId: string, input: InvoiceSendingInput): Promise<InvoiceSending> {
    return this.request("POST", `/companies/${enc(companyId)}/invoices/${enc(invoiceId)}/sendings`, { body: input });
  }
  listInvoiceSendings(companyId: string, invoiceId: string): Promise<{ items: InvoiceSending[] }> {
    return this.request("GET", `/companies/${enc(companyId)}/invoices/${enc(invoiceId)}/sendings`);
  }
  mailTemplates(companyId: string): Promise<{ items: MailTemplate[] }> {
    return this.request("GET", `/companies/${enc(companyId)}/mail-templates`);
  }
  saveMailTemplate(companyId: string, kind: MailTemplateKind, input: MailTemplateInput): Promise<MailTemplate> {
    return this.request("PUT", `/companies/${enc(companyId)}/mail-templates/${enc(kind)}`, { body: input });
  }

  // ---- where the money stands ----
  /** Revenue HT and cash received this month and fiscal year, due and overdue, the 5 most overdue, 12 months of revenue. */
  moneyStanding(companyId: string): Promise<MoneyStanding> {
    return this.request("GET", `/companies/${enc(companyId)}/money-standing`);
  }
  customerBalance(companyId: string, customerId: string): Promise<CustomerBalance> {
    return this.request("GET", `/companies/${enc(companyId)}/customers/${enc(customerId)}/balance`);
  }
  /** The e-mails sent to a customer about its documents (invoices, credit notes, reminders), newest first. */
  listCustomerSendings(companyId: string, customerId: string, query?: { limit?: number; cursor?: string }): Promise<Page<CustomerSending>> {
    return this.request("GET", `/companies/${enc(companyId)}/customers/${enc(customerId)}/sendings`, { query });
  }

  // ---- overdue invoices and reminders ----
  overdueInvoices(companyId: string, query?: OverdueQuery): Promise<OverdueList> {
    return this.request("GET", `/companies/${enc(companyId)}/overdue-invoices`, { query });
  }
  invoiceDispute(companyId: string, invoiceId: string): Promise<Dispute> {
    return this.request("GET", `/companies/${enc(companyId)}/invoices/${enc(invoiceId)}/dispute`);
  }
  setInvoiceDispute(companyId: string, invoiceId: string, input: DisputeInput): Promise<Dispute> {
    return this.request("PUT", `/companies/${enc(companyId)}/invoices/${enc(invoiceId)}/dispute`, { body: input });
  }
  reminderSettings(companyId: string): Promise<ReminderSettings> {
    return this.request("GET", `/companies/${enc(companyId)}/reminder-settings`);
  }
  saveReminderSettings(companyId: string, input: ReminderSettingsInput): Promise<ReminderSettings> {
    return this.request("PUT", `/companies/${enc(companyId)}/reminder-settings`, { body: input });
  }

  // ---- payments ----
  listPayments(companyId: string, query?: { limit?: number; cursor?: string; invoiceId?: string }): Promise<Page<Payment>> {
    return this.request("GET", `/companies/${enc(companyId)}/payments`, { query });
  }
  recordPayment(companyId: string, input: PaymentInput): Promise<Payment> {
    return this.request("POST", `/companies/${enc(companyId)}/payments`, { body: input });
  }

  // ---- documents ----
  listDocuments(companyId: string, query?: DocumentListQuery): Promise<Page<DocumentMeta>> {
    return this.request("GET", `/companies/${enc(companyId)}/documents`, { query: query as Query });
  }
  uploadDocument(
    companyId: string,
    file: Blob,
    fileName: string,
    extra: { sourceUrl?: string; note?: string } = {},
  ): Promise<DocumentMeta> {
    const form = new FormData();
    form.set("file", file, fileName);
    if (extra.sourceUrl) form.set("sourceUrl", extra.sourceUrl);
    if (extra.note) form.set("note", extra.note);
    return this.request("POST", `/companies/${enc(companyId)}/documents`, { body: form });
  }
  async documentContent(companyId: string, documentId: string): Promise<Blob> {
    const response = await this.raw("GET", `/companies/${enc(companyId)}/documents/${enc(documentId)}/content`);
    return response.blob();
  }

  // ---- e-invoices (issued documents only) ----
  /** The Factur-X / CII XML: `en16931` (default) or `basic`. */
  async invoiceCiiXml(companyId: string, invoiceId: string, profile?: "en16931" | "basic"): Promise<string> {
    const response = await this.raw("GET", `/companies/${enc(companyId)}/invoices/${enc(invoiceId)}/cii.xml`, { query: { profile }, headers: { accept: "application/xml" } });
    return response.text();
  }
  /** The UBL 2.1 Invoice or CreditNote XML. */
  async invoiceUblXml(companyId: string, invoiceId: string): Promise<string> {
    const response = await this.raw("GET", `/companies/${enc(companyId)}/invoices/${enc(invoiceId)}/ubl.xml`, { headers: { accept: "application/xml" } });
    return response.text();
  }
  /** The Factur-X PDF (PDF/A-3b with factur-x.xml embedded). */
  async invoiceFacturXPdf(companyId: string, invoiceId: string, profile?: "en16931" | "basic"): Promise<Blob> {
    const response = await this.raw("GET", `/companies/${enc(companyId)}/invoices/${enc(invoiceId)}/facturx.pdf`, { query: { profile }, headers: { accept: "application/pdf" } });
    return response.blob();
  }

  // ---- access: invitations, accountants, API keys, webhooks ----
  listInvitations(companyId: string, query?: { limit?: number; cursor?: string }): Promise<Page<Invitation>> {
    return this.request("GET", `/companies/${enc(companyId)}/invitations`, { query });
  }
  /** Invites an accountant by e-mail (owners); the answer says whether the e-mail went out. */
  inviteAccountant(companyId: string, email: string): Promise<Invitation> {
    return this.request("POST", `/companies/${enc(companyId)}/invitations`, { body: { email } });
  }
  resendInvitation(companyId: string, invitationId: string): Promise<Invitation> {
    return this.request("POST", `/companies/${enc(companyId)}/invitations/${enc(invitationId)}/resend`);
  }
  revokeInvitation(companyId: string, invitationId: string): Promise<void> {
    return this.request("DELETE", `/companies/${enc(companyId)}/invitations/${enc(invitationId)}`);
  }
  /** Accepts an invitation (new account: name + password; existing account: password) and signs in. */
  async acceptInvitation(input: AcceptInvitationInput): Promise<AcceptInvitationResult> {
    const result = await this.request<AcceptInvitationResult>("POST", "/invitations/accept", { body: input });
    this.token = result.token;
    return result;
  }
  listAccountants(companyId: string): Promise<{ items: Accountant[] }> {
    return this.request("GET", `/companies/${enc(companyId)}/accountants`);
  }
  removeAccountant(companyId: string, userId: string): Promise<void> {
    return this.request("DELETE", `/companies/${enc(companyId)}/accountants/${enc(userId)}`);
  }
  listApiKeys(): Promise<{ items: ApiKey[] }> {
    return this.request("GET", "/api-keys");
  }
  /** The answer's `secret` is shown this once. */
  createApiKey(input: ApiKeyInput): Promise<ApiKeyCreated> {
    return this.request("POST", "/api-keys", { body: input });
  }
  revokeApiKey(keyId: string): Promise<void> {
    return this.request("DELETE", `/api-keys/${enc(keyId)}`);
  }
  listWebhooks(companyId: string): Promise<{ items: Webhook[] }> {
    return this.request("GET", `/companies/${enc(companyId)}/webhooks`);
  }
  /** The answer's `secret` (for checking `X-Passerelle-Signature`) is shown this once. */
  createWebhook(companyId: string, input: WebhookInput): Promise<WebhookCreated> {
    return this.request("POST", `/companies/${enc(companyId)}/webhooks`, { body: input });
  }
  deleteWebhook(companyId: string, webhookId: string): Promise<void> {
    return this.request("DELETE", `/companies/${enc(companyId)}/webhooks/${enc(webhookId)}`);
  }
  webhookDeliveries(companyId: string, webhookId: string, query?: { limit?: number; cursor?: string }): Promise<Page<WebhookDelivery>> {
    return this.request("GET", `/companies/${enc(companyId)}/webhooks/${enc(webhookId)}/deliveries`, { query });
  }

  // ---- the accountant's layer ----
  listJournalQueries(companyId: string): Promise<{ items: JournalQuery[] }> {
    return this.request("GET", `/companies/${enc(companyId)}/journal-queries`);
  }
  /** Saves a journal query (accountants); the answer gives the addresses of its CSV and JSON feeds. */
  createJournalQuery(companyId: string, input: JournalQueryInput): Promise<JournalQuery> {
    return this.request("POST", `/companies/${enc(companyId)}/journal-queries`, { body: input });
  }
  deleteJournalQuery(companyId: string, queryId: string): Promise<void> {
    return this.request("DELETE", `/companies/${enc(companyId)}/journal-queries/${enc(queryId)}`);
  }
  salesJournal(companyId: string, filters?: InvoiceFilters): Promise<SalesJournal> {
    return this.request("GET", `/companies/${enc(companyId)}/sales-journal`, { query: filters as Query });
  }
  entries(companyId: string, query?: EntriesQuery): Promise<EntriesPage> {
    return this.request("GET", `/companies/${enc(companyId)}/entries`, { query: query as Query });
  }
  accountingSettings(companyId: string): Promise<AccountingSettings> {
    return this.request("GET", `/companies/${enc(companyId)}/accounting/settings`);
  }
  updateAccountingSettings(companyId: string, settings: AccountingSettingsInput): Promise<AccountingSettings> {
    return this.request("PUT", `/companies/${enc(companyId)}/accounting/settings`, { body: settings });
  }
  locks(companyId: string): Promise<LockStateOut> {
    return this.request("GET", `/companies/${enc(companyId)}/locks`);
  }
  lockPeriod(companyId: string, input: LockInput): Promise<LockStateOut> {
    return this.request("POST", `/companies/${enc(companyId)}/locks`, { body: input });
  }
  reopenPeriod(companyId: string, input: ReopenInput): Promise<LockStateOut> {
    return this.request("POST", `/companies/${enc(companyId)}/locks/reopen`, { body: input });
  }
  auditLog(companyId: string, query?: AuditLogQuery): Promise<Page<AuditEntry>> {
    return this.request("GET", `/companies/${enc(companyId)}/audit-log`, { query: query as Query });
  }
  changes(companyId: string, since = 0, limit?: number): Promise<Changes> {
    return this.request("GET", `/companies/${enc(companyId)}/changes`, { query: { since, limit } });
  }
  /** The newest sequence and change time of each of the caller's companies, in one call. */
  latestChanges(): Promise<LatestChanges> {
    return this.request("GET", "/changes");
  }
  deletePayment(companyId: string, paymentId: string): Promise<void> {
    return this.request("DELETE", `/companies/${enc(companyId)}/payments/${enc(paymentId)}`);
  }

  /**
   * The live change feed (Server-Sent Events): yields each change as it is committed, starting
   * after `since`. Ends when the server ends the stream (sign-out, revoked access) or `signal` aborts;
   * resume with `since` = the last `seq` received.
   */
  async *events(companyId: string, options: { since?: number; heartbeatSeconds?: number; signal?: AbortSignal } = {}): AsyncGenerator<Change | { end: string }> {
    const response = await this.raw("GET", `/companies/${enc(companyId)}/events`, {
      query: { heartbeat: options.heartbeatSeconds },
      headers: { accept: "text/event-stream", ...(options.since !== undefined ? { "last-event-id": String(options.since) } : {}) },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const parser = new SseParser();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        for (const message of parser.push(value)) {
          if (message.type !== "event") continue;
          if (message.event === "change") yield JSON.parse(message.data) as Change;
          else if (message.event === "end") yield { end: (JSON.parse(message.data) as { reason: string }).reason };
        }
      }
    } finally {
      await reader.cancel().catch(() => undefined);
    }
  }

  /**
   * The change feeds of many companies in one stream (one connection, whatever their number):
   * `companies` maps each id to the sequence to start after (null: from now); null follows every
   * company of the caller. Yields `{ ready }` first (where each company starts), each change with its company, `{ revoked }` when access to one
   * company ends, and `{ end }` when the server ends the stream.
   */
  async *companiesEvents(
    companies: ReadonlyMap<string, number | null> | null,
    options: { heartbeatSeconds?: number; signal?: AbortSignal } = {},
  ): AsyncGenerator<(Change & { companyId: string }) | { ready: Record<string, number> } | { revoked: string } | { end: string }> {
    const list = companies ? [...companies].map(([id, since]) => (since === null ? id : `${id}:${since}`)).join(",") : undefined;
    const response = await this.raw("GET", "/events", {
      query: { companies: list, heartbeat: options.heartbeatSeconds },
      headers: { accept: "text/event-stream" },
      ...(options.signal ? { signal: options.signal } : {}),
    });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    const parser = new SseParser();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        for (const message of parser.push(value)) {
          if (message.type !== "event") continue;
          if (message.event === "change") yield JSON.parse(message.data) as Change & { companyId: string };
          else if (message.event === "ready") yield { ready: (JSON.parse(message.data) as { seqs: Record<string, number> }).seqs };
          else if (message.event === "revoked") yield { revoked: (JSON.parse(message.data) as { companyId: string }).companyId };
          else if (message.event === "end") yield { end: (JSON.parse(message.data) as { reason: string }).reason };
        }
      }
    } finally {
      await reader.cancel().catch(() => undefined);
    }
  }

  // ---- exports (files: raw responses, to stream or save; every download is in the export log) ----
  /** The URL of an export file (for a link or a script that sends its own `Authorization` header). */
  exportUrl(companyId: string, file: ExportFile, query?: ExportQuery): string {
    return `${this.baseUrl}/api/v1/companies/${enc(companyId)}/exports/${file}${queryString(query as Query)}`;
  }
  /** Downloads an export: `fec`, `sales-journal.csv|.xlsx|.pdf`, `invoices.zip`, `quotes.zip`, `pack.zip`, `customers.xlsx`, `products.xlsx`. */
  downloadExport(companyId: string, file: ExportFile, query?: ExportQuery, signal?: AbortSignal): Promise<Response> {
    return this.raw("GET", `/companies/${enc(companyId)}/exports/${file}`, { query: query as Query, headers: { accept: "*/*" }, ...(signal ? { signal } : {}) });
  }
  /** The invoice or credit note as PDF (PDF/A-3b). */
  invoicePdf(companyId: string, invoiceId: string): Promise<Response> {
    return this.raw("GET", `/companies/${enc(companyId)}/invoices/${enc(invoiceId)}/pdf`, { headers: { accept: "application/pdf" } });
  }
  /** The export log, newest first. */
  listExports(companyId: string, query?: { limit?: number; cursor?: string; kind?: ExportKind }): Promise<Page<ExportLogEntry>> {
    return this.request("GET", `/companies/${enc(companyId)}/exports`, { query });
  }

  // ---- integrity ----
  integrity(companyId: string): Promise<IntegrityReport> {
    return this.request("GET", `/companies/${enc(companyId)}/integrity`);
  }
}

export type ExportFile = "fec" | "sales-journal.csv" | "sales-journal.xlsx" | "sales-journal.pdf" | "invoices.zip" | "quotes.zip" | "pack.zip" | "customers.xlsx" | "products.xlsx";
export type ExportQuery = ExportFilters | FecQuery | JournalCsvQuery | ListExportQuery | QuoteArchiveQuery;

function enc(id: string): string {
  return encodeURIComponent(id);
}

async function toApiError(response: Response): Promise<ApiError> {
  let problem: Problem;
  try {
    const body = (await response.json()) as Partial<Problem>;
    problem = {
      type: body.type ?? "about:blank",
      title: body.title ?? response.statusText,
      status: body.status ?? response.status,
      detail: body.detail,
      errors: body.errors,
    };
  } catch {
    problem = { type: "about:blank", title: response.statusText || "Error", status: response.status };
  }
  return new ApiError(response.status, problem);
}
