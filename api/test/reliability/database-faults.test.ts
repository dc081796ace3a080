/**
 * PostgreSQL going away under a running API: stopped as in a crash (`pg_ctl stop -m immediate`, as
 * `pg_ctlcluster 15 main stop -m immediate`), or frozen (its processes stopped: a request waits for
 * an answer that does not come). Requests answer 503 problem+json with Retry-After and /health says
 * 503 while it is away; no acknowledged write is lost, none is half written; the API serves again by
 * itself when the database is back, without a restart. On a server of the test's own
 * (postgres-cluster.ts): stopping the machine's shared one would break the tests running beside.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from "vitest";
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import { httpCall, seedCompany, sleep, startServer, stopServer, tempDir, type Reply, type ServerProcess } from "./support.js";
import { acknowledged, client, finalWrites, verifyAcknowledged } from "./acknowledged-writes.js";
import { postgresInstallation, startPostgresCluster, type PostgresCluster } from "./postgres-cluster.js";
import { PostgresDatabase } from "../../src/db/postgres/database.js";
import { DatabaseUnavailableError } from "../../src/db/postgres/channel.js";

const WORKERS = 6;
const SEED = Number(process.env.RELIABILITY_SEED ?? Date.now() % 1_000_000);
const TIMEOUT_MS = 2000;
/** How long the database stays stopped at least, the clients asking all along: attempt after attempt to connect fails meanwhile. */
const AWAY_MS = 8000;
/**
 * How soon after the database accepts connections again the API must serve: its attempts to connect
 * are at most a second apart (0.4–2.9 s measured at load average 8–14); a driver's backoff grown to
 * 20 s between attempts would keep it refusing longer.
 */
const BACK_WITHIN_MS = 10_000;

/** Every 503 seen: problem+json, a Retry-After, and when it came. */
interface Unavailable {
  what: string;
  at: number;
  type: string | null;
  retryAfter: string | null;
}

const record = (into: Unavailable[]) => (what: string, reply: Reply) =>
  into.push({ what, at: Date.now(), type: reply.headers?.get("content-type") ?? null, retryAfter: reply.headers?.get("retry-after") ?? null });

/**
 * One call of the test's own, on a connection of its own closed after it: what it checks is the
 * API's answer, whatever became of the kept-alive connections the clients share (the API closes
 * those it finds idle past its keep-alive time, and one taken from the pool just then fails).
 */
function call(base: string, method: string, route: string, init: { token?: string; body?: unknown } = {}): Promise<Reply> {
  return httpCall(`${base}${route}`, method, init, false);
}

const draft = (base: string, token: string, companyId: string, customerId: string, description: string) =>
  call(base, "POST", `/api/v1/companies/${companyId}/invoices`, { token, body: { customerId, lines: [{ description, quantity: "1", unitPriceCents: 1000, vatRateBp: 2000, kind: "services" }] } });

async function health(base: string) {
  const res = await call(base, "GET", "/health");
  return { status: res.status, type: res.headers!.get("content-type"), retryAfter: res.headers!.get("retry-after") };
}

/** Waits until /health answers 200; returns how long that took. */
async function recovered(base: string, withinMs: number): Promise<number> {
  const started = Date.now();
  while (Date.now() - started < withinMs) {
    if ((await health(base)).status === 200) return Date.now() - started;
    await sleep(100);
  }
  throw new Error(`the API did not serve again within ${withinMs} ms of the database's return`);
}

/** The server's processes (postmaster first, then its children), to freeze them with SIGSTOP. */
function serverProcesses(cluster: PostgresCluster): number[] {
  const postmaster = Number(fs.readFileSync(cluster.pidFile, "utf8").split("\n")[0]);
  const children = execFileSync("pgrep", ["-P", String(postmaster)], { encoding: "utf8" }).split("\n").filter(Boolean).map(Number);
  return [postmaster, ...children];
}

describe("PostgreSQL away under load", () => {
  let cluster: PostgresCluster;
  let server: ServerProcess;
  const dataDir = tempDir("db-faults");
  let seeded: Awaited<ReturnType<typeof seedCompany>>;

  beforeAll(async () => {
    const bin = postgresInstallation();
    if (!bin) throw new Error("no PostgreSQL installation (initdb, pg_ctl) found: CI must install postgresql");
    cluster = await startPostgresCluster(bin);
    server = await startServer(dataDir, { PASSERELLE_DATABASE_URL: cluster.url, PASSERELLE_DATABASE_TIMEOUT_MS: String(TIMEOUT_MS) }, { withinMs: 90_000 });
    seeded = await seedCompany(server.url, dataDir, "Panne");
  }, 120_000);

  // a failure shows what the API and the database said (refused requests, crash recovery)
  const showLogs = () =>
    onTestFailed(() => {
      console.error(`[reliability] the API's log, its end:\n${server.output().slice(-20_000)}`);
      console.error(`[reliability] PostgreSQL's log:\n${cluster.log().slice(-10_000)}`);
    });

  afterAll(async () => {
    if (server) await stopServer(server);
    cluster?.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it(`stopped as in a crash: 503 with Retry-After while away, every acknowledged write kept, serving again by itself (seed ${SEED})`, { timeout: 180_000 }, async () => {
    showLogs();
    const { token, companyId, customerIds } = seeded;
    const ack = acknowledged();
    const unexpected: string[] = [];
    const unavailable: Unavailable[] = [];
    let stopped = false;
    const clients = Array.from({ length: WORKERS }, (_, w) =>
      client(server.url, token, companyId, customerIds, SEED * 10 + w, ack, unexpected, { unavailable: record(unavailable), stop: () => stopped }),
    );
    let beforeStop: number, stoppedAt: number, restartedAt: number, tookMs: number, resumedAt: number;
    try {
      for (const until = Date.now() + 60_000; ack.issued.size < 3 && Date.now() < until; ) await sleep(50);
      await sleep(500);
      beforeStop = finalWrites(ack);
      stoppedAt = Date.now();
      await cluster.stopAsync("immediate"); // the clients keep asking, meanwhile and after
      await sleep(1500);

      const away = await health(server.url);
      expect(away).toEqual({ status: 503, type: "application/problem+json; charset=utf-8", retryAfter: "5" });
      const refused = await draft(server.url, token, companyId, customerIds[0]!, "Pendant la panne");
      expect(refused.status).toBe(503);
      expect(refused.headers?.get("retry-after")).toBe("5");
      expect(refused.json).toMatchObject({ status: 503 });

      await sleep(stoppedAt + AWAY_MS - Date.now()); // the clients keep asking: attempt after attempt to connect
      restartedAt = Date.now();
      await cluster.startAsync(); // crash recovery: seconds when the disk is busy, the clients asking all along
      tookMs = await recovered(server.url, BACK_WITHIN_MS);
      resumedAt = Date.now();
      // the clients write again, through the same API process
      for (const until = Date.now() + 60_000; finalWrites(ack) < beforeStop + 3 && Date.now() < until; ) await sleep(50);
    } finally {
      // also when a check above failed: the next test must not find them still writing
      stopped = true;
      await Promise.all(clients);
    }

    expect(unexpected).toEqual([]);
    expect(unavailable.length).toBeGreaterThan(0);
    expect(unavailable.filter((u) => u.type !== "application/problem+json; charset=utf-8" || u.retryAfter !== "5")).toEqual([]);
    // 503 only while the database was away (and the moments its connection took to come back)
    expect(unavailable.filter((u) => u.at < stoppedAt || u.at > resumedAt + TIMEOUT_MS)).toEqual([]);
    expect(finalWrites(ack)).toBeGreaterThanOrEqual(beforeStop + 3);

    const counts = await verifyAcknowledged(server.url, token, companyId, ack);
    // nothing half written: every document has its lines and its VAT, whatever the moment it was cut
    const db = PostgresDatabase.connect(cluster.url);
    try {
      const bare = db.prepare("SELECT count(*) FROM invoices i WHERE NOT EXISTS (SELECT 1 FROM invoice_lines l WHERE l.invoice_id = i.id) OR NOT EXISTS (SELECT 1 FROM invoice_vat v WHERE v.invoice_id = i.id)").pluck().get();
      expect(bare).toBe(0);
    } finally {
      db.close();
    }
    console.log(
      `[reliability] PostgreSQL stopped (immediate) under ${WORKERS} clients (seed ${SEED}): ${beforeStop} acknowledged final writes before, ${unavailable.length} answers 503 while away, ` +
        `serving again ${tookMs} ms after the restart (${restartedAt - stoppedAt} ms away); after: ${counts.issued} numbered documents, ${counts.payments} payments, all there`,
    );
  });

  it(`frozen: a request waiting longer than PASSERELLE_DATABASE_TIMEOUT_MS (${TIMEOUT_MS} ms) gives up with 503, and the API serves again once it answers`, { timeout: 120_000 }, async () => {
    showLogs();
    const { token, companyId, customerIds } = seeded;
    const processes = serverProcesses(cluster);
    for (const pid of processes) process.kill(pid, "SIGSTOP");
    let answered: Reply;
    let waitedMs: number;
    try {
      const started = Date.now();
      answered = await draft(server.url, token, companyId, customerIds[0]!, "Gel");
      waitedMs = Date.now() - started;
    } finally {
      for (const pid of processes) process.kill(pid, "SIGCONT");
    }
    expect(answered.status).toBe(503);
    expect(answered.headers?.get("retry-after")).toBe("5");
    expect(waitedMs).toBeGreaterThanOrEqual(TIMEOUT_MS);
    const tookMs = await recovered(server.url, 20_000);
    const after = await draft(server.url, token, companyId, customerIds[0]!, "Après");
    expect(after.status).toBe(201);
    console.log(`[reliability] PostgreSQL frozen: the request gave up after ${waitedMs} ms with 503; serving again ${tookMs} ms after it thawed`);
  });
});

describe("a transaction whose connection closes", () => {
  let cluster: PostgresCluster;
  beforeAll(async () => {
    cluster = await startPostgresCluster(postgresInstallation()!);
  }, 120_000);
  afterAll(() => cluster?.destroy());

  it("is refused to its end, never finished on the next connection: neither of its rows is there", { timeout: 120_000 }, () => {
    const db = PostgresDatabase.connect(cluster.url);
    try {
      db.exec("CREATE TABLE probe (n integer NOT NULL)");
      const insert = db.prepare("INSERT INTO probe (n) VALUES (?)");
      const write = db.transaction(() => {
        insert.run(1);
        // the server restarts between two statements of the transaction
        cluster.stop("immediate");
        cluster.start();
        insert.run(2);
      });
      expect(() => write.immediate()).toThrow(DatabaseUnavailableError);
      expect(db.inTransaction).toBe(false);
      expect(db.prepare("SELECT n FROM probe ORDER BY n").pluck().all()).toEqual([]);
      // the connection serves again, and its next transaction commits whole
      db.transaction(() => {
        insert.run(3);
        insert.run(4);
      }).immediate();
      expect(db.prepare("SELECT n FROM probe ORDER BY n").pluck().all()).toEqual([3, 4]);
    } finally {
      db.close();
    }
  });

  it("cut at its COMMIT, is refused, and the connection's next transaction begins and commits whole", { timeout: 120_000 }, () => {
    const db = PostgresDatabase.connect(cluster.url);
    try {
      db.exec("CREATE TABLE probe_commit (n integer NOT NULL)");
      const insert = db.prepare("INSERT INTO probe_commit (n) VALUES (?)");
      const write = db.transaction(() => {
        insert.run(1);
        // the server restarts after the transaction's last statement: its COMMIT finds the connection gone
        cluster.stop("immediate");
        cluster.start();
      });
      expect(() => write.immediate()).toThrow(DatabaseUnavailableError);
      expect(db.inTransaction).toBe(false);
      for (const n of [2, 3]) {
        db.transaction(() => {
          insert.run(n);
          insert.run(n * 10);
        }).immediate();
      }
      expect(db.inTransaction).toBe(false);
      expect(db.prepare("SELECT n FROM probe_commit ORDER BY n").pluck().all()).toEqual([2, 3, 20, 30]);
    } finally {
      db.close();
    }
  });
});
