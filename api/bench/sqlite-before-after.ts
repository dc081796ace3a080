/**
 * `npx tsx api/bench/sqlite-before-after.ts [--before <commit>] [--invoices 100000] [--rounds 2]
 *   [--only generate,journal,totals,fec,http,issue] [--samples 40] [--issue-seconds 15] [--work <dir>] [--out sqlite-before-after] [--own-runner]`
 * `npx tsx api/bench/sqlite-before-after.ts --from api/bench/results/sqlite-before-after.json --out …`: the table again from recorded runs
 *
 * The SQLite path before and after a change, measured in one run: the commit `--before` (by default
 * the parent of the commit that brought the PostgreSQL data layer, api/src/db/postgres) is checked
 * out into a temporary git worktree with this tree's node_modules hard-linked into it, and
 * `npm run bench` runs in each tree in turns — before, after, before, after… — so that whatever
 * else the machine does weighs on both alike. Each run generates its own data set with its own
 * tree's generator (the schemas may differ) from the same seed and size, into a fresh directory,
 * the runner (bench/run.ts: what is measured and reported) being this tree's in both unless --own-runner,
 * so no run measures what an earlier one wrote (the FEC benchmark locks two years, issuing adds
 * invoices). The figures of each run are read from its result file; the table gives the median of
 * the rounds of each side, after/before, and every round's figure.
 *
 * Writes bench/results/<out>.md (+ .json) with the machine, the load averages and both commits.
 * The temporary worktree is removed at the end, whatever happens.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const RESULTS = path.join(HERE, "results");

function arg(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

const git = (args: string[], cwd = HERE) => execFileSync("git", args, { cwd, encoding: "utf8" }).trim();
const AFTER_TREE = git(["rev-parse", "--show-toplevel"]);
const INVOICES = Number(arg("invoices", "100000"));
let ROUNDS = Number(arg("rounds", "2"));
let ONLY = arg("only", "generate,journal,totals,fec,http,issue")!;
let SAMPLES = arg("samples", "40")!;
let ISSUE_SECONDS = arg("issue-seconds", "15")!;
/** The size the figures were measured at (INVOICES, or a recorded run's with `--from`). */
let invoices = INVOICES;
const WORK = path.resolve(arg("work", path.join(os.tmpdir(), "passerelle-before-after"))!);
const OUT = arg("out", "sqlite-before-after")!;
/** A result file of this script: its runs are read back and the table written again, nothing measured. */
const FROM = arg("from");
/** Whether the before tree runs its own bench/run.ts rather than this tree's. */
const OWN_RUNNER = process.argv.includes("--own-runner");
/** Whether the before tree ran its own runner (asked, or this tree's imports modules it does not have). */
let ownRunner = OWN_RUNNER;
/** What each run's `npm run bench` names its result files (removed once read). */
const RUN_OUT = "before-after-run";

/** The parent of the commit that added api/src/db/postgres: the last commit without the PostgreSQL data layer. */
function defaultBefore(): string {
  const added = git(["log", "--diff-filter=A", "--format=%H", "--", "api/src/db/postgres"], AFTER_TREE).split("\n").filter(Boolean).at(-1);
  if (!added) throw new Error("no commit added api/src/db/postgres: give --before <commit>");
  return `${added}^`;
}
const BEFORE = git(["rev-parse", arg("before") ?? defaultBefore()], AFTER_TREE);

const log = (line: string) => console.log(`[before-after] ${line}`);
const loadAverage = () => os.loadavg().map((x) => x.toFixed(2)).join(" ");

// ---------------------------------------------------------------- the temporary worktree

const BEFORE_TREE = path.join(WORK, "before-tree");
let worktreeMade = false;
let child: ChildProcess | null = null;

function makeBeforeTree() {
  fs.mkdirSync(WORK, { recursive: true });
  if (fs.existsSync(BEFORE_TREE)) throw new Error(`${BEFORE_TREE} exists: another run, or one that could not clean up (git worktree list)`);
  git(["worktree", "add", "--quiet", "--detach", BEFORE_TREE, BEFORE], AFTER_TREE);
  worktreeMade = true;
  // hard links: the same packages, not a copy of their bytes; the workspaces' own links (node_modules/@passerelle/*
  // → ../../api …) are relative, so in the copy they point into the before tree's own sources
  for (const dir of ["node_modules", "extension/node_modules", "api/node_modules", "shared/node_modules", "excel-addin/node_modules"]) {
    const from = path.join(AFTER_TREE, dir);
    if (fs.existsSync(from)) execFileSync("cp", ["-al", from, path.dirname(path.join(BEFORE_TREE, dir))]);
  }
  // the runner (what is measured and how) is this tree's on both sides unless --own-runner: the
  // benchmarks themselves (generator, journal totals, exports, issuing) stay each tree's own
  // the benchmarks' modules the runner imports must be the same in both trees for it to run there
  const runner = fs.readFileSync(path.join(HERE, "run.ts"), "utf8");
  const modules = [...runner.matchAll(/from "\.\/([\w-]+)\.js"/g)].map((m) => `${m[1]}.ts`);
  const same = (file: string) => {
    const there = path.join(BEFORE_TREE, "api", "bench", file);
    return fs.existsSync(there) && fs.readFileSync(there, "utf8") === fs.readFileSync(path.join(HERE, file), "utf8");
  };
  const differing = modules.filter((file) => !same(file));
  if (OWN_RUNNER || differing.length > 0) {
    if (!OWN_RUNNER) log(`the before tree runs its own bench/run.ts: ${differing.join(", ")} differ or are missing there`);
    ownRunner = true;
  } else fs.copyFileSync(path.join(HERE, "run.ts"), path.join(BEFORE_TREE, "api", "bench", "run.ts"));
}

function removeBeforeTree() {
  if (child && child.exitCode === null && child.pid) {
    try {
      process.kill(-child.pid, "SIGKILL");
    } catch {
      /* already gone */
    }
  }
  if (!worktreeMade) return;
  try {
    execFileSync("git", ["worktree", "remove", "--force", BEFORE_TREE], { cwd: AFTER_TREE, stdio: "ignore" });
  } catch {
    fs.rmSync(BEFORE_TREE, { recursive: true, force: true });
    execFileSync("git", ["worktree", "prune"], { cwd: AFTER_TREE, stdio: "ignore" });
  }
  worktreeMade = false;
}

for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.on(signal, () => {
    log(`${signal}: removing the temporary worktree`);
    removeBeforeTree();
    process.exit(130);
  });
}

// ---------------------------------------------------------------- runs of `npm run bench`

type Side = "before" | "after";

/** One side's round: its figures from the benchmarks it ran, one `npm run bench` each. */
interface RunResult {
  side: Side;
  round: number;
  seconds: number;
  /** Load average (1, 5, 15 min) at the start and end of each benchmark of this round. */
  loadAverage: { only: string; start: string; end: string }[];
  rows: { id: string; benchmark: string; passerelle: string }[];
  details: Record<string, any>;
}

/** One benchmark (`--only` part) in one tree, on that side's data set. */
async function benchStep(run: RunResult, only: string): Promise<void> {
  const tree = run.side === "before" ? BEFORE_TREE : AFTER_TREE;
  const dir = path.join(WORK, `data-${run.side}`);
  if (only === "generate") {
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
  }
  const args = ["run", "bench", "--", "--only", only, "--invoices", String(INVOICES), "--dir", dir, "--out", RUN_OUT, "--samples", SAMPLES, "--issue-seconds", ISSUE_SECONDS];
  log(`round ${run.round} ${run.side} ${only}: npm ${args.join(" ")} (in ${tree}; load average ${loadAverage()})`);
  const started = performance.now();
  const logFile = path.join(WORK, `${run.side}-${run.round}-${only}.log`);
  const out = fs.openSync(logFile, "w");
  child = spawn("npm", args, { cwd: tree, stdio: ["ignore", out, out], detached: true });
  const code = await new Promise<number | null>((resolve) => child!.on("exit", (c) => resolve(c)));
  fs.closeSync(out);
  child = null;
  if (code !== 0) throw new Error(`round ${run.round} ${run.side} ${only}: npm run bench exited with ${code} (see ${logFile})`);
  const resultFile = path.join(tree, "api", "bench", "results", `${RUN_OUT}.json`);
  const result = JSON.parse(fs.readFileSync(resultFile, "utf8"));
  for (const ext of ["json", "md"]) fs.rmSync(path.join(tree, "api", "bench", "results", `${RUN_OUT}.${ext}`), { force: true });
  const seconds = (performance.now() - started) / 1000;
  run.seconds += seconds;
  run.loadAverage.push({ only, start: result.machine.before.loadAverage, end: result.machine.after.loadAverage });
  // a run that reuses the data set reports its generator row again: the first one (the generation) is kept
  for (const row of result.rows as RunResult["rows"]) if (!run.rows.some((r) => r.id === row.id)) run.rows.push(row);
  for (const [id, detail] of Object.entries(result.details as Record<string, unknown>)) if (!(id in run.details)) run.details[id] = detail;
  log(`round ${run.round} ${run.side} ${only}: ${seconds.toFixed(0)} s, load average ${result.machine.before.loadAverage} → ${result.machine.after.loadAverage}`);
}

/**
 * One round: both sides generate their data sets, then run each benchmark in turn, one side right
 * after the other (before first in odd rounds, after first in even ones), in the order `npm run bench`
 * runs them (the FEC benchmark locks two years, issuing adds invoices: what follows sees the same
 * data on both sides). A minute apart rather than a whole suite apart, the two sides meet the same load.
 */
async function round(n: number): Promise<RunResult[]> {
  const order: Side[] = n % 2 === 1 ? ["before", "after"] : ["after", "before"];
  const runs = new Map<Side, RunResult>(order.map((side) => [side, { side, round: n, seconds: 0, loadAverage: [], rows: [], details: {} }]));
  const parts = ONLY.split(",");
  const steps = [...(parts.includes("generate") ? ["generate"] : []), ...BENCH_ORDER.filter((part) => parts.includes(part))];
  for (const only of steps) for (const side of order) await benchStep(runs.get(side)!, only);
  for (const side of order) fs.rmSync(path.join(WORK, `data-${side}`), { recursive: true, force: true });
  return order.map((side) => runs.get(side)!);
}

/** The order in which `npm run bench` (bench/run.ts) runs its benchmarks. */
const BENCH_ORDER = ["floor", "journal", "totals", "driver", "fec", "xlsx", "http", "issue"];

// ---------------------------------------------------------------- the figures compared

interface Metric {
  id: string;
  label: string;
  unit: "ms" | "s" | "µs" | "/s" | "MB" | "×";
  /** Whether a larger figure is worse (a time, a size) or better (a rate). */
  worse: "higher" | "lower";
  value: (details: Record<string, any>) => number | undefined;
}

const p50 = (row: string, part: string) => (d: Record<string, any>) => d[row]?.[part]?.p50 as number | undefined;
const p99 = (row: string, part: string) => (d: Record<string, any>) => d[row]?.[part]?.p99 as number | undefined;

const METRICS: Metric[] = [
  { id: "generate", label: "1. Data set: generator, invoices/s", unit: "/s", worse: "lower", value: (d) => d.generate?.invoicesPerSecond },
  {
    id: "generate-cpu",
    label: "1. Data set: generator, main thread CPU per invoice",
    unit: "µs",
    worse: "higher",
    value: (d) => (d.generate?.main ? (d.generate.main.cpuSeconds * 1e6) / invoices : undefined),
  },
  { id: "journal-random-app", label: "2. Journal, 1,000-row page at random positions, app.request p50", unit: "ms", worse: "higher", value: p50("journal-random", "app") },
  { id: "journal-random-http", label: "2. Journal, 1,000-row page at random positions, HTTP p50", unit: "ms", worse: "higher", value: p50("journal-random", "http") },
  { id: "journal-month-app", label: "2. Journal, one month's page, app.request p50", unit: "ms", worse: "higher", value: p50("journal-month", "app") },
  { id: "journal-month-http", label: "2. Journal, one month's page, HTTP p50", unit: "ms", worse: "higher", value: p50("journal-month", "http") },
  ...(["month", "quarter", "fiscal", "any"] as const).flatMap((filter): Metric[] => [
    { id: `totals-${filter}-first`, label: `2. Journal's first page with its totals, ${filter === "fiscal" ? "fiscal year" : filter === "any" ? "any dates and type" : filter}, p50`, unit: "ms", worse: "higher", value: p50(`journal-totals-${filter}`, "first") },
    { id: `totals-${filter}-first-p99`, label: `2. Journal's first page with its totals, ${filter === "fiscal" ? "fiscal year" : filter === "any" ? "any dates and type" : filter}, p99`, unit: "ms", worse: "higher", value: p99(`journal-totals-${filter}`, "first") },
  ]),
  { id: "totals-customer", label: "2. Journal's first page with its totals, one customer, p50", unit: "ms", worse: "higher", value: p50("journal-totals-customer", "app") },
  { id: "totals-category", label: "2. Journal's first page with its totals, one category, p50", unit: "ms", worse: "higher", value: p50("journal-totals-category", "app") },
  { id: "fec-lock", label: "3. Locking 2023 then 2024", unit: "s", worse: "higher", value: (d) => d["fec-2024"]?.lockSeconds },
  { id: "fec-locked", label: "3. FEC 2024, locked (frozen entries)", unit: "s", worse: "higher", value: (d) => d["fec-2024"]?.seconds },
  { id: "fec-locked-rss", label: "3. FEC 2024, locked: server peak RSS", unit: "MB", worse: "higher", value: (d) => mbOf(d["fec-2024"]?.peak) },
  { id: "fec-open", label: "3. FEC 2025, open (entries computed)", unit: "s", worse: "higher", value: (d) => d["fec-2025"]?.seconds },
  { id: "fec-open-rss", label: "3. FEC 2025, open: server peak RSS", unit: "MB", worse: "higher", value: (d) => mbOf(d["fec-2025"]?.peak) },
  { id: "http-month", label: "5. HTTP, journal page of 100 rows, one month (10 connections)", unit: "/s", worse: "lower", value: (d) => d.http?.journalMonth?.rps },
  { id: "http-all", label: "5. HTTP, journal page of 100 rows, whole journal (10 connections)", unit: "/s", worse: "lower", value: (d) => d.http?.journalAll?.rps },
  { id: "http-health", label: "5. HTTP, GET /health (10 connections)", unit: "/s", worse: "lower", value: (d) => d.http?.health?.rps },
  { id: "http-month-cpu", label: "5. HTTP, journal page of 100 rows, one month: server CPU per request", unit: "µs", worse: "higher", value: (d) => d.http?.journalMonth?.serverCpuMicrosPerRequest ?? undefined },
  { id: "http-all-cpu", label: "5. HTTP, journal page of 100 rows, whole journal: server CPU per request", unit: "µs", worse: "higher", value: (d) => d.http?.journalAll?.serverCpuMicrosPerRequest ?? undefined },
  { id: "http-health-cpu", label: "5. HTTP, GET /health: server CPU per request", unit: "µs", worse: "higher", value: (d) => d.http?.health?.serverCpuMicrosPerRequest ?? undefined },
  { id: "issue-app-cpu", label: "6. Issuing in process, CPU per draft + issue, app.request()", unit: "µs", worse: "higher", value: (d) => d["issue-floor"]?.app?.cpu },
  { id: "issue-services-cpu", label: "6. Issuing in process, CPU per draft + issue, use-cases called directly", unit: "µs", worse: "higher", value: (d) => d["issue-floor"]?.services?.cpu },
  { id: "issue-floor-cpu", label: "6. Issuing in process, the same statements replayed by better-sqlite3 (floor)", unit: "µs", worse: "higher", value: (d) => d["issue-floor"]?.floor?.cpu },
  { id: "issue-http", label: "6. Issuing over HTTP, 50 clients", unit: "/s", worse: "lower", value: (d) => (d.issue ? d.issue.issued / d.issue.elapsed : undefined) },
  { id: "issue-http-cpu", label: "6. Issuing over HTTP, server CPU per invoice", unit: "µs", worse: "higher", value: (d) => (d.issue?.issued ? (d.issue.serverCpu * 1e6) / d.issue.issued : undefined) },
  { id: "issue-http-p50", label: "6. Issuing over HTTP, draft + issue p50", unit: "ms", worse: "higher", value: (d) => d.issue?.latency?.p50 },
  // Passerelle against its floor in the same run: what load does to both cancels out in part
  {
    id: "journal-random-floor",
    label: "2. Journal, random positions: app.request p50 / sqlite3 CLI p50 (same run)",
    unit: "×",
    worse: "higher",
    value: (d) => over(p50("journal-random", "app")(d), p50("journal-random", "cli")(d)),
  },
  { id: "fec-locked-floor", label: "3. FEC 2024, locked / sqlite3 dump (same run)", unit: "×", worse: "higher", value: (d) => over(d["fec-2024"]?.seconds, d["fec-2024"]?.floor?.seconds) },
  { id: "fec-open-floor", label: "3. FEC 2025, open / sqlite3 dump (same run)", unit: "×", worse: "higher", value: (d) => over(d["fec-2025"]?.seconds, d["fec-2025"]?.floor?.seconds) },
  { id: "issue-app-floor", label: "6. Issuing in process, app.request() CPU / floor CPU (same run)", unit: "×", worse: "higher", value: (d) => over(d["issue-floor"]?.app?.cpu, d["issue-floor"]?.floor?.cpu) },
  { id: "issue-services-floor", label: "6. Issuing in process, use-cases CPU / floor CPU (same run)", unit: "×", worse: "higher", value: (d) => over(d["issue-floor"]?.services?.cpu, d["issue-floor"]?.floor?.cpu) },
];

function over(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined || b === 0 ? undefined : a / b;
}

function mbOf(bytes: number | undefined): number | undefined {
  return bytes === undefined ? undefined : bytes / 1024 / 1024;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function show(value: number, unit: Metric["unit"]): string {
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  const n = value.toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits });
  return unit === "/s" ? `${n}/s` : unit === "×" ? `${n}×` : `${n} ${unit}`;
}

interface Compared {
  id: string;
  label: string;
  unit: Metric["unit"];
  /** Median of each side's rounds. */
  before: number | null;
  after: number | null;
  /** Median over the rounds of after / before in the same round (the two measured a minute apart). */
  ratio: number | null;
  /** How much worse after is than before by that ratio (0.05 = 5 % worse; negative = better), whichever way the figure goes. */
  worseBy: number | null;
  rounds: { before: (number | null)[]; after: (number | null)[] };
}

function compare(runs: RunResult[]): Compared[] {
  const roundNumbers = [...new Set(runs.map((r) => r.round))].sort((x, y) => x - y);
  return METRICS.map((m) => {
    const of = (side: Side) => roundNumbers.map((n) => m.value(runs.find((r) => r.side === side && r.round === n)?.details ?? {}) ?? null);
    const b = of("before");
    const a = of("after");
    const present = (xs: (number | null)[]) => xs.filter((x): x is number => x !== null);
    const pairs = roundNumbers.flatMap((_, i) => (b[i] && a[i] !== null ? [a[i]! / b[i]!] : []));
    const before = present(b).length ? median(present(b)) : null;
    const after = present(a).length ? median(present(a)) : null;
    const ratio = pairs.length ? median(pairs) : null;
    const worseBy = ratio === null ? null : m.worse === "higher" ? ratio - 1 : 1 / ratio - 1;
    return { id: m.id, label: m.label, unit: m.unit, before, after, ratio, worseBy, rounds: { before: b, after: a } };
  }).filter((c) => c.before !== null || c.after !== null);
}

/** Each round's lowest and highest 1-minute load average over its runs. */
function roundLoads(runs: RunResult[]): string {
  const rounds = [...new Set(runs.map((r) => r.round))].sort((x, y) => x - y);
  return rounds
    .map((n) => {
      const loads = runs.filter((r) => r.round === n).flatMap((r) => r.loadAverage.flatMap((l) => [l.start, l.end].map((x) => Number(x.split(" ")[0]))));
      return `round ${n} ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}`;
    })
    .join(", ");
}

// ---------------------------------------------------------------- main

async function main() {
  const recorded = FROM ? JSON.parse(fs.readFileSync(FROM, "utf8")) : null;
  if (recorded) ({ invoices, rounds: ROUNDS, only: ONLY, samples: SAMPLES, issueSeconds: ISSUE_SECONDS } = recorded);
  const started = recorded ? new Date(recorded.date) : new Date();
  const startLoad = recorded ? recorded.machine.loadAverage.start : loadAverage();
  const beforeCommit: string = recorded ? recorded.before.commit : BEFORE;
  const afterCommit: string = recorded ? recorded.after.commit : git(["rev-parse", "HEAD"], AFTER_TREE);
  const afterDirty: boolean = recorded ? recorded.after.dirty : git(["status", "--porcelain", "--untracked-files=no"], AFTER_TREE) !== "";
  const subject = (commit: string) => git(["log", "-1", "--format=%h %s", commit], AFTER_TREE);
  log(`before ${subject(beforeCommit)}`);
  log(`after  ${subject(afterCommit)}${afterDirty ? " (with uncommitted changes)" : ""} in ${AFTER_TREE}`);
  log(`${INVOICES.toLocaleString("en")} invoices, ${ROUNDS} rounds, --only ${ONLY}; load average ${startLoad}`);
  const runs: RunResult[] = [];
  if (FROM) {
    // the table again from the runs a previous invocation recorded (no benchmark is run)
    runs.push(...(recorded.runs as RunResult[]));
  } else {
    try {
      makeBeforeTree();
      for (let n = 1; n <= ROUNDS; n++) runs.push(...(await round(n)));
    } finally {
      removeBeforeTree();
    }
  }
  const rows = compare(runs);
  const endLoad = recorded ? recorded.machine.loadAverage.end : loadAverage();
  const cpus = os.cpus();
  const machine = { cpu: `${cpus[0]?.model ?? "unknown"} × ${cpus.length}`, memory: `${Math.round(os.totalmem() / 1024 / 1024)} MB`, os: `${os.type()} ${os.release()}`, node: process.version };
  const pct = (x: number) => `${x >= 0 ? "+" : "−"}${Math.abs(x * 100).toFixed(1)} %`;
  const roundsText = (c: Compared) =>
    `${c.rounds.before.map((x) => (x === null ? "—" : show(x, c.unit))).join(", ")} · ${c.rounds.after.map((x) => (x === null ? "—" : show(x, c.unit))).join(", ")}`;
  const md = [
    `Measured ${started.toISOString().slice(0, 16).replace("T", " ")} UTC on ${machine.cpu}, ${machine.memory} RAM, ${machine.os}, Node ${machine.node}; ` +
      `load average ${startLoad} at the start, ${endLoad} at the end (1-minute average over each round's runs: ${roundLoads(runs)}).`,
    `Before: ${subject(beforeCommit)}. After: ${subject(afterCommit)}${afterDirty ? " (with uncommitted changes)" : ""}.`,
    `\`npm run bench -- --only ${ONLY} --invoices ${invoices} --samples ${SAMPLES} --issue-seconds ${ISSUE_SECONDS}\` in each tree, ` +
      `${(recorded?.ownRunner ?? ownRunner) ? "the before tree's own bench/run.ts, " : "this tree's bench/run.ts in both (the benchmarks' own modules each tree's), "}one benchmark at a time, before and after in turns (${ROUNDS} rounds, before first in odd rounds and after first in even ones), ` +
      `each side on a data set its own tree generated in that round (same seed, same size). Before and after: the median of each side's rounds; ` +
      `after/before: the median of the rounds' own ratios. "Worse by": how much after is worse (+) or better (−) than before by that ratio, ` +
      `whichever way the figure goes (a time or size up, a rate down).`,
    "",
    "| Benchmark | Before | After | After/before | Worse by | Rounds (before · after) |",
    "|---|---|---|---|---|---|",
    ...rows.map(
      (c) =>
        `| ${c.label} | ${c.before === null ? "—" : show(c.before, c.unit)} | ${c.after === null ? "—" : show(c.after, c.unit)} | ${c.ratio === null ? "—" : c.ratio.toFixed(2)} | ${c.worseBy === null ? "—" : pct(c.worseBy)}${c.worseBy !== null && c.worseBy > 0.1 ? " **over 10 %**" : ""} | ${roundsText(c)} |`,
    ),
    "",
  ].join("\n");
  fs.mkdirSync(RESULTS, { recursive: true });
  fs.writeFileSync(path.join(RESULTS, `${OUT}.md`), md);
  fs.writeFileSync(
    path.join(RESULTS, `${OUT}.json`),
    JSON.stringify(
      {
        date: started.toISOString(),
        invoices,
        rounds: ROUNDS,
        only: ONLY,
        samples: SAMPLES,
        ownRunner,
        issueSeconds: ISSUE_SECONDS,
        machine: { ...machine, loadAverage: { start: startLoad, end: endLoad } },
        before: { commit: beforeCommit, subject: subject(beforeCommit) },
        after: { commit: afterCommit, subject: subject(afterCommit), dirty: afterDirty },
        rows,
        runs: runs.map((r) => ({ side: r.side, round: r.round, seconds: r.seconds, loadAverage: r.loadAverage, rows: r.rows.map((x) => ({ id: x.id, benchmark: x.benchmark, passerelle: x.passerelle })), details: r.details })),
      },
      null,
      2,
    ),
  );
  console.log(`\n${md}`);
  console.log(`written to ${path.relative(process.cwd(), path.join(RESULTS, `${OUT}.md`))} and ${OUT}.json`);
}

try {
  await main();
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
