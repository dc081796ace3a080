/** Postal addresses: structured for e-invoices; a single free-text string is accepted and split. */
export interface Address {
  line1: string;
  line2?: string | undefined;
  postalCode: string;
  city: string;
  country: string; // ISO 3166-1 alpha-2
}

/** "12 rue de la Paix\n75002 Paris" or "12 rue de la Paix, 75002 Paris" → structured (France by default). */
export function addressFromText(text: string): Address {
  const parts = text.split(/\n|,/).map((p) => p.trim()).filter(Boolean);
  const last = parts.at(-1) ?? "";
  const match = /^(\d{5})\s+(.+)$/.exec(last);
  if (match && parts.length > 1) {
    const lines = parts.slice(0, -1);
    return { line1: lines[0]!, line2: lines.slice(1).join(", ") || undefined, postalCode: match[1]!, city: match[2]!, country: "FR" };
  }
  return { line1: parts.join(", "), postalCode: "", city: "", country: "FR" };
}

export function formatAddressLines(address: Address): string[] {
  const cityLine = [address.postalCode, address.city].filter(Boolean).join(" ");
  return [address.line1, address.line2, cityLine, address.country === "FR" ? undefined : address.country].filter(
    (l): l is string => Boolean(l),
  );
}
