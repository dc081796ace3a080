/**
 * `migrate-to-postgres`: the demo's books (with a logo, a session and a known device) copied from a
 * SQLite file into PGlite, in the test's own process; and, where PASSERELLE_TEST_POSTGRES_URL names
 * a server, the command itself into a new database of it, with backup (pg_dump) and verify.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFile, execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app.js";
import { createDeps } from "../src/deps.js";
import { testConfig } from "../src/config.js";
import { ensureDemo } from "../src/demo/seed.js";
import { checkedLogo, setLogo } from "../src/services/logos.js";
import { openDatabase, type Db } from "../src/db/connection.js";
import { copyToPostgres, CopyRefused, nonEmptyTables } from "../src/db/copy-to-postgres.js";
import { sqliteTables } from "../src/db/tables.js";
import { proveCopy } from "../src/services/copy-proof.js";
import { runPrefix } from "../src/db/postgres/fresh.js";
import { redactedUrl } from "../src/db/postgres/urls.js";
import postgres from "postgres";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const CLI = path.join(ROOT, "api/src/cli.ts");
const LOGO = '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#1d4e89"/></svg>';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(env: Record<string, string>, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ["--import", "tsx", CLI, ...args], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 170_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

const count = (db: Db, table: string) => db.prepare(`SELECT COUNT(*) FROM "${table}"`).pluck().get() as number;

describe("migrate-to-postgres", () => {
  let dataDir: string;
  let file: string;
  let source: Db;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-migrate-"));
    file = path.join(dataDir, "passerelle.db");
    const deps = createDeps(testConfig({ dataDir, databasePath: file }));
    try {
      const demo = await ensureDemo(deps);
      const owner = deps.db.prepare("SELECT id FROM users WHERE email = ?").pluck().get(demo.owner.email) as string;
      setLogo({ db: deps.db, clock: deps.clock, config: deps.config, actorId: owner }, demo.companyId, checkedLogo(new Uint8Array(Buffer.from(LOGO))));
      // a sign-in: a session (not copied) and a known device (copied)
      const login = await createApp(deps).request("/api/v1/auth/login", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ email: demo.owner.email, password: demo.owner.password }),
      });
      expect(login.status).toBe(200);
    } finally {
      deps.db.close();
      await deps.renders.close();
    }
    source = openDatabase(file);
  }, 120_000);

  afterAll(() => {
    source?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("copies every table but sessions, in one transaction, sets the key sequences, and proves the copy", () => {
    const target = openDatabase("pglite:");
    try {
      const copy = copyToPostgres(source, target); // 500 rows a page: invoices, lines and the activity log take several
      expect(copy.skipped).toEqual(["sessions"]);
      const tables = sqliteTables(source).map((t) => t.name);
      expect(copy.tables.map((t) => t.name).sort()).toEqual(tables.filter((t) => t !== "sessions").sort());
      for (const t of copy.tables) expect([t.name, count(target, t.name)]).toEqual([t.name, count(source, t.name)]);
      for (const t of copy.tables) expect([t.name, t.rows]).toEqual([t.name, count(source, t.name)]);
      expect(count(source, "sessions")).toBe(1);
      expect(count(target, "sessions")).toBe(0);
      expect(count(target, "known_devices")).toBe(1);
      expect(count(target, "company_logos")).toBe(1);
      expect(count(target, "invoices")).toBe(count(source, "invoices"));
      // credit notes point to their invoices, their lines to the lines they credit (written after the rows)
      const credits = "SELECT COUNT(*) FROM invoices WHERE credited_invoice_id IS NOT NULL";
      expect(target.prepare(credits).pluck().get()).toBe(source.prepare(credits).pluck().get());
      expect(source.prepare(credits).pluck().get()).toBeGreaterThan(0);
      const logo = "SELECT bytes FROM company_logos";
      expect((target.prepare(logo).pluck().get() as Buffer).toString("utf8")).toBe(LOGO);

      // the next key PostgreSQL gives follows the last one copied
      for (const table of ["invoices", "customers", "payments", "users"]) {
        const next = target.prepare(`SELECT nextval(pg_get_serial_sequence('${table}', 'pk'))`).pluck().get();
        expect([table, next]).toEqual([table, (source.prepare(`SELECT MAX(pk) FROM ${table}`).pluck().get() as number) + 1]);
      }

      const proof = proveCopy(source, target, { exportedOn: "2026-12-08" });
      expect(proof.differences).toEqual([]);
      expect(proof.ok).toBe(true);
      const rows = copy.tables.reduce((sum, t) => sum + t.rows, 0);
      expect(proof.matched[0]).toBe(`rows: ${copy.tables.length} tables, ${rows} rows identical`);
      expect(proof.matched.slice(1, 3)).toEqual(["integrity on SQLite: 1 companies valid", "integrity on PostgreSQL: 1 companies valid"]);
      const head = source.prepare("SELECT position, hash FROM record_chain ORDER BY position DESC LIMIT 1").get() as { position: number; hash: string };
      expect(proof.matched[3]).toBe(`Maison Lumière SARL: chain head #${head.position} ${head.hash}`);
      const fec = proof.matched.slice(4);
      expect(fec.length).toBeGreaterThanOrEqual(1);
      for (const line of fec) expect(line).toMatch(/^Maison Lumière SARL: FEC \d{4}-01-01 to \d{4}-12-31: \d+ bytes, identical \(sha256 [0-9a-f]{16}…\)$/);
    } finally {
      target.close();
    }
  }, 120_000);

  it("refuses a target that holds rows, naming its tables, and writes nothing", () => {
    const target = openDatabase("pglite:");
    try {
      copyToPostgres(source, target);
      const before = count(target, "invoices");
      expect(() => copyToPostgres(source, target, { targetName: "the target" })).toThrow(CopyRefused);
      expect(() => copyToPostgres(source, target, { targetName: "the target" })).toThrow(
        "the target is not empty (rows in accounting_settings, activity, companies, company_logos, customers and 17 more): a copy goes into an empty database only; nothing was written.",
      );
      expect(count(target, "invoices")).toBe(before);
    } finally {
      target.close();
    }
  }, 60_000);

  it("finds a copy changed after it was made, naming the row, the column and what fails", () => {
    const target = openDatabase("pglite:");
    try {
      copyToPostgres(source, target);
      const last = source.prepare("SELECT pk, number, ttc_cents FROM invoices WHERE number IS NOT NULL AND type = 'invoice' ORDER BY pk DESC LIMIT 1").get() as { pk: number; number: string; ttc_cents: number };
      target.prepare("UPDATE invoices SET ttc_cents = ttc_cents + 1 WHERE pk = ?").run(last.pk);
      const proof = proveCopy(source, target, { exportedOn: "2026-12-08" });
      expect(proof.ok).toBe(false);
      expect(proof.differences[0]).toBe(`invoices: row pk=${last.pk} differs in ttc_cents (SQLite ${last.ttc_cents}, PostgreSQL ${last.ttc_cents + 1})`);
      const integrity = proof.differences.find((d) => d.startsWith("integrity on PostgreSQL fails:"));
      expect(integrity).toContain(`${last.number} was changed after it became final (hash mismatch)`);
      expect(proof.matched).toContain("integrity on SQLite: 1 companies valid");
      expect(proof.differences.some((d) => /^Maison Lumière SARL: FEC \d{4}-01-01 to \d{4}-12-31 differs: SQLite \d+ bytes/.test(d))).toBe(true);
    } finally {
      target.close();
    }
  }, 60_000);

  it("a copy that fails part way leaves the target without a row", async () => {
    const broken = path.join(dataDir, "broken.db");
    await source.backup(broken);
    const copy = openDatabase(broken);
    const target = openDatabase("pglite:");
    try {
      // PostgreSQL's text holds no NUL character, SQLite's does: the last customer cannot be written
      copy.prepare("UPDATE customers SET address_line2 = ? WHERE pk = (SELECT MAX(pk) FROM customers)").run("avant\u0000après");
      expect(() => copyToPostgres(copy, target)).toThrow(/invalid byte sequence|0x00/);
      expect(nonEmptyTables(target)).toEqual([]);
    } finally {
      copy.close();
      target.close();
    }
  }, 60_000);

  it("the command copies into PGlite and prints its proof; without an address it says how to call it", async () => {
    const [res, bare] = await Promise.all([cli({ PASSERELLE_DATA: dataDir }, "migrate-to-postgres", "pglite:"), cli({ PASSERELLE_DATA: dataDir }, "migrate-to-postgres")]);
    expect(res.stderr).toBe("");
    expect(res.code).toBe(0);
    const lines = res.stdout.trimEnd().split("\n");
    expect(lines[0]).toBe(`Copying ${file} into pglite:…`);
    expect(lines[1]).toMatch(/^Copied \d+ rows of 42 tables in \d+\.\d s \(schema \d+; not copied: sessions, everyone signs in again\)$/);
    expect(lines.filter((l) => l.startsWith("FAIL"))).toEqual([]);
    expect(lines.filter((l) => l.startsWith("ok   "))[0]).toMatch(/^ok {3}rows: 42 tables, \d+ rows identical$/);
    expect(lines.at(-1)).toBe(`The copy is proven: pglite: holds the same books as ${file}.`);
    expect(bare.code).toBe(2);
    expect(bare.stderr.startsWith("migrate-to-postgres needs the PostgreSQL database's address: postgres://user:password@host:port/database\n")).toBe(true);
  }, 180_000);
});

const server = process.env.PASSERELLE_TEST_POSTGRES_URL;

describe.runIf(server)("migrate-to-postgres, backup and verify on a PostgreSQL server", () => {
  const names = [`${runPrefix()}migrate`, `${runPrefix()}restored`];
  const urlOf = (name: string) => {
    const url = new URL(server!);
    url.pathname = `/${name}`;
    return url.toString();
  };
  // CREATE and DROP DATABASE wait for a checkpoint, which a loaded machine may take minutes to finish: no request time limit here
  const admin = (text: string) => {
    const sql = postgres(server!, { max: 1, onnotice: () => {} });
    return sql.unsafe(text).finally(() => sql.end());
  };
  let dataDir: string;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-migrate-server-"));
    const deps = createDeps(testConfig({ dataDir, databasePath: path.join(dataDir, "passerelle.db") }));
    try {
      await ensureDemo(deps);
    } finally {
      deps.db.close();
    }
    for (const name of names) {
      await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C.UTF-8'`);
    }
  }, 600_000);

  afterAll(async () => {
    fs.rmSync(dataDir, { recursive: true, force: true });
    for (const name of names) await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  }, 600_000);

  it("copies, proves, refuses a second copy; backs up by pg_dump a database that restores and verifies", async () => {
    const url = urlOf(names[0]!);
    const shown = redactedUrl(url);
    const first = await cli({ PASSERELLE_DATA: dataDir }, "migrate-to-postgres", url);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(first.stdout).not.toContain(`:${new URL(url).password}@`); // the password is never printed
    expect(first.stdout.trimEnd().split("\n").at(-1)).toBe(`The copy is proven: ${shown} holds the same books as ${path.join(dataDir, "passerelle.db")}.`);

    const again = await cli({ PASSERELLE_DATA: dataDir }, "migrate-to-postgres", url);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(new RegExp(`^${shown.replace(/[.?*+^$()[\]{}|\\/]/g, "\\$&")} is not empty \\(rows in accounting_settings, activity, companies, customers, frozen_entries and \\d+ more\\): a copy goes into an empty database only; nothing was written.\n$`));

    const verify = await cli({ PASSERELLE_DATA: dataDir, PASSERELLE_DATABASE_URL: url }, "verify");
    expect(verify.code).toBe(0);
    expect(verify.stdout).toMatch(/^ok {3}Maison Lumière SARL: chain valid, numbering continuous, \d+ records\n1 valid, 0 with problems\n$/);

    const dump = path.join(dataDir, "copies", "livres.pgdump");
    const backup = await cli({ PASSERELLE_DATA: dataDir, PASSERELLE_DATABASE_URL: url }, "backup", dump);
    expect(backup.stderr).toBe("");
    expect(backup.code).toBe(0);
    expect(backup.stdout.split("\n").at(-2)).toBe(`Backed up ${shown} to ${dump} (${fs.statSync(dump).size} bytes, pg_dump custom format, checked)`);

    const restored = urlOf(names[1]!);
    const target = new URL(restored);
    const password = decodeURIComponent(target.password);
    target.password = "";
    execFileSync("pg_restore", ["--exit-on-error", "--no-owner", `--dbname=${target.toString()}`, dump], { env: { ...process.env, PGPASSWORD: password } });
    const check = await cli({ PASSERELLE_DATA: dataDir }, "verify", restored);
    expect(check.code).toBe(0);
    expect(check.stdout).toBe(verify.stdout);
  }, 240_000);
});
