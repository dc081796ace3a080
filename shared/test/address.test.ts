import { describe, it, expect } from "vitest";
import { addressFromText, formatAddressLines } from "../src/address.js";

describe("addressFromText: a free-text address is split into structured fields (France by default)", () => {
  it('"12 rue de la Paix, 75002 Paris" → line1, postal code, city, FR', () => {
    expect(addressFromText("12 rue de la Paix, 75002 Paris")).toEqual({
      line1: "12 rue de la Paix",
      line2: undefined,
      postalCode: "75002",
      city: "Paris",
      country: "FR",
    });
  });

  it("accepts new lines as separators and trims each part", () => {
    expect(addressFromText("  12 rue de la Paix \n 75002   Paris ")).toEqual({
      line1: "12 rue de la Paix",
      line2: undefined,
      postalCode: "75002",
      city: "Paris",
      country: "FR",
    });
  });

  it("keeps the middle parts as line2", () => {
    expect(addressFromText("Société X\nBâtiment B, 3e étage\n12 rue de la Paix\n75002 Paris")).toEqual({
      line1: "Société X",
      line2: "Bâtiment B, 3e étage, 12 rue de la Paix",
      postalCode: "75002",
      city: "Paris",
      country: "FR",
    });
  });

  it("keeps multi-word cities: 97200 Fort-de-France, 13001 Marseille 1er", () => {
    expect(addressFromText("1 place X, 97200 Fort-de-France")).toMatchObject({ postalCode: "97200", city: "Fort-de-France" });
    expect(addressFromText("1 place X, 13001 Marseille 1er")).toMatchObject({ postalCode: "13001", city: "Marseille 1er" });
  });

  it("without a trailing '<5 digits> <city>' everything goes to line1", () => {
    expect(addressFromText("Somewhere without postcode")).toEqual({ line1: "Somewhere without postcode", postalCode: "", city: "", country: "FR" });
    expect(addressFromText("75002 Paris")).toEqual({ line1: "75002 Paris", postalCode: "", city: "", country: "FR" });
    expect(addressFromText("1 Main St, London SW1A 1AA")).toMatchObject({ line1: "1 Main St, London SW1A 1AA", postalCode: "" });
  });
});

describe("formatAddressLines", () => {
  it("prints street, optional line2, postal code + city, and the country only when not FR", () => {
    expect(formatAddressLines(addressFromText("12 rue de la Paix, 75002 Paris"))).toEqual(["12 rue de la Paix", "75002 Paris"]);
    expect(formatAddressLines({ line1: "Rue Neuve 1", line2: "Boîte 3", postalCode: "1000", city: "Bruxelles", country: "BE" })).toEqual([
      "Rue Neuve 1",
      "Boîte 3",
      "1000 Bruxelles",
      "BE",
    ]);
  });
});
