/**
 * API refusals placed where the owner can act on them: each problem+json `errors[].path` is
 * turned into the form's own field key and shown next to that field; what names no field of the
 * form is said once above it.
 */
import { RemoteError, describeFailure } from "../messaging";
import { t } from "../i18n";
import { capitalized } from "./api-messages";

/** Field key → message, in the owner's language. */
export type FieldErrors = Record<string, string>;

export interface FormProblem {
  fields: FieldErrors;
  /** For the top of the form: what went wrong when no field shows it, else a pointer to the fields. */
  message: string;
}

/** `toField` maps an API path to a field key of the form, or null when the form has no such field. */
export function formProblem(error: unknown, toField: (path: string) => string | null = (p) => p): FormProblem {
  const fields: FieldErrors = {};
  const unplaced: string[] = [];
  if (error instanceof RemoteError) {
    for (const e of error.failure.errors ?? []) {
      const key = toField(e.path);
      const message = capitalized(e.message);
      if (key && !fields[key]) fields[key] = message;
      else if (!key) unplaced.push(message);
    }
  }
  const placed = Object.keys(fields).length;
  if (placed > 0 && unplaced.length === 0) return { fields, message: t("appFixFields", placed) };
  return { fields, message: unplaced.length > 0 ? unplaced.join(" · ") : describeFailure(error) };
}

/** Only the errors of fields that still hold the value that was refused: editing a field clears its error. */
export function withoutField(errors: FieldErrors, key: string): FieldErrors {
  if (!(key in errors)) return errors;
  const { [key]: _removed, ...rest } = errors;
  return rest;
}
