import { useMemo } from "preact/hooks";
import type { Product } from "@passerelle/shared";
import { api } from "../../../lib/messaging";
import { useAppData } from "../../../lib/app/data";
import { navigate, routeHref } from "../../../lib/app/route";
import { usePersistentForm } from "../../../lib/app/form-store";
import { withoutField } from "../../../lib/app/form-errors";
import { useFormSubmit } from "../../../lib/app/form-submit";
import { emptyProduct, productFieldFor, productForm, productInput, productPatch, type ProductForm } from "../../../lib/app/product-form";
import { parseEuros } from "../../../lib/app/amounts";
import { formatEuros } from "../../../lib/format";
import { t } from "../../../lib/i18n";
import { Notice } from "../../../components/Notice";
import { SelectInput, TextArea, TextInput } from "../../../components/app/inputs";
import { RestoredNotice } from "../../../components/app/RestoredNotice";
import { VatRateOptions } from "../../../components/app/VatRateOptions";

const FIELD_OF: Record<keyof ProductForm, string> = {
  name: "name",
  description: "description",
  unitPrice: "unitPriceCents",
  vatRateBp: "vatRateBp",
  kind: "kind",
  category: "category",
};

export function ProductEditor(props: { productId: string | null }) {
  const data = useAppData();
  const { companyId } = data;
  const existing = props.productId ? (data.products?.find((p) => p.id === props.productId) ?? null) : null;
  const base = useMemo(() => (props.productId ? (existing ? productForm(existing) : undefined) : emptyProduct()), [props.productId, existing]);
  const form = usePersistentForm<ProductForm>(`${companyId}:product:${props.productId ?? "new"}`, base);
  const { errors, setErrors, problem, busy, submit } = useFormSubmit(productFieldFor);

  if (props.productId && data.products !== null && !existing) return <Notice kind="error">{t("errorNotFound")}</Notice>;
  const value = form.value;
  if (!value) return <p class="muted">{t("loading")}</p>;

  function update<K extends keyof ProductForm>(field: K, v: ProductForm[K]) {
    form.set((p) => ({ ...p, [field]: v }));
    setErrors((e) => withoutField(e, FIELD_OF[field]));
  }
  const price = parseEuros(value.unitPrice);

  async function save(event: Event) {
    event.preventDefault();
    if (!value) return;
    await submit(productInput(value), async ({ input }) => {
      const saved: Product = existing ? await api("updateProduct", companyId, existing.id, productPatch(input)) : await api("createProduct", companyId, input);
      await form.accept(productForm(saved));
      await data.refresh("products");
      data.setFlash(existing ? t("appProductSaved", saved.name) : t("appProductCreated", saved.name), { view: "products" });
      navigate({ view: "products" });
    });
  }

  return (
    <form class="stack editor" onSubmit={save} aria-labelledby="product-title" noValidate>
      <div class="screen-head">
        <h1 id="product-title">{existing ? existing.name : t("appNewProduct")}</h1>
      </div>
      {form.restored ? <RestoredNotice saved={existing !== null} onDiscard={() => void form.discard().then(() => setErrors({}))} /> : null}
      {problem ? <Notice kind="error">{problem}</Notice> : null}
      <fieldset class="grid-2">
        <legend>{t("appProduct")}</legend>
        <TextInput class="span-2" label={t("appName")} value={value.name} onInput={(v) => update("name", v)} error={errors.name} required maxLength={200} />
        <TextInput
          label={t("appUnitPriceHt")}
          value={value.unitPrice}
          onInput={(v) => update("unitPrice", v)}
          inputMode="decimal"
          error={errors.unitPriceCents}
          hint={price !== null ? formatEuros(price) : t("appAmountHint")}
          required
        />
        <SelectInput label={t("appVatRate")} value={String(value.vatRateBp)} onChange={(v) => update("vatRateBp", Number(v))} error={errors.vatRateBp}>
          <VatRateOptions />
        </SelectInput>
        <SelectInput label={t("appKind")} value={value.kind} onChange={(v) => update("kind", v === "goods" ? "goods" : "services")} error={errors.kind} hint={t("appKindHint")}>
          <option value="services">{t("appKindServices")}</option>
          <option value="goods">{t("appKindGoods")}</option>
        </SelectInput>
        <TextInput label={t("appCategory")} value={value.category} onInput={(v) => update("category", v)} error={errors.category} maxLength={60} hint={t("appCategoryHint")} />
        <TextArea class="span-2" label={t("appProductDescription")} value={value.description} onInput={(v) => update("description", v)} error={errors.description} maxLength={2000} />
      </fieldset>
      <div class="form-actions">
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? t("appSaving") : existing ? t("save") : t("appCreateProduct")}
        </button>
        <a class="button secondary" href={routeHref({ view: "products" })}>
          {t("appBackToList")}
        </a>
      </div>
    </form>
  );
}
