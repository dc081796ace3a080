/**
 * The benchmarks' engines (bench/engines.ts, bench/support.ts): which engines `--engine` asks for, a
 * captured statement written for psql, psql's and sqlite3's timings summed per request, and the
 * writer-lock samples of PostgreSQL's issuing benchmark (bench/pg-writer-lock.ts).
 */
import { describe, expect, it } from "vitest";
import { enginesOf, postgresText, psqlTimes } from "../bench/engines.js";
import { summary, tallySample, type Tally } from "../bench/pg-writer-lock.js";
import { groupTimes } from "../bench/support.js";

describe("benchmark engines", () => {
  it("--engine: SQLite by default, both engines SQLite first, nothing else", () => {
    expect(enginesOf(undefined)).toEqual(["sqlite"]);
    expect(enginesOf("postgres")).toEqual(["postgres"]);
    expect(enginesOf("both")).toEqual(["sqlite", "postgres"]);
    expect(() => enginesOf("mysql")).toThrow("--engine: expected sqlite, postgres or both, not mysql");
  });

  it("a captured statement for psql: arguments written in, then the API's rewrite", () => {
    expect(postgresText({ sql: "SELECT id AS companyId FROM invoices WHERE company_id = ? AND number LIKE ? LIMIT ?", args: ["c-1", "F'24%", 10] })).toBe(
      `SELECT id AS "companyId" FROM invoices WHERE company_id = 'c-1' AND number ILIKE 'F''24%' LIMIT 10`,
    );
    expect(postgresText({ sql: "SELECT * FROM t WHERE a = @a AND b IS NULL", args: [{ a: null }] })).toBe("SELECT * FROM t WHERE a = NULL AND b IS NULL");
  });

  it("psql's timings, the long ones with their minutes", () => {
    expect(psqlTimes("Time: 0.313 ms\nTime: 1234.567 ms (00:01.235)\nnot a Time: 5 ms\n")).toEqual([0.313, 1234.567]);
  });

  it("timings summed per group of statements, their count checked", () => {
    expect(groupTimes([1, 2, 3, 4.5], [1, 3], "psql")).toEqual([1, 9.5]);
    expect(() => groupTimes([1, 2], [1, 2], "psql")).toThrow("psql timed 2 statements of 3");
  });

  it("writer-lock samples: who holds the lock and what it is doing", () => {
    const tally: Tally = { samples: 0, held: 0, running: 0, flushing: 0, waitingForApi: 0, waiters: 0 };
    tallySample(tally, []);
    tallySample(tally, [{ granted: true, state: "active", wait_event_type: null }, { granted: false, state: "active", wait_event_type: "Lock" }]);
    tallySample(tally, [{ granted: true, state: "active", wait_event_type: "IO" }]);
    tallySample(tally, [{ granted: false, state: "active", wait_event_type: "Lock" }, { granted: true, state: "idle in transaction", wait_event_type: "Client" }]);
    expect(summary(tally)).toEqual({ samples: 4, held: 0.75, running: 1 / 3, flushing: 1 / 3, waitingForApi: 1 / 3, waiters: 0.5 });
  });
});
