/**
 * `npx tsx bench/issue-compare.ts --db <benchmark database> --before <bundle> [--rounds 3] [--seconds 10]`
 *
 * The issuing benchmark over HTTP (50 keep-alive clients, draft + issue) against two server
 * bundles taking turns on the same database: `--before`, a bundle built by scripts/build.mjs from
 * an earlier commit, and this tree's. Turns alternate so both see the same load on a shared
 * machine. Prints invoices/s and server CPU per invoice for each turn and the medians; writes
 * bench/results/issue-compare.md. Not part of `npm test`; it adds invoices to the database.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BENCH_OWNER } from "./generate.js";
import { measureIssueHttp, type HttpResult } from "./issue.js";
import { benchServer, machine, startServer, stats } from "./support.js";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}
const file = arg("db", "");
const before = arg("before", "");
if (!file || !fs.existsSync(file) || !before || !fs.existsSync(before)) throw new Error("--db <benchmark database> and --before <bundle> are required");
const info = JSON.parse(fs.readFileSync(`${file}.json`, "utf8")) as { companyId: string; counts: { invoices: number } };
const target = { file, companyId: info.companyId, ownerEmail: BENCH_OWNER.email, password: BENCH_OWNER.password, documents: info.counts.invoices };
const rounds = Number(arg("rounds", "3"));
const seconds = Number(arg("seconds", "10"));
const sides = {
  before: (f: string) => {
    fs.mkdirSync(`${f}.data`, { recursive: true });
    return startServer(`${f}.data`, { PASSERELLE_DB: f }, { bundle: before });
  },
  after: (f: string) => benchServer(f),
};
const results: Record<keyof typeof sides, HttpResult[]> = { before: [], after: [] };
const start = machine();
for (let round = 0; round < rounds; round++) {
  for (const side of (round % 2 === 0 ? ["before", "after"] : ["after", "before"]) as (keyof typeof sides)[]) {
    const r = await measureIssueHttp(target, sides[side], seconds);
    results[side].push(r);
    console.log(`${side}: ${(r.issued / r.elapsed).toFixed(0)} invoices/s, server ${r.serverCpu === null ? "?" : ((r.serverCpu * 1e6) / r.issued).toFixed(0)} µs CPU per invoice, p99 ${r.latency.p99.toFixed(0)} ms, gaps ${r.gaps}, duplicates ${r.duplicates}, failures ${r.failures.length}`);
  }
}
const end = machine();
const line = (side: keyof typeof sides) => {
  const rs = results[side];
  const rate = rs.map((r) => r.issued / r.elapsed);
  const cpu = rs.map((r) => ((r.serverCpu ?? NaN) * 1e6) / r.issued);
  return `| ${side === "before" ? `before (${path.relative(process.cwd(), before)})` : "this tree"} | ${rate.map((x) => x.toFixed(0)).join(", ")} | ${stats(rate).p50.toFixed(0)} | ${cpu.map((x) => x.toFixed(0)).join(", ")} | ${stats(cpu).p50.toFixed(0)} | ${rs.map((r) => `${r.gaps}/${r.duplicates}`).join(", ")} |`;
};
const md = [
  `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC; load average ${start.loadAverage} at the start, ${end.loadAverage} at the end. ${rounds} turns of ${seconds} s each, alternating, 50 keep-alive clients drafting and issuing into the data set's company (${info.counts.invoices.toLocaleString("en")} documents at generation).`,
  "",
  "| server | invoices/s, each turn | median | server CPU µs per invoice, each turn | median | gaps/duplicates |",
  "|---|---|---|---|---|---|",
  line("before"),
  line("after"),
  "",
].join("\n");
console.log(md);
fs.writeFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), "results", "issue-compare.md"), md);
