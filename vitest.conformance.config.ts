import { defineConfig } from "vitest/config";

// The checks against the official Factur-X files (PASSERELLE_FACTURX_DIR), which are not in the
// repository: `npm run test:conformance`, apart from `npm test`.
export default defineConfig({
  test: {
    projects: [{ test: { name: "conformance", root: "./api", include: ["conformance/**/*.test.ts"], testTimeout: 60_000, hookTimeout: 180_000 } }],
  },
});
