/**
 * PDFs are made off the event loop, by a bounded pool of worker threads (src/exports/render-pool.ts):
 * while heavy invoices render, the server answers everyone else at once; a render that outlives its
 * time limit is stopped and answers 503 with Retry-After, as does a render asked for while the queue
 * is full, and the server goes on answering.
 */
import fs from "node:fs";
import http from "node:http";
import { afterAll, describe, expect, it } from "vitest";
import { RenderPool } from "../../src/exports/render-pool.js";
import type { InvoicePdfModel } from "../../src/exports/invoice-pdf.js";
import { ProblemError } from "../../src/http/problem.js";
import { api, expectOk, percentile, randomLines, rng, seedCompany, sleep, startServer, stopServer, tempDir, type ServerProcess } from "./support.js";

/**
 * A draft of `lines` lines, each an unbroken run of `length` characters: random letters (nothing is
 * shaped twice: the slowest to print), or a reference repeated (pieces recur, as in real long words).
 */
async function heavyDraft(base: string, token: string, companyId: string, customerId: string, lines: number, length: number, seed: number | "repeated"): Promise<string> {
  const letters = [..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèàç"];
  const r = rng(typeof seed === "number" ? seed : 1);
  const run = (i: number) =>
    seed === "repeated" ? `REF-${i}-ABCDEFGHIJKLMNOPQRSTUVWXYZ`.repeat(Math.ceil(length / 30)).slice(0, length) : Array.from({ length }, () => r.pick(letters)).join("");
  const draft = await expectOk(
    api(base, "POST", `/companies/${companyId}/invoices`, {
      token,
      body: {
        customerId,
        lines: Array.from({ length: lines }, (_, i) => ({
          description: run(i),
          quantity: "1",
          unitPriceCents: 1000,
          vatRateBp: 2000,
        })),
      },
    }),
    "heavy draft",
  );
  return draft.id as string;
}

/** Issued invoices, so that a journal page has rows to read. */
async function issueSome(base: string, token: string, companyId: string, customerIds: string[], count: number): Promise<string[]> {
  const r = rng(7);
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const draft = await expectOk(api(base, "POST", `/companies/${companyId}/invoices`, { token, body: { customerId: r.pick(customerIds), lines: randomLines(r) } }), "draft");
    await expectOk(api(base, "POST", `/companies/${companyId}/invoices/${draft.id}/issue`, { token, body: {} }), "issue");
    ids.push(draft.id);
  }
  return ids;
}

async function pdf(base: string, token: string, companyId: string, invoiceId: string, signal?: AbortSignal) {
  const res = await fetch(`${base}/api/v1/companies/${companyId}/invoices/${invoiceId}/pdf`, { headers: { authorization: `Bearer ${token}`, "accept-language": "en" }, signal });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, type: res.headers.get("content-type"), retryAfter: res.headers.get("retry-after"), bytes, at: performance.now() };
}

/** GETs on one keep-alive connection, each timed from request to last byte. */
function timedGets(base: string, headers: Record<string, string> = {}) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return {
    close: () => agent.destroy(),
    get: (path: string) =>
      new Promise<{ status: number; ms: number }>((resolve, reject) => {
        const started = performance.now();
        http
          .get(`${base}${path}`, { agent, headers }, (res) => {
            res.resume();
            res.on("end", () => resolve({ status: res.statusCode ?? 0, ms: performance.now() - started }));
          })
          .on("error", reject);
      }),
  };
}

const problem = (reply: Awaited<ReturnType<typeof pdf>>) => JSON.parse(reply.bytes.toString("utf8")) as { status: number; title: string; detail: string };

describe("PDF rendering off the event loop", () => {
  const dirs: string[] = [];
  const servers: ServerProcess[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => stopServer(s)));
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  // Rendered on the event loop, one such invoice held every other request for seconds.
  it("while 10 heavy PDFs render, /health and a journal page answer under 100 ms (p99 of 100 each)", { timeout: 600_000 }, async () => {
    const dataDir = tempDir("render-latency");
    dirs.push(dataDir);
    const server = await startServer(dataDir, { PDF_TIMEOUT_MS: "600000" });
    servers.push(server);
    const base = server.url;
    const { token, companyId, customerIds } = await seedCompany(base, dataDir, "Rendu");
    await issueSome(base, token, companyId, customerIds, 30);
    const heavy: string[] = [];
    for (let i = 0; i < 10; i++) heavy.push(await heavyDraft(base, token, companyId, customerIds[0]!, 200, 500, "repeated"));

    const health = timedGets(base);
    const journal = timedGets(base, { authorization: `Bearer ${token}` });
    const measure = async (call: () => Promise<{ status: number; ms: number }>) => {
      const times: number[] = [];
      for (let i = 0; i < 100; i++) {
        const r = await call();
        expect(r.status).toBe(200);
        times.push(r.ms);
      }
      return times.sort((a, b) => a - b);
    };
    const healthCall = () => health.get("/health");
    const journalCall = () => journal.get(`/api/v1/companies/${companyId}/sales-journal?limit=20`);
    const idle = await Promise.all([measure(healthCall), measure(journalCall)]);

    const started = performance.now();
    const renders = heavy.map((id) => pdf(base, token, companyId, id));
    await sleep(1000); // the ten requests are in: the PDFs are being made
    const [healthTimes, journalTimes] = await Promise.all([measure(healthCall), measure(journalCall)]);
    const measuredUntil = performance.now();
    const done = await Promise.all(renders);
    health.close();
    journal.close();

    const figures = (times: number[]) => `p50 ${percentile(times, 50).toFixed(1)} ms, p99 ${percentile(times, 99).toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms`;
    console.log(
      [
        `idle: /health ${figures(idle[0])}; journal page ${figures(idle[1])}`,
        `during 10 heavy PDFs (200 lines of 500 characters without a space): /health ${figures(healthTimes)}; journal page ${figures(journalTimes)}`,
        `the PDFs were done ${((Math.max(...done.map((d) => d.at)) - started) / 1000).toFixed(1)} s after they were asked for (${done[0]!.bytes.length} bytes each)`,
      ].join("\n"),
    );
    expect(percentile(healthTimes, 99)).toBeLessThan(100);
    expect(percentile(journalTimes, 99)).toBeLessThan(100);
    // the measurements were taken while PDFs were still being made
    expect(Math.max(...done.map((d) => d.at))).toBeGreaterThan(measuredUntil);
    for (const reply of done) {
      expect(reply.status).toBe(200);
      expect(reply.type).toBe("application/pdf");
      expect(reply.bytes.subarray(0, 5).toString("latin1")).toBe("%PDF-");
    }
  });

  it("a PDF that outlives the time limit answers 503 with Retry-After, so does one asked for when the queue is full, and the server goes on", { timeout: 300_000 }, async () => {
    const dataDir = tempDir("render-limit");
    dirs.push(dataDir);
    const server = await startServer(dataDir, { PDF_THREADS: "1", PDF_QUEUE: "1", PDF_TIMEOUT_MS: "1000" });
    servers.push(server);
    const base = server.url;
    const { token, companyId, customerIds } = await seedCompany(base, dataDir, "Limite");
    const [small] = await issueSome(base, token, companyId, customerIds, 3);
    const heavy = await heavyDraft(base, token, companyId, customerIds[0]!, 450, 2000, 1);

    // the pool's one worker is started and warm
    expect((await pdf(base, token, companyId, small!)).status).toBe(200);

    const first = pdf(base, token, companyId, heavy); // rendering
    await sleep(300);
    const second = pdf(base, token, companyId, heavy); // waiting
    await sleep(300);
    const refused = await pdf(base, token, companyId, heavy);
    expect(refused.status).toBe(503);
    expect(refused.type).toBe("application/problem+json; charset=utf-8");
    expect(refused.retryAfter).toBe("1");
    expect(problem(refused)).toEqual({
      type: "about:blank",
      title: "Service Unavailable",
      status: 503,
      detail: "The server is making too many PDFs at the moment (1 waiting): try again in 1 second.",
    });

    for (const reply of await Promise.all([first, second])) {
      expect(reply.status).toBe(503);
      expect(reply.type).toBe("application/problem+json; charset=utf-8");
      expect(reply.retryAfter).toBe("1");
      expect(problem(reply).detail).toBe(
        "Making this PDF took longer than the 1-second limit, so it was stopped: try again in 1 second; a document this heavy may need shorter lines or notes.",
      );
    }

    // the server goes on: other requests, and PDFs, from a worker that replaced the stopped one
    expect((await api(base, "GET", `/companies/${companyId}/sales-journal?limit=10`, { token })).status).toBe(200);
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const after = await pdf(base, token, companyId, small!);
    expect(after.status).toBe(200);
    expect(after.type).toBe("application/pdf");
    expect(server.child.exitCode).toBeNull();
  });
});

describe("the render pool", () => {
  const model: InvoicePdfModel = {
    type: "invoice",
    draft: true,
    number: null,
    issueDate: null,
    dueDate: null,
    seller: {
      name: "Atelier Test SARL",
      siren: "853904811",
      vatNumber: null,
      address: { line1: "14 rue des Tanneurs", postalCode: "69002", city: "Lyon", country: "FR" },
      legalForm: null,
      capital: null,
      rcsCity: null,
      email: null,
      phone: null,
      iban: null,
      latePenaltyRate: null,
      earlyPaymentDiscount: null,
      vatOnDebits: false,
    },
    logo: null,
    customer: { code: "C0001", name: "Boulangerie Dupont", siren: null, vatNumber: null, email: null, address: { line1: "3 place des Terreaux", postalCode: "69001", city: "Lyon", country: "FR" } },
    lines: [{ description: "Conseil", quantity: "1", unitPriceCents: 1000, discountCents: 0, vatRateBp: 2000, netCents: 1000, kind: "services", unit: null }],
    byRate: [{ vatRateBp: 2000, baseCents: 1000, vatCents: 200 }],
    htCents: 1000,
    vatCents: 200,
    ttcCents: 1200,
    vatExemption: null,
    notes: null,
    corrects: null,
    deliveryDate: null,
    servicePeriod: null,
    deliveryAddress: null,
    finalAt: "2026-11-20T10:00:00Z",
  };

  it("drops a waiting render whose client went away, which frees its place in the queue", async () => {
    const pool = new RenderPool({ threads: 1, timeoutMs: 60_000, queueLimit: 2 });
    try {
      const kept = pool.render({ kind: "invoice.pdf", model });
      const client = new AbortController();
      const abandoned = pool.render({ kind: "invoice.pdf", model }, client.signal);
      expect(() => pool.admit()).toThrow(ProblemError);
      client.abort();
      await expect(abandoned).rejects.toThrow("The request was abandoned before its PDF was made.");
      expect(() => pool.admit()).not.toThrow();
      const bytes = await kept;
      expect(Buffer.from(bytes).subarray(0, 5).toString("latin1")).toBe("%PDF-");
    } finally {
      await pool.close();
    }
  });
});
