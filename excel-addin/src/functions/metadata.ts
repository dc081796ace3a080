/**
 * The custom functions' metadata, one file per language (functions.json in French, the default
 * locale, functions.en-US.json in English; the manifest points Office to the one of its language). The parameter lists
 * here and the implementations in `functions.ts` are checked against each other by the tests.
 */

export interface FunctionParameter {
  name: string;
  description: string;
  type: "string" | "number" | "boolean" | "any";
  optional?: boolean;
}

export interface FunctionMetadata {
  id: string;
  name: string;
  description: string;
  helpUrl?: string;
  parameters: FunctionParameter[];
  result: { type: "number" | "string" | "any"; dimensionality?: "scalar" | "matrix" };
  options: { stream: true };
}

type Words = Record<MetadataLanguage, string>;

/** Office picks the metadata file of its display language through the manifest (fr-FR by default, en-US). */
export type MetadataLanguage = "fr" | "en";
export const METADATA_FILES: Record<MetadataLanguage, string> = { fr: "functions.json", en: "functions.en-US.json" };

interface Declared {
  id: string;
  description: Words;
  parameters: (Omit<FunctionParameter, "name" | "description"> & { name: Words; description: Words })[];
  result: FunctionMetadata["result"];
}

const COMPANY = { name: { fr: "societe", en: "company" }, description: { fr: "Nom, SIREN ou identifiant de la société", en: "Company name, SIREN or id" }, type: "string" } as const;
const FROM = { name: { fr: "du", en: "from" }, description: { fr: "Première date (incluse)", en: "First date (included)" }, type: "any" } as const;
const TO = { name: { fr: "au", en: "to" }, description: { fr: "Dernière date (incluse)", en: "Last date (included)" }, type: "any" } as const;

const DECLARED: Declared[] = [
  {
    id: "TOTAL",
    description: {
      fr: "Total des ventes d'une société sur une période (HT, TVA ou TTC), mis à jour en direct.",
      en: "Sales total of a company over a period (excl. VAT, VAT or incl. VAT), live.",
    },
    parameters: [
      COMPANY,
      FROM,
      TO,
      { name: { fr: "mesure", en: "measure" }, description: { fr: '"HT" (par défaut), "TVA" ou "TTC"', en: '"HT" (default), "TVA" or "TTC"' }, type: "string", optional: true },
      { name: { fr: "tauxTVA", en: "vatRate" }, description: { fr: "Taux de TVA, ex. 20 ou 5,5 : ce taux seulement", en: "VAT rate, e.g. 20 or 5.5: only that rate" }, type: "number", optional: true },
    ],
    result: { type: "number", dimensionality: "scalar" },
  },
  {
    id: "JOURNAL",
    description: {
      fr: "Journal des ventes d'une société sur une période, avec une ligne d'en-tête, mis à jour en direct.",
      en: "Sales journal of a company over a period, with a header row, live.",
    },
    parameters: [COMPANY, FROM, TO],
    result: { type: "any", dimensionality: "matrix" },
  },
];

/** The functions as Office reads them in one language. */
export function functionsIn(lang: MetadataLanguage): FunctionMetadata[] {
  return DECLARED.map((f) => ({
    id: f.id,
    name: f.id,
    description: f.description[lang],
    parameters: f.parameters.map(({ name, description, ...rest }) => ({ ...rest, name: name[lang], description: description[lang] })),
    result: f.result,
    options: { stream: true },
  }));
}

/** The default (French) metadata; the code's registrations are checked against it. */
export const FUNCTIONS: FunctionMetadata[] = functionsIn("fr");

export const FUNCTIONS_NAMESPACE = "PASSERELLE";

export function functionsJson(lang: MetadataLanguage = "fr"): string {
  return `${JSON.stringify({ functions: functionsIn(lang) }, null, 2)}\n`;
}
