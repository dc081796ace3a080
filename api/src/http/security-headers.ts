/**
 * Headers on every response: no content sniffing, no referrer, HSTS when the request came over TLS,
 * and a Content-Security-Policy on every HTML page — the page's own, or one that loads nothing.
 */
import type { MiddlewareHandler } from "hono";
import { cameOverTls, type TrustedProxies } from "./client-address.js";

/** For an HTML page that states no policy of its own: it loads nothing and nobody frames it. */
export const DEFAULT_PAGE_CSP = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** One year: browsers then refuse plain HTTP to this host (sent only over TLS, where it counts). */
export const HSTS = "max-age=31536000";

export function securityHeaders(trusted: TrustedProxies): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.header("x-content-type-options", "nosniff");
    c.header("referrer-policy", "no-referrer");
    if (c.res.headers.get("content-type")?.startsWith("text/html") && !c.res.headers.has("content-security-policy")) {
      c.header("content-security-policy", DEFAULT_PAGE_CSP);
    }
    if (cameOverTls(c, trusted)) c.header("strict-transport-security", HSTS);
  };
}
