/**
 * The accountant's account codes (accounting.md §3): default accounts, overrides by product,
 * category, customer and VAT rate, journal codes and labels, and the "VAT on payment for services"
 * option. Stored apart from the owner's data; entries read them, nothing else does.
 */
import { z } from "zod";
import { VatRateBp, CustomerCode } from "./schemas.js";
import type { ProductKind } from "./schemas.js";
import { plainText } from "./text.js";

/** PCG account number as the FEC wants it: 3 leading digits, then up to 17 digits or capitals. */
export const ACCOUNT_PATTERN = /^\d{3}[0-9A-Z]{0,17}$/;

/** The class each kind of account must belong to (the first digits of its number). */
export const ACCOUNT_CLASSES = {
  customers: { prefix: "411", what: "customer accounts are in class 411 (Clients)" },
  revenue: { prefix: "70", what: "revenue accounts are in class 70 (Ventes de produits, prestations, marchandises)" },
  vat: { prefix: "4457", what: "collected VAT accounts are in class 4457 (Taxes sur le chiffre d'affaires collectées)" },
  bank: { prefix: "512", what: "bank accounts are in class 512 (Banques)" },
  deposits: { prefix: "4191", what: "deposits received are in class 4191 (Clients – avances et acomptes reçus sur commandes)" },
} as const;
export type AccountClass = keyof typeof ACCOUNT_CLASSES;

export function accountIn(kind: AccountClass) {
  const { prefix, what } = ACCOUNT_CLASSES[kind];
  return z
    .string()
    .regex(ACCOUNT_PATTERN, { message: "must be an account number: 3 digits, then up to 17 digits or capital letters" })
    .refine((v) => v.startsWith(prefix), { message: `must start with ${prefix}: ${what}` });
}

const label = (max: number) => plainText(max).min(1, { message: "must not be empty" });
const JournalCode = z.string().regex(/^[A-Z0-9]{1,8}$/, { message: "must be 1–8 capital letters or digits, e.g. VE" });
const Journal = z.strictObject({ code: JournalCode, label: label(60) });

/** Conventional per-rate VAT sub-accounts (accounting.md §3: a convention, not law). */
export const DEFAULT_VAT_ACCOUNTS: Readonly<Record<number, string>> = {
  2000: "4457120",
  1300: "4457113",
  1000: "4457110",
  850: "4457185",
  550: "4457105",
  210: "4457102",
  175: "4457117",
  105: "4457101",
  90: "4457109",
};

/** Where service VAT waits until payment when `vatOnPayments` is on: 44574x mirrors 44571x. */
export function defaultWaitingAccount(vatAccount: string): string {
  return vatAccount.startsWith("44571") ? `44574${vatAccount.slice(5)}` : `${vatAccount}W`.slice(0, 20);
}

export const DEFAULT_ACCOUNTS = {
  customers: "411000",
  goods: "707000",
  services: "706000",
  bank: "512000",
  /** Deposits received on orders, net of VAT, until the balance invoice clears them (PCG 4191). */
  deposits: "419100",
} as const;

export const DEFAULT_JOURNALS = {
  sales: { code: "VE", label: "Ventes" },
  bank: { code: "BQ", label: "Banque" },
} as const;

export const AccountingSettingsInput = z
  .strictObject({
    accounts: z
      .strictObject({
        customers: accountIn("customers").default(DEFAULT_ACCOUNTS.customers),
        goods: accountIn("revenue").default(DEFAULT_ACCOUNTS.goods),
        services: accountIn("revenue").default(DEFAULT_ACCOUNTS.services),
        bank: accountIn("bank").default(DEFAULT_ACCOUNTS.bank),
        deposits: accountIn("deposits").default(DEFAULT_ACCOUNTS.deposits),
      })
      .default({ ...DEFAULT_ACCOUNTS }),
    vatRates: z
      .array(
        z.strictObject({
          vatRateBp: VatRateBp,
          vatAccount: accountIn("vat"),
          waitingAccount: accountIn("vat").optional(),
          revenueAccount: accountIn("revenue").optional(),
        }),
      )
      .max(20)
      .default([]),
    byProduct: z
      .array(z.strictObject({ productId: z.string().min(1).max(64), revenueAccount: accountIn("revenue") }))
      .max(5000)
      .default([]),
    byCategory: z
      .array(z.strictObject({ category: label(60), revenueAccount: accountIn("revenue") }))
      .max(500)
      .default([]),
    byCustomer: z
      .array(
        z
          .strictObject({
            customerId: z.string().min(1).max(64),
            auxAccount: CustomerCode.optional(),
            account: accountIn("customers").optional(),
          })
          .refine((o) => o.auxAccount !== undefined || o.account !== undefined, {
            message: "give an auxAccount (auxiliary code), an account (411…), or both",
          }),
      )
      .max(5000)
      .default([]),
    accountLabels: z
      .record(z.string(), label(100))
      .superRefine((labels, ctx) => {
        const keys = Object.keys(labels);
        if (keys.length > 5000) ctx.addIssue({ code: "custom", message: "must hold at most 5000 labels" });
        for (const key of keys) {
          if (!ACCOUNT_PATTERN.test(key)) ctx.addIssue({ code: "custom", path: [key], message: "must be an account number: 3 digits, then up to 17 digits or capital letters" });
        }
      })
      .default({}),
    journals: z
      .strictObject({
        sales: Journal.default({ ...DEFAULT_JOURNALS.sales }),
        bank: Journal.default({ ...DEFAULT_JOURNALS.bank }),
      })
      .default({ sales: { ...DEFAULT_JOURNALS.sales }, bank: { ...DEFAULT_JOURNALS.bank } })
      .refine((j) => j.sales.code !== j.bank.code, { message: "the sales and bank journals need different codes", path: ["bank", "code"] }),
    /** Services' VAT is due on payment (TVA sur les encaissements): route it through a waiting account until paid. */
    vatOnPayments: z.boolean().default(false),
  })
  .superRefine((s, ctx) => {
    const duplicate = <T>(items: T[], key: (t: T) => string, path: string, field: string, what: string) => {
      const seen = new Set<string>();
      items.forEach((item, i) => {
        const k = key(item);
        if (seen.has(k)) ctx.addIssue({ code: "custom", path: [path, i, field], message: `appears twice: one ${what} has one mapping` });
        seen.add(k);
      });
    };
    duplicate(s.vatRates, (r) => String(r.vatRateBp), "vatRates", "vatRateBp", "VAT rate");
    duplicate(s.byProduct, (r) => r.productId, "byProduct", "productId", "product");
    duplicate(s.byCategory, (r) => r.category.toLowerCase(), "byCategory", "category", "category");
    duplicate(s.byCustomer, (r) => r.customerId, "byCustomer", "customerId", "customer");
    s.vatRates.forEach((r, i) => {
      if (r.waitingAccount && r.waitingAccount === r.vatAccount) {
        ctx.addIssue({ code: "custom", path: ["vatRates", i, "waitingAccount"], message: "must differ from vatAccount: VAT waits there until payment" });
      }
    });
  });

export type AccountingSettingsInput = z.input<typeof AccountingSettingsInput>;
export type AccountingSettings = z.output<typeof AccountingSettingsInput>;

/** The settings a company starts with: PCG defaults, no overrides, VAT due on invoicing. */
export function defaultAccountingSettings(): AccountingSettings {
  return AccountingSettingsInput.parse({});
}

/** PCG titles for the accounts Passerelle uses, by prefix (longest prefix wins). */
const PCG_TITLES: [string, string][] = [
  ["4191", "Clients - Avances et acomptes reçus sur commandes"],
  ["411", "Clients"],
  ["701", "Ventes de produits finis"],
  ["704", "Travaux"],
  ["706", "Prestations de services"],
  ["707", "Ventes de marchandises"],
  ["708", "Produits des activités annexes"],
  ["709", "Rabais, remises et ristournes accordés"],
  ["70", "Ventes"],
  ["44574", "TVA collectée en attente (encaissements)"],
  ["44571", "TVA collectée"],
  ["4457", "TVA collectée"],
  ["512", "Banque"],
];

function rateLabel(rateBp: number): string {
  const whole = Math.trunc(rateBp / 100);
  const fraction = String(rateBp % 100).padStart(2, "0").replace(/0+$/, "");
  return `${whole}${fraction ? "," + fraction : ""} %`;
}

/** Resolves accounts and labels for entries under one company's settings. */
export class AccountPlan {
  private readonly byProduct: Map<string, string>;
  private readonly byCategory: Map<string, string>;
  private readonly byCustomer: Map<string, { auxAccount?: string | undefined; account?: string | undefined }>;
  private readonly byRate: Map<number, AccountingSettings["vatRates"][number]>;
  /** Labels for VAT accounts derived from their rate ("TVA collectée 20 %"). */
  private readonly vatLabels = new Map<string, string>();

  constructor(readonly settings: AccountingSettings) {
    this.byProduct = new Map(settings.byProduct.map((o) => [o.productId, o.revenueAccount]));
    this.byCategory = new Map(settings.byCategory.map((o) => [o.category.toLowerCase(), o.revenueAccount]));
    this.byCustomer = new Map(settings.byCustomer.map((o) => [o.customerId, o]));
    this.byRate = new Map(settings.vatRates.map((o) => [o.vatRateBp, o]));
  }

  /** Revenue account of a line: product, then category (product's, then customer's), then VAT rate, then goods/services default. */
  revenueAccount(line: { productId: string | null; productCategory: string | null; vatRateBp: number; kind: ProductKind }, customerCategory: string | null): string {
    return (
      (line.productId ? this.byProduct.get(line.productId) : undefined) ??
      (line.productCategory ? this.byCategory.get(line.productCategory.toLowerCase()) : undefined) ??
      (customerCategory ? this.byCategory.get(customerCategory.toLowerCase()) : undefined) ??
      this.byRate.get(line.vatRateBp)?.revenueAccount ??
      (line.kind === "goods" ? this.settings.accounts.goods : this.settings.accounts.services)
    );
  }

  vatAccount(rateBp: number): string {
    const account = this.byRate.get(rateBp)?.vatAccount ?? DEFAULT_VAT_ACCOUNTS[rateBp] ?? "4457100";
    if (!this.vatLabels.has(account)) this.vatLabels.set(account, `TVA collectée ${rateLabel(rateBp)}`);
    return account;
  }

  waitingAccount(rateBp: number): string {
    const account = this.byRate.get(rateBp)?.waitingAccount ?? defaultWaitingAccount(this.vatAccount(rateBp));
    if (!this.vatLabels.has(account)) this.vatLabels.set(account, `TVA collectée en attente ${rateLabel(rateBp)}`);
    return account;
  }

  customerAccount(customerId: string): string {
    return this.byCustomer.get(customerId)?.account ?? this.settings.accounts.customers;
  }

  auxAccount(customerId: string, customerCode: string): string {
    return this.byCustomer.get(customerId)?.auxAccount ?? customerCode;
  }

  get depositsAccount(): string {
    return this.settings.accounts.deposits;
  }

  get bankAccount(): string {
    return this.settings.accounts.bank;
  }

  /** CompteLib: the accountant's label, else the rate-specific VAT title, else the PCG title of its class. */
  accountLabel(account: string): string {
    const own = this.settings.accountLabels[account];
    if (own) return own;
    const vat = this.vatLabels.get(account);
    if (vat) return vat;
    return PCG_TITLES.find(([prefix]) => account.startsWith(prefix))?.[1] ?? account;
  }
}
