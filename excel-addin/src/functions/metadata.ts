/**
 * The custom functions' metadata (written to functions.json at build time). The parameter lists
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

export const FUNCTIONS: FunctionMetadata[] = [
  {
    id: "TOTAL",
    name: "TOTAL",
    description:
      "Total des ventes d'une société sur une période (HT, TVA ou TTC), mis à jour en direct. / Sales total of a company over a period (excl. VAT, VAT or incl. VAT), live.",
    parameters: [
      { name: "societe", description: "Nom, SIREN ou identifiant de la société / Company name, SIREN or id", type: "string" },
      { name: "du", description: "Première date (incluse) / First date (included)", type: "any" },
      { name: "au", description: "Dernière date (incluse) / Last date (included)", type: "any" },
      { name: "mesure", description: '"HT" (défaut), "TVA" ou "TTC" / "HT" (default), "TVA" or "TTC"', type: "string", optional: true },
      { name: "tauxTVA", description: "Taux de TVA, ex. 20 ou 5,5 : limite au taux / VAT rate, e.g. 20 or 5.5: only that rate", type: "number", optional: true },
    ],
    result: { type: "number", dimensionality: "scalar" },
    options: { stream: true },
  },
  {
    id: "JOURNAL",
    name: "JOURNAL",
    description:
      "Journal des ventes d'une société sur une période, avec une ligne d'en-tête, mis à jour en direct. / Sales journal of a company over a period, with a header row, live.",
    parameters: [
      { name: "societe", description: "Nom, SIREN ou identifiant de la société / Company name, SIREN or id", type: "string" },
      { name: "du", description: "Première date (incluse) / First date (included)", type: "any" },
      { name: "au", description: "Dernière date (incluse) / Last date (included)", type: "any" },
    ],
    result: { type: "any", dimensionality: "matrix" },
    options: { stream: true },
  },
];

export const FUNCTIONS_NAMESPACE = "PASSERELLE";

export function functionsJson(): string {
  return `${JSON.stringify({ functions: FUNCTIONS }, null, 2)}\n`;
}
