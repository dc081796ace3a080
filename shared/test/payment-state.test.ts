import { describe, expect, it } from "vitest";
import { paymentState } from "../src/payment-state.js";

const issued = { type: "invoice", status: "issued", dueDate: "2026-11-20", dueCents: 12000, creditedCents: 0 } as const;

describe("paymentState", () => {
  it("is unpaid on its due date and overdue the day after", () => {
    expect(paymentState(issued, "2026-11-20")).toBe("unpaid");
    expect(paymentState(issued, "2026-11-21")).toBe("overdue");
  });

  it("is overdue when partly paid past the due date, partially paid before it", () => {
    const partial = { ...issued, status: "partially_paid", dueCents: 2000 } as const;
    expect(paymentState(partial, "2026-11-21")).toBe("overdue");
    expect(paymentState(partial, "2026-11-19")).toBe("partially_paid");
  });

  it("is paid once the API says so, even long after the due date", () => {
    expect(paymentState({ ...issued, status: "paid", dueCents: 0 }, "2027-06-01")).toBe("paid");
  });

  it("is credited when credit notes leave nothing to pay", () => {
    expect(paymentState({ ...issued, dueCents: 0, creditedCents: 12000 }, "2027-06-01")).toBe("credited");
  });

  it("keeps drafts and credit notes out of the payment states", () => {
    expect(paymentState({ ...issued, status: "draft", dueDate: null, dueCents: 0 }, "2027-06-01")).toBe("draft");
    expect(paymentState({ ...issued, type: "credit_note", dueCents: 0 }, "2027-06-01")).toBe("credit_note");
  });

  it("is never overdue without a due date", () => {
    expect(paymentState({ ...issued, dueDate: null }, "2099-01-01")).toBe("unpaid");
  });
});
