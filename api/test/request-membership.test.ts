import { describe, expect, it } from "vitest";
import { createTestApp, CUSTOMER, ownerWithCompany, signupOwner } from "./helpers.js";
import { accountantOf } from "./accounting-helpers.js";

const MEMBERSHIP = "SELECT role FROM memberships WHERE company_id = ? AND user_id = ?";

/** Counts how often the membership statement is asked for while `fn` runs. */
async function membershipReads(db: { prepare: (sql: string) => unknown }, fn: () => Promise<void>): Promise<number> {
  const prepare = db.prepare;
  let reads = 0;
  db.prepare = function (this: unknown, sql: string) {
    if (sql === MEMBERSHIP) reads++;
    return prepare.call(this, sql);
  } as typeof prepare;
  try {
    await fn();
  } finally {
    db.prepare = prepare;
  }
  return reads;
}

describe("a company's request checks its caller's membership once", () => {
  it("the guard's reading decides the route's access: one membership read for a journal page, for changes, for the company", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const accountant = await accountantOf(t, o.companyId);
    for (const path of [`/companies/${o.companyId}/sales-journal?limit=5`, `/companies/${o.companyId}/changes`, `/companies/${o.companyId}`]) {
      let status = 0;
      const reads = await membershipReads(t.deps.db as never, async () => {
        status = (await t.call("GET", path, { token: accountant.token })).status;
      });
      expect({ path, status, reads }).toEqual({ path, status: 200, reads: 1 });
    }
  });

  it("a membership removed between two requests is refused on the next one (404), and the owner's write layer stays refused to the accountant (403)", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const accountant = await accountantOf(t, o.companyId);
    const path = `/companies/${o.companyId}/sales-journal`;
    expect((await t.call("GET", path, { token: accountant.token })).status).toBe(200);
    expect((await t.call("POST", `/companies/${o.companyId}/customers`, { token: accountant.token, body: CUSTOMER })).status).toBe(403);
    t.deps.db.prepare("DELETE FROM memberships WHERE company_id = ? AND user_id = ?").run(o.companyId, accountant.user.id);
    expect((await t.call("GET", path, { token: accountant.token })).status).toBe(404);
    const stranger = await signupOwner(t, "Inconnu");
    expect((await t.call("GET", path, { token: stranger.token })).status).toBe(404);
  });
});
