/** The command line, run as a user runs it: separate processes on a data folder. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { createDeps } from "../src/deps.js";
import { testConfig } from "../src/config.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CLI = path.join(ROOT, "api/src/cli.ts");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}
/** `npx tsx api/src/cli.ts …`, without npx's start-up cost. */
// SCRYPT_COST: cheaper password hashing than production (2^17) keeps the test quick; the cost travels with each hash
const cli = (dataDir: string, ...args: string[]) => run(process.execPath, ["--import", "tsx", CLI, ...args], { PASSERELLE_DATA: dataDir, SCRYPT_COST: "4096" });

describe("cli", () => {
  let dataDir: string;
  let seeded: Run;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-cli-"));
    seeded = await cli(dataDir, "seed-demo");
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it("seed-demo loads the demo once and prints the owner's credentials", async () => {
    expect(seeded.stderr).toBe("");
    expect(seeded.code).toBe(0);
    expect(seeded.stdout.startsWith("Demo loaded: Maison Lumière SARL\n  owner owner@demo.passerelle.fr / demo-passerelle-2026\n")).toBe(true);
    const db = new Database(path.join(dataDir, "passerelle.db"), { readonly: true });
    const counts = db
      .prepare(
        `SELECT (SELECT COUNT(*) FROM companies) AS companies, (SELECT COUNT(*) FROM customers) AS customers, (SELECT COUNT(*) FROM products) AS products,
           (SELECT COUNT(*) FROM invoices WHERE type = 'invoice' AND number IS NOT NULL) AS invoices,
           (SELECT COUNT(*) FROM invoices WHERE type = 'credit_note') AS creditNotes,
           (SELECT COUNT(*) FROM invoices WHERE status = 'partially_paid') AS partiallyPaid,
           (SELECT COUNT(DISTINCT vat_rate_bp) FROM products) AS rates, (SELECT COUNT(DISTINCT kind) FROM products) AS kinds`,
      )
      .get() as Record<string, number>;
    db.close();
    expect(counts.companies).toBe(1);
    expect(counts.customers).toBeGreaterThanOrEqual(25);
    expect(counts.products).toBeGreaterThanOrEqual(15);
    expect(counts.invoices).toBeGreaterThanOrEqual(400);
    expect(counts.creditNotes).toBeGreaterThan(0);
    expect(counts.partiallyPaid).toBeGreaterThan(0);
    expect(counts.rates).toBeGreaterThanOrEqual(3);
    expect(counts.kinds).toBe(2);

    const again = await cli(dataDir, "seed-demo");
    expect(again.code).toBe(0);
    expect(again.stdout.startsWith("Demo already present: Maison Lumière SARL\n  owner owner@demo.passerelle.fr / demo-passerelle-2026\n")).toBe(true);
  });

  it("verify checks every company: exit 0 and '1 valid, 0 with problems'", async () => {
    const res = await cli(dataDir, "verify");
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^ok {3}Maison Lumière SARL: chain valid, numbering continuous, \d+ records\n1 valid, 0 with problems\n$/);
  });

  it("backup writes a consistent copy that opens and verifies on its own", async () => {
    const target = path.join(dataDir, "copies", "sauvegarde.db");
    fs.mkdirSync(path.dirname(target));
    const res = await cli(dataDir, "backup", target);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^ok {3}Maison Lumière SARL: chain valid, numbering continuous, \d+ records\n1 valid, 0 with problems\n/);
    expect(res.stdout.split("\n").at(-2)).toBe(`Backed up ${path.join(dataDir, "passerelle.db")} to ${target} (${fs.statSync(target).size} bytes, checked)`);
    const verify = await cli(path.join(dataDir, "elsewhere"), "verify", target);
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/1 valid, 0 with problems\n$/);
    const count = (file: string) => {
      const db = new Database(file, { readonly: true });
      const n = db.prepare("SELECT COUNT(*) FROM invoices").pluck().get();
      db.close();
      return n;
    };
    expect(count(target)).toBe(count(path.join(dataDir, "passerelle.db")));
  });

  it("create-user makes an account that can sign in; bad or duplicate input is refused", async () => {
    const res = await cli(dataDir, "create-user", "Paul.Girard@Example.fr", "Paul Girard", "un mot de passe solide");
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/^Created paul\.girard@example\.fr \([0-9a-f-]{36}\)\n$/);

    const [weak, dup] = await Promise.all([
      cli(dataDir, "create-user", "x@example.fr", "X", "court"),
      cli(dataDir, "create-user", "paul.girard@example.fr", "Paul", "un autre mot de passe"),
    ]);
    expect(weak.code).toBe(2);
    expect(weak.stderr).toContain("password: must be at least 10 characters");
    expect(dup.code).toBe(1);
    expect(dup.stderr).toBe("An account already exists for this e-mail; sign in instead.\n");

    const deps = createDeps(testConfig({ dataDir, databasePath: path.join(dataDir, "passerelle.db") }));
    try {
      const app = createApp(deps);
      const login = await app.request("/api/v1/auth/login", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: "paul.girard@example.fr", password: "un mot de passe solide" }),
      });
      expect(login.status).toBe(200);
      expect(((await login.json()) as { user: { name: string } }).user.name).toBe("Paul Girard");
    } finally {
      deps.db.close();
    }
  });

  it("verify exits 1 and names the problem when the books were tampered with", async () => {
    const copy = path.join(dataDir, "tampered.db");
    const source = new Database(path.join(dataDir, "passerelle.db"), { readonly: true });
    await source.backup(copy);
    source.close();
    const db = new Database(copy);
    db.prepare("UPDATE invoice_lines SET unit_price_cents = unit_price_cents + 1 WHERE invoice_id = (SELECT id FROM invoices WHERE number = 'F' || strftime('%Y', issue_date) || '-00003' LIMIT 1)").run();
    const changed = db.prepare("SELECT changes()").pluck().get();
    db.close();
    expect(changed).toBeGreaterThan(0);
    const res = await cli(dataDir, "verify", copy);
    expect(res.code).toBe(1);
    expect(res.stdout).toMatch(/^FAIL Maison Lumière SARL: chain broken, numbering continuous/);
    expect(res.stdout).toMatch(/- \[chain\] chain position \d+: F\d{4}-00003 was changed after it became final \(hash mismatch\)/);
    expect(res.stdout).toMatch(/0 valid, 1 with problems\n$/);
  });

  it("exits 2 with the usage on an unknown command or missing arguments", async () => {
    const [unknown, missing] = await Promise.all([cli(dataDir, "drop-everything"), cli(dataDir, "restore")]);
    expect(unknown.code).toBe(2);
    expect(unknown.stdout).toContain("Usage: npm run cli -- <command>");
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("restore needs a backup file");
  });
});
