/**
 * `npx tsx bench/pg-exports.ts [--invoices 100000] [--dir <work dir>] [--reuse] [--reuse-copy]`
 *
 * The FEC of an open fiscal year streamed from PostgreSQL against the same FEC from SQLite: the
 * generator's data set (bench/generate.ts, a SQLite file) is copied into a fresh PostgreSQL database
 * (COPY, every table, the same rows and keys), then a server on each engine (from the sources, one
 * fresh process per export, so its peak RSS is that export's) writes the FEC of the last generated
 * year, no period locked: every entry computed from the documents, read through the PostgreSQL
 * reader's cursors. The servers are the bundle `npm start` runs (dist/server.mjs, built first). Reported: time, throughput, the server's peak RSS (budget 200 MB) and whether
 * the two files are the same bytes.
 *
 * The server: PASSERELLE_BENCH_POSTGRES_URL, by default the local role of docs/postgresql.md; the
 * database `passerelle_bench_exports` on it is dropped and made again (kept with `--reuse-copy`; the
 * SQLite data set is kept with `--reuse`). Written to bench/results/pg-exports.md (+ .json).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createHash } from "node:crypto";
import { API_DIR } from "../src/paths.js";
import { generateCompany, type Generated } from "./generate.js";
import { BENCH_POSTGRES_SERVER, copyToPostgres, databaseExists, withDatabase, type Copy } from "./pg-copy.js";
import { benchServer, login, machine, mb, memoryOf, ratio, stopServer } from "./support.js";

const arg = (name: string, fallback?: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
};
const INVOICES = Number(arg("invoices", "100000"));
const WORK = path.resolve(arg("dir", path.join(os.tmpdir(), "passerelle-pg-exports"))!);
const REUSE = process.argv.includes("--reuse");
const REUSE_COPY = process.argv.includes("--reuse-copy");
const SERVER = BENCH_POSTGRES_SERVER;
const DATABASE = "passerelle_bench_exports";
const MEMORY_BUDGET = 200 * 1024 * 1024;

const log = (line: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${line}`);

async function dataSet(): Promise<Generated> {
  const file = path.join(WORK, `exports-${INVOICES}.db`);
  const meta = `${file}.json`;
  if (REUSE && fs.existsSync(file) && fs.existsSync(meta)) return JSON.parse(fs.readFileSync(meta, "utf8")) as Generated;
  fs.mkdirSync(WORK, { recursive: true });
  log(`generating ${INVOICES.toLocaleString("en")} invoices into ${file}`);
  const g = await generateCompany({ file, invoices: INVOICES });
  fs.writeFileSync(meta, JSON.stringify(g));
  return g;
}

interface Export {
  seconds: number;
  bytes: Buffer;
  peak: number;
  idle: number;
}

/** The FEC of `period` downloaded from a fresh server on `env`'s database. */
async function fecFrom(g: Generated, env: Record<string, string>, period: { from: string; to: string }): Promise<Export> {
  const server = await benchServer(g.file, env);
  try {
    const token = await login(server.url, g.ownerEmail, g.password);
    const idle = memoryOf(server.child.pid!).peak;
    const started = performance.now();
    const res = await fetch(`${server.url}/api/v1/companies/${g.companyId}/exports/fec?from=${period.from}&to=${period.to}`, { headers: { authorization: `Bearer ${token}` } });
    if (res.status !== 200) throw new Error(`FEC: ${res.status} ${await res.text()}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    const seconds = (performance.now() - started) / 1000;
    return { seconds, bytes, peak: memoryOf(server.child.pid!).peak, idle };
  } finally {
    await stopServer(server, "SIGKILL");
  }
}

async function main() {
  const before = machine();
  const g = await dataSet();
  const url = withDatabase(SERVER, DATABASE);
  let copy: Copy | null = null;
  if (!REUSE_COPY || !(await databaseExists(SERVER, DATABASE))) {
    log(`copying ${path.basename(g.file)} into ${DATABASE}`);
    copy = await copyToPostgres(g.file, SERVER, DATABASE, log);
    log(`copied in ${copy.seconds.toFixed(1)} s: ${Object.entries(copy.rows).filter(([, n]) => n > 1000).map(([t, n]) => `${t} ${n.toLocaleString("en")}`).join(", ")}`);
  }
  const year = g.lastDate.slice(0, 4);
  const period = { from: `${year}-01-01`, to: `${year}-12-31` };
  log(`FEC ${period.from}…${period.to} from SQLite`);
  const sqlite = await fecFrom(g, {}, period);
  log(`FEC ${period.from}…${period.to} from PostgreSQL`);
  const pg = await fecFrom(g, { PASSERELLE_DATABASE_URL: url }, period);
  const load = os.loadavg().map((x) => x.toFixed(1)).join(" ");
  const lines = pg.bytes.toString("utf8").split("\r\n").filter(Boolean).length - 1;
  const same = pg.bytes.equals(sqlite.bytes);
  const sha = (b: Buffer) => createHash("sha256").update(b).digest("hex").slice(0, 16);
  const row = {
    benchmark: `FEC of an open year (${year}, ${INVOICES.toLocaleString("en")} invoices generated), PostgreSQL against SQLite`,
    passerelle: `PostgreSQL: ${pg.seconds.toFixed(1)} s, ${(pg.bytes.length / 1024 / 1024 / pg.seconds).toFixed(1)} MB/s, ${lines.toLocaleString("en")} lines, server peak RSS ${mb(pg.peak)} (idle ${mb(pg.idle)})`,
    reference: `SQLite: ${sqlite.seconds.toFixed(1)} s, ${(sqlite.bytes.length / 1024 / 1024 / sqlite.seconds).toFixed(1)} MB/s, server peak RSS ${mb(sqlite.peak)} (idle ${mb(sqlite.idle)})`,
    ratio: ratio(pg.seconds, sqlite.seconds),
    notes: `${same ? "byte-identical" : "FILES DIFFER"} (sha256 ${sha(pg.bytes)}…, ${mb(pg.bytes.length)}); ${pg.peak <= MEMORY_BUDGET ? "memory met" : "memory missed"} (budget ${mb(MEMORY_BUDGET)}); load average ${load}`,
  };
  console.log(`\n| Benchmark | Passerelle | Reference | Ratio | Notes |\n|---|---|---|---|---|\n| ${row.benchmark} | ${row.passerelle} | ${row.reference} | ${row.ratio} | ${row.notes} |`);
  const results = path.join(API_DIR, "bench", "results");
  const name = `pg-exports${INVOICES === 100000 ? "" : `-${INVOICES}`}`;
  fs.writeFileSync(path.join(results, `${name}.json`), JSON.stringify({ at: new Date().toISOString(), machine: before, loadAverage: load, invoices: INVOICES, counts: g.counts, copy, period, row, same }, null, 2) + "\n");
  fs.writeFileSync(
    path.join(results, `${name}.md`),
    `# FEC from PostgreSQL (\`npx tsx bench/pg-exports.ts --invoices ${INVOICES}\`)\n\n${new Date().toISOString()}, ${before.cpu}, load average ${load}\n\n| Benchmark | Passerelle | Reference | Ratio | Notes |\n|---|---|---|---|---|\n| ${row.benchmark} | ${row.passerelle} | ${row.reference} | ${row.ratio} | ${row.notes} |\n`,
  );
  if (!same) process.exitCode = 1;
}

await main();
