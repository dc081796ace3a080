import { useEffect, useMemo, useState } from "preact/hooks";
import type { Customer } from "@passerelle/shared";
import { api, describeFailure } from "../../../lib/messaging";
import { useAppData } from "../../../lib/app/data";
import { navigate, routeHref, type Route } from "../../../lib/app/route";
import { usePersistentForm } from "../../../lib/app/form-store";
import { withoutField } from "../../../lib/app/form-errors";
import { useFormSubmit } from "../../../lib/app/form-submit";
import {
  checkSiren,
  checkVatNumber,
  customerFieldFor,
  customerForm,
  customerInput,
  customerPatch,
  emptyCustomer,
  suggestedVatNumber,
  type CustomerForm,
} from "../../../lib/app/customer-form";
import { t } from "../../../lib/i18n";
import { Notice } from "../../../components/Notice";
import { TextInput } from "../../../components/app/inputs";
import { RestoredNotice } from "../../../components/app/RestoredNotice";

const FIELD_OF: Record<keyof CustomerForm, string> = {
  name: "name",
  siren: "siren",
  vatNumber: "vatNumber",
  email: "email",
  line1: "address.line1",
  line2: "address.line2",
  postalCode: "address.postalCode",
  city: "address.city",
  country: "address.country",
  category: "category",
};

/** Create or change a customer; the code the API gives a new customer is shown once it exists. */
export function CustomerEditor(props: { customerId: string | null }) {
  const data = useAppData();
  const { companyId } = data;
  // a customer is edited as the server has it now, not as the list read when the view opened had it
  const [loaded, setLoaded] = useState<{ customer: Customer } | { error: string } | null>(null);
  useEffect(() => {
    setLoaded(null);
    if (!props.customerId) return;
    let alive = true;
    api("getCustomer", companyId, props.customerId).then(
      (customer) => alive && setLoaded({ customer }),
      (e: unknown) => alive && setLoaded({ error: describeFailure(e) }),
    );
    return () => {
      alive = false;
    };
  }, [companyId, props.customerId]);
  const existing = props.customerId && loaded && "customer" in loaded ? loaded.customer : null;
  const base = useMemo(() => (props.customerId ? (existing ? customerForm(existing) : undefined) : emptyCustomer()), [props.customerId, existing]);
  const form = usePersistentForm<CustomerForm>(`${companyId}:customer:${props.customerId ?? "new"}`, base);
  const { errors, setErrors, problem, busy, submit } = useFormSubmit(customerFieldFor);

  if (props.customerId && loaded && "error" in loaded) return <Notice kind="error">{loaded.error}</Notice>;
  const value = form.value;
  if (!value) return <p class="muted">{t("loading")}</p>;

  const update = (field: keyof CustomerForm) => (v: string) => {
    form.set((c) => ({ ...c, [field]: v }));
    setErrors((e) => withoutField(e, FIELD_OF[field]));
  };
  const siren = checkSiren(value.siren);
  const vat = checkVatNumber(value.vatNumber, value.siren);
  const suggestion = !value.vatNumber.trim() ? suggestedVatNumber(value.siren) : null;

  async function save(event: Event) {
    event.preventDefault();
    if (!value) return;
    await submit(customerInput(value), async ({ input }) => {
      const saved: Customer = existing ? await api("updateCustomer", companyId, existing.id, customerPatch(input)) : await api("createCustomer", companyId, input);
      await form.accept(customerForm(saved));
      await data.refresh("customers");
      // a customer changed goes back to its page, a new one to the list that now holds it
      const next: Route = existing ? { view: "customer", id: saved.id } : { view: "customers" };
      data.setFlash(existing ? t("appCustomerSaved", saved.name) : t("appCustomerCreated", saved.name, saved.code), next);
      navigate(next);
    });
  }

  return (
    <form class="stack editor" onSubmit={save} aria-labelledby="customer-title" noValidate>
      <div class="screen-head">
        <h1 id="customer-title">{existing ? existing.name : t("appNewCustomer")}</h1>
        {existing ? (
          <p class="code-badge" data-testid="customer-code">
            {t("appCustomerCode", existing.code)}
          </p>
        ) : (
          <p class="muted">{t("appCodeGenerated")}</p>
        )}
      </div>
      {form.restored ? <RestoredNotice saved={existing !== null} onDiscard={() => void form.discard().then(() => setErrors({}))} /> : null}
      {problem ? <Notice kind="error">{problem}</Notice> : null}
      <fieldset class="grid-2">
        <legend>{t("appIdentity")}</legend>
        <TextInput class="span-2" label={t("appName")} value={value.name} onInput={update("name")} error={errors.name} required maxLength={200} autoComplete="organization" />
        <TextInput
          label={t("appSiren")}
          value={value.siren}
          onInput={update("siren")}
          inputMode="numeric"
          maxLength={11}
          error={errors.siren ?? (siren.state === "invalid" ? siren.message : undefined)}
          hint={siren.state === "valid" || siren.state === "typing" ? siren.message : t("appSirenHint")}
          ok={siren.state === "valid"}
        />
        <TextInput
          label={t("appVatNumber")}
          value={value.vatNumber}
          onInput={update("vatNumber")}
          maxLength={20}
          error={errors.vatNumber ?? (vat.state === "invalid" ? vat.message : undefined)}
          hint={
            suggestion ? (
              <button type="button" class="button-link" onClick={() => update("vatNumber")(suggestion)}>
                {t("appUseVatNumber", suggestion)}
              </button>
            ) : vat.state === "valid" || vat.state === "typing" ? (
              vat.message
            ) : (
              t("appVatHint")
            )
          }
          ok={vat.state === "valid"}
        />
        <TextInput label={t("email")} type="email" inputMode="email" value={value.email} onInput={update("email")} error={errors.email} maxLength={254} autoComplete="email" />
        <TextInput label={t("appCategory")} value={value.category} onInput={update("category")} error={errors.category} maxLength={60} hint={t("appCategoryHint")} />
      </fieldset>
      <fieldset class="grid-2">
        <legend>{t("appAddress")}</legend>
        <TextInput class="span-2" label={t("appAddressLine1")} value={value.line1} onInput={update("line1")} error={errors["address.line1"]} required maxLength={200} autoComplete="address-line1" />
        <TextInput class="span-2" label={t("appAddressLine2")} value={value.line2} onInput={update("line2")} error={errors["address.line2"]} maxLength={200} autoComplete="address-line2" />
        <TextInput label={t("appPostalCode")} value={value.postalCode} onInput={update("postalCode")} error={errors["address.postalCode"]} maxLength={20} autoComplete="postal-code" />
        <TextInput label={t("appCity")} value={value.city} onInput={update("city")} error={errors["address.city"]} maxLength={100} autoComplete="address-level2" />
        <TextInput label={t("appCountry")} value={value.country} onInput={update("country")} error={errors["address.country"]} maxLength={2} hint={t("appCountryHint")} />
      </fieldset>
      <div class="form-actions">
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? t("appSaving") : existing ? t("save") : t("appCreateCustomer")}
        </button>
        <a class="button secondary" href={routeHref(existing ? { view: "customer", id: existing.id } : { view: "customers" })}>
          {existing ? t("appBackToCustomer") : t("appBackToList")}
        </a>
      </div>
    </form>
  );
}
