/**
 * Restore drill: write, back up, write more, crash, restore, verify — the restored database holds
 * exactly what was acknowledged before the backup, its chains verify, and the database it replaced
 * (the crashed server's last commits included) is kept aside. Restoring is refused while a server
 * has the database open, and for a file that fails its check, leaving the database as it was.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import Database from "better-sqlite3";
import { afterAll, describe, expect, it } from "vitest";
import { API_DIR, allPages, api, expectOk, randomLines, rng, runCli, seedCompany, startServer, stopServer, tempDir } from "./support.js";

const LATEST_SCHEMA = Math.max(...fs.readdirSync(path.join(API_DIR, "src", "db", "migrations")).map((f) => Number(f.slice(0, 3))).filter(Number.isFinite));
const sha256 = (file: string) => createHash("sha256").update(fs.readFileSync(file)).digest("hex");
const issuedNumbers = (file: string, companyId: string) => {
  const db = new Database(file, { readonly: true });
  const numbers = db.prepare("SELECT number FROM invoices WHERE company_id = ? AND number IS NOT NULL ORDER BY number").pluck().all(companyId) as string[];
  db.close();
  return numbers;
};

describe("restore drill", () => {
  const dataDir = tempDir("restore");
  const database = path.join(dataDir, "passerelle.db");
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  let backupFile = "";
  let companyId = "";

  it("write, back up, write more, crash, restore: exactly what was acknowledged before the backup, chains valid", { timeout: 180_000 }, async () => {
    let server = await startServer(dataDir, { BACKUP_INTERVAL_SECONDS: "0" });
    const seeded = await seedCompany(server.url, dataDir, "Restore");
    companyId = seeded.companyId;
    const { token, customerIds } = seeded;
    const r = rng(4242);
    const issue = async () => {
      const draft = await expectOk(api(server.url, "POST", `/companies/${companyId}/invoices`, { token, body: { customerId: r.pick(customerIds), lines: randomLines(r) } }), "draft");
      const issued = await expectOk(api(server.url, "POST", `/companies/${companyId}/invoices/${draft.id}/issue`, { token, body: {} }), "issue");
      await expectOk(
        api(server.url, "POST", `/companies/${companyId}/payments`, { token, body: { invoiceId: issued.id, amountCents: issued.totals.ttcCents, date: issued.issueDate, method: "transfer" } }),
        "payment",
      );
      return issued.number as string;
    };

    const beforeBackup: string[] = [];
    for (let i = 0; i < 12; i++) beforeBackup.push(await issue());

    const backup = await runCli(dataDir, ["backup"]);
    expect(backup.code, backup.output).toBe(0);
    backupFile = /Backed up .+ to (\S+) \(\d+ bytes, checked\)/.exec(backup.output)![1]!;
    expect(path.dirname(backupFile)).toBe(path.join(dataDir, "backups"));
    expect(backup.output).toMatch(/^ok {3}Restore SARL: chain valid, numbering continuous, \d+ records\n1 valid, 0 with problems\n/);

    const afterBackup: string[] = [];
    for (let i = 0; i < 5; i++) afterBackup.push(await issue());

    // a running server holds the database: restoring is refused and changes nothing
    const refused = await runCli(dataDir, ["restore", backupFile]);
    expect(refused.code, refused.output).toBe(1);
    expect(refused.output).toContain(
      `${database} is in use (SQLite refuses an exclusive lock while a process has it open): stop the server first; nothing was replaced.\n`,
    );
    expect(fs.readdirSync(dataDir).sort()).toEqual(["backups", "outbox", "passerelle.db", "passerelle.db-shm", "passerelle.db-wal"]);
    for (let i = 0; i < 3; i++) afterBackup.push(await issue()); // and the server goes on

    await stopServer(server, "SIGKILL");
    expect(fs.existsSync(`${database}-wal`)).toBe(true); // the crash left its last commits in the WAL

    const restore = await runCli(dataDir, ["restore", backupFile]);
    expect(restore.code, restore.output).toBe(0);
    const aside = /The database it replaced is kept as (\S+)\n/.exec(restore.output)![1]!;
    expect(restore.output).toBe(
      `ok   Restore SARL: ${/chain valid, numbering continuous, \d+ records/.exec(restore.output)![0]}\n` +
        "1 valid, 0 with problems\n" +
        `Restored ${backupFile} into ${database} (schema ${LATEST_SCHEMA}; the server brings it up to date when it starts)\n` +
        `The database it replaced is kept as ${aside}\n`,
    );
    expect(path.dirname(aside)).toBe(dataDir);
    expect(fs.readdirSync(dataDir).sort()).toEqual(["backups", "outbox", "passerelle.db", path.basename(aside)]);
    // the database aside is whole on its own: every acknowledged invoice, the crash's last ones included
    expect(issuedNumbers(aside, companyId)).toEqual([...beforeBackup, ...afterBackup].sort());

    server = await startServer(dataDir, { BACKUP_INTERVAL_SECONDS: "0" });
    try {
      const invoices = await allPages(server.url, token, `/companies/${companyId}/invoices`);
      expect(invoices.map((i) => i.number).sort()).toEqual([...beforeBackup].sort());
      const integrity = await expectOk(api(server.url, "GET", `/companies/${companyId}/integrity`, { token }), "integrity");
      expect(integrity).toMatchObject({ ok: true, chain: "valid", numbering: "continuous", problems: [] });
      // numbering goes on from the restored books: the next number is the one after the backup's last
      const next = await issue();
      expect(next).toBe(afterBackup[0]);
    } finally {
      await stopServer(server);
    }
    const verify = await runCli(dataDir, ["verify"]);
    expect(verify.code, verify.output).toBe(0);
    expect(verify.output).toMatch(/1 valid, 0 with problems\n$/);
  });

  it("a file that fails its check is refused before anything is replaced", { timeout: 120_000 }, async () => {
    const scratch = path.join(dataDir, "scratch");
    fs.mkdirSync(scratch);
    const tampered = path.join(scratch, "tampered.db");
    fs.copyFileSync(backupFile, tampered);
    const t = new Database(tampered);
    const changed = t.prepare("UPDATE invoice_lines SET unit_price_cents = unit_price_cents + 1 WHERE invoice_id = (SELECT id FROM invoices WHERE number LIKE 'F%-00003')").run().changes;
    t.close();
    expect(changed).toBeGreaterThan(0);
    const newer = path.join(scratch, "newer.db");
    fs.copyFileSync(backupFile, newer);
    const n = new Database(newer);
    n.prepare("INSERT INTO schema_version (version, name, applied_at) VALUES (?, 'from a later release', '2027-01-01T00:00:00Z')").run(LATEST_SCHEMA + 1);
    n.close();
    const notADatabase = path.join(scratch, "notes.txt");
    fs.writeFileSync(notADatabase, "Sauvegarde du 12 mars : voir la clé USB.\n".repeat(200));
    const cut = path.join(scratch, "cut.db.gz");
    const gz = gzipSync(fs.readFileSync(backupFile));
    fs.writeFileSync(cut, gz.subarray(0, gz.length >> 1));

    const before = sha256(database);
    const missing = path.join(scratch, "missing.db");
    const refusals: [string, string | RegExp][] = [
      [tampered, /^FAIL Restore SARL: chain broken, numbering continuous, \d+ records\n {5}- \[chain\] chain position \d+: F\d{4}-00003 was changed after it became final \(hash mismatch\)\n(.+\n)*0 valid, 1 with problems\n\/.+\/tampered\.db failed its check; nothing was replaced\.\n$/],
      [newer, `FAIL ${newer}: comes from a newer Passerelle (schema ${LATEST_SCHEMA + 1}; this release knows ${LATEST_SCHEMA})\n${newer} failed its check; nothing was replaced.\n`],
      [notADatabase, `FAIL ${notADatabase}: not a SQLite database (file is not a database)\n${notADatabase} failed its check; nothing was replaced.\n`],
      [cut, `${cut} cannot be read whole (unexpected end of file); nothing was replaced.\n`],
      [missing, `${missing}: no such file.\n`],
    ];
    for (const [file, expected] of refusals) {
      const run = await runCli(dataDir, ["restore", file]);
      expect(run.code, run.output).toBe(1);
      if (typeof expected === "string") expect(run.output).toBe(expected);
      else expect(run.output).toMatch(expected);
    }
    expect(sha256(database)).toBe(before);
    expect(fs.readdirSync(dataDir).filter((f) => f.includes("restoring"))).toEqual([]);
  });
});
