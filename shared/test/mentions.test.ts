import { describe, expect, it } from "vitest";
import { sellerLegalLine } from "../src/index.js";

const SELLER = { name: "Atelier SARL", siren: "853904811", vatNumber: "FR26853904811", legalForm: "SARL", capital: "10 000 €" };

describe("sellerLegalLine: the seller's registrations at the foot of every page", () => {
  it("an artisan's registration at the répertoire des métiers follows the SIREN, the APE code comes after", () => {
    expect(sellerLegalLine({ ...SELLER, rmDepartment: "69", apeCode: "43.32A" })).toBe(
      "Atelier SARL — SARL au capital de 10 000 € — SIREN 853 904 811 RM 69 — APE 43.32A — N° TVA FR26853904811",
    );
  });

  it("registered at both the RCS and the répertoire des métiers, the company states both", () => {
    expect(sellerLegalLine({ ...SELLER, rcsCity: "Lyon", rmDepartment: "2A" })).toBe(
      "Atelier SARL — SARL au capital de 10 000 € — RCS Lyon 853 904 811 — 853 904 811 RM 2A — N° TVA FR26853904811",
    );
  });

  it("without them the line is as it always was", () => {
    expect(sellerLegalLine({ ...SELLER, rcsCity: "Lyon" })).toBe("Atelier SARL — SARL au capital de 10 000 € — RCS Lyon 853 904 811 — N° TVA FR26853904811");
  });
});
