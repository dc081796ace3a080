/** A known path asked with a method it does not answer: 405 with `Allow`, not a misleading 404. */
import type { MiddlewareHandler } from "hono";
import { ProblemError } from "./problem.js";
import type { RouteTable } from "./route-table.js";

export function methodNotAllowed(routes: RouteTable): MiddlewareHandler {
  return async (c, next) => {
    const allowed = routes.methodsOf(c.req.path);
    if (allowed.length > 0 && !allowed.includes(c.req.method)) {
      const allow = allowed.join(", ");
      throw new ProblemError(405, "Method Not Allowed", `${c.req.method} is not allowed here; this path answers ${allow}.`, undefined, { allow });
    }
    await next();
  };
}
