/** Failures as the owner reads them. */
import type { Failure } from "./protocol";
import { t } from "./i18n";

export function failureText(f: Failure): string {
  switch (f.reason) {
    case "unreachable":
      return t("errorUnreachable");
    case "no-permission":
      return t("errorNoPermission");
    case "signed-out":
      return t("errorSignedOut");
    case "page-unavailable":
      return t("errorPageUnavailable");
    case "not-a-document":
      return t("uploadNotDocument");
    case "download-failed":
    case "bad-message":
      return f.title;
    case "api":
      break;
  }
  if (f.status === 401) return t("errorSignedOut");
  if (f.status === 403) return t("errorForbidden");
  if (f.status === 404) return t("errorNotFound");
  if (f.status === 413) return t("uploadTooLarge");
  if (f.status === 415) return t("uploadNotDocument");
  if (f.status === 429) return t("errorTooManyAttempts");
  if (f.status >= 500) return t("errorServer");
  return f.detail ?? f.title;
}
