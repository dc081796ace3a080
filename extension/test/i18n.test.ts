import { describe, expect, it } from "vitest";
import { t } from "../lib/i18n";
import { catalogs } from "./i18n-fake";

const placeholdersOf = (entry: { message: string }) => [...entry.message.matchAll(/\$([A-Z0-9]+)\$/g)].map((m) => m[1]).sort();

describe("locales", () => {
  it("French and English say the same things, with the same placeholders", () => {
    expect(Object.keys(catalogs.en).sort()).toEqual(Object.keys(catalogs.fr).sort());
    for (const [key, fr] of Object.entries(catalogs.fr)) {
      expect([key, placeholdersOf(catalogs.en[key]!)]).toEqual([key, placeholdersOf(fr)]);
    }
  });

  it("fits the stores' limits for the name and description", () => {
    for (const catalog of Object.values(catalogs)) {
      expect(catalog.extName!.message.length).toBeLessThanOrEqual(75);
      expect(catalog.extDescription!.message.length).toBeLessThanOrEqual(132);
    }
  });

  it("says one thing one way, in French as it is written", () => {
    // The status filter and the status pill name the same state alike.
    expect([t("appStatusIssued"), t("stateUnpaid")]).toEqual(["Non payée", "Non payée"]);
    expect(t("appLockSoft")).toBe("verrou de votre comptable (rouvrable)");
    const everything = Object.values(catalogs.fr).map((m) => m.message).join("\n");
    expect(everything).not.toMatch(/réouvr/);
  });

  it("fills placeholders in order", () => {
    expect(t("inviteSent", "cabinet@exemple.fr", "27/11/2026")).toBe("Invitation envoyée à cabinet@exemple.fr, valable jusqu'au 27/11/2026.");
    expect(t("uploadFetchingPercent", 45)).toBe("Récupération du document… 45 %");
  });
});
