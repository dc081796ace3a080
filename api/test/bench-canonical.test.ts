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
/**
 * What the simulation writes in fixed formats (ids, dates, numbers, quantities, enumerated values) is
 * printable ASCII without quote or backslash, and its serializers quote it without escaping; the
 * generator also checks every 512th record against canonicalJson as it runs.
 */
const plain = fc.stringMatching(/^[\x20\x21\x23-\x5b\x5d-\x7e]*$/);
const nullablePlain = fc.option(plain, { nil: null });
const cents = fc.oneof(fc.integer({ min: -99_999_999_999, max: 99_999_999_999 }), fc.constantFrom(0, -0, 1, -1));
const json: fc.Arbitrary<unknown> = fc.jsonValue();

const line: fc.Arbitrary<Line> = fc.record({
  id: plain,
  position: fc.integer({ min: 1, max: 500 }),
  productId: nullablePlain,
  description: text,
  quantity: plain,
  unitPriceCents: cents,
  vatRateBp: fc.integer({ min: 0, max: 10_000 }),
  discountCents: cents,
  kind: fc.constantFrom("goods", "services"),
  netCents: cents,
  creditedLineId: nullablePlain,
});

const doc: fc.Arbitrary<Doc> = fc
  .record({
    id: plain,
    type: fc.constantFrom("invoice", "credit_note"),
    number: plain,
    key: text,
    counter: fc.nat(),
    snapshot: fc.dictionary(text, json),
    customerId: text,
    issueDate: plain,
    dueDate: plain,
    creditedInvoiceId: nullablePlain,
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
    customer: { identityId: 1, id: d.customerId, snapshot: d.snapshot, canonical: canonicalJson(d.snapshot) },
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
      fc.property(doc, plain, fc.dictionary(text, json), (d, companyId, seller) => {
        expect(documentJson(d, companyId, canonicalJson(seller))).toBe(canonicalJson(canonicalDocument(d, companyId, seller)));
      }),
      { numRuns: 500 },
    );
  });

  it("of a payment is canonicalJson(canonicalPayment(…))", () => {
    fc.assert(
      fc.property(plain, plain, plain, cents, plain, plain, (id, companyId, invoiceId, amountCents, date, method) => {
        expect(paymentJson({ id, companyId, invoiceId, amountCents, date, method })).toBe(
          canonicalJson(canonicalPayment({ id, company_id: companyId, invoice_id: invoiceId, amount_cents: amountCents, date, method, reference: null })),
        );
      }),
      { numRuns: 500 },
    );
  });

  it("of an activity row and of its before/after summaries is canonicalJson's", () => {
    const row = fc.record({
      company_id: plain,
      seq: fc.nat(),
      at: plain,
      actor_id: nullablePlain,
      action: plain,
      record_kind: plain,
      record_id: plain,
      record_date: nullablePlain,
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
      fc.property(plain, plain, fc.nat(), cents, plain, (a, b, n, amount, method) => {
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
