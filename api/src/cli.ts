/** `npm run cli -- <command>`: seed-demo, create-user, backup [file], restore <file>, verify. */
import path from "node:path";
import { ConfigError, configFromEnv } from "./config.js";
import { createDeps } from "./deps.js";
import { ensureDemo } from "./demo/seed.js";
import { createUser } from "./services/users.js";
import { openDatabase } from "./db/connection.js";
import { checkDatabaseFile, describeCheck } from "./backups/check.js";
import { writeBackup, BackupRefused } from "./backups/write.js";
import { backupName, pruneBackups } from "./backups/files.js";
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
  verify [database file]             check chains and numbering of every company; exit 1 on a problem`;

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
      const check = checkDatabaseFile(file);
      for (const line of describeCheck(check, file)) console.log(line);
      return check.ok ? 0 : 1;
    }
    default:
      console.log(usage);
      return command ? 2 : 0;
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
