import { describe, expect, it } from "vitest";
import { periodLabel, periodSheetName } from "../src/excel/period-names.js";

describe("a second table of the same company is named after its period", () => {
  it("names years, quarters, months and fiscal years as an accountant says them", () => {
    expect(periodLabel("2026-01-01", "2026-12-31", "fr")).toBe("2026");
    expect(periodLabel("2026-01-01", "2026-03-31", "fr")).toBe("T1 2026");
    expect(periodLabel("2026-10-01", "2026-12-31", "en")).toBe("Q4 2026");
    expect(periodLabel("2026-03-01", "2026-03-31", "fr")).toBe("mars 2026");
    expect(periodLabel("2028-02-01", "2028-02-29", "fr")).toBe("févr. 2028");
    expect(periodLabel("2025-07-01", "2026-06-30", "fr")).toBe("2025-2026");
    expect(periodLabel("2026-02-01", "2026-04-30", "fr")).toBe("01.02-30.04.26");
    expect(periodLabel("2026-01-15", "2026-03-31", "fr")).toBe("15.01-31.03.26");
    expect(periodLabel("2025-12-15", "2026-01-15", "fr")).toBe("15.12.25-15.01.26");
  });

  it("keeps the period whole and shortens the company's name to fit Excel's 31 characters", () => {
    expect(periodSheetName("Maison Lumière SARL", "journal", "2026-01-01", "2026-03-31", "fr")).toBe("Maison Lumière – Ventes T1 2026");
    expect(periodSheetName("Bio", "entries", "2026-03-01", "2026-03-31", "fr")).toBe("Bio – Écritures mars 2026");
    const long = periodSheetName("Société d'Exploitation des Établissements Durand", "journal", "2026-01-15", "2026-03-31", "fr");
    expect(long).toBe("Société – Ventes 15.01-31.03.26");
    expect(long.length).toBeLessThanOrEqual(31);
    expect(long).not.toMatch(/[[\]:*?/\\']/);
  });
});
