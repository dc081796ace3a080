import fs from "node:fs";
import path from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

const onPath = (command: string) => (process.env.PATH ?? "").split(path.delimiter).some((dir) => dir !== "" && fs.existsSync(path.join(dir, command)));
// The deployment test runs Caddy and systemd-analyze; where they are missing it is not part of the suite (CI installs both).
const deploymentTest = onPath("caddy") && onPath("systemd-analyze") ? [] : ["test/reliability/deployment.test.ts"];
// The PostgreSQL fault test runs a server of its own (initdb, pg_ctl); where PostgreSQL is not installed it is not part of the suite (CI installs it).
const postgresInstalled = fs.existsSync("/usr/lib/postgresql") ? fs.readdirSync("/usr/lib/postgresql").some((v) => fs.existsSync(`/usr/lib/postgresql/${v}/bin/initdb`)) : onPath("initdb");
const postgresFaultTest = postgresInstalled || process.env.CI || process.env.PASSERELLE_TEST_PG_BIN ? [] : ["test/reliability/database-faults.test.ts"];

export default defineConfig({
  test: {
    projects: [
      { test: { name: "shared", root: "./shared", include: ["test/**/*.test.ts"] } },
      { test: { name: "api", root: "./api", include: ["test/**/*.test.ts"], exclude: [...configDefaults.exclude, ...deploymentTest, ...postgresFaultTest], testTimeout: 30_000, hookTimeout: 60_000 } },
      { test: { name: "excel-addin", root: "./excel-addin", include: ["test/**/*.test.ts", "test/**/*.test.tsx"], testTimeout: 120_000, hookTimeout: 180_000 } },
      "./extension/vitest.config.ts",
      "./extension/vitest.e2e.config.ts",
    ],
  },
});
