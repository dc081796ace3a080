/**
 * The answers a route can give because of what it is, not of what it does: the middleware in front
 * of every API route (credentials, read-only keys, company visibility, body size, UTF-8) and the
 * validators of its declared input. Added to each declaration so the document lists every status a
 * client can meet; a route's own description of a status wins.
 */
import type { RouteConfig } from "@hono/zod-openapi";
import { Problem } from "@passerelle/shared";

type Responses = RouteConfig["responses"];

const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: Problem } } });

export function withAnswersOfItsKind(route: RouteConfig): Responses {
  const secured = (route.security?.length ?? 0) > 0;
  const write = route.method !== "get";
  const body = route.request?.body?.content ? Object.keys(route.request.body.content) : [];
  const answers: Responses = {
    401: problem(secured ? "Missing, unknown or expired credentials" : "An `Authorization` header was sent, and it is malformed, unknown or expired"),
  };
  if (write) {
    answers[400] = problem("A JSON or multipart body that is malformed, or whose text is not valid UTF-8");
    answers[403] = problem("A read-only API key, or a role that may not do this");
    answers[413] = problem("The body is over the size limit");
  }
  if (body.length > 0) answers[415] = problem(`The body's content type is not ${body.join(" or ")}`);
  if (/\{\w+\}/.test(route.path)) answers[404] = problem("Unknown, or not visible to the caller");
  if (route.request?.params || route.request?.query || body.length > 0) answers[422] = problem("Invalid input; `errors` names each field");
  return { ...answers, ...route.responses };
}
