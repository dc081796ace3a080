/**
 * The production deployment of docs/operations.md, end to end: Caddy running deploy/passerelle.caddy
 * with its internal CA in front of two API processes (the bundle `npm start` runs) on one data
 * folder, configured by deploy/passerelle.env. Through Caddy, over TLS: sign in, issue an invoice
 * and see its event arrive on the open event stream, load the add-in manifest, find the real client
 * address in the rate limits, keep serving when one process dies. Part of `npm test` where `caddy`
 * and `systemd-analyze` are on PATH (vitest.config.ts); .ci/run installs both.
 */
import { execFileSync, spawn, spawnSync, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http, { type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import https from "node:https";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_COMPANY } from "../../src/demo/seed.js";
import { HSTS } from "../../src/http/security-headers.js";
import { API_DIR, freePort, sleep, startServer, stopServer, tempDir, type ServerProcess } from "./support.js";

const DEPLOY = path.resolve(API_DIR, "..", "deploy");
const OWNER = { email: "owner@demo.passerelle.fr", password: "demo-passerelle-2026" };

/** KEY=VALUE lines of an environment file, as systemd reads this one. */
function environmentFile(file: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    const m = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line.trim());
    if (m) env[m[1]!] = m[2]!;
  }
  return env;
}

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

let caddy: ChildProcess;
let caddyLog = "";
let port: number;
let ca: Buffer;
const servers: ServerProcess[] = [];
const dirs: string[] = [];
let bundle: string;
let production: Record<string, string>;

/** One HTTPS request to Caddy from a given loopback address (127.0.0.x: a different client each). */
function request(method: string, route: string, init: { from?: string; headers?: Record<string, string>; body?: unknown; port?: number; tls?: boolean } = {}): Promise<Answer> {
  const body = init.body === undefined ? undefined : JSON.stringify(init.body);
  const headers: Record<string, string> = { host: `localhost:${init.port ?? port}`, ...init.headers };
  if (body !== undefined) (headers["content-type"] = "application/json"), (headers["content-length"] = String(Buffer.byteLength(body)));
  const options = { host: "127.0.0.1", port: init.port ?? port, path: route, method, headers, localAddress: init.from ?? "127.0.0.1" };
  return new Promise((resolve, reject) => {
    const onResponse = (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") }));
      res.on("error", reject);
    };
    const req = init.tls === false ? http.request(options, onResponse) : https.request({ ...options, ca, servername: "localhost" }, onResponse);
    req.on("error", reject);
    req.end(body);
  });
}

async function json(method: string, route: string, token: string, body?: unknown) {
  const res = await request(method, `/api/v1${route}`, { headers: { authorization: `Bearer ${token}` }, body });
  if (res.status >= 300) throw new Error(`${method} ${route}: ${res.status} ${res.text}`);
  return res.text ? JSON.parse(res.text) : undefined;
}

beforeAll(async () => {
  production = environmentFile(path.join(DEPLOY, "passerelle.env"));
  bundle = path.join(API_DIR, "dist", `server.deploy-${process.pid}.mjs`);
  execFileSync(process.execPath, ["scripts/build.mjs", bundle], { cwd: API_DIR, stdio: "pipe" });

  port = await freePort();
  const dataDir = tempDir("deploy-data");
  const caddyHome = tempDir("deploy-caddy");
  dirs.push(dataDir, caddyHome);
  fs.chmodSync(dataDir, 0o700);

  // deploy/passerelle.env as it is, but for this machine's folder and address; the first process loads the demo
  const env = { ...production, PASSERELLE_DATA: dataDir, PUBLIC_URL: `https://localhost:${port}`, LOGIN_ATTEMPTS: "3" };
  servers.push(await startServer(dataDir, { ...env, PASSERELLE_DEMO: "1" }, { bundle }));
  servers.push(await startServer(dataDir, env, { bundle }));

  const caddyfile = path.join(caddyHome, "Caddyfile");
  fs.writeFileSync(
    caddyfile,
    `{
	admin off
	skip_install_trust
	auto_https disable_redirects
	grace_period 5s
	http_port ${await freePort()}
	https_port ${port}
	storage file_system ${path.join(caddyHome, "data")}
}
https://localhost:${port} {
	tls internal
	import ${path.join(DEPLOY, "passerelle.caddy")}
}
`,
  );
  caddy = spawn("caddy", ["run", "--config", caddyfile, "--adapter", "caddyfile"], {
    cwd: caddyHome,
    env: {
      ...process.env,
      HOME: caddyHome,
      XDG_DATA_HOME: path.join(caddyHome, "xdg-data"),
      XDG_CONFIG_HOME: path.join(caddyHome, "xdg-config"),
      PASSERELLE_UPSTREAMS: servers.map((s) => new URL(s.url).host).join(" "),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  caddy.stdout!.on("data", (d) => (caddyLog += d));
  caddy.stderr!.on("data", (d) => (caddyLog += d));

  const root = path.join(caddyHome, "data", "pki", "authorities", "local", "root.crt");
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (caddy.exitCode !== null) throw new Error(`caddy exited:\n${caddyLog}`);
    if (fs.existsSync(root)) {
      ca = fs.readFileSync(root);
      const health = await request("GET", "/health").catch(() => null);
      if (health?.status === 200) break;
    }
    if (Date.now() > deadline) throw new Error(`caddy did not answer within 30 s:\n${caddyLog}`);
    await sleep(100);
  }
}, 120_000);

/** SIGTERM, as systemd stops a unit; SIGKILL after `ms`. Resolves with how the process ended. */
async function terminate(child: ChildProcess, ms: number): Promise<{ signal: NodeJS.Signals | null; forced: boolean }> {
  if (child.exitCode !== null || child.signalCode !== null) return { signal: child.signalCode, forced: false };
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once("exit", (_code, signal) => resolve(signal)));
  child.kill("SIGTERM");
  const timer = new Promise<"timeout">((resolve) => setTimeout(resolve, ms, "timeout"));
  if ((await Promise.race([exited, timer])) !== "timeout") return { signal: await exited, forced: false };
  child.kill("SIGKILL");
  return { signal: await exited, forced: true };
}

afterAll(async () => {
  // whatever the stop test left running, never longer than a few seconds each
  await Promise.all([caddy, ...servers.map((s) => s.child)].filter(Boolean).map((child) => terminate(child, 5_000)));
  for (const f of [bundle, `${bundle}.map`, bundle?.replace(/\.mjs$/, ".render-worker.mjs"), bundle?.replace(/\.mjs$/, ".render-worker.mjs.map")]) if (f) fs.rmSync(f, { force: true });
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
}, 30_000);

describe("Passerelle behind Caddy (deploy/)", () => {
  it("serves over TLS from Caddy's CA, with HSTS and the page policies, and tells the API the request was https", async () => {
    const docs = await request("GET", "/docs");
    expect(docs.status).toBe(200);
    expect(docs.headers["strict-transport-security"]).toBe(HSTS);
    expect(docs.headers["content-security-policy"]).toMatch(/^default-src 'none'; style-src 'sha256-[A-Za-z0-9+/=]{44}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'$/);
    expect(docs.headers["x-content-type-options"]).toBe("nosniff");
    // the same page from a process directly, on plain HTTP: no HSTS
    const direct = await request("GET", "/docs", { port: Number(new URL(servers[0]!.url).port), tls: false });
    expect([direct.status, direct.headers["strict-transport-security"]]).toEqual([200, undefined]);
    const openapi = JSON.parse((await request("GET", "/openapi.json")).text);
    expect(openapi.servers).toEqual([{ url: `https://localhost:${port}` }]);
    // JSON is compressed on the way out for clients that ask
    expect((await request("GET", "/openapi.json", { headers: { "accept-encoding": "gzip" } })).headers["content-encoding"]).toBe("gzip");
  });

  it("signs in, issues an invoice, and the open event stream gets its event at once — nothing held back on the way", async () => {
    const login = await request("POST", "/api/v1/auth/login", { body: OWNER, from: "127.0.0.2" });
    expect(login.status).toBe(200);
    const token = JSON.parse(login.text).token as string;
    const me = await json("GET", "/me", token);
    const company = me.memberships.find((m: { companyName: string }) => m.companyName === DEMO_COMPANY.name);
    const customers = await json("GET", `/companies/${company.companyId}/customers?limit=1`, token);

    // the stream, from the same client (so on the same process), asking for compression as browsers do
    const events: { at: number; text: string }[] = [];
    let encoding: string | undefined;
    let connected!: () => void;
    const ready = new Promise<void>((resolve) => (connected = resolve));
    const stream = https.request(
      {
        host: "127.0.0.1",
        port,
        path: `/api/v1/companies/${company.companyId}/events`,
        headers: { host: `localhost:${port}`, authorization: `Bearer ${token}`, accept: "text/event-stream", "accept-encoding": "gzip" },
        localAddress: "127.0.0.2",
        ca,
        servername: "localhost",
      },
      (res) => {
        expect(res.statusCode).toBe(200);
        expect(res.headers["content-type"]).toMatch(/^text\/event-stream/);
        encoding = res.headers["content-encoding"];
        res.on("data", (chunk: Buffer) => {
          const text = chunk.toString("utf8");
          if (text.includes(": connected to")) connected();
          events.push({ at: performance.now(), text });
        });
        res.on("error", () => {});
      },
    );
    stream.on("error", () => {});
    stream.end();
    await ready;

    const draft = await json("POST", `/companies/${company.companyId}/invoices`, token, {
      customerId: customers.items[0].id,
      lines: [{ description: "Installation", quantity: "1", unitPriceCents: 120_000, vatRateBp: 2000 }],
    });
    const sent = performance.now();
    const issued = await request("POST", `/api/v1/companies/${company.companyId}/invoices/${draft.id}/issue`, {
      headers: { authorization: `Bearer ${token}` },
      body: {},
      from: "127.0.0.2",
    });
    expect(issued.status).toBe(200);
    const deadline = sent + 1_000;
    let event: { at: number; text: string } | undefined;
    while (!event && performance.now() < deadline) {
      event = events.find((e) => e.text.includes(`"id":"${draft.id}"`) && e.text.includes('"action":"invoice.issued"'));
      if (!event) await sleep(5);
    }
    stream.destroy();
    expect(event, "the invoice.issued event within 1 s of issuing").toBeDefined();
    console.log(`event stream through Caddy: invoice.issued arrived ${(event!.at - sent).toFixed(0)} ms after the issue request was sent`);
    expect(event!.text).toMatch(/^event: change\ndata: \{"seq":(\d+),"kind":"invoice","id":"[^"]+","action":"invoice.issued","at":"[^"]+"\}\nid: \1\n/m);
    // Caddy's `encode` leaves event streams as they are: no compressor to hold events back
    expect(encoding).toBeUndefined();
  });

  it("hands out the add-in manifest with every address on https under this server", async () => {
    const manifest = await request("GET", "/addin/manifest.xml");
    expect(manifest.status).toBe(200);
    const urls = [...manifest.text.matchAll(/DefaultValue="(\w+:\/\/[^"]*)"/g)].map((m) => m[1]!);
    const here = `https://localhost:${port}/addin/`;
    expect(urls.length).toBe(11);
    expect(urls.filter((u) => !u.startsWith(here))).toEqual([]);
    // the only http:// left are XML namespace names, never fetched
    expect([...manifest.text.matchAll(/"http:\/\/[^"]*"/g)].map((m) => m[0]).every((u) => u.startsWith('"http://schemas.microsoft.com/') || u === '"http://www.w3.org/2001/XMLSchema-instance"')).toBe(true);
  });

  it("the rate limits see each client's own address through Caddy, and a forged X-Forwarded-For changes nothing", async () => {
    const lookups = async (from: string, times: number, headers: Record<string, string> = {}) => {
      const statuses: number[] = [];
      for (let i = 0; i < times; i++) statuses.push((await request("GET", "/invite/no-such-invitation", { from, headers })).status);
      return statuses;
    };
    // 127.0.0.3 uses up its 3 attempts (LOGIN_ATTEMPTS); Caddy keeps it on one process
    expect(await lookups("127.0.0.3", 4)).toEqual([404, 404, 404, 429]);
    // another client behind the same proxy is not limited…
    expect(await lookups("127.0.0.4", 1)).toEqual([404]);
    // …the limited one stays limited whatever it claims to be, and cannot pass its limit to another
    expect(await lookups("127.0.0.3", 1, { "x-forwarded-for": "127.0.0.4" })).toEqual([429]);
    expect(await lookups("127.0.0.4", 1, { "x-forwarded-for": "127.0.0.3" })).toEqual([404]);
    // straight to the processes, from an address that is not a trusted proxy: the header is ignored,
    // and the one process that counted 127.0.0.3's attempts refuses it
    const direct = [];
    for (const server of servers) {
      direct.push((await request("GET", "/invite/no-such-invitation", { port: Number(new URL(server.url).port), tls: false, from: "127.0.0.3", headers: { "x-forwarded-for": "127.0.0.9" } })).status);
    }
    expect(direct.sort()).toEqual([404, 429]);
  });

  it("keeps answering when one of the two processes dies", async () => {
    const victim = servers[1]!;
    await stopServer(victim, "SIGKILL");
    const statuses = [];
    for (let i = 10; i < 30; i++) statuses.push((await request("GET", "/health", { from: `127.0.0.${i}` })).status);
    expect(statuses).toEqual(Array(20).fill(200));
  });

  it("stops on SIGTERM within 10 s, as systemd stops it: Caddy with an event stream still open, then the API process", async () => {
    // a client that never hangs up: Caddy's grace_period (deploy/Caddyfile) bounds the wait for it
    const login = await request("POST", "/api/v1/auth/login", { body: OWNER, from: "127.0.0.5" });
    const token = JSON.parse(login.text).token as string;
    const me = JSON.parse((await request("GET", "/api/v1/me", { headers: { authorization: `Bearer ${token}` }, from: "127.0.0.5" })).text);
    const opened = new Promise<void>((resolve, reject) => {
      const stream = https.request(
        { host: "127.0.0.1", port, path: `/api/v1/companies/${me.memberships[0].companyId}/events`, headers: { host: `localhost:${port}`, authorization: `Bearer ${token}`, accept: "text/event-stream" }, localAddress: "127.0.0.5", ca, servername: "localhost" },
        (res) => {
          res.on("error", () => {});
          res.once("data", () => resolve());
        },
      );
      stream.on("error", reject);
      stream.end();
    });
    await opened;
    // the production Caddyfile bounds it too (this test's 5 s keeps the suite short)
    expect(fs.readFileSync(path.join(DEPLOY, "Caddyfile"), "utf8")).toMatch(/^\tgrace_period 10s$/m);
    const proxy = await terminate(caddy, 10_000);
    expect({ forced: proxy.forced, log: proxy.forced ? caddyLog : "" }).toEqual({ forced: false, log: "" });
    const api = await terminate(servers[0]!.child, 10_000);
    expect({ ...api, log: api.forced ? servers[0]!.output() : "" }).toEqual({ signal: null, forced: false, log: "" });
    expect((await servers[0]!.exited).code).toBe(0);
  }, 30_000);
});

describe("deploy/passerelle@.service", () => {
  it("is a valid systemd unit that restarts the API as its own user, with a 0700 data folder", () => {
    // systemd checks that ExecStart's program exists: this machine's node stands in for /usr/bin/node
    const unit = fs.readFileSync(path.join(DEPLOY, "passerelle@.service"), "utf8");
    const dir = tempDir("deploy-unit");
    dirs.push(dir);
    fs.writeFileSync(path.join(dir, "passerelle@.service"), unit.replace("/usr/bin/node", process.execPath));
    const verify = spawnSync("systemd-analyze", ["verify", path.join(dir, "passerelle@8787.service")], { encoding: "utf8" });
    expect(verify.stderr + verify.stdout).toBe("");
    expect(verify.status).toBe(0);
    const settings = unit.split("\n").filter((l) => /^[A-Z]\w+=/.test(l));
    for (const expected of ["User=passerelle", "Restart=always", "StateDirectory=passerelle", "StateDirectoryMode=0700", "UMask=0077", "EnvironmentFile=/etc/passerelle/passerelle.env", "Environment=PORT=%i HOST=127.0.0.1", "ExecStart=/usr/bin/node api/dist/server.mjs"]) {
      expect(settings, expected).toContain(expected);
    }
    expect(production.PASSERELLE_DATA).toBe("/var/lib/passerelle");
    expect(production.PUBLIC_URL).toMatch(/^https:\/\//);
    expect(production.TRUSTED_PROXIES).toBe("127.0.0.1,::1");
    expect(Object.keys(production)).not.toContain("PORT");
  });
});
