import { describe, expect, it } from "vitest";
import { daysLate, monthBounds, monthOf, monthsEnding } from "../src/standing.js";

describe("the calendar of the home screen's figures", () => {
  it("a month runs from its first to its last day, February of a leap year included", () => {
    expect(monthBounds("2026-11")).toEqual({ from: "2026-11-01", to: "2026-11-30" });
    expect(monthBounds("2028-02")).toEqual({ from: "2028-02-01", to: "2028-02-29" });
    expect(monthOf("2026-12-31")).toBe("2026-12");
  });

  it("the 12 months ending with a month cross the year boundary, oldest first", () => {
    expect(monthsEnding("2026-02", 12)).toEqual([
      "2025-03", "2025-04", "2025-05", "2025-06", "2025-07", "2025-08", "2025-09", "2025-10", "2025-11", "2025-12", "2026-01", "2026-02",
    ]);
  });

  it("an invoice is 1 day late the day after its due date, across a daylight-saving change", () => {
    expect(daysLate("2026-11-19", "2026-11-20")).toBe(1);
    expect(daysLate("2026-03-28", "2026-03-30")).toBe(2);
    expect(daysLate("2025-12-31", "2026-03-01")).toBe(60);
  });
});
