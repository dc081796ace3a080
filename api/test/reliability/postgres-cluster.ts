/**
 * A PostgreSQL server of the test's own (initdb in a temporary folder, its own port): the fault
 * suites stop it, kill it and start it again without touching the machine's shared cluster, which
 * other tests use at the same time.
 *
 * PostgreSQL refuses to run as root (initdb and postgres both): where the tests run as root (here
 * and in CI) the cluster belongs to the `postgres` account the Debian packages create, or to
 * `nobody` without it, and its commands run through `runuser`. Where no PostgreSQL installation is
 * found (postgresInstallation() is undefined) the suites that need one are not part of the run
 * (vitest.config.ts), as the deployment test without Caddy.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { freePort } from "./support.js";

/** The folder of PostgreSQL's programs (initdb, pg_ctl): PASSERELLE_TEST_PG_BIN, the newest of /usr/lib/postgresql/N/bin, or initdb on the PATH. */
export function postgresInstallation(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const has = (dir: string) => fs.existsSync(path.join(dir, "initdb")) && fs.existsSync(path.join(dir, "pg_ctl"));
  if (env.PASSERELLE_TEST_PG_BIN) return has(env.PASSERELLE_TEST_PG_BIN) ? env.PASSERELLE_TEST_PG_BIN : undefined;
  const debian = "/usr/lib/postgresql";
  const versions = fs.existsSync(debian) ? fs.readdirSync(debian).filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) if (has(path.join(debian, version, "bin"))) return path.join(debian, version, "bin");
  return (env.PATH ?? "").split(path.delimiter).find((dir) => dir !== "" && has(dir));
}

/** The account the cluster runs as: the current one, or when that is root `postgres` (else `nobody`). */
function clusterOwner(): string | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const known = (name: string) => spawnSync("id", ["-u", name]).status === 0;
  return known("postgres") ? "postgres" : "nobody";
}

export interface PostgresCluster {
  /** `postgres://passerelle@127.0.0.1:PORT/postgres` (trust authentication, database in C.UTF-8 as Passerelle requires). */
  url: string;
  port: number;
  /** postmaster.pid: the server's process id on its first line. */
  pidFile: string;
  /** `pg_ctl stop` in `mode` (`immediate`: as a crash, `pg_ctlcluster … stop -m immediate`). */
  stop(mode?: "immediate" | "fast" | "smart"): void;
  /** Starts the stopped server and waits until it accepts connections (after crash recovery). */
  start(): void;
  /**
   * `stop` and `start` without holding up the test's process: its HTTP clients go on asking while
   * the server stops or recovers (which takes seconds when the disk is busy), instead of finding,
   * after a wait of this process, the kept-alive connections the API closed as idle meanwhile.
   */
  stopAsync(mode?: "immediate" | "fast" | "smart"): Promise<void>;
  startAsync(): Promise<void>;
  /** The server's log (crash recovery, refused connections). */
  log(): string;
  /** Stops the server and removes its folder. */
  destroy(): void;
}

/** Makes and starts a new cluster; `bin` is postgresInstallation()'s folder. */
export async function startPostgresCluster(bin: string, settings: Record<string, string> = {}): Promise<PostgresCluster> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-pg-"));
  const owner = clusterOwner();
  if (owner) execFileSync("chown", [owner, root]);
  const data = path.join(root, "data");
  const logFile = path.join(root, "server.log");
  const run = (program: string, args: string[]) => {
    const [command, argv] = owner ? ["runuser", ["-u", owner, "--", path.join(bin, program), ...args]] : [path.join(bin, program), args];
    const result = spawnSync(command, argv, { encoding: "utf8", timeout: 120_000 });
    if (result.status !== 0) throw new Error(`${program} ${args.join(" ")} failed (${result.status ?? result.signal}):\n${result.stdout}${result.stderr}${fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : ""}`);
  };
  /** As `run`, without holding up this process's event loop (its HTTP clients go on meanwhile). */
  const runAsync = (program: string, args: string[]) =>
    new Promise<void>((resolve, reject) => {
      const [command, argv] = owner ? ["runuser", ["-u", owner, "--", path.join(bin, program), ...args]] : [path.join(bin, program), args];
      const child = spawn(command, argv, { stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 });
      let output = "";
      child.stdout.on("data", (d) => (output += d));
      child.stderr.on("data", (d) => (output += d));
      child.once("error", reject);
      child.once("close", (code, signal) =>
        code === 0 ? resolve() : reject(new Error(`${program} ${args.join(" ")} failed (${code ?? signal}):\n${output}${fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : ""}`)),
      );
    });
  run("initdb", ["-D", data, "-A", "trust", "-U", "passerelle", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
  const port = await freePort();
  const options = ["-p", String(port), "-k", root, "-c", "listen_addresses=127.0.0.1", ...Object.entries(settings).flatMap(([k, v]) => ["-c", `${k}=${v}`])].join(" ");
  const startArgs = ["-D", data, "-o", options, "-l", logFile, "-w", "-t", "120", "start"];
  const start = () => run("pg_ctl", startArgs);
  start();
  let running = true;
  return {
    url: `postgres://passerelle@127.0.0.1:${port}/postgres`,
    port,
    pidFile: path.join(data, "postmaster.pid"),
    stop(mode = "fast") {
      run("pg_ctl", ["-D", data, "-m", mode, "-w", "stop"]);
      running = false;
    },
    start() {
      start();
      running = true;
    },
    async stopAsync(mode = "fast") {
      await runAsync("pg_ctl", ["-D", data, "-m", mode, "-w", "stop"]);
      running = false;
    },
    async startAsync() {
      await runAsync("pg_ctl", startArgs);
      running = true;
    },
    log: () => (fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : ""),
    destroy() {
      if (running) {
        try {
          run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
        } catch {
          // already gone
        }
      }
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
