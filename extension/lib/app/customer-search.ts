/** Finding a customer as one types: name, code, e-mail, SIREN, VAT number, city or category, accents and case ignored. */
import type { Customer } from "@passerelle/shared";

const fold = (s: string) => s.normalize("NFD").replace(/\p{Diacritic}/gu, "").toLowerCase();

export function matchesCustomer(c: Customer, query: string): boolean {
  const q = fold(query.trim());
  if (!q) return true;
  return [c.name, c.code, c.email ?? "", c.siren ?? "", c.vatNumber ?? "", c.address.city, c.category ?? ""].some((v) => fold(v).includes(q));
}
