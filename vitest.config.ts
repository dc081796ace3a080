import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    projects: [
      { test: { name: "shared", root: "./shared", include: ["test/**/*.test.ts"] } },
      { test: { name: "api", root: "./api", include: ["test/**/*.test.ts"], testTimeout: 30_000, hookTimeout: 60_000 } },
      { test: { name: "excel-addin", root: "./excel-addin", include: ["test/**/*.test.ts", "test/**/*.test.tsx"], testTimeout: 120_000, hookTimeout: 180_000 } },
      "./extension/vitest.config.ts",
      "./extension/vitest.e2e.config.ts",
    ],
  },
});
