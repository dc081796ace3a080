/** Chrome's `i18n.getMessage` over our `_locales` files, so tests read the same words the owner reads. */
import fr from "../public/_locales/fr/messages.json";
import en from "../public/_locales/en/messages.json";

type Catalog = Record<string, { message: string; placeholders?: Record<string, { content: string }> }>;
export const catalogs: Record<"fr" | "en", Catalog> = { fr, en };

export function getMessageFrom(catalog: Catalog) {
  return (name: string, substitutions?: string | string[]): string => {
    const entry = catalog[name];
    if (!entry) return "";
    const subs = substitutions === undefined ? [] : Array.isArray(substitutions) ? substitutions : [substitutions];
    const withPlaceholders = entry.message.replace(/\$([A-Za-z0-9_@]+)\$/g, (_, key: string) => entry.placeholders?.[key.toLowerCase()]?.content ?? "");
    return withPlaceholders.replace(/\$(\d)/g, (_, n: string) => subs[Number(n) - 1] ?? "").replace(/\$\$/g, "$");
  };
}
