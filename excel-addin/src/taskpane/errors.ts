/** Turns what went wrong into one plain sentence, and says whether the session is over. */
import { ApiError } from "@passerelle/shared/client";
import { TableMissingError } from "../excel/writer.js";
import type { Strings } from "./i18n.js";

export interface Explained {
  message: string;
  signedOut: boolean;
  cancelled: boolean;
}

export function explain(error: unknown, t: Strings): Explained {
  const base = { signedOut: false, cancelled: false };
  if (error instanceof DOMException && error.name === "AbortError") return { ...base, message: t.cancelled, cancelled: true };
  if (error instanceof TableMissingError) return { ...base, message: t.errors.missingTable(error.tableName) };
  if (error instanceof ApiError) {
    if (error.status === 401) return { ...base, message: t.errors.expired, signedOut: true };
    if (error.status === 404) return { ...base, message: t.errors.revoked };
    if (error.status === 403) return { ...base, message: `${t.errors.forbidden} ${error.problem.detail ?? ""}`.trim() };
    return { ...base, message: error.problem.detail ?? error.problem.title };
  }
  if (error instanceof TypeError) return { ...base, message: t.errors.offline };
  return { ...base, message: error instanceof Error ? error.message : String(error) };
}
