/**
 * `npx tsx bench/issue-profile.ts --db <benchmark database> [--database postgres://…] [--seconds 15] [--out name] [--in-process 3000]`
 *
 * Profiles the server (as `npm start` runs it, the V8 profiler started by cpu-prof-preload.mjs)
 * while 50 clients draft and issue over HTTP, as the issuing benchmark does, and prints the
 * functions with the most self time. With `--in-process N`: N draft + issue pairs through
 * app.request() in this process (from the sources, no HTTP server), on a copy of the database.
 * The profile is kept in bench/results/<out>.cpuprofile (not committed) and the table in <out>.md.
 * With `--database`, the server runs on that PostgreSQL copy of the data set (bench/pg-copy.ts,
 * `npm run bench -- --engine postgres` makes one); the profile is the request thread's, not the
 * database thread's. Not part of `npm test`; it adds invoices to the database.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { BENCH_OWNER } from "./generate.js";
import inspector from "node:inspector";
import { measureIssueHttp, openInProcess } from "./issue.js";
import { profileTable } from "./cpu-profile.js";
import { benchServer, machine } from "./support.js";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}
const file = arg("db", "");
if (!file || !fs.existsSync(file)) throw new Error("--db <benchmark database> is required");
const info = JSON.parse(fs.readFileSync(`${file}.json`, "utf8")) as { companyId: string; counts: { invoices: number } };
const out = arg("out", "issue-profile");
const results = path.join(path.dirname(fileURLToPath(import.meta.url)), "results");
const dir = fs.mkdtempSync(path.join(path.dirname(file), "cpu-prof-"));

const before = machine();
const database = arg("database", "");
const target = { file, companyId: info.companyId, ownerEmail: BENCH_OWNER.email, password: BENCH_OWNER.password, documents: info.counts.invoices, ...(database ? { database } : {}) };
const inProcessPairs = Number(arg("in-process", "0"));
let summary: string;
if (inProcessPairs > 0) {
  const p = await openInProcess(target);
  for (let i = 0; i < 200; i++) await p.viaApp(i); // warm-up
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) => new Promise<any>((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
  await post("Profiler.enable");
  await post("Profiler.setSamplingInterval", { interval: 1000 });
  await post("Profiler.start");
  const t0 = performance.now();
  for (let i = 0; i < inProcessPairs; i++) await p.viaApp(i);
  const seconds = (performance.now() - t0) / 1000;
  const { profile } = await post("Profiler.stop");
  fs.writeFileSync(path.join(dir, "in-process.cpuprofile"), JSON.stringify(profile));
  p.deps.db.close();
  summary = `In process (app.request(), from the sources), ${inProcessPairs.toLocaleString("en")} draft + issue pairs in ${seconds.toFixed(1)} s (${((seconds * 1e6) / inProcessPairs).toFixed(0)} µs each under the profiler).`;
} else {
  const r = await measureIssueHttp(
    target,
    (f) => benchServer(f, { ...(database ? { PASSERELLE_DATABASE_URL: database } : {}), NODE_OPTIONS: `--import=${path.join(path.dirname(fileURLToPath(import.meta.url)), "cpu-prof-preload.mjs")}`, CPU_PROFILE_FILE: path.join(dir, "server.cpuprofile") }),
    Number(arg("seconds", "15")),
  );
  summary = `Server as \`npm start\` runs it, 50 keep-alive clients drafting and issuing for ${r.elapsed.toFixed(1)} s: ${r.issued.toLocaleString("en")} invoices (${(r.issued / r.elapsed).toFixed(0)}/s under the profiler), server CPU ${r.serverCpu === null ? "?" : ((r.serverCpu * 1e6) / r.issued).toFixed(0)} µs per invoice; gaps ${r.gaps}, duplicates ${r.duplicates}.`;
}
const after = machine();
const profile = fs.readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
if (!profile) throw new Error(`no profile written in ${dir}`);
fs.copyFileSync(path.join(dir, profile), path.join(results, `${out}.cpuprofile`));
fs.rmSync(dir, { recursive: true, force: true });
const md = [
  `Profiled ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC; load average ${before.loadAverage} at the start, ${after.loadAverage} at the end.`,
  summary,
  "",
  profileTable(path.join(results, `${out}.cpuprofile`), 15),
  "",
].join("\n");
fs.writeFileSync(path.join(results, `${out}.md`), md);
console.log(md);
