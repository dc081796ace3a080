import { fileURLToPath } from "node:url";
import { defineProject } from "vitest/config";
import { WxtVitest } from "wxt/testing/vitest-plugin";

const root = fileURLToPath(new URL(".", import.meta.url));

/** Unit and component tests: WXT's fake browser, happy-dom for the views. */
export default defineProject({
  root,
  plugins: [WxtVitest({ root })],
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  test: {
    name: "extension",
    include: ["test/**/*.test.ts", "test/**/*.test.tsx"],
    environment: "./test/dom-environment.ts",
    // Pages under test never load anything from the network.
    environmentOptions: { happyDOM: { settings: { disableIframePageLoading: true, disableJavaScriptFileLoading: true, disableCSSFileLoading: true } } },
    setupFiles: ["test/setup.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
