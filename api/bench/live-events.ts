/**
 * `node --import tsx bench/live-events.ts [--issues 200]`
 *
 * How long an invoice issued through one API process takes to reach an event stream
 * (`GET /companies/{id}/events`) open on another process of the same database, against the same
 * stream open on the process that wrote (the floor: an in-process wake-up), in the same run:
 *
 * - PostgreSQL: two processes on one database (PASSERELLE_BENCH_POSTGRES_URL, by default the local
 *   role and database made by docs/postgresql.md's steps; its schema `public` is dropped and made
 *   again). The writer's transaction announces the new sequence with `pg_notify`; every process
 *   LISTENs (src/db/change-feed.ts);
 * - SQLite: two processes on one file, for comparison: the other process's streams look at the
 *   database once a second.
 *
 * Each invoice is issued once the previous one has reached both streams; the delay is taken from
 * the moment the issue's answer arrives (the write is committed) to the event's arrival. On SQLite
 * the next issue thus follows a check of process B's stream closely: its delay is close to the
 * worst case (a whole second), not the average. The table
 * is printed and written to bench/results/live-events.md (+ .json).
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import postgres from "postgres";
import { api, expectOk, seedCompany, startServer, stopServer, tempDir, type ServerProcess } from "../test/reliability/support.js";
import { machine, ms, ratio, stats, type Stats } from "./support.js";

const URL = process.env.PASSERELLE_BENCH_POSTGRES_URL ?? "postgres://passerelle_bench:passerelle_bench@127.0.0.1:5432/passerelle_bench";
const i = process.argv.indexOf("--issues");
const ISSUES = i >= 0 ? Number(process.argv[i + 1]) : 200;
const RESULTS = path.join(path.dirname(new globalThis.URL(import.meta.url).pathname), "results");

/** An event stream of `companyId` on `base`: resolves `arrival(id)` with the time its invoice.issued came. */
function follow(base: string, token: string, companyId: string) {
  const seen = new Map<string, number>();
  const waiting = new Map<string, (at: number) => void>();
  let connected!: () => void;
  const ready = new Promise<void>((resolve) => (connected = resolve));
  const req = http.get(`${base}/api/v1/companies/${companyId}/events`, { headers: { authorization: `Bearer ${token}`, accept: "text/event-stream" } }, (res) => {
    let buffer = "";
    res.on("data", (chunk: Buffer) => {
      const at = performance.now();
      buffer += chunk.toString("utf8");
      if (buffer.includes(": connected to")) connected();
      let end: number;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const data = /^event: change\ndata: (.*)$/m.exec(buffer.slice(0, end))?.[1];
        buffer = buffer.slice(end + 2);
        if (!data) continue;
        const change = JSON.parse(data) as { id: string; action: string };
        if (change.action !== "invoice.issued") continue;
        seen.set(change.id, at);
        waiting.get(change.id)?.(at);
      }
    });
    res.on("error", () => {});
  });
  req.on("error", () => {});
  return {
    ready,
    arrival: (id: string) => new Promise<number>((resolve) => (seen.has(id) ? resolve(seen.get(id)!) : waiting.set(id, resolve))),
    close: () => req.destroy(),
  };
}

async function measure(engine: string, env: Record<string, string>): Promise<{ other: Stats; same: Stats }> {
  const dir = tempDir(`live-${engine}`);
  const servers: ServerProcess[] = [];
  try {
    for (let n = 0; n < 2; n++) servers.push(await startServer(dir, { ...env, SIGNUPS_PER_ADDRESS: "1000" }));
    const [a, b] = servers as [ServerProcess, ServerProcess];
    const owner = await seedCompany(a.url, dir, `live-${engine}`, 1);
    const onB = follow(b.url, owner.token, owner.companyId);
    const onA = follow(a.url, owner.token, owner.companyId);
    await Promise.all([onA.ready, onB.ready]);
    const other: number[] = [];
    const same: number[] = [];
    for (let n = 0; n < ISSUES + 10; n++) {
      const draft = await expectOk(
        api(a.url, "POST", `/companies/${owner.companyId}/invoices`, { token: owner.token, body: { customerId: owner.customerIds[0], lines: [{ description: "Prestation", quantity: "1", unitPriceCents: 10_000, vatRateBp: 2000 }] } }),
        "draft",
      );
      await expectOk(api(a.url, "POST", `/companies/${owner.companyId}/invoices/${draft.id}/issue`, { token: owner.token, body: {} }), "issue");
      const committed = performance.now();
      const [atB, atA] = await Promise.all([onB.arrival(draft.id), onA.arrival(draft.id)]);
      if (n < 10) continue; // warm-up
      other.push(atB - committed);
      same.push(atA - committed);
    }
    onA.close();
    onB.close();
    return { other: stats(other), same: stats(same) };
  } finally {
    await Promise.all(servers.map((s) => stopServer(s)));
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const admin = postgres(URL, { max: 1, onnotice: () => {} });
await admin.unsafe("DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public;");
await admin.end();
const load = os.loadavg()[0]!.toFixed(1);
const pg = await measure("postgres", { PASSERELLE_DATABASE_URL: URL });
const sqliteDir = tempDir("live-sqlite-db");
const lite = await measure("sqlite", { PASSERELLE_DB: path.join(sqliteDir, "passerelle.db") });
fs.rmSync(sqliteDir, { recursive: true, force: true });
const loadAfter = os.loadavg()[0]!.toFixed(1);

const line = (label: string, s: Stats, floor: Stats) => `| ${label} | ${ms(s.p50)} | ${ms(s.p99)} | ${ms(s.max)} | ${ratio(s.p50, floor.p50)} |`;
const table = [
  `# Live events across API processes (${ISSUES} invoices issued through process A, one at a time)`,
  "",
  `${Object.values(machine()).slice(0, 4).join(" · ")} · load average ${load} before, ${loadAfter} after`,
  "",
  "From the issue's answer (committed) to the `invoice.issued` event on a stream; the ratio is to the stream on the writing process (p50).",
  "",
  "| stream | p50 | p99 | max | × same process |",
  "|---|---|---|---|---|",
  line("PostgreSQL: on process B (LISTEN/NOTIFY)", pg.other, pg.same),
  line("PostgreSQL: on process A (the writer)", pg.same, pg.same),
  line("SQLite: on process B (checks once a second)", lite.other, lite.same),
  line("SQLite: on process A (the writer)", lite.same, lite.same),
  "",
].join("\n");
console.log(table);
fs.mkdirSync(RESULTS, { recursive: true });
fs.writeFileSync(path.join(RESULTS, "live-events.md"), table);
fs.writeFileSync(path.join(RESULTS, "live-events.json"), JSON.stringify({ issues: ISSUES, load: [load, loadAfter], postgres: pg, sqlite: lite }, null, 2));
