/**
 * The one message protocol between extension pages (popup, options, full-page views) and the
 * background service worker, which alone holds the session token and talks to the API.
 * Every message is a member of `Message`, a union discriminated by `kind`; every reply is an
 * `Envelope` so failures cross the boundary as data, never as lost exceptions.
 */
import type { FieldError, PasserelleClient, User } from "@passerelle/shared";
import type { UploadRequest } from "./uploads";

/**
 * Client methods a page may call through the `api` message. Sign-in, files and raw calls have
 * their own messages (they need the token, bytes or storage), so they are not listed here.
 */
export const API_METHODS = [
  "me",
  "listCompanies",
  "getCompany",
  // The invoicing view's company settings: what invoices state, the option for débits.
  "updateCompany",
  // The company's logo, shown and changed on the Entreprise screen.
  "setCompanyLogo",
  "removeCompanyLogo",
  "companyLogo",
  "listCustomers",
  "getCustomer",
  "createCustomer",
  "updateCustomer",
  "listProducts",
  "createProduct",
  "updateProduct",
  "listInvoices",
  "getInvoice",
  "createDraft",
  "updateDraft",
  "deleteDraft",
  "issueInvoice",
  "createCreditNote",
  // Deposits: an order from a draft's lines, its deposit invoices and its balance invoice.
  "createOrder",
  "getOrder",
  "createDeposit",
  "createBalance",
  "listPayments",
  "recordPayment",
  // Quotes: offers made before a sale, sent, answered, and turned into an invoice.
  "listQuotes",
  "createQuote",
  "getQuote",
  "updateQuote",
  "deleteQuote",
  "issueQuote",
  "decideQuote",
  "duplicateQuote",
  "invoiceQuote",
  "orderFromQuote",
  "quoteEmailDraft",
  "sendQuote",
  "listQuoteSendings",
  // Sending a document to the customer by e-mail, and the company's templates for it.
  "invoiceEmailDraft",
  "sendInvoice",
  "listInvoiceSendings",
  "mailTemplates",
  "saveMailTemplate",
  // Overdue invoices, their reminders and disputes, and the company's automatic reminders.
  "overdueInvoices",
  "invoiceDispute",
  "setInvoiceDispute",
  "reminderSettings",
  "saveReminderSettings",
  // The home screen's figures, and a customer's page: its balance and the e-mails sent to it.
  "moneyStanding",
  "customerBalance",
  "listCustomerSendings",
  "listDocuments",
  "listInvitations",
  "inviteAccountant",
  "resendInvitation",
  "revokeInvitation",
  "listAccountants",
  "removeAccountant",
  // The invoicing view shows the lock in force (who locked, soft or hard) above its forms.
  "locks",
] as const satisfies readonly (keyof PasserelleClient)[];

export type ApiMethod = (typeof API_METHODS)[number];
type ClientMethod<M extends ApiMethod> = PasserelleClient[M] extends (...args: infer A) => infer R ? { args: A; result: Awaited<R> } : never;
export type ApiArgs<M extends ApiMethod> = ClientMethod<M>["args"];
export type ApiResult<M extends ApiMethod> = ClientMethod<M>["result"];

export interface CompanyChoice {
  id: string;
  name: string;
}

/** What a page needs to know about the session — never the token. */
export interface SessionView {
  serverUrl: string;
  user: User;
  /** Companies the user owns (the extension is the owner's tool). */
  companies: CompanyChoice[];
  companyId: string | null;
  remember: boolean;
  capabilities: { invoicePdf: boolean };
}

export interface FoundDocument {
  url: string;
  label: string;
}

export interface PageDocuments {
  tabId: number;
  pageTitle: string;
  documents: FoundDocument[];
}

export interface InvoicePdf {
  fileName: string;
  base64: string;
}

/** Request and reply of every message kind. */
export interface Protocol {
  "session.get": { request: {}; reply: SessionView | null };
  "session.signIn": { request: { email: string; password: string; remember: boolean }; reply: SessionView };
  /** Asks for an account; the server e-mails the link that creates it, so nobody is signed in yet. */
  "session.signUp": { request: { name: string; email: string; password: string }; reply: { email: string } };
  "session.signOut": { request: {}; reply: null };
  "session.selectCompany": { request: { companyId: string }; reply: SessionView };
  "server.check": { request: { url: string }; reply: { version: string } };
  "server.changed": { request: {}; reply: null };
  api: { request: { method: ApiMethod; args: unknown[] }; reply: unknown };
  "invoice.pdf": { request: { companyId: string; invoiceId: string }; reply: InvoicePdf };
  "quote.pdf": { request: { companyId: string; quoteId: string }; reply: InvoicePdf };
  "page.findDocuments": { request: { tabId: number }; reply: PageDocuments };
  "uploads.send": { request: { items: UploadRequest[] }; reply: { queued: number } };
  "uploads.retry": { request: { uploadId: string }; reply: null };
  /** Sends a document whose very bytes the company already holds. */
  "uploads.sendAnyway": { request: { uploadId: string }; reply: null };
  "uploads.clearFinished": { request: {}; reply: null };
  "attention.refresh": { request: {}; reply: null };
}

export type MessageKind = keyof Protocol;
export type MessageOf<K extends MessageKind> = { kind: K } & Protocol[K]["request"];
export type Message = { [K in MessageKind]: MessageOf<K> }[MessageKind];
export type ReplyOf<K extends MessageKind> = Protocol[K]["reply"];

export const MESSAGE_KINDS: readonly MessageKind[] = [
  "session.get",
  "session.signIn",
  "session.signUp",
  "session.signOut",
  "session.selectCompany",
  "server.check",
  "server.changed",
  "api",
  "invoice.pdf",
  "quote.pdf",
  "page.findDocuments",
  "uploads.send",
  "uploads.retry",
  "uploads.sendAnyway",
  "uploads.clearFinished",
  "attention.refresh",
] satisfies readonly MessageKind[];

/** Why a call failed, with what the API said when it answered. */
export interface Failure {
  /** HTTP status from the API; 0 when there was no HTTP answer. */
  status: number;
  reason: "api" | "unreachable" | "no-permission" | "signed-out" | "page-unavailable" | "not-a-document" | "download-failed" | "bad-message";
  title: string;
  detail?: string | undefined;
  errors?: FieldError[] | undefined;
}

export type Envelope<T> = { ok: true; value: T } | { ok: false; error: Failure };

/** Structural check of what arrives from `runtime.onMessage` before anything acts on it. */
export function isMessage(value: unknown): value is Message {
  if (typeof value !== "object" || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  if (typeof kind !== "string" || !(MESSAGE_KINDS as readonly string[]).includes(kind)) return false;
  if (kind === "api") {
    const { method, args } = value as { method?: unknown; args?: unknown };
    return typeof method === "string" && (API_METHODS as readonly string[]).includes(method) && Array.isArray(args);
  }
  return true;
}

export interface SenderLike {
  id?: string | undefined;
  url?: string | undefined;
}

/**
 * Only this extension's own pages may talk to the background: not web pages, not other
 * extensions, not scripts injected into tabs (their sender URL is the tab's page).
 */
export function isTrustedSender(sender: SenderLike, extensionId: string, extensionOrigin: string): boolean {
  if (sender.id !== extensionId) return false;
  if (typeof sender.url !== "string") return false;
  return sender.url.startsWith(extensionOrigin);
}
