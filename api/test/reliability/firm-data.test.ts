/**
 * The multi-company benchmark data set verifies like the API's own data, company by company: every
 * hash of each company's record chain and activity log recomputes, numbering is continuous, the
 * accountant follows the companies picked, with the locks picked, and the sizes follow the seed.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { firmSizes, generateFirm } from "../../bench/firm-data.js";
import { openDatabase } from "../../src/db/connection.js";
import { checkIntegrity } from "../../src/services/integrity.js";
import { lockState } from "../../src/services/locks.js";
import { aggregateProblems } from "../../src/db/journal-aggregates.js";
import { tempDir } from "./support.js";

describe("multi-company benchmark data set", () => {
  const dir = tempDir("firm-data");
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("sizes are log-normal clipped to 200–5,000 invoices a year, times the scale, and follow the seed", () => {
    const sizes = firmSizes(2000, 7, 1);
    expect(Math.min(...sizes)).toBe(600);
    expect(Math.max(...sizes)).toBe(15_000);
    const sorted = [...sizes].sort((a, b) => a - b);
    const median = sorted[1000]!;
    expect(median).toBeGreaterThan(2100);
    expect(median).toBeLessThan(2700);
    expect(firmSizes(2000, 7, 1)).toEqual(sizes);
    expect(firmSizes(2000, 8, 1)).not.toEqual(sizes);
    expect(firmSizes(2000, 7, 0.1).map((n) => Math.min(1500, Math.max(60, n)))).toEqual(firmSizes(2000, 7, 0.1));
  });

  it("6 companies, an accountant following 4: each company verifies, the portfolio and its locks are as picked", { timeout: 120_000 }, async () => {
    const file = path.join(dir, "firm.db");
    const g = await generateFirm({ file, companies: 6, followed: 4, scale: 0.02, customersPerCompany: 5, scryptCost: 2 ** 12 });
    expect(g.companies).toHaveLength(6);
    expect(g.companies.filter((c) => c.followed)).toHaveLength(4);
    expect(g.invoices).toBe(g.companies.reduce((s, c) => s + c.invoices, 0));
    const db = openDatabase(file);
    try {
      for (const c of g.companies) {
        const invoices = db.prepare("SELECT COUNT(*) FROM invoices WHERE company_id = ? AND type = 'invoice'").pluck().get(c.id);
        expect(invoices).toBe(c.invoices);
        expect(checkIntegrity(db, c.id)).toMatchObject({ ok: true, chain: "valid", numbering: "continuous", problems: [] });
        expect(aggregateProblems(db, c.id)).toEqual([]);
        const role = db.prepare("SELECT role FROM memberships WHERE company_id = ? AND user_id = ?").pluck().get(c.id, g.accountant.id);
        expect(role).toBe(c.followed ? "accountant" : undefined);
        const state = lockState(db, c.id);
        expect(state.lockedUntil).toBe(c.lock?.until ?? null);
      }
      const owners = db.prepare("SELECT COUNT(DISTINCT user_id) FROM memberships WHERE role = 'owner'").pluck().get();
      expect(owners).toBe(6);
    } finally {
      db.close();
    }
  });
});
