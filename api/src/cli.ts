/** `npm run cli -- <command>`: seed-demo, create-user, backup [file], restore <file>, verify, migrate-to-postgres <url>. */
import path from "node:path";
import { ConfigError, configFromEnv } from "./config.js";
import { createDeps } from "./deps.js";
import { ensureDemo } from "./demo/seed.js";
import { createUser } from "./services/users.js";
import fs from "node:fs";
import { isPostgresUrl, openDatabase } from "./db/connection.js";
import { checkDatabaseFile, checkPostgresDatabase, describeCheck } from "./backups/check.js";
import { writeBackup, BackupRefused } from "./backups/write.js";
import { writePostgresBackup, DumpFailed } from "./backups/postgres-dump.js";
import { backupName, postgresBackupName, pruneBackups } from "./backups/files.js";
import { copyToPostgres, CopyRefused, openEmptyTarget } from "./db/copy-to-postgres.js";
import { redactedUrl } from "./db/postgres/urls.js";
import { proveCopy } from "./services/copy-proof.js";
import { restoreBackup, RestoreRefused } from "./backups/restore.js";
import { EX_CONFIG } from "./start-up-check.js";
import { ProblemError } from "./http/problem.js";
import { SignupInput } from "@passerelle/shared";

const [command, ...args] = process.argv.slice(2);
const usage = `Usage: npm run cli -- <command>
  seed-demo                          load the demo company (once; prints the credentials)
  create-user <email> <name> <pass>  create an account
  backup [file]                      checked online copy of the database (safe while the server runs); without
                                     a file, into BACKUP_DIR as the server's own backups, keeping BACKUP_KEEP
  restore <file>                     check a backup (.db or .db.gz), then put it in place of the database (the
                                     server must be stopped); the replaced database is kept aside
  verify [database file or url]      check chains and numbering of every company; exit 1 on a problem
  migrate-to-postgres <url>          copy the SQLite database (PASSERELLE_DB) into an empty PostgreSQL database,
                                     then prove the copy (rows, integrity, chain heads, FEC); exit 1 if anything differs

On PostgreSQL (PASSERELLE_DATABASE_URL), backup writes pg_dump's custom format (.pgdump) of the
snapshot it checked; restore it with pg_restore into an empty database, then verify.`;

async function main(): Promise<number> {
  const config = configFromEnv();
  switch (command) {
    case "seed-demo": {
      const deps = createDeps(config);
      const info = await ensureDemo(deps);
      console.log(`${info.created ? "Demo loaded" : "Demo already present"}: ${info.companyName}\n  owner ${info.owner.email} / ${info.owner.password}\n  accountant ${info.accountant.email} / ${info.accountant.password}`);
      return 0;
    }
    case "create-user": {
      const [email, name, password] = args;
      if (!email || !name || !password) return fail("create-user needs <email> <name> <password>");
      // the same rules as signing up through the API
      const input = SignupInput.safeParse({ email, name, password });
      if (!input.success) return fail(input.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("\n"));
      const deps = createDeps(config);
      const user = await createUser(deps, input.data);
      console.log(`Created ${user.email} (${user.id})`);
      return 0;
    }
    case "backup": {
      const [named] = args;
      const { dir, gzip, keep } = config.backups;
      if (isPostgresUrl(config.databasePath)) return backupPostgres(config.databasePath, named, dir, keep);
      const file = path.resolve(named ?? path.join(dir, backupName(new Date(), gzip)));
      const db = openDatabase(config.databasePath);
      try {
        const backup = await writeBackup(db, file, { gzip: named ? file.endsWith(".gz") : gzip, check: checkDatabaseFile });
        for (const line of describeCheck(backup.check, file)) console.log(line);
        console.log(`Backed up ${config.databasePath} to ${file} (${backup.bytes} bytes, checked)`);
        if (!named) for (const removed of pruneBackups(dir, keep)) console.log(`Removed ${removed} (keeping the newest ${keep})`);
        return 0;
      } catch (error) {
        if (!(error instanceof BackupRefused)) throw error;
        for (const line of describeCheck(error.check, file)) console.error(line);
        console.error(`The copy of ${config.databasePath} failed its check: nothing was written to ${file}.`);
        return 1;
      } finally {
        db.close();
      }
    }
    case "restore": {
      const [file] = args;
      if (!file) return fail("restore needs a backup file");
      if (isPostgresUrl(config.databasePath)) {
        console.error(`On PostgreSQL, a backup (.pgdump) is restored by PostgreSQL's own program, into an empty database made as docs/postgresql.md says:
  pg_restore --exit-on-error --no-owner --dbname=<url of the empty database> ${file}
then check it with: npm run cli -- verify <url of that database>. Nothing was changed.`);
        return 2;
      }
      try {
        const restored = await restoreBackup(path.resolve(file), config.databasePath, new Date());
        for (const line of describeCheck(restored.check, path.resolve(file))) console.log(line);
        console.log(`Restored ${path.resolve(file)} into ${config.databasePath} (schema ${restored.check.schemaVersion}; the server brings it up to date when it starts)`);
        if (restored.keptAside) console.log(`The database it replaced is kept as ${restored.keptAside}`);
        return 0;
      } catch (error) {
        if (!(error instanceof RestoreRefused)) throw error;
        console.error(error.message);
        return 1;
      }
    }
    case "verify": {
      const file = args[0] ?? config.databasePath;
      const postgres = isPostgresUrl(file);
      const check = postgres ? checkPostgresDatabase(file) : checkDatabaseFile(file);
      for (const line of describeCheck(check, postgres ? redactedUrl(file) : file)) console.log(line);
      return check.ok ? 0 : 1;
    }
    case "migrate-to-postgres": {
      const [url] = args;
      if (!url || !isPostgresUrl(url)) return fail("migrate-to-postgres needs the PostgreSQL database's address: postgres://user:password@host:port/database");
      // the source is the SQLite file, whatever PASSERELLE_DATABASE_URL says (it may already name the target)
      const source = configFromEnv({ ...process.env, PASSERELLE_DATABASE_URL: "" }).databasePath;
      return migrateToPostgres(source, url);
    }
    default:
      console.log(usage);
      return command ? 2 : 0;
  }
}

async function backupPostgres(url: string, named: string | undefined, dir: string, keep: number): Promise<number> {
  const file = path.resolve(named ?? path.join(dir, postgresBackupName(new Date())));
  try {
    const backup = await writePostgresBackup(url, file);
    for (const line of describeCheck(backup.check, redactedUrl(url))) console.log(line);
    console.log(`Backed up ${redactedUrl(url)} to ${file} (${backup.bytes} bytes, pg_dump custom format, checked)`);
    if (!named) for (const removed of pruneBackups(dir, keep)) console.log(`Removed ${removed} (keeping the newest ${keep})`);
    return 0;
  } catch (error) {
    if (error instanceof BackupRefused) {
      for (const line of describeCheck(error.check, redactedUrl(url))) console.error(line);
      console.error(`${redactedUrl(url)} failed its check: nothing was written to ${file}.`);
      return 1;
    }
    if (error instanceof DumpFailed) {
      console.error(`${error.message}\nNothing was written to ${file}.`);
      return 1;
    }
    throw error;
  }
}

function migrateToPostgres(sourceFile: string, url: string): number {
  if (sourceFile === ":memory:" || !fs.existsSync(sourceFile)) {
    console.error(`There is no SQLite database at ${sourceFile} (PASSERELLE_DB, or PASSERELLE_DATA/passerelle.db): nothing to copy.`);
    return 1;
  }
  const target = (() => {
    try {
      return openEmptyTarget(url);
    } catch (error) {
      if (error instanceof CopyRefused) return error;
      throw error;
    }
  })();
  if (target instanceof CopyRefused) {
    console.error(target.message);
    return 1;
  }
  const source = openDatabase(sourceFile);
  try {
    console.log(`Copying ${sourceFile} into ${redactedUrl(url)}…`);
    let copy;
    try {
      copy = copyToPostgres(source, target, { targetName: redactedUrl(url) });
    } catch (error) {
      if (error instanceof CopyRefused) throw error;
      console.error(`The copy failed: ${(error as Error).message}\nIt was one transaction, rolled back: ${redactedUrl(url)} holds no rows.`);
      return 1;
    }
    const rows = copy.tables.reduce((sum, t) => sum + t.rows, 0);
    console.log(`Copied ${rows} rows of ${copy.tables.length} tables in ${(copy.ms / 1000).toFixed(1)} s (schema ${copy.schemaVersion}; not copied: ${copy.skipped.join(", ")}, everyone signs in again)`);
    for (const t of copy.tables.filter((t) => t.rows > 0)) console.log(`  ${t.name}: ${t.rows}`);
    console.log("Proving the copy…");
    const proof = proveCopy(source, target);
    for (const line of proof.matched) console.log(`ok   ${line}`);
    for (const line of proof.differences) console.log(`FAIL ${line}`);
    console.log(proof.ok ? `The copy is proven: ${redactedUrl(url)} holds the same books as ${sourceFile}.` : `The copy differs from ${sourceFile} (${proof.differences.length} differences above): do not use ${redactedUrl(url)}.`);
    return proof.ok ? 0 : 1;
  } catch (error) {
    if (!(error instanceof CopyRefused)) throw error;
    console.error(error.message);
    return 1;
  } finally {
    source.close();
    target.close();
  }
}

function fail(message: string): number {
  console.error(`${message}\n\n${usage}`);
  return 2;
}

try {
  process.exitCode = await main();
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exitCode = EX_CONFIG;
  } else if (error instanceof ProblemError) {
    console.error(error.detail ?? error.title);
    process.exitCode = 1;
  } else throw error;
}
