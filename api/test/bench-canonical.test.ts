/**
 * The benchmark generator writes the canonical JSON of its records with serializers specialised for
 * their fixed shapes. Hashes are only the real ones if those bytes are exactly what shared
 * `canonicalJson` gives for the same record, whatever the strings and numbers in it.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { canonicalJson } from "@passerelle/shared";
import { canonicalPayment } from "../src/services/chain.js";
import { activityJson, canonicalDocument, documentJson, paymentJson, summaries, type Doc, type Line } from "../bench/simulate.js";

const text = fc.oneof(
  fc.string(),
  fc.string({ unit: "binary" }), // any code point, lone surrogates included
  fc.constantFrom("", '"', "\\", "\n\t\u0000\u001f", "\u2028\u2029", "\ud800", "Travaux sur mesure n° 3", "Collectivités", "😀", "</script>"),
);
const nullableText = fc.option(text, { nil: null });
const cents = fc.oneof(fc.integer({ min: -99_999_999_999, max: 99_999_999_999 }), fc.constantFrom(0, -0, 1, -1));
const json: fc.Arbitrary<unknown> = fc.jsonValue();

const line: fc.Arbitrary<Line> = fc.record({
  id: text,
  position: fc.integer({ min: 1, max: 500 }),
  productId: nullableText,
  description: text,
  quantity: text,
  unitPriceCents: cents,
  vatRateBp: fc.integer({ min: 0, max: 10_000 }),
  discountCents: cents,
  kind: fc.constantFrom("goods", "services"),
  netCents: cents,
  creditedLineId: nullableText,
});

const doc: fc.Arbitrary<Doc> = fc
  .record({
    id: text,
    type: fc.constantFrom("invoice", "credit_note"),
    number: text,
    key: text,
    counter: fc.nat(),
    snapshot: fc.dictionary(text, json),
    customerId: text,
    issueDate: text,
    dueDate: text,
    creditedInvoiceId: nullableText,
    lines: fc.array(line, { maxLength: 6 }),
    htCents: cents,
    vatCents: cents,
    ttcCents: cents,
    byRate: fc.array(fc.record({ vatRateBp: fc.integer({ min: 0, max: 10_000 }), baseCents: cents, vatCents: cents }), { maxLength: 5 }),
  })
  .map((d) => ({
    id: d.id,
    type: d.type as Doc["type"],
    number: d.number,
    key: d.key,
    counter: d.counter,
    customer: { id: d.customerId, snapshot: d.snapshot, json: JSON.stringify(d.snapshot), canonical: canonicalJson(d.snapshot) },
    issueDate: d.issueDate,
    dueDate: d.dueDate,
    creditedInvoiceId: d.creditedInvoiceId,
    lines: d.lines,
    totals: { htCents: d.htCents, vatCents: d.vatCents, ttcCents: d.ttcCents, byRate: d.byRate },
    paidCents: 0,
    creditedCents: 0,
  }));

describe("the generator's canonical JSON", () => {
  it("of a document (invoice or credit note) is canonicalJson of the record the chain hashes", () => {
    fc.assert(
      fc.property(doc, text, fc.dictionary(text, json), (d, companyId, seller) => {
        expect(documentJson(d, companyId, canonicalJson(seller))).toBe(canonicalJson(canonicalDocument(d, companyId, seller)));
      }),
      { numRuns: 500 },
    );
  });

  it("of a payment is canonicalJson(canonicalPayment(…))", () => {
    fc.assert(
      fc.property(text, text, text, cents, text, text, (id, companyId, invoiceId, amountCents, date, method) => {
        expect(paymentJson({ id, companyId, invoiceId, amountCents, date, method })).toBe(
          canonicalJson(canonicalPayment({ id, company_id: companyId, invoice_id: invoiceId, amount_cents: amountCents, date, method, reference: null })),
        );
      }),
      { numRuns: 500 },
    );
  });

  it("of an activity row and of its before/after summaries is canonicalJson's", () => {
    const row = fc.record({
      company_id: text,
      seq: fc.nat(),
      at: text,
      actor_id: nullableText,
      action: text,
      record_kind: text,
      record_id: text,
      record_date: nullableText,
      before_json: nullableText,
      after_json: nullableText,
    });
    fc.assert(
      fc.property(row, (r) => {
        expect(activityJson(r)).toBe(canonicalJson(r));
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(text, text, fc.nat(), cents, text, (a, b, n, amount, method) => {
        expect(summaries.draftCreated(a, n, amount)).toBe(canonicalJson({ customerId: a, lines: n, ttcCents: amount }));
        expect(summaries.draft).toBe(canonicalJson({ status: "draft" }));
        expect(summaries.issued(a, amount)).toBe(canonicalJson({ status: "issued", number: a, ttcCents: amount }));
        expect(summaries.payment(a, amount, method)).toBe(canonicalJson({ invoice: a, amountCents: amount, method }));
        expect(summaries.creditNote(a, b, amount)).toBe(canonicalJson({ number: a, creditedInvoice: b, ttcCents: amount }));
      }),
      { numRuns: 500 },
    );
  });

  it("refuses what canonicalJson refuses, and a rate total of another shape", () => {
    const base = fc.sample(doc, { numRuns: 1, seed: 7 })[0]!;
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const d = { ...base, totals: { ...base.totals, ttcCents: bad } };
      expect(() => canonicalJson(canonicalDocument(d, "c", {}))).toThrow(RangeError);
      expect(() => documentJson(d, "c", "{}")).toThrow(RangeError);
    }
    const extra = { ...base, totals: { ...base.totals, byRate: [{ vatRateBp: 2000, baseCents: 100, vatCents: 20, note: "x" } as never] } };
    expect(() => documentJson(extra, "c", "{}")).toThrow(/other fields/);
  });
});
