/** French company identifiers (accounting.md §6). */

function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/** SIREN: 9 digits with a Luhn check digit. */
export function isValidSiren(value: string): boolean {
  return /^\d{9}$/.test(value) && luhnValid(value);
}

/** SIRET: SIREN + 5-digit NIC, Luhn over the 14 digits. */
export function isValidSiret(value: string): boolean {
  return /^\d{14}$/.test(value) && luhnValid(value);
}

/** Key of a French VAT number: (12 + 3 × (SIREN mod 97)) mod 97, two digits. */
export function frenchVatKey(siren: string): string {
  const key = (12 + 3 * (Number(siren) % 97)) % 97;
  return String(key).padStart(2, "0");
}

/** `FR` + key + SIREN. */
export function frenchVatNumber(siren: string): string {
  return `FR${frenchVatKey(siren)}${siren}`;
}

/** A French VAT number is valid when its SIREN is and its key matches. */
export function isValidFrenchVatNumber(value: string): boolean {
  const match = /^FR(\d{2})(\d{9})$/.exec(value);
  if (!match) return false;
  const [, key, siren] = match;
  return isValidSiren(siren!) && frenchVatKey(siren!) === key;
}

/** Any EU VAT number: French ones are checked fully, others by shape only (no offline checksum for all states). */
export function isPlausibleVatNumber(value: string): boolean {
  if (value.startsWith("FR")) return isValidFrenchVatNumber(value);
  return /^[A-Z]{2}[0-9A-Z+*.]{2,13}$/.test(value);
}

/**
 * An APE code (the NAF rév. 2 activity INSEE assigns) written as INSEE prints it, `NN.NNL`:
 * "6201z", "62 01 Z" and "62.01Z" are all "62.01Z"; null when it is no such code.
 */
export function normalizeApeCode(value: string): string | null {
  const match = /^(\d{2})\.?(\d{2})([A-Z])$/.exec(value.replace(/\s+/g, "").toUpperCase());
  return match ? `${match[1]}.${match[2]}${match[3]}` : null;
}

/** A département an artisan is registered in at the répertoire des métiers: 01–95 (2A and 2B for Corsica), 971–976. */
export function isFrenchDepartment(value: string): boolean {
  return /^(0[1-9]|1\d|2[1-9AB]|[3-8]\d|9[0-5]|97[1-6])$/.test(value);
}
