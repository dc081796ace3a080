/** French first: English only when Office (or the browser) says the user's language is not French. */
export type Language = "fr" | "en";

export function displayLanguage(): Language {
  const office = typeof Office !== "undefined" ? Office.context?.displayLanguage : undefined;
  const browser = (globalThis as { navigator?: { language?: string } }).navigator?.language;
  const tag = office ?? browser ?? "fr-FR";
  return /^fr\b/i.test(tag) ? "fr" : "en";
}
