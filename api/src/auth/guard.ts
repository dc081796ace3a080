/**
 * Checks that run for every API request before any route parses its input:
 * - a company the caller cannot see answers 404 on every `/companies/{id}/…` path, so no route
 *   (even one that forgot `access()`) can reach another company's data, and a refused request
 *   never depends on whether its body was valid;
 * - a read-only API key can only read (GET/HEAD), whatever the route.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv, Deps } from "../context.js";
import { forbidden, notFound } from "../http/problem.js";
import { membershipRole } from "./access.js";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function credentialGuard(deps: Deps, apiBase: string): MiddlewareHandler<AppEnv> {
  const companyPath = new RegExp(`^${apiBase.replace(/\//g, "\\/")}\\/companies\\/([^/]+)(?:\\/|$)`);
  return async (c, next) => {
    const principal = c.get("principal");
    if (principal) {
      const match = companyPath.exec(c.req.path);
      if (match) {
        let companyId: string;
        try {
          companyId = decodeURIComponent(match[1]!);
        } catch {
          throw notFound("company");
        }
        if (principal.companyId && principal.companyId !== companyId) throw notFound("company");
        const role = membershipRole(deps.db, principal.userId, companyId);
        if (!role) throw notFound("company");
        // read once per request: the route's access check decides from it
        c.set("membership", { companyId, role });
      }
      if (principal.scope !== "write" && !SAFE_METHODS.has(c.req.method)) {
        throw forbidden("This API key is read-only: it can only read (GET). Create a key with scope `write` to change data.");
      }
    }
    await next();
  };
}
