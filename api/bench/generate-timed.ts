/**
 * `node --max-semi-space-size=128 --import tsx bench/generate-timed.ts <generate.ts of some revision> <database file> [invoices] [threads]`
 * (the flag as `npm run bench` gives it; see generate.ts)
 *
 * One generator run with its calling thread's CPU time and time spent waiting for a CPU (Linux
 * schedstat), for comparisons of two revisions run alternately on a machine shared with other work:
 * check the older revision out elsewhere (`git worktree add`, or `git archive`) and alternate.
 */
import fs from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [module, file, invoices = "100000", threads] = process.argv.slice(2);
if (!module || !file) throw new Error("usage: generate-timed.ts <generate.ts> <database file> [invoices] [threads]");
const { generateCompany } = await import(pathToFileURL(path.resolve(module)).href);
const schedstat = () => fs.readFileSync("/proc/thread-self/schedstat", "utf8").split(" ").map(Number);
const cpu = () => {
  const c = process.cpuUsage();
  return (c.user + c.system) / 1e6;
};
const [run0, wait0] = schedstat();
const cpu0 = cpu();
const started = performance.now();
const g = await generateCompany({ file, invoices: Number(invoices), ...(threads ? { threads: Number(threads) } : {}) });
const [run1, wait1] = schedstat();
console.log(
  `${module}: ${Math.round(g.invoicesPerSecond)} invoices/s; setup ${g.setupSeconds.toFixed(1)} s, load ${g.loadSeconds.toFixed(1)} s and check ${g.checkSeconds.toFixed(1)} s; ` +
    `whole run ${((performance.now() - started) / 1000).toFixed(1)} s, main thread CPU ${((run1! - run0!) / 1e9).toFixed(1)} s and ${((wait1! - wait0!) / 1e9).toFixed(1)} s waiting for a CPU, ` +
    `process CPU ${(cpu() - cpu0).toFixed(1)} s; load average ${fs.readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(" ")}`,
);
if (g.main) console.log(`  of the load: ${JSON.stringify({ main: g.main, worker: g.worker, writeCpuSeconds: g.writeCpuSeconds })}`);
