/** Reads `Authorization: Bearer …` and sets the principal; routes decide whether one is required. */
import type { MiddlewareHandler } from "hono";
import type { AppEnv, Deps, Principal } from "../context.js";
import { unauthorized } from "../http/problem.js";
import type { RouteTable } from "../http/route-table.js";
import { sessionUser } from "./sessions.js";

export type CredentialResolver = (token: string, now: Date) => Principal | null;

export function authenticate(deps: Deps, resolvers: CredentialResolver[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header("authorization");
    // a feed's Basic credentials are read before (feed-credentials.ts)
    if (header && !c.get("principal")) {
      const match = /^Bearer\s+(\S+)$/i.exec(header);
      if (!match) throw unauthorized("The Authorization header must be `Bearer <token>`.");
      const now = deps.clock.now();
      let principal: Principal | null = null;
      for (const resolve of resolvers) {
        principal = resolve(match[1]!, now);
        if (principal) break;
      }
      if (!principal) throw unauthorized("This token is unknown, expired or revoked. Sign in again.");
      c.set("principal", principal);
    }
    await next();
  };
}

export function sessionResolver(deps: Deps): CredentialResolver {
  return (token, now) => {
    const session = sessionUser(deps.db, token, now);
    return session
      ? { userId: session.userId, via: "session", credentialHash: session.tokenHash, scope: "write", companyId: null }
      : null;
  };
}

export function requirePrincipal(principal: Principal | undefined): Principal {
  if (!principal) throw unauthorized();
  return principal;
}

/** Every API route needs a principal unless it is declared public; checked before any route reads its input. */
export function requireCredentials(routes: RouteTable): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!c.get("principal") && !routes.isPublic(c.req.method, c.req.path)) throw unauthorized();
    await next();
  };
}
