/** A render worker (see render-pool.ts): makes the PDFs it is sent, one at a time, and sends their bytes back. */
import fs from "node:fs";
import os from "node:os";
import { parentPort } from "node:worker_threads";
import { createPdf, pdfBytes } from "./pdf-document.js";
import { renderJob, type RenderJob } from "./render-jobs.js";

// Renders give way to the event loop when they compete for a core: on Linux, a thread's id set as a
// process id names that thread alone. Elsewhere the thread keeps the process's priority.
try {
  os.setPriority(Number(fs.readlinkSync("/proc/thread-self").split("/").at(-1)), 10);
} catch {
  // no /proc/thread-self: not Linux
}

const pool = parentPort!;
pool.on("message", async ({ id, job }: { id: number; job: RenderJob }) => {
  try {
    pool.postMessage({ id, bytes: await renderJob(job) });
  } catch (error) {
    pool.postMessage({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }
});

// The first document of a thread loads pdfkit and parses the fonts, most of a second: done before
// the worker says it is ready, so no request's time limit pays for it.
const warmUp = createPdf({ title: "Passerelle", author: "Passerelle", createdAt: new Date(0) });
warmUp.doc.font(warmUp.bold).text("Facture 1 234,56 €");
warmUp.doc.font(warmUp.regular).text("Facture 1 234,56 €");
await pdfBytes(warmUp.doc);
pool.postMessage({ ready: true });
