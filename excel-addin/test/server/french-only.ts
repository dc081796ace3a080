/** What a French accountant must never read on the pane: the English strings, English sentences and the API's English rules. */
import type { Page } from "playwright-core";
import { ENGLISH_MARKERS } from "@passerelle/shared/problem-i18n";
import { strings } from "../../src/taskpane/i18n.js";

/** The English words and sentences found in the pane's text (empty when it is all French). */
export async function englishOnPane(page: Page): Promise<string[]> {
  const [fr, en] = [strings("fr"), strings("en")] as Record<string, unknown>[];
  const phrases = Object.keys(en!).flatMap((k) => (typeof en![k] === "string" && en![k] !== fr![k] && (en![k] as string).length > 3 ? [en![k] as string] : []));
  if (phrases.length < 50) throw new Error("the English strings could not be listed");
  const text = await page.locator("main").innerText();
  const words = text.match(/\b(the|is|was|has|have|error|failed|cannot|not|rows?|refreshed)\b/gi) ?? [];
  // and the API's problems: each is answered in French, so none of the catalogue's English shows
  return [...phrases.filter((p) => text.includes(p)), ...words, ...ENGLISH_MARKERS.filter((m) => text.includes(m))];
}
