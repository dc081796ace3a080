import fs from "node:fs";
import path from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

const onPath = (command: string) => (process.env.PATH ?? "").split(path.delimiter).some((dir) => dir !== "" && fs.existsSync(path.join(dir, command)));
// The deployment test runs Caddy and systemd-analyze; where they are missing it is not part of the suite (CI installs both).
const deploymentTest = onPath("caddy") && onPath("systemd-analyze") ? [] : ["test/reliability/deployment.test.ts"];
// Two API processes on one PostgreSQL database need a server both reach (PGlite lives inside one process): part of the suite
// where PASSERELLE_TEST_POSTGRES_URL names one (CI's PostgreSQL 15, or the local server of docs/postgresql.md).
const postgresServerTests = process.env.PASSERELLE_TEST_POSTGRES_URL ? [] : ["test/reliability/postgres-processes.test.ts"];

// The PostgreSQL fault test runs a server of its own (initdb, pg_ctl); where PostgreSQL is not installed it is not part of the suite (CI installs it).
const postgresInstalled = fs.existsSync("/usr/lib/postgresql") ? fs.readdirSync("/usr/lib/postgresql").some((v) => fs.existsSync(`/usr/lib/postgresql/${v}/bin/initdb`)) : onPath("initdb");
const postgresFaultTest = postgresInstalled || process.env.PASSERELLE_TEST_PG_BIN ? [] : ["test/reliability/database-faults.test.ts"];

// The API suite's files and limits, the same on both engines. Where PASSERELLE_TEST_DATABASE names a
// PostgreSQL server, the global setup gives the run its databases and drops them at the end.
const api = {
  root: "./api",
  include: ["test/**/*.test.ts"],
  exclude: [...configDefaults.exclude, ...deploymentTest, ...postgresServerTests, ...postgresFaultTest],
  testTimeout: 30_000,
  hookTimeout: 60_000,
  globalSetup: ["./test/postgres-run.ts"],
};

// Left out of api-postgres, each because it tests nothing the PostgreSQL engine does: it runs on
// SQLite files (or SQLite itself) whatever PASSERELLE_TEST_DATABASE says, so it would only run the
// same SQLite test a second time.
const sqliteAlone = [
  // checks the PostgreSQL migrations against SQLite's, on PGlite and on PASSERELLE_TEST_POSTGRES_URL's
  // server already (in `api`: twice at once would drop the same database's schema under each other)
  "test/pg-schema.test.ts",
  // SQLite files made before a migration (009's WITHOUT ROWID rebuilds, 010, 022), read through sqlite_master
  "test/migrations.test.ts",
  // better-sqlite3's compiled-statement cache (db/connection.ts cacheStatements)
  "test/statement-cache.test.ts",
  // the benchmark data sets are generated as SQLite files and checked there
  "test/bench-foreign-keys.test.ts",
  "test/reliability/bench-data.test.ts",
  "test/reliability/firm-data.test.ts",
  // the CLI's commands on a data folder's SQLite file (init, demo, verify, backup copies)
  "test/cli.test.ts",
  // processes writing one SQLite file at once (in-process deps and spawned servers on the file)
  "test/concurrency.test.ts",
  // server processes started on a data folder, so on its SQLite file: online backups and restores
  // of the file, SIGKILL and restart over it, the bundle, the deployment, load, the docs' server,
  // bad settings at start, render pool, hung-up uploads, failing exports, served from that file
  "test/docs.test.ts",
  "test/reliability/aborted-connections.test.ts",
  "test/reliability/backup-schedule.test.ts",
  "test/reliability/backup.test.ts",
  "test/reliability/bad-configuration.test.ts",
  "test/reliability/bundle.test.ts",
  "test/reliability/crash.test.ts",
  "test/reliability/deployment.test.ts",
  "test/reliability/export-failures.test.ts",
  "test/reliability/load.test.ts",
  "test/reliability/render-pool.test.ts",
  "test/reliability/restore.test.ts",
];

// Left out of api-postgres because they open no database at all (pure functions, files, mail): a
// second run would test the same code again. Each file's imports show it.
const withoutDatabase = [
  "test/archive-names.test.ts",
  "test/bench-canonical.test.ts",
  "test/client-address.test.ts",
  "test/ids.test.ts",
  "test/mailer.test.ts",
  "test/pdf-fonts.test.ts",
  "test/pg-dialect.test.ts",
  "test/problem-catalogue.test.ts",
  "test/xlsx-writer.test.ts",
  "test/reliability/bounded-work.test.ts",
  "test/reliability/ci-summary.test.ts",
];

// Tests that start API processes on PostgreSQL databases of their own: in `api` (once is enough)
// (crash.test.ts kills servers on SQLite and on PostgreSQL; database-faults.test.ts runs its own cluster)
const postgresOwnServers = ["test/reliability/postgres-processes.test.ts", "test/reliability/database-faults.test.ts"];

export default defineConfig({
  test: {
    // Two test files at a time (vitest's default on 2 cores is one): most files wait on servers they
    // started, on PostgreSQL or on Chromium rather than compute, so two share the cores well.
    maxWorkers: 2,
    projects: [
      { test: { name: "shared", root: "./shared", include: ["test/**/*.test.ts"] } },
      { test: { name: "api", ...api, env: {} } },
      // The same suite with every test app on PostgreSQL: the server PASSERELLE_TEST_POSTGRES_URL names
      // (CI's), else PGlite (PostgreSQL in WebAssembly, in the test's process: no server needed).
      // Twice the time limits: every statement is a round trip to the database (60–200 µs where SQLite
      // takes a few), so a test making hundreds of documents takes several times as long.
      {
        test: {
          name: "api-postgres",
          ...api,
          testTimeout: 2 * api.testTimeout,
          hookTimeout: 2 * api.hookTimeout,
          exclude: [...api.exclude, ...sqliteAlone, ...withoutDatabase, ...postgresOwnServers],
          env: { PASSERELLE_TEST_DATABASE: process.env.PASSERELLE_TEST_POSTGRES_URL || "pglite" },
        },
      },
      { test: { name: "excel-addin", root: "./excel-addin", include: ["test/**/*.test.ts", "test/**/*.test.tsx"], testTimeout: 120_000, hookTimeout: 180_000 } },
      "./extension/vitest.config.ts",
      "./extension/vitest.e2e.config.ts",
    ],
  },
});
