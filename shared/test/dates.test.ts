import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { addDays, compactDate, daysInMonth, isIsoDate, todayIn } from "../src/dates.js";

describe("isIsoDate: real calendar dates written YYYY-MM-DD", () => {
  it.each(["2026-01-01", "2026-12-31", "2024-02-29", "2000-02-29", "2026-02-28", "2026-04-30", "1900-01-01", "2999-12-31"])(
    "accepts %s",
    (date) => {
      expect(isIsoDate(date)).toBe(true);
    },
  );

  it.each([
    ["2026-02-30", "no 30 February"],
    ["2026-13-01", "no month 13"],
    ["2026-00-10", "no month 0"],
    ["2026-01-00", "no day 0"],
    ["2026-04-31", "April has 30 days"],
    ["2025-02-29", "2025 is not a leap year"],
    ["1900-02-29", "1900 is not a leap year"],
    ["2026-1-01", "month not padded"],
    ["2026-01-1", "day not padded"],
    ["26-01-01", "two-digit year"],
    ["2026/01/01", "slashes"],
    ["01/02/2026", "French order"],
    ["20260101", "compact"],
    ["2026-01-01T00:00:00Z", "a timestamp"],
    [" 2026-01-01", "leading space"],
    ["", "empty"],
    ["1899-12-31", "before 1900"],
    ["3000-01-01", "after 2999"],
  ])("rejects %j (%s)", (date) => {
    expect(isIsoDate(date)).toBe(false);
  });

  it("daysInMonth knows leap years", () => {
    expect(daysInMonth(2024, 2)).toBe(29);
    expect(daysInMonth(2025, 2)).toBe(28);
    expect(daysInMonth(2000, 2)).toBe(29);
    expect(daysInMonth(2100, 2)).toBe(28);
    expect(daysInMonth(2026, 1)).toBe(31);
    expect(daysInMonth(2026, 4)).toBe(30);
    expect(daysInMonth(2026, 12)).toBe(31);
  });

  it("property: agrees with the Date round-trip for every day of 1900–2999", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1900, max: 2999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        (y, m, d) => {
          const text = `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
          const roundTrip = new Date(Date.UTC(y, m - 1, d)).toISOString().slice(0, 10);
          expect(isIsoDate(text)).toBe(roundTrip === text);
        },
      ),
    );
  });
});

describe("addDays: calendar arithmetic across months and years", () => {
  it.each([
    ["2026-01-31", 1, "2026-02-01"],
    ["2026-02-28", 1, "2026-03-01"],
    ["2024-02-28", 1, "2024-02-29"],
    ["2024-02-29", 1, "2024-03-01"],
    ["2026-12-31", 1, "2027-01-01"],
    ["2026-01-01", -1, "2025-12-31"],
    ["2026-03-01", -1, "2026-02-28"],
    ["2026-01-15", 30, "2026-02-14"],
    ["2026-03-09", 30, "2026-04-08"],
    ["2026-03-28", 2, "2026-03-30"], // across the spring DST change in Paris: UTC arithmetic is unaffected
    ["2026-10-24", 2, "2026-10-26"],
    ["2026-01-01", 365, "2027-01-01"],
    ["2024-01-01", 366, "2025-01-01"],
    ["2026-06-15", 0, "2026-06-15"],
  ])("%s + %i days = %s", (date, days, expected) => {
    expect(addDays(date, days)).toBe(expected);
  });

  it("property: adding n then −n days returns the date", () => {
    fc.assert(
      fc.property(fc.date({ min: new Date("1950-01-01T00:00:00Z"), max: new Date("2900-01-01T00:00:00Z"), noInvalidDate: true }), fc.integer({ min: -3650, max: 3650 }), (date, n) => {
        const iso = date.toISOString().slice(0, 10);
        expect(addDays(addDays(iso, n), -n)).toBe(iso);
        expect(isIsoDate(addDays(iso, n))).toBe(true);
      }),
    );
  });
});

describe("compactDate and todayIn", () => {
  it("compactDate writes FEC dates YYYYMMDD", () => {
    expect(compactDate("2026-03-09")).toBe("20260309");
    expect(compactDate("2026-3-9")).toBe("202639");
    expect(compactDate("2024-12-31")).toBe("20241231");
  });

  it("todayIn gives the calendar date in the company's time zone", () => {
    const lateEvening = new Date("2026-03-08T23:30:00Z");
    expect(todayIn("UTC", lateEvening)).toBe("2026-03-08");
    expect(todayIn("Europe/Paris", lateEvening)).toBe("2026-03-09"); // UTC+1 in March before the DST change
    expect(todayIn("Europe/Paris", new Date("2026-07-01T21:59:59Z"))).toBe("2026-07-01"); // UTC+2
    expect(todayIn("Europe/Paris", new Date("2026-07-01T22:00:00Z"))).toBe("2026-07-02");
    expect(todayIn("America/Martinique", new Date("2026-01-01T02:00:00Z"))).toBe("2025-12-31"); // UTC−4
  });
});
