/** `npm run cli -- <command>`: seed-demo, create-user, backup <file>, verify. */
import { configFromEnv } from "./config.js";
import { createDeps } from "./deps.js";
import { ensureDemo } from "./demo/seed.js";
import { createUser } from "./services/users.js";
import { checkIntegrity } from "./services/integrity.js";
import { openDatabase, openReadOnly } from "./db/connection.js";
import { ProblemError } from "./http/problem.js";
import { SignupInput } from "@passerelle/shared";

const [command, ...args] = process.argv.slice(2);
const usage = `Usage: npm run cli -- <command>
  seed-demo                          load the demo company (once; prints the credentials)
  create-user <email> <name> <pass>  create an account
  backup <file>                      consistent online copy of the database (safe while the server runs)
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
      const [file] = args;
      if (!file) return fail("backup needs a target file");
      const db = openDatabase(config.databasePath);
      await db.backup(file);
      db.close();
      console.log(`Backed up ${config.databasePath} to ${file}`);
      return 0;
    }
    case "verify": {
      const db = openReadOnly(args[0] ?? config.databasePath);
      let failures = 0;
      const companies = db.prepare("SELECT id, name FROM companies ORDER BY name").all() as { id: string; name: string }[];
      for (const company of companies) {
        const report = checkIntegrity(db, company.id);
        if (!report.ok) failures++;
        console.log(`${report.ok ? "ok  " : "FAIL"} ${company.name}: chain ${report.chain}, numbering ${report.numbering}, ${report.checkedRecords} records`);
        for (const p of report.problems) console.log(`     - [${p.kind}] ${p.message}`);
      }
      console.log(`${companies.length - failures} valid, ${failures} with problems`);
      db.close();
      return failures ? 1 : 0;
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
  if (!(error instanceof ProblemError)) throw error;
  console.error(error.detail ?? error.title);
  process.exitCode = 1;
}
