/** The store listing texts of `store/listing.{fr,en}.md`, by section, as the store consoles ask for them. */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const storeDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "store");

const KEYS = ["name", "summary", "description", "category", "singlePurpose", "permissions", "remoteCode", "dataUse", "firefoxData", "reviewerNotes"] as const;
type Key = (typeof KEYS)[number];

/** The headings each language uses, in the order of KEYS. */
export const HEADINGS: Record<"fr" | "en", string[]> = {
  fr: ["Nom", "Résumé", "Description détaillée", "Catégorie", "Objectif unique", "Justification des autorisations", "Code distant", "Utilisation des données (Chrome Web Store)", "Collecte de données (Firefox)", "Notes pour les vérificateurs"],
  en: ["Name", "Summary", "Detailed description", "Category", "Single purpose", "Permission justifications", "Remote code", "Data usage (Chrome Web Store)", "Data collection (Firefox)", "Notes for reviewers"],
};

export interface Listing {
  headings: string[];
  text: Record<Key, string>;
  /** Each permission named in a `### ` heading (between backticks) → its justification. */
  permissions: Map<string, string>;
  /** The Firefox data collection codes listed (`- \`code\`: …`). */
  firefoxData: string[];
}

export function readListing(language: "fr" | "en"): Listing {
  const source = fs.readFileSync(path.join(storeDir, `listing.${language}.md`), "utf8");
  const parts = source.split(/^## /m).slice(1);
  const headings = parts.map((p) => p.slice(0, p.indexOf("\n")).trim());
  const text = Object.fromEntries(KEYS.map((key, i) => [key, (parts[i] ?? "").slice((parts[i] ?? "").indexOf("\n")).trim()])) as Record<Key, string>;
  const permissions = new Map<string, string>();
  for (const block of text.permissions.split(/^### /m).slice(1)) {
    const heading = block.slice(0, block.indexOf("\n"));
    const body = block.slice(heading.length).trim();
    for (const [, name] of heading.matchAll(/`([^`]+)`/g)) permissions.set(name!, body);
  }
  const firefoxData = [...text.firefoxData.matchAll(/^- `(\w+)`/gm)].map((m) => m[1]!);
  return { headings, text, permissions, firefoxData };
}
