/**
 * The account codes as one sheet of rows (accounting.md §3): the default accounts, the two
 * journals, each VAT rate, every customer (411 and auxiliary account), every product and every
 * category (70x). Each row shows the value in force and whether it is a default or an override.
 * A sheet sent back is the whole mapping: every row is checked on its own (class of its account,
 * unknown customer or product, duplicate), and a row's value becomes an override only where it
 * differs from what the row would inherit — after saving, each row edited is in force as it was
 * written, and a customer or product row left as it was shown keeps following its default.
 */
import { z } from "zod";
import {
  ACCOUNT_CLASSES,
  ACCOUNT_PATTERN,
  AccountPlan,
  AccountingSettingsInput,
  DEFAULT_ACCOUNTS,
  DEFAULT_JOURNALS,
  DEFAULT_VAT_ACCOUNTS,
  type AccountClass,
  type AccountingSettings,
} from "./accounting-settings.js";
import { isFrenchVatRate } from "./vat.js";
import { plainText, textProblem } from "./text.js";
import { ACCOUNT_ROW_KINDS, ACCOUNT_ROW_RULES, DEFAULT_ACCOUNT_KEYS, JOURNAL_KEYS, type AccountRowKind, type AccountRowRule } from "./account-rows.js";

export * from "./account-rows.js";

/** The VAT rates every sheet lists, the company's products and overrides adding theirs. */
export const SHEET_VAT_RATES = [2000, 1000, 550, 210] as const;

export const AccountRow = z.object({
  kind: z.enum(ACCOUNT_ROW_KINDS),
  /** What the row is about: the default's or journal's key, the rate ("20 %"), the customer's code, the product's id, the category. */
  key: z.string(),
  /** Read-only: the customer's or product's name, the account's or journal's title. */
  label: z.string(),
  /** The account (a journal's code) in force. Empty on a category without a mapping. */
  account: z.string(),
  /** Customers only: the auxiliary account in force. */
  auxAccount: z.string().optional(),
  origin: z.enum(["default", "override"]),
});
export type AccountRow = z.infer<typeof AccountRow>;

export const AccountSheet = z.object({ rows: z.array(AccountRow) });
export type AccountSheet = z.infer<typeof AccountSheet>;

/** A row sent back: cells as text, checked row by row (so every error names its row). */
export const AccountSheetRowInput = z.strictObject({
  kind: plainText(40),
  key: plainText(200),
  account: plainText(40).default(""),
  auxAccount: plainText(40).optional(),
});
export const AccountSheetInput = z.strictObject({
  rows: z.array(AccountSheetRowInput).max(20_000),
});
export type AccountSheetInput = z.input<typeof AccountSheetInput>;
export type AccountSheetRowInput = z.output<typeof AccountSheetRowInput>;

/** "20 %", "5,5 %" — how a sheet names a rate. */
export function sheetRateLabel(rateBp: number): string {
  const whole = Math.trunc(rateBp / 100);
  const fraction = String(rateBp % 100).padStart(2, "0").replace(/0+$/, "");
  return `${whole}${fraction ? "," + fraction : ""} %`;
}

/** "20 %", "20", "5,5 %", "5.5%" → basis points; null when it is no French rate. */
export function parseSheetRate(text: string): number | null {
  const m = /^\s*(\d{1,2})(?:[.,](\d{1,2}))?\s*%?\s*$/.exec(text);
  if (!m) return null;
  const bp = Number(m[1]) * 100 + Number((m[2] ?? "").padEnd(2, "0"));
  return isFrenchVatRate(bp) ? bp : null;
}

export interface SheetCustomer {
  id: string;
  code: string;
  name: string;
}
export interface SheetProduct {
  id: string;
  name: string;
  vatRateBp: number;
  kind: "goods" | "services";
  category: string | null;
}

const DEFAULT_TITLES: Record<(typeof DEFAULT_ACCOUNT_KEYS)[number][0], string> = {
  customers: "Clients (compte collectif)",
  goods: "Ventes de marchandises",
  services: "Prestations de services",
  bank: "Banque",
  deposits: "Acomptes reçus sur commandes",
};

/** Categories named by products, customers or an override, once each (case-insensitively), sorted. */
function categoriesOf(settings: AccountingSettings, products: SheetProduct[], customerCategories: string[]): string[] {
  const byLower = new Map<string, string>();
  for (const c of [...settings.byCategory.map((o) => o.category), ...products.map((p) => p.category ?? ""), ...customerCategories]) {
    if (c && !byLower.has(c.toLowerCase())) byLower.set(c.toLowerCase(), c);
  }
  return [...byLower.values()].sort((a, b) => a.localeCompare(b, "fr"));
}

function ratesOf(settings: AccountingSettings, products: SheetProduct[]): number[] {
  return [...new Set<number>([...SHEET_VAT_RATES, ...settings.vatRates.map((r) => r.vatRateBp), ...products.map((p) => p.vatRateBp)])]
    .filter((bp) => bp > 0)
    .sort((a, b) => b - a);
}

/** What a product's line is booked to without an override of its own (ignoring a customer's category). */
function inheritedRevenue(plan: AccountPlan, product: SheetProduct): string {
  return plan.revenueAccount({ productId: null, productCategory: product.category, vatRateBp: product.vatRateBp, kind: product.kind }, null);
}

/** The sheet of a company's account codes under `settings`. */
export function accountSheetOf(settings: AccountingSettings, customers: SheetCustomer[], products: SheetProduct[], customerCategories: string[]): AccountSheet {
  const plan = new AccountPlan(settings);
  const rows: AccountRow[] = [];
  for (const [key] of DEFAULT_ACCOUNT_KEYS) {
    rows.push({ kind: "default", key, label: DEFAULT_TITLES[key], account: settings.accounts[key], origin: settings.accounts[key] === DEFAULT_ACCOUNTS[key] ? "default" : "override" });
  }
  for (const key of JOURNAL_KEYS) {
    const journal = settings.journals[key];
    rows.push({ kind: "journal", key, label: journal.label, account: journal.code, origin: journal.code === DEFAULT_JOURNALS[key].code ? "default" : "override" });
  }
  for (const bp of ratesOf(settings, products)) {
    const own = settings.vatRates.find((r) => r.vatRateBp === bp);
    rows.push({
      kind: "vatRate",
      key: sheetRateLabel(bp),
      label: `TVA collectée ${sheetRateLabel(bp)}`,
      account: plan.vatAccount(bp),
      origin: own && own.vatAccount !== defaultVatAccount(bp) ? "override" : "default",
    });
  }
  const byCustomer = new Map(settings.byCustomer.map((o) => [o.customerId, o]));
  for (const c of customers) {
    const own = byCustomer.get(c.id);
    rows.push({
      kind: "customer",
      key: c.code,
      label: c.name,
      account: plan.customerAccount(c.id),
      auxAccount: plan.auxAccount(c.id, c.code),
      origin: own ? "override" : "default",
    });
  }
  const byProduct = new Map(settings.byProduct.map((o) => [o.productId, o.revenueAccount]));
  for (const p of products) {
    const own = byProduct.get(p.id);
    rows.push({ kind: "product", key: p.id, label: p.name, account: own ?? inheritedRevenue(plan, p), origin: own ? "override" : "default" });
  }
  const byCategory = new Map(settings.byCategory.map((o) => [o.category.toLowerCase(), o.revenueAccount]));
  for (const category of categoriesOf(settings, products, customerCategories)) {
    const own = byCategory.get(category.toLowerCase());
    rows.push({ kind: "category", key: category, label: category, account: own ?? "", origin: own ? "override" : "default" });
  }
  return { rows };
}

function defaultVatAccount(bp: number): string {
  return DEFAULT_VAT_ACCOUNTS[bp] ?? "4457100";
}

export interface AccountRowError {
  path: string;
  rule: AccountRowRule;
  message: string;
}

export type SheetOutcome = { settings: AccountingSettings; errors: [] } | { settings: null; errors: AccountRowError[] };

/**
 * Reads a sheet back into settings: `current` gives what the sheet does not show (labels, the VAT
 * regime, waiting and per-rate revenue accounts, journal titles). Every row is checked; any error
 * leaves `settings` null.
 */
export function settingsFromSheet(input: AccountSheetRowInput[], current: AccountingSettings, customers: SheetCustomer[], products: SheetProduct[]): SheetOutcome {
  const errors: AccountRowError[] = [];
  const fail = (i: number, field: string, rule: AccountRowRule) => {
    errors.push({ path: `rows.${i}.${field}`, rule, message: ACCOUNT_ROW_RULES[rule].en });
  };
  const accountOk = (i: number, value: string, cls: AccountClass): boolean => {
    if (!ACCOUNT_PATTERN.test(value)) return fail(i, "account", "format"), false;
    if (!value.startsWith(ACCOUNT_CLASSES[cls].prefix)) return fail(i, "account", cls), false;
    return true;
  };
  const customersByCode = new Map(customers.map((c) => [c.code, c]));
  const productsById = new Map(products.map((p) => [p.id, p]));
  const seen = new Set<string>();

  const accounts: Record<string, string> = { ...DEFAULT_ACCOUNTS };
  const journalCodes: Record<string, string> = { sales: DEFAULT_JOURNALS.sales.code, bank: DEFAULT_JOURNALS.bank.code };
  const journalRows: Record<string, number> = {};
  const rateAccounts = new Map<number, string>();
  const categories: { category: string; revenueAccount: string }[] = [];
  const customerRows: { i: number; customer: SheetCustomer; account: string; auxAccount: string }[] = [];
  const productRows: { i: number; product: SheetProduct; account: string }[] = [];

  input.forEach((raw, i) => {
    const kind = raw.kind.trim();
    const key = raw.key.trim();
    const account = raw.account.trim();
    const aux = raw.auxAccount?.trim() ?? "";
    if (!(ACCOUNT_ROW_KINDS as readonly string[]).includes(kind)) return fail(i, "kind", "kind");
    if (aux && kind !== "customer") fail(i, "auxAccount", "auxOnlyCustomers");
    const identity = kind === "category" ? `${kind}:${key.toLowerCase()}` : `${kind}:${kind === "vatRate" ? parseSheetRate(key) : key}`;
    const duplicate = seen.has(identity);
    seen.add(identity);
    switch (kind as AccountRowKind) {
      case "default": {
        const entry = DEFAULT_ACCOUNT_KEYS.find(([k]) => k === key);
        if (!entry) return fail(i, "key", "defaultKey");
        if (duplicate) return fail(i, "key", "duplicate");
        if (account === "") return; // back to the PCG default
        if (accountOk(i, account, entry[1])) accounts[key] = account;
        return;
      }
      case "journal": {
        if (!(JOURNAL_KEYS as readonly string[]).includes(key)) return fail(i, "key", "journalKey");
        if (duplicate) return fail(i, "key", "duplicate");
        journalRows[key] = i;
        if (account === "") return;
        if (!/^[A-Z0-9]{1,8}$/.test(account)) return fail(i, "account", "journalCode");
        journalCodes[key] = account;
        return;
      }
      case "vatRate": {
        const bp = parseSheetRate(key);
        if (bp === null || bp === 0) return fail(i, "key", "rate");
        if (duplicate) return fail(i, "key", "duplicate");
        if (account === "") return;
        if (accountOk(i, account, "vat")) rateAccounts.set(bp, account);
        return;
      }
      case "customer": {
        const customer = customersByCode.get(key);
        if (!customer) return fail(i, "key", "unknownCustomer");
        if (duplicate) return fail(i, "key", "duplicate");
        let ok = account === "" || accountOk(i, account, "customers");
        if (aux !== "" && !/^[A-Za-z0-9_-]{1,17}$/.test(aux)) ok = (fail(i, "auxAccount", "auxAccount"), false);
        if (ok) customerRows.push({ i, customer, account, auxAccount: aux });
        return;
      }
      case "product": {
        const product = productsById.get(key);
        if (!product) return fail(i, "key", "unknownProduct");
        if (duplicate) return fail(i, "key", "duplicate");
        if (account === "" || accountOk(i, account, "revenue")) productRows.push({ i, product, account });
        return;
      }
      case "category": {
        if (key === "" || key.length > 60 || textProblem(key, false)) return fail(i, "key", "category");
        if (duplicate) return fail(i, "key", "duplicate");
        if (account === "") return; // no mapping
        if (accountOk(i, account, "revenue")) categories.push({ category: key, revenueAccount: account });
        return;
      }
    }
  });
  if (journalCodes.sales === journalCodes.bank) fail(journalRows.bank ?? journalRows.sales ?? 0, "account", "journalsDiffer");
  if (errors.length > 0) return { settings: null, errors };

  const vatRates = [...new Set([...current.vatRates.map((r) => r.vatRateBp), ...rateAccounts.keys()])]
    .map((bp) => {
      const own = current.vatRates.find((r) => r.vatRateBp === bp);
      const vatAccount = rateAccounts.get(bp) ?? defaultVatAccount(bp);
      if (!own && vatAccount === defaultVatAccount(bp)) return null;
      if (own && !own.waitingAccount && !own.revenueAccount && vatAccount === defaultVatAccount(bp)) return null;
      return { ...own, vatRateBp: bp, vatAccount };
    })
    .filter((r) => r !== null)
    .sort((a, b) => b.vatRateBp - a.vatRateBp);

  const tooMany = (): SheetOutcome => ({ settings: null, errors: [{ path: "rows", rule: "tooMany", message: ACCOUNT_ROW_RULES.tooMany.en }] });
  const parsedBase = AccountingSettingsInput.safeParse({
    accounts,
    vatRates,
    byCategory: categories,
    accountLabels: current.accountLabels,
    journals: { sales: { ...current.journals.sales, code: journalCodes.sales }, bank: { ...current.journals.bank, code: journalCodes.bank } },
    vatOnPayments: current.vatOnPayments,
  });
  if (!parsedBase.success) return tooMany();
  const base = parsedBase.data;
  // a row becomes an override only where it differs from what it would inherit under the sheet's
  // defaults; a row without an override left as it was shown keeps following its default
  const plan = new AccountPlan(base);
  const before = new AccountPlan(current);
  const ownProduct = new Set(current.byProduct.map((o) => o.productId));
  const ownCustomerAccount = new Set(current.byCustomer.filter((o) => o.account !== undefined).map((o) => o.customerId));
  const byProduct = productRows
    .filter((r) => r.account !== "" && r.account !== inheritedRevenue(plan, r.product))
    .filter((r) => ownProduct.has(r.product.id) || r.account !== inheritedRevenue(before, r.product))
    .map((r) => ({ productId: r.product.id, revenueAccount: r.account }));
  const byCustomer = customerRows
    .map((r) => ({
      customerId: r.customer.id,
      ...(r.auxAccount !== "" && r.auxAccount !== r.customer.code ? { auxAccount: r.auxAccount } : {}),
      ...(r.account !== "" &&
      r.account !== base.accounts.customers &&
      (ownCustomerAccount.has(r.customer.id) || r.account !== current.accounts.customers)
        ? { account: r.account }
        : {}),
    }))
    .filter((o) => "auxAccount" in o || "account" in o);
  const parsed = AccountingSettingsInput.safeParse({ ...base, byProduct, byCustomer });
  return parsed.success ? { settings: parsed.data, errors: [] } : tooMany();
}
