import fs from "node:fs";
import path from "node:path";
import { configDefaults, defineConfig } from "vitest/config";

const onPath = (command: string) => (process.env.PATH ?? "").split(path.delimiter).some((dir) => dir !== "" && fs.existsSync(path.join(dir, command)));
// The deployment test runs Caddy and systemd-analyze; where they are missing it is not part of the suite (CI installs both).
const deploymentTest = onPath("caddy") && onPath("systemd-analyze") ? [] : ["test/reliability/deployment.test.ts"];
// Two API processes on one PostgreSQL database need a server both reach (PGlite lives inside one process): part of the suite
// where PASSERELLE_TEST_POSTGRES_URL names one (CI's PostgreSQL 15, or the local server of docs/postgresql.md).
const postgresServerTests = process.env.PASSERELLE_TEST_POSTGRES_URL ? [] : ["test/reliability/postgres-processes.test.ts"];

export default defineConfig({
  test: {
    projects: [
      { test: { name: "shared", root: "./shared", include: ["test/**/*.test.ts"] } },
      { test: { name: "api", root: "./api", include: ["test/**/*.test.ts"], exclude: [...configDefaults.exclude, ...deploymentTest, ...postgresServerTests], testTimeout: 30_000, hookTimeout: 60_000 } },
      { test: { name: "excel-addin", root: "./excel-addin", include: ["test/**/*.test.ts", "test/**/*.test.tsx"], testTimeout: 120_000, hookTimeout: 180_000 } },
      "./extension/vitest.config.ts",
      "./extension/vitest.e2e.config.ts",
    ],
  },
});
