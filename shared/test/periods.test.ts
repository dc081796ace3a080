import { describe, expect, it } from "vitest";
import { ROLLING_PERIODS, rollingPeriodRange } from "../src/periods.js";

describe("rolling periods", () => {
  it("on 15 January 2027, with a fiscal year from 1 January, every period and its dates", () => {
    expect(Object.fromEntries(ROLLING_PERIODS.map((p) => [p, rollingPeriodRange(p, "2027-01-15", "01-01")]))).toEqual({
      current_month: { from: "2027-01-01", to: "2027-01-31" },
      previous_month: { from: "2026-12-01", to: "2026-12-31" },
      current_quarter: { from: "2027-01-01", to: "2027-03-31" },
      previous_quarter: { from: "2026-10-01", to: "2026-12-31" },
      current_fiscal_year: { from: "2027-01-01", to: "2027-12-31" },
      previous_fiscal_year: { from: "2026-01-01", to: "2026-12-31" },
    });
  });

  it("a fiscal year from 1 July: on 30 June it is the year that began the July before, on 1 July the new one", () => {
    expect(rollingPeriodRange("current_fiscal_year", "2026-06-30", "07-01")).toEqual({ from: "2025-07-01", to: "2026-06-30" });
    expect(rollingPeriodRange("current_fiscal_year", "2026-07-01", "07-01")).toEqual({ from: "2026-07-01", to: "2027-06-30" });
    expect(rollingPeriodRange("previous_fiscal_year", "2026-07-01", "07-01")).toEqual({ from: "2025-07-01", to: "2026-06-30" });
  });

  it("February has its leap day in 2028 and not in 2027", () => {
    expect(rollingPeriodRange("previous_month", "2028-03-10", "01-01")).toEqual({ from: "2028-02-01", to: "2028-02-29" });
    expect(rollingPeriodRange("current_month", "2027-02-01", "01-01")).toEqual({ from: "2027-02-01", to: "2027-02-28" });
  });
});
