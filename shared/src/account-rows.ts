/**
 * The rows of the account-codes sheet, without their schemas: what each kind of row is called and
 * what it can be refused for, in the API's English and in French — for the API and the add-in.
 */
export const ACCOUNT_ROW_KINDS = ["default", "journal", "vatRate", "customer", "product", "category"] as const;
export type AccountRowKind = (typeof ACCOUNT_ROW_KINDS)[number];

/** The default accounts a sheet shows, in this order, with the class each belongs to. */
export const DEFAULT_ACCOUNT_KEYS = [
  ["customers", "customers"],
  ["goods", "revenue"],
  ["services", "revenue"],
  ["bank", "bank"],
  ["deposits", "deposits"],
] as const;
export const JOURNAL_KEYS = ["sales", "bank"] as const;

/**
 * What a sheet's row can be refused for, in the API's English and in French for the workbook.
 * The API answers `errors[].message` with `en`; the add-in shows `fr` for the same rule. The
 * class messages are those of the accounting settings (accounting-settings.ts, ACCOUNT_CLASSES).
 */
export const ACCOUNT_ROW_RULES = {
  kind: { en: `must be one of ${ACCOUNT_ROW_KINDS.join(", ")}`, fr: "Type de ligne inconnu" },
  defaultKey: { en: `must be one of ${DEFAULT_ACCOUNT_KEYS.map(([k]) => k).join(", ")}`, fr: "Compte par défaut inconnu" },
  journalKey: { en: `must be one of ${JOURNAL_KEYS.join(", ")}`, fr: "Journal inconnu" },
  rate: { en: "must be a French VAT rate such as 20 %, 10 %, 5,5 % or 2,1 %", fr: "Taux de TVA inconnu (20 %, 10 %, 5,5 %, 2,1 %…)" },
  unknownCustomer: { en: "is not the code of a customer of this company", fr: "Client inconnu : aucun client de la société n'a ce code" },
  unknownProduct: { en: "is not a product of this company", fr: "Produit inconnu dans cette société" },
  category: { en: "must be a category name of 1 to 60 visible characters", fr: "Catégorie : 1 à 60 caractères visibles" },
  duplicate: { en: "appears twice: one row per default, journal, rate, customer, product or category", fr: "Ligne en double : une seule ligne par élément" },
  format: { en: "must be an account number: 3 digits, then up to 17 digits or capital letters", fr: "Numéro de compte invalide : 3 chiffres, puis jusqu'à 17 chiffres ou majuscules" },
  customers: { en: "must start with 411: customer accounts are in class 411 (Clients)", fr: "Un compte client commence par 411 (Clients)" },
  revenue: { en: "must start with 70: revenue accounts are in class 70 (Ventes de produits, prestations, marchandises)", fr: "Un compte de ventes commence par 70 (Ventes)" },
  vat: { en: "must start with 4457: collected VAT accounts are in class 4457 (Taxes sur le chiffre d'affaires collectées)", fr: "Un compte de TVA collectée commence par 4457" },
  bank: { en: "must start with 512: bank accounts are in class 512 (Banques)", fr: "Un compte de banque commence par 512 (Banques)" },
  deposits: { en: "must start with 4191: deposits received are in class 4191 (Clients – avances et acomptes reçus sur commandes)", fr: "Un compte d'acomptes reçus commence par 4191" },
  journalCode: { en: "must be 1–8 capital letters or digits, e.g. VE", fr: "Code journal : 1 à 8 majuscules ou chiffres, par exemple VE" },
  journalsDiffer: { en: "the sales and bank journals need different codes", fr: "Les journaux de ventes et de banque doivent avoir des codes différents" },
  auxAccount: { en: "must be 1–17 letters, digits, - or _ (it becomes the auxiliary account)", fr: "Compte auxiliaire : 1 à 17 lettres, chiffres, - ou _" },
  tooMany: { en: "holds more overrides than the settings keep: 5000 products, 5000 customers, 500 categories, 20 VAT rates", fr: "Trop de comptes personnalisés : 5 000 produits, 5 000 clients, 500 catégories, 20 taux au plus" },
  auxOnlyCustomers: { en: "only a customer row has an auxiliary account", fr: "Seule une ligne client a un compte auxiliaire" },
} as const;
export type AccountRowRule = keyof typeof ACCOUNT_ROW_RULES;

/** The French text for an error of a sheet's row, from the API's message; other messages as they are. */
export function accountRowMessageFr(message: string): string {
  for (const rule of Object.values(ACCOUNT_ROW_RULES)) if (rule.en === message) return rule.fr;
  return message;
}

/** How the sheet names each kind of row and each default or journal, in the workbook's language. */
export const ACCOUNT_ROW_NAMES = {
  fr: {
    kinds: { default: "Compte par défaut", journal: "Journal", vatRate: "Taux de TVA", customer: "Client", product: "Produit", category: "Catégorie" },
    keys: { customers: "Clients", goods: "Marchandises", services: "Services", bank: "Banque", deposits: "Acomptes", sales: "Ventes" },
    origins: { default: "Par défaut", override: "Personnalisé" },
  },
  en: {
    kinds: { default: "Default account", journal: "Journal", vatRate: "VAT rate", customer: "Customer", product: "Product", category: "Category" },
    keys: { customers: "Customers", goods: "Goods", services: "Services", bank: "Bank", deposits: "Deposits", sales: "Sales" },
    origins: { default: "Default", override: "Override" },
  },
} as const satisfies Record<string, { kinds: Record<AccountRowKind, string>; keys: Record<string, string>; origins: Record<"default" | "override", string> }>;
