/**
 * Points manifest.xml at a deployment: npm run addin:manifest -- --url https://passerelle.example.fr
 * (the API serves the add-in under /addin/). Add --out <file> to write a copy instead.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { hostingBase, manifestBase, rewriteManifest } from "./manifest-urls.js";

const { values } = parseArgs({ options: { url: { type: "string" }, out: { type: "string" } } });
const manifestPath = fileURLToPath(new URL("../../manifest.xml", import.meta.url));
if (!values.url) {
  console.error("Usage: npm run addin:manifest -- --url https://passerelle.example.fr [--out manifest.prod.xml]");
  process.exit(2);
}
try {
  const xml = readFileSync(manifestPath, "utf8");
  const base = hostingBase(values.url);
  const out = values.out ?? manifestPath;
  writeFileSync(out, rewriteManifest(xml, base));
  console.log(`${out}: ${manifestBase(xml)} → ${base}`);
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
