/**
 * Compiled statements are kept per connection and SQL text, and nothing one caller does to a
 * statement reaches another: modes, iterations in progress, bindings.
 */
import { describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { cacheStatements, openDatabase, prepareUncached, type Db } from "../src/db/connection.js";

function scratch(capacity?: number): Db {
  const db = cacheStatements(new Database(":memory:"), capacity);
  db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT NOT NULL); INSERT INTO t (id, name) VALUES (1, 'un'), (2, 'deux'), (3, 'trois')");
  return db;
}
const ALL = "SELECT id, name FROM t ORDER BY id";
const ONE = "SELECT name FROM t WHERE id = ?";

describe("statement cache", () => {
  it("compiles a SQL text once per connection", () => {
    const db = scratch();
    const other = scratch();
    expect(db.prepare(ONE)).toBe(db.prepare(ONE));
    expect(db.prepare(ONE)).not.toBe(db.prepare(ALL));
    expect(other.prepare(ONE)).not.toBe(db.prepare(ONE));
    expect(prepareUncached(db, ONE)).not.toBe(db.prepare(ONE));
    expect(db.prepare(ONE).get(2)).toEqual({ name: "deux" });
  });

  it("prepareUncached on PostgreSQL is the database's own prepare, even where prepare was replaced", () => {
    const db = openDatabase("pglite:");
    try {
      const seen: string[] = [];
      // what the benchmarks' capture of statements does (bench/support.ts)
      (db as any).prepare = (sql: string) => (seen.push(sql), prepareUncached(db, sql));
      expect(db.prepare("SELECT 1 + 1 AS two").get()).toEqual({ two: 2 });
      expect(prepareUncached(db, "SELECT name FROM users WHERE id = ?")).not.toBe(prepareUncached(db, "SELECT name FROM users WHERE id = ?"));
      expect(seen).toEqual(["SELECT 1 + 1 AS two"]);
    } finally {
      db.close();
    }
  });

  it("is what openDatabase returns", () => {
    const db = openDatabase(":memory:");
    expect(db.prepare("SELECT COUNT(*) FROM users")).toBe(db.prepare("SELECT COUNT(*) FROM users"));
    db.close();
  });

  it("pluck, raw and expand never change the statement other callers get", () => {
    const db = scratch();
    const plucked = db.prepare(ONE).pluck();
    expect(plucked.get(1)).toBe("un");
    expect(db.prepare(ONE).get(1)).toEqual({ name: "un" });
    // a caller holding the plucked statement keeps it plucked whatever the others ask for
    expect(db.prepare(ONE).raw().get(1)).toEqual(["un"]);
    expect(plucked.get(3)).toBe("trois");
    expect(db.prepare(ONE).pluck()).toBe(plucked);
    expect(db.prepare(ALL).expand().get()).toEqual({ t: { id: 1, name: "un" } });
    expect(db.prepare(ALL).all()).toEqual([
      { id: 1, name: "un" },
      { id: 2, name: "deux" },
      { id: 3, name: "trois" },
    ]);
  });

  it("switches modes the way the driver does", () => {
    const db = scratch();
    const flat = db.prepare(ONE);
    expect(flat.pluck().pluck(false)).toBe(flat);
    expect(flat.pluck().raw(false)).toBe(flat.pluck()); // raw(false) leaves pluck mode as it is
    expect(flat.pluck().raw().get(2)).toEqual(["deux"]);
    expect(flat.raw().pluck(true).get(2)).toBe("deux");
    expect(() => flat.pluck(1 as unknown as boolean)).toThrow(TypeError);
    const insert = db.prepare("INSERT INTO t (id, name) VALUES (?, ?)");
    expect(() => insert.pluck()).toThrow("The pluck() method is only for statements that return data");
    expect(insert.run(4, "quatre").changes).toBe(1);
  });

  it("iterates on a statement of its own: the same SQL runs inside the loop, and an abandoned iteration blocks nothing", () => {
    const db = scratch();
    const seen: unknown[] = [];
    for (const row of db.prepare(ALL).iterate() as Iterable<{ id: number; name: string }>) {
      seen.push([row.id, db.prepare(ALL).all().length, db.prepare(ALL).get(), [...(db.prepare(ALL).pluck().iterate() as Iterable<number>)]]);
    }
    expect(seen).toEqual([
      [1, 3, { id: 1, name: "un" }, [1, 2, 3]],
      [2, 3, { id: 1, name: "un" }, [1, 2, 3]],
      [3, 3, { id: 1, name: "un" }, [1, 2, 3]],
    ]);
    const abandoned = db.prepare(ALL).raw().iterate() as Iterator<unknown[]>;
    expect(abandoned.next().value).toEqual([1, "un"]);
    expect(db.prepare(ALL).raw().all()).toHaveLength(3);
    expect(db.prepare(ALL).busy).toBe(false);
    expect(abandoned.next().value).toEqual([2, "deux"]);
  });

  it("bind and safeIntegers hand over a fresh statement and leave the shared one as it was", () => {
    const db = scratch();
    const bound = db.prepare(ONE).bind(3);
    expect(bound).not.toBe(db.prepare(ONE));
    expect(bound.get()).toEqual({ name: "trois" });
    expect(db.prepare(ONE).get(1)).toEqual({ name: "un" });
    const big = db.prepare("SELECT id FROM t WHERE id = ?").pluck().safeIntegers();
    expect(big.get(2)).toBe(2n);
    expect(db.prepare("SELECT id FROM t WHERE id = ?").pluck().get(2)).toBe(2);
  });

  it("keeps at most `capacity` SQL texts, the least recently used leaving first", () => {
    const db = scratch(2);
    const a = db.prepare("SELECT 1");
    const b = db.prepare("SELECT 2");
    expect(db.prepare("SELECT 1")).toBe(a); // a is now the most recent
    db.prepare("SELECT 3"); // b leaves
    expect(db.prepare("SELECT 1")).toBe(a);
    expect(db.prepare("SELECT 2")).not.toBe(b);
  });

  it("a cached statement follows schema changes", () => {
    const db = scratch();
    expect(db.prepare("SELECT * FROM t WHERE id = 1").get()).toEqual({ id: 1, name: "un" });
    db.exec("ALTER TABLE t ADD COLUMN note TEXT DEFAULT 'x'");
    expect(db.prepare("SELECT * FROM t WHERE id = 1").get()).toEqual({ id: 1, name: "un", note: "x" });
  });

  it("refuses what the driver refuses", () => {
    const db = scratch();
    expect(() => db.prepare("SELEC nothing")).toThrow(/syntax error/);
    expect(() => db.prepare(42 as unknown as string)).toThrow(TypeError);
    db.close();
    expect(() => db.prepare(ONE)).toThrow(/not open/);
  });
});
