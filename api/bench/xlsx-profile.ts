/**
 * `npx tsx bench/xlsx-profile.ts --db <benchmark database> [--rows 100000] [--out name] [--no-profile]`
 *
 * The journal workbook and the CSV journal of the same rows (the first `rows` journal rows, as the
 * XLSX benchmark takes them), written in this process from the sources, one after the other, with
 * their CPU time; then the workbook again under the V8 profiler, whose functions with the most self
 * time are printed. The profile is kept in bench/results/<out>.cpuprofile (not committed) and the
 * table in <out>.md. Not part of `npm test`.
 */
import fs from "node:fs";
import { createHash } from "node:crypto";
import path from "node:path";
import inspector from "node:inspector";
import { fileURLToPath } from "node:url";
import { openReadOnly } from "../src/db/connection.js";
import { planFec } from "../src/exports/fec.js";
import { journalCsv, journalXlsx } from "../src/exports/journal.js";
import type { ExportBody } from "../src/exports/stream.js";
import { profileTable } from "./cpu-profile.js";
import { machine } from "./support.js";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}
const file = arg("db", "");
if (!file || !fs.existsSync(file)) throw new Error("--db <benchmark database> is required");
const info = JSON.parse(fs.readFileSync(`${file}.json`, "utf8")) as { companyId: string };
const out = arg("out", "xlsx-profile");
const results = path.join(path.dirname(fileURLToPath(import.meta.url)), "results");
const db = openReadOnly(file);
if (process.env.CACHE_TRY) db.pragma(`cache_size = ${process.env.CACHE_TRY}`);
const companyId = info.companyId;
const wanted = Number(arg("rows", "100000"));
const first = db.prepare("SELECT MIN(issue_date) FROM invoices WHERE company_id = ? AND status != 'draft'").pluck().get(companyId) as string;
const total = db.prepare("SELECT COUNT(*) FROM invoices WHERE company_id = ? AND status != 'draft'").pluck().get(companyId) as number;
const to = db
  .prepare("SELECT issue_date FROM invoices WHERE company_id = ? AND status != 'draft' ORDER BY issue_date, series_key, series_counter LIMIT 1 OFFSET ?")
  .pluck()
  .get(companyId, Math.min(wanted, total) - 1) as string;
const filters = { from: first, to };
const plan = planFec(db, companyId, { ...filters, separator: "tab" }, "2026-12-07", { from: first, to });

/** Drains an export body; its bytes, wall and CPU seconds. */
async function drain(body: ExportBody): Promise<{ bytes: number; seconds: number; cpu: number; sha256: string }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let bytes = 0;
  const hash = createHash("sha256");
  for await (const chunk of body) {
    bytes += chunk.length;
    hash.update(chunk);
  }
  const c = process.cpuUsage(cpu0);
  return { bytes, seconds: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6, sha256: hash.digest("hex") };
}

const before = machine();
const show = (label: string, r: { bytes: number; seconds: number; cpu: number; sha256: string }) =>
  `${label}: ${r.seconds.toFixed(2)} s, CPU ${r.cpu.toFixed(2)} s, ${(r.bytes / 1024 / 1024).toFixed(1)} MB, SHA-256 ${r.sha256.slice(0, 16)}`;
const csv = await drain(journalCsv(db, companyId, filters, "fr"));
const xlsx = await drain(journalXlsx(db, companyId, filters, plan, new Date("2026-12-07T12:00:00Z")));
const lines = [
  `Period ${first} – ${to}, ${Math.min(wanted, total).toLocaleString("en")} journal rows; load average ${before.loadAverage}`,
  show("CSV", csv),
  show("XLSX", xlsx),
  `XLSX / CSV: ${(xlsx.seconds / csv.seconds).toFixed(2)}× wall, ${(xlsx.cpu / csv.cpu).toFixed(2)}× CPU; peak RSS of the process ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
];
console.log(lines.join("\n"));
if (!process.argv.includes("--no-profile")) {
  const session = new inspector.Session();
  session.connect();
  const post = (method: string, params?: object) => new Promise<any>((resolve, reject) => session.post(method, params, (e, r) => (e ? reject(e) : resolve(r))));
  await post("Profiler.enable");
  await post("Profiler.setSamplingInterval", { interval: 1000 });
  await post("Profiler.start");
  const profiled = await drain(journalXlsx(db, companyId, filters, plan, new Date("2026-12-07T12:00:00Z")));
  const { profile } = await post("Profiler.stop");
  const profileFile = path.join(results, `${out}.cpuprofile`);
  fs.writeFileSync(profileFile, JSON.stringify(profile));
  lines.push(show("XLSX under the profiler", profiled), "", profileTable(profileFile, 20));
  console.log(lines.slice(-2).join("\n"));
}
fs.writeFileSync(path.join(results, `${out}.md`), `${lines.join("\n")}\n`);
db.close();
