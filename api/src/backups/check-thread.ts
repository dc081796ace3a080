/**
 * The database check on a worker thread: recomputing every chain takes seconds on a large company
 * (18.7 s at 100,000 invoices, README), which the server's own thread must not spend.
 */
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import type { DatabaseCheck } from "./check.js";

/**
 * Bundled (dist/server.mjs), the worker is dist/backup-check.mjs, built beside it by scripts/build.mjs.
 * From the sources, its entry registers tsx first: Node 20 does not give a worker its parent's loader.
 */
function workerEntry(): URL {
  if (!import.meta.url.endsWith(".ts")) return new URL("./backup-check.mjs", import.meta.url);
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx/esm/api").replace(/\.cjs$/, ".mjs")).href;
  const entry = `import { register } from ${JSON.stringify(tsx)}; register(); await import(${JSON.stringify(new URL("./check-worker.ts", import.meta.url).href)});`;
  return new URL(`data:text/javascript,${encodeURIComponent(entry)}`);
}

export function checkDatabaseFileOffThread(file: string, signal?: AbortSignal): Promise<DatabaseCheck> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerEntry(), { workerData: { file } });
    const abort = () => void worker.terminate();
    signal?.addEventListener("abort", abort, { once: true });
    let answered = false;
    worker.once("message", (check: DatabaseCheck) => {
      answered = true;
      resolve(check);
    });
    worker.once("error", reject);
    worker.once("exit", (code) => {
      signal?.removeEventListener("abort", abort);
      if (!answered) reject(signal?.aborted ? signal.reason : new Error(`the backup check's thread stopped (exit code ${code})`));
    });
  });
}
