/**
 * Everything the extension keeps, in one place. Secrets and business data live in
 * `storage.session` (memory only, gone when the browser closes); `storage.local` holds the
 * server address, the chosen company and — only when "stay signed in" is ticked — the session.
 */
import { storage } from "wxt/utils/storage";
import type { Me, User } from "@passerelle/shared";
import { DEFAULT_SERVER_URL } from "./config";
import type { Upload } from "./uploads";
import type { InvoiceRow } from "./invoice-rows";
import type { StoredForm } from "./app/form-store";

export interface Auth {
  serverUrl: string;
  token: string;
  expiresAt: string;
  user: User;
  remember: boolean;
}

export interface Profile {
  serverUrl: string;
  me: Me;
  fetchedAt: number;
}

export interface Capabilities {
  serverUrl: string;
  /** GET …/invoices/{invoiceId}/pdf is served. */
  invoicePdf: boolean;
  checkedAt: number;
}

export interface Attention {
  companyId: string;
  overdueCount: number;
  overdueCents: number;
  checkedAt: number;
}

export interface RecentInvoices {
  companyId: string;
  rows: InvoiceRow[];
  fetchedAt: number;
}

export const serverUrlItem = storage.defineItem<string>("local:serverUrl", { fallback: DEFAULT_SERVER_URL });
export const sessionAuthItem = storage.defineItem<Auth | null>("session:auth", { fallback: null });
export const rememberedAuthItem = storage.defineItem<Auth | null>("local:auth", { fallback: null });
export const companyIdItem = storage.defineItem<string | null>("local:companyId", { fallback: null });
export const profileItem = storage.defineItem<Profile | null>("session:profile", { fallback: null });
export const capabilitiesItem = storage.defineItem<Capabilities | null>("session:capabilities", { fallback: null });
export const attentionItem = storage.defineItem<Attention | null>("session:attention", { fallback: null });
export const recentInvoicesItem = storage.defineItem<RecentInvoices | null>("session:recentInvoices", { fallback: null });
export const uploadsItem = storage.defineItem<Upload[]>("session:uploads", { fallback: [] });
/** The invoicing view's forms not yet accepted by the API, by form (see lib/app/form-store.ts). */
export const appFormsItem = storage.defineItem<Record<string, StoredForm>>("session:appForms", { fallback: {} });

/**
 * Whose work the extension keeps while nobody is signed in: a session that expires or is revoked
 * leaves the forms and the uploads in place for the same person signing in again on the same server.
 */
export interface KeptFor {
  serverUrl: string;
  userId: string;
  email: string;
}
export const keptForItem = storage.defineItem<KeptFor | null>("session:keptFor", { fallback: null });

/** What an expired or revoked session removes: the credentials and what they alone may see. */
export const CREDENTIAL_ITEMS = [sessionAuthItem, rememberedAuthItem, profileItem, capabilitiesItem, attentionItem] as const;

/** What signing out removes: everything but the server address. */
export const SESSION_ITEMS = [keptForItem, ...CREDENTIAL_ITEMS, companyIdItem, recentInvoicesItem, uploadsItem, appFormsItem] as const;
