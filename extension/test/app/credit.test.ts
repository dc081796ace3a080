// @vitest-environment node
/**
 * The credit note the view previews is the one the API issues: same lines, same totals, credit
 * after credit, until nothing is left — on random invoices and random partial quantities.
 */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import type { Invoice } from "@passerelle/shared";
import { FRENCH_VAT_RATES_BP } from "@passerelle/shared/vat";
import { creditableLines, leftToCreditCents, previewCreditNote, remainingQuantity } from "../../lib/app/credit";
import { createTestApp, ownerWithCompany } from "../api-harness";

const line = fc.record({
  quantity: fc.integer({ min: 1, max: 20 }).map(String),
  unitPriceCents: fc.integer({ min: 1, max: 500_000 }),
  vatRateBp: fc.constantFrom(...FRENCH_VAT_RATES_BP.filter((r) => r > 0)),
  discountPercent: fc.integer({ min: 0, max: 30 }),
});

describe("credit note preview", () => {
  it("matches the credit notes the API issues, part after part, until nothing is left", async () => {
    const api = createTestApp();
    const owner = await ownerWithCompany(api);
    const base = `/companies/${owner.companyId}`;
    let day = 1;
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 4 }), fc.array(fc.array(fc.nat({ max: 20 }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 3 }), async (lines, rounds) => {
        const date = `2026-11-${String(Math.min(++day, 19)).padStart(2, "0")}`;
        const draft = await api.call("POST", `${base}/invoices`, {
          token: owner.token,
          body: {
            customerId: owner.customerId,
            lines: lines.map((l, i) => ({
              description: `Ligne ${i + 1}`,
              quantity: l.quantity,
              unitPriceCents: l.unitPriceCents,
              vatRateBp: l.vatRateBp,
              discountCents: Math.floor((Number(l.quantity) * l.unitPriceCents * l.discountPercent) / 100),
            })),
          },
        });
        expect(draft.status).toBe(201);
        const issued = await api.call("POST", `${base}/invoices/${draft.json.id}/issue`, { token: owner.token, body: { issueDate: date } });
        expect(issued.status).toBe(200);
        const notes: Invoice[] = [];
        for (const quantities of [...rounds, null]) {
          const invoice = (await api.call("GET", `${base}/invoices/${draft.json.id}`, { token: owner.token })).json as Invoice;
          const creditable = creditableLines(invoice, notes);
          // A round asks for part of some lines; the last (null) asks for everything left.
          const request = quantities
            ? creditable
                .map((l, i) => ({ lineId: l.id, left: Number(remainingQuantity(l)), want: quantities[i] ?? 0 }))
                .filter((r) => r.left > 0 && r.want > 0)
                .map((r) => ({ lineId: r.lineId, quantity: String(Math.min(r.want, r.left)) }))
            : undefined;
          if (request && request.length === 0) continue;
          const preview = previewCreditNote(invoice, notes, request);
          const answer = await api.call("POST", `${base}/invoices/${invoice.id}/credit-note`, { token: owner.token, body: { issueDate: "2026-11-20", ...(request ? { lines: request } : {}) } });
          if (!preview.ok) {
            // Refused here for the same reason the API refuses.
            expect(answer.status).toBeGreaterThanOrEqual(400);
            expect(answer.json.errors?.[0]).toEqual({ path: preview.path, message: preview.message });
            continue;
          }
          expect(answer.status).toBe(201);
          const note = answer.json as Invoice;
          expect(note.totals).toEqual(preview.totals);
          expect(note.lines.map((l) => [l.creditedLineId, l.quantity, l.discountCents, l.vatRateBp])).toEqual(preview.lines.map((l) => [l.creditedLineId, l.quantity, l.discountCents, l.vatRateBp]));
          notes.push(note);
          compared += 1;
        }
        const final = (await api.call("GET", `${base}/invoices/${draft.json.id}`, { token: owner.token })).json as Invoice;
        expect(leftToCreditCents(final)).toBe(0);
        expect(creditableLines(final, notes).map(remainingQuantity)).toEqual(final.lines.map(() => "0"));
        expect(previewCreditNote(final, notes)).toEqual({ ok: false, path: "lines", message: "nothing is left to credit on this invoice" });
      }),
      { numRuns: 15 },
    );
    expect(compared).toBeGreaterThanOrEqual(15);
  });
});
