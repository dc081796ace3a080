/**
 * `npm run bench -- --only firm [--firm-companies 200,2000,10000] [--firm-scale 1,0.1,0.02]`
 *
 * A host of many client companies (firm-data.ts), one accountant following 500 of them, at each size
 * of the growth series: the accountant's `GET /me` and portfolio (`GET /companies?limit=1000`, as the
 * add-in loads it: every company with its lock in force) and each company's last change (`GET /changes`), the month-end view across the portfolio
 * (`GET /accountant/month-end`), a 1,000-row page of one company's journal and `GET /changes` of one
 * company — each over HTTP against a real server (the bundled one `npm start` runs) and in process,
 * and against its floor: the `sqlite3` CLI running the same statements, captured from each request
 * (arguments written in). Then 50 sign-ins at once against a real server at the default scrypt cost:
 * p50/p99, the server's peak RSS and the most hashes computed at once.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { createApp } from "../src/app.js";
import { createDeps } from "../src/deps.js";
import { configFromEnv } from "../src/config.js";
import { encodeCursor } from "../src/db/ids.js";
import { generateFirm, type FirmGenerated } from "./firm-data.js";
import { execFileSync } from "node:child_process";
import { benchServer, captureStatements, inlineArgs, login, mb, memoryOf, ms, ratio, stats, stopServer, type ServerProcess, type Stats } from "./support.js";

export interface FirmRow {
  id: string;
  benchmark: string;
  passerelle: string;
  reference: string;
  ratio: string;
  notes: string;
}

export interface FirmBenchOptions {
  work: string;
  /** Sizes of the growth series: companies, and the scale of their invoices (1 = realistic). */
  sizes: { companies: number; scale: number }[];
  samples: number;
  /** Generate again even when a data set of that size is there. */
  fresh: boolean;
  report: (row: FirmRow, detail: unknown) => void;
  log: (line: string) => void;
  track: (server: ServerProcess) => void;
}

/** The date the month-end view is asked for: the last month of the data set. */
const MONTH_END = "2025-11-30";
/** Scrypt's default cost (config.ts): 128 × N × r bytes = 128 MB per hash. */
const DEFAULT_SCRYPT_COST = 2 ** 17;
const SIGN_INS = 50;

const n = (x: number) => x.toLocaleString("en");

async function dataSet(o: FirmBenchOptions, companies: number, scale: number): Promise<FirmGenerated> {
  fs.mkdirSync(o.work, { recursive: true });
  const file = path.join(o.work, `firm-${companies}-${scale}.db`);
  const info = `${file}.json`;
  if (!o.fresh && fs.existsSync(file) && fs.existsSync(info)) {
    o.log(`reusing ${file}`);
    return JSON.parse(fs.readFileSync(info, "utf8")) as FirmGenerated;
  }
  o.log(`generating ${n(companies)} companies (scale ${scale}) into ${file}…`);
  let last = 0;
  const g = await generateFirm({
    file,
    companies,
    scale,
    onProgress: (done, invoices) => {
      if (done - last >= companies / 10 || done === companies) (o.log(`  ${n(done)} companies, ${n(invoices)} invoices`), (last = done));
    },
  });
  fs.writeFileSync(info, JSON.stringify(g));
  return g;
}

/** One request's timings: in process (statements captured), over HTTP; and the same statements through the sqlite3 CLI. */
interface Measured {
  app: Stats;
  http: Stats;
  cli: Stats;
  statements: number;
  first: { app: number; http: number; cli: number };
}

async function measure(
  g: FirmGenerated,
  app: ReturnType<typeof createApp>,
  db: ReturnType<typeof createDeps>["db"],
  server: ServerProcess,
  tokens: { app: string; http: string },
  urls: string[],
  check: (body: any) => void,
): Promise<Measured> {
  const appTimes: number[] = [];
  const groups: string[][] = [];
  for (const url of urls) {
    const started = performance.now();
    const { statements } = await captureStatements(db, async () => {
      const res = await app.request(url, { headers: { authorization: `Bearer ${tokens.app}` } });
      const body: any = await res.json();
      if (res.status !== 200) throw new Error(`${url}: ${res.status} ${JSON.stringify(body).slice(0, 300)}`);
      check(body);
    });
    appTimes.push(performance.now() - started);
    // line comments out: the CLI gets each statement on one line
    groups.push(statements.map((s) => inlineArgs({ ...s, sql: s.sql.replace(/--[^\n]*/g, "") })));
  }
  const httpTimes: number[] = [];
  for (const url of urls) {
    // a keep-alive connection the server closed while idle (during the in-process part) fails once: sent again, timed afresh
    for (let attempt = 1; ; attempt++) {
      const started = performance.now();
      try {
        const res = await fetch(`${server.url}${url}`, { headers: { authorization: `Bearer ${tokens.http}` } });
        const body: any = await res.json();
        if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
        httpTimes.push(performance.now() - started);
        check(body);
        break;
      } catch (error) {
        if (attempt > 1 || !(error instanceof TypeError)) throw error;
      }
    }
  }
  const cliTimes = cliFloor(g.file, groups);
  return {
    app: stats(appTimes),
    http: stats(httpTimes),
    cli: stats(cliTimes),
    statements: groups[0]!.length,
    first: { app: appTimes[0]!, http: httpTimes[0]!, cli: cliTimes[0]! },
  };
}

/**
 * The floor: each request's statements (arguments written in) through the sqlite3 command-line
 * tool, all on one line so that `.timer` times them together. The tool prints whole milliseconds,
 * so a request that takes less than 50 ms is run R times on its line (R up to 1,000, the same for
 * every request of a row) and its time is the line's over R.
 */
export function cliFloor(file: string, groups: string[][]): number[] {
  const run = (repeat: number) => {
    const script = ["PRAGMA query_only = 1;", ".mode json", ".output /dev/null", ".timer on"];
    for (const group of groups) {
      const line = group.map((sql) => `${sql.replace(/\s+/g, " ").trim().replace(/;?$/, ";")}`).join(" ");
      script.push(Array.from({ length: repeat }, () => line).join(" "));
    }
    const out = execFileSync("sqlite3", [file], { input: script.join("\n"), encoding: "utf8", maxBuffer: 1 << 30 });
    const times = [...out.matchAll(/Run Time: real ([\d.]+)/g)].map((m) => (Number(m[1]) * 1000) / repeat);
    if (times.length !== groups.length) throw new Error(`sqlite3 timed ${times.length} requests of ${groups.length}`);
    return times;
  };
  const once = run(1);
  const typical = stats(once).p50;
  const repeat = typical >= 50 ? 1 : Math.min(1000, Math.ceil(50 / Math.max(typical, 0.05)));
  return repeat === 1 ? once : run(repeat);
}

function pick<T>(xs: T[], count: number, seed: number): T[] {
  let s = seed;
  return Array.from({ length: count }, () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return xs[Math.floor((s / 2 ** 31) * xs.length)]!;
  });
}

/** The company whose journal and changes are read: the followed company of median size. */
function medianFollowed(g: FirmGenerated) {
  const followed = g.companies.filter((c) => c.followed).sort((a, b) => a.invoices - b.invoices);
  return followed[Math.floor(followed.length / 2)]!;
}

async function sizeRows(o: FirmBenchOptions, g: FirmGenerated): Promise<Record<string, Measured>> {
  const label = `${n(g.companies.length)} companies, ${n(g.invoices)} invoices${g.scale === 1 ? "" : ` (sizes × ${g.scale})`}`;
  const config = { ...configFromEnv({ PASSERELLE_DB: g.file, PASSERELLE_DATA: `${g.file}.data` }) };
  const deps = createDeps(config);
  const app = createApp(deps);
  const server = await benchServer(g.file);
  o.track(server);
  const results: Record<string, Measured> = {};
  try {
    const signIn = async (base: string | null) => {
      if (base) return login(base, g.accountant.email, g.accountant.password);
      const res = await app.request("/api/v1/auth/login", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email: g.accountant.email, password: g.accountant.password }) });
      if (res.status !== 200) throw new Error(`login: ${res.status}`);
      return ((await res.json()) as { token: string }).token;
    };
    const tokens = { app: await signIn(null), http: await signIn(server.url) };
    const followed = g.companies.filter((c) => c.followed).length;
    const target = medianFollowed(g);
    const ro = new Database(g.file, { readonly: true });
    const journalTotal = ro.prepare("SELECT COUNT(*) FROM invoices WHERE company_id = ? AND status != 'draft'").pluck().get(target.id) as number;
    const positions = ro.prepare(
      "SELECT issue_date, series_key, series_counter FROM invoices WHERE company_id = ? AND status != 'draft' ORDER BY issue_date, series_key, series_counter LIMIT 1 OFFSET ?",
    );
    const cursors = pick(Array.from({ length: Math.max(1, journalTotal - 1000) }, (_, i) => i), o.samples, 12345).map((offset) => {
      const r = positions.get(target.id, offset) as { issue_date: string; series_key: string; series_counter: number };
      return encodeCursor([r.issue_date, r.series_key, r.series_counter]);
    });
    const lastSeq = ro.prepare("SELECT last_seq FROM companies WHERE id = ?").pluck().get(target.id) as number;
    ro.close();
    const sinces = pick(Array.from({ length: Math.max(1, lastSeq - 1000) }, (_, i) => i), o.samples, 54321);
    const api = (p: string) => `/api/v1${p}`;
    const repeat = (url: string, times: number) => Array.from({ length: times }, () => url);

    results.me = await measure(g, app, deps.db, server, tokens, repeat(api("/me"), o.samples * 5), (b) => {
      if (b.memberships.length !== followed) throw new Error(`/me: ${b.memberships.length} memberships, expected ${followed}`);
    });
    results.portfolio = await measure(g, app, deps.db, server, tokens, repeat(api("/companies?limit=1000"), o.samples * 5), (b) => {
      if (b.items.length !== followed || b.nextCursor !== null) throw new Error(`/companies: ${b.items.length} companies, expected ${followed}`);
    });
    results.latest = await measure(g, app, deps.db, server, tokens, repeat(api("/changes"), o.samples * 5), (b) => {
      if (b.items.length !== followed) throw new Error(`/changes: ${b.items.length} companies, expected ${followed}`);
    });
    results.monthEnd = await measure(g, app, deps.db, server, tokens, repeat(api(`/accountant/month-end?date=${MONTH_END}`), o.samples), (b) => {
      if (b.items.length !== followed) throw new Error(`month-end: ${b.items.length} companies, expected ${followed}`);
    });
    // a warm-up on another filter first, so the first measured page still computes its filter's totals
    await app.request(api(`/companies/${target.id}/sales-journal?limit=1000&type=credit_note`), { headers: { authorization: `Bearer ${tokens.app}` } });
    results.journal = await measure(g, app, deps.db, server, tokens, cursors.map((c) => api(`/companies/${target.id}/sales-journal?limit=1000&cursor=${c}`)), (b) => {
      if (b.items.length !== Math.min(1000, journalTotal - 1)) throw new Error(`journal: ${b.items.length} rows`);
    });
    results.changes = await measure(g, app, deps.db, server, tokens, sinces.map((s) => api(`/companies/${target.id}/changes?since=${s}&limit=1000`)), (b) => {
      if (b.items.length === 0 || b.items.length > 1000 || b.lastSeq !== lastSeq) throw new Error(`changes: ${b.items.length} items, last ${b.lastSeq}`);
    });

    const locked = g.companies.filter((c) => c.followed && c.lock).length;
    const row = (id: string, what: string, m: Measured, goal: string, notes: string) =>
      o.report(
        {
          id: `firm-${id}-${g.companies.length}`,
          benchmark: `8. Firm (${label}): ${what}`,
          passerelle: `HTTP p50 ${ms(m.http.p50)} / p99 ${ms(m.http.p99)}; app.request p50 ${ms(m.app.p50)} / p99 ${ms(m.app.p99)}`,
          reference: `sqlite3 CLI, same ${m.statements} statements: p50 ${ms(m.cli.p50)} / p99 ${ms(m.cli.p99)}`,
          ratio: `${ratio(m.http.p50, m.cli.p50)} (HTTP) / ${ratio(m.app.p50, m.cli.p50)} (app)`,
          notes: `${goal}; ${m.http.n} requests; ${notes}`,
        },
        m,
      );
    row("me", "accountant's GET /me", results.me, `target p99 ≤ 100 ms: ${results.me.http.p99 <= 100 ? "met" : "missed"}`, `${followed} memberships`);
    row(
      "portfolio",
      "accountant's portfolio, GET /companies?limit=1000",
      results.portfolio,
      `target p99 ≤ 100 ms: ${results.portfolio.http.p99 <= 100 ? "met" : "missed"}`,
      `${followed} companies with their lock in force (${locked} locked)`,
    );
    row(
      "latest",
      "the portfolio's last change of each company, GET /changes",
      results.latest,
      `target p99 ≤ 100 ms: ${results.latest.http.p99 <= 100 ? "met" : "missed"}`,
      `${followed} companies, each with its last sequence and when`,
    );
    row(
      "month-end",
      `month-end view, GET /accountant/month-end?date=${MONTH_END}`,
      results.monthEnd,
      `target ≤ 1 s: ${results.monthEnd.http.p99 <= 1000 ? "met" : "missed"} (p99)`,
      `${followed} companies, ${n(g.companies.filter((c) => c.followed).reduce((s, c) => s + c.invoices, 0))} invoices among them`,
    );
    row(
      "journal",
      "one company's journal, 1,000-row page at random positions",
      results.journal,
      `target ≤ 3× the floor: ${results.journal.http.p50 <= 3 * results.journal.cli.p50 ? "met" : "missed"} (p50, HTTP)`,
      `the followed company of median size (${n(target.invoices)} invoices); the first page computes the totals (${ms(results.journal.first.app)} in process, CLI ${ms(results.journal.first.cli)})`,
    );
    row(
      "changes",
      "one company's GET /changes, 1,000 changes from a random sequence",
      results.changes,
      `target ≤ 2× the floor: ${results.changes.http.p50 <= 2 * results.changes.cli.p50 ? "met" : "missed"} (p50, HTTP)`,
      `the same company, ${n(lastSeq)} changes in its feed`,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message} ${String((error as Error).cause ?? "")}; server: ${server.output().slice(-2000)}`);
  } finally {
    await stopServer(server);
    deps.db.close();
  }
  return results;
}

/** 50 sign-ins at once (50 accounts, the right passwords, real scrypt cost) against a real server. */
async function signInCrowd(o: FirmBenchOptions, g: FirmGenerated) {
  const server = await benchServer(g.file, { SCRYPT_COST: String(DEFAULT_SCRYPT_COST), LOGIN_ATTEMPTS_PER_ADDRESS: "1000" });
  o.track(server);
  try {
    const idle = memoryOf(server.child.pid!);
    let peak = idle.now;
    const poll = setInterval(() => {
      try {
        peak = Math.max(peak, memoryOf(server.child.pid!).now);
      } catch {
        // exited
      }
    }, 5);
    const accounts = Array.from({ length: SIGN_INS }, (_, i) => ({ email: `gerant${String(i + 1).padStart(5, "0")}@client.example`, password: g.owner.password }));
    const signIn = async (a: { email: string; password: string }) => {
      const at = performance.now();
      const res = await fetch(`${server.url}/api/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(a) });
      await res.arrayBuffer();
      return { status: res.status, ms: performance.now() - at };
    };
    // the floor: one sign-in alone (three accounts past the crowd's, one after the other)
    const alone: number[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await signIn({ email: `gerant${String(SIGN_INS + 1 + i).padStart(5, "0")}@client.example`, password: g.owner.password });
      if (r.status !== 200) throw new Error(`sign-in alone: ${r.status}`);
      alone.push(r.ms);
    }
    const one = stats(alone).p50;
    const started = performance.now();
    const answers = await Promise.all(accounts.map(signIn));
    const wall = performance.now() - started;
    clearInterval(poll);
    const hwm = memoryOf(server.child.pid!).peak;
    const ok = answers.filter((a) => a.status === 200);
    const byStatus = Object.entries(answers.reduce<Record<number, number>>((acc, a) => ((acc[a.status] = (acc[a.status] ?? 0) + 1), acc), {}))
      .map(([s, c]) => `${s}×${c}`)
      .join(", ");
    const s = stats(answers.map((a) => a.ms));
    const atOnce = Number(process.env.PASSWORD_HASHES_AT_ONCE ?? 2);
    const hashMb = (128 * DEFAULT_SCRYPT_COST * 8) / 1024 / 1024;
    const budget = idle.now + atOnce * hashMb * 1024 * 1024;
    o.report(
      {
        id: "firm-sign-in",
        benchmark: `9. Sign-in crowd: ${SIGN_INS} sign-ins at once (50 accounts, right passwords, scrypt N=2^17)`,
        passerelle: `p50 ${ms(s.p50)} / p99 ${ms(s.p99)}, all answered in ${(wall / 1000).toFixed(1)} s; server peak RSS ${mb(Math.max(hwm, peak))} (idle ${mb(idle.now)})`,
        reference: `one sign-in alone ${ms(one)}: ${SIGN_INS} on ${atOnce} slots take at least ${Math.ceil(SIGN_INS / atOnce)} × that = ${(Math.ceil(SIGN_INS / atOnce) * one / 1000).toFixed(1)} s; memory budget: idle + ${atOnce} hashes at once × ${hashMb} MB = ${mb(budget)}`,
        ratio: `${(wall / (Math.ceil(SIGN_INS / atOnce) * one)).toFixed(1)}× the time floor; peak RSS ${(Math.max(hwm, peak) / budget).toFixed(2)}× the budget`,
        notes: `answers ${byStatus}; ${ok.length} signed in; PASSWORD_HASHES_AT_ONCE ${atOnce} (default), the others wait in line (PASSWORD_HASH_QUEUE ${process.env.PASSWORD_HASH_QUEUE ?? "64, default"})`,
      },
      { stats: s, alone, statuses: byStatus, idle, peak: Math.max(hwm, peak), budget, wall },
    );
  } finally {
    await stopServer(server);
  }
}

export async function firmBench(o: FirmBenchOptions): Promise<void> {
  const series: { g: FirmGenerated; r: Record<string, Measured> }[] = [];
  for (const size of o.sizes) {
    const g = await dataSet(o, size.companies, size.scale);
    o.report(
      {
        id: `firm-data-${size.companies}`,
        benchmark: `8. Firm data set: ${n(size.companies)} companies${size.scale === 1 ? "" : `, sizes × ${size.scale}`}`,
        passerelle: `${n(Math.round(g.invoicesPerSecond))} invoices/s (${n(g.invoices)} invoices)`,
        reference: "—",
        ratio: "—",
        notes:
          `setup through the services ${g.setupSeconds.toFixed(1)} s, load ${g.loadSeconds.toFixed(1)} s + foreign-key check ${g.checkSeconds.toFixed(1)} s, ` +
          `locks ${g.lockSeconds.toFixed(1)} s; ${n(g.counts.invoices ?? 0)} documents, ${n(g.counts.payments ?? 0)} payments; file ${mb(g.fileBytes)}`,
      },
      { ...g, companies: undefined },
    );
    series.push({ g, r: await sizeRows(o, g) });
  }
  if (series.length > 1) {
    const header = series.map(({ g }) => `${n(g.companies.length)}${g.scale === 1 ? "" : ` (× ${g.scale})`}`).join(" → ");
    for (const [key, what] of [
      ["me", "GET /me"],
      ["portfolio", "portfolio"],
      ["latest", "last changes"],
      ["monthEnd", "month-end"],
      ["journal", "journal page"],
      ["changes", "/changes"],
    ] as const) {
      o.report(
        {
          id: `firm-growth-${key}`,
          benchmark: `8. Firm growth, ${what}: ${header} companies`,
          passerelle: series.map(({ r }) => `${ms(r[key]!.http.p50)} / ${ms(r[key]!.http.p99)}`).join(" → "),
          reference: series.map(({ r }) => `${ms(r[key]!.cli.p50)}`).join(" → "),
          ratio: series.map(({ r }) => ratio(r[key]!.http.p50, r[key]!.cli.p50)).join(" → "),
          notes: "HTTP p50 / p99 at each size; reference: the sqlite3 CLI's p50 on the same statements",
        },
        null,
      );
    }
  }
  const largest = series.at(-1)?.g;
  if (largest) await signInCrowd(o, largest);
}
