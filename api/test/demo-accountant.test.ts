import { describe, expect, it } from "vitest";
import { createTestApp } from "./helpers.js";
import { DEMO_ACCOUNTANT, ensureDemo, seedDemo } from "../src/demo/seed.js";
import { allEntries } from "./accounting-helpers.js";

describe("the demo's accountant", () => {
  it("signs in with the printed password, sees the demo company as its accountant, with account codes and the first three months locked", async () => {
    const t = createTestApp();
    const demo = await seedDemo(t.deps, { invoices: 60 });
    expect(demo.accountant).toEqual({ email: "comptable@demo.passerelle.fr", password: "comptable-passerelle-2026" });
    const login = await t.call("POST", "/auth/login", { body: { email: DEMO_ACCOUNTANT.email, password: DEMO_ACCOUNTANT.password } });
    expect(login.status).toBe(200);
    const token = login.json.token as string;
    const me = await t.call("GET", "/me", { token });
    expect(me.json.memberships).toEqual([{ companyId: demo.companyId, companyName: "Maison Lumière SARL", role: "accountant" }]);

    const settings = (await t.call("GET", `/companies/${demo.companyId}/accounting/settings`, { token })).json;
    expect(settings.byProduct).toHaveLength(4);
    expect(settings.byCategory).toEqual([{ category: "Librairie", revenueAccount: "707100" }]);

    // the oldest demo invoice is 425 days before 2026-11-20, i.e. in 2025-09: locked to the end of November
    const locks = (await t.call("GET", `/companies/${demo.companyId}/locks`, { token })).json;
    expect([locks.lockedUntil, locks.kind]).toEqual(["2025-11-30", "soft"]);
    const entries = await allEntries(t, token, demo.companyId);
    expect(entries.filter((e) => e.date <= "2025-11-30").every((e) => e.validatedOn === "2026-11-20")).toBe(true);
    expect(entries.filter((e) => e.date > "2025-11-30").every((e) => e.validatedOn === null)).toBe(true);
    expect(entries.every((e) => e.lines.reduce((s, l) => s + l.debitCents - l.creditCents, 0) === 0)).toBe(true);

    // starting again changes nothing
    const seq = t.deps.db.prepare("SELECT last_seq FROM companies WHERE id = ?").pluck().get(demo.companyId);
    const again = await ensureDemo(t.deps);
    expect([again.created, again.companyId, again.accountant.email]).toEqual([false, demo.companyId, DEMO_ACCOUNTANT.email]);
    expect(t.deps.db.prepare("SELECT last_seq FROM companies WHERE id = ?").pluck().get(demo.companyId)).toBe(seq);
  });
});
