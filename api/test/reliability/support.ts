/**
 * What the reliability suites share: a real server process on a temporary data directory, a small
 * HTTP client that times every call, and the checks run after a crash or a backup.
 */
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { signUpThroughMail } from "../signup-flow.js";

export const API_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `passerelle-${prefix}-`));
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  /** Resolves with the exit code or the signal once the process is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Node with the tsx loader in-process (not the tsx CLI, which forks: SIGKILL must reach the server itself). */
export function tsxArgs(script: string, args: string[] = []): string[] {
  return ["--import", "tsx", script, ...args];
}

/**
 * Starts the server on `dataDir`: from its sources (tsx), or `bundle` — a file built by
 * scripts/build.mjs, as `npm start` runs it.
 */
export async function startServer(dataDir: string, env: Record<string, string> = {}, options: { bundle?: string; withinMs?: number } = {}): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, options.bundle ? [options.bundle] : tsxArgs("src/server.ts"), {
    cwd: API_DIR,
    env: { ...process.env, PASSERELLE_DATA: dataDir, PASSERELLE_DEMO: "0", PORT: String(port), HOST: "127.0.0.1", SCRYPT_COST: "4096", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout!.on("data", (d) => (log += d));
  child.stderr!.on("data", (d) => (log += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const url = `http://127.0.0.1:${port}`;
  const withinMs = options.withinMs ?? 30_000;
  const deadline = Date.now() + withinMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`server exited during start-up:\n${log}`);
    try {
      const res = await fetch(`${url}/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`server did not start within ${withinMs / 1000} s:\n${log}`);
    }
    await sleep(50);
  }
  return { url, child, output: () => log, exited };
}

export async function stopServer(server: ServerProcess, signal: NodeJS.Signals = "SIGTERM") {
  if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill(signal);
  return server.exited;
}

/** Runs `npm run cli -- <args>` the way an operator would (in-process tsx loader, same environment). */
export async function runCli(dataDir: string, args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, tsxArgs("src/cli.ts", args), {
    cwd: API_DIR,
    env: { ...process.env, PASSERELLE_DATA: dataDir, PASSERELLE_DEMO: "0" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const code = await new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
  return { code, output };
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface Reply {
  status: number;
  json: any;
  ms: number;
  headers?: Headers;
}

/** One JSON call; rejects only when the connection fails (refused, reset: the server is gone). */
export async function api(base: string, method: string, route: string, init: { token?: string; body?: unknown } = {}): Promise<Reply> {
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (init.body !== undefined) headers["content-type"] = "application/json";
  const started = performance.now();
  const res = await fetch(`${base}/api/v1${route}`, { method, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
  const text = await res.text();
  const ms = performance.now() - started;
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = text;
  }
  return { status: res.status, json, ms, headers: res.headers };
}

/**
 * A client holding exactly one keep-alive connection, like one browser tab or one script: the load
 * suite measures request latency on established connections, not connection set-up.
 */
export function connectedClient(base: string) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return {
    close: () => agent.destroy(),
    call: (method: string, route: string, init: { token?: string; body?: unknown } = {}): Promise<Reply> => httpCall(`${base}/api/v1${route}`, method, init, agent),
  };
}

/** One JSON request over node:http on `agent` (false: a connection of its own, closed after it); the reply with its headers. */
export function httpCall(url: string, method: string, init: { token?: string; body?: unknown }, agent: http.Agent | false): Promise<Reply> {
  const payload = init.body === undefined ? undefined : JSON.stringify(init.body);
  const headers: Record<string, string> = {};
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  if (payload !== undefined) (headers["content-type"] = "application/json"), (headers["content-length"] = String(Buffer.byteLength(payload)));
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", reject);
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const received = new Headers();
        for (const [name, value] of Object.entries(res.headers)) if (typeof value === "string") received.set(name, value);
        let json: any;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = text;
        }
        resolve({ status: res.statusCode ?? 0, json, ms: performance.now() - started, headers: received });
      });
    });
    req.on("error", reject);
    req.end(payload);
  });
}

export async function expectOk(reply: Promise<Reply>, what: string): Promise<any> {
  const r = await reply;
  if (r.status >= 300) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

/** A company with one owner (signed up through the server's outbox in `dataDir`) and a few customers, created over HTTP. */
export async function seedCompany(base: string, dataDir: string, label: string, customers = 3) {
  const email = `${label}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.fr`.toLowerCase();
  const { token } = await signUpThroughMail((url, body) => api(base, "POST", url, { body }), dataDir, { email, password: "correct horse battery", name: label });
  const company = await expectOk(
    api(base, "POST", "/companies", {
      token,
      body: {
        name: `${label} SARL`,
        siren: "853904811",
        vatNumber: "FR26853904811",
        address: { line1: "14 rue des Tanneurs", postalCode: "69002", city: "Lyon", country: "FR" },
        fiscalYearStart: "01-01",
      },
    }),
    "company",
  );
  const customerIds: string[] = [];
  for (let i = 0; i < customers; i++) {
    const c = await expectOk(api(base, "POST", `/companies/${company.id}/customers`, { token, body: { name: `Client ${i + 1}`, address: "3 place des Terreaux, 69001 Lyon" } }), "customer");
    customerIds.push(c.id);
  }
  return { token, email, companyId: company.id as string, customerIds };
}

/** A small seeded generator so a failing run can be replayed (the seed is printed). */
export function rng(seed: number) {
  let s = seed >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
  return { next, int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)), pick: <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)]! };
}

export const RATES = [2000, 1000, 550, 210] as const;

export function randomLines(r: ReturnType<typeof rng>) {
  return Array.from({ length: r.int(1, 3) }, (_, i) => ({
    description: `Prestation ${i + 1}`,
    quantity: r.pick(["1", "2", "0.5", "3.25", "12"]),
    unitPriceCents: r.int(100, 250_000),
    vatRateBp: r.pick(RATES),
    kind: r.pick(["goods", "services"] as const),
  }));
}

export function percentile(sortedMs: number[], p: number): number {
  if (sortedMs.length === 0) return NaN;
  const index = Math.min(sortedMs.length - 1, Math.ceil((p / 100) * sortedMs.length) - 1);
  return sortedMs[Math.max(0, index)]!;
}

/** Every page of a `{ items, nextCursor }` list. */
export async function allPages(base: string, token: string, route: string, limit = 1000): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | null = null;
  do {
    const sep = route.includes("?") ? "&" : "?";
    const page: any = await expectOk(api(base, "GET", `${route}${sep}limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ""}`, { token }), `list ${route}`);
    items.push(...page.items);
    cursor = page.nextCursor ?? null;
  } while (cursor);
  return items;
}

/** Numbers per series must be exactly 1..n: no gap, no duplicate. Returns the problems found. */
export function numberingProblems(numbers: string[]): string[] {
  const bySeries = new Map<string, number[]>();
  for (const n of numbers) {
    const m = /^(.+)-(\d+)$/.exec(n);
    if (!m) return [`unparseable number ${n}`];
    const list = bySeries.get(m[1]!) ?? [];
    list.push(Number(m[2]));
    bySeries.set(m[1]!, list);
  }
  const problems: string[] = [];
  for (const [series, counters] of bySeries) {
    counters.sort((a, b) => a - b);
    counters.forEach((c, i) => {
      if (c !== i + 1) problems.push(`${series}: position ${i + 1} holds ${c}`);
    });
  }
  return problems;
}

export async function hasRoute(base: string, method: string, template: string): Promise<boolean> {
  const doc: any = await (await fetch(`${base}/openapi.json`)).json();
  return Boolean(doc.paths?.[template]?.[method.toLowerCase()]);
}

/** Every accounting entry must balance: Σ debit = Σ credit (only once the entries route exists). */
export async function unbalancedEntries(base: string, token: string, companyId: string): Promise<{ checked: number; problems: string[] } | null> {
  if (!(await hasRoute(base, "get", "/api/v1/companies/{companyId}/entries"))) return null;
  const entries = await allPages(base, token, `/companies/${companyId}/entries`, 1000);
  const problems: string[] = [];
  for (const e of entries) {
    const lines: { debitCents: number; creditCents: number }[] = e.lines ?? [];
    const debit = lines.reduce((s, l) => s + l.debitCents, 0);
    const credit = lines.reduce((s, l) => s + l.creditCents, 0);
    if (debit !== credit || lines.length < 2) problems.push(`${e.journalCode} ${e.entryNumber}: debit ${debit} ≠ credit ${credit}`);
  }
  return { checked: entries.length, problems };
}
