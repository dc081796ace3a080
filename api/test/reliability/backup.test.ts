/**
 * Online backup: `cli backup` taken while clients keep issuing and paying gives a copy that opens,
 * passes SQLite's own check and `cli verify`, and holds at least everything acknowledged before it started.
 */
import Database from "better-sqlite3";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { api, numberingProblems, randomLines, rng, runCli, seedCompany, sleep, startServer, stopServer, tempDir } from "./support.js";

describe("backup while writing", () => {
  const dataDir = tempDir("backup");
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it("cli backup under load gives a copy that opens and passes verify", { timeout: 120_000 }, async () => {
    const server = await startServer(dataDir);
    const { token, companyId, customerIds } = await seedCompany(server.url, dataDir, "Backup");
    let stop = false;
    const acknowledged: string[] = [];
    const failures: string[] = [];
    const clients = Array.from({ length: 6 }, async (_, w) => {
      const r = rng(1000 + w);
      while (!stop) {
        const draft = await api(server.url, "POST", `/companies/${companyId}/invoices`, { token, body: { customerId: r.pick(customerIds), lines: randomLines(r) } });
        if (draft.status !== 201) {
          failures.push(`draft ${draft.status}`);
          continue;
        }
        const issued = await api(server.url, "POST", `/companies/${companyId}/invoices/${draft.json.id}/issue`, { token, body: {} });
        if (issued.status !== 200) {
          failures.push(`issue ${issued.status}`);
          continue;
        }
        acknowledged.push(issued.json.number);
        const paid = await api(server.url, "POST", `/companies/${companyId}/payments`, {
          token,
          body: { invoiceId: issued.json.id, amountCents: issued.json.totals.ttcCents, date: issued.json.issueDate, method: "transfer" },
        });
        if (paid.status !== 201) failures.push(`payment ${paid.status}`);
      }
    });

    await sleep(1500);
    const beforeBackup = acknowledged.length;
    const target = path.join(dataDir, "copy", "passerelle-backup.db");
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const backup = await runCli(dataDir, ["backup", target]);
    const duringBackup = acknowledged.length;
    await sleep(500);
    stop = true;
    await Promise.all(clients);
    await stopServer(server);

    expect(backup.code, backup.output).toBe(0);
    expect(failures).toEqual([]);
    expect(duringBackup).toBeGreaterThan(beforeBackup); // writes really went on while the copy was taken

    const verify = await runCli(dataDir, ["verify", target]);
    expect(verify.code, verify.output).toBe(0);
    expect(verify.output).toContain("1 valid, 0 with problems");

    const copy = new Database(target, { readonly: true });
    expect(copy.pragma("integrity_check", { simple: true })).toBe("ok");
    const numbers = copy.prepare("SELECT number FROM invoices WHERE company_id = ? AND number IS NOT NULL").pluck().all(companyId) as string[];
    copy.close();
    expect(numberingProblems(numbers)).toEqual([]);
    expect(numbers.length).toBeGreaterThanOrEqual(beforeBackup);
    expect(numbers.length).toBeLessThanOrEqual(acknowledged.length + 6);
    const missing = acknowledged.slice(0, beforeBackup).filter((n) => !numbers.includes(n));
    expect(missing).toEqual([]);
    console.log(`[reliability] backup under load: copy holds ${numbers.length} invoices (${beforeBackup} acknowledged before it started, ${acknowledged.length} by the end); verify ok`);
  });
});
