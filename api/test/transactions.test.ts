/**
 * A use-case's transaction never lets another's statements in, on either engine: the services are
 * synchronous, so nothing else runs on the request thread between a transaction's BEGIN and its
 * COMMIT. Proved by counting turns of the event loop while 40 requests write at once: none happens
 * inside any transaction. An asynchronous use-case (one that could yield mid-transaction) is refused.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createTestApp, draftBody, ownerWithCompany } from "./helpers.js";
import { inTransaction, isPostgres } from "../src/db/connection.js";

describe("transactions", () => {
  let stop = () => {};
  afterEach(() => stop());

  it("no turn of the event loop happens inside a use-case's transaction while 40 requests write at once", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    let turns = 0;
    let running = true;
    const turn = () => {
      turns++;
      if (running) setImmediate(turn);
    };
    setImmediate(turn);
    stop = () => (running = false);

    const db = t.deps.db;
    const transaction = db.transaction.bind(db);
    const seen: { turnsAtStart: number; turnsAtEnd: number }[] = [];
    db.transaction = ((fn: (...args: unknown[]) => unknown) =>
      transaction((...args: unknown[]) => {
        const turnsAtStart = turns;
        const result = fn(...args);
        seen.push({ turnsAtStart, turnsAtEnd: turns });
        return result;
      })) as typeof db.transaction;

    const drafts = await Promise.all(Array.from({ length: 40 }, () => t.call("POST", `/companies/${o.companyId}/invoices`, { token: o.token, body: draftBody(o.customerId) })));
    expect(drafts.map((d) => d.status)).toEqual(Array(40).fill(201));
    const issued = await Promise.all(drafts.map((d) => t.call("POST", `/companies/${o.companyId}/invoices/${d.json.id}/issue`, { token: o.token, body: { issueDate: "2026-11-02" } })));
    expect(issued.map((r) => r.status)).toEqual(Array(40).fill(200));
    expect(new Set(issued.map((r) => r.json.number)).size).toBe(40);

    expect(seen.length).toBeGreaterThanOrEqual(80);
    expect(turns).toBeGreaterThan(0);
    expect(seen.filter((s) => s.turnsAtEnd !== s.turnsAtStart)).toEqual([]);
  });

  it("refuses a use-case that returns a promise, and keeps none of its writes", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const db = t.deps.db;
    const before = db.prepare("SELECT COUNT(*) FROM customers WHERE company_id = ?").pluck().get(o.companyId);
    expect(() =>
      inTransaction(db, async () => {
        db.prepare("UPDATE customers SET name = 'changed' WHERE company_id = ?").run(o.companyId);
      }),
    ).toThrow("Transaction function cannot return a promise");
    expect(db.inTransaction).toBe(false);
    expect(db.prepare("SELECT COUNT(*) FROM customers WHERE company_id = ? AND name = 'changed'").pluck().get(o.companyId)).toBe(0);
    expect(db.prepare("SELECT COUNT(*) FROM customers WHERE company_id = ?").pluck().get(o.companyId)).toBe(before);
    expect(typeof isPostgres(db)).toBe("boolean");
  });
});
