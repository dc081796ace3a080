/**
 * Bank details an invoice prints for payment by transfer: the IBAN (ISO 13616: country, two check
 * digits, then the account, whose length the country fixes; mod 97 of the rearranged number is 1)
 * and the BIC (ISO 9362: bank, country, place, optionally branch). Each rule says why it refuses.
 */

/** Length of the IBANs of each country of the SWIFT IBAN registry. */
export const IBAN_LENGTHS: Readonly<Record<string, number>> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28,
  CH: 21, CR: 22, CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18,
  FK: 18, FO: 18, FR: 27, GB: 22, GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22,
  IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30, KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20,
  LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27, MT: 31, MU: 30, NI: 28, NL: 18,
  NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33, SA: 24, SC: 31,
  SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29,
  VA: 22, VG: 24, XK: 20, YE: 30,
};

/** An IBAN as typed, without spaces, in capitals. */
export function compactIbanInput(value: string): string {
  return value.replace(/[\s-]+/g, "").toUpperCase();
}

/** ISO 7064 mod 97-10 over the IBAN moved to end with its country and check digits (letters as 10–35). */
function ibanMod97(iban: string): number {
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (const ch of rearranged) {
    const value = ch >= "A" ? ch.charCodeAt(0) - 55 : ch.charCodeAt(0) - 48;
    rest = (value > 9 ? rest * 100 + value : rest * 10 + value) % 97;
  }
  return rest;
}

/** Why an IBAN is refused, or null when it is a valid one. */
export function ibanProblem(value: string): string | null {
  const iban = compactIbanInput(value);
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]+$/.test(iban)) {
    return "must be an IBAN: 2 letters of country, 2 check digits, then the account in letters and digits, e.g. FR76 3000 6000 0112 3456 7890 189";
  }
  const country = iban.slice(0, 2);
  const length = IBAN_LENGTHS[country];
  if (length === undefined) return `must be an IBAN of a country that has them (${country} has none)`;
  if (iban.length !== length) return `must have ${length} characters for an IBAN of ${country} (it has ${iban.length})`;
  if (ibanMod97(iban) !== 1) return "has wrong check digits (ISO 13616 mod 97): a character is mistyped";
  return null;
}

/** A valid IBAN as it is printed: groups of four characters. */
export function formatIban(value: string): string {
  return compactIbanInput(value).replace(/(.{4})(?=.)/g, "$1 ");
}

/** Why a BIC is refused, or null: 8 or 11 characters, bank (4 letters), country (2), place (2), branch (3). */
export function bicProblem(value: string): string | null {
  const bic = value.replace(/\s+/g, "").toUpperCase();
  if (!/^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/.test(bic)) {
    return "must be a BIC of 8 or 11 characters: 4 letters for the bank, 2 for the country, 2 letters or digits for the place, optionally 3 for the branch, e.g. BNPAFRPP or BNPAFRPPXXX";
  }
  return null;
}
