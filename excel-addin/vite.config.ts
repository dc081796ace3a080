/**
 * Builds the add-in into dist/: taskpane.html (the shared runtime's page), functions.js (a stable
 * name the manifest points to), functions.json and functions.en-US.json (from src/functions/metadata.ts) and the icons.
 * `base: "./"` keeps every URL relative, so the same build is served under /addin/ by the API or
 * at the root of any HTTPS host.
 */
import { defineConfig } from "vite";
import preact from "@preact/preset-vite";
import { functionsJson, METADATA_FILES, type MetadataLanguage } from "./src/functions/metadata.js";

export default defineConfig({
  base: "./",
  plugins: [
    preact(),
    {
      name: "passerelle-functions-metadata",
      generateBundle() {
        for (const [lang, fileName] of Object.entries(METADATA_FILES)) this.emitFile({ type: "asset", fileName, source: functionsJson(lang as MetadataLanguage) });
      },
    },
  ],
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    rollupOptions: {
      input: { taskpane: "taskpane.html", functions: "src/functions/register.ts" },
      output: {
        entryFileNames: (chunk) => (chunk.name === "functions" ? "functions.js" : "assets/[name]-[hash].js"),
      },
    },
  },
});
