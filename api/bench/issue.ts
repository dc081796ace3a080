/**
 * Issuing (draft + issue) against its floor, and over HTTP with 50 concurrent clients.
 *
 * - CPU: the two requests through `app.request()` in one process, and the same use-cases called
 *   directly (no HTTP layer), against the floor: the exact statements the two requests run
 *   (captured), prepared once and executed directly with better-sqlite3, one transaction per
 *   request, the values that change from one invoice to the next (ids, counters, numbers,
 *   sequences) advanced as the requests advance them. Rounds alternate in one process on the same
 *   database; CPU time per invoice is what a loaded machine distorts least.
 * - HTTP: 50 keep-alive clients (an undici pool, bodies built before the clock starts) drafting and
 *   issuing for a fixed time against the server as `npm start` runs it; gaps and duplicates of the
 *   series counted afterwards.
 */
import fs from "node:fs";
import http from "node:http";
import Database from "better-sqlite3";
import { createApp } from "../src/app.js";
import { createDeps } from "../src/deps.js";
import { configFromEnv } from "../src/config.js";
import { newId } from "../src/db/ids.js";
import { createDraft, issueInvoice } from "../src/services/invoices.js";
import type { Db } from "../src/db/connection.js";
import { openExisting, prepareUncached } from "../src/db/connection.js";
import { benchServer, login, machine, ms, ratio, stats, stopServer, type Captured, type ServerProcess } from "./support.js";

export interface IssueRow {
  id: string;
  benchmark: string;
  passerelle: string;
  reference: string;
  ratio: string;
  notes: string;
}

export interface IssueTarget {
  file: string;
  companyId: string;
  ownerEmail: string;
  password: string;
  /** Documents in the company when the data set was made. */
  documents: number;
  /** The database the servers use, when not the SQLite file (a PostgreSQL URL): read for the customers and the numbering check. */
  database?: string;
}

type Report = (row: IssueRow, detail: unknown) => void;

/** One draft: a line at 20 %, the kind of invoice the HTTP clients send. */
export const draftBody = (customerId: string) =>
  JSON.stringify({ customerId, lines: [{ description: "Pose", quantity: "2", unitPriceCents: 12_345, vatRateBp: 2000, kind: "services" }] });

// ---------------------------------------------------------------- in process

function inProcess(file: string) {
  const config = { ...configFromEnv({ PASSERELLE_DB: file, PASSERELLE_DATA: `${file}.data` }), scryptCost: 2 ** 12 };
  const deps = createDeps(config);
  return { deps, app: createApp(deps) };
}

export interface InProcess {
  deps: ReturnType<typeof createDeps>;
  app: ReturnType<typeof createApp>;
  token: string;
  userId: string;
  customers: string[];
  /** One draft + issue through app.request(); throws unless both succeed. */
  viaApp: (i: number, next?: () => void) => Promise<void>;
  /** The same use-cases called directly. */
  viaServices: (i: number) => void;
}

export async function openInProcess(t: IssueTarget): Promise<InProcess> {
  const { deps, app } = inProcess(t.file);
  const res = await app.request("/api/v1/auth/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: t.ownerEmail, password: t.password }) });
  const { token } = (await res.json()) as { token: string };
  const userId = deps.db.prepare("SELECT id FROM users WHERE email = ?").pluck().get(t.ownerEmail) as string;
  const customers = deps.db.prepare("SELECT id FROM customers WHERE company_id = ? LIMIT 50").pluck().all(t.companyId) as string[];
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  const base = `/api/v1/companies/${t.companyId}/invoices`;
  const bodies = customers.map(draftBody);
  const viaApp = async (i: number, next?: () => void) => {
    next?.();
    const draft = await app.request(base, { method: "POST", headers, body: bodies[i % bodies.length]! });
    const d = (await draft.json()) as { id: string };
    if (draft.status !== 201) throw new Error(`draft: ${draft.status} ${JSON.stringify(d)}`);
    next?.();
    const issue = await app.request(`${base}/${d.id}/issue`, { method: "POST", headers, body: "{}" });
    const body = await issue.json();
    if (issue.status !== 200) throw new Error(`issue: ${issue.status} ${JSON.stringify(body)}`);
  };
  const ctx = { db: deps.db, clock: deps.clock, config: deps.config, actorId: userId };
  const inputs = customers.map((c) => JSON.parse(draftBody(c)));
  const viaServices = (i: number) => {
    const draft = createDraft(ctx, t.companyId, inputs[i % inputs.length]);
    issueInvoice(ctx, t.companyId, draft.id, {});
  };
  return { deps, app, token, userId, customers, viaApp, viaServices };
}

/** A statement one request ran: its SQL, its arguments, and how it was run. */
export interface Executed extends Captured {
  method: "get" | "all" | "run";
}

/**
 * Records the statements each request of `fn` runs on `db` (`next()` starts the next request).
 * Like captureStatements (support.ts), with the method kept, so a replay runs each the same way.
 */
export async function captureRequests(db: Db, fn: (next: () => void) => Promise<void>): Promise<Executed[][]> {
  const requests: Executed[][] = [];
  const prepare = db.prepare;
  (db as any).prepare = function (sql: string) {
    const statement = prepareUncached(db, sql) as any;
    for (const method of ["all", "get", "run"] as const) {
      const original = statement[method];
      statement[method] = (...args: unknown[]) => {
        requests.at(-1)!.push({ sql, args, method });
        return original.apply(statement, args);
      };
    }
    return statement;
  };
  try {
    await fn(() => requests.push([]));
  } finally {
    (db as any).prepare = prepare;
  }
  return requests;
}

const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const IS_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const NUMBERED = /^(.*?)(\d+)$/;

function idsMadeBetween(a: unknown, b: unknown, into: Set<string>): void {
  if (typeof a === "string" && typeof b === "string" && a !== b) {
    for (const id of a.match(UUIDS) ?? []) if (!b.includes(id)) into.add(id);
  } else if (a && b && typeof a === "object" && typeof b === "object") {
    for (const key of Object.keys(a)) idsMadeBetween((a as any)[key], (b as any)[key], into);
  }
}

/** The value `a` takes in the n-th pair when the pair after it had `b` (see replayPlan). */
function advance(a: unknown, b: unknown, n: number, ids: Map<string, string>): unknown {
  if (a === b) return a;
  if (typeof a === "number" && typeof b === "number") return a + (b - a) * n;
  if (typeof a === "string" && typeof b === "string") {
    const ma = NUMBERED.exec(a);
    const mb = NUMBERED.exec(b);
    if (ma && mb && ma[1] === mb[1] && !IS_UUID.test(a)) return ma[1] + String(Number(ma[2]) + (Number(mb[2]) - Number(ma[2])) * n).padStart(ma[2]!.length, "0");
    return a.replace(UUIDS, (id) => ids.get(id) ?? id);
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.map((x, i) => advance(x, b[i], n, ids));
  if (a && b && typeof a === "object" && typeof b === "object") {
    return Object.fromEntries(Object.entries(a).map(([k, v]) => [k, advance(v, (b as any)[k], n, ids)]));
  }
  return a;
}

export interface ReplayPlan {
  requests: { sql: string; method: Executed["method"] }[][];
  /** The arguments of every statement of the n-th pair (n = 0 is the first one captured). */
  argsFor: (n: number) => unknown[][][];
}

/**
 * Two successive pairs of requests (draft, issue) turned into the statements of the n-th pair:
 * arguments equal in both stay; integers advance by their difference (counters, sequences, chain
 * positions); strings ending in a number after the same prefix (document numbers) advance the same
 * way; ids the requests made (UUIDs that differ) become fresh ids, the same within one pair,
 * wherever they appear (JSON arrays of ids included); other strings that differ (times, hashes,
 * the before/after JSON) keep the first pair's value.
 */
export function replayPlan(a: Executed[][], b: Executed[][]): ReplayPlan {
  if (a.length !== b.length || a.some((r, i) => r.length !== b[i]!.length || r.some((s, j) => s.sql !== b[i]![j]!.sql || s.method !== b[i]![j]!.method))) {
    throw new Error("the two captured pairs ran different statements");
  }
  const made = new Set<string>();
  a.forEach((r, i) => r.forEach((s, j) => idsMadeBetween(s.args, b[i]![j]!.args, made)));
  return {
    requests: a.map((r) => r.map((s) => ({ sql: s.sql, method: s.method }))),
    argsFor: (n) => {
      const ids = new Map([...made].map((id) => [id, newId()]));
      return a.map((r, i) => r.map((s, j) => advance(s.args, b[i]![j]!.args, n, ids) as unknown[]));
    },
  };
}

const WRITES = /^\s*(INSERT|UPDATE|DELETE)\b/i;

/** The statements of each request that change rows (an INSERT … RETURNING included). */
function writesOf(requests: Executed[][]): Executed[][] {
  return requests.map((r) => r.filter((s) => WRITES.test(s.sql)));
}

/** The floor: the plan's statements prepared once on a plain better-sqlite3 connection, one transaction per request. */
export function floorRunner(file: string, plan: ReplayPlan): { run: (args: unknown[][][]) => void; close: () => void } {
  const db = new Database(file);
  db.pragma("busy_timeout = 5000");
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  const statements = plan.requests.map((r) => r.map((s) => ({ statement: db.prepare(s.sql), method: s.method })));
  const transactions = statements.map((r) =>
    db.transaction((args: unknown[][]) => {
      for (let i = 0; i < r.length; i++) (r[i]!.statement as any)[r[i]!.method](...args[i]!);
    }),
  );
  return {
    run: (args) => {
      for (let i = 0; i < transactions.length; i++) transactions[i]!.immediate(args[i]!);
    },
    close: () => db.close(),
  };
}

// ---------------------------------------------------------------- CPU against the floor

const cpuMicros = () => {
  const u = process.cpuUsage();
  return u.user + u.system;
};

/** A copy of the data set for the in-process comparison (the floor's chain hashes are not real ones). */
function scratchCopy(file: string): string {
  const source = new Database(file);
  source.pragma("wal_checkpoint(TRUNCATE)");
  source.close();
  const copy = `${file}.issue-cpu.db`;
  fs.copyFileSync(file, copy);
  fs.mkdirSync(`${copy}.data`, { recursive: true });
  return copy;
}

function removeScratch(copy: string): void {
  for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(`${copy}${suffix}`, { force: true });
  fs.rmSync(`${copy}.data`, { recursive: true, force: true });
}

export interface CpuResult {
  pairs: number;
  rounds: number;
  statements: { draft: number; issue: number; writes: number };
  app: { cpu: number; wall: number };
  services: { cpu: number; wall: number };
  floor: { cpu: number; wall: number };
  writes: { cpu: number; wall: number };
  samples: Record<"app" | "services" | "floor" | "writes", { cpu: number[]; wall: number[] }>;
  captured: Executed[][];
}

/**
 * CPU µs per draft + issue: through app.request(), through the use-cases, and the floor, in
 * alternating rounds on a copy of the data set. Every pair, whoever made it, takes the next number.
 */
export async function measureIssueCpu(t: IssueTarget, options: { rounds?: number; pairs?: number; log?: (line: string) => void } = {}): Promise<CpuResult> {
  const rounds = options.rounds ?? 6;
  const pairs = options.pairs ?? 300;
  const copy = scratchCopy(t.file);
  try {
    const p = await openInProcess({ ...t, file: copy });
    for (let i = 0; i < 200; i++) await p.viaApp(i); // warm-up: JIT, statement cache, page cache
    for (let i = 0; i < 200; i++) p.viaServices(i);
    const capture = () => captureRequests(p.deps.db, (next) => p.viaApp(0, next));
    const a = await capture();
    const b = await capture();
    const plan = replayPlan(a, b);
    const floor = floorRunner(copy, plan);
    // the writes alone (INSERT, UPDATE, DELETE): what any implementation storing the same rows runs
    const writes = replayPlan(writesOf(a), writesOf(b));
    const writesFloor = floorRunner(copy, writes);
    let done = 2; // pairs since the first one captured
    for (let w = 0; w < 50; w++) floor.run(plan.argsFor(done++));
    for (let w = 0; w < 50; w++) writesFloor.run(writes.argsFor(done++));
    const samples: CpuResult["samples"] = { app: { cpu: [], wall: [] }, services: { cpu: [], wall: [] }, floor: { cpu: [], wall: [] }, writes: { cpu: [], wall: [] } };
    const time = async (side: keyof CpuResult["samples"], fn: () => unknown) => {
      const c0 = cpuMicros();
      const t0 = performance.now();
      await fn();
      samples[side].cpu.push((cpuMicros() - c0) / pairs);
      samples[side].wall.push(((performance.now() - t0) * 1000) / pairs);
    };
    for (let round = 0; round < rounds; round++) {
      const order: (keyof CpuResult["samples"])[] = round % 2 === 0 ? ["app", "services", "floor", "writes"] : ["writes", "floor", "services", "app"];
      for (const side of order) {
        if (side === "floor" || side === "writes") {
          const [p, runner] = side === "floor" ? [plan, floor] : [writes, writesFloor];
          const args = Array.from({ length: pairs }, () => p.argsFor(done++)); // made before the clock starts
          await time(side, () => {
            for (const a of args) runner.run(a);
          });
        } else if (side === "app") {
          const first = done;
          done += pairs;
          await time("app", async () => {
            for (let i = 0; i < pairs; i++) await p.viaApp(first + i);
          });
        } else {
          const first = done;
          done += pairs;
          await time("services", () => {
            for (let i = 0; i < pairs; i++) p.viaServices(first + i);
          });
        }
      }
      options.log?.(
        `issue CPU round ${round + 1}/${rounds}: app ${samples.app.cpu.at(-1)!.toFixed(0)} µs, services ${samples.services.cpu.at(-1)!.toFixed(0)} µs, ` +
          `floor ${samples.floor.cpu.at(-1)!.toFixed(0)} µs, writes alone ${samples.writes.cpu.at(-1)!.toFixed(0)} µs per pair`,
      );
    }
    floor.close();
    writesFloor.close();
    // the floor wrote the rows the requests write: the series must still be 1…n with no duplicate
    const key = p.deps.db.prepare("SELECT series_key FROM invoices WHERE company_id = ? AND type = 'invoice' AND status != 'draft' ORDER BY pk DESC LIMIT 1").pluck().get(t.companyId) as string;
    const counters = p.deps.db.prepare("SELECT series_counter FROM invoices WHERE company_id = ? AND series_key = ? ORDER BY series_counter").pluck().all(t.companyId, key) as number[];
    if (counters.some((c, i) => c !== i + 1)) throw new Error(`the floor's replay broke the numbering of ${key}`);
    p.deps.db.close();
    const median = (side: keyof CpuResult["samples"]) => ({ cpu: stats(samples[side].cpu).p50, wall: stats(samples[side].wall).p50 });
    return {
      pairs,
      rounds,
      statements: { draft: a[0]!.length, issue: a[1]!.length, writes: writesOf(a).flat().length },
      app: median("app"),
      services: median("services"),
      floor: median("floor"),
      writes: median("writes"),
      samples,
      captured: a,
    };
  } finally {
    removeScratch(copy);
  }
}

export function reportIssueCpu(r: CpuResult, report: Report): void {
  const us = (x: number) => `${x.toFixed(0)} µs`;
  const n = r.statements.draft + r.statements.issue;
  report(
    {
      id: "issue-floor",
      benchmark: "6. Issuing in process: CPU per draft + issue against the same SQL run directly",
      passerelle: `app.request() ${us(r.app.cpu)} CPU (${us(r.app.wall)} wall); use-cases called directly ${us(r.services.cpu)} CPU (${us(r.services.wall)} wall)`,
      reference:
        `floor: the ${r.statements.writes} writes captured (INSERT, UPDATE, DELETE) prepared once, one transaction per request: ${us(r.writes.cpu)} CPU (${us(r.writes.wall)} wall); ` +
        `all ${n} statements captured (draft ${r.statements.draft}, issue ${r.statements.issue}: the writes and every read, session and access included): ${us(r.floor.cpu)} CPU (${us(r.floor.wall)} wall)`,
      ratio: `${ratio(r.app.cpu, r.writes.cpu)} (app) / ${ratio(r.services.cpu, r.writes.cpu)} (use-cases) the writes; ${ratio(r.app.cpu, r.floor.cpu)} / ${ratio(r.services.cpu, r.floor.cpu)} all statements`,
      notes: `medians of ${r.rounds} rounds × ${r.pairs} pairs, the four alternating in one process on a copy of the data set; each pair takes the next number whoever makes it`,
    },
    { ...r, captured: r.captured.map((req) => req.map((s) => ({ sql: s.sql.replace(/\s+/g, " ").trim(), method: s.method }))) },
  );
}

// ---------------------------------------------------------------- over HTTP

export interface HttpResult {
  issued: number;
  elapsed: number;
  gaps: number;
  duplicates: number;
  failures: string[];
  latency: ReturnType<typeof stats>;
  clientCpu: number;
  serverCpu: number | null;
  /** What `watch` observed while the clients ran. */
  watched?: unknown;
}

/** CPU seconds a process has used so far (Linux /proc). */
function processCpuSeconds(pid: number): number | null {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in clock ticks (100 Hz)
  } catch {
    return null;
  }
}

/**
 * 50 clients on keep-alive connections (node:http, one agent of 50 sockets) draft and issue until
 * the time is up; request bodies are built before the clock starts. Then the series is checked.
 * `start` may start several server processes on the same database: client n talks to process
 * n mod their number, and the servers' CPU is summed.
 */
export async function measureIssueHttp(
  t: IssueTarget,
  start: (file: string) => Promise<ServerProcess | ServerProcess[]>,
  seconds: number,
  clients = 50,
  /** Started with the clock, stopped when the clients are done (e.g. a sampler of the database's locks). */
  watch?: () => { stop: () => Promise<unknown> },
): Promise<HttpResult> {
  const started0 = await start(t.file);
  const servers = Array.isArray(started0) ? started0 : [started0];
  try {
    const token = await login(servers[0]!.url, t.ownerEmail, t.password);
    const read = openExisting(t.database ?? t.file);
    const customers = read.prepare("SELECT id FROM customers WHERE company_id = ? ORDER BY pk LIMIT 50").pluck().all(t.companyId) as string[];
    read.close();
    const urls = servers.map((server) => new URL(server.url));
    const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
    const headers = { "content-type": "application/json", authorization: `Bearer ${token}` };
    const base = `/api/v1/companies/${t.companyId}/invoices`;
    const bodies = customers.map((c) => Buffer.from(draftBody(c)));
    const empty = Buffer.from("{}");
    const post = (url: URL, path: string, body: Buffer) =>
      new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = http.request({ host: url.hostname, port: url.port, path, method: "POST", agent, headers: { ...headers, "content-length": body.length } }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString("utf8") }));
          res.on("error", reject);
        });
        // a connection lost (reset, refused) is counted as a failure, and the client goes on
        req.on("error", (error: NodeJS.ErrnoException) => resolve({ status: 0, text: error.code ?? error.message }));
        req.end(body);
      });
    const issued: string[] = [];
    const failures: string[] = [];
    const latencies: number[] = [];
    const deadline = performance.now() + seconds * 1000;
    const serversCpu = () => servers.reduce<number | null>((sum, server) => {
      const cpu = processCpuSeconds(server.child.pid!);
      return sum === null || cpu === null ? null : sum + cpu;
    }, 0);
    const serverCpu0 = serversCpu();
    const clientCpu0 = cpuMicros();
    const watching = watch?.();
    const started = performance.now();
    await Promise.all(
      Array.from({ length: clients }, async (_, n) => {
        const url = urls[n % urls.length]!;
        while (performance.now() < deadline) {
          const t0 = performance.now();
          const draft = await post(url, base, bodies[n % bodies.length]!);
          if (draft.status !== 201) {
            failures.push(`draft ${draft.status || draft.text}`);
            if (draft.status === 0) await new Promise((resolve) => setTimeout(resolve, 10));
            continue;
          }
          const id = (JSON.parse(draft.text) as { id: string }).id;
          const issue = await post(url, `${base}/${id}/issue`, empty);
          latencies.push(performance.now() - t0);
          if (issue.status === 200) issued.push((JSON.parse(issue.text) as { number: string }).number);
          else failures.push(`issue ${issue.status || issue.text}`);
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    const clientCpu = (cpuMicros() - clientCpu0) / 1e6;
    const watched = await watching?.stop();
    // connections lost: what the servers said, for the log
    if (failures.some((f) => !/\d$/.test(f))) for (const server of servers) console.error(`[issue] server ${server.url}: ${server.output().slice(-1500)}`);
    const serverCpu1 = serversCpu();
    agent.destroy();
    await Promise.all(servers.map((server) => stopServer(server)));
    // numbering of the series these went into: every counter once, none missing
    const check = openExisting(t.database ?? t.file);
    const key = issued[0]!.replace(/-\d+$/, "");
    const counters = check.prepare("SELECT series_counter FROM invoices WHERE company_id = ? AND series_key = ? ORDER BY series_counter").pluck().all(t.companyId, key) as number[];
    check.close();
    const duplicates = counters.length - new Set(counters).size + (issued.length - new Set(issued).size);
    const gaps = counters.filter((c, i) => c !== i + 1).length;
    return {
      issued: issued.length,
      elapsed,
      gaps,
      duplicates,
      failures,
      latency: stats(latencies),
      clientCpu,
      serverCpu: serverCpu0 !== null && serverCpu1 !== null ? serverCpu1 - serverCpu0 : null,
      ...(watched === undefined ? {} : { watched }),
    };
  } finally {
    await Promise.all(servers.map((server) => stopServer(server, "SIGKILL").catch(() => undefined)));
  }
}

/** " (draft ECONNRESET × 2, issue 503 × 1)": each kind of failure and how many. */
function failureKinds(failures: string[]): string {
  if (failures.length === 0) return "";
  const counts = new Map<string, number>();
  for (const f of failures) counts.set(f, (counts.get(f) ?? 0) + 1);
  return ` (${[...counts].map(([kind, n]) => `${kind} × ${n}`).join(", ")})`;
}

export function reportIssueHttp(r: HttpResult, t: IssueTarget, report: Report, processes = 1): void {
  const l = r.latency;
  const perInvoice = (s: number | null) => (s === null ? "?" : `${((s * 1e6) / r.issued).toFixed(0)} µs`);
  report(
    {
      id: processes === 1 ? "issue" : `issue-${processes}-processes`,
      benchmark: `6. Issuing over HTTP, 50 concurrent clients (draft + issue), ${processes === 1 ? "one API process" : `${processes} API processes on one database`}`,
      passerelle: `${(r.issued / r.elapsed).toFixed(0)} invoices/s (${r.issued.toLocaleString("en")} in ${r.elapsed.toFixed(1)} s), draft+issue p50 ${ms(l.p50)} / p99 ${ms(l.p99)}`,
      reference: "target ≥ 1,000 invoices/s; gaps 0, duplicates 0 required",
      ratio: `${ratio(r.issued / r.elapsed, 1000)} of the target; gaps ${r.gaps}, duplicates ${r.duplicates}`,
      notes:
        `into the company of the data set (${t.documents.toLocaleString("en")} documents before the run); failures ${r.failures.length}${failureKinds(r.failures)}; ` +
        `CPU per invoice: server ${perInvoice(r.serverCpu)}, clients ${perInvoice(r.clientCpu)} (keep-alive node:http, bodies built beforehand)`,
    },
    r,
  );
}
