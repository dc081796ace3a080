/**
 * Crash safety: a real server under concurrent issuing and payment load is killed with SIGKILL at a
 * random moment, several times over the same data directory. After each restart every write the
 * server acknowledged (2xx) is still there, numbering has no gap and no duplicate, the hash chains
 * verify and every accounting entry balances. On SQLite and on PostgreSQL.
 */
import { afterAll, describe, expect, it } from "vitest";
import { rng, seedCompany, sleep, startServer, stopServer, tempDir } from "./support.js";
import { acknowledged, client, finalWrites, verifyAcknowledged } from "./acknowledged-writes.js";
import { postgresInstallation, startPostgresCluster, type PostgresCluster } from "./postgres-cluster.js";
import fs from "node:fs";

const ROUNDS = Number(process.env.RELIABILITY_CRASH_ROUNDS ?? 3);
const WORKERS = 8;
const SEED = Number(process.env.RELIABILITY_SEED ?? Date.now() % 1_000_000);
/** A first start on PostgreSQL migrates a new database, statement by statement: slow on a loaded machine. */
const START_WITHIN_MS = 90_000;

/**
 * SQLite (a file in the data directory), and PostgreSQL (a server of the test's own, which keeps
 * running while the API process is killed) where an installation is found; CI installs one, and
 * there a missing installation fails the run rather than leaving PostgreSQL out.
 */
const engines = ["SQLite", ...(postgresInstallation() || process.env.CI ? ["PostgreSQL"] : [])];

describe.each(engines)("crash on %s: SIGKILL under concurrent writes", (engine) => {
  const dataDir = tempDir("crash");
  let cluster: PostgresCluster | undefined;
  afterAll(() => {
    cluster?.destroy();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it(`keeps every acknowledged write, numbering and chains across ${ROUNDS} kills (seed ${SEED})`, { timeout: 400_000 }, async () => {
    const env: Record<string, string> = {};
    if (engine === "PostgreSQL") {
      const bin = postgresInstallation();
      if (!bin) throw new Error("no PostgreSQL installation (initdb, pg_ctl) found: CI must install postgresql");
      cluster = await startPostgresCluster(bin);
      env.PASSERELLE_DATABASE_URL = cluster.url;
    }
    const r = rng(SEED);
    let server = await startServer(dataDir, env, { withinMs: START_WITHIN_MS });
    const { token, companyId, customerIds } = await seedCompany(server.url, dataDir, "Crash");
    const ack = acknowledged();
    const unexpected: string[] = [];
    const report: string[] = [];

    for (let round = 1; round <= ROUNDS; round++) {
      const before = finalWrites(ack);
      const issuedBefore = ack.issued.size;
      const clients = Array.from({ length: WORKERS }, (_, w) => client(server.url, token, companyId, customerIds, SEED * 100 + round * 10 + w, ack, unexpected));
      // some writes acknowledged first (PostgreSQL's are slower on a loaded machine), then a random moment
      for (const waitUntil = Date.now() + 60_000; ack.issued.size - issuedBefore < 3 && Date.now() < waitUntil; ) await sleep(50);
      const killAfter = r.int(300, 2500);
      await sleep(killAfter);
      server.child.kill("SIGKILL");
      const exit = await server.exited;
      expect(exit.signal).toBe("SIGKILL");
      await Promise.all(clients);

      server = await startServer(dataDir, env, { withinMs: START_WITHIN_MS });
      const counts = await verifyAcknowledged(server.url, token, companyId, ack);
      report.push(
        `round ${round}: killed after ${killAfter} ms, ${finalWrites(ack) - before} acknowledged final writes in the round; ` +
          `after restart ${counts.issued} numbered documents, ${counts.payments} payments${counts.entries === null ? "" : `, ${counts.entries} entries balanced`}`,
      );
    }
    await stopServer(server);
    console.log(`[reliability] crash on ${engine} (seed ${SEED}, ${WORKERS} concurrent clients)\n  ${report.join("\n  ")}`);
    expect(unexpected).toEqual([]);
    expect(ack.issued.size).toBeGreaterThanOrEqual(ROUNDS * 3);
    expect(ack.payments.size).toBeGreaterThan(0);
  });
});
