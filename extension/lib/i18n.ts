/** UI text from `_locales` (French by default, English for English browsers). */
import { browser } from "wxt/browser";
import type fr from "../public/_locales/fr/messages.json";

export type MessageKey = keyof typeof fr;

/** The text for `key`, with `$1`… placeholders filled in order. */
export function t(key: MessageKey, ...substitutions: (string | number)[]): string {
  const getMessage = browser.i18n.getMessage as (name: string, subs?: string[]) => string;
  return getMessage(key, substitutions.map(String)) || key;
}

/** The browser's UI language, for the few places that follow it (`lang` attributes). */
export function uiLanguage(): "fr" | "en" {
  return t("lang") === "en" ? "en" : "fr";
}
