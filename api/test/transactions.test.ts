/**
 * A use-case's transaction never lets another's statements in, on either engine: the services are
 * synchronous, so nothing else runs on the request thread between a transaction's BEGIN and its
 * COMMIT. Proved while 40 requests write at once: every statement run inside a transaction comes
 * from the request that opened it, and no turn of the event loop happens inside one. An asynchronous
 * use-case (one that could yield mid-transaction) is refused. A transaction whose COMMIT is refused
 * leaves the connection as it found it.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { afterEach, describe, expect, it } from "vitest";
import { createTestApp, draftBody, ownerWithCompany } from "./helpers.js";
import { inTransaction, isPostgres } from "../src/db/connection.js";

describe("transactions", () => {
  let stop = () => {};
  afterEach(() => stop());

  it("runs each use-case's statements alone in its transaction while 40 requests write at once", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    // each request in its own context: a statement knows which request ran it
    const request = new AsyncLocalStorage<number>();
    let turns = 0;
    let running = true;
    const turn = () => {
      turns++;
      if (running) setImmediate(turn);
    };
    setImmediate(turn);
    stop = () => (running = false);

    const db = t.deps.db;
    let open: Set<number | undefined> | null = null;
    const seen: { requests: Set<number | undefined>; turns: number }[] = [];
    const transaction = db.transaction.bind(db);
    db.transaction = ((fn: (...args: unknown[]) => unknown) =>
      transaction((...args: unknown[]) => {
        const outer = open;
        const mine = (open = new Set([request.getStore()]));
        const turnsAtStart = turns;
        try {
          return fn(...args);
        } finally {
          open = outer;
          seen.push({ requests: mine, turns: turns - turnsAtStart });
        }
      })) as typeof db.transaction;
    const watched = (statement: object): any =>
      new Proxy(statement, {
        get(target, name) {
          const value = Reflect.get(target, name);
          if (typeof value !== "function") return value;
          if (name === "pluck" || name === "raw") return (...args: unknown[]) => watched(value.apply(target, args));
          if (name === "get" || name === "all" || name === "run" || name === "iterate") {
            return (...args: unknown[]) => {
              open?.add(request.getStore());
              return value.apply(target, args);
            };
          }
          return value.bind(target);
        },
      });
    const prepare = db.prepare.bind(db);
    db.prepare = ((sql: string) => watched(prepare(sql))) as typeof db.prepare;

    const drafts = await Promise.all(Array.from({ length: 40 }, (_, i) => request.run(i, () => t.call("POST", `/companies/${o.companyId}/invoices`, { token: o.token, body: draftBody(o.customerId) }))));
    expect(drafts.map((d) => d.status)).toEqual(Array(40).fill(201));
    const issued = await Promise.all(drafts.map((d, i) => request.run(100 + i, () => t.call("POST", `/companies/${o.companyId}/invoices/${d.json.id}/issue`, { token: o.token, body: { issueDate: "2026-11-02" } }))));
    expect(issued.map((r) => r.status)).toEqual(Array(40).fill(200));
    expect(new Set(issued.map((r) => r.json.number)).size).toBe(40);

    // 40 drafts and 40 issues, each in a transaction of its own request
    const ofRequests = seen.filter((s) => ![...s.requests].includes(undefined));
    expect(ofRequests.length).toBeGreaterThanOrEqual(80);
    expect(seen.filter((s) => s.requests.size !== 1)).toEqual([]);
    expect(seen.filter((s) => s.turns !== 0)).toEqual([]);
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

  it("leaves the connection outside any transaction when its COMMIT is refused: the next one begins and commits as the first would", () => {
    const t = createTestApp();
    const db = t.deps.db;
    // a foreign key checked at COMMIT (deferred): the transaction's statements pass, its COMMIT is refused
    db.exec("CREATE TABLE commit_probe_parent (id INTEGER PRIMARY KEY)");
    db.exec("CREATE TABLE commit_probe (parent_id INTEGER NOT NULL REFERENCES commit_probe_parent (id) DEFERRABLE INITIALLY DEFERRED)");
    const parent = db.prepare("INSERT INTO commit_probe_parent (id) VALUES (?)");
    const child = db.prepare("INSERT INTO commit_probe (parent_id) VALUES (?)");
    for (let attempt = 0; attempt < 2; attempt++) {
      expect(() => inTransaction(db, () => child.run(7))).toThrow(/foreign key/i);
      expect(db.inTransaction).toBe(false);
    }
    inTransaction(db, () => {
      parent.run(7);
      child.run(7);
      // a transaction inside it is a savepoint, released with it
      inTransaction(db, () => child.run(7));
    });
    expect(db.inTransaction).toBe(false);
    expect(db.prepare("SELECT parent_id FROM commit_probe ORDER BY parent_id").pluck().all()).toEqual([7, 7]);
    expect(db.prepare("SELECT id FROM commit_probe_parent").pluck().all()).toEqual([7]);
  });
});
