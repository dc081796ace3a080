/**
 * Month-end across the portfolio: what stands in the way of locking each company at a date, and
 * one lock request for many companies where a refusal in one does not stop the others.
 */
import { describe, expect, it } from "vitest";
import { COMPANY, createTestApp, draftBody, expectProblem, issuedInvoice, type TestApp } from "./helpers.js";
import { accountantOf } from "./accounting-helpers.js";
import { signupOwner } from "./helpers.js";
import { snapshot } from "./route-inventory.js";
import { createCompany } from "../src/services/companies.js";
import { createCustomer } from "../src/services/customers.js";
import { createDraft, issueInvoice } from "../src/services/invoices.js";
import { lockPeriod } from "../src/services/locks.js";
import { isPostgres } from "../src/db/connection.js";

const LINES = [{ description: "Étude", quantity: "3", unitPriceCents: 1001, vatRateBp: 2000, kind: "services" as const }];
const MINUTE = 60_000;

async function company(t: TestApp, token: string, name: string) {
  const c = await t.call("POST", "/companies", { token, body: { ...COMPANY, name } });
  expect(c.status).toBe(201);
  const customer = await t.call("POST", `/companies/${c.json.id}/customers`, { token, body: { name: `Client de ${name}`, address: "1 place Bellecour, 69002 Lyon" } });
  return { token, companyId: c.json.id as string, customerId: customer.json.id as string };
}

/**
 * The accountant follows Alpha (October's invoices, a payment, drafts, a FEC exported before the last
 * invoice), Bravo (already locked up to 31 October), Charlie (nothing yet); Delta is theirs as an
 * owner; Echo is not theirs at all.
 */
async function portfolio() {
  const t = createTestApp();
  const owner = await signupOwner(t, "Propriétaire");
  const alpha = await company(t, owner.token, "Alpha");
  const bravo = await company(t, owner.token, "Bravo");
  const charlie = await company(t, owner.token, "Charlie");
  const delta = await company(t, owner.token, "Delta");
  const echo = await company(t, owner.token, "Echo");
  const accountant = await accountantOf(t, alpha.companyId);
  const join = (companyId: string, role: string) =>
    t.deps.db.prepare("INSERT INTO memberships (company_id, user_id, role, created_at) VALUES (?, ?, ?, ?)").run(companyId, accountant.user.id, role, t.clock.now().toISOString());
  join(bravo.companyId, "accountant");
  join(charlie.companyId, "accountant");
  join(delta.companyId, "owner");

  const f1 = await issuedInvoice(t, alpha, "2026-10-05", LINES);
  await issuedInvoice(t, alpha, "2026-10-20", LINES);
  expect((await t.call("POST", `/companies/${alpha.companyId}/payments`, { token: owner.token, body: { invoiceId: f1.id, amountCents: 1000, date: "2026-10-10", method: "transfer" } })).status).toBe(201);
  const draft = async (issueDate?: string) =>
    expect((await t.call("POST", `/companies/${alpha.companyId}/invoices`, { token: owner.token, body: { ...draftBody(alpha.customerId, LINES), ...(issueDate ? { issueDate } : {}) } })).status).toBe(201);
  await draft("2026-10-28");
  await draft("2026-11-05");
  await draft();
  t.clock.advance(MINUTE);
  const fec = await t.call("GET", `/companies/${alpha.companyId}/exports/fec?from=2026-10-01&to=2026-10-31`, { token: accountant.token });
  expect(fec.status).toBe(200);
  const exportedAt = t.clock.now().toISOString();
  t.clock.advance(MINUTE);
  await issuedInvoice(t, alpha, "2026-10-30", LINES);
  await issuedInvoice(t, alpha, "2026-11-10", LINES);
  expect((await t.call("POST", `/companies/${bravo.companyId}/locks`, { token: accountant.token, body: { until: "2026-10-31", kind: "soft" } })).status).toBe(201);
  return { t, owner, accountant, alpha, bravo, charlie, delta, echo, exportedAt };
}

describe("GET /accountant/month-end", () => {
  it("lists every company of the caller by name with its drafts, documents issued since the last export, unpaid invoices and lock", async () => {
    const { t, accountant, alpha, bravo, charlie, delta, exportedAt } = await portfolio();
    const res = await t.call("GET", "/accountant/month-end?date=2026-10-31", { token: accountant.token });
    expect(res.status).toBe(200);
    expect(res.json.date).toBe("2026-10-31");
    const siren = COMPANY.siren;
    expect(res.json.items).toEqual([
      // three invoices of 30,03 € HT (36,04 € TTC) dated in October, 10 € paid on the first; the draft of 28 October; one invoice issued after the FEC
      { companyId: alpha.companyId, name: "Alpha", siren, role: "accountant", lockedUntil: null, lockKind: null, hardUntil: null, drafts: 1, lastExportAt: exportedAt, lastRefreshAt: null, issuedSinceExport: 1, unpaidCount: 3, unpaidCents: 3 * 3604 - 1000 },
      { companyId: bravo.companyId, name: "Bravo", siren, role: "accountant", lockedUntil: "2026-10-31", lockKind: "soft", hardUntil: null, drafts: 0, lastExportAt: null, lastRefreshAt: null, issuedSinceExport: 0, unpaidCount: 0, unpaidCents: 0 },
      { companyId: charlie.companyId, name: "Charlie", siren, role: "accountant", lockedUntil: null, lockKind: null, hardUntil: null, drafts: 0, lastExportAt: null, lastRefreshAt: null, issuedSinceExport: 0, unpaidCount: 0, unpaidCents: 0 },
      { companyId: delta.companyId, name: "Delta", siren, role: "owner", lockedUntil: null, lockKind: null, hardUntil: null, drafts: 0, lastExportAt: null, lastRefreshAt: null, issuedSinceExport: 0, unpaidCount: 0, unpaidCents: 0 },
    ]);
    // a workbook refreshed after the last invoice has seen it; one refreshed before the export has not
    const refreshedAt = t.clock.now().toISOString();
    const seen = await t.call("GET", `/accountant/month-end?date=2026-10-31&refreshed=${alpha.companyId}:${refreshedAt},${charlie.companyId}:2026-11-01T08:00:00Z`, { token: accountant.token });
    expect(seen.status).toBe(200);
    expect(seen.json.items.map((x: { lastRefreshAt: string | null; issuedSinceExport: number }) => [x.lastRefreshAt, x.issuedSinceExport])).toEqual([
      [refreshedAt, 0],
      [null, 0],
      ["2026-11-01T08:00:00.000Z", 0],
      [null, 0],
    ]);
    const before = await t.call("GET", `/accountant/month-end?date=2026-10-31&refreshed=${alpha.companyId}:2026-11-01T08:00:00.000Z`, { token: accountant.token });
    expect(before.json.items[0]).toMatchObject({ lastRefreshAt: "2026-11-01T08:00:00.000Z", issuedSinceExport: 1 });
    for (const bad of [`${alpha.companyId}`, `${alpha.companyId}:2026-11-31T08:00:00Z`, `${alpha.companyId}:2026-11-01`, "' OR 1=1 --:2026-11-01T08:00:00Z"]) {
      expectProblem(await t.call("GET", `/accountant/month-end?date=2026-10-31&refreshed=${encodeURIComponent(bad)}`, { token: accountant.token }), 422, "refreshed");
    }
    // at 15 October: only the first invoice, issued before the export
    const mid = await t.call("GET", "/accountant/month-end?date=2026-10-15", { token: accountant.token });
    expect(mid.json.items[0]).toMatchObject({ name: "Alpha", drafts: 0, issuedSinceExport: 0, unpaidCount: 1, unpaidCents: 2604 });
  });

  it("a key limited to one company sees that company only; a bad date is a 422 naming `date`", async () => {
    const { t, accountant, bravo } = await portfolio();
    const key = await t.call("POST", "/api-keys", { token: accountant.token, body: { name: "Bravo seule", scope: "read", companyId: bravo.companyId } });
    expect(key.status).toBe(201);
    const res = await t.call("GET", "/accountant/month-end?date=2026-10-31", { token: key.json.secret });
    expect(res.status).toBe(200);
    expect(res.json.items.map((x: { name: string }) => x.name)).toEqual(["Bravo"]);
    expectProblem(await t.call("GET", "/accountant/month-end?date=2026-02-30", { token: accountant.token }), 422, "date");
    expectProblem(await t.call("GET", "/accountant/month-end", { token: accountant.token }), 422, "date");
    expectProblem(await t.call("GET", "/accountant/month-end?date=2026-10-31"), 401);
  });
});

describe("POST /accountant/locks", () => {
  it("previews each company's lock without changing anything, then locks those it may and says why the others are refused", async () => {
    const { t, accountant, alpha, bravo, charlie, delta, echo } = await portfolio();
    const companies = [alpha.companyId, bravo.companyId, charlie.companyId, delta.companyId, echo.companyId];
    const before = snapshot(t);
    const preview = await t.call("POST", "/accountant/locks", { token: accountant.token, body: { until: "2026-10-31", companies, preview: true } });
    expect(preview.status).toBe(200);
    expect(snapshot(t)).toEqual(before);
    expect(preview.json).toMatchObject({ until: "2026-10-31", kind: "soft", preview: true, locked: 2, refused: 3 });
    const [a, b, c, d, e] = preview.json.items;
    expect(a).toEqual({
      companyId: alpha.companyId,
      name: "Alpha",
      outcome: "would_lock",
      lockedUntil: null,
      lockKind: null,
      preview: { from: null, to: "2026-10-31", documents: 3, drafts: 1, htCents: 3 * 3003, vatCents: 3 * 601, ttcCents: 3 * 3604 },
      problem: null,
    });
    expect(b).toMatchObject({ name: "Bravo", outcome: "refused", lockedUntil: "2026-10-31", lockKind: "soft", preview: null, problem: { status: 409, errors: [{ path: "until", message: "must be after the current lock (2026-10-31)" }] } });
    expect(c).toMatchObject({ name: "Charlie", outcome: "would_lock", preview: { from: null, to: "2026-10-31", documents: 0, drafts: 0, htCents: 0, vatCents: 0, ttcCents: 0 } });
    expect(d).toMatchObject({ name: "Delta", outcome: "refused", problem: { status: 403, detail: "Only the company's accountants change account codes, locks and exports." } });
    expect(e).toEqual({ companyId: echo.companyId, name: null, outcome: "refused", lockedUntil: null, lockKind: null, preview: null, problem: { status: 404, title: "Not Found", detail: "This company does not exist or is not visible to you." } });

    const res = await t.call("POST", "/accountant/locks", { token: accountant.token, body: { until: "2026-10-31", companies } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ preview: false, locked: 2, refused: 3 });
    expect(res.json.items.map((x: { outcome: string }) => x.outcome)).toEqual(["locked", "refused", "locked", "refused", "refused"]);
    expect(res.json.items[0]).toMatchObject({ lockedUntil: "2026-10-31", lockKind: "soft", preview: { documents: 3, ttcCents: 10812 } });
    for (const [x, until] of [[alpha, "2026-10-31"], [bravo, "2026-10-31"], [charlie, "2026-10-31"], [delta, null], [echo, null]] as const) {
      const state = await t.call("GET", `/companies/${x.companyId}/locks`, { token: x.token });
      expect(state.json.lockedUntil).toBe(until);
    }
    // Bravo's refusal left it as it was: one lock only
    expect((await t.call("GET", `/companies/${bravo.companyId}/locks`, { token: accountant.token })).json.history).toHaveLength(1);
    // the entries of Alpha's October are frozen, as with its own lock route: three invoices and the payment
    expect(t.deps.db.prepare("SELECT source_kind, entry_date FROM frozen_entries WHERE company_id = ? ORDER BY entry_date").raw().all(alpha.companyId)).toEqual([
      ["invoice", "2026-10-05"],
      ["payment", "2026-10-10"],
      ["invoice", "2026-10-20"],
      ["invoice", "2026-10-30"],
    ]);
    // the month-end view follows: Alpha's October draft is now behind the lock
    const view = await t.call("GET", "/accountant/month-end?date=2026-10-31", { token: accountant.token });
    expect(view.json.items[0]).toMatchObject({ name: "Alpha", lockedUntil: "2026-10-31", drafts: 0 });
  });

  it("refuses a date in the future per company, and bad bodies as a whole with 422 naming the field, changing nothing", async () => {
    const { t, accountant, alpha, charlie } = await portfolio();
    const before = snapshot(t);
    const future = await t.call("POST", "/accountant/locks", { token: accountant.token, body: { until: "2026-11-30", companies: [alpha.companyId, charlie.companyId] } });
    expect(future.status).toBe(200);
    expect(future.json.items.map((x: { problem: { status: number; errors: unknown[] } }) => [x.problem.status, x.problem.errors])).toEqual([
      [422, [{ path: "until", message: "must not be in the future (today is 2026-11-20): only past days can be locked" }]],
      [422, [{ path: "until", message: "must not be in the future (today is 2026-11-20): only past days can be locked" }]],
    ]);
    expectProblem(await t.call("POST", "/accountant/locks", { token: accountant.token, body: { until: "2026-10-31", companies: [] } }), 422, "companies");
    expectProblem(await t.call("POST", "/accountant/locks", { token: accountant.token, body: { until: "2026-10-32", companies: [alpha.companyId] } }), 422, "until");
    expectProblem(await t.call("POST", "/accountant/locks", { token: accountant.token, body: { until: "2026-10-31", companies: ["' OR 1=1 --"] } }), 422, "companies.0");
    expectProblem(await t.call("POST", "/accountant/locks", { token: accountant.token, body: { until: "2026-10-31", kind: "firm", companies: [alpha.companyId] } }), 422, "kind");
    expect(snapshot(t)).toEqual(before);
  });
});

describe("who may lock what", () => {
  it("a read-only key locks nothing (403); a stranger sees no company and is refused each one as unknown (404)", async () => {
    const { t, accountant, alpha, charlie } = await portfolio();
    const key = await t.call("POST", "/api-keys", { token: accountant.token, body: { name: "Lecture", scope: "read" } });
    const stranger = await signupOwner(t, "Inconnu");
    const before = snapshot(t);
    // a read-only key may not write at all: the whole request is refused
    expectProblem(await t.call("POST", "/accountant/locks", { token: key.json.secret, body: { until: "2026-10-31", companies: [alpha.companyId, charlie.companyId] } }), 403);
    expect((await t.call("GET", "/accountant/month-end?date=2026-10-31", { token: stranger.token })).json).toEqual({ date: "2026-10-31", items: [] });
    const byStranger = await t.call("POST", "/accountant/locks", { token: stranger.token, body: { until: "2026-10-31", companies: [alpha.companyId], preview: true } });
    expect(byStranger.json.items).toEqual([
      { companyId: alpha.companyId, name: null, outcome: "refused", lockedUntil: null, lockKind: null, preview: null, problem: { status: 404, title: "Not Found", detail: "This company does not exist or is not visible to you." } },
    ]);
    expect(snapshot(t)).toEqual(before);
  });
});

describe("at 500 companies", () => {
  it("one statement answers for the whole portfolio, with each company's own figures", async () => {
    const t = createTestApp();
    const owner = await signupOwner(t, "Propriétaire");
    const accountant = await signupOwner(t, "Comptable");
    const ctx = { db: t.deps.db, clock: t.deps.clock, config: t.deps.config, actorId: owner.user.id };
    const actx = { ...ctx, actorId: accountant.user.id };
    const made: { id: string; n: number }[] = [];
    // 500 companies on SQLite; 100 on PostgreSQL, where making each one through the use-cases costs a
    // round trip per statement (the statement counted below is one whatever the number)
    const companies = isPostgres(t.deps.db) ? 100 : 500;
    for (let n = 1; n <= companies; n++) {
      const c = createCompany(ctx, { ...COMPANY, name: `Société ${String(n).padStart(3, "0")}`, fiscalYearStart: "01-01", paymentTermsDays: 30 });
      t.deps.db.prepare("INSERT INTO memberships (company_id, user_id, role, created_at) VALUES (?, ?, 'accountant', ?)").run(c.id, accountant.user.id, t.clock.now().toISOString());
      const customer = createCustomer(ctx, c.id, { name: "Client", address: "1 place Bellecour, 69002 Lyon" });
      // n % 3 issued invoices in October, n % 4 drafts dated 15 October; every fifth company locked up to 30 September
      for (let i = 0; i < n % 3; i++) issueInvoice(ctx, c.id, createDraft(ctx, c.id, { customerId: customer.id, lines: LINES }).id, { issueDate: "2026-10-12" });
      for (let i = 0; i < n % 4; i++) createDraft(ctx, c.id, { customerId: customer.id, issueDate: "2026-10-15", lines: LINES });
      if (n % 5 === 0) lockPeriod(actx, c.id, { until: "2026-09-30", kind: "soft" });
      made.push({ id: c.id, n });
    }
    const statements: string[] = [];
    const prepare = t.deps.db.prepare.bind(t.deps.db);
    t.deps.db.prepare = ((sql: string) => (statements.push(sql), prepare(sql))) as typeof t.deps.db.prepare;
    const started = performance.now();
    const res = await t.call("GET", "/accountant/month-end?date=2026-10-31", { token: accountant.token });
    const elapsed = performance.now() - started;
    t.deps.db.prepare = prepare;
    expect(res.status).toBe(200);
    console.log(`month-end of ${companies} companies: ${elapsed.toFixed(0)} ms, ${statements.filter((s) => /invoices/.test(s)).length} statement(s) over invoices`);
    expect(statements.filter((s) => /\binvoices\b/.test(s))).toHaveLength(1);
    expect(res.json.items).toHaveLength(companies);
    expect(res.json.items.map((x: { companyId: string }) => x.companyId)).toEqual(made.map((m) => m.id));
    for (const [i, x] of (res.json.items as { drafts: number; issuedSinceExport: number; unpaidCount: number; unpaidCents: number; lockedUntil: string | null }[]).entries()) {
      const n = i + 1;
      expect(x, `Société ${n}`).toEqual(
        expect.objectContaining({ drafts: n % 4, issuedSinceExport: n % 3, unpaidCount: n % 3, unpaidCents: (n % 3) * 3604, lockedUntil: n % 5 === 0 ? "2026-09-30" : null }),
      );
    }
    expect(elapsed).toBeLessThan(1000);
  }, 120_000);
});
