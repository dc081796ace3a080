import { describe, expect, it } from "vitest";
import { createTestApp, draftBody, expectProblem, issuedInvoice, ownerWithCompany, PRODUCT, type TestApp } from "./helpers.js";
import { UNCHAINED, UNCHAINED_POSTGRES } from "../src/services/integrity.js";
import { dropTrigger } from "./engine-helpers.js";
import { isPostgres } from "../src/db/connection.js";

type Owner = Awaited<ReturnType<typeof ownerWithCompany>>;

async function integrity(t: TestApp, o: Owner) {
  const res = await t.call("GET", `/companies/${o.companyId}/integrity`, { token: o.token });
  expect(res.status).toBe(200);
  return res.json;
}

/** Three invoices, a payment and a credit note. */
async function books(t: TestApp) {
  const o = await ownerWithCompany(t);
  const i1 = await issuedInvoice(t, o, "2026-11-02");
  const i2 = await issuedInvoice(t, o, "2026-11-05", [{ description: "Pose", quantity: "2", unitPriceCents: 6800, vatRateBp: 1000 }]);
  const i3 = await issuedInvoice(t, o, "2026-11-10");
  const payment = (await t.call("POST", `/companies/${o.companyId}/payments`, { token: o.token, body: { invoiceId: i1.id, amountCents: 1000, date: "2026-11-12", method: "transfer" } })).json;
  const cn = (await t.call("POST", `/companies/${o.companyId}/invoices/${i3.id}/credit-note`, { token: o.token, body: {} })).json;
  return { o, i1, i2, i3, payment, cn };
}

const activityRows = (t: TestApp, companyId: string) => t.deps.db.prepare("SELECT COUNT(*) FROM activity WHERE company_id = ?").pluck().get(companyId) as number;

describe("integrity", () => {
  it("a new company is valid; so are its books after issuing, paying and crediting", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    expect(await integrity(t, o)).toEqual({ ok: true, chain: "valid", numbering: "continuous", checkedRecords: 2, problems: [] });
    const { o: o2 } = await books(t);
    // 5 chained records (3 invoices, 1 payment, 1 credit note) + every activity row
    expect(await integrity(t, o2)).toEqual({ ok: true, chain: "valid", numbering: "continuous", checkedRecords: 5 + activityRows(t, o2.companyId), problems: [] });
  });

  it("every write of the owner's data appends a hash-chained activity row whose seq is the company's change sequence", async () => {
    const t = createTestApp();
    const { o } = await books(t);
    await t.call("POST", `/companies/${o.companyId}/products`, { token: o.token, body: PRODUCT });
    const rows = t.deps.db.prepare("SELECT seq, action, actor_id FROM activity WHERE company_id = ? ORDER BY seq").all(o.companyId) as { seq: number; action: string; actor_id: string }[];
    expect(rows.map((r) => r.action)).toEqual([
      "company.created",
      "customer.created",
      ...Array(3).fill(["invoice.draft_created", "invoice.issued"]).flat(),
      "payment.recorded",
      "credit_note.issued",
      "product.created",
    ]);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i + 1));
    expect(new Set(rows.map((r) => r.actor_id))).toEqual(new Set([o.user.id]));
    expect(t.deps.db.prepare("SELECT last_seq FROM companies WHERE id = ?").pluck().get(o.companyId)).toBe(rows.length);
  });

  it("changing a line of an issued invoice in the database breaks the chain, naming the invoice", async () => {
    const t = createTestApp();
    const { o, i2 } = await books(t);
    t.deps.db.prepare("UPDATE invoice_lines SET unit_price_cents = 680 WHERE invoice_id = ?").run(i2.id);
    const report = await integrity(t, o);
    expect(report.ok).toBe(false);
    expect(report.chain).toBe("broken");
    expect(report.numbering).toBe("continuous");
    expect(report.problems).toEqual([
      { kind: "chain", record: "F2026-00002", message: "chain position 2: F2026-00002 was changed after it became final (hash mismatch)" },
      { kind: "totals", record: "F2026-00002", message: "F2026-00002: stored totals differ from its lines" },
    ]);
  });

  it("an issued document missing from the chain breaks it, and that is found from the chain's ids gathered once", async () => {
    const t = createTestApp();
    const { o, cn } = await books(t);
    const db = t.deps.db;
    // the chain refuses deletes: the trigger steps aside to play the tamperer, taking the last link (the credit note's)
    dropTrigger(db, "record_chain_no_delete", "record_chain");
    db.prepare("DELETE FROM record_chain WHERE company_id = ? AND record_id = ?").run(o.companyId, cn.id);
    const report = await integrity(t, o);
    expect(report).toMatchObject({ ok: false, chain: "broken", numbering: "continuous" });
    expect(report.problems).toEqual([{ kind: "chain", record: "AV2026-00001", message: "AV2026-00001 is issued but not in the chain" }]);
    // one pass over the chain, not one per document (it has no index by record)
    if (isPostgres(db)) {
      // PostgreSQL joins the documents with the chain (an anti-join, its method chosen by size), never
      // a subplan run again for each document
      const plan = (db.prepare(`EXPLAIN ${UNCHAINED_POSTGRES}`).pluck().all({ companyId: o.companyId }) as string[]).join("\n");
      expect(plan).toMatch(/Anti Join/);
      expect(plan).not.toMatch(/SubPlan/);
    } else {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${UNCHAINED}`).all({ companyId: o.companyId }) as { detail: string }[]).map((r) => r.detail);
      expect(plan).toContain("LIST SUBQUERY 1");
      expect(plan.some((d) => d.includes("CORRELATED"))).toBe(false);
    }
  });

  it("changing the customer printed on an issued invoice breaks the chain", async () => {
    const t = createTestApp();
    const { o, i1 } = await books(t);
    // frozen identities never change (a trigger refuses): the invoice is pointed at another one
    const db = t.deps.db;
    const frozen = db.prepare("SELECT f.json FROM invoices i JOIN frozen_identities f ON f.id = i.customer_identity_id WHERE i.id = ?").pluck().get(i1.id) as string;
    expect(() => db.prepare("UPDATE frozen_identities SET json = '{}'").run()).toThrow("frozen identities never change");
    const other = db.prepare("INSERT INTO frozen_identities (company_id, json) VALUES (?, ?) RETURNING id").pluck().get(o.companyId, JSON.stringify({ ...JSON.parse(frozen), name: "Autre client" }));
    db.prepare("UPDATE invoices SET customer_identity_id = ? WHERE id = ?").run(other, i1.id);
    const report = await integrity(t, o);
    expect(report).toMatchObject({ ok: false, chain: "broken", numbering: "continuous" });
    expect(report.problems).toEqual([{ kind: "chain", record: "F2026-00001", message: "chain position 1: F2026-00001 was changed after it became final (hash mismatch)" }]);
  });

  it("changing a payment or a credit note breaks the chain at that record", async () => {
    const t = createTestApp();
    const { o, payment } = await books(t);
    t.deps.db.prepare("UPDATE payments SET amount_cents = 3604 WHERE id = ?").run(payment.id);
    const report = await integrity(t, o);
    expect(report.chain).toBe("broken");
    expect(report.problems[0]).toEqual({ kind: "chain", record: `payment ${payment.id}`, message: `chain position 4: payment ${payment.id} was changed after it became final (hash mismatch)` });

    const t2 = createTestApp();
    const b = await books(t2);
    t2.deps.db.prepare("UPDATE invoices SET issue_date = '2026-11-19' WHERE id = ?").run(b.cn.id);
    const r2 = await integrity(t2, b.o);
    expect(r2.problems[0]).toMatchObject({ kind: "chain", record: "AV2026-00001" });
  });

  it("a deleted issued invoice leaves a gap in the numbering and a hole in the chain, both named", async () => {
    const t = createTestApp();
    const { o, i2 } = await books(t);
    t.deps.db.prepare("DELETE FROM invoices WHERE id = ?").run(i2.id);
    const report = await integrity(t, o);
    expect(report).toMatchObject({ ok: false, chain: "broken", numbering: "gaps" });
    expect(report.problems).toEqual([
      { kind: "chain", record: i2.id, message: "chain position 2: the invoice it points to is missing" },
      { kind: "numbering", record: "F2026-00003", message: "series F2026: expected number 2, found F2026-00003" },
      { kind: "journal_totals", record: "2026-11-05", message: "the journal's sums of 2026-11-05 (invoices) differ from its documents" },
    ]);
  });

  it("the journal's sums per day are checked against the documents: a sum changed in the database is reported, naming its day", async () => {
    const t = createTestApp();
    const { o } = await books(t);
    const db = t.deps.db;
    const days = () => db.prepare("SELECT day, type, documents, ht_cents, vat_cents, ttc_cents, paid_cents FROM journal_days WHERE company_id = ? ORDER BY day, type").raw().all(o.companyId);
    // three invoices (the second at 10 %), the third credited in full on the day of the check, 10 € paid on the first
    expect(days()).toEqual([
      ["2026-11-02", "invoice", 1, 3003, 601, 3604, 1000],
      ["2026-11-05", "invoice", 1, 13600, 1360, 14960, 0],
      ["2026-11-10", "invoice", 1, 3003, 601, 3604, 0],
      ["2026-11-20", "credit_note", 1, 3003, 601, 3604, 0],
    ]);
    expect((await integrity(t, o)).ok).toBe(true);

    db.prepare("UPDATE journal_days SET paid_cents = paid_cents + 1 WHERE company_id = ? AND day = '2026-11-02'").run(o.companyId);
    expect(await integrity(t, o)).toMatchObject({
      ok: false,
      chain: "valid",
      numbering: "continuous",
      problems: [{ kind: "journal_totals", record: "2026-11-02", message: "the journal's sums of 2026-11-02 (invoices) differ from its documents" }],
    });
    db.prepare("UPDATE journal_days SET paid_cents = paid_cents - 1 WHERE company_id = ? AND day = '2026-11-02'").run(o.companyId);

    // a rate's row, then a missing day: each side of the comparison is read
    db.prepare("UPDATE journal_day_rates SET base_cents = base_cents + 100 WHERE company_id = ? AND day = '2026-11-20'").run(o.companyId);
    db.prepare("DELETE FROM journal_days WHERE company_id = ? AND day = '2026-11-10'").run(o.companyId);
    expect((await integrity(t, o)).problems).toEqual([
      { kind: "journal_totals", record: "2026-11-10", message: "the journal's sums of 2026-11-10 (invoices) differ from its documents, and those of 1 other day" },
    ]);
    db.prepare("DELETE FROM journal_days WHERE company_id = ?").run(o.companyId);
    db.prepare("UPDATE journal_day_rates SET base_cents = base_cents - 100 WHERE company_id = ? AND day = '2026-11-20'").run(o.companyId);
    expect((await integrity(t, o)).problems).toEqual([
      { kind: "journal_totals", record: "2026-11-02", message: "the journal's sums of 2026-11-02 (invoices) differ from its documents, and those of 3 other days" },
    ]);
  });

  it("a renumbered invoice is reported as a numbering gap", async () => {
    const t = createTestApp();
    const { o, i3 } = await books(t);
    t.deps.db.prepare("UPDATE invoices SET series_counter = 4, number = 'F2026-00004' WHERE id = ?").run(i3.id);
    const report = await integrity(t, o);
    expect(report.numbering).toBe("gaps");
    expect(report.problems).toContainEqual({ kind: "numbering", record: "F2026-00004", message: "series F2026: expected number 3, found F2026-00004" });
    expect(report.chain).toBe("broken"); // the number is part of the chained record
  });

  it("numbers going back in time are reported", async () => {
    const t = createTestApp();
    const { o, i2 } = await books(t);
    t.deps.db.prepare("UPDATE invoices SET issue_date = '2026-11-01' WHERE id = ?").run(i2.id);
    const report = await integrity(t, o);
    expect(report.numbering).toBe("gaps");
    expect(report.problems).toContainEqual({ kind: "numbering", record: "F2026-00002", message: "F2026-00002 is dated 2026-11-01, before the previous number (2026-11-02)" });
  });

  it("the activity log and the record chain are append-only in the database itself", async () => {
    const t = createTestApp();
    const { o } = await books(t);
    const db = t.deps.db;
    expect(() => db.prepare("UPDATE activity SET action = 'nothing' WHERE company_id = ?").run(o.companyId)).toThrow("the activity log is append-only");
    expect(() => db.prepare("DELETE FROM activity WHERE company_id = ?").run(o.companyId)).toThrow("the activity log is append-only");
    expect(() => db.prepare("UPDATE record_chain SET hash = 'x' WHERE company_id = ?").run(o.companyId)).toThrow("the record chain is append-only");
    expect(() => db.prepare("DELETE FROM record_chain WHERE company_id = ?").run(o.companyId)).toThrow("the record chain is append-only");
    expect((await integrity(t, o)).ok).toBe(true);
  });

  it("an activity row altered behind the triggers' back is reported", async () => {
    const t = createTestApp();
    const { o } = await books(t);
    dropTrigger(t.deps.db, "activity_no_update", "activity");
    t.deps.db.prepare("UPDATE activity SET actor_id = 'someone-else' WHERE company_id = ? AND seq = 4").run(o.companyId);
    const report = await integrity(t, o);
    expect(report).toMatchObject({ ok: false, chain: "broken", numbering: "continuous" });
    expect(report.problems).toEqual([{ kind: "audit", record: "4", message: "audit log entry 4 was altered or an entry before it is missing" }]);
  });

  it("is per company: tampering with one company's books leaves the other valid", async () => {
    const t = createTestApp();
    const a = await books(t);
    const b = await books(t);
    t.deps.db.prepare("UPDATE invoice_lines SET quantity = '30' WHERE invoice_id = ?").run(a.i1.id);
    expect((await integrity(t, a.o)).ok).toBe(false);
    expect((await integrity(t, b.o)).ok).toBe(true);
    const draft = await t.call("POST", `/companies/${b.o.companyId}/invoices`, { token: b.o.token, body: draftBody(b.o.customerId) });
    // drafts are not final: changing them is not tampering
    t.deps.db.prepare("UPDATE invoice_lines SET quantity = '30' WHERE invoice_id = ?").run(draft.json.id);
    expect((await integrity(t, b.o)).ok).toBe(true);
    expectProblem(await t.call("GET", `/companies/${a.o.companyId}/integrity`, { token: b.o.token }), 404);
  });
});
