/**
 * `npx tsx bench/statements.ts --db <benchmark database> [--rounds 6] [--requests 150]`
 *
 * The statement cache against compiling every statement, in one process on the same data: the
 * requests of the HTTP and issuing benchmarks (a one-month journal page of 100 rows, an invoice read,
 * a draft then its issue) run through `app.request()` in alternating rounds, once with the
 * connection's cache and once with the driver's own `prepare`. Reports wall and CPU time per request
 * (CPU time is what a loaded machine distorts least), printed and written to
 * bench/results/statement-cache.md. Not part of `npm test`; it adds invoices to the database.
 */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import { createApp } from "../src/app.js";
import { createDeps } from "../src/deps.js";
import { configFromEnv } from "../src/config.js";
import { BENCH_OWNER } from "./generate.js";
import { machine, stats } from "./support.js";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}
const file = arg("db", "");
if (!file || !fs.existsSync(file)) throw new Error("--db <benchmark database> is required");
const ROUNDS = Number(arg("rounds", "6"));
const REQUESTS = Number(arg("requests", "150"));

const config = { ...configFromEnv({ PASSERELLE_DB: file, PASSERELLE_DATA: `${file}.data` }), scryptCost: 2 ** 12 };
const deps = createDeps(config);
const app = createApp(deps);
const db = deps.db;
const cached = db.prepare;
const uncached = Database.prototype.prepare;
const setCache = (on: boolean) => Object.defineProperty(db, "prepare", { value: on ? cached : uncached, configurable: true, writable: true });

const login = await app.request("/api/v1/auth/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(BENCH_OWNER) });
const { token } = (await login.json()) as { token: string };
const companyId = db.prepare("SELECT company_id FROM memberships LIMIT 1").pluck().get() as string;
const customers = db.prepare("SELECT id FROM customers WHERE company_id = ? LIMIT 50").pluck().all(companyId) as string[];
const invoiceIds = db.prepare("SELECT id FROM invoices WHERE company_id = ? AND status != 'draft' LIMIT 500").pluck().all(companyId) as string[];
const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
const base = `/api/v1/companies/${companyId}`;

async function expect(path: string, init: RequestInit, status: number): Promise<any> {
  const res = await app.request(path, { headers, ...init });
  const body = await res.json();
  if (res.status !== status) throw new Error(`${init.method ?? "GET"} ${path}: ${res.status} ${JSON.stringify(body)}`);
  return body;
}

const workloads: Record<string, (i: number) => Promise<void>> = {
  "journal page (100 rows, one month)": async () => void (await expect(`${base}/sales-journal?limit=100&from=2024-03-01&to=2024-03-31`, {}, 200)),
  "invoice read (GET /invoices/{id})": async (i) => void (await expect(`${base}/invoices/${invoiceIds[i % invoiceIds.length]}`, {}, 200)),
  "draft + issue": async (i) => {
    const body = JSON.stringify({ customerId: customers[i % customers.length], lines: [{ description: "Pose", quantity: "2", unitPriceCents: 12_345, vatRateBp: 2000, kind: "services" }] });
    const draft = await expect(`${base}/invoices`, { method: "POST", body }, 201);
    await expect(`${base}/invoices/${draft.id}/issue`, { method: "POST", body: "{}" }, 200);
  },
};

const samples: Record<string, { on: { wall: number[]; cpu: number[] }; off: { wall: number[]; cpu: number[] } }> = {};
for (const name of Object.keys(workloads)) samples[name] = { on: { wall: [], cpu: [] }, off: { wall: [], cpu: [] } };

const before = machine();
let n = 0;
for (const [name, run] of Object.entries(workloads)) for (let w = 0; w < 20; w++) await run(n++); // warm-up (JIT, page cache)
for (let round = 0; round < ROUNDS; round++) {
  for (const on of round % 2 === 0 ? [true, false] : [false, true]) {
    setCache(on);
    for (const [name, run] of Object.entries(workloads)) {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      for (let r = 0; r < REQUESTS; r++) await run(n++);
      const wall = ((performance.now() - t0) * 1000) / REQUESTS;
      const cpu = process.cpuUsage(cpu0);
      const side = samples[name]![on ? "on" : "off"];
      side.wall.push(wall);
      side.cpu.push((cpu.user + cpu.system) / REQUESTS);
    }
  }
}
setCache(true);
db.close();

const us = (x: number) => `${x.toFixed(0)} µs`;
const lines = [
  `| Request | compiled on every call: CPU / wall per request | statement cache: CPU / wall per request | CPU saved |`,
  `|---|---|---|---|`,
];
for (const [name, s] of Object.entries(samples)) {
  const offCpu = stats(s.off.cpu).p50;
  const onCpu = stats(s.on.cpu).p50;
  lines.push(`| ${name} | ${us(offCpu)} / ${us(stats(s.off.wall).p50)} | ${us(onCpu)} / ${us(stats(s.on.wall).p50)} | ${(((offCpu - onCpu) / offCpu) * 100).toFixed(0)} % |`);
}
const after = machine();
const invoices = new Database(file, { readonly: true }).prepare("SELECT COUNT(*) FROM invoices").pluck().get() as number;
const md = [
  `Measured ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC on ${before.cpu}, ${before.os}, Node ${before.node}; load average ${before.loadAverage} at the start, ${after.loadAverage} at the end.`,
  `Through app.request() on the benchmark database (${invoices.toLocaleString("en")} documents); medians of ${ROUNDS} rounds × ${REQUESTS} requests, the statement cache on and off alternating in one process.`,
  "",
  ...lines,
  "",
].join("\n");
console.log(md);
const out = path.join(path.dirname(fileURLToPath(import.meta.url)), "results", "statement-cache.md");
fs.writeFileSync(out, md);
console.log(`written to ${path.relative(process.cwd(), out)}`);
