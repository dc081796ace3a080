/**
 * The API answers in the owner's language (the extension sends it as `Accept-Language`), so its
 * messages are shown as they come. The few rules the extension checks itself before sending — the
 * API's own, from shared/ and stated in English — are said through the catalogue the API uses.
 */
import { translateRule } from "@passerelle/shared/problem-i18n";
import { uiLanguage } from "../i18n";

/** A rule of shared/ checked in the extension, in the owner's language, in the API's words. */
export function localRuleMessage(message: string): string {
  return uiLanguage() === "en" ? message : capitalized(translateRule(message));
}

/** A message shown on its own, under a field: « Doit être… ». */
export function capitalized(message: string): string {
  return message.charAt(0).toUpperCase() + message.slice(1);
}
