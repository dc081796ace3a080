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
