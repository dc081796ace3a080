import { describe, it, expect } from "vitest";
import type { z } from "zod";
import {
  AddressInput,
  Cents,
  CompanyInput,
  CreditNoteInput,
  Email,
  FiscalYearStart,
  InvoiceDraftInput,
  IsoDate,
  PaymentInput,
  Quantity,
  VatNumber,
  VatRateBp,
} from "../src/schemas.js";

const draft = (line: Record<string, unknown> = {}, extra: Record<string, unknown> = {}) => ({
  customerId: "cus_1",
  lines: [{ description: "Conseil", quantity: "1", unitPriceCents: 1001, vatRateBp: 2000, ...line }],
  ...extra,
});

function issuePaths(result: z.ZodSafeParseResult<unknown>): (string | number)[][] {
  return result.success ? [] : result.error.issues.map((i) => i.path.map((p) => (typeof p === "symbol" ? String(p) : p)));
}

describe("InvoiceDraftInput", () => {
  it("accepts a valid draft", () => {
    const parsed = InvoiceDraftInput.parse(draft({}, { issueDate: "2026-03-09", vatExemption: "franchise" }));
    expect(parsed.lines[0]).toEqual({ description: "Conseil", quantity: "1", unitPriceCents: 1001, vatRateBp: 2000 });
  });

  it("is strict: rejects unknown fields at the top level and in lines (no mass assignment)", () => {
    const top = InvoiceDraftInput.safeParse(draft({}, { number: "F2026-00001" }));
    expect(top.success).toBe(false);
    expect(top.error?.issues[0]?.code).toBe("unrecognized_keys");
    const inLine = InvoiceDraftInput.safeParse(draft({ totalCents: 1 }));
    expect(inLine.success).toBe(false);
    expect(issuePaths(inLine)).toEqual([["lines", 0]]);
  });

  it("rejects a quantity with 5 decimals, an exponent, zero or a negative", () => {
    for (const quantity of ["1.00001", "1e3", "0", "-1", 0, -2, 1e-7]) {
      const result = InvoiceDraftInput.safeParse(draft({ quantity }));
      expect(result.success, String(quantity)).toBe(false);
      expect(issuePaths(result)).toEqual([["lines", 0, "quantity"]]);
    }
  });

  it("accepts a number quantity 2 and turns it into the string \"2\" (1.5 → \"1.5\")", () => {
    expect(InvoiceDraftInput.parse(draft({ quantity: 2 })).lines[0]!.quantity).toBe("2");
    expect(InvoiceDraftInput.parse(draft({ quantity: 1.5 })).lines[0]!.quantity).toBe("1.5");
    expect(Quantity.parse(0.0001)).toBe("0.0001");
  });

  it("rejects a float that is not a 4-decimal quantity (0.1 + 0.2)", () => {
    expect(Quantity.safeParse(0.1 + 0.2).success).toBe(false);
  });

  it("rejects a non-French VAT rate (1900) and a fractional one (5.5)", () => {
    expect(issuePaths(InvoiceDraftInput.safeParse(draft({ vatRateBp: 1900 })))).toEqual([["lines", 0, "vatRateBp"]]);
    expect(VatRateBp.safeParse(5.5).success).toBe(false);
    expect(VatRateBp.safeParse(550).success).toBe(true);
    expect(VatRateBp.safeParse(0).success).toBe(true);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 1.5, 10.01, -1, "100", 1e12])(
    "rejects %s as unit price cents",
    (unitPriceCents) => {
      const result = InvoiceDraftInput.safeParse(draft({ unitPriceCents }));
      expect(result.success).toBe(false);
      expect(issuePaths(result)).toEqual([["lines", 0, "unitPriceCents"]]);
    },
  );

  it.each([Number.NaN, Number.POSITIVE_INFINITY, 1.5])("Cents rejects %s", (value) => {
    expect(Cents.safeParse(value).success).toBe(false);
  });

  it("rejects a negative discount, an empty line list, and an impossible date", () => {
    expect(issuePaths(InvoiceDraftInput.safeParse(draft({ discountCents: -1 })))).toEqual([["lines", 0, "discountCents"]]);
    expect(issuePaths(InvoiceDraftInput.safeParse({ customerId: "c", lines: [] }))).toEqual([["lines"]]);
    expect(issuePaths(InvoiceDraftInput.safeParse(draft({}, { issueDate: "2026-02-30" })))).toEqual([["issueDate"]]);
    expect(IsoDate.safeParse("2024-02-29").success).toBe(true);
  });
});

describe("CompanyInput", () => {
  const company = (extra: Record<string, unknown> = {}) => ({
    name: "Michelin",
    siren: "732829320",
    address: "12 rue de la Paix, 75002 Paris",
    ...extra,
  });

  it("accepts a company and fills the defaults", () => {
    expect(CompanyInput.parse(company())).toMatchObject({ siren: "732829320", fiscalYearStart: "01-01", paymentTermsDays: 30 });
  });

  it("rejects an invalid SIREN with the path [\"siren\"]", () => {
    const result = CompanyInput.safeParse(company({ siren: "732829321" }));
    expect(result.success).toBe(false);
    expect(issuePaths(result)).toEqual([["siren"]]);
  });

  it("normalises the VAT number and requires it to contain the company's SIREN", () => {
    expect(CompanyInput.parse(company({ vatNumber: "fr 44 732 829 320" })).vatNumber).toBe("FR44732829320");
    expect(issuePaths(CompanyInput.safeParse(company({ vatNumber: "FR96552100554" })))).toEqual([["vatNumber"]]);
    expect(issuePaths(CompanyInput.safeParse(company({ vatNumber: "FR45732829320" })))).toEqual([["vatNumber"]]);
    expect(VatNumber.parse("de 123456789")).toBe("DE123456789");
  });

  it("rejects unknown fields", () => {
    expect(CompanyInput.safeParse(company({ ownerId: "u1" })).success).toBe(false);
  });

  it("fiscal year start is a real MM-DD", () => {
    expect(FiscalYearStart.safeParse("07-01").success).toBe(true);
    expect(FiscalYearStart.safeParse("02-30").success).toBe(false);
    expect(FiscalYearStart.safeParse("13-01").success).toBe(false);
    expect(FiscalYearStart.safeParse("7-1").success).toBe(false);
  });
});

describe("Email, AddressInput, other inputs", () => {
  it("Email trims and lowercases", () => {
    expect(Email.parse("  Alice.Martin@Example.FR ")).toBe("alice.martin@example.fr");
    expect(Email.safeParse("not an email").success).toBe(false);
  });

  it("AddressInput accepts a free-text string or a strict object with FR as default country", () => {
    expect(AddressInput.parse("12 rue de la Paix, 75002 Paris")).toBe("12 rue de la Paix, 75002 Paris");
    expect(AddressInput.parse({ line1: "12 rue de la Paix", postalCode: "75002", city: "Paris" })).toEqual({
      line1: "12 rue de la Paix",
      postalCode: "75002",
      city: "Paris",
      country: "FR",
    });
    expect(AddressInput.safeParse({ line1: "x", postalCode: "1", city: "y", country: "fr" }).success).toBe(false);
    expect(AddressInput.safeParse({ line1: "x", postalCode: "1", city: "y", extra: 1 }).success).toBe(false);
    expect(AddressInput.safeParse("   ").success).toBe(false);
  });

  it("CreditNoteInput validates requested quantities like invoice quantities", () => {
    expect(CreditNoteInput.parse({ lines: [{ lineId: "l1", quantity: 1.5 }] }).lines).toEqual([{ lineId: "l1", quantity: "1.5" }]);
    expect(CreditNoteInput.safeParse({ lines: [{ lineId: "l1", quantity: "0" }] }).success).toBe(false);
    expect(CreditNoteInput.parse({})).toEqual({});
  });

  it("PaymentInput needs at least one cent", () => {
    const payment = { invoiceId: "inv_1", amountCents: 3604, date: "2026-03-09", method: "transfer" };
    expect(PaymentInput.safeParse(payment).success).toBe(true);
    expect(PaymentInput.safeParse({ ...payment, amountCents: 0 }).success).toBe(false);
    expect(PaymentInput.safeParse({ ...payment, amountCents: 36.04 }).success).toBe(false);
  });
});

describe("the date, period and address of the supply", () => {
  it("takes a real date, a period that does not end before it starts, and a complete address (France by default)", () => {
    const parsed = InvoiceDraftInput.parse(
      draft({}, { deliveryDate: "2026-10-28", servicePeriod: { from: "2026-10-01", to: "2026-10-31" }, deliveryAddress: { line1: " Chantier ", postalCode: "69003", city: "Lyon" } }),
    );
    expect(parsed.deliveryDate).toBe("2026-10-28");
    expect(parsed.servicePeriod).toEqual({ from: "2026-10-01", to: "2026-10-31" });
    expect(parsed.deliveryAddress).toEqual({ line1: "Chantier", postalCode: "69003", city: "Lyon", country: "FR" });
  });

  it("names the field and the rule of each refusal", () => {
    const errors = (extra: Record<string, unknown>) => {
      const r = InvoiceDraftInput.safeParse(draft({}, extra));
      return r.success ? [] : r.error.issues.map((i) => [i.path.join("."), i.message]);
    };
    expect(errors({ deliveryDate: "2026-02-30" })).toEqual([["deliveryDate", "must be a real calendar date written YYYY-MM-DD"]]);
    expect(errors({ deliveryDate: "1999-12-31" })).toEqual([["deliveryDate", "must be a date between 2000-01-01 and 2099-12-31"]]);
    expect(errors({ servicePeriod: { from: "2026-10-31", to: "2026-10-01" } })).toEqual([["servicePeriod.to", "must not end before it starts"]]);
    expect(errors({ deliveryAddress: { line1: "Chantier" } })).toEqual([
      ["deliveryAddress.postalCode", "is required: a delivery address needs its postal code"],
      ["deliveryAddress.city", "is required: a delivery address needs its city"],
    ]);
    expect(errors({ deliveryAddress: { line1: "Chantier", postalCode: "69003", city: "Lyon", country: "France" } })).toEqual([
      ["deliveryAddress.country", "must be an ISO 3166 alpha-2 country code, e.g. FR"],
    ]);
  });
});
