/**
 * Every HTML page the server serves carries a Content-Security-Policy that says who may frame it,
 * with nosniff and no referrer; over TLS — on the socket, or said by a trusted proxy — every
 * response carries HSTS, and never over plain HTTP or on a client's own word.
 */
import fs from "node:fs";
import path from "node:path";
import { Hono } from "hono";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import { TrustedProxies } from "../../src/http/client-address.js";
import { DEFAULT_PAGE_CSP, HSTS, securityHeaders } from "../../src/http/security-headers.js";
import { addinRoutes, TASK_PANE_CSP } from "../../src/routes/addin.js";
import type { AppEnv } from "../../src/context.js";
import { invite } from "../access-helpers.js";
import { createTestApp, ownerWithCompany } from "../helpers.js";
import { tempDir } from "./support.js";

beforeEach(() => {
  vi.spyOn(console, "log").mockImplementation(() => {});
  return () => vi.restoreAllMocks();
});

const PROXY = "127.0.0.1";
const trusted = TrustedProxies.parse(PROXY);
const viaProxy = (proto: string) => ({ env: { incoming: { socket: { remoteAddress: PROXY } } }, headers: { "x-forwarded-proto": proto, "x-forwarded-for": "203.0.113.7" } });
const direct = (peer: string, encrypted = false) => ({ env: { incoming: { socket: { remoteAddress: peer, encrypted } } }, headers: {} as Record<string, string> });

const headersOf = (res: Response) => ({
  type: res.headers.get("content-type"),
  csp: res.headers.get("content-security-policy"),
  nosniff: res.headers.get("x-content-type-options"),
  referrer: res.headers.get("referrer-policy"),
  hsts: res.headers.get("strict-transport-security"),
});

const INVITE_CSP = /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]{44}'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'$/;
const DOCS_CSP = /^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]{44}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'$/;

describe("the server's HTML pages", () => {
  it("the invitation pages, the API docs: a strict policy, not frameable, nosniff, no referrer; HSTS through a trusted TLS proxy only", async () => {
    const t = createTestApp({ config: { trustedProxies: trusted } });
    const owner = await ownerWithCompany(t);
    const { token } = await invite(t, owner, "headers@cabinet.fr");
    const pages: [string, string, RequestInit, RegExp][] = [
      ["invitation", `/invite/${token}`, {}, INVITE_CSP],
      ["unknown invitation", "/invite/no-such-token", {}, INVITE_CSP],
      ["invitation form post", "/invite", { method: "POST", headers: { "content-type": "application/x-www-form-urlencoded" }, body: "token=x" }, INVITE_CSP],
      ["API docs", "/docs", {}, DOCS_CSP],
    ];
    for (const [name, url, init, csp] of pages) {
      for (const [how, request, hsts] of [
        ["through the TLS proxy", viaProxy("https"), HSTS],
        ["through the proxy, plain HTTP", viaProxy("http"), null],
        ["directly over TLS", direct("203.0.113.7", true), HSTS],
        ["directly, claiming https", { ...direct("203.0.113.7"), headers: { "x-forwarded-proto": "https" } }, null],
      ] as const) {
        const res = await t.app.request(url, { ...init, headers: { ...(init.headers as Record<string, string>), ...request.headers } }, request.env);
        const got = headersOf(res);
        expect(got.type?.toLowerCase(), `${name} ${how}`).toBe("text/html; charset=utf-8");
        expect(got.csp, `${name} ${how}`).toMatch(csp);
        expect([got.nosniff, got.referrer, got.hsts], `${name} ${how}`).toEqual(["nosniff", "no-referrer", hsts]);
      }
    }
  });

  it("the docs page's one style block is the one its policy allows", async () => {
    const t = createTestApp();
    const res = await t.app.request("/docs");
    const html = await res.text();
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
    expect(styles).toHaveLength(1);
    const { createHash } = await import("node:crypto");
    expect(res.headers.get("content-security-policy")).toContain(`style-src 'sha256-${createHash("sha256").update(styles[0]!).digest("base64")}'`);
    expect(html).not.toMatch(/<script|style="/i);
  });

  it("an HTML page with no policy of its own gets one that loads nothing and forbids framing", async () => {
    const app = new Hono<AppEnv>();
    app.use("*", securityHeaders(trusted));
    app.get("/page", (c) => c.html("<p>hello</p>"));
    app.get("/data", (c) => c.json({ ok: true }));
    const page = headersOf(await app.request("/page", { headers: { "x-forwarded-proto": "https" } }, { incoming: { socket: { remoteAddress: PROXY } } }));
    expect(page).toEqual({ type: "text/html; charset=UTF-8", csp: DEFAULT_PAGE_CSP, nosniff: "nosniff", referrer: "no-referrer", hsts: HSTS });
    expect(DEFAULT_PAGE_CSP).toBe("default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    const data = headersOf(await app.request("/data"));
    expect(data).toEqual({ type: "application/json", csp: null, nosniff: "nosniff", referrer: "no-referrer", hsts: null });
  });

  it("API responses and errors carry nosniff, no referrer and, over TLS, HSTS", async () => {
    const t = createTestApp({ config: { trustedProxies: trusted } });
    const request = viaProxy("https");
    for (const url of ["/health", "/api/v1/me", "/api/v1/nowhere", "/openapi.json", "/addin/manifest.xml"]) {
      const got = headersOf(await t.app.request(url, { headers: request.headers }, request.env));
      expect([got.nosniff, got.referrer, got.hsts, got.csp], url).toEqual(["nosniff", "no-referrer", HSTS, null]);
    }
  });
});

describe("the Excel add-in's task pane", () => {
  const dist = tempDir("addin-dist");
  fs.writeFileSync(path.join(dist, "taskpane.html"), "<!doctype html><title>Passerelle</title>");
  fs.writeFileSync(path.join(dist, "functions.js"), "export {};");
  afterAll(() => fs.rmSync(dist, { recursive: true, force: true }));

  it("may load Office.js from Microsoft's CDN and be framed by Excel on the web, and nothing else", async () => {
    const t = createTestApp();
    const app = new Hono<AppEnv>();
    app.use("*", securityHeaders(trusted));
    app.route("/", addinRoutes(t.deps, { distDir: dist }));
    const res = await app.request("/addin/taskpane.html", { headers: { "x-forwarded-proto": "https" } }, { incoming: { socket: { remoteAddress: PROXY } } });
    expect(res.status).toBe(200);
    expect(headersOf(res)).toEqual({ type: "text/html; charset=utf-8", csp: TASK_PANE_CSP, nosniff: "nosniff", referrer: "no-referrer", hsts: HSTS });
    expect(res.headers.get("x-frame-options")).toBeNull();
    expect(TASK_PANE_CSP.split("; ")).toEqual([
      "default-src 'self'",
      "script-src 'self' https://appsforoffice.microsoft.com https://ajax.aspnetcdn.com",
      "style-src 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "connect-src 'self'",
      "object-src 'none'",
      "base-uri 'self'",
      "form-action 'self'",
      "frame-ancestors 'self' https://*.officeapps.live.com https://*.office.com https://*.office365.com https://*.sharepoint.com https://onedrive.live.com https://*.microsoft365.com https://*.cloud.microsoft",
    ]);
    // a revalidation answers with the same policy; scripts are not pages
    const again = await app.request("/addin/taskpane.html", { headers: { "if-none-match": res.headers.get("etag")! } });
    expect([again.status, again.headers.get("content-security-policy")]).toEqual([304, TASK_PANE_CSP]);
    expect((await app.request("/addin/functions.js")).headers.get("content-security-policy")).toBeNull();
  });
});
