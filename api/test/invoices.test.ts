import { describe, expect, it } from "vitest";
import { PRODUCT, createTestApp, draftBody, expectProblem, issuedInvoice, ownerWithCompany, type TestApp } from "./helpers.js";
import { isPostgres } from "../src/db/connection.js";

type Owner = Awaited<ReturnType<typeof ownerWithCompany>>;

const line = (unitPriceCents: number, vatRateBp = 2000, quantity = "1", extra: object = {}) => ({
  description: `Prestation ${unitPriceCents}`,
  quantity,
  unitPriceCents,
  vatRateBp,
  ...extra,
});

async function draft(t: TestApp, o: Owner, body: object) {
  const res = await t.call("POST", `/companies/${o.companyId}/invoices`, { token: o.token, body });
  if (res.status !== 201) throw new Error(`draft: ${res.text}`);
  return res.json;
}

const counter = (t: TestApp, companyId: string, key = "F2026") =>
  t.deps.db.prepare("SELECT last_counter FROM number_series WHERE company_id = ? AND series_key = ?").pluck().get(companyId, key);
const activityCount = (t: TestApp, companyId: string) => t.deps.db.prepare("SELECT COUNT(*) FROM activity WHERE company_id = ?").pluck().get(companyId);

describe("drafts", () => {
  it("answers a new draft exactly as reading it afterwards does", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const product = (await t.call("POST", `/companies/${o.companyId}/products`, { token: o.token, body: PRODUCT })).json;
    const bodies = [
      {
        ...draftBody(o.customerId, [line(1001, 2000, "3"), line(4550, 550, "2.5", { discountCents: 100, unit: "hour" }), line(999, 1000)]),
        notes: "Chantier rue Mercière",
        issueDate: "2026-10-30",
        dueDate: "2026-11-29",
        deliveryDate: "2026-10-30",
        servicePeriod: { from: "2026-10-01", to: "2026-10-31" },
        deliveryAddress: { line1: "8 rue Mercière", line2: "", postalCode: "69002", city: "Lyon", country: "FR" },
      },
      { customerId: o.customerId, lines: [{ productId: product.id, quantity: "2" }, line(0, 0, "1")], vatExemption: "franchise" },
    ];
    for (const body of bodies) {
      const draft = await t.call("POST", `/companies/${o.companyId}/invoices`, { token: o.token, body });
      expect(draft.status).toBe(201);
      const read = await t.call("GET", `/companies/${o.companyId}/invoices/${draft.json.id}`, { token: o.token });
      expect(draft.json).toEqual(read.json);
    }
  });

  it("creates a draft whose product lines take the product's name, price, rate and kind", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const product = (await t.call("POST", `/companies/${o.companyId}/products`, { token: o.token, body: PRODUCT })).json;
    const res = await t.call("POST", `/companies/${o.companyId}/invoices`, {
      token: o.token,
      body: {
        customerId: o.customerId,
        lines: [
          { productId: product.id, quantity: "2" },
          { productId: product.id, quantity: "1.5", unitPriceCents: 15000, description: "Suspension laiton (remisée)", discountCents: 500 },
        ],
        notes: "Livraison comprise",
      },
    });
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      id: expect.any(String),
      number: null,
      type: "invoice",
      status: "draft",
      issueDate: null,
      dueDate: null,
      customer: { id: o.customerId, code: "C0001", name: "Boulangerie Dupont" },
      lines: [
        {
          id: expect.any(String),
          position: 1,
          productId: product.id,
          description: "Suspension laiton",
          quantity: "2",
          unitPriceCents: 18900,
          vatRateBp: 2000,
          discountCents: 0,
          kind: "goods",
          netCents: 37800,
          creditedLineId: null,
          unit: null,
        },
        {
          id: expect.any(String),
          position: 2,
          productId: product.id,
          description: "Suspension laiton (remisée)",
          quantity: "1.5",
          unitPriceCents: 15000,
          vatRateBp: 2000,
          discountCents: 500,
          kind: "goods",
          netCents: 22000,
          creditedLineId: null,
          unit: null,
        },
      ],
      totals: { htCents: 59800, vatCents: 11960, ttcCents: 71760, byRate: [{ vatRateBp: 2000, baseCents: 59800, vatCents: 11960 }] },
      paidCents: 0,
      creditedCents: 0,
      dueCents: 0,
      creditedInvoiceId: null,
      creditedInvoiceNumber: null,
      notes: "Livraison comprise",
      vatExemption: null,
      deliveryDate: null,
      servicePeriod: null,
      deliveryAddress: null,
      orderId: null,
      orderRole: null,
      orderReference: null,
      orderTotals: null,
      deductions: [],
      createdAt: "2026-11-20T10:00:00.000Z",
      issuedAt: null,
    });
    expect(counter(t, o.companyId)).toBeUndefined(); // drafts take no number
  });

  it("computes VAT per rate on the sum of rounded line nets: three lines of 10,01 € at 20 % → 30,03 + 6,01 = 36,04 €", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const three = await draft(t, o, draftBody(o.customerId, [line(1001), line(1001), line(1001)]));
    // per-line rounding would give 3 × 2,00 € = 6,00 €
    expect(three.totals).toEqual({ htCents: 3003, vatCents: 601, ttcCents: 3604, byRate: [{ vatRateBp: 2000, baseCents: 3003, vatCents: 601 }] });
    const one = await draft(t, o, draftBody(o.customerId, [line(1001, 2000, "3")]));
    expect(one.totals).toEqual(three.totals);
  });

  it("several rates with discounts and fractional quantities: exact byRate, highest rate first", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const inv = await draft(
      t,
      o,
      draftBody(o.customerId, [
        line(1999, 2000, "2.5", { discountCents: 100 }), // 49,975 → 49,98 − 1,00 = 48,98
        line(12345, 550), // 123,45
        line(333, 1000, "3"), // 9,99
        line(1000, 2000, "0.3333"), // 3,333 → 3,33
        line(15, 210, "7"), // 1,05
      ]),
    );
    expect(inv.lines.map((l: { netCents: number }) => l.netCents)).toEqual([4898, 12345, 999, 333, 105]);
    expect(inv.totals).toEqual({
      htCents: 18680,
      vatCents: 1827,
      ttcCents: 20507,
      byRate: [
        { vatRateBp: 2000, baseCents: 5231, vatCents: 1046 }, // 10,462 → 10,46
        { vatRateBp: 1000, baseCents: 999, vatCents: 100 }, // 0,999 → 1,00
        { vatRateBp: 550, baseCents: 12345, vatCents: 679 }, // 6,789 75 → 6,79
        { vatRateBp: 210, baseCents: 105, vatCents: 2 }, // 0,022 05 → 0,02
      ],
    });
  });

  it("refuses bad lines with 422 naming the line and field, and stores nothing", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const post = (lines: unknown[], extra: object = {}) =>
      t.call("POST", `/companies/${o.companyId}/invoices`, { token: o.token, body: { customerId: o.customerId, lines, ...extra } });
    expectProblem(await post([]), 422, "lines");
    expectProblem(await post([line(100), { quantity: "1", unitPriceCents: 100, vatRateBp: 2000 }]), 422, "lines.1.description");
    expectProblem(await post([{ description: "x", quantity: "1", vatRateBp: 2000 }]), 422, "lines.0.unitPriceCents");
    expectProblem(await post([{ description: "x", quantity: "1", unitPriceCents: 100 }]), 422, "lines.0.vatRateBp");
    expectProblem(await post([line(100, 2000, "1", { discountCents: 101 })]), 422, "lines.0.discountCents");
    expectProblem(await post([line(100, 2000, "1.23456")]), 422, "lines.0.quantity");
    expectProblem(await post([line(100, 2000, "0")]), 422, "lines.0.quantity");
    expectProblem(await post([line(100, 2000, "-1")]), 422, "lines.0.quantity");
    expectProblem(await post([line(100, 2000, "1e3")]), 422, "lines.0.quantity");
    expectProblem(await post([line(100, 1960)]), 422, "lines.0.vatRateBp");
    expectProblem(await post([{ productId: "nope", quantity: "1" }]), 422, "lines.0.productId");
    expectProblem(await post([line(100)], { customerId: "nope" }), 422, "customerId");
    expectProblem(await post([line(100)], { issueDate: "2026-11-10", dueDate: "2026-11-09" }), 422, "dueDate");
    expectProblem(await post([line(100)], { number: "F2026-00042" }), 422, "number");
    expectProblem(await post([line(100)], { status: "paid" }), 422, "status");
    // amounts beyond 999 999 999,99 € are refused, not a server error
    expectProblem(await post([line(99_999_999_999, 2000, "999999999")]), 422, "lines.0.quantity");
    expectProblem(await post([line(99_999_999_999), line(99_999_999_999)]), 422, "lines");
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM invoices").pluck().get()).toBe(0);
  });

  it("a draft can be changed and deleted freely; totals follow the lines", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const d = await draft(t, o, draftBody(o.customerId));
    const url = `/companies/${o.companyId}/invoices/${d.id}`;
    const patched = await t.call("PATCH", url, { token: o.token, body: { lines: [line(5000, 1000, "2")], notes: "Acompte", issueDate: "2026-11-15", dueDate: "2026-12-15" } });
    expect(patched.status).toBe(200);
    expect(patched.json).toMatchObject({
      status: "draft",
      number: null,
      issueDate: "2026-11-15",
      dueDate: "2026-12-15",
      notes: "Acompte",
      totals: { htCents: 10000, vatCents: 1000, ttcCents: 11000, byRate: [{ vatRateBp: 1000, baseCents: 10000, vatCents: 1000 }] },
    });
    expect(patched.json.lines).toHaveLength(1);
    const notesOnly = await t.call("PATCH", url, { token: o.token, body: { notes: "Solde" } });
    expect(notesOnly.json.totals.ttcCents).toBe(11000);
    expect(notesOnly.json.notes).toBe("Solde");
    expectProblem(await t.call("PATCH", url, { token: o.token, body: { lines: [] } }), 422, "lines");
    expectProblem(await t.call("PATCH", url, { token: o.token, body: { dueDate: "2026-11-01" } }), 422, "dueDate");
    expectProblem(await t.call("PATCH", url, { token: o.token, body: { customerId: "nope" } }), 422, "customerId");
    expect((await t.call("GET", url, { token: o.token })).json).toEqual(notesOnly.json);
    // null clears an optional field; an absent one stays
    const cleared = await t.call("PATCH", url, { token: o.token, body: { notes: null, issueDate: null, dueDate: null } });
    expect(cleared.json).toMatchObject({ notes: null, issueDate: null, dueDate: null, totals: { ttcCents: 11000 } });

    const deleted = await t.call("DELETE", url, { token: o.token });
    expect(deleted.status).toBe(204);
    expectProblem(await t.call("GET", url, { token: o.token }), 404);
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM invoice_lines WHERE invoice_id = ?").pluck().get(d.id)).toBe(0);
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM invoice_vat WHERE invoice_id = ?").pluck().get(d.id)).toBe(0);
    expectProblem(await t.call("DELETE", url, { token: o.token }), 404);
    const actions = t.deps.db.prepare("SELECT action FROM activity WHERE record_id = ? ORDER BY seq").pluck().all(d.id);
    expect(actions).toEqual(["invoice.draft_created", "invoice.draft_updated", "invoice.draft_updated", "invoice.draft_updated", "invoice.draft_deleted"]);
  });
});

describe("issuing", () => {
  it("answers the issued invoice exactly as reading it afterwards does", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const body = {
      ...draftBody(o.customerId, [line(1001, 2000, "3"), line(4550, 550, "2.5", { discountCents: 100, unit: "hour" }), line(999, 1000)]),
      notes: "Chantier rue Mercière",
      deliveryDate: "2026-10-30",
      deliveryAddress: { line1: "8 rue Mercière", postalCode: "69002", city: "Lyon", country: "FR" },
    };
    const draft = await t.call("POST", `/companies/${o.companyId}/invoices`, { token: o.token, body });
    expect(draft.status).toBe(201);
    const issued = await t.call("POST", `/companies/${o.companyId}/invoices/${draft.json.id}/issue`, { token: o.token, body: { issueDate: "2026-11-02" } });
    expect(issued.status).toBe(200);
    const read = await t.call("GET", `/companies/${o.companyId}/invoices/${draft.json.id}`, { token: o.token });
    expect(issued.json).toEqual(read.json);
    expect(issued.json).toMatchObject({ number: "F2026-00001", status: "issued", issueDate: "2026-11-02", deliveryDate: "2026-10-30", notes: "Chantier rue Mercière" });
    expect(issued.json.totals.byRate.map((r: { vatRateBp: number }) => r.vatRateBp)).toEqual([2000, 1000, 550]);
  });

  it("assigns F2026-00001 then F2026-00002, freezes the document and chains it", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const first = await issuedInvoice(t, o, "2026-11-02");
    expect(first).toMatchObject({
      number: "F2026-00001",
      type: "invoice",
      status: "issued",
      issueDate: "2026-11-02",
      dueDate: "2026-12-02", // 30 days, the company's default terms
      paidCents: 0,
      creditedCents: 0,
      dueCents: 3604,
      issuedAt: "2026-11-20T10:00:00.000Z",
    });
    const second = await issuedInvoice(t, o, "2026-11-02");
    expect(second.number).toBe("F2026-00002");
    const third = await issuedInvoice(t, o, "2026-11-19");
    expect(third.number).toBe("F2026-00003");
    expect(counter(t, o.companyId)).toBe(3);
    for (const n of [first, second, third]) expect(n.number).toMatch(/^[A-Za-z0-9+\-_/]{1,35}$/);
    const chain = t.deps.db.prepare("SELECT position, record_kind, record_id FROM record_chain WHERE company_id = ? ORDER BY position").all(o.companyId);
    expect(chain).toEqual([
      { position: 1, record_kind: "invoice", record_id: first.id },
      { position: 2, record_kind: "invoice", record_id: second.id },
      { position: 3, record_kind: "invoice", record_id: third.id },
    ]);
    // issuing twice is a conflict
    const again = expectProblem(await t.call("POST", `/companies/${o.companyId}/invoices/${first.id}/issue`, { token: o.token, body: {} }), 409);
    expect(again.detail).toContain("F2026-00001 is issued");
  });

  it("the issue date defaults to the draft's date, else today; the due date to issue + the company's terms", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const dated = await draft(t, o, { ...draftBody(o.customerId), issueDate: "2026-11-05" });
    const a = await t.call("POST", `/companies/${o.companyId}/invoices/${dated.id}/issue`, { token: o.token, body: {} });
    expect(a.json).toMatchObject({ number: "F2026-00001", issueDate: "2026-11-05", dueDate: "2026-12-05" });

    const undated = await draft(t, o, draftBody(o.customerId));
    const b = await t.call("POST", `/companies/${o.companyId}/invoices/${undated.id}/issue`, { token: o.token, body: {} });
    expect(b.json).toMatchObject({ number: "F2026-00002", issueDate: "2026-11-20", dueDate: "2026-12-20" });

    await t.call("PATCH", `/companies/${o.companyId}`, { token: o.token, body: { paymentTermsDays: 45 } });
    const c = await issuedInvoice(t, o, "2026-11-20");
    expect(c.dueDate).toBe("2027-01-04");

    const explicit = await draft(t, o, { ...draftBody(o.customerId), dueDate: "2026-11-30" });
    const d = await t.call("POST", `/companies/${o.companyId}/invoices/${explicit.id}/issue`, { token: o.token, body: { issueDate: "2026-11-20" } });
    expect(d.json.dueDate).toBe("2026-11-30");

    const early = await draft(t, o, { ...draftBody(o.customerId), dueDate: "2026-11-10" });
    expectProblem(await t.call("POST", `/companies/${o.companyId}/invoices/${early.id}/issue`, { token: o.token, body: { issueDate: "2026-11-20" } }), 422, "dueDate");
  });

  it("keeps due dates within Code de commerce L441-10 (60 days, or 45 days end of month; 90 days for an export sale); terms end of month fall on the month's last day", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    expect((await t.call("PATCH", `/companies/${o.companyId}`, { token: o.token, body: { paymentTermsDays: 45, paymentTermsEndOfMonth: true } })).status).toBe(200);
    const eom = await issuedInvoice(t, o, "2026-11-20");
    expect(eom.dueDate).toBe("2027-01-31");

    // issued on 2026-11-20: 60 days is 2027-01-19, 45 days end of month 2027-01-31 at the latest
    const late = expectProblem(await t.call("POST", `/companies/${o.companyId}/invoices`, { token: o.token, body: { ...draftBody(o.customerId), issueDate: "2026-11-20", dueDate: "2027-02-01" } }), 422, "dueDate");
    expect(late.errors).toEqual([
      {
        path: "dueDate",
        message: "must be no later than 2027-01-31: at most 60 days after the issue date or 45 days end of month (Code de commerce L441-10); up to 90 days only for goods sold for export outside the EU (L441-12)",
      },
    ]);
    const lawful = await draft(t, o, { ...draftBody(o.customerId), issueDate: "2026-11-20", dueDate: "2027-01-31" });
    expect(lawful.dueDate).toBe("2027-01-31");
    // a draft without a date yet takes any due date; issuing it checks the rule
    const undated = await draft(t, o, { ...draftBody(o.customerId), dueDate: "2027-03-01" });
    expectProblem(await t.call("POST", `/companies/${o.companyId}/invoices/${undated.id}/issue`, { token: o.token, body: { issueDate: "2026-11-20" } }), 422, "dueDate");
    expect((await t.call("GET", `/companies/${o.companyId}/invoices/${undated.id}`, { token: o.token })).json.status).toBe("draft");

    // goods sold for export outside the EU: 90 days (L441-12)
    const exportLine = [{ description: "Lampadaire", quantity: "1", unitPriceCents: 32500, vatRateBp: 0, kind: "goods" as const }];
    const exported = await draft(t, o, { ...draftBody(o.customerId, exportLine), vatExemption: "export", issueDate: "2026-11-10", dueDate: "2027-02-08" });
    expect(exported.dueDate).toBe("2027-02-08");
    const beyond = expectProblem(
      await t.call("POST", `/companies/${o.companyId}/invoices`, { token: o.token, body: { ...draftBody(o.customerId, exportLine), vatExemption: "export", issueDate: "2026-11-10", dueDate: "2027-02-09" } }),
      422,
      "dueDate",
    );
    expect(beyond.errors?.[0]?.message).toBe("must be no later than 2027-02-08: at most 90 days after the issue date for goods sold for export outside the EU (Code de commerce L441-12)");
  });

  it("refuses an issue date earlier than the last issued invoice (409 naming it) and changes nothing", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    await issuedInvoice(t, o, "2026-11-02");
    await issuedInvoice(t, o, "2026-11-10");
    const d = await draft(t, o, draftBody(o.customerId));
    const before = activityCount(t, o.companyId);
    const res = await t.call("POST", `/companies/${o.companyId}/invoices/${d.id}/issue`, { token: o.token, body: { issueDate: "2026-11-05" } });
    const problem = expectProblem(res, 409, "issueDate");
    expect(problem.detail).toBe(
      "F2026-00002 was issued on 2026-11-10; numbering must follow dates, so this document cannot be dated 2026-11-05. Use 2026-11-10 or later.",
    );
    expect(problem.errors).toEqual([{ path: "issueDate", message: "must be on or after 2026-11-10 (date of F2026-00002)" }]);
    expect(counter(t, o.companyId)).toBe(2);
    expect(activityCount(t, o.companyId)).toBe(before);
    expect((await t.call("GET", `/companies/${o.companyId}/invoices/${d.id}`, { token: o.token })).json).toMatchObject({ status: "draft", number: null });
    // the same day as the last one is fine
    const ok = await t.call("POST", `/companies/${o.companyId}/invoices/${d.id}/issue`, { token: o.token, body: { issueDate: "2026-11-10" } });
    expect(ok.json.number).toBe("F2026-00003");
  });

  it("names the last number of the latest day when several documents share it, and credit notes keep their own order", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const first = await issuedInvoice(t, o, "2026-11-10");
    await issuedInvoice(t, o, "2026-11-10");
    await issuedInvoice(t, o, "2026-11-10");
    const credit = await t.call("POST", `/companies/${o.companyId}/invoices/${first.id}/credit-note`, { token: o.token, body: { issueDate: "2026-11-12" } });
    expect(credit.status).toBe(201);
    const d = await draft(t, o, draftBody(o.customerId));
    const late = expectProblem(await t.call("POST", `/companies/${o.companyId}/invoices/${d.id}/issue`, { token: o.token, body: { issueDate: "2026-11-09" } }), 409, "issueDate");
    expect(late.errors).toEqual([{ path: "issueDate", message: "must be on or after 2026-11-10 (date of F2026-00003)" }]);
    // an invoice may be dated before the latest credit note: each type follows its own dates
    const ok = await t.call("POST", `/companies/${o.companyId}/invoices/${d.id}/issue`, { token: o.token, body: { issueDate: "2026-11-11" } });
    expect(ok.json.number).toBe("F2026-00004");
  });

  it("refuses a future issue date (422) and invalid dates", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const d = await draft(t, o, draftBody(o.customerId));
    const url = `/companies/${o.companyId}/invoices/${d.id}/issue`;
    const future = expectProblem(await t.call("POST", url, { token: o.token, body: { issueDate: "2026-11-21" } }), 422, "issueDate");
    expect(future.errors).toEqual([{ path: "issueDate", message: "must not be in the future (today is 2026-11-20)" }]);
    expectProblem(await t.call("POST", url, { token: o.token, body: { issueDate: "2026-02-29" } }), 422, "issueDate");
    expectProblem(await t.call("POST", url, { token: o.token, body: { issueDate: "20/11/2026" } }), 422, "issueDate");
    expectProblem(await t.call("POST", url, { token: o.token, body: { number: "F2026-00099" } }), 422, "number");
    expect(counter(t, o.companyId)).toBeUndefined();
  });

  it("an issued invoice never changes: PATCH and DELETE answer 409 with the reason", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const inv = await issuedInvoice(t, o);
    const url = `/companies/${o.companyId}/invoices/${inv.id}`;
    const patch = expectProblem(await t.call("PATCH", url, { token: o.token, body: { notes: "corrigé" } }), 409);
    expect(patch.detail).toBe("Invoice F2026-00001 is issued and can no longer be changed: issued documents are final. Correct it with a credit note.");
    const del = expectProblem(await t.call("DELETE", url, { token: o.token }), 409);
    expect(del.detail).toBe("Invoice F2026-00001 is issued and can no longer be deleted: issued documents are final. Correct it with a credit note.");
    expect((await t.call("GET", url, { token: o.token })).json).toEqual(inv);
  });

  it("keeps the customer as it was when issued; drafts follow the customer", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const inv = await issuedInvoice(t, o);
    const d = await draft(t, o, draftBody(o.customerId));
    await t.call("PATCH", `/companies/${o.companyId}/customers/${o.customerId}`, { token: o.token, body: { name: "Dupont Boulangers SAS" } });
    expect((await t.call("GET", `/companies/${o.companyId}/invoices/${inv.id}`, { token: o.token })).json.customer.name).toBe("Boulangerie Dupont");
    expect((await t.call("GET", `/companies/${o.companyId}/invoices/${d.id}`, { token: o.token })).json.customer.name).toBe("Dupont Boulangers SAS");
  });

  it("a 0 % line needs an exemption reason (422 on vatExemption), which applies only when every line is at 0 %", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const zero = await draft(t, o, draftBody(o.customerId, [line(50000, 0)]));
    const url = `/companies/${o.companyId}/invoices/${zero.id}`;
    const missing = expectProblem(await t.call("POST", `${url}/issue`, { token: o.token, body: {} }), 422, "vatExemption");
    expect(missing.errors).toEqual([{ path: "vatExemption", message: "is required when a line has 0 % VAT (franchise, reverse_charge, intra_eu or export)" }]);
    const mixed = await draft(t, o, { ...draftBody(o.customerId, [line(50000, 0), line(100, 2000)]), vatExemption: "franchise" });
    expectProblem(await t.call("POST", `/companies/${o.companyId}/invoices/${mixed.id}/issue`, { token: o.token, body: {} }), 422, "vatExemption");
    expectProblem(await t.call("PATCH", url, { token: o.token, body: { vatExemption: "tax_free" } }), 422, "vatExemption");
    expect(counter(t, o.companyId)).toBeUndefined();

    await t.call("PATCH", url, { token: o.token, body: { vatExemption: "franchise" } });
    const issued = await t.call("POST", `${url}/issue`, { token: o.token, body: {} });
    expect(issued.status).toBe(200);
    expect(issued.json).toMatchObject({
      number: "F2026-00001",
      vatExemption: "franchise",
      totals: { htCents: 50000, vatCents: 0, ttcCents: 50000, byRate: [{ vatRateBp: 0, baseCents: 50000, vatCents: 0 }] },
    });
  });

  it("refuses to issue an invoice of zero", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const free = await draft(t, o, draftBody(o.customerId, [line(0)]));
    expectProblem(await t.call("POST", `/companies/${o.companyId}/invoices/${free.id}/issue`, { token: o.token, body: {} }), 422, "lines");
  });

  it("starts a new series each calendar year", async () => {
    const t = createTestApp({ now: "2026-12-30T15:00:00Z" });
    const o = await ownerWithCompany(t);
    await issuedInvoice(t, o, "2026-12-30");
    t.clock.set("2027-01-04T09:00:00Z");
    const next = await issuedInvoice(t, o, "2027-01-04");
    expect(next.number).toBe("F2027-00001");
    expect(counter(t, o.companyId, "F2027")).toBe(1);
  });

  it("a unique index stands behind the counter: two documents can never share a number", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    await issuedInvoice(t, o);
    const second = await issuedInvoice(t, o);
    // each engine names the broken index its own way: SQLite by its columns, PostgreSQL by its name
    const broken = (columns: string, index: string) =>
      isPostgres(t.deps.db) ? new RegExp(`duplicate key value violates unique constraint "${index}"`) : new RegExp(`UNIQUE constraint failed: ${columns}`);
    expect(() =>
      t.deps.db.prepare("UPDATE invoices SET number = 'F2026-00001' WHERE id = ?").run(second.id),
    ).toThrow(broken("invoices.company_id, invoices.number", "invoices_number"));
    expect(() =>
      t.deps.db.prepare("UPDATE invoices SET series_counter = 1 WHERE id = ?").run(second.id),
    ).toThrow(broken("invoices.company_id, invoices.series_key, invoices.series_counter", "invoices_series"));
  });
});

describe("listing invoices", () => {
  /** i1 paid (A, 1 Oct), i2 partially paid (B, 15 Oct), i3 issued (A, 2 Nov), d4 draft (B, product "Luminaires"), cn5 credit note of i3. */
  async function journal(t: TestApp) {
    const o = await ownerWithCompany(t);
    const c = `/companies/${o.companyId}`;
    const b = (await t.call("POST", `${c}/customers`, { token: o.token, body: { name: "Mme Sophie Leroy", address: "8 rue Mercière, 69002 Lyon", category: "Particuliers" } })).json;
    const product = (await t.call("POST", `${c}/products`, { token: o.token, body: PRODUCT })).json;
    const issue = async (customerId: string, issueDate: string) => {
      const d = await draft(t, o, draftBody(customerId, [line(1000)]));
      return (await t.call("POST", `${c}/invoices/${d.id}/issue`, { token: o.token, body: { issueDate } })).json;
    };
    const i1 = await issue(o.customerId, "2026-10-01");
    const i2 = await issue(b.id, "2026-10-15");
    const i3 = await issue(o.customerId, "2026-11-02");
    const d4 = await draft(t, o, draftBody(b.id, [{ productId: product.id, quantity: "1" }]));
    await t.call("POST", `${c}/payments`, { token: o.token, body: { invoiceId: i1.id, amountCents: 1200, date: "2026-10-20", method: "transfer" } });
    await t.call("POST", `${c}/payments`, { token: o.token, body: { invoiceId: i2.id, amountCents: 500, date: "2026-10-20", method: "card" } });
    const cn5 = (await t.call("POST", `${c}/invoices/${i3.id}/credit-note`, { token: o.token, body: {} })).json;
    const names: Record<string, string> = { [i1.id]: "i1", [i2.id]: "i2", [i3.id]: "i3", [d4.id]: "d4", [cn5.id]: "cn5" };
    const list = async (query: string) => {
      const res = await t.call("GET", `${c}/invoices${query}`, { token: o.token });
      if (res.status !== 200) throw new Error(res.text);
      return res.json.items.map((i: { id: string }) => names[i.id]);
    };
    return { o, c, b, list, ids: { i1, i2, i3, d4, cn5 } };
  }

  it("lists newest first and filters by status, type, dates, customer, category and number", async () => {
    const t = createTestApp();
    const { o, b, list } = await journal(t);
    expect(await list("")).toEqual(["cn5", "d4", "i3", "i2", "i1"]);
    expect(await list("?status=draft")).toEqual(["d4"]);
    expect(await list("?status=issued")).toEqual(["cn5", "i3"]);
    expect(await list("?status=partially_paid")).toEqual(["i2"]);
    expect(await list("?status=paid")).toEqual(["i1"]);
    expect(await list("?type=credit_note")).toEqual(["cn5"]);
    expect(await list("?type=invoice")).toEqual(["d4", "i3", "i2", "i1"]);
    expect(await list("?from=2026-10-10&to=2026-11-05")).toEqual(["i3", "i2"]);
    expect(await list("?from=2026-11-01")).toEqual(["cn5", "i3"]);
    expect(await list("?to=2026-10-01")).toEqual(["i1"]);
    expect(await list(`?customerId=${b.id}`)).toEqual(["d4", "i2"]);
    expect(await list(`?customerId=${o.customerId}&type=invoice&from=2026-10-01&to=2026-10-31`)).toEqual(["i1"]);
    expect(await list("?category=Particuliers")).toEqual(["d4", "i2"]);
    expect(await list("?category=Professionnels")).toEqual(["cn5", "i3", "i1"]);
    expect(await list("?category=Luminaires")).toEqual(["d4"]);
    expect(await list("?q=F2026-00002")).toEqual(["i2"]);
    expect(await list("?q=AV2026")).toEqual(["cn5"]);
  });

  it("adds up the whole filter on every page: issued documents only, credit notes taken off, what is still due", async () => {
    const t = createTestApp();
    const { c, o } = await journal(t);
    const totals = async (query: string) => (await t.call("GET", `${c}/invoices${query}`, { token: o.token })).json.totals;
    // i1, i2, i3 at 10,00 € HT + 2,00 € VAT, cn5 takes i3 off; i2 has 7,00 € left to pay
    const all = { count: 4, htCents: 2000, vatCents: 400, ttcCents: 2400, dueCents: 700 };
    expect(await totals("")).toEqual(all);
    expect(await totals("?limit=1")).toEqual(all);
    const first = await t.call("GET", `${c}/invoices?limit=2`, { token: o.token });
    expect((await t.call("GET", `${c}/invoices?limit=2&cursor=${first.json.nextCursor}`, { token: o.token })).json.totals).toEqual(all);
    expect(await totals("?type=invoice&limit=2")).toEqual({ count: 3, htCents: 3000, vatCents: 600, ttcCents: 3600, dueCents: 700 });
    expect(await totals("?status=draft")).toEqual({ count: 0, htCents: 0, vatCents: 0, ttcCents: 0, dueCents: 0 });
    expect(await totals("?category=Particuliers")).toEqual({ count: 1, htCents: 1000, vatCents: 200, ttcCents: 1200, dueCents: 700 });
    expect(await totals(`?customerId=${o.customerId}&q=AV2026`)).toEqual({ count: 1, htCents: -1000, vatCents: -200, ttcCents: -1200, dueCents: 0 });
  });

  it("reads back statuses and amounts after payments and credit notes", async () => {
    const t = createTestApp();
    const { c, o, ids } = await journal(t);
    const get = async (id: string) => (await t.call("GET", `${c}/invoices/${id}`, { token: o.token })).json;
    expect(await get(ids.i1.id)).toMatchObject({ status: "paid", paidCents: 1200, creditedCents: 0, dueCents: 0 });
    expect(await get(ids.i2.id)).toMatchObject({ status: "partially_paid", paidCents: 500, dueCents: 700 });
    expect(await get(ids.i3.id)).toMatchObject({ status: "issued", paidCents: 0, creditedCents: 1200, dueCents: 0 });
    expect(await get(ids.cn5.id)).toMatchObject({ type: "credit_note", number: "AV2026-00001", creditedInvoiceId: ids.i3.id, creditedInvoiceNumber: "F2026-00003", dueCents: 0 });
  });

  it("pages with the cursor without losing or repeating anything; bad filters are 422", async () => {
    const t = createTestApp();
    const { c, o, list } = await journal(t);
    const seen: string[][] = [];
    let cursor: string | null = null;
    do {
      const res = await t.call("GET", `${c}/invoices?limit=2${cursor ? `&cursor=${cursor}` : ""}`, { token: o.token });
      expect(res.status).toBe(200);
      seen.push(res.json.items.map((i: { number: string | null; id: string }) => i.number ?? "draft"));
      cursor = res.json.nextCursor;
    } while (cursor);
    expect(seen).toEqual([["AV2026-00001", "draft"], ["F2026-00003", "F2026-00002"], ["F2026-00001"]]);
    // the same pages through a filter
    const filtered = await t.call("GET", `${c}/invoices?type=invoice&limit=3`, { token: o.token });
    const rest = await t.call("GET", `${c}/invoices?type=invoice&limit=3&cursor=${filtered.json.nextCursor}`, { token: o.token });
    expect([...filtered.json.items, ...rest.json.items].map((i: { number: string | null }) => i.number)).toEqual([null, "F2026-00003", "F2026-00002", "F2026-00001"]);
    expect(rest.json.nextCursor).toBeNull();
    expect(await list("")).toHaveLength(5);

    expectProblem(await t.call("GET", `${c}/invoices?status=cancelled`, { token: o.token }), 422, "status");
    expectProblem(await t.call("GET", `${c}/invoices?type=quote`, { token: o.token }), 422, "type");
    expectProblem(await t.call("GET", `${c}/invoices?from=2026-02-30`, { token: o.token }), 422, "from");
    expectProblem(await t.call("GET", `${c}/invoices?sort=number`, { token: o.token }), 422, "sort");
    expectProblem(await t.call("GET", `${c}/invoices?cursor=abc`, { token: o.token }), 422, "cursor");
    expectProblem(await t.call("GET", `${c}/invoices/nope`, { token: o.token }), 404);
  });
});
