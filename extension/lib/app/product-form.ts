/** The product form: a unit price HT typed in euros, a French VAT rate, goods or services. */
import type { Product, ProductInput, ProductKind, ProductPatch } from "@passerelle/shared";
import { FRENCH_VAT_RATES_BP, MAINLAND_VAT_RATES_BP, formatVatRate } from "@passerelle/shared/vat";
import { t } from "../i18n";
import { eurosInput, parseEuros } from "./amounts";
import { DEFAULT_VAT_RATE_BP } from "./invoice-form";

export interface ProductForm {
  name: string;
  description: string;
  unitPrice: string;
  vatRateBp: number;
  kind: ProductKind;
  category: string;
}

export const emptyProduct = (): ProductForm => ({ name: "", description: "", unitPrice: "", vatRateBp: DEFAULT_VAT_RATE_BP, kind: "services", category: "" });

export function productForm(p: Product): ProductForm {
  return {
    name: p.name,
    description: p.description ?? "",
    unitPrice: eurosInput(p.unitPriceCents),
    vatRateBp: p.vatRateBp,
    kind: p.kind,
    category: p.category ?? "",
  };
}

export type ProductCheck = { ok: true; input: ProductInput } | { ok: false; fields: Record<string, string> };

export function productInput(form: ProductForm): ProductCheck {
  const fields: Record<string, string> = {};
  if (!form.name.trim()) fields.name = t("appRuleRequired");
  const cents = parseEuros(form.unitPrice);
  if (!form.unitPrice.trim()) fields.unitPriceCents = t("appRuleRequired");
  else if (cents === null) fields.unitPriceCents = t("appAmountInvalid");
  if (Object.keys(fields).length > 0) return { ok: false, fields };
  return {
    ok: true,
    input: {
      name: form.name.trim(),
      description: form.description.trim() || undefined,
      unitPriceCents: cents!,
      vatRateBp: form.vatRateBp,
      kind: form.kind,
      category: form.category.trim() || undefined,
    },
  };
}

/** The same fields as PATCH takes them: an optional field the owner emptied is cleared (null). */
export function productPatch(input: ProductInput): ProductPatch {
  return { ...input, description: input.description ?? null, category: input.category ?? null };
}

export function productFieldFor(path: string): string | null {
  return ["name", "description", "unitPriceCents", "vatRateBp", "kind", "category"].includes(path) ? path : null;
}

/** The French rates for a select: mainland first, then those of the overseas departments and Corsica. */
export const VAT_RATE_GROUPS: { label: () => string; rates: number[] }[] = [
  { label: () => t("appRatesMainland"), rates: [...MAINLAND_VAT_RATES_BP] },
  { label: () => t("appRatesOther"), rates: FRENCH_VAT_RATES_BP.filter((r) => !(MAINLAND_VAT_RATES_BP as readonly number[]).includes(r)) },
];

export { formatVatRate };
