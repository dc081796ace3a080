import { describe, it, expect } from "vitest";
import fc from "fast-check";
import {
  creditLines,
  creditNoteTotals,
  formatScaledQuantity,
  gestureAmounts,
  gestureCredit,
  type CreditableLine,
  type CreditLine,
  type CreditResult,
} from "../src/credit.js";
import { lineNetCents, parseQuantity } from "../src/money.js";
import { invoiceTotals, type RateTotal } from "../src/totals.js";
import { FRENCH_VAT_RATES_BP } from "../src/vat.js";

function creditable(
  id: string,
  quantity: string,
  unitPriceCents: number,
  vatRateBp: number,
  discountCents = 0,
  credited: { quantity?: string; discountCents?: number; netCents?: number } = {},
): CreditableLine {
  return {
    id,
    productId: null,
    description: `line ${id}`,
    quantity,
    unitPriceCents,
    vatRateBp,
    discountCents,
    kind: "services",
    creditedQuantity: credited.quantity ?? "0",
    creditedDiscountCents: credited.discountCents ?? 0,
    creditedNetCents: credited.netCents ?? 0,
  };
}

function okLines(result: CreditResult): CreditLine[] {
  if (!result.ok) throw new Error(`expected ok, got ${result.path}: ${result.message}`);
  return result.lines;
}

describe("formatScaledQuantity", () => {
  it.each([
    [10_000n, "1"],
    [15_000n, "1.5"],
    [1n, "0.0001"],
    [12_345n, "1.2345"],
    [1_000_000n, "100"],
    [1_234_567_891_234n, "123456789.1234"],
  ])("%s → %s", (scaled, text) => {
    expect(formatScaledQuantity(scaled)).toBe(text);
    expect(parseQuantity(text)).toBe(scaled);
  });
});

describe("creditLines: a credit note never takes more than was invoiced", () => {
  const invoice = [
    creditable("l1", "1", 1001, 2000),
    creditable("l2", "1", 1001, 2000),
    creditable("l3", "1", 1001, 2000),
    creditable("l4", "2.5", 999, 1000, 150),
    creditable("l5", "0.3333", 1000, 550),
  ];

  it("a full credit (no request) reproduces exactly the invoice's totals", () => {
    const lines = okLines(creditLines(invoice));
    expect(lines.map((l) => l.creditedLineId)).toEqual(["l1", "l2", "l3", "l4", "l5"]);
    const original = invoiceTotals(invoice);
    expect(original).toEqual({
      htCents: 3003 + 2348 + 333,
      vatCents: 601 + 235 + 18,
      ttcCents: 5684 + 854,
      byRate: [
        { vatRateBp: 2000, baseCents: 3003, vatCents: 601 },
        { vatRateBp: 1000, baseCents: 2348, vatCents: 235 }, // 2497.5 → 2498 − 150 = 2348; 234.8 → 235
        { vatRateBp: 550, baseCents: 333, vatCents: 18 }, // 333.3 → 333; 18.315 → 18
      ],
    });
    expect(invoiceTotals(lines)).toEqual(original);
    expect(creditNoteTotals(lines, original.byRate)).toEqual(original);
  });

  it("a full credit copies each line: quantity, unit price, rate, discount, kind, product", () => {
    const [first, , , fourth] = okLines(creditLines(invoice));
    expect(first).toEqual({
      creditedLineId: "l1",
      productId: null,
      description: "line l1",
      quantity: "1",
      unitPriceCents: 1001,
      vatRateBp: 2000,
      discountCents: 0,
      kind: "services",
      unit: null,
    });
    expect(fourth).toMatchObject({ creditedLineId: "l4", quantity: "2.5", unitPriceCents: 999, discountCents: 150 });
  });

  it("a full credit takes only what remains of partly credited lines and skips fully credited ones", () => {
    const lines = okLines(
      creditLines([
        creditable("a", "3", 1000, 2000, 300, { quantity: "1", discountCents: 100, netCents: 900 }),
        creditable("b", "2", 500, 2000, 0, { quantity: "2", netCents: 1000 }),
      ]),
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ creditedLineId: "a", quantity: "2", discountCents: 200 });
  });

  it("partial credit by lines takes the requested lines in full", () => {
    const lines = okLines(creditLines(invoice, [{ lineId: "l4" }, { lineId: "l2" }]));
    expect(lines.map((l) => [l.creditedLineId, l.quantity, l.discountCents])).toEqual([
      ["l4", "2.5", 150],
      ["l2", "1", 0],
    ]);
    expect(invoiceTotals(lines)).toEqual({
      htCents: 3349,
      vatCents: 435,
      ttcCents: 3784,
      byRate: [
        { vatRateBp: 2000, baseCents: 1001, vatCents: 200 },
        { vatRateBp: 1000, baseCents: 2348, vatCents: 235 },
      ],
    });
  });

  it("a partial quantity prorates the discount, rounded half-up: 1 of 3 with 100 discount → 33", () => {
    const line = creditable("a", "3", 1000, 2000, 100);
    const [credit] = okLines(creditLines([line], [{ lineId: "a", quantity: "1" }]));
    expect(credit).toMatchObject({ quantity: "1", unitPriceCents: 1000, discountCents: 33 });
    expect(lineNetCents(credit!.quantity, credit!.unitPriceCents, credit!.discountCents)).toBe(967);
  });

  it("a partial quantity prorates the discount: 1.5 of 3 with 101 discount → 50.5 → 51", () => {
    const [credit] = okLines(creditLines([creditable("a", "3", 1000, 2000, 101)], [{ lineId: "a", quantity: "1.5" }]));
    expect(credit).toMatchObject({ quantity: "1.5", discountCents: 51 });
  });

  it("two partial credits that together take the whole line sum exactly to its quantity and discount", () => {
    const first = okLines(creditLines([creditable("a", "2.5", 1000, 2000, 101)], [{ lineId: "a", quantity: "1.25" }]))[0]!;
    expect(first).toMatchObject({ quantity: "1.25", discountCents: 51 }); // 50.5 → 51
    const second = okLines(
      creditLines([creditable("a", "2.5", 1000, 2000, 101, { quantity: first.quantity, discountCents: first.discountCents, netCents: 1199 })], [
        { lineId: "a", quantity: "1.25" },
      ]),
    )[0]!;
    expect(second).toMatchObject({ quantity: "1.25", discountCents: 50 }); // what remains, not 51 again
    expect(parseQuantity(first.quantity) + parseQuantity(second.quantity)).toBe(parseQuantity("2.5"));
    expect(first.discountCents + second.discountCents).toBe(101);
    const nets = [first, second].map((l) => lineNetCents(l.quantity, l.unitPriceCents, l.discountCents));
    expect(nets).toEqual([1199, 1200]);
    expect(nets[0]! + nets[1]!).toBe(lineNetCents("2.5", 1000, 101));
  });

  it("crediting the remainder without a quantity takes exactly what remains (quantity and discount)", () => {
    const [credit] = okLines(
      creditLines([creditable("a", "3", 1000, 2000, 100, { quantity: "1", discountCents: 33, netCents: 967 })], [{ lineId: "a" }]),
    );
    expect(credit).toMatchObject({ quantity: "2", discountCents: 67 });
  });

  it("rounding drift: two halves of 1 h at 10,01 € credit 5,01 € then 5,00 €, i.e. exactly 10,01 € (not 10,02 €)", () => {
    const first = okLines(creditLines([creditable("a", "1", 1001, 2000)], [{ lineId: "a", quantity: "0.5" }]))[0]!;
    expect(first).toMatchObject({ quantity: "0.5", discountCents: 0 });
    expect(lineNetCents(first.quantity, first.unitPriceCents, first.discountCents)).toBe(501); // 500.5 → 501
    const second = okLines(
      creditLines([creditable("a", "1", 1001, 2000, 0, { quantity: "0.5", netCents: 501 })], [{ lineId: "a", quantity: "0.5" }]),
    )[0]!;
    // its own gross is 501 too; one cent of discount keeps the credits within the invoiced 1001
    expect(second).toMatchObject({ quantity: "0.5", unitPriceCents: 1001, discountCents: 1 });
    expect(lineNetCents(second.quantity, second.unitPriceCents, second.discountCents)).toBe(500);
  });

  it("rounding drift: a partial credit never takes more than the line's remaining net (two halves of 0,01 €)", () => {
    const first = okLines(creditLines([creditable("a", "1", 1, 2000)], [{ lineId: "a", quantity: "0.5" }]))[0]!;
    expect(lineNetCents(first.quantity, first.unitPriceCents, first.discountCents)).toBe(1);
    const second = okLines(
      creditLines([creditable("a", "1", 1, 2000, 0, { quantity: "0.5", netCents: 1 })], [{ lineId: "a", quantity: "0.4" }]),
    )[0]!;
    expect(second).toMatchObject({ quantity: "0.4", discountCents: 0 }); // 0.4 → 0: nothing to cap
    const third = okLines(
      creditLines([creditable("a", "1", 1, 2000, 0, { quantity: "0.9", netCents: 1 })], [{ lineId: "a" }]),
    )[0]!;
    expect(third).toMatchObject({ quantity: "0.1", discountCents: 0 });
    expect(lineNetCents(third.quantity, third.unitPriceCents, third.discountCents)).toBe(0);
  });

  it("a fully discounted line never yields a negative credit line (prorated discount capped at the part's gross)", () => {
    // 0.7 × 0,04 € = 2.8 → 3 cents, discount 3: net 0. Half of it: gross 1.4 → 1, prorated discount 1.5 → 2.
    const [credit] = okLines(creditLines([creditable("a", "0.7", 4, 2000, 3)], [{ lineId: "a", quantity: "0.35" }]));
    expect(credit).toMatchObject({ quantity: "0.35", discountCents: 1 });
    expect(lineNetCents(credit!.quantity, credit!.unitPriceCents, credit!.discountCents)).toBe(0);
  });

  it("requesting more than remains is refused on lines.N.quantity", () => {
    const result = creditLines([creditable("a", "2", 1000, 2000, 0, { quantity: "1.5" })], [{ lineId: "a", quantity: "0.5001" }]);
    expect(result).toMatchObject({ ok: false, path: "lines.0.quantity" });
    expect(result.ok ? "" : result.message).toContain("0.5");
    expect(creditLines([creditable("a", "2", 1000, 2000)], [{ lineId: "a", quantity: "3" }])).toMatchObject({
      ok: false,
      path: "lines.0.quantity",
    });
  });

  it("the error path points at the offending request line", () => {
    const result = creditLines(invoice, [{ lineId: "l1" }, { lineId: "l5", quantity: "1" }]);
    expect(result).toMatchObject({ ok: false, path: "lines.1.quantity" });
  });

  it("a zero or malformed quantity is refused on lines.N.quantity, not thrown", () => {
    for (const quantity of ["0", "0.00", "-1", "1e2", "0.00001"]) {
      expect(creditLines(invoice, [{ lineId: "l4", quantity }])).toMatchObject({ ok: false, path: "lines.0.quantity" });
    }
  });

  it("an unknown lineId is refused on lines.N.lineId", () => {
    expect(creditLines(invoice, [{ lineId: "nope" }])).toMatchObject({ ok: false, path: "lines.0.lineId" });
    expect(creditLines(invoice, [{ lineId: "l1" }, { lineId: "nope" }])).toMatchObject({ ok: false, path: "lines.1.lineId" });
  });

  it("the same line twice in a request is refused", () => {
    expect(creditLines(invoice, [{ lineId: "l1", quantity: "0.5" }, { lineId: "l1", quantity: "0.5" }])).toMatchObject({
      ok: false,
      path: "lines.1.lineId",
    });
  });

  it("crediting an already fully credited invoice is refused on lines", () => {
    const done = [
      creditable("a", "2", 1000, 2000, 100, { quantity: "2", discountCents: 100, netCents: 1900 }),
      creditable("b", "0.5", 300, 550, 0, { quantity: "0.5", netCents: 150 }),
    ];
    expect(creditLines(done)).toMatchObject({ ok: false, path: "lines" });
    expect(creditLines(done, [{ lineId: "b" }])).toMatchObject({ ok: false, path: "lines.0.lineId" });
  });
});

describe("creditNoteTotals: VAT per rate never exceeds what remains of the invoice's VAT", () => {
  it("two lines of 0,25 € at 10 %: invoice VAT 0,05 €; crediting them one by one gives 0,03 € then 0,02 € (not 0,03 €)", () => {
    const invoice = [creditable("a", "1", 25, 1000), creditable("b", "1", 25, 1000)];
    const original = invoiceTotals(invoice);
    expect(original.byRate).toEqual([{ vatRateBp: 1000, baseCents: 50, vatCents: 5 }]);

    const first = creditNoteTotals(okLines(creditLines(invoice, [{ lineId: "a" }])), original.byRate);
    expect(first).toEqual({ htCents: 25, vatCents: 3, ttcCents: 28, byRate: [{ vatRateBp: 1000, baseCents: 25, vatCents: 3 }] });

    const remaining: RateTotal[] = [{ vatRateBp: 1000, baseCents: 25, vatCents: 2 }];
    const credited = [
      { ...invoice[0]!, creditedQuantity: "1", creditedNetCents: 25 },
      invoice[1]!,
    ];
    const second = creditNoteTotals(okLines(creditLines(credited)), remaining);
    expect(second).toEqual({ htCents: 25, vatCents: 2, ttcCents: 27, byRate: [{ vatRateBp: 1000, baseCents: 25, vatCents: 2 }] });
    expect(first.vatCents + second.vatCents).toBe(original.vatCents);
  });

  it("a rate with nothing left (or absent, or negative) credits 0 VAT", () => {
    const lines = okLines(creditLines([creditable("a", "1", 1000, 2000)]));
    expect(creditNoteTotals(lines, []).vatCents).toBe(0);
    expect(creditNoteTotals(lines, [{ vatRateBp: 2000, baseCents: 0, vatCents: -3 }]).vatCents).toBe(0);
    expect(creditNoteTotals(lines, [{ vatRateBp: 1000, baseCents: 1000, vatCents: 100 }]).vatCents).toBe(0);
  });

  it("under the remaining VAT it is the ordinary rule", () => {
    const lines = okLines(creditLines([creditable("a", "3", 1001, 2000)]));
    expect(creditNoteTotals(lines, [{ vatRateBp: 2000, baseCents: 3003, vatCents: 601 }])).toEqual(invoiceTotals(lines));
  });

  it("the credit note that takes the last of a rate's base takes the last of its VAT: 1 then 2 of 3 × 10,01 € give 2,00 € then 4,01 €", () => {
    const invoice = [creditable("a", "3", 1001, 2000)];
    const original = invoiceTotals(invoice);
    expect(original.byRate).toEqual([{ vatRateBp: 2000, baseCents: 3003, vatCents: 601 }]);
    const first = creditNoteTotals(okLines(creditLines(invoice, [{ lineId: "a", quantity: "1" }])), original.byRate);
    expect(first).toEqual({ htCents: 1001, vatCents: 200, ttcCents: 1201, byRate: [{ vatRateBp: 2000, baseCents: 1001, vatCents: 200 }] });
    const rest = okLines(creditLines([creditable("a", "3", 1001, 2000, 0, { quantity: "1", netCents: 1001 })]));
    // by the ordinary rule 20 % of 20,02 € is 4,00 €, which would leave 0,01 € of VAT uncredited for ever
    expect(invoiceTotals(rest).vatCents).toBe(400);
    const second = creditNoteTotals(rest, [{ vatRateBp: 2000, baseCents: 2002, vatCents: 401 }]);
    expect(second).toEqual({ htCents: 2002, vatCents: 401, ttcCents: 2403, byRate: [{ vatRateBp: 2000, baseCents: 2002, vatCents: 401 }] });
    expect(first.ttcCents + second.ttcCents).toBe(original.ttcCents);
  });
});

// ---- property: random sequences of partial credits ----

const quantityArb = fc
  .tuple(fc.integer({ min: 0, max: 50 }), fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 0, maxLength: 4 }))
  .filter(([w, f]) => BigInt(`${w}${f}`) > 0n)
  .map(([w, f]) => (f ? `${w}.${f}` : String(w)));

const invoiceArb = fc
  .array(
    fc
      .record({
        quantity: quantityArb,
        unitPriceCents: fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 200_000 })),
        vatRateBp: fc.constantFrom(...FRENCH_VAT_RATES_BP),
      })
      .chain((l) => {
        const gross = lineNetCents(l.quantity, l.unitPriceCents);
        return fc.integer({ min: 0, max: gross }).map((discountCents) => ({ ...l, discountCents }));
      }),
    { minLength: 1, maxLength: 5 },
  )
  .map((lines) => lines.map((l, i) => creditable(`l${i}`, l.quantity, l.unitPriceCents, l.vatRateBp, l.discountCents)));

/** One credit note: for each line, skip it, take the rest, or take a fraction (in 1/10000) of what remains. */
const stepArb = fc.array(
  fc.oneof(fc.constant<"skip">("skip"), fc.constant<"rest">("rest"), fc.integer({ min: 1, max: 10_000 })),
  { minLength: 5, maxLength: 5 },
);

describe("credit properties", () => {
  it("random sequences of partial credits never exceed a line's quantity or net, nor the invoice's VAT", () => {
    fc.assert(
      fc.property(invoiceArb, fc.array(stepArb, { minLength: 1, maxLength: 6 }), (invoice, steps) => {
        let lines = invoice;
        const original = invoiceTotals(invoice);
        let remaining: RateTotal[] = original.byRate.map((r) => ({ ...r }));
        const lastDiscount = new Map<string, number>();
        for (const step of steps) {
          const request: { lineId: string; quantity?: string }[] = [];
          lines.forEach((line, i) => {
            const choice = step[i]!;
            const left = parseQuantity(line.quantity) - (line.creditedQuantity === "0" ? 0n : parseQuantity(line.creditedQuantity));
            if (choice === "skip" || left === 0n) return;
            if (choice === "rest") request.push({ lineId: line.id });
            else {
              const scaled = (left * BigInt(choice)) / 10_000n;
              request.push({ lineId: line.id, quantity: formatScaledQuantity(scaled > 0n ? scaled : 1n) });
            }
          });
          if (request.length === 0) continue;
          const credit = okLines(creditLines(lines, request));
          expect(credit.map((l) => l.creditedLineId)).toEqual(request.map((r) => r.lineId));
          const totals = creditNoteTotals(credit, remaining);
          // VAT never exceeds what remains, rate by rate
          for (const r of totals.byRate) {
            const left = remaining.find((x) => x.vatRateBp === r.vatRateBp)!;
            expect(r.vatCents).toBeGreaterThanOrEqual(0);
            expect(r.vatCents).toBeLessThanOrEqual(left.vatCents);
          }
          expect(totals.ttcCents).toBe(totals.htCents + totals.vatCents);
          remaining = remaining.map((x) => {
            const r = totals.byRate.find((t) => t.vatRateBp === x.vatRateBp);
            return r ? { ...x, baseCents: x.baseCents - r.baseCents, vatCents: x.vatCents - r.vatCents } : x;
          });
          lines = lines.map((line) => {
            const c = credit.find((l) => l.creditedLineId === line.id);
            if (!c) return line;
            expect(c.unitPriceCents).toBe(line.unitPriceCents);
            expect(c.vatRateBp).toBe(line.vatRateBp);
            expect(Number.isSafeInteger(c.discountCents)).toBe(true);
            expect(c.discountCents).toBeGreaterThanOrEqual(0);
            const net = lineNetCents(c.quantity, c.unitPriceCents, c.discountCents);
            expect(net).toBeGreaterThanOrEqual(0);
            const lineNet = lineNetCents(line.quantity, line.unitPriceCents, line.discountCents);
            expect(net).toBeLessThanOrEqual(lineNet - line.creditedNetCents);
            lastDiscount.set(line.id, c.discountCents);
            const before = line.creditedQuantity === "0" ? 0n : parseQuantity(line.creditedQuantity);
            return {
              ...line,
              creditedQuantity: formatScaledQuantity(before + parseQuantity(c.quantity)),
              creditedDiscountCents: line.creditedDiscountCents + c.discountCents,
              creditedNetCents: line.creditedNetCents + net,
            };
          });
          for (const line of lines) {
            const total = parseQuantity(line.quantity);
            const credited = line.creditedQuantity === "0" ? 0n : parseQuantity(line.creditedQuantity);
            const lineNet = lineNetCents(line.quantity, line.unitPriceCents, line.discountCents);
            expect(credited <= total).toBe(true);
            expect(line.creditedNetCents).toBeLessThanOrEqual(lineNet);
            // the remainder takes exactly the remaining net, unless that would need a negative discount
            if (credited === total && lastDiscount.get(line.id)! > 0) expect(line.creditedNetCents).toBe(lineNet);
          }
        }
        const creditedVat = original.byRate.reduce(
          (s, r) => s + r.vatCents - remaining.find((x) => x.vatRateBp === r.vatRateBp)!.vatCents,
          0,
        );
        expect(creditedVat).toBeLessThanOrEqual(original.vatCents);
        for (const r of remaining) {
          expect(r.vatCents).toBeGreaterThanOrEqual(0);
          expect(r.baseCents).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 500 },
    );
  });

  it("a single full credit always reproduces the invoice's totals exactly", () => {
    fc.assert(
      fc.property(invoiceArb, (invoice) => {
        const original = invoiceTotals(invoice);
        const lines = okLines(creditLines(invoice));
        expect(invoiceTotals(lines)).toEqual(original);
        expect(creditNoteTotals(lines, original.byRate)).toEqual(original);
        lines.forEach((l, i) => expect(l.discountCents).toBe(invoice[i]!.discountCents));
      }),
    );
  });

  it("without rounding drift (whole quantities), partial credits sum exactly to the line's discount", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 20 }),
        fc.integer({ min: 0, max: 100_000 }),
        fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 0, max: 10_000 }),
        (quantity, unitPriceCents, parts, discountShare) => {
          const discountCents = Math.floor((quantity * unitPriceCents * discountShare) / 10_000);
          let line = creditable("a", String(quantity), unitPriceCents, 2000, discountCents);
          for (const part of parts) {
            const left = quantity - Number(line.creditedQuantity);
            if (left === 0) break;
            const take = Math.min(part, left);
            const [c] = okLines(creditLines([line], [{ lineId: "a", quantity: String(take) }]));
            line = {
              ...line,
              creditedQuantity: String(Number(line.creditedQuantity) + take),
              creditedDiscountCents: line.creditedDiscountCents + c!.discountCents,
              creditedNetCents: line.creditedNetCents + lineNetCents(c!.quantity, c!.unitPriceCents, c!.discountCents),
            };
          }
          if (line.creditedQuantity !== String(quantity)) {
            const [c] = okLines(creditLines([line], [{ lineId: "a" }]));
            line = {
              ...line,
              creditedQuantity: String(quantity),
              creditedDiscountCents: line.creditedDiscountCents + c!.discountCents,
              creditedNetCents: line.creditedNetCents + lineNetCents(c!.quantity, c!.unitPriceCents, c!.discountCents),
            };
          }
          expect(line.creditedDiscountCents).toBe(discountCents);
          expect(line.creditedNetCents).toBe(quantity * unitPriceCents - discountCents);
        },
      ),
    );
  });
});

describe("a credit note of an amount alone (commercial gesture)", () => {
  const lines = [
    { vatRateBp: 2000, kind: "services" as const },
    { vatRateBp: 550, kind: "goods" as const },
  ];
  const left = [
    { vatRateBp: 2000, baseCents: 3003, vatCents: 601 },
    { vatRateBp: 550, baseCents: 5000, vatCents: 275 },
  ];

  it("from a TTC takes the net whose VAT, rounded once, gives back exactly that TTC", () => {
    expect(gestureAmounts(10_000, "ttc", 2000)).toEqual({ ok: true, netCents: 8333, vatCents: 1667 });
    expect(gestureAmounts(5_000, "ttc", 550)).toEqual({ ok: true, netCents: 4739, vatCents: 261 });
    expect(gestureAmounts(1_001, "ht", 2000)).toEqual({ ok: true, netCents: 1001, vatCents: 200 });
    expect(gestureAmounts(1_203, "ttc", 2000)).toEqual({ ok: false, message: "cannot be reached exactly at this rate once VAT is rounded to the cent: use 1202 or 1204 cents" });
  });

  it("every TTC it accepts is given back to the cent", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.constantFrom(2000, 1000, 550, 210, 850, 0), (ttc, rate) => {
        const g = gestureAmounts(ttc, "ttc", rate);
        if (g.ok) expect(g.netCents + g.vatCents).toBe(ttc);
      }),
    );
  });

  it("is one line at a rate of the invoice, of that rate's nature, never more than remains of it", () => {
    const ok = gestureCredit({ amountCents: 1200, basis: "ttc", vatRateBp: 2000, reason: "Retard" }, lines, left);
    expect(ok).toEqual({
      ok: true,
      line: { description: "Retard", quantity: "1", unitPriceCents: 1000, vatRateBp: 2000, discountCents: 0, kind: "services" },
      totals: { htCents: 1000, vatCents: 200, ttcCents: 1200, byRate: [{ vatRateBp: 2000, baseCents: 1000, vatCents: 200 }] },
    });
    expect(gestureCredit({ amountCents: 100, basis: "ht", vatRateBp: 550, reason: "x" }, lines, left)).toMatchObject({ ok: true, line: { kind: "goods" } });
    expect(gestureCredit({ amountCents: 100, basis: "ht", vatRateBp: 1000, reason: "x" }, lines, left)).toEqual({ ok: false, path: "amount.vatRateBp", message: "must be a rate of the invoice (20 %, 5.5 %)" });
    expect(gestureCredit({ amountCents: 3605, basis: "ttc", vatRateBp: 2000, reason: "x" }, lines, left)).toEqual({
      ok: false,
      path: "amount.amountCents",
      message: "must not exceed what remains to credit at this rate (3604 cents VAT included)",
    });
  });
});
