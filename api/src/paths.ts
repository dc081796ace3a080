/**
 * Where Passerelle's files are on disk, whether the API runs from its TypeScript sources (api/src,
 * through tsx) or bundled (api/dist/server.mjs, what `npm start` runs): found from this module up to
 * the API's package folder.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

function apiDir(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "package.json")) && fs.existsSync(path.join(dir, "src", "db", "migrations"))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`the API's folder was not found above ${fileURLToPath(import.meta.url)}`);
  }
}

export const API_DIR = apiDir();
/** The repository: api/, extension/, excel-addin/, manifest.xml. */
export const REPO_DIR = path.dirname(API_DIR);
export const MIGRATIONS_DIR = path.join(API_DIR, "src", "db", "migrations");
export const POSTGRES_MIGRATIONS_DIR = path.join(API_DIR, "src", "db", "migrations-pg");
