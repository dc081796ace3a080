import { useMemo } from "preact/hooks";
import { api } from "../../../lib/messaging";
import { useAppData } from "../../../lib/app/data";
import { usePersistentForm } from "../../../lib/app/form-store";
import { withoutField } from "../../../lib/app/form-errors";
import { useFormSubmit } from "../../../lib/app/form-submit";
import { companyFieldFor, companyForm, companyPatch, type CompanyForm } from "../../../lib/app/company-form";
import { t } from "../../../lib/i18n";
import { Notice } from "../../../components/Notice";
import { TextInput } from "../../../components/app/inputs";
import { RestoredNotice } from "../../../components/app/RestoredNotice";
import { FlashNotice } from "../../../components/app/FlashNotice";
import { MailTemplatesSettings } from "./MailTemplatesSettings";
import { ReminderSettingsForm } from "./ReminderSettingsForm";
import { CompanyLogo } from "./CompanyLogo";

/**
 * What the company's invoices state, as the owner sets it: its identity and logo, payment terms,
 * penalties and discount, bank account, and the option for paying VAT on services d'après les
 * débits. Invoices already issued keep what they were issued with. Below, the e-mails sent to customers.
 */
export function CompanySettings() {
  const data = useAppData();
  const { companyId, company } = data;
  const base = useMemo(() => (company ? companyForm(company) : undefined), [company]);
  const form = usePersistentForm<CompanyForm>(`${companyId}:company`, base);
  const { errors, setErrors, problem, busy, submit } = useFormSubmit(companyFieldFor);

  const value = form.value;
  if (!company || !value) return <p class="muted">{t("loading")}</p>;

  function set<K extends keyof CompanyForm>(field: K, v: CompanyForm[K]) {
    form.set((c) => ({ ...c, [field]: v }));
    setErrors((e) => withoutField(e, field));
  }
  const text = (field: keyof Omit<CompanyForm, "vatOnDebits" | "paymentTermsEndOfMonth">) => ({ value: value[field] ?? "", onInput: (v: string) => set(field, v), error: errors[field] });

  async function save(event: Event) {
    event.preventDefault();
    if (!value) return;
    await submit(companyPatch(value), async ({ patch }) => {
      const saved = await api("updateCompany", companyId, patch);
      await form.accept(companyForm(saved));
      await data.refresh("company");
      data.setFlash(t("appCompanySaved"));
    });
  }

  const debitsMessage = errors.vatOnDebits ?? t("appVatOnDebitsHint");
  return (
    <>
      <form class="stack editor" onSubmit={save} aria-labelledby="company-title" noValidate>
        <div class="screen-head">
          <h1 id="company-title">{t("appCompanyTitle")}</h1>
          <p class="muted">{company.name}</p>
        </div>
        <FlashNotice />
        {form.restored ? <RestoredNotice saved onDiscard={() => void form.discard().then(() => setErrors({}))} /> : null}
        {problem ? (
          <Notice kind="error" testId="form-problem">
            {problem}
          </Notice>
        ) : null}
        <fieldset class="grid-2">
          <legend>{t("appIdentity")}</legend>
          <TextInput class="span-2" label={t("appName")} required maxLength={200} autoComplete="organization" {...text("name")} />
          <TextInput class="span-2" label={t("appAddressLine1")} required maxLength={200} autoComplete="address-line1" {...text("line1")} />
          <TextInput class="span-2" label={t("appAddressLine2")} maxLength={200} autoComplete="address-line2" {...text("line2")} />
          <TextInput label={t("appPostalCode")} maxLength={20} autoComplete="postal-code" {...text("postalCode")} />
          <TextInput label={t("appCity")} maxLength={100} autoComplete="address-level2" {...text("city")} />
          <TextInput label={t("appCountry")} maxLength={2} hint={t("appCountryHint")} {...text("country")} />
          <TextInput label={t("appPhone")} maxLength={40} autoComplete="tel" {...text("phone")} />
          <TextInput label={t("email")} type="email" inputMode="email" maxLength={254} autoComplete="email" {...text("email")} />
          <TextInput label={t("appLegalForm")} maxLength={60} {...text("legalForm")} />
          <TextInput label={t("appCapital")} maxLength={60} {...text("capital")} />
          <TextInput label={t("appRcsCity")} maxLength={100} {...text("rcsCity")} />
          <TextInput label={t("appRmDepartment")} maxLength={3} hint={t("appRmDepartmentHint")} {...text("rmDepartment")} />
          <TextInput label={t("appApeCode")} maxLength={8} hint={t("appApeCodeHint")} {...text("apeCode")} />
        </fieldset>
        <fieldset class="grid-2">
          <legend>{t("appCompanyMentions")}</legend>
          <p class="muted span-2">{t("appCompanyMentionsHint")}</p>
          <div class="field checkbox-field span-2">
            <input
              type="checkbox"
              id="vat-on-debits"
              checked={value.vatOnDebits}
              onChange={(e) => set("vatOnDebits", e.currentTarget.checked)}
              aria-describedby="vat-on-debits-message"
              aria-invalid={errors.vatOnDebits ? true : undefined}
            />
            <div>
              <label for="vat-on-debits">{t("appVatOnDebits")}</label>
              <p class={errors.vatOnDebits ? "field-error" : "field-hint"} id="vat-on-debits-message">
                {debitsMessage}
              </p>
            </div>
          </div>
          <TextInput label={t("appPaymentTermsDays")} inputMode="numeric" maxLength={3} hint={t("appPaymentTermsHint")} {...text("paymentTermsDays")} />
          <div class="field checkbox-field">
            <input
              type="checkbox"
              id="terms-end-of-month"
              checked={value.paymentTermsEndOfMonth ?? false}
              onChange={(e) => set("paymentTermsEndOfMonth", e.currentTarget.checked)}
            />
            <div>
              <label for="terms-end-of-month">{t("appPaymentTermsEndOfMonth")}</label>
              <p class="field-hint">{t("appPaymentTermsEndOfMonthHint")}</p>
            </div>
          </div>
          <TextInput label={t("appIban")} maxLength={42} {...text("iban")} />
          <TextInput label={t("appBic")} maxLength={14} {...text("bic")} />
          <TextInput label={t("appLatePenaltyRate")} maxLength={200} hint={t("appLatePenaltyHint")} {...text("latePenaltyRate")} />
          <TextInput label={t("appEarlyPaymentDiscount")} maxLength={200} hint={t("appEarlyPaymentHint")} {...text("earlyPaymentDiscount")} />
        </fieldset>
        <div class="form-actions">
          <button type="submit" class="button primary" disabled={busy}>
            {busy ? t("appSaving") : t("save")}
          </button>
          <span class="save-state muted" role="status">
            {form.dirty ? t("appUnsaved") : ""}
          </span>
        </div>
      </form>
      <CompanyLogo />
      <MailTemplatesSettings />
      <ReminderSettingsForm />
    </>
  );
}
