/**
 * Load: 200 concurrent clients on loopback mix reads and writes against a real server for a bounded
 * time (RELIABILITY_LOAD_SECONDS, 8 s here, 30 s for the figures in the README). No answer may be an
 * error other than the deliberate ones (409 conflicts such as paying more than is due, 429), and the
 * books must still verify afterwards. Latency percentiles are printed.
 */
import fs from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { api, connectedClient, hasRoute, numberingProblems, allPages, percentile, randomLines, rng, seedCompany, startServer, stopServer, tempDir, unbalancedEntries } from "./support.js";

const SECONDS = Number(process.env.RELIABILITY_LOAD_SECONDS ?? 8);
const CLIENTS = Number(process.env.RELIABILITY_LOAD_CLIENTS ?? 200);
const COMPANIES = 10;

type Kind = "read" | "write";

describe("load: 200 concurrent clients", () => {
  const dataDir = tempDir("load");
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it(`${CLIENTS} clients for ${SECONDS} s: only deliberate 409/429 errors, books still valid`, { timeout: 60_000 + SECONDS * 3000 }, async () => {
    const server = await startServer(dataDir);
    const base = server.url;
    type Company = Awaited<ReturnType<typeof seedCompany>> & { issued: { id: string; ttcCents: number; issueDate: string }[] };
    const companies: Company[] = [];
    for (let i = 0; i < COMPANIES; i++) companies.push({ ...(await seedCompany(base, dataDir, `Charge${i}`)), issued: [] as { id: string; ttcCents: number; issueDate: string }[] });
    const journal = await hasRoute(base, "get", "/api/v1/companies/{companyId}/sales-journal");
    const changes = await hasRoute(base, "get", "/api/v1/companies/{companyId}/changes");

    const latencies: Record<Kind, number[]> = { read: [], write: [] };
    const byWhat = new Map<string, number[]>();
    const statuses = new Map<number, number>();
    const errors: string[] = [];
    let deadline = Infinity;

    const record = (kind: Kind, what: string, r: { status: number; ms: number; json: any }) => {
      latencies[kind].push(r.ms);
      byWhat.set(what, [...(byWhat.get(what) ?? []), r.ms]);
      statuses.set(r.status, (statuses.get(r.status) ?? 0) + 1);
      if (r.status >= 400 && r.status !== 409 && r.status !== 429) errors.push(`${what}: ${r.status} ${JSON.stringify(r.json).slice(0, 200)}`);
      return r;
    };

    // Every client connects first (one keep-alive connection each); the clock starts once all are in.
    const connections = Array.from({ length: CLIENTS }, () => connectedClient(base));
    await Promise.all(connections.map((conn, n) => conn.call("GET", "/me", { token: companies[n % COMPANIES]!.token })));
    deadline = Date.now() + SECONDS * 1000;

    async function client(n: number) {
      const r = rng(4242 + n);
      const c = companies[n % COMPANIES]!;
      const conn = connections[n]!;
      const route = (p: string) => `/companies/${c.companyId}${p}`;
      while (Date.now() < deadline) {
        const roll = r.next();
        try {
          if (roll < 0.3) record("read", "invoices", await conn.call("GET", route("/invoices?limit=50"), { token: c.token }));
          else if (roll < 0.45 && c.issued.length) record("read", "invoice", await conn.call("GET", route(`/invoices/${r.pick(c.issued).id}`), { token: c.token }));
          else if (roll < 0.55) record("read", "journal", await conn.call("GET", journal ? route("/sales-journal?limit=100") : route("/payments?limit=100"), { token: c.token }));
          else if (roll < 0.62) record("read", "changes", await conn.call("GET", changes ? route("/changes?since=0") : route("/customers"), { token: c.token }));
          else if (roll < 0.85) {
            const draft = record("write", "draft", await conn.call("POST", route("/invoices"), { token: c.token, body: { customerId: r.pick(c.customerIds), lines: randomLines(r) } }));
            if (draft.status !== 201) continue;
            const issued = record("write", "issue", await conn.call("POST", route(`/invoices/${draft.json.id}/issue`), { token: c.token, body: {} }));
            if (issued.status === 200) c.issued.push({ id: issued.json.id, ttcCents: issued.json.totals.ttcCents, issueDate: issued.json.issueDate });
          } else if (c.issued.length) {
            const inv = r.pick(c.issued);
            // often more than is still due when clients race on one invoice: the deliberate 409
            const amountCents = r.next() < 0.5 ? inv.ttcCents : Math.max(1, Math.floor(inv.ttcCents / 2));
            record("write", "payment", await conn.call("POST", route("/payments"), { token: c.token, body: { invoiceId: inv.id, amountCents, date: inv.issueDate, method: "card" } }));
          }
        } catch (error) {
          errors.push(`client ${n}: ${(error as Error).message}`);
        }
      }
    }

    const started = performance.now();
    await Promise.all(Array.from({ length: CLIENTS }, (_, n) => client(n)));
    const elapsed = (performance.now() - started) / 1000;
    for (const conn of connections) conn.close();

    // the books after the storm
    const verified: string[] = [];
    for (const c of companies) {
      const integrity = await api(base, "GET", `/companies/${c.companyId}/integrity`, { token: c.token });
      if (!integrity.json?.ok) verified.push(`${c.companyId}: ${JSON.stringify(integrity.json).slice(0, 300)}`);
      const numbers = (await allPages(base, c.token, `/companies/${c.companyId}/invoices`)).filter((i) => i.number).map((i) => i.number as string);
      verified.push(...numberingProblems(numbers));
      const entries = await unbalancedEntries(base, c.token, c.companyId);
      if (entries) verified.push(...entries.problems);
    }
    await stopServer(server);

    const all = [...latencies.read, ...latencies.write].sort((a, b) => a - b);
    const line = (label: string, xs: number[]) => {
      const s = [...xs].sort((a, b) => a - b);
      return `${label}: ${s.length} requests, p50 ${percentile(s, 50).toFixed(1)} ms, p95 ${percentile(s, 95).toFixed(1)} ms, p99 ${percentile(s, 99).toFixed(1)} ms, max ${s.at(-1)?.toFixed(1)} ms`;
    };
    console.log(
      [
        `[reliability] load: ${CLIENTS} concurrent clients, ${elapsed.toFixed(1)} s, ${all.length} requests (${(all.length / elapsed).toFixed(0)} req/s), ${companies.reduce((n, c) => n + c.issued.length, 0)} invoices issued`,
        `  ${line("all", all)}`,
        `  ${line("reads", latencies.read)}`,
        `  ${line("writes", latencies.write)}`,
        ...[...byWhat].map(([what, xs]) => `  ${line(what, xs)}`),
        `  statuses: ${[...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(" ")}`,
      ].join("\n"),
    );
    expect(errors.slice(0, 20)).toEqual([]);
    expect(verified).toEqual([]);
    expect(latencies.write.length).toBeGreaterThan(0);
    expect(latencies.read.length).toBeGreaterThan(0);
  });
});
