/**
 * Several processes issue invoices against the same database file at once: numbers stay gapless
 * and unique, the record chain and the activity log stay whole, and /integrity says so.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { createDeps } from "../src/deps.js";
import { testConfig } from "../src/config.js";
import { fixedClock } from "../src/clock.js";
import type { Deps } from "../src/context.js";
import { COMPANY, CUSTOMER } from "./helpers.js";
import { signUpThroughMail } from "./signup-flow.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const WORKER = path.join(ROOT, "api/test/fixtures/issue-worker.ts");
const MIGRATIONS = fs.readdirSync(path.join(ROOT, "api/src/db/migrations")).filter((f) => /^\d{3}_.+\.sql$/.test(f));
const PROCESSES = 4;
const PER_PROCESS = 25;

class Worker {
  readonly proc: ChildProcessWithoutNullStreams;
  private readonly lines: string[] = [];
  private waiting: ((line: string) => void) | null = null;
  private stderr = "";

  constructor(file: string) {
    this.proc = spawn(process.execPath, ["--import", "tsx", WORKER, file], { cwd: ROOT });
    let buffer = "";
    this.proc.stdout.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      let i: number;
      while ((i = buffer.indexOf("\n")) >= 0) {
        this.push(buffer.slice(0, i));
        buffer = buffer.slice(i + 1);
      }
    });
    this.proc.stderr.on("data", (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.proc.on("exit", (code) => this.push(`exit ${code}: ${this.stderr}`));
  }

  private push(line: string) {
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve(line);
    } else this.lines.push(line);
  }

  next(): Promise<string> {
    const line = this.lines.shift();
    return line !== undefined ? Promise.resolve(line) : new Promise((resolve) => (this.waiting = resolve));
  }

  send(line: string) {
    this.proc.stdin.write(`${line}\n`);
  }
}

describe("concurrent issuing from several processes", () => {
  const workers: Worker[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-concurrency-"));
  let deps: Deps | undefined;
  afterAll(() => {
    for (const w of workers) if (w.proc.exitCode === null) w.proc.kill();
    deps?.db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it(`${PROCESSES} processes × ${PER_PROCESS} invoices on one file: F2026-00001…F2026-00${PROCESSES * PER_PROCESS}, no gap, no duplicate, integrity valid`, async () => {
    const file = path.join(dir, "passerelle.db");
    for (let i = 0; i < PROCESSES; i++) workers.push(new Worker(file));
    expect(await Promise.all(workers.map((w) => w.next()))).toEqual(Array(PROCESSES).fill("ready"));

    // 1. all open the fresh file at the same moment: WAL switch and migrations race
    for (const w of workers) w.send("open");
    expect(await Promise.all(workers.map((w) => w.next()))).toEqual(Array(PROCESSES).fill("opened"));

    // 2. an owner, a company and a customer, through the app like a client
    deps = createDeps(testConfig({ dataDir: dir, databasePath: file }), { clock: fixedClock("2026-11-20T10:00:00Z") });
    const db = deps.db;
    expect(db.prepare("SELECT version FROM schema_version ORDER BY version").pluck().all()).toEqual(MIGRATIONS.map((f) => Number(f.slice(0, 3))));
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    const app = createApp(deps);
    const post = async (url: string, body: unknown, token?: string) => {
      const res = await app.request(`/api/v1${url}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify(body),
      });
      expect(res.status, url).toBe(201);
      return (await res.json()) as Record<string, any>;
    };
    const { token, user } = await signUpThroughMail(
      async (url, body) => {
        const res = await app.request(`/api/v1${url}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
        return { status: res.status, json: await res.json() };
      },
      dir,
      { email: "concurrence@example.fr", password: "correct horse battery", name: "Owner" },
    );
    const company = await post("/companies", COMPANY, token);
    const customer = await post(`/companies/${company.id}/customers`, CUSTOMER, token);

    // 3. all issue at once, each with the use-cases behind POST …/invoices and POST …/issue
    const startAt = Date.now() + 250;
    for (const w of workers) w.send(`issue ${user.id} ${company.id} ${customer.id} ${PER_PROCESS} ${startAt}`);
    const results = (await Promise.all(workers.map((w) => w.next()))).map((line) => {
      try {
        return JSON.parse(line) as { numbers: string[]; failures: string[] };
      } catch {
        throw new Error(`worker said: ${line}`);
      }
    });
    for (const r of results) {
      expect(r.failures).toEqual([]);
      expect(r.numbers).toHaveLength(PER_PROCESS);
      // each process sees its own numbers rising
      expect([...r.numbers].sort()).toEqual(r.numbers);
    }

    const expected = Array.from({ length: PROCESSES * PER_PROCESS }, (_, i) => `F2026-${String(i + 1).padStart(5, "0")}`);
    const all = results.flatMap((r) => r.numbers);
    expect(new Set(all).size).toBe(all.length);
    expect([...all].sort()).toEqual(expected);
    // the processes really ran side by side: their number ranges interleave
    const ranges = results.map((r) => [r.numbers[0]!, r.numbers.at(-1)!] as const);
    const overlapping = ranges.some(([lo, hi], i) => ranges.some(([lo2], j) => i !== j && lo2 > lo && lo2 < hi));
    expect(overlapping).toBe(true);

    // 4. the database agrees, and so does /integrity
    const rows = db.prepare("SELECT number, series_counter FROM invoices WHERE company_id = ? AND type = 'invoice' ORDER BY series_counter").all(company.id) as { number: string; series_counter: number }[];
    expect(rows.map((r) => r.number)).toEqual(expected);
    expect(rows.map((r) => r.series_counter)).toEqual(expected.map((_, i) => i + 1));
    expect(db.prepare("SELECT last_counter FROM number_series WHERE company_id = ? AND series_key = 'F2026'").pluck().get(company.id)).toBe(PROCESSES * PER_PROCESS);
    expect(db.prepare("SELECT position FROM record_chain WHERE company_id = ? ORDER BY position").pluck().all(company.id)).toEqual(expected.map((_, i) => i + 1));
    const activity = db.prepare("SELECT seq FROM activity WHERE company_id = ? ORDER BY seq").pluck().all(company.id) as number[];
    expect(activity).toEqual(Array.from({ length: 2 + 2 * PROCESSES * PER_PROCESS }, (_, i) => i + 1));

    const res = await app.request(`/api/v1/companies/${company.id}/integrity`, { headers: { authorization: `Bearer ${token}` } });
    expect(await res.json()).toEqual({
      ok: true,
      chain: "valid",
      numbering: "continuous",
      checkedRecords: PROCESSES * PER_PROCESS + activity.length,
      problems: [],
    });
  });
});
