/** Builds the add-in into a fresh temporary folder (tests never touch excel-addin/dist). */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";

export const ADDIN_DIR = fileURLToPath(new URL("..", import.meta.url));

export async function buildAddin(): Promise<string> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-addin-"));
  await build({
    configFile: path.join(ADDIN_DIR, "vite.config.ts"),
    root: ADDIN_DIR,
    logLevel: "silent",
    build: { outDir, emptyOutDir: true },
  });
  return outDir;
}
