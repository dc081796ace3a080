/**
 * Group commit (db/group-commit.ts): write requests handled in the same turn share one commit and
 * are answered after it; a failing use-case is rolled back alone; a failed commit fails its writers;
 * nothing outside a write route's handler ever runs inside an open group.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { inTransaction, type Db } from "../src/db/connection.js";
import { commitWrites, groupCommits, joinWrites } from "../src/db/group-commit.js";
import { createTestApp, draftBody, ownerWithCompany } from "./helpers.js";
import { isPostgres } from "../src/db/connection.js";

const files: string[] = [];
afterEach(() => {
  for (const f of files.splice(0)) fs.rmSync(path.dirname(f), { recursive: true, force: true });
});

/** A grouped connection (its group commits counted) and a second one (another process's view) on a fresh file. */
function twoConnections(): { db: Db; other: Db; commits: () => number } {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "group-commit-")), "t.db");
  files.push(file);
  const db = new Database(file);
  db.pragma("journal_mode = WAL");
  db.exec(`CREATE TABLE parent (id INTEGER PRIMARY KEY);
    CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL, parent INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED);
    INSERT INTO parent VALUES (1);`);
  db.pragma("foreign_keys = ON");
  let commits = 0;
  const exec = db.exec.bind(db);
  (db as any).exec = (sql: string) => {
    if (sql === "COMMIT") commits++;
    return exec(sql);
  };
  groupCommits(db);
  return { db, other: new Database(file, { readonly: true }), commits: () => commits };
}

const insert = (db: Db, v: string, parent = 1) => inTransaction(db, () => db.prepare("INSERT INTO t (v, parent) VALUES (?, ?)").run(v, parent));
const values = (db: Db) => db.prepare("SELECT v FROM t ORDER BY id").pluck().all();
const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("group commit", () => {
  it("commits the writes of one turn once, at its end, and answers after", async () => {
    const { db, other, commits } = twoConnections();
    const answered: string[] = [];
    const a = Promise.resolve(joinWrites(() => insert(db, "a"))).then(() => answered.push("a"));
    const b = Promise.resolve(joinWrites(() => insert(db, "b"))).then(() => answered.push("b"));
    expect(values(other)).toEqual([]); // not committed yet
    expect(answered).toEqual([]);
    await Promise.all([a, b]);
    expect(values(other)).toEqual(["a", "b"]);
    expect(answered).toEqual(["a", "b"]);
    expect(commits()).toBe(1);
  });

  it("rolls a failing use-case back alone; the others of its group keep their writes", async () => {
    const { db, other } = twoConnections();
    const ok = joinWrites(() => insert(db, "kept"));
    expect(() =>
      joinWrites(() =>
        inTransaction(db, () => {
          db.prepare("INSERT INTO t (v) VALUES ('undone')").run();
          throw new Error("refused");
        }),
      ),
    ).toThrow("refused");
    const after = joinWrites(() => insert(db, "after"));
    await Promise.all([ok, after]);
    expect(values(other)).toEqual(["kept", "after"]);
  });

  it("fails every writer of a group whose commit fails, and keeps none of their writes", async () => {
    const { db, other } = twoConnections();
    const good = joinWrites(() => insert(db, "good"));
    const bad = joinWrites(() => insert(db, "orphan", 99)); // a deferred foreign key: refused at COMMIT
    await expect(good).rejects.toThrow(/FOREIGN KEY/);
    await expect(bad).rejects.toThrow(/FOREIGN KEY/);
    expect(values(other)).toEqual([]);
    expect(db.inTransaction).toBe(false);
    await joinWrites(() => insert(db, "next turn"));
    expect(values(other)).toEqual(["next turn"]);
  });

  it("commits an open group before a transaction from outside a write route, and before a read route", async () => {
    const { db, other, commits } = twoConnections();
    const grouped = joinWrites(() => insert(db, "grouped"));
    expect(values(other)).toEqual([]);
    insert(db, "worker"); // a worker, a script, a test calling a service: commits the group, then its own
    expect(values(other)).toEqual(["grouped", "worker"]);
    expect(commits()).toBe(1); // the group's (the worker's own is the driver's)
    const again = joinWrites(() => insert(db, "again"));
    commitWrites(); // what a read route does first
    expect(values(other)).toEqual(["grouped", "worker", "again"]);
    await Promise.all([grouped, again]);
    await turn();
    expect(commits()).toBe(2);
  });

  it("leaves a connection not grouped as it was: each transaction commits on return", () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "group-commit-")), "t.db");
    files.push(file);
    const db = new Database(file);
    db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)");
    const other = new Database(file, { readonly: true });
    joinWrites(() => inTransaction(db, () => db.prepare("INSERT INTO t (v) VALUES ('x')").run()));
    expect(other.prepare("SELECT v FROM t").pluck().all()).toEqual(["x"]);
  });

  it("issues concurrent invoices of one company gaplessly, the drafts of a turn under one commit", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    let commits = 0;
    const exec = t.deps.db.exec.bind(t.deps.db);
    (t.deps.db as any).exec = (sql: string) => {
      if (sql === "COMMIT") commits++;
      return exec(sql);
    };
    const drafts = await Promise.all(Array.from({ length: 20 }, () => t.call("POST", `/companies/${o.companyId}/invoices`, { token: o.token, body: draftBody(o.customerId) })));
    expect(drafts.map((d) => d.status)).toEqual(Array(20).fill(201));
    // SQLite groups a turn's writes under one commit; PostgreSQL commits each transaction on its own
    expect(commits).toBe(isPostgres(t.deps.db) ? 20 : 1);
    const issued = await Promise.all(drafts.map((d) => t.call("POST", `/companies/${o.companyId}/invoices/${d.json.id}/issue`, { token: o.token, body: { issueDate: "2026-11-02" } })));
    expect(issued.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(issued.map((r) => r.json.number).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `F2026-${String(i + 1).padStart(5, "0")}`));
    // a second issue of the same drafts in one turn: each refused alone, nothing changed
    const again = await Promise.all(drafts.slice(0, 3).map((d) => t.call("POST", `/companies/${o.companyId}/invoices/${d.json.id}/issue`, { token: o.token, body: {} })));
    expect(again.map((r) => r.status)).toEqual([409, 409, 409]);
    const integrity = await t.call("GET", `/companies/${o.companyId}/integrity`, { token: o.token });
    expect(integrity.status).toBe(200);
    expect(integrity.json).toMatchObject({ ok: true, chain: "valid", numbering: "continuous", problems: [] });
  });
});
