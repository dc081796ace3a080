/**
 * The test run's databases on a PostgreSQL server (vitest globalSetup of the API projects): where
 * PASSERELLE_TEST_DATABASE names a server (`postgres://…`; not `pglite`, nothing to do then), the run
 * takes a name of its own, makes the migrated template every test app's database is copied from
 * (src/db/postgres/fresh.ts), drops the databases of each test file once its process has ended, and
 * the rest when the run ends — so that a run leaves nothing on the server (a full run makes over a
 * thousand databases of about 10 MB), and runs at the same time on one server (two projects, two
 * engineers) do not meet.
 *
 * The run's name and template reach the test files' processes through the project's `env`: vitest
 * starts them after the global setups, with the project's `env` over the process's.
 */
import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { dropDatabases, dropTestDatabases, makeTemplate, runPrefix, testDatabases } from "../src/db/postgres/fresh.js";

/** How often the databases of ended test files are looked for. */
const SWEEP_MS = 5_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export default function setup(project: TestProject): (() => Promise<void>) | undefined {
  const env = project.config.env as Record<string, string | undefined>;
  const server = env.PASSERELLE_TEST_DATABASE ?? process.env.PASSERELLE_TEST_DATABASE;
  if (!server || !/^postgres(ql)?:\/\//.test(server)) return undefined;
  const run = randomBytes(4).toString("hex");
  const prefix = runPrefix(run);
  const template = `${prefix}template`;
  makeTemplate(server, template);
  env.PASSERELLE_TEST_RUN = run;
  env.PASSERELLE_TEST_TEMPLATE = template;

  // A test file runs in a process of its own (`passerelle_t<run>_<pid>_<n>`): once that process is
  // gone, nothing uses its databases any more.
  let sweeping: Promise<void> | undefined;
  const sweep = async () => {
    const names = await testDatabases(server, prefix);
    const ended = names.filter((name) => {
      const pid = /_(\d+)_\d+$/.exec(name)?.[1];
      return pid !== undefined && !alive(Number(pid));
    });
    await dropDatabases(server, ended);
  };
  const timer = setInterval(() => {
    sweeping ??= sweep()
      .catch((error: unknown) => console.error(`[${project.name}] dropping the databases of ended test files failed:`, error))
      .finally(() => (sweeping = undefined));
  }, SWEEP_MS);
  timer.unref();

  return async () => {
    clearInterval(timer);
    await sweeping;
    const dropped = await dropTestDatabases(server, prefix);
    console.log(`[${project.name}] the run's last ${dropped} PostgreSQL databases dropped`);
  };
}
