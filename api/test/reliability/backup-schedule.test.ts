/**
 * The server's own backups: on schedule, gzipped, the newest BACKUP_KEEP kept, each checked and said
 * in the log, nothing half-written left in the folder; and the check runs on a worker thread, so a
 * backup of a large company does not hold the server's thread for the seconds the check takes.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { generateCompany } from "../../bench/generate.js";
import { openDatabase } from "../../src/db/connection.js";
import { checkDatabaseFile } from "../../src/backups/check.js";
import { checkDatabaseFileOffThread } from "../../src/backups/check-thread.js";
import { writeBackup } from "../../src/backups/write.js";
import { API_DIR, api, expectOk, randomLines, rng, seedCompany, sleep, startServer, stopServer, tempDir } from "./support.js";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const scratch = (label: string) => {
  const dir = tempDir(label);
  dirs.push(dir);
  return dir;
};

const LOGGED = /^\[backup\] (\S+): \d+\.\d MB in \d+\.\d s; checked: SQLite integrity ok, (0 companies|1 company) with valid chains and continuous numbering; keeping the newest 2(, removed (\S+))?$/;

describe("scheduled backups", () => {
  it("every BACKUP_INTERVAL_SECONDS, gzipped, checked and logged, keeping the newest BACKUP_KEEP", { timeout: 180_000 }, async () => {
    const dataDir = scratch("schedule");
    const backupDir = path.join(scratch("schedule-target"), "nightly");
    const server = await startServer(dataDir, { BACKUP_INTERVAL_SECONDS: "1", BACKUP_KEEP: "2", BACKUP_GZIP: "1", BACKUP_DIR: backupDir });
    let lines: string[] = [];
    try {
      const { token, companyId, customerIds } = await seedCompany(server.url, dataDir, "Schedule");
      const r = rng(77);
      for (let i = 0; i < 3; i++) {
        const draft = await expectOk(api(server.url, "POST", `/companies/${companyId}/invoices`, { token, body: { customerId: r.pick(customerIds), lines: randomLines(r) } }), "draft");
        await expectOk(api(server.url, "POST", `/companies/${companyId}/invoices/${draft.id}/issue`, { token, body: {} }), "issue");
      }
      const logged = () => server.output().split("\n").filter((l) => l.startsWith("[backup]"));
      const deadline = Date.now() + 120_000;
      // two backups after the last write, so the newest ones hold all three invoices
      const wanted = logged().length + 2;
      while (logged().length < Math.max(wanted, 4) && Date.now() < deadline) await sleep(100);
      lines = logged();
    } finally {
      const exit = await stopServer(server);
      expect(exit).toEqual({ code: 0, signal: null });
    }

    expect(lines.length).toBeGreaterThanOrEqual(4);
    const taken = lines.map((line) => {
      const m = LOGGED.exec(line);
      expect(m, line).not.toBeNull();
      return { file: m![1]!, companies: m![2]!, removed: m![4] ?? null };
    });
    for (const t of taken) expect(path.dirname(t.file)).toBe(backupDir);
    // a backup may come before the company is made (the interval is 1 s); the last two come after the writes
    expect(taken.slice(-2).map((t) => t.companies)).toEqual(["1 company", "1 company"]);
    // the third backup on removes the oldest: the one two before it
    expect(taken.map((t) => t.removed)).toEqual([null, null, ...taken.slice(0, -2).map((t) => path.basename(t.file))]);
    const names = taken.map((t) => path.basename(t.file));
    for (const name of names) expect(name).toMatch(/^passerelle-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.db\.gz$/);
    // one interval at least between two backups
    const times = names.map((n) => Date.parse(n.slice(11, 30).replace(/T(\d\d)-(\d\d)-(\d\d)/, "T$1:$2:$3")));
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(1000);

    // the folder holds the newest two, and nothing half-written
    expect(fs.readdirSync(backupDir).sort()).toEqual(names.slice(-2).sort());
    const newest = path.join(path.dirname(backupDir), "newest.db");
    fs.writeFileSync(newest, gunzipSync(fs.readFileSync(taken.at(-1)!.file)));
    const copy = new Database(newest, { readonly: true });
    expect(copy.prepare("SELECT COUNT(*) FROM invoices WHERE number IS NOT NULL").pluck().get()).toBe(3);
    expect(copy.pragma("journal_mode", { simple: true })).toBe("delete");
    copy.close();
    expect(checkDatabaseFile(newest)).toMatchObject({ ok: true, problem: null, companies: [{ name: "Schedule SARL", ok: true, chain: "valid", numbering: "continuous" }] });
  });

  it("the bundled server (npm start) checks its backups on the worker thread built beside it", { timeout: 180_000 }, async () => {
    const built = path.join(API_DIR, "dist", `backup-test-${process.pid}`);
    dirs.push(built);
    execFileSync(process.execPath, ["scripts/build.mjs", path.join(built, "server.mjs")], { cwd: API_DIR, stdio: "pipe" });
    expect(fs.readdirSync(built).sort()).toEqual(["backup-check.mjs", "backup-check.mjs.map", "postgres-worker.mjs", "postgres-worker.mjs.map", "server.mjs", "server.mjs.map", "server.render-worker.mjs", "server.render-worker.mjs.map"]);
    const dataDir = scratch("schedule-bundle");
    const server = await startServer(dataDir, { BACKUP_INTERVAL_SECONDS: "1", BACKUP_KEEP: "2" }, { bundle: path.join(built, "server.mjs") });
    try {
      await seedCompany(server.url, dataDir, "Bundle");
      const deadline = Date.now() + 60_000;
      while (!server.output().includes("[backup]") && Date.now() < deadline) await sleep(100);
    } finally {
      await stopServer(server);
    }
    const line = server.output().split("\n").find((l) => l.startsWith("[backup]"));
    expect(line).toMatch(/^\[backup\] \S+\.db: \d+\.\d MB in \d+\.\d s; checked: SQLite integrity ok, [01] compan(y|ies) with valid chains and continuous numbering; keeping the newest 2$/);
  });

  it("the check runs off the server's thread: a backup of 5,000 invoices holds it for a fraction of what the check takes", { timeout: 300_000 }, async () => {
    const dir = scratch("backup-thread");
    const file = path.join(dir, "large.db");
    await generateCompany({ file, invoices: 5_000, customers: 200, batchInvoices: 1000, threads: 1 });
    const db = openDatabase(file);
    try {
      // the longest the thread went without turning, sampled every 5 ms
      const longestStall = async (work: () => Promise<unknown>) => {
        let last = performance.now();
        let longest = 0;
        const tick = setInterval(() => {
          const now = performance.now();
          longest = Math.max(longest, now - last);
          last = now;
        }, 5);
        const started = performance.now();
        await work();
        clearInterval(tick);
        longest = Math.max(longest, performance.now() - last);
        return { longest, total: performance.now() - started };
      };
      const offThread = await longestStall(() => writeBackup(db, path.join(dir, "off-thread.db"), { gzip: false, check: checkDatabaseFileOffThread }));
      const inThread = await longestStall(() => writeBackup(db, path.join(dir, "in-thread.db"), { gzip: false, check: checkDatabaseFile }));
      console.log(
        `[reliability] backup of ${(fs.statSync(file).size / 1024 / 1024).toFixed(0)} MB (5,000 invoices): check on a worker thread — ${offThread.total.toFixed(0)} ms, longest stall ${offThread.longest.toFixed(0)} ms; ` +
          `on the server's thread — ${inThread.total.toFixed(0)} ms, longest stall ${inThread.longest.toFixed(0)} ms`,
      );
      expect(checkDatabaseFile(path.join(dir, "off-thread.db")).ok).toBe(true);
      expect(offThread.longest * 4).toBeLessThan(inThread.longest);
    } finally {
      db.close();
    }
  });
});
