/** The customer form: identifiers checked as they are typed (accounting.md §6), the API's input built from the fields. */
import type { Customer, CustomerInput, CustomerPatch } from "@passerelle/shared";
import { frenchVatNumber, isPlausibleVatNumber, isValidFrenchVatNumber, isValidSiren } from "@passerelle/shared/identifiers";
import { t } from "../i18n";

export interface CustomerForm {
  name: string;
  siren: string;
  vatNumber: string;
  email: string;
  line1: string;
  line2: string;
  postalCode: string;
  city: string;
  country: string;
  category: string;
}

export const emptyCustomer = (): CustomerForm => ({
  name: "",
  siren: "",
  vatNumber: "",
  email: "",
  line1: "",
  line2: "",
  postalCode: "",
  city: "",
  country: "FR",
  category: "",
});

export function customerForm(c: Customer): CustomerForm {
  return {
    name: c.name,
    siren: c.siren ?? "",
    vatNumber: c.vatNumber ?? "",
    email: c.email ?? "",
    line1: c.address.line1,
    line2: c.address.line2 ?? "",
    postalCode: c.address.postalCode,
    city: c.address.city,
    country: c.address.country,
    category: c.category ?? "",
  };
}

export const compactSiren = (value: string) => value.replace(/[\s.\u00a0]/g, "");
export const compactVatNumber = (value: string) => value.replace(/[\s.\u00a0]/g, "").toUpperCase();

export type Check = { state: "empty" } | { state: "typing"; message: string } | { state: "valid"; message: string } | { state: "invalid"; message: string };

/** The SIREN as it is typed: 9 digits whose last one is the Luhn check digit. */
export function checkSiren(value: string): Check {
  const siren = compactSiren(value);
  if (!siren) return { state: "empty" };
  if (!/^\d*$/.test(siren)) return { state: "invalid", message: t("appSirenDigits") };
  if (siren.length < 9) return { state: "typing", message: t("appSirenCount", siren.length) };
  if (siren.length > 9) return { state: "invalid", message: t("appSirenDigits") };
  return isValidSiren(siren) ? { state: "valid", message: t("appSirenValid") } : { state: "invalid", message: t("appSirenLuhn") };
}

/** A VAT number: French ones by their key (FR + key + SIREN), others by shape. */
export function checkVatNumber(value: string, siren: string): Check {
  const vat = compactVatNumber(value);
  if (!vat) return { state: "empty" };
  if (vat.startsWith("FR")) {
    if (!/^FR\d{0,11}$/.test(vat)) return { state: "invalid", message: t("appVatFrenchShape") };
    if (vat.length < 13) return { state: "typing", message: t("appVatFrenchShape") };
    if (!isValidFrenchVatNumber(vat)) {
      const inner = vat.slice(4);
      return { state: "invalid", message: isValidSiren(inner) ? t("appVatKeyWrong", frenchVatNumber(inner).slice(2, 4)) : t("appVatSirenWrong") };
    }
    const own = compactSiren(siren);
    if (isValidSiren(own) && !vat.endsWith(own)) return { state: "invalid", message: t("appVatOtherSiren") };
    return { state: "valid", message: t("appVatValid") };
  }
  return isPlausibleVatNumber(vat) ? { state: "valid", message: t("appVatShapeOk") } : { state: "invalid", message: t("appVatShape") };
}

/** The French VAT number a valid SIREN implies, to offer when the field is empty. */
export function suggestedVatNumber(siren: string): string | null {
  const s = compactSiren(siren);
  return isValidSiren(s) ? frenchVatNumber(s) : null;
}

export type CustomerCheck = { ok: true; input: CustomerInput } | { ok: false; fields: Record<string, string> };

/** The fields the owner may send; an optional field left empty is absent. */
export function customerInput(form: CustomerForm): CustomerCheck {
  const fields: Record<string, string> = {};
  if (!form.name.trim()) fields.name = t("appRuleRequired");
  const siren = checkSiren(form.siren);
  if (siren.state === "typing" || siren.state === "invalid") fields.siren = siren.message;
  const vat = checkVatNumber(form.vatNumber, form.siren);
  if (vat.state === "typing" || vat.state === "invalid") fields.vatNumber = vat.message;
  if (form.email.trim() && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(form.email.trim())) fields.email = t("appRuleEmail");
  if (!form.line1.trim()) fields["address.line1"] = t("appRuleRequired");
  if (!/^[A-Za-z]{2}$/.test(form.country.trim())) fields["address.country"] = t("appCountryCode");
  if (Object.keys(fields).length > 0) return { ok: false, fields };
  const optional = (v: string) => (v.trim() ? v.trim() : undefined);
  return {
    ok: true,
    input: {
      name: form.name.trim(),
      siren: siren.state === "valid" ? compactSiren(form.siren) : undefined,
      vatNumber: vat.state === "valid" ? compactVatNumber(form.vatNumber) : undefined,
      email: optional(form.email),
      address: {
        line1: form.line1.trim(),
        line2: optional(form.line2),
        postalCode: form.postalCode.trim(),
        city: form.city.trim(),
        country: form.country.trim().toUpperCase(),
      },
      category: optional(form.category),
    },
  };
}

/**
 * The same fields as PATCH takes them. The form shows every field, so one left empty is cleared:
 * it is sent as null (an absent field would keep its old value). The code, once given, stays.
 */
export function customerPatch(input: CustomerInput): CustomerPatch {
  const { code: _code, address, ...fields } = input;
  return {
    ...fields,
    siren: fields.siren ?? null,
    vatNumber: fields.vatNumber ?? null,
    email: fields.email ?? null,
    category: fields.category ?? null,
    address: typeof address === "string" ? address : { ...address, line2: address.line2 ?? null },
  };
}

/** API paths of the customer endpoints → the form's keys. */
export function customerFieldFor(path: string): string | null {
  if (path === "address") return "address.line1";
  if (path.startsWith("address.")) return ["address.line1", "address.line2", "address.postalCode", "address.city", "address.country"].includes(path) ? path : "address.line1";
  return ["name", "siren", "vatNumber", "email", "category"].includes(path) ? path : null;
}
