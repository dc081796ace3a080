/** Turns what went wrong into one plain sentence, and says whether the session is over. */
import { ApiError } from "@passerelle/shared/client";
import { HeaderBlockError, NamesTakenError, TableMissingError, TableWidenedError } from "../excel/writer.js";
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
  if (error instanceof TableWidenedError) return { ...base, message: t.errors.widenedTable(error.tableName, error.columns, error.written) };
  if (error instanceof NamesTakenError) return { ...base, message: t.errors.namesTaken(error.wanted) };
  if (error instanceof HeaderBlockError) return { ...base, message: t.errors.blockTooSmall(error.tableName, error.needed, error.left) };
  const excelCode = officeErrorCode(error);
  if (excelCode !== null) return { ...base, message: excelCode === "InvalidOperationInCellEditMode" ? t.errors.excelCellEdit : t.errors.excel(excelCode) };
  if (error instanceof ApiError) {
    if (error.status === 401) return { ...base, message: t.errors.expired, signedOut: true };
    if (error.status === 404) return { ...base, message: t.errors.revoked };
    if (error.status === 403) return { ...base, message: `${t.errors.forbidden} ${error.problem.detail ?? ""}`.trim() };
    return { ...base, message: error.problem.detail ?? error.problem.title };
  }
  if (error instanceof TypeError) return { ...base, message: t.errors.offline };
  // anything else is the add-in's own fault: the details go to the console, the user reads a sentence
  console.error(error);
  return { ...base, message: t.errors.unexpected };
}

/** The code of an error Excel's API rejected a request with (`OfficeExtension.Error`), or null. */
export function officeErrorCode(error: unknown): string | null {
  if (typeof error !== "object" || error === null) return null;
  const { name, code } = error as { name?: unknown; code?: unknown };
  return (name === "RichApi.Error" || name === "OfficeExtension.Error") && typeof code === "string" ? code : null;
}
