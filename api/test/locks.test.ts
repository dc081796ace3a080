import { describe, expect, it } from "vitest";
import { createTestApp, draftBody, expectProblem, issuedInvoice, ownerWithCompany, type TestApp } from "./helpers.js";
import { accountantOf, allEntries, ownerDataSnapshot } from "./accounting-helpers.js";

const LINES = [{ description: "Étude", quantity: "3", unitPriceCents: 1001, vatRateBp: 2000, kind: "services" as const }];

/** An owner with October invoices and a payment, an accountant, and a draft. */
async function octoberBooks() {
  const t = createTestApp();
  const owner = await ownerWithCompany(t);
  const accountant = await accountantOf(t, owner.companyId);
  const f1 = await issuedInvoice(t, owner, "2026-10-05", LINES);
  const f2 = await issuedInvoice(t, owner, "2026-10-20", LINES);
  const p1 = await t.call("POST", `/companies/${owner.companyId}/payments`, {
    token: owner.token,
    body: { invoiceId: f1.id, amountCents: 1000, date: "2026-10-10", method: "transfer" },
  });
  const draft = await t.call("POST", `/companies/${owner.companyId}/invoices`, { token: owner.token, body: draftBody(owner.customerId, LINES) });
  return { t, owner, accountant, f1, f2, payment: p1.json, draft: draft.json };
}

async function lock(t: TestApp, token: string, companyId: string, until: string, kind: "soft" | "hard" = "soft") {
  return t.call("POST", `/companies/${companyId}/locks`, { token, body: { until, kind } });
}

/** Everything a refused write must leave untouched. */
function fingerprint(t: TestApp, companyId: string) {
  const db = t.deps.db;
  return {
    owner: ownerDataSnapshot(db, companyId),
    activity: db.prepare("SELECT COUNT(*) FROM activity WHERE company_id = ?").pluck().get(companyId),
    lastSeq: db.prepare("SELECT last_seq FROM companies WHERE id = ?").pluck().get(companyId),
    chain: db.prepare("SELECT COUNT(*) || ':' || COALESCE(MAX(position), 0) FROM record_chain WHERE company_id = ?").pluck().get(companyId),
    frozen: db.prepare("SELECT COUNT(*) FROM frozen_entries WHERE company_id = ?").pluck().get(companyId),
  };
}

describe("the lock matrix: every dated write into a locked period is refused and changes nothing", () => {
  it("issuing, crediting, recording or deleting a payment, changing an issued invoice → 409 naming the lock date", async () => {
    const { t, owner, accountant, f1, f2, payment, draft } = await octoberBooks();
    expect((await lock(t, accountant.token, owner.companyId, "2026-10-31")).status).toBe(201);
    const c = owner.companyId;
    const attempts: [string, string, string, object | undefined, number, string | undefined][] = [
      ["issue a draft dated in the period", "POST", `/companies/${c}/invoices/${draft.id}/issue`, { issueDate: "2026-10-25" }, 409, "date"],
      ["issue a credit note dated in the period", "POST", `/companies/${c}/invoices/${f1.id}/credit-note`, { issueDate: "2026-10-25" }, 409, "date"],
      ["record a payment dated in the period", "POST", `/companies/${c}/payments`, { invoiceId: f2.id, amountCents: 100, date: "2026-10-31", method: "cash" }, 409, "date"],
      ["delete a payment dated in the period", "DELETE", `/companies/${c}/payments/${payment.id}`, undefined, 409, "date"],
      ["change an issued invoice", "PATCH", `/companies/${c}/invoices/${f1.id}`, { notes: "changed" }, 409, undefined],
      ["delete an issued invoice", "DELETE", `/companies/${c}/invoices/${f2.id}`, undefined, 409, undefined],
    ];
    for (const [what, method, url, body, status, path] of attempts) {
      const before = fingerprint(t, c);
      const res = await t.call(method, url, { token: owner.token, ...(body ? { body } : {}) });
      const problem = expectProblem(res, status, path);
      if (path) expect(problem.detail, what).toContain("locked up to 2026-10-31 (31/10/2026)");
      expect(fingerprint(t, c), what).toEqual(before);
    }

    // drafts stay editable, even dated in the period — but cannot be issued there
    const patched = await t.call("PATCH", `/companies/${c}/invoices/${draft.id}`, { token: owner.token, body: { issueDate: "2026-10-28" } });
    expect(patched.status).toBe(200);
    const before = fingerprint(t, c);
    expectProblem(await t.call("POST", `/companies/${c}/invoices/${draft.id}/issue`, { token: owner.token, body: {} }), 409, "date");
    expect(fingerprint(t, c)).toEqual(before);
    const issued = await t.call("POST", `/companies/${c}/invoices/${draft.id}/issue`, { token: owner.token, body: { issueDate: "2026-11-02" } });
    expect([issued.status, issued.json.number]).toEqual([200, "F2026-00003"]);

    // a credit note for an invoice of the locked period is dated in the open period
    const credit = await t.call("POST", `/companies/${c}/invoices/${f2.id}/credit-note`, { token: owner.token, body: {} });
    expect([credit.status, credit.json.issueDate]).toEqual([201, "2026-11-20"]);
    // a payment of a locked-period invoice, dated in the open period, is fine
    const pay = await t.call("POST", `/companies/${c}/payments`, { token: owner.token, body: { invoiceId: f1.id, amountCents: 2604, date: "2026-11-03", method: "transfer" } });
    expect(pay.status).toBe(201);
    // and a draft can always be deleted
    const d2 = await t.call("POST", `/companies/${c}/invoices`, { token: owner.token, body: { ...draftBody(owner.customerId, LINES), issueDate: "2026-10-01" } });
    expect((await t.call("DELETE", `/companies/${c}/invoices/${d2.json.id}`, { token: owner.token })).status).toBe(204);
    expect((await t.call("GET", `/companies/${c}/integrity`, { token: owner.token })).json.ok).toBe(true);
  });
});

describe("locking and reopening", () => {
  it("only accountants lock and reopen; owners see the lock state and its history", async () => {
    const { t, owner, accountant } = await octoberBooks();
    expectProblem(await lock(t, owner.token, owner.companyId, "2026-10-31"), 403);
    const res = await lock(t, accountant.token, owner.companyId, "2026-10-31");
    expect(res.status).toBe(201);
    expect(res.json).toEqual({
      lockedUntil: "2026-10-31",
      kind: "soft",
      hardUntil: null,
      history: [{ id: expect.any(String), action: "lock", until: "2026-10-31", kind: "soft", hardUntil: null, reason: null, by: { id: accountant.user.id, name: "Comptable" }, at: "2026-11-20T10:00:00.000Z" }],
    });
    expectProblem(await t.call("POST", `/companies/${owner.companyId}/locks/reopen`, { token: owner.token, body: { to: "2026-09-30", reason: "correction" } }), 403);
    const seen = await t.call("GET", `/companies/${owner.companyId}/locks`, { token: owner.token });
    expect(seen.json).toEqual(res.json);
    expect((await t.call("GET", `/companies/${owner.companyId}`, { token: owner.token })).json.lockedUntil).toBe("2026-10-31");
  });

  it("locks only move forward; never into the future; kind and date are validated", async () => {
    const { t, owner, accountant } = await octoberBooks();
    const c = owner.companyId;
    expect((await lock(t, accountant.token, c, "2026-10-31")).status).toBe(201);
    const back = expectProblem(await lock(t, accountant.token, c, "2026-09-30"), 409, "until");
    expect(back.detail).toBe("The company is already locked up to 2026-10-31; locks only move forward. To move the lock back, reopen the period with a reason.");
    expectProblem(await lock(t, accountant.token, c, "2026-10-31"), 409, "until");
    expectProblem(await lock(t, accountant.token, c, "2026-11-21"), 422, "until");
    expectProblem(await t.call("POST", `/companies/${c}/locks`, { token: accountant.token, body: { until: "2026-11-01", kind: "firm" } }), 422, "kind");
    expectProblem(await t.call("POST", `/companies/${c}/locks`, { token: accountant.token, body: { until: "2026-02-30", kind: "soft" } }), 422, "until");
    expect((await lock(t, accountant.token, c, "2026-11-15")).json.lockedUntil).toBe("2026-11-15");
  });

  it("a soft lock reopens with a reason, which the audit log keeps", async () => {
    const { t, owner, accountant, f2 } = await octoberBooks();
    const c = owner.companyId;
    await lock(t, accountant.token, c, "2026-10-31");
    expectProblem(await t.call("POST", `/companies/${c}/locks/reopen`, { token: accountant.token, body: { to: "2026-09-30" } }), 422, "reason");
    expectProblem(await t.call("POST", `/companies/${c}/locks/reopen`, { token: accountant.token, body: { to: "2026-09-30", reason: "  " } }), 422, "reason");
    expectProblem(await t.call("POST", `/companies/${c}/locks/reopen`, { token: accountant.token, body: { to: "2026-10-31", reason: "pas de changement" } }), 409, "to");
    const reopened = await t.call("POST", `/companies/${c}/locks/reopen`, {
      token: accountant.token,
      body: { to: "2026-10-15", reason: "Paiement de F2026-00002 oublié" },
    });
    expect(reopened.status).toBe(200);
    expect([reopened.json.lockedUntil, reopened.json.kind, reopened.json.history[0].reason]).toEqual(["2026-10-15", "soft", "Paiement de F2026-00002 oublié"]);
    // the reopened days take writes again
    const pay = await t.call("POST", `/companies/${c}/payments`, { token: owner.token, body: { invoiceId: f2.id, amountCents: 100, date: "2026-10-25", method: "cash" } });
    expect(pay.status).toBe(201);
    const audit = await t.call("GET", `/companies/${c}/audit-log?kind=period`, { token: owner.token });
    expect(audit.json.items.map((a: any) => [a.action, a.actor.id, a.recordDate, a.after.reason ?? null])).toEqual([
      ["period.reopened", accountant.user.id, "2026-10-15", "Paiement de F2026-00002 oublié"],
      ["period.locked", accountant.user.id, "2026-10-31", null],
    ]);
    expect(audit.json.items[0].before).toEqual({ lockedUntil: "2026-10-31", kind: "soft", hardUntil: null });
    // fully reopened
    const open = await t.call("POST", `/companies/${c}/locks/reopen`, { token: accountant.token, body: { to: null, reason: "Reprise du dossier" } });
    expect([open.json.lockedUntil, open.json.kind]).toEqual([null, null]);
    expectProblem(await t.call("POST", `/companies/${c}/locks/reopen`, { token: accountant.token, body: { to: null, reason: "encore" } }), 409);
  });

  it("a hard close ends a fiscal year and is final: never reopened, never moved back", async () => {
    const { t, accountant, owner } = await octoberBooks();
    const c = owner.companyId;
    const notYearEnd = expectProblem(await lock(t, accountant.token, c, "2026-06-30", "hard"), 422, "until");
    expect(notYearEnd.detail).toContain("e.g. 2026-12-31");
    expect((await lock(t, accountant.token, c, "2026-03-31")).status).toBe(201);
    // a hard close under the soft lock: the soft lock stays in force
    const closed = await lock(t, accountant.token, c, "2025-12-31", "hard");
    expect([closed.status, closed.json.lockedUntil, closed.json.kind, closed.json.hardUntil]).toEqual([201, "2026-03-31", "soft", "2025-12-31"]);
    expectProblem(await t.call("POST", `/companies/${c}/locks/reopen`, { token: accountant.token, body: { to: "2025-06-30", reason: "revoir 2025" } }), 409, "to");
    expectProblem(await t.call("POST", `/companies/${c}/locks/reopen`, { token: accountant.token, body: { to: null, reason: "tout rouvrir" } }), 409, "to");
    const toClose = await t.call("POST", `/companies/${c}/locks/reopen`, { token: accountant.token, body: { to: "2025-12-31", reason: "revoir le T1" } });
    expect([toClose.status, toClose.json.lockedUntil, toClose.json.kind]).toEqual([200, "2025-12-31", "hard"]);
    const never = expectProblem(await t.call("POST", `/companies/${c}/locks/reopen`, { token: accountant.token, body: { to: "2025-11-30", reason: "erreur" } }), 409, "to");
    expect(never.detail).toContain("closed for good");
    expectProblem(await lock(t, accountant.token, c, "2025-12-31", "hard"), 409, "until");
    expectProblem(await lock(t, accountant.token, c, "2025-06-30"), 409, "until");
    expect((await lock(t, accountant.token, c, "2026-01-31")).json).toMatchObject({ lockedUntil: "2026-01-31", kind: "soft", hardUntil: "2025-12-31" });
  });
});

describe("entries of a locked period are frozen", () => {
  it("validatedOn is the day of the lock; later account codes change only open-period entries; re-reading gives the same bytes", async () => {
    const { t, owner, accountant, f2 } = await octoberBooks();
    const c = owner.companyId;
    await issuedInvoice(t, owner, "2026-11-02", LINES);
    const openBefore = await allEntries(t, accountant.token, c);
    expect(openBefore.map((e) => [e.entryNumber, e.date, e.validatedOn])).toEqual([
      ["VE000001", "2026-10-05", null],
      ["VE000002", "2026-10-20", null],
      ["BQ000001", "2026-10-10", null],
      ["VE000003", "2026-11-02", null],
    ].sort((a, b) => (a[1]! < b[1]! ? -1 : 1)));

    await lock(t, accountant.token, c, "2026-10-31");
    const locked = await allEntries(t, accountant.token, c);
    expect(locked.map((e) => [e.entryNumber, e.validatedOn])).toEqual([
      ["VE000001", "2026-11-20"],
      ["BQ000001", "2026-11-20"],
      ["VE000002", "2026-11-20"],
      ["VE000003", null],
    ]);
    const frozenText = JSON.stringify(await allEntries(t, accountant.token, c, "to=2026-10-31"));

    const put = await t.call("PUT", `/companies/${c}/accounting/settings`, {
      token: accountant.token,
      body: { accounts: { services: "706100", bank: "512100" }, journals: { sales: { code: "VT", label: "Ventes" } }, vatRates: [{ vatRateBp: 2000, vatAccount: "4457121" }] },
    });
    expect(put.status).toBe(200);
    expect(JSON.stringify(await allEntries(t, accountant.token, c, "to=2026-10-31"))).toBe(frozenText);
    expect(JSON.stringify(await allEntries(t, accountant.token, c, "to=2026-10-31"))).toBe(frozenText);
    const after = await allEntries(t, accountant.token, c);
    const november = after.find((e) => e.date === "2026-11-02")!;
    expect([november.entryNumber, november.lines.map((l) => l.account)]).toEqual(["VT000003", ["411000", "706100", "4457121"]]);
    // the frozen entries keep their journal code; `journal=VT` still finds them, as the sales journal
    expect((await allEntries(t, accountant.token, c, "journal=VT")).map((e) => e.entryNumber)).toEqual(["VE000001", "VE000002", "VT000003"]);

    // lettering of a frozen entry may still change: F2 (October) settled in November
    await t.call("POST", `/companies/${c}/payments`, { token: owner.token, body: { invoiceId: f2.id, amountCents: 3604, date: "2026-11-12", method: "transfer" } });
    const lettered = await allEntries(t, accountant.token, c);
    const f2Entry = lettered.find((e) => e.source.id === f2.id)!;
    expect([f2Entry.validatedOn, f2Entry.lines[0]!.lettering, f2Entry.lines[0]!.letteringDate]).toEqual(["2026-11-20", "AA", "2026-11-12"]);
    const { lettering: _l, letteringDate: _d, ...rest } = f2Entry.lines[0]!;
    expect(rest).toEqual(JSON.parse(frozenText).find((e: any) => e.source.id === f2.id).lines[0]);
    expect(lettered.find((e) => e.date === "2026-11-12")!.entryNumber).toBe("BQ000002");

    // reopening lets the reopened days follow the account codes again
    await t.call("POST", `/companies/${c}/locks/reopen`, { token: accountant.token, body: { to: "2026-10-09", reason: "Reclassement des prestations" } });
    const reopened = await allEntries(t, accountant.token, c);
    expect(reopened.map((e) => [e.entryNumber, e.validatedOn, e.lines[1]!.account])).toEqual([
      ["VE000001", "2026-11-20", "706000"],
      ["BQ000001", null, "411000"],
      ["VT000002", null, "706100"],
      ["VT000003", null, "706100"],
      ["BQ000002", null, "411000"],
    ]);
    expect(reopened[1]!.lines[0]!.account).toBe("512100");
  });
});
