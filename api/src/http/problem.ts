/** RFC 9457 problem details: the one error shape of the API. */
import type { Context } from "hono";
import type { FieldError, Problem } from "@passerelle/shared";
import { languageOf, localizeProblem } from "@passerelle/shared/problem-i18n";
import type { ZodError } from "zod";

export class ProblemError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail?: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(detail ?? title);
  }
}

export const notFound = (what = "resource") => new ProblemError(404, "Not Found", `This ${what} does not exist or is not visible to you.`);
export const forbidden = (detail: string) => new ProblemError(403, "Forbidden", detail);
export const conflict = (detail: string, errors?: FieldError[]) => new ProblemError(409, "Conflict", detail, errors);
export const unauthorized = (detail = "Sign in first: send `Authorization: Bearer <token>`.") =>
  new ProblemError(401, "Unauthorized", detail, undefined, { "www-authenticate": 'Bearer realm="passerelle"' });
export const invalid = (path: string, message: string, status = 422) =>
  new ProblemError(status, "Invalid request", `${path}: ${message}`, [{ path, message }]);

export function problemFromZod(error: ZodError, where: "body" | "query" | "param" | string): ProblemError {
  const errors = error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || where,
    message: issue.code === "unrecognized_keys" ? `unknown field(s): ${issue.keys.join(", ")}` : issue.message,
  }));
  // unknown fields are reported on their own path so clients can point at them
  const expanded = error.issues.flatMap((issue, i) =>
    issue.code === "unrecognized_keys"
      ? issue.keys.map((k) => ({ path: [...issue.path.map(String), k].join("."), message: "is not a known field" }))
      : [errors[i]!],
  );
  const detail = expanded.map((e) => `${e.path}: ${e.message}`).join("; ");
  return new ProblemError(422, `Invalid ${where}`, detail, expanded);
}

/**
 * The problem as the response carries it, in the request's language (`Accept-Language`: French
 * unless English is preferred). Rules are written in English in the code and translated here.
 */
export function problemResponse(c: Context, problem: ProblemError): Response {
  const english: Problem = {
    type: problem.status === 422 ? "https://passerelle.dev/problems/validation" : "about:blank",
    title: problem.title,
    status: problem.status,
    ...(problem.detail ? { detail: problem.detail } : {}),
    ...(problem.errors ? { errors: problem.errors } : {}),
  };
  const language = languageOf(c.req.header("accept-language"));
  const { problem: body } = localizeProblem(english, language);
  return new Response(JSON.stringify(body), {
    status: problem.status,
    headers: { "content-type": "application/problem+json; charset=utf-8", "content-language": language, vary: "Accept-Language", ...problem.headers },
  });
}
