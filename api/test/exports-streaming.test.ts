/**
 * Streaming exports at volume, on a database file (the production path: each export reads its own
 * snapshot through a separate connection): 200,000 FEC lines with flat memory, a CSV likewise, a
 * client that goes away stops the work, and writes go on while a big file streams.
 */
import http from "node:http";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import v8 from "node:v8";
import vm from "node:vm";
import { createHash } from "node:crypto";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiUrl, createTestApp, ownerWithCompany, type TestApp } from "./helpers.js";
import { accountantOf, exportLog } from "./export-support.js";
import { seedPaidInvoices } from "./export-volume.js";
import { checkFec } from "./fec-check.js";

v8.setFlagsFromString("--expose-gc");
const gc = vm.runInNewContext("gc") as () => void;
const MB = 1024 * 1024;

/** Heap plus buffers: a file accumulated anywhere in the process shows up here. */
function memory(): number {
  gc();
  gc();
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

interface Measured {
  status: number;
  bytes: number;
  lines: number;
  sha256: string;
  growth: number;
}

/** Downloads through app.request(), keeping nothing but a digest, sampling memory every `every` chunks. */
async function measure(t: TestApp, url: string, token: string, every = 16): Promise<Measured> {
  const base = memory();
  let peak = base;
  const response = await t.app.request(apiUrl(url), { headers: { authorization: `Bearer ${token}` } });
  const reader = response.body!.getReader();
  const hash = createHash("sha256");
  let bytes = 0;
  let lines = 0;
  for (let n = 1; ; n++) {
    const { done, value } = await reader.read();
    if (done) break;
    hash.update(value);
    bytes += value.byteLength;
    for (let i = value.indexOf(10); i !== -1; i = value.indexOf(10, i + 1)) lines++;
    if (n % every === 0) peak = Math.max(peak, memory());
  }
  return { status: response.status, bytes, lines, sha256: hash.digest("hex"), growth: Math.max(peak, memory()) - base };
}

describe("exports at volume, streamed", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-volume-"));
  let t: TestApp;
  let o: Awaited<ReturnType<typeof ownerWithCompany>>;
  let accountant: Awaited<ReturnType<typeof accountantOf>>;

  beforeAll(async () => {
    t = createTestApp({ config: { dataDir: dir, databasePath: path.join(dir, "passerelle.db") } });
    o = await ownerWithCompany(t);
    accountant = await accountantOf(t, o.companyId);
    seedPaidInvoices(t.deps.db, o.companyId, o.customerId, 25_000, 2025); // 200,000 entry lines
    const lock = await t.call("POST", `/companies/${o.companyId}/locks`, { token: accountant.token, body: { until: "2025-12-31", kind: "soft" } });
    expect(lock.status).toBe(201);
  }, 120_000);

  afterAll(() => {
    t.deps.db.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("writes 200,000 FEC lines while memory stays flat, and the file passes every rule", async () => {
    const url = `/companies/${o.companyId}/exports/fec?from=2025-01-01&to=2025-12-31`;
    const run = await measure(t, url, accountant.token);
    expect(run.status).toBe(200);
    expect(run.lines).toBe(200_001); // header + 200,000 entry lines
    expect(run.bytes).toBeGreaterThan(28 * MB);
    // the whole file would take more than 28 MB; the export never holds more than a few pages of it
    expect(run.growth).toBeLessThan(12 * MB);
    expect(exportLog(t, o.companyId).at(-1)).toMatchObject({ kind: "fec", file_name: "853904811FEC20251231.txt", row_count: 200_000, byte_count: run.bytes, sha256: run.sha256 });

    // the same bytes again (frozen entries), and every line conforms
    const again = Buffer.from(await (await t.app.request(apiUrl(url), { headers: { authorization: `Bearer ${accountant.token}` } })).arrayBuffer());
    expect(createHash("sha256").update(again).digest("hex")).toBe(run.sha256);
    const fec = checkFec(again);
    expect(fec.entries).toBe(50_000);
    expect(fec.rows[0]).toMatchObject({ EcritureNum: "VE000001", EcritureLet: "AA", ValidDate: "20261120" });
    expect(fec.rows.at(-1)).toMatchObject({ JournalCode: "BQ", EcritureNum: "BQ025000" });
  }, 120_000);

  it("writes the 25,000-row journal CSV while memory stays flat", async () => {
    const run = await measure(t, `/companies/${o.companyId}/exports/sales-journal.csv`, accountant.token, 4);
    expect(run.status).toBe(200);
    expect(run.lines).toBe(25_001);
    // 25,000 journal rows held as objects would weigh more than 10 MB
    expect(run.growth).toBeLessThan(5 * MB);
  }, 120_000);

  it("stops reading the database when the client goes away, logs nothing, and lets writes through meanwhile", async () => {
    const server = serve({ fetch: t.app.fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise((resolve) => server.once("listening", resolve));
    const { port } = server.address() as AddressInfo;
    const logged = exportLog(t, o.companyId).length;
    t.deps.db.pragma("wal_checkpoint(TRUNCATE)");
    // frames written after the export's snapshot can be checkpointed only once its reader is gone
    const checkpoint = () => t.deps.db.pragma("wal_checkpoint(PASSIVE)") as { busy: number; log: number; checkpointed: number }[];
    try {
      const request = http.get({ port, host: "127.0.0.1", path: apiUrl(`/companies/${o.companyId}/exports/fec`), headers: { authorization: `Bearer ${accountant.token}` } });
      const response = await new Promise<http.IncomingMessage>((resolve) => request.once("response", resolve));
      expect(response.statusCode).toBe(200);
      await new Promise((resolve) => response.once("data", resolve));
      response.pause();

      // a write while the export streams: the main connection is free
      const created = await t.call("POST", `/companies/${o.companyId}/customers`, { token: o.token, body: { name: "Pendant l'export", address: "1 rue A, 75001 Paris" } });
      expect(created.status).toBe(201);
      const during = checkpoint()[0]!;
      expect(during.checkpointed).toBeLessThan(during.log);

      request.destroy();
      let after = checkpoint()[0]!;
      for (let i = 0; i < 100 && after.checkpointed < after.log; i++) {
        await new Promise((r) => setTimeout(r, 20));
        after = checkpoint()[0]!;
      }
      expect(after.checkpointed).toBe(after.log);
      expect(exportLog(t, o.companyId)).toHaveLength(logged);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }, 60_000);
});
