/**
 * Bundles the API server into dist/server.mjs (what `npm start` runs): our TypeScript, the shared
 * package's included, compiled once, so the server starts without a TypeScript loader (about 40 MB
 * less resident, and a faster start). npm packages stay external, loaded from node_modules. The
 * backup check's worker thread is bundled beside it (backup-check.mjs, found from the server's URL).
 * `node scripts/build.mjs [outfile]`.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { build } from "esbuild";

const apiDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const pkg = JSON.parse(readFileSync(path.join(apiDir, "package.json"), "utf8"));
const external = Object.keys(pkg.dependencies).filter((name) => !name.startsWith("@passerelle/"));
const outfile = path.resolve(apiDir, process.argv[2] ?? "dist/server.mjs");

const bundle = (entry, file) =>
  build({
    entryPoints: [path.join(apiDir, "src", entry)],
    outfile: file,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    external,
    sourcemap: "linked",
    legalComments: "none",
    logLevel: "warning",
  });
await Promise.all([bundle("server.ts", outfile), bundle(path.join("backups", "check-worker.ts"), path.join(path.dirname(outfile), "backup-check.mjs"))]);
console.log(`API server bundled: ${path.relative(process.cwd(), outfile)}`);
