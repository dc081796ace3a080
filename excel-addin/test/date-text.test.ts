import { describe, expect, it } from "vitest";
import { dateText, parseDateText } from "../src/taskpane/date-text.js";

describe("dates typed in the pane (jj/mm/aaaa)", () => {
  it("reads French dates, with or without leading zeros, and ISO dates pasted from elsewhere", () => {
    expect(parseDateText("31/03/2026")).toBe("2026-03-31");
    expect(parseDateText(" 1/7/2026 ")).toBe("2026-07-01");
    expect(parseDateText("01.07.2026")).toBe("2026-07-01");
    expect(parseDateText("31122025")).toBe("2025-12-31");
    expect(parseDateText("2026-03-31")).toBe("2026-03-31");
    expect(parseDateText("29/02/2028")).toBe("2028-02-29");
  });

  it("refuses what is not a day of the calendar, and the month-first order", () => {
    for (const text of ["", "31/02/2026", "29/02/2026", "12/31/2026", "31/03/26", "2026-3-31", "31/03/2026 10:00", "aujourd'hui"]) {
      expect(parseDateText(text), text).toBeNull();
    }
  });

  it("shows a date as jj/mm/aaaa", () => {
    expect(dateText("2026-03-31")).toBe("31/03/2026");
    expect(dateText("")).toBe("");
  });
});
