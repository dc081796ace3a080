/**
 * What `npm start` runs: the server bundled by scripts/build.mjs (no TypeScript loader). Built here
 * into a file of its own, started on an empty data folder as a user would: it creates the database
 * (every migration found from the bundle), loads the demo, prints where everything is, and serves
 * the API, its docs, a streamed export and an invoice PDF (made by the bundled render worker) — with
 * less memory than the same server under tsx.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { checkFec } from "../fec-check.js";
import { API_DIR, startServer, stopServer, tempDir, type ServerProcess } from "./support.js";

const rss = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"))![1]) * 1024;
const MB = 1024 * 1024;

describe("the bundled server (npm start)", () => {
  const bundle = path.join(API_DIR, "dist", `server.test-${process.pid}.mjs`);
  const dirs: string[] = [];
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => stopServer(s)));
    const worker = bundle.replace(/\.mjs$/, ".render-worker.mjs");
    for (const f of [bundle, `${bundle}.map`, worker, `${worker}.map`]) fs.rmSync(f, { force: true });
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  it("starts on an empty folder with the demo and serves the API, its docs, a FEC and an invoice PDF; idle, it weighs less than under tsx", { timeout: 120_000 }, async () => {
    execFileSync(process.execPath, ["scripts/build.mjs", bundle], { cwd: API_DIR, stdio: "pipe" });
    expect(fs.statSync(bundle).size).toBeGreaterThan(100_000);

    const dataDir = tempDir("bundle");
    dirs.push(dataDir);
    const server = await startServer(dataDir, { PASSERELLE_DEMO: "1" }, { bundle });
    servers.push(server);
    const banner = server.output();
    expect(banner).toContain(`Passerelle is running — ${server.url}`);
    expect(banner).toContain(`Database   ${path.join(dataDir, "passerelle.db")}`);
    expect(banner).toMatch(/Demo owner {7}owner@demo\.passerelle\.fr \/ demo-passerelle-2026/);

    const docs = await fetch(`${server.url}/openapi.json`);
    expect(docs.status).toBe(200);
    expect(Object.keys(((await docs.json()) as { paths: object }).paths).length).toBeGreaterThan(50);

    const login = await fetch(`${server.url}/api/v1/auth/login`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "comptable@demo.passerelle.fr", password: "comptable-passerelle-2026" }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const auth = { authorization: `Bearer ${token}` };
    const companies = (await (await fetch(`${server.url}/api/v1/companies`, { headers: auth })).json()) as { items: { id: string; name: string }[] };
    const company = companies.items.find((c) => c.name === "Maison Lumière SARL")!;
    const integrity = (await (await fetch(`${server.url}/api/v1/companies/${company.id}/integrity`, { headers: auth })).json()) as { ok: boolean };
    expect(integrity.ok).toBe(true);

    const fec = await fetch(`${server.url}/api/v1/companies/${company.id}/exports/fec?from=2026-01-01&to=2026-11-20`, { headers: auth });
    expect(fec.status).toBe(200);
    const checked = checkFec(new Uint8Array(await fec.arrayBuffer()));
    expect(checked.entries).toBeGreaterThan(500);

    const invoices = (await (await fetch(`${server.url}/api/v1/companies/${company.id}/invoices?limit=1`, { headers: auth })).json()) as { items: { id: string; number: string }[] };
    const pdf = await fetch(`${server.url}/api/v1/companies/${company.id}/invoices/${invoices.items[0]!.id}/pdf`, { headers: auth });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    const bytes = Buffer.from(await pdf.arrayBuffer());
    expect(bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    expect(bytes.toString("latin1")).toContain(`Facture ${invoices.items[0]!.number}`);

    // idle after start-up on an empty folder, against the same server from its sources under tsx
    const idle: number[] = [];
    for (const options of [{ bundle }, {}]) {
      const dir = tempDir("bundle-idle");
      dirs.push(dir);
      const started = await startServer(dir, {}, options);
      servers.push(started);
      await new Promise((resolve) => setTimeout(resolve, 500));
      idle.push(rss(started.child.pid!));
      await stopServer(started);
    }
    console.log(`idle server after start-up: bundled ${(idle[0]! / MB).toFixed(0)} MB, from sources under tsx ${(idle[1]! / MB).toFixed(0)} MB`);
    expect(idle[0]).toBeLessThan(idle[1]!);
  });
});
