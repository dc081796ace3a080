import { describe, expect, it } from "vitest";
import { UNIT_KEYS, UNITS, unitCode, unitLabel } from "../src/units.js";
import { InvoiceLineInput } from "../src/schemas.js";

describe("units of a line (BT-130, UN/ECE Recommendation 20)", () => {
  it("map the units people write to their Rec 20 codes; a line without a unit counts ones (C62)", () => {
    expect(["hour", "day", "kg", "m2", "flat_rate", "piece", "unit"].map((u) => unitCode(u as never))).toEqual(["HUR", "DAY", "KGM", "MTK", "LS", "H87", "C62"]);
    expect(unitCode(null)).toBe("C62");
    expect(unitCode(undefined)).toBe("C62");
    expect(new Set(UNIT_KEYS.map((u) => UNITS[u].rec20)).size).toBe(UNIT_KEYS.length);
  });

  it("print in French, in the plural from 2 on (1,5 heure, 2 heures, 3 kg, 2 mois)", () => {
    expect(unitLabel("hour", "1.5")).toBe("heure");
    expect(unitLabel("hour", "2")).toBe("heures");
    expect(unitLabel("kg", "3")).toBe("kg");
    expect(unitLabel("month", "2")).toBe("mois");
    expect(unitLabel("m2", "6.25")).toBe("m²");
    expect(unitLabel("flat_rate", "1")).toBe("forfait");
    expect(unitLabel(null, "2")).toBe("");
  });

  it("are a closed list: anything else is refused naming the field", () => {
    expect(InvoiceLineInput.safeParse({ description: "Pose", quantity: "2", unit: "hour" }).success).toBe(true);
    const bad = InvoiceLineInput.safeParse({ description: "Pose", quantity: "2", unit: "heure" });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => [i.path.join("."), i.message])).toEqual([["unit", `must be one of ${UNIT_KEYS.join(", ")}`]]);
  });
});
