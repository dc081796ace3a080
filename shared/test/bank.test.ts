import { describe, expect, it } from "vitest";
import { bicProblem, formatIban, ibanProblem } from "../src/bank.js";
import { dueDateFor, dueDateProblem, endOfMonth, latestLawfulDueDate, paymentTermsProblem } from "../src/payment-terms.js";

describe("IBAN (ISO 13616)", () => {
  it.each([
    ["FR76 3000 6000 0112 3456 7890 189", "France"],
    ["DE89 3704 0044 0532 0130 00", "Germany"],
    ["GB29 NWBK 6016 1331 9268 19", "United Kingdom"],
    ["BE68 5390 0754 7034", "Belgium"],
    ["NL91 ABNA 0417 1643 00", "Netherlands"],
    ["ES91 2100 0418 4502 0005 1332", "Spain"],
    ["IT60 X054 2811 1010 0000 0123 456", "Italy"],
    ["CH93 0076 2011 6238 5295 7", "Switzerland"],
    ["MC58 1122 2000 0101 2345 6789 030", "Monaco"],
    ["lu28 0019 4006 4475 0000", "Luxembourg, in small letters"],
  ])("accepts %s (%s)", (iban) => {
    expect(ibanProblem(iban)).toBeNull();
  });

  it("refuses a mistyped character, a wrong length for the country, a country without IBANs and what is no IBAN, saying which", () => {
    expect(ibanProblem("FR76 3000 6000 0112 3456 7890 188")).toBe("has wrong check digits (ISO 13616 mod 97): a character is mistyped");
    expect(ibanProblem("DE89 3704 0044 0532 0103 00")).toBe("has wrong check digits (ISO 13616 mod 97): a character is mistyped");
    expect(ibanProblem("FR76 3000 6000 0112 3456 7890 18")).toBe("must have 27 characters for an IBAN of FR (it has 26)");
    expect(ibanProblem("BE68 5390 0754 7034 1")).toBe("must have 16 characters for an IBAN of BE (it has 17)");
    expect(ibanProblem("US64 SVBK US6S 3300 9673 8637")).toBe("must be an IBAN of a country that has them (US has none)");
    expect(ibanProblem("3000 6000 0112 3456")).toMatch(/^must be an IBAN: 2 letters of country, 2 check digits/);
    expect(ibanProblem("FR76 3000 6000 0112 3456 7890 18é")).toMatch(/^must be an IBAN: /);
  });

  it("prints in groups of four", () => {
    expect(formatIban("fr7630006000011234567890189")).toBe("FR76 3000 6000 0112 3456 7890 189");
  });
});

describe("BIC (ISO 9362)", () => {
  it("takes 8 or 11 characters: bank, country, place, branch", () => {
    expect(["BNPAFRPP", "BNPAFRPPXXX", "AGRIFRPP882", "deutdeff"].map(bicProblem)).toEqual([null, null, null, null]);
    expect(["BNPAFRP", "BNPAFRPPXX", "BNP1FRPP", "BNPAF1PP"].every((b) => bicProblem(b)?.startsWith("must be a BIC of 8 or 11 characters"))).toBe(true);
  });
});

describe("payment terms (Code de commerce L441-10)", () => {
  it("company terms: 60 days at most, 45 days when they run to the end of the month", () => {
    expect(paymentTermsProblem(60, false)).toBeNull();
    expect(paymentTermsProblem(45, true)).toBeNull();
    expect(paymentTermsProblem(61, false)?.path).toBe("paymentTermsDays");
    expect(paymentTermsProblem(46, true)?.message).toBe("must be at most 45 days when the terms run to the end of the month (Code de commerce L441-10: 45 days end of month)");
  });

  it("due dates: N days, or N days end of month on the last day of that month", () => {
    expect(dueDateFor("2026-11-20", 30, false)).toBe("2026-12-20");
    expect(dueDateFor("2026-11-20", 45, true)).toBe("2027-01-31");
    expect(endOfMonth("2028-02-03")).toBe("2028-02-29");
  });

  it("the latest lawful due date is the later of 60 days and 45 days end of month (either reading); 90 days for an export sale", () => {
    // 2026-01-10: 60 days → 03-11; +45 then end of month → 02-28; end of month then +45 → 03-17
    expect(latestLawfulDueDate("2026-01-10")).toBe("2026-03-17");
    // 2026-01-31: 60 days → 04-01 is the latest
    expect(latestLawfulDueDate("2026-01-31")).toBe("2026-04-01");
    expect(latestLawfulDueDate("2026-11-10", true)).toBe("2027-02-08");
    expect(dueDateProblem("2026-01-10", "2026-03-17")).toBeNull();
    expect(dueDateProblem("2026-01-10", "2026-03-18")).toBe(
      "must be no later than 2026-03-17: at most 60 days after the issue date or 45 days end of month (Code de commerce L441-10); up to 90 days only for goods sold for export outside the EU (L441-12)",
    );
  });
});
