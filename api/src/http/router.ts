/** Helpers to declare routes once (validation + OpenAPI) with the API's single error shape. */
import { OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import { z } from "zod";
import { Problem } from "@passerelle/shared";
import type { AppEnv, Deps, UseCaseContext } from "../context.js";
import { authorize, authorizeRole, type Action, type CompanyAccess, type Layer } from "../auth/access.js";
import { requirePrincipal } from "../auth/authenticate.js";
import { problemFromZod } from "./problem.js";
import { withAnswersOfItsKind } from "./answers.js";
import { commitWrites, joinWrites } from "../db/group-commit.js";

export function createRouter(): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) throw problemFromZod(result.error as z.ZodError, result.target ?? "request");
      return undefined;
    },
  });
  // every declaration gets the answers of its kind, so no route can forget one
  const declare = app.openapi;
  app.openapi = ((route, handler, hook) =>
    declare({ ...route, responses: withAnswersOfItsKind(route) }, sharingCommits(route.method, handler as Handler) as typeof handler, hook)) as typeof app.openapi;
  return app;
}

type Handler = (c: Context<AppEnv>) => unknown;

/**
 * A write route's handler joins the turn's group commit and answers once it is committed; a read
 * route's commits any open group first, so it never answers from uncommitted writes (group-commit.ts).
 */
function sharingCommits(method: string, handler: Handler): Handler {
  return method === "get" || method === "head" ? (c) => (commitWrites(), handler(c)) : (c) => joinWrites(() => handler(c));
}

const problemContent = { "application/problem+json": { schema: Problem } };

/** The error answers every authenticated route may give. */
export const problemResponses = {
  401: { description: "Missing, unknown or expired credentials", content: problemContent },
  403: { description: "Visible company, forbidden action", content: problemContent },
  404: { description: "Unknown, or not visible to the caller", content: problemContent },
  409: { description: "Conflicts with the state of the data (issued, locked, …)", content: problemContent },
  422: { description: "Invalid input; `errors` names each field", content: problemContent },
} as const;

export function jsonBody<T extends z.ZodType>(schema: T, description?: string) {
  return { body: { required: true, content: { "application/json": { schema } }, ...(description ? { description } : {}) } };
}

export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { "application/json": { schema } } };
}

export const bearerAuth = [{ bearerAuth: [] }];

export const CompanyParam = z.object({ companyId: z.string().max(64) });

/** Authorizes the caller on a company's layer; 401/404/403 as the security model says. */
export function access(c: Context<AppEnv>, deps: Deps, companyId: string, layer: Layer, action: Action): CompanyAccess {
  const principal = requirePrincipal(c.get("principal"));
  const membership = c.get("membership");
  // the company of the path: its membership was read by the guard in this same request
  if (membership?.companyId === companyId) return authorizeRole(principal, companyId, membership.role, layer, action);
  return authorize(deps.db, principal, companyId, layer, action);
}

export function useCase(deps: Deps, access: CompanyAccess | { principal: { userId: string } }): UseCaseContext {
  return { db: deps.db, clock: deps.clock, config: deps.config, actorId: access.principal.userId };
}
