import { describe, expect, it } from "vitest";
import { DEFAULT_MAIL_TEMPLATES, fillTemplate, MAIL_PLACEHOLDERS, placeholderValues, unknownPlaceholders } from "../src/mail-templates.js";
import { InvoiceSendingInput, MailTemplateInput } from "../src/invoice-mail.js";

const values = placeholderValues({
  number: "F-2026-0042",
  ttcCents: 123456,
  issueDate: "2026-11-02",
  dueDate: "2026-12-02",
  companyName: "Atelier Dupont",
  customerName: "Boulangerie Martin",
  creditedNumber: null,
});

describe("e-mail templates", () => {
  it("fill every placeholder with the document's fr-FR values", () => {
    expect(fillTemplate("{number} {amount} {issueDate} {dueDate} {company} {customer} [{creditedNumber}]", values)).toBe(
      "F-2026-0042 1\u202f234,56\u00a0€ 02/11/2026 02/12/2026 Atelier Dupont Boulangerie Martin []",
    );
  });

  it("leave a name that is not a placeholder as typed, and name it", () => {
    expect(fillTemplate("{numero} {number} {}", values)).toBe("{numero} F-2026-0042 {}");
    expect(unknownPlaceholders("{numero} {number} {numero} {montant}")).toEqual(["numero", "montant"]);
  });

  it("defaults in French and English use only placeholders, and are valid templates", () => {
    for (const language of ["fr", "en"] as const) {
      for (const kind of ["invoice", "credit_note", "quote", "reminder_1", "reminder_2", "reminder_3"] as const) {
        const t = DEFAULT_MAIL_TEMPLATES[language][kind];
        expect(unknownPlaceholders(t.subject + t.body)).toEqual([]);
        expect(MailTemplateInput.safeParse(t).success).toBe(true);
      }
    }
    expect(MAIL_PLACEHOLDERS).toEqual(["number", "amount", "issueDate", "dueDate", "company", "customer", "creditedNumber", "amountDue", "daysLate", "penaltyRate", "validUntil"]);
  });
});

describe("a sending's recipients", () => {
  it("are addresses, trimmed and lower-cased; a bad or repeated one is named by its index", () => {
    expect(InvoiceSendingInput.parse({ to: [" A@B.fr "], subject: "s", message: "m" }).to).toEqual(["a@b.fr"]);
    const bad = InvoiceSendingInput.safeParse({ to: ["a@b.fr", "nope", "A@b.fr"], subject: "s", message: "m" });
    expect(bad.success ? [] : bad.error.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["to.1", "must be an e-mail address"],
      ["to.2", "is already a recipient"],
    ]);
    const twice = InvoiceSendingInput.safeParse({ to: ["a@b.fr", "c@d.fr", "A@b.fr"], subject: "s", message: "m" });
    expect(twice.success ? [] : twice.error.issues.map((i) => [i.path.join("."), i.message])).toEqual([["to.2", "is already a recipient"]]);
  });
});
