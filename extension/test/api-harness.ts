/**
 * The real Passerelle API, in-process on an in-memory database, reached through a `fetch` that the
 * background uses as if it were the network. Other URLs are a small fake web of documents.
 */
import fs from "node:fs";
import { URL as NodeURL } from "node:url";
import { afterEach } from "vitest";
import { fakeBrowser } from "wxt/testing/fake-browser";
import type { BackgroundEnv } from "../lib/background/env";

/**
 * The API's own test helpers, loaded at run time: the extension's type-check stays independent of
 * the API's internals (compiled for Node, not for browsers), and only this shape is relied on.
 */
export interface TestApp {
  dataDir: string;
  deps: {
    db: { close(): void };
    /** Outgoing mail, replaceable to play a mail server that does not accept a message. */
    mailer: { kind: "smtp" | "outbox"; send(message: unknown): Promise<unknown> };
  };
  app: { request(url: string, init?: RequestInit): Response | Promise<Response> };
  clock: { now(): Date; advance(ms: number): void };
  call(method: string, url: string, init?: { token?: string; body?: unknown }): Promise<{ status: number; json: any; text: string }>;
}
interface Owner {
  token: string;
  email: string;
  user: { id: string; email: string };
  companyId: string;
  customerId: string;
}
interface ApiHelpers {
  createTestApp(): TestApp;
  ownerWithCompany(t: TestApp): Promise<Owner>;
  issuedInvoice(t: TestApp, o: Owner, issueDate?: string): Promise<{ id: string; number: string; dueCents: number }>;
  COMPANY: { name: string; siren: string };
}

interface SignupFlow {
  lastMailTo(dataDir: string, email: string): { subject: string; text: string } | undefined;
  signupLinkToken(mail: { text: string }): string;
}

interface AccessHelpers {
  invitedAccountant(t: TestApp, owner: Owner, name?: string): Promise<{ token: string; user: { id: string; email: string; name: string }; email: string }>;
}

/**
 * The API resolves its own files with `new URL(…, import.meta.url)`; under happy-dom that global is
 * the DOM's URL, which Node's file functions refuse. The API is loaded and built with Node's own.
 */
async function withNodeUrl<T>(run: () => T | Promise<T>): Promise<T> {
  const domUrl = Object.getOwnPropertyDescriptor(globalThis, "URL")!;
  Object.defineProperty(globalThis, "URL", { value: NodeURL, configurable: true, writable: true });
  try {
    return await run();
  } finally {
    Object.defineProperty(globalThis, "URL", domUrl);
  }
}

const load = (file: string) => withNodeUrl(() => import(/* @vite-ignore */ new NodeURL(`../../api/test/${file}`, import.meta.url).pathname));
const helpers = (await load("helpers.ts")) as ApiHelpers;
const access = (await load("access-helpers.ts")) as AccessHelpers;
export const { createTestApp, ownerWithCompany, issuedInvoice, COMPANY } = helpers;
export const { invitedAccountant } = access;
export const { lastMailTo, signupLinkToken } = (await load("signup-flow.ts")) as SignupFlow;

export const SERVER = "http://localhost:8787";
export const PASSWORD = "correct horse battery";

export interface FakeWeb {
  pages: Map<string, () => Response>;
}

const opened: TestApp[] = [];

afterEach(() => {
  for (const api of opened.splice(0)) {
    api.deps.db.close();
    fs.rmSync(api.dataDir, { recursive: true, force: true });
  }
});

export interface HarnessOptions {
  /**
   * Another address of the same API, over https, reached only while its host is granted in
   * `browser.permissions` (see permissions-fake.ts): the API sends no CORS headers, so in Chrome the
   * extension's fetch to an https server fails without that permission.
   */
  httpsServer?: string;
}

export async function harness(options: HarnessOptions = {}): Promise<{ api: TestApp; env: BackgroundEnv; web: FakeWeb; requests: string[] }> {
  const api = await withNodeUrl(() => createTestApp());
  opened.push(api);
  const web: FakeWeb = { pages: new Map() };
  const requests: string[] = [];
  let ids = 0;
  const env: BackgroundEnv = {
    fetch: async (input, init) => {
      const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
      requests.push(`${init?.method ?? "GET"} ${url}`);
      if (url.startsWith(SERVER)) return api.app.request(url, init);
      if (options.httpsServer && url.startsWith(options.httpsServer)) {
        const granted = await fakeBrowser.permissions.contains({ origins: [`https://${new NodeURL(url).hostname}/*`] });
        if (!granted) throw new TypeError("Failed to fetch");
        return api.app.request(url, init);
      }
      const page = web.pages.get(url);
      if (!page) throw new TypeError("fetch failed");
      return page();
    },
    now: () => api.clock.now(),
    newId: () => `upload-${++ids}`,
  };
  return { api, env, web, requests };
}

/** A small but real PDF file (the API reads the type from the first bytes). */
export function pdfBytes(text: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`%PDF-1.4\n% ${text}\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n`);
}
