import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";

const root = fileURLToPath(new URL(".", import.meta.url));

/** End-to-end: the built extension in Debian Chromium against a real API server. Slow machines welcome. */
export default defineProject({
  root,
  test: {
    name: "extension-e2e",
    include: ["e2e/**/*.test.ts"],
    environment: "node",
    testTimeout: 240_000,
    hookTimeout: 240_000,
  },
});
