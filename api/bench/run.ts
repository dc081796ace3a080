/**
 * `npm run bench [-- --invoices 100000] [--db file] [--only generate,floor,journal,totals,fec,xlsx,http,issue,driver,firm] [--out name] [--threads 1|2] [--engine sqlite|postgres|both]`
 *
 * Each benchmark measures Passerelle and what it is compared with in the same run, on the same data,
 * and reports the ratio. The table is printed and written to bench/results/latest.md (+ latest.json)
 * with the machine and the versions. Not part of `npm test`.
 *
 * `--engine postgres` or `both`: the generated data set is copied into a PostgreSQL database
 * (bench/pg-copy.ts; `passerelle_bench_<invoices>` on PASSERELLE_BENCH_POSTGRES_URL, kept with
 * `--reuse-copy`), and each benchmark that has a PostgreSQL side runs on each engine in turn, each
 * against its own floor; with `both` the table puts the two engines side by side.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";
import Database from "better-sqlite3";
import sqlite3 from "sqlite3";
import { open as openSqlite } from "sqlite";
import { encodeCursor } from "../src/db/ids.js";
import { createApp } from "../src/app.js";
import { createDeps } from "../src/deps.js";
import { configFromEnv } from "../src/config.js";
import { VERSION } from "../src/version.js";
import { generateCompany, insertFloor, BENCH_OWNER, type Generated } from "./generate.js";
import { fecBench, xlsxBench } from "./exports.js";
import { measureIssueCpu, measureIssueHttp, reportIssueCpu, reportIssueHttp } from "./issue.js";
import { journalTotalsBench } from "./journal-totals.js";
import { firmBench } from "./firm.js";
import { enginesOf, postgresEngine, sqliteEngine, type Engine, type EngineId } from "./engines.js";
import { BENCH_POSTGRES_SERVER, copyToPostgres, databaseExists, withDatabase, type Copy } from "./pg-copy.js";
import { describeWriterLock, sampleWriterLock, type WriterLockSamples } from "./pg-writer-lock.js";
import {
  benchServer,
  captureStatements,
  ensureSqliteCli,
  login,
  machine,
  mb,
  ms,
  packageVersion,
  ratio,
  stats,
  stopServer,
  type Captured,
  type ServerProcess,
} from "./support.js";

const require = createRequire(import.meta.url);
const autocannon = require("autocannon") as (opts: Record<string, unknown>) => Promise<any>;

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RESULTS = path.join(HERE, "results");

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const INVOICES = Number(arg("invoices", "1000000"));
const ONLY = new Set((arg("only") ?? "generate,floor,journal,totals,driver,fec,xlsx,http,issue,firm").split(","));
const WORK = arg("dir", path.join(os.tmpdir(), "passerelle-bench"))!;
const SAMPLES = Number(arg("samples", "40"));
/** Name of the result files in bench/results (`latest` unless a partial run is kept apart, e.g. `--out run-100000-generate`). */
const OUT = arg("out", "latest")!;
const ENGINES = enginesOf(arg("engine"));
/** Benchmarks of SQLite alone: its generator's floor, and the choice among SQLite drivers. */
const SQLITE_ONLY = new Set(["floor", "driver", "firm"]);

interface Row {
  id: string;
  benchmark: string;
  passerelle: string;
  reference: string;
  ratio: string;
  notes: string;
  /** The engine it ran on (set by report()). */
  engine?: EngineId;
}
const rows: Row[] = [];
const details: Record<string, unknown> = {};
const log = (line: string) => console.log(`[bench] ${line}`);
/** The engine the benchmark running now uses. */
let current: EngineId = "sqlite";

function report(row: Row, detail: unknown) {
  const r = { ...row, engine: current };
  rows.push(r);
  details[current === "sqlite" ? row.id : `${row.id}@${current}`] = detail;
  log(`${current === "sqlite" ? "" : "[PostgreSQL] "}${row.benchmark}: ${row.passerelle} vs ${row.reference} (${row.ratio}) ${row.notes}`);
}

// ---------------------------------------------------------------- 1. data set

function generatorRow(g: Generated, when: string | null) {
  const n = INVOICES;
  const us = (seconds: number) => ((seconds * 1e6) / n).toFixed(0);
  const split =
    g.writeSeconds === undefined
      ? ""
      : g.threads === 2
        ? ` (INSERTs ${us(g.writeSeconds)} µs/invoice on the main thread while a worker simulates)`
        : ` (simulation ${us(g.loadSeconds - g.writeSeconds)} µs/invoice, INSERTs ${us(g.writeSeconds)} µs/invoice)`;
  // CPU time per thread: what the code costs, whatever else the machine runs; the busiest thread bounds the rate
  const threads = g.main
    ? `; CPU per invoice: main thread ${us(g.main.cpuSeconds)} µs (INSERTs ${us(g.writeCpuSeconds ?? 0)}, waited ${us(g.main.waitSeconds)} µs for a CPU)` +
      (g.worker ? `, simulation thread ${us(g.worker.cpuSeconds)} µs (waited ${us(g.worker.waitSeconds)} µs)` : "") +
      `: ${Math.round(n / Math.max(g.main.cpuSeconds, g.worker?.cpuSeconds ?? 0)).toLocaleString("en")} invoices/s if no thread waited for a CPU`
    : "";
  report(
    {
      id: "generate",
      benchmark: `1. Data set: ${INVOICES.toLocaleString("en")} invoices over 3 fiscal years (generator)`,
      passerelle: `${Math.round(g.invoicesPerSecond).toLocaleString("en")} invoices/s`,
      reference: "target 20,000 invoices/s",
      ratio: ratio(g.invoicesPerSecond, 20_000),
      notes:
        `${(g.counts.invoices! - INVOICES).toLocaleString("en")} credit notes, ${g.counts.invoice_lines!.toLocaleString("en")} lines, ${g.counts.payments!.toLocaleString("en")} payments, ` +
        `${g.counts.record_chain!.toLocaleString("en")} chain links, ${g.counts.activity!.toLocaleString("en")} activity rows; load ${g.loadSeconds.toFixed(1)} s${split} + foreign-key check ${g.checkSeconds.toFixed(1)} s${threads}; ` +
        `file ${mb(g.fileBytes)} (${Math.round(g.fileBytes / INVOICES).toLocaleString("en")} bytes/invoice)${when ? `; measured when the data set was generated (${when})` : ""}`,
    },
    g,
  );
}

/** The generator's load against SQLite alone inserting the same rows into the same empty schema. */
async function floorBench(g: Generated) {
  const f = await insertFloor(g.file, path.join(WORK, `floor-${INVOICES}.db`));
  const us = (seconds: number) => ((seconds * 1e6) / f.invoices).toFixed(0);
  const cpu = g.main ? `, main thread ${us(g.main.cpuSeconds)} µs CPU/invoice` : "";
  report(
    {
      id: "generate-floor",
      benchmark: "1. Data set: the generator's load against SQLite alone inserting the same rows",
      passerelle: `${Math.round(g.invoicesPerSecond).toLocaleString("en")} invoices/s${cpu}`,
      reference: `SQLite alone: ${Math.round(f.invoicesPerSecond).toLocaleString("en")} invoices/s, ${us(f.cpuSeconds)} µs CPU/invoice`,
      ratio: ratio(f.invoicesPerSecond, g.invoicesPerSecond),
      notes:
        `each table's rows copied by INSERT … SELECT … in key order from the generated file into the empty schema (no JavaScript per row), same settings, ` +
        `secondary indexes rebuilt and foreign keys checked after, ${f.seconds.toFixed(1)} s; 20,000 invoices/s would be ${ratio(20_000, f.invoicesPerSecond)} this floor`,
    },
    f,
  );
}

async function dataSet(): Promise<Generated> {
  fs.mkdirSync(WORK, { recursive: true });
  const file = arg("db") ?? path.join(WORK, `bench-${INVOICES}.db`);
  const infoFile = `${file}.json`;
  if (!ONLY.has("generate") && fs.existsSync(file) && fs.existsSync(infoFile)) {
    log(`reusing ${file}`);
    const g = JSON.parse(fs.readFileSync(infoFile, "utf8")) as Generated;
    generatorRow(g, fs.statSync(infoFile).mtime.toISOString().slice(0, 16).replace("T", " ") + " UTC");
    return g;
  }
  log(`generating ${INVOICES.toLocaleString("en")} invoices into ${file}…`);
  let last = 0;
  const g = await generateCompany({
    file,
    invoices: INVOICES,
    ...(arg("threads") ? { threads: Number(arg("threads")) as 1 | 2 } : {}),
    onProgress: (done, total) => {
      if (done - last >= total / 10 || done === total) (log(`  ${done.toLocaleString("en")} / ${total.toLocaleString("en")}`), (last = done));
    },
  });
  fs.writeFileSync(infoFile, JSON.stringify(g, null, 2));
  generatorRow(g, null);
  return g;
}

/**
 * The data set on PostgreSQL: the generated file copied by COPY into its own database. No generator
 * runs on PostgreSQL, so its row reports the copy (rows/s) as the load.
 */
async function postgresDataSet(g: Generated): Promise<string> {
  const name = `passerelle_bench_${INVOICES}`;
  const url = withDatabase(BENCH_POSTGRES_SERVER, name);
  if (process.argv.includes("--reuse-copy") && (await databaseExists(BENCH_POSTGRES_SERVER, name))) {
    log(`reusing the PostgreSQL database ${name}`);
    return url;
  }
  log(`copying ${path.basename(g.file)} into the PostgreSQL database ${name}…`);
  const copy: Copy = await copyToPostgres(g.file, BENCH_POSTGRES_SERVER, name, (line) => log(`  ${line}`));
  const total = Object.values(copy.rows).reduce((a, b) => a + b, 0);
  current = "postgres";
  report(
    {
      id: "generate",
      benchmark: `1. Data set: ${INVOICES.toLocaleString("en")} invoices over 3 fiscal years (generator)`,
      passerelle: `COPY of the generated rows: ${Math.round(total / copy.copySeconds).toLocaleString("en")} rows/s (${Math.round(g.counts.invoices! / copy.copySeconds).toLocaleString("en")} documents/s)`,
      reference: "—",
      ratio: "—",
      notes:
        `no generator runs on PostgreSQL: the SQLite data set is copied (bench/pg-copy.ts), its ${total.toLocaleString("en")} rows in ${copy.copySeconds.toFixed(1)} s by COPY in one transaction (foreign keys not checked again), ` +
        `${copy.seconds.toFixed(1)} s with the database's creation, migrations and ANALYZE`,
    },
    copy,
  );
  current = "sqlite";
  return url;
}

// ---------------------------------------------------------------- helpers on the data set

/** Servers started by the benchmarks; whatever a failing benchmark leaves running is stopped after it. */
const running = new Set<ServerProcess>();
async function tracked(file: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const server = await benchServer(file, { ...engineEnv(), ...env });
  running.add(server);
  void server.exited.then(() => running.delete(server));
  return server;
}
async function stopLeftovers() {
  await Promise.all([...running].map((server) => stopServer(server, "SIGKILL")));
  running.clear();
}

/** The engines of this run, once the data set is there. */
const engines = new Map<EngineId, Engine>();
/** What makes a server or an in-process app use the current engine's copy of the data set. */
const engineEnv = () => engines.get(current)?.env ?? {};
const engine = () => engines.get(current)!;

function inProcess(file: string) {
  const config = { ...configFromEnv({ PASSERELLE_DB: file, PASSERELLE_DATA: `${file}.data`, ...engineEnv() }), scryptCost: 2 ** 12 };
  const deps = createDeps(config);
  return { deps, app: createApp(deps) };
}

/** Journal positions: cursors of rows picked at random (a page then starts right after them). */
function randomCursors(file: string, companyId: string, count: number): string[] {
  const db = new Database(file, { readonly: true });
  const total = db.prepare("SELECT COUNT(*) FROM invoices WHERE company_id = ? AND status != 'draft'").pluck().get(companyId) as number;
  const pick = db.prepare(
    "SELECT issue_date, series_key, series_counter FROM invoices WHERE company_id = ? AND status != 'draft' ORDER BY issue_date, series_key, series_counter LIMIT 1 OFFSET ?",
  );
  const cursors: string[] = [];
  let seed = 12345;
  for (let i = 0; i < count; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const r = pick.get(companyId, Math.floor((seed / 2 ** 31) * Math.max(1, total - 1000))) as { issue_date: string; series_key: string; series_counter: number };
    cursors.push(encodeCursor([r.issue_date, r.series_key, r.series_counter]));
  }
  db.close();
  return cursors;
}

const MONTH = { from: "2024-03-01", to: "2024-03-31" };

// ---------------------------------------------------------------- 2. journal query

async function journalBench(g: Generated) {
  const { deps, app } = inProcess(g.file);
  const token = await loginInProcess(app);
  const cursors = randomCursors(g.file, g.companyId, SAMPLES);
  const urls = [
    ...cursors.map((c) => `/api/v1/companies/${g.companyId}/sales-journal?limit=1000&cursor=${c}`),
    ...Array.from({ length: Math.max(5, SAMPLES / 4) }, () => `/api/v1/companies/${g.companyId}/sales-journal?limit=1000&from=${MONTH.from}&to=${MONTH.to}`),
  ];
  const randomUrls = urls.slice(0, cursors.length);
  const monthUrls = urls.slice(cursors.length);
  const headers = { authorization: `Bearer ${token}` };

  // in-process, capturing the SQL of each request for the sqlite3 CLI
  const viaApp = async (list: string[]) => {
    const times: number[] = [];
    const groups: Captured[][] = [];
    let rowsSeen = 0;
    for (const url of list) {
      const started = performance.now();
      const { result, statements } = await captureStatements(deps.db, async () => {
        const res = await app.request(url, { headers });
        const body: any = await res.json();
        if (res.status !== 200) throw new Error(`${url}: ${res.status} ${JSON.stringify(body)}`);
        return body;
      });
      times.push(performance.now() - started);
      rowsSeen = result.items.length;
      groups.push(statements);
    }
    return { times, groups, rowsSeen };
  };
  // warm-up on another filter, so the first measured request still computes its filter's totals
  const warmUp = `/api/v1/companies/${g.companyId}/sales-journal?limit=1000&type=credit_note`;
  await app.request(warmUp, { headers });
  const appRandom = await viaApp(randomUrls);
  const appMonth = await viaApp(monthUrls);

  // over HTTP: a real server, one request at a time
  const server = await tracked(g.file);
  const httpToken = await login(server.url, g.ownerEmail, g.password);
  const viaHttp = async (list: string[]) => {
    const times: number[] = [];
    for (const url of list) {
      const started = performance.now();
      const res = await fetch(`${server.url}${url}`, { headers: { authorization: `Bearer ${httpToken}` } });
      await res.arrayBuffer();
      if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
      times.push(performance.now() - started);
    }
    return times;
  };
  await viaHttp([warmUp]);
  const httpRandom = await viaHttp(randomUrls);
  const httpMonth = await viaHttp(monthUrls);
  await stopServer(server);

  // the floor: the same statements (arguments written in) through the engine's command-line tool
  const cliRandom = engine().timedGroups(appRandom.groups);
  const cliMonth = engine().timedGroups(appMonth.groups);
  deps.db.close();

  for (const [label, a, h, c, n, statementsPerRequest] of [
    ["random positions", appRandom.times, httpRandom, cliRandom, appRandom.rowsSeen, appRandom.groups[0]!.length],
    [`one month (${MONTH.from} … ${MONTH.to})`, appMonth.times, httpMonth, cliMonth, appMonth.rowsSeen, appMonth.groups[0]!.length],
  ] as const) {
    const sa = stats(a);
    const sh = stats(h);
    const sc = stats(c);
    report(
      {
        id: `journal-${label.startsWith("random") ? "random" : "month"}`,
        benchmark: `2. Sales journal, ${n}-row page, ${label}`,
        passerelle: `app.request p50 ${ms(sa.p50)} / p99 ${ms(sa.p99)}; HTTP p50 ${ms(sh.p50)} / p99 ${ms(sh.p99)}`,
        reference: `${engine().tool}, same ${statementsPerRequest} statements: p50 ${ms(sc.p50)} / p99 ${ms(sc.p99)}`,
        ratio: `${ratio(sa.p50, sc.p50)} (app) / ${ratio(sh.p50, sc.p50)} (HTTP)`,
        notes:
          `${sa.n} requests; the first one computes the filter's totals (${ms(a[0]!)} in process, CLI ${ms(c[0]!)}), the service keeps them per filter and change for the next pages; ` +
          `target ≤ 3× the floor: ${sh.p50 <= 3 * sc.p50 ? "met" : sa.p50 <= 3 * sc.p50 ? "met in process, missed over HTTP" : "missed"}`,
      },
      { app: sa, http: sh, cli: sc, statements: appRandom.groups[0]!.map((c) => c.sql) },
    );
  }
}

async function loginInProcess(app: ReturnType<typeof createApp>): Promise<string> {
  const res = await app.request("/api/v1/auth/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(BENCH_OWNER) });
  const json: any = await res.json();
  if (res.status !== 200) throw new Error(`login: ${JSON.stringify(json)}`);
  return json.token;
}

// ---------------------------------------------------------------- 7. driver choice

async function driverBench(g: Generated) {
  const { deps, app } = inProcess(g.file);
  const token = await loginInProcess(app);
  const cursors = randomCursors(g.file, g.companyId, SAMPLES);
  // the journal's own reads (not the session lookup or the access check); the totals of the filter are
  // computed by the first request only (the service keeps them per filter and change), so they are
  // measured on their own, every driver running them each time
  const pages: Captured[][] = [];
  let totals: Captured[] = [];
  for (const c of cursors) {
    const { statements } = await captureStatements(deps.db, async () => {
      const res = await app.request(`/api/v1/companies/${g.companyId}/sales-journal?limit=1000&cursor=${c}`, { headers: { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
    });
    const own = statements.filter((s) => /FROM invoices|invoice_vat|FROM journal_day/.test(s.sql));
    // the whole journal's totals read the sums per day (db/journal-aggregates.ts)
    const isTotals = (s: Captured) => /COUNT\(\*\)|GROUP BY|FROM journal_day/.test(s.sql);
    if (own.some(isTotals)) totals = own.filter(isTotals);
    pages.push(own.filter((s) => !isTotals(s)));
  }
  if (totals.length === 0) throw new Error("no totals statement captured");
  deps.db.close();
  const toNamed = (args: unknown[]) => {
    const [first] = args;
    if (first && typeof first === "object" && !Array.isArray(first)) return Object.fromEntries(Object.entries(first as object).map(([k, v]) => [`@${k}`, v]));
    return args.flat();
  };

  // the three drivers take turns on each page (in rotating order), so none of them pays alone for a cold page cache
  const measure = async (requests: Captured[][]) => {
    const better = new Database(g.file, { readonly: true });
    const raw = await new Promise<sqlite3.Database>((resolve, reject) => {
      const db = new sqlite3.Database(g.file, sqlite3.OPEN_READONLY, (error) => (error ? reject(error) : resolve(db)));
    });
    const all = (sql: string, params: unknown) => new Promise<unknown[]>((resolve, reject) => raw.all(sql, params as never, (error, r) => (error ? reject(error) : resolve(r))));
    const wrapped = await openSqlite({ filename: g.file, driver: sqlite3.Database, mode: sqlite3.OPEN_READONLY });
    const drivers: [string, (request: Captured[]) => Promise<void>][] = [
      [
        "better-sqlite3",
        async (request) => {
          better.transaction(() => {
            for (const s of request) better.prepare(s.sql).all(...(s.args as []));
          })();
        },
      ],
      [
        "sqlite3",
        async (request) => {
          await all("BEGIN", []);
          for (const s of request) await all(s.sql, toNamed(s.args));
          await all("COMMIT", []);
        },
      ],
      [
        "sqlite",
        async (request) => {
          await wrapped.exec("BEGIN");
          for (const s of request) await wrapped.all(s.sql, toNamed(s.args));
          await wrapped.exec("COMMIT");
        },
      ],
    ];
    const times = new Map<string, number[]>(drivers.map(([name]) => [name, []]));
    for (const [, run] of drivers) await run(requests[0]!); // warm-up, not counted
    for (const [i, request] of requests.entries()) {
      for (let k = 0; k < drivers.length; k++) {
        const [name, run] = drivers[(i + k) % drivers.length]!;
        const started = performance.now();
        await run(request);
        times.get(name)!.push(performance.now() - started);
      }
    }
    better.close();
    await new Promise<void>((resolve) => raw.close(() => resolve()));
    await wrapped.close();
    return { b: stats(times.get("better-sqlite3")!), r: stats(times.get("sqlite3")!), w: stats(times.get("sqlite")!) };
  };
  const plan = (sql: string) => new Database(g.file, { readonly: true }).prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ companyId: g.companyId }).map((r: any) => r.detail).join("; ");

  const page = await measure(pages);
  const whole = await measure(pages.map(() => totals));
  // 3. point reads, where the driver's own cost shows: every statement of GET /invoices/{id} (session,
  //    access check, the invoice with its lines and VAT), for invoices picked at random
  const ids = (() => {
    const db = new Database(g.file, { readonly: true });
    const list = db.prepare("SELECT id FROM invoices WHERE company_id = ? ORDER BY random() LIMIT ?").pluck().all(g.companyId, SAMPLES * 10) as string[];
    db.close();
    return list;
  })();
  const { deps: deps2, app: app2 } = inProcess(g.file);
  const token2 = await loginInProcess(app2);
  const small: Captured[][] = [];
  for (const id of ids) {
    const { statements } = await captureStatements(deps2.db, async () => {
      const res = await app2.request(`/api/v1/companies/${g.companyId}/invoices/${id}`, { headers: { authorization: `Bearer ${token2}` } });
      await res.arrayBuffer();
    });
    small.push(statements.filter((s) => /^\s*SELECT/i.test(s.sql)));
  }
  deps2.db.close();
  const point = await measure(small);
  const totalsSql = totals[0]!.sql;
  const versions = `better-sqlite3 ${packageVersion("better-sqlite3")} (SQLite ${new Database(":memory:").prepare("SELECT sqlite_version()").pluck().get()})`;
  for (const [id, label, m, note] of [
    ["driver", "a 1,000-row journal page at a random position", page, `${pages[0]!.length} statements (the rows, their VAT by rate)`],
    ["driver-totals", "the journal's whole-company totals", whole, `${totals.length} statements (the sums per day and their VAT by rate, migration 022); plan under better-sqlite3: ${plan(totalsSql)}`],
    ["driver-point", "point reads of GET /invoices/{id}", point, `${small[0]!.length} small SELECTs per request (session, access, invoice, lines, VAT)`],
  ] as const) {
    report(
      {
        id,
        benchmark: `7. Driver: ${label}`,
        passerelle: `${versions}: p50 ${ms(m.b.p50)} / p99 ${ms(m.b.p99)}`,
        reference: `sqlite3 ${packageVersion("sqlite3")}: p50 ${ms(m.r.p50)} / p99 ${ms(m.r.p99)}; sqlite ${packageVersion("sqlite")} (promises over sqlite3): p50 ${ms(m.w.p50)} / p99 ${ms(m.w.p99)}`,
        ratio: `sqlite3 / better-sqlite3 ${ratio(m.r.p50, m.b.p50)}; sqlite / better-sqlite3 ${ratio(m.w.p50, m.b.p50)}`,
        notes: `same file, same statements, ${m.b.n} requests, drivers taking turns; ${note}`,
      },
      { betterSqlite3: m.b, sqlite3: m.r, sqlite: m.w },
    );
  }
}

// ---------------------------------------------------------------- 5. HTTP throughput

async function httpBench(g: Generated) {
  // the constant route is the server's own GET /health: same process, same Hono app, no database
  const server = await tracked(g.file);
  const token = await login(server.url, g.ownerEmail, g.password);
  // the server's CPU time per request (all its threads), which the machine's other work changes far less than the rate
  const run = async (url: string, headers: Record<string, string> = {}) => {
    const cpuBefore = processCpuSeconds(server.child.pid!);
    const result = await autocannon({ url, connections: 10, duration: Number(arg("http-seconds", "10")), headers });
    return { ...result, serverCpuSeconds: processCpuSeconds(server.child.pid!) - cpuBefore };
  };
  const health = await run(`${server.url}/health`);
  const journal = await run(`${server.url}/api/v1/companies/${g.companyId}/sales-journal?limit=100&from=${MONTH.from}&to=${MONTH.to}`, { authorization: `Bearer ${token}` });
  const journalAll = await run(`${server.url}/api/v1/companies/${g.companyId}/sales-journal?limit=100`, { authorization: `Bearer ${token}` });
  await stopServer(server);
  const summary = (r: any) => ({
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors,
    serverCpuMicrosPerRequest: r.requests.total > 0 ? (r.serverCpuSeconds * 1e6) / r.requests.total : null,
  });
  const h = summary(health);
  const j = summary(journal);
  const a = summary(journalAll);
  report(
    {
      id: "http",
      benchmark: "5. HTTP throughput (autocannon, 10 connections, loopback)",
      passerelle: `journal page of 100 rows, one month: ${j.rps.toFixed(0)} req/s (p50 ${j.p50} ms, p99 ${j.p99} ms); whole journal filter: ${a.rps.toFixed(1)} req/s (p99 ${a.p99} ms)`,
      reference: `constant route (GET /health, same process): ${h.rps.toFixed(0)} req/s (p50 ${h.p50} ms, p99 ${h.p99} ms)`,
      ratio: `${ratio(h.rps, j.rps)} / ${ratio(h.rps, a.rps)}`,
      notes: `server CPU per request: ${j.serverCpuMicrosPerRequest?.toFixed(0)} µs (one month), ${a.serverCpuMicrosPerRequest?.toFixed(0)} µs (whole journal), ${h.serverCpuMicrosPerRequest?.toFixed(0)} µs (/health); non-2xx: ${j.non2xx + a.non2xx + h.non2xx}, errors: ${j.errors + a.errors + h.errors}`,
    },
    { health: h, journalMonth: j, journalAll: a },
  );
}

/** CPU time (user + system, every thread) a process has used so far, from /proc (Linux). */
function processCpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

// ---------------------------------------------------------------- 6. issuing (bench/issue.ts)

async function issueBench(g: Generated) {
  const database = current === "postgres" ? engine().location : undefined;
  const target = { file: g.file, companyId: g.companyId, ownerEmail: g.ownerEmail, password: g.password, documents: g.counts.invoices!, ...(database ? { database } : {}) };
  if (current === "sqlite") reportIssueCpu(await measureIssueCpu(target, { log }), report); // the floor replays the statements with better-sqlite3
  const seconds = Number(arg("issue-seconds", "15"));
  // one API process, then two on the same database (each client talks to one of them)
  const rate: Record<number, { perSecond: number; load: string; serverCpu: string; lock?: WriterLockSamples; heldPerInvoice?: number }> = {};
  // on PostgreSQL, where the writers' time goes: the writer lock sampled while the clients run
  const watch = database ? () => sampleWriterLock(database) : undefined;
  for (const processes of [1, 2]) {
    const r = await measureIssueHttp(target, (file) => Promise.all(Array.from({ length: processes }, () => tracked(file))), seconds, 50, watch);
    reportIssueHttp(r, target, report, processes);
    rate[processes] = {
      perSecond: r.issued / r.elapsed,
      load: os.loadavg()[0]!.toFixed(1),
      serverCpu: r.serverCpu === null ? "?" : `${((r.serverCpu * 1e6) / r.issued).toFixed(0)} µs`,
      // the lock's time per invoice bounds the rate, however many processes: 1 / (held time per invoice)
      ...(r.watched ? { lock: r.watched as WriterLockSamples, heldPerInvoice: ((r.watched as WriterLockSamples).held * r.elapsed * 1000) / r.issued } : {}),
    };
  }
  const [one, two] = [rate[1]!, rate[2]!];
  const goal = two.perSecond >= 1.5 * one.perSecond;
  report(
    {
      id: "issue-processes",
      benchmark: "6. Issuing over HTTP, 50 clients: two API processes against one",
      passerelle: `2 processes: ${two.perSecond.toFixed(0)} invoices/s (servers' CPU ${two.serverCpu} per invoice)`,
      reference: `1 process: ${one.perSecond.toFixed(0)} invoices/s (server CPU ${one.serverCpu} per invoice)`,
      ratio: ratio(two.perSecond, one.perSecond),
      notes:
        `${current === "postgres" ? `target ≥ 1.5× on PostgreSQL: ${goal ? "met" : "missed"}; ` : ""}writers take one lock in turn (${current === "postgres" ? "pg_advisory_xact_lock" : "BEGIN IMMEDIATE"}), ` +
        `the 2 cores also run the database${current === "postgres" ? " server" : ""} and the clients; 1-minute load average ${one.load} after the first, ${two.load} after the second` +
        (one.lock && two.lock
          ? `; one process: ${describeWriterLock(one.lock)}, ${one.heldPerInvoice!.toFixed(1)} ms held per invoice (at most ${Math.round(1000 / one.heldPerInvoice!)} invoices/s); ` +
            `two processes: ${describeWriterLock(two.lock)}, ${two.heldPerInvoice!.toFixed(1)} ms held per invoice (at most ${Math.round(1000 / two.heldPerInvoice!)} invoices/s)`
          : ""),
    },
    { one, two },
  );
}

// ---------------------------------------------------------------- the report

function table(list: Row[]): string[] {
  return [
    "| Benchmark | Passerelle | Compared with | Ratio | Notes |",
    "|---|---|---|---|---|",
    ...list.map((r) => `| ${r.engine === "postgres" && ENGINES.length === 2 ? "[PostgreSQL] " : ""}${r.benchmark} | ${r.passerelle} | ${r.reference} | ${r.ratio} | ${r.notes} |`),
  ];
}

/** One line per benchmark, each engine with its own figure, floor and ratio. */
function sideBySide(list: Row[]): string[] {
  const ids = [...new Set(list.map((r) => r.id))];
  const cells = (r: Row | undefined) => (r ? `${r.passerelle} | ${r.reference} | ${r.ratio}` : "— | — | —");
  return [
    "| Benchmark | SQLite | its floor | ratio | PostgreSQL | its floor | ratio | Notes |",
    "|---|---|---|---|---|---|---|---|",
    ...ids.map((id) => {
      const sqlite = list.find((r) => r.id === id && r.engine === "sqlite");
      const pg = list.find((r) => r.id === id && r.engine === "postgres");
      const notes = [sqlite?.notes && `SQLite: ${sqlite.notes}`, pg?.notes && `PostgreSQL: ${pg.notes}`].filter(Boolean).join(" — ");
      return `| ${(sqlite ?? pg)!.benchmark} | ${cells(sqlite)} | ${cells(pg)} | ${notes} |`;
    }),
  ];
}

/** The PostgreSQL server's version and psql's (the floor's tool). */
function postgresVersions(url: string): Record<string, string> {
  const run = (args: string[]) => {
    try {
      return execFileSync("psql", args, { encoding: "utf8" }).trim();
    } catch {
      return "?";
    }
  };
  return { PostgreSQL: run(["-X", "-A", "-t", "-d", url, "-c", "SHOW server_version"]), psql: run(["--version"]).replace(/^psql \(PostgreSQL\) /, ""), postgres: packageVersion("postgres") };
}

function gitCommit(): string {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
  } catch {
    return "?";
  }
}

async function main() {
  const cli = ensureSqliteCli();
  const before = machine();
  // `--only firm` needs no one-company data set
  const g = [...ONLY].every((id) => id === "firm") ? null : await dataSet();
  if (g) {
    engines.set("sqlite", sqliteEngine(g.file));
    if (ENGINES.includes("postgres")) engines.set("postgres", postgresEngine(await postgresDataSet(g)));
  }
  // a benchmark that fails (time-out, out of memory) is reported as such and the others still run;
  // each runs on every engine asked for, but those that compare SQLite's own alternatives
  const attempt = async (id: string, name: string, fn: (g: Generated) => Promise<void>) => {
    if (!ONLY.has(id) || !g) return;
    for (const e of ENGINES) {
      if (e !== "sqlite" && SQLITE_ONLY.has(id)) continue;
      current = e;
      try {
        await fn(g);
      } catch (error) {
        const message = (error as Error).message.split("\n")[0]!.slice(0, 300);
        report({ id, benchmark: name, passerelle: `failed: ${message}`, reference: "—", ratio: "—", notes: "" }, { error: String(error) });
      } finally {
        await stopLeftovers();
        current = "sqlite";
      }
    }
  };
  await attempt("floor", "1. Data set: SQLite alone inserting the same rows", floorBench);
  await attempt("journal", "2. Sales journal, 1,000-row page", journalBench);
  await attempt("totals", "2. Journal's first page with its totals", async (g) => {
    const { deps, app } = inProcess(g.file);
    await journalTotalsBench({ app, db: deps.db, token: await loginInProcess(app), g, samples: SAMPLES, engine: engine(), report });
    deps.db.close();
  });
  await attempt("driver", "7. Driver: the journal page's queries", driverBench);
  const exportsBench = () => ({ work: WORK, report, server: (file: string) => tracked(file), engine: engine() });
  await attempt("fec", "3. FEC export of one fiscal year", (g) => fecBench(exportsBench(), g));
  await attempt("xlsx", "4. XLSX export of 100,000 journal rows", (g) => xlsxBench(exportsBench(), g));
  await attempt("http", "5. HTTP throughput", httpBench);
  await attempt("issue", "6. Issuing over HTTP, 50 concurrent clients", issueBench); // last: it adds invoices
  if (ONLY.has("firm")) {
    const companies = (arg("firm-companies") ?? "200,2000,10000").split(",").map(Number);
    const scales = (arg("firm-scale") ?? "1,0.1,0.02").split(",").map(Number);
    try {
      await firmBench({
        work: WORK,
        sizes: companies.map((c, i) => ({ companies: c, scale: scales[i] ?? scales.at(-1)! })),
        samples: SAMPLES,
        fresh: process.argv.includes("--firm-fresh"),
        report,
        log,
        track: (server) => (running.add(server), void server.exited.then(() => running.delete(server))),
      });
    } catch (error) {
      report({ id: "firm", benchmark: "8. Firm", passerelle: `failed: ${(error as Error).message.split("\n")[0]!.slice(0, 300)}`, reference: "—", ratio: "—", notes: "" }, { error: String(error) });
    } finally {
      await stopLeftovers();
    }
  }
  const after = machine();
  const versions = {
    passerelle: `${VERSION} (${gitCommit()})`,
    node: process.version,
    "better-sqlite3": packageVersion("better-sqlite3"),
    "SQLite (better-sqlite3)": new Database(":memory:").prepare("SELECT sqlite_version()").pluck().get() as string,
    "sqlite3 CLI": cli,
    sqlite3: packageVersion("sqlite3"),
    "SQLite (sqlite3)": await new Promise<string>((resolve) => {
      const db = new sqlite3.Database(":memory:");
      db.get("SELECT sqlite_version() AS v", (_e, r: any) => db.close(() => resolve(r?.v ?? "?")));
    }),
    sqlite: packageVersion("sqlite"),
    hono: packageVersion("hono"),
    "@hono/node-server": packageVersion("@hono/node-server"),
    exceljs: packageVersion("exceljs"),
    autocannon: packageVersion("autocannon"),
    ...(engines.has("postgres") ? postgresVersions(engines.get("postgres")!.location) : {}),
  };
  const date = new Date().toISOString();
  const md = [
    `Measured ${date.slice(0, 16).replace("T", " ")} UTC on ${before.cpu}, ${before.memory} RAM, ${before.os}; load average ${before.loadAverage} at the start, ${after.loadAverage} at the end.`,
    `${g ? `Data set: one company, ${INVOICES.toLocaleString("en")} invoices and ${(g.counts.invoices! - INVOICES).toLocaleString("en")} credit notes over 2023–2025 (${g.counts.invoice_lines!.toLocaleString("en")} lines, ${g.counts.payments!.toLocaleString("en")} payments). ` : ""}Versions: ${Object.entries(versions).map(([k, v]) => `${k} ${v}`).join(", ")}.`,
    "",
    ...(ENGINES.length === 2 ? sideBySide(rows) : table(rows.filter((r) => ENGINES.includes(r.engine!)))),
    "",
  ].join("\n");
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.writeFileSync(path.join(RESULTS, `${OUT}.md`), md);
  fs.writeFileSync(path.join(RESULTS, `${OUT}.json`), JSON.stringify({ date, invoices: INVOICES, machine: { before, after }, versions, rows, details }, null, 2));
  console.log(`\n${md}`);
  console.log(`written to ${path.relative(process.cwd(), path.join(RESULTS, `${OUT}.md`))} and ${OUT}.json`);
}

await main();
