/**
 * Feeds are read by spreadsheets that know no bearer tokens: Excel's Data → From Web (Power Query)
 * stores a user name and a password per address and sends them as HTTP Basic authentication. A feed
 * takes an API key as that password (the user name is not read), and only a read-only key: the
 * credential lives in a workbook, so it must not be able to change anything. The key never goes in
 * the address, which proxies and logs keep. A bearer token (session or key) works as on every route.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv, Deps } from "../context.js";
import { forbidden, ProblemError } from "../http/problem.js";
import { apiKeyResolver } from "./api-keys.js";

export const FEED_REALM = "Passerelle feeds";

export const feedUnauthorized = (detail: string) =>
  new ProblemError(401, "Unauthorized", detail, undefined, { "www-authenticate": `Basic realm="${FEED_REALM}", charset="UTF-8"` });

/** The password of a `Basic` header, or null when the header is not one. */
function basicPassword(header: string): string | null {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(header.trim());
  if (!match) return null;
  const decoded = Buffer.from(match[1]!, "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  return colon < 0 ? null : decoded.slice(colon + 1);
}

export function feedCredentials(deps: Deps): MiddlewareHandler<AppEnv> {
  const resolveKey = apiKeyResolver(deps);
  return async (c, next) => {
    const header = c.req.header("authorization");
    if (!header) throw feedUnauthorized("A feed needs credentials: any user name, and a read-only API key (psk_…) as the password.");
    if (/^Basic\s/i.test(header)) {
      const password = basicPassword(header);
      const principal = password ? resolveKey(password, deps.clock.now()) : null;
      if (!principal) throw feedUnauthorized("This API key is unknown or revoked: give a read-only API key (psk_…) as the password.");
      if (principal.scope !== "read") throw forbidden("A feed takes a read-only API key: this key can also write, and should not be kept in a workbook. Create a key with scope `read`.");
      c.set("principal", principal);
    }
    await next();
  };
}
