import { describe, it, expect } from "vitest";
import fc from "fast-check";
import {
  frenchVatKey,
  isFrenchDepartment,
  normalizeApeCode,
  frenchVatNumber,
  isPlausibleVatNumber,
  isValidFrenchVatNumber,
  isValidSiren,
  isValidSiret,
} from "../src/identifiers.js";

/** Luhn check digit for `payload`, written independently: double every second digit from the right of the full number. */
function luhnCheckDigit(payload: string): string {
  const digits = [...payload].map(Number).reverse();
  let sum = 0;
  digits.forEach((d, i) => {
    // with the check digit appended, the payload's rightmost digit is in a doubled position
    const v = i % 2 === 0 ? d * 2 : d;
    sum += v > 9 ? v - 9 : v;
  });
  return String((10 - (sum % 10)) % 10);
}

const digitsArb = (n: number) => fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: n, maxLength: n });
const validSirenArb = digitsArb(8).map((p) => p + luhnCheckDigit(p));

describe("SIREN: 9 digits with a Luhn check digit (accounting.md §6)", () => {
  it.each(["732829320", "552100554", "443061841", "100000207"])("%s is valid", (siren) => {
    expect(isValidSiren(siren)).toBe(true);
  });

  it.each(["732829321", "732829322", "552100555", "443061840", "123456789", "732829302"])(
    "%s has a wrong check digit (or swapped digits)",
    (siren) => {
      expect(isValidSiren(siren)).toBe(false);
    },
  );

  it.each(["73282932", "7328293200", "", "73282932O", " 732829320", "732829320 ", "732 829 320", "-73282932", "７３２８２９３２０"])(
    "%j is refused: not exactly 9 ASCII digits",
    (value) => {
      expect(isValidSiren(value)).toBe(false);
    },
  );

  it("the test's own Luhn helper agrees with the known SIRENs", () => {
    expect(luhnCheckDigit("73282932")).toBe("0");
    expect(luhnCheckDigit("55210055")).toBe("4");
    expect(luhnCheckDigit("44306184")).toBe("1");
  });

  it("property: any 8 digits + their Luhn digit is a valid SIREN, and changing any one digit makes it invalid", () => {
    fc.assert(
      fc.property(validSirenArb, fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 9 }), (siren, position, delta) => {
        expect(isValidSiren(siren)).toBe(true);
        const changed = siren.slice(0, position) + String((Number(siren[position]) + delta) % 10) + siren.slice(position + 1);
        expect(isValidSiren(changed)).toBe(false);
      }),
    );
  });
});

describe("SIRET: SIREN + 5-digit NIC, Luhn over 14 digits", () => {
  it.each(["73282932000074", "55210055400013", "44306184100047"])("%s is valid", (siret) => {
    expect(isValidSiret(siret)).toBe(true);
  });

  it.each(["73282932000075", "44306184100048", "73282932000047", "7328293200007", "732829320000740", "732829320", "7328293200007A"])(
    "%s is invalid",
    (siret) => {
      expect(isValidSiret(siret)).toBe(false);
    },
  );

  it("property: a SIREN + NIC completed by a Luhn digit is a valid SIRET", () => {
    fc.assert(
      fc.property(digitsArb(13), (payload) => {
        expect(isValidSiret(payload + luhnCheckDigit(payload))).toBe(true);
      }),
    );
  });
});

describe("French VAT number: FR + key + SIREN, key = (12 + 3 × (SIREN mod 97)) mod 97", () => {
  it.each([
    ["732829320", "44"], // 732829320 mod 97 = 43; (12 + 129) mod 97 = 44
    ["552100554", "96"], // mod 97 = 28; 12 + 84 = 96
    ["443061841", "64"], // mod 97 = 82; (12 + 246) mod 97 = 64
    ["100000207", "03"], // a key below 10 is padded to two digits
    ["000000000", "12"],
  ])("frenchVatKey(%s) === %s", (siren, key) => {
    expect(frenchVatKey(siren)).toBe(key);
  });

  it("frenchVatNumber builds FR + key + SIREN", () => {
    expect(frenchVatNumber("732829320")).toBe("FR44732829320");
    expect(frenchVatNumber("552100554")).toBe("FR96552100554");
    expect(frenchVatNumber("100000207")).toBe("FR03100000207");
  });

  it.each(["FR44732829320", "FR96552100554", "FR64443061841", "FR03100000207"])("%s is valid", (vat) => {
    expect(isValidFrenchVatNumber(vat)).toBe(true);
  });

  it.each([
    ["FR45732829320", "wrong key"],
    ["FR43732829320", "wrong key"],
    ["FR3100000207", "key not padded"],
    ["FR44732829321", "invalid SIREN"],
    ["fr44732829320", "lower-case prefix"],
    ["FR 44 732829320", "spaces"],
    ["FR4473282932", "short"],
    ["FR447328293200", "long"],
    ["DE44732829320", "other country"],
    ["FRAB732829320", "letters in the key"],
    ["", "empty"],
  ])("%j is invalid (%s)", (vat) => {
    expect(isValidFrenchVatNumber(vat)).toBe(false);
  });

  it("property: for any valid SIREN, frenchVatNumber(siren) validates and its key matches the formula (BigInt)", () => {
    fc.assert(
      fc.property(validSirenArb, (siren) => {
        const vat = frenchVatNumber(siren);
        expect(isValidFrenchVatNumber(vat)).toBe(true);
        const key = (12n + 3n * (BigInt(siren) % 97n)) % 97n;
        expect(vat).toBe(`FR${key.toString().padStart(2, "0")}${siren}`);
      }),
    );
  });

  it("property: any other key is refused", () => {
    fc.assert(
      fc.property(validSirenArb, fc.integer({ min: 0, max: 99 }), (siren, key) => {
        const candidate = `FR${String(key).padStart(2, "0")}${siren}`;
        expect(isValidFrenchVatNumber(candidate)).toBe(candidate === frenchVatNumber(siren));
      }),
    );
  });
});

describe("isPlausibleVatNumber: French ones fully checked, others by shape", () => {
  it.each([
    ["FR44732829320", true],
    ["FR45732829320", false],
    ["DE123456789", true],
    ["BE0123456789", true],
    ["IT12345678901", true],
    ["ESX1234567X", true],
    ["NL123456789B01", true],
    ["D1", false],
    ["DE1", false],
    ["de123456789", false],
    ["DE 123456789", false],
    ["DE12345678901234", false],
    ["", false],
  ])("%j → %s", (value, plausible) => {
    expect(isPlausibleVatNumber(value)).toBe(plausible);
  });
});

describe("normalizeApeCode: INSEE's NN.NNL", () => {
  it.each([
    ["62.01Z", "62.01Z"],
    ["6201z", "62.01Z"],
    ["62 01 Z", "62.01Z"],
    ["43.32A", "43.32A"],
    ["620Z", null],
    ["62.011", null],
    ["62-01Z", null],
    ["", null],
  ])("%j → %j", (value, code) => {
    expect(normalizeApeCode(value)).toBe(code);
  });
});

describe("isFrenchDepartment: 01–95 with 2A and 2B, 971–976", () => {
  it.each([
    ["01", true],
    ["69", true],
    ["2A", true],
    ["2B", true],
    ["95", true],
    ["974", true],
    ["976", true],
    ["00", false],
    ["20", false],
    ["96", false],
    ["977", false],
    ["1", false],
    ["2a", false],
  ])("%j → %s", (value, valid) => {
    expect(isFrenchDepartment(value)).toBe(valid);
  });
});
