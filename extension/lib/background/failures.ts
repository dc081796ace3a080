/** Turning what can go wrong in the background into a `Failure` a page can show. */
import { ApiError } from "@passerelle/shared/client";
import type { Failure } from "../protocol";

/** An error that already knows how it should be reported. */
export class FailureError extends Error {
  constructor(readonly failure: Failure) {
    super(failure.detail ?? failure.title);
    this.name = "FailureError";
  }
}

export function fail(reason: Failure["reason"], title: string, detail?: string): FailureError {
  return new FailureError({ status: 0, reason, title, detail });
}

export function toFailure(error: unknown): Failure {
  if (error instanceof FailureError) return error.failure;
  if (error instanceof ApiError) {
    return {
      status: error.status,
      reason: "api",
      title: error.problem.title,
      detail: error.problem.detail,
      errors: error.problem.errors,
    };
  }
  // fetch() rejects with a TypeError when nothing answered (server down, DNS, CORS, no host permission).
  if (error instanceof TypeError) return { status: 0, reason: "unreachable", title: "Network error", detail: error.message };
  return { status: 0, reason: "bad-message", title: "Unexpected error", detail: error instanceof Error ? error.message : String(error) };
}
