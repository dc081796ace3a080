/**
 * The test run's databases on a PostgreSQL server (vitest globalSetup of the API projects): where
 * PASSERELLE_TEST_DATABASE names a server (`postgres://…`; not `pglite`, nothing to do then), the run
 * takes a name of its own, makes the migrated template every test app's database is copied from
 * (src/db/postgres/fresh.ts), and drops all its databases when it ends — so that a run leaves nothing
 * on the server, and runs at the same time on one server (two projects, two engineers) do not meet.
 *
 * The run's name and template reach the test files' processes through the project's `env`:
 * vitest starts them after the global setups, with the project's `env` over the process's.
 */
import { randomBytes } from "node:crypto";
import type { TestProject } from "vitest/node";
import { dropTestDatabases, makeTemplate, runPrefix } from "../src/db/postgres/fresh.js";

export default function setup(project: TestProject): (() => void) | undefined {
  const env = project.config.env as Record<string, string | undefined>;
  const server = env.PASSERELLE_TEST_DATABASE ?? process.env.PASSERELLE_TEST_DATABASE;
  if (!server || !/^postgres(ql)?:\/\//.test(server)) return undefined;
  const run = randomBytes(4).toString("hex");
  const template = `${runPrefix(run)}template`;
  makeTemplate(server, template);
  env.PASSERELLE_TEST_RUN = run;
  env.PASSERELLE_TEST_TEMPLATE = template;
  return () => {
    const dropped = dropTestDatabases(server, runPrefix(run));
    console.log(`[${project.name}] ${dropped} databases of the run dropped on the PostgreSQL server`);
  };
}
