/**
 * Upload limits: a company's storage quota (413 saying what is used) and hourly upload rate (429
 * with Retry-After), checked before the body is read and again before the file is written, race-free
 * under concurrent uploads; and a bounded number of upload bodies held in memory at once.
 */
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { Config } from "../../src/config.js";
import { createTestApp, expectProblem, ownerWithCompany, type TestApp } from "../helpers.js";
import { seedCompany, startServer, stopServer, tempDir } from "./support.js";

/** A PDF of exactly `size` bytes (its header is what the server checks). */
function pdf(size: number): Uint8Array {
  const bytes = new Uint8Array(size).fill(0x20);
  bytes.set(Buffer.from("%PDF-1.4\n"));
  return bytes;
}

/** The multipart body a browser sends for one file, and its content type (with the boundary). */
async function multipart(file: Uint8Array, name = "facture.pdf") {
  const form = new FormData();
  form.set("file", new File([file], name));
  const encoded = new Response(form);
  return { body: new Uint8Array(await encoded.arrayBuffer()), contentType: encoded.headers.get("content-type")! };
}

/** POST …/documents with Content-Length, or in chunks (no length announced). */
async function upload(t: TestApp, owner: { token: string; companyId: string }, file: Uint8Array, options: { chunked?: boolean } = {}) {
  return (await uploadsAtOnce(t, owner, [file], options))[0]!;
}

/** Several uploads sent at the same moment (their bodies encoded first). */
async function uploadsAtOnce(t: TestApp, owner: { token: string; companyId: string }, files: Uint8Array[], options: { chunked?: boolean } = {}) {
  const encoded = await Promise.all(files.map((file) => multipart(file)));
  return Promise.all(
    encoded.map(async ({ body, contentType }) => {
      const headers: Record<string, string> = { authorization: `Bearer ${owner.token}`, "content-type": contentType, "accept-language": "en" };
      if (!options.chunked) headers["content-length"] = String(body.byteLength);
      const response = await t.app.request(`/api/v1/companies/${owner.companyId}/documents`, { method: "POST", headers, body });
      const text = await response.text();
      return { status: response.status, headers: response.headers, json: text ? JSON.parse(text) : undefined, text, announced: body.byteLength };
    }),
  );
}

function filesOf(t: TestApp, companyId: string): string[] {
  const dir = path.join(t.dataDir, "documents", companyId);
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
}

async function companyWith(config: Partial<Config>) {
  const t = createTestApp({ config });
  return { t, owner: await ownerWithCompany(t) };
}

describe("storage quota per company", () => {
  it("an upload that would pass COMPANY_STORAGE_QUOTA_BYTES answers 413 with what is used and stores nothing", async () => {
    const { t, owner } = await companyWith({ companyStorageQuotaBytes: 100_000 });
    expect((await upload(t, owner, pdf(60_000))).status).toBe(201);

    const refused = await upload(t, owner, pdf(60_000));
    const problem = expectProblem(refused, 413, "file");
    expect(problem.title).toBe("Payload Too Large");
    expect(problem.detail).toBe(`file: the company's documents take 60000 of its 100000 bytes of storage; this upload of ${refused.announced} bytes does not fit.`);
    expect(problem.errors).toEqual([{ path: "file", message: "does not fit in the storage quota (60000 of 100000 bytes used)" }]);
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM documents").pluck().get()).toBe(1);
    expect(filesOf(t, owner.companyId)).toHaveLength(1);

    // what still fits is accepted
    expect((await upload(t, owner, pdf(39_000))).status).toBe(201);
    expect(t.deps.db.prepare("SELECT SUM(size_bytes) FROM documents").pluck().get()).toBe(99_000);
  });

  it("concurrent uploads reserve their bytes: 5 uploads of 30,000 bytes at once into 100,000 → exactly 3 stored, 2 refused", async () => {
    const { t, owner } = await companyWith({ companyStorageQuotaBytes: 100_000, uploadsAtOnce: 5 });
    const replies = await uploadsAtOnce(t, owner, Array.from({ length: 5 }, () => pdf(30_000)));
    expect(replies.map((r) => r.status).sort()).toEqual([201, 201, 201, 413, 413]);
    // the two refused were refused on their announced size, before their bodies were read
    for (const r of replies.filter((r) => r.status === 413)) {
      expect(r.json.detail).toBe(`file: the company's documents take ${3 * r.announced} of its 100000 bytes of storage; this upload of ${r.announced} bytes does not fit.`);
    }
    expect(t.deps.db.prepare("SELECT SUM(size_bytes) FROM documents").pluck().get()).toBe(90_000);
    expect(filesOf(t, owner.companyId)).toHaveLength(3);
  });

  it("an upload sent in chunks is checked on the file's real size before it is written", async () => {
    const { t, owner } = await companyWith({ companyStorageQuotaBytes: 100_000 });
    expect((await upload(t, owner, pdf(80_000))).status).toBe(201);
    const refused = await upload(t, owner, pdf(30_000), { chunked: true });
    expect(expectProblem(refused, 413, "file").detail).toBe("file: the company's documents take 80000 of its 100000 bytes of storage; this upload of 30000 bytes does not fit.");
    expect(filesOf(t, owner.companyId)).toHaveLength(1);
    expect((await upload(t, owner, pdf(20_000), { chunked: true })).status).toBe(201);
    // full: refused before anything is read
    const full = await upload(t, owner, pdf(10), { chunked: true });
    expect(expectProblem(full, 413, "file").detail).toBe("file: the company's documents take 100000 of its 100000 bytes of storage; no room is left for this upload.");
  });

  it("the quota is per company: another company's owner uploads as usual", async () => {
    const { t, owner } = await companyWith({ companyStorageQuotaBytes: 50_000 });
    expect((await upload(t, owner, pdf(40_000))).status).toBe(201);
    expectProblem(await upload(t, owner, pdf(20_000)), 413, "file");
    const other = await ownerWithCompany(t);
    expect((await upload(t, other, pdf(40_000))).status).toBe(201);
  });
});

describe("upload rate per company", () => {
  it("past UPLOADS_PER_HOUR the answer is 429 with Retry-After; an hour later uploads go through again", async () => {
    const { t, owner } = await companyWith({ uploadsPerHour: 3 });
    for (let i = 0; i < 3; i++) expect((await upload(t, owner, pdf(1_000))).status).toBe(201);
    t.clock.advance(600_000);
    const limited = await upload(t, owner, pdf(1_000));
    const problem = expectProblem(limited, 429);
    expect(limited.headers.get("retry-after")).toBe("3000");
    expect(problem.detail).toBe("Too many uploads: a company may start 3 per hour. Try again in 3000 seconds.");
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM documents").pluck().get()).toBe(3);

    const other = await ownerWithCompany(t);
    expect((await upload(t, other, pdf(1_000))).status).toBe(201);

    t.clock.advance(3_000_000);
    expect((await upload(t, owner, pdf(1_000))).status).toBe(201);
  });

  it("20 uploads at once with UPLOADS_PER_HOUR = 5: exactly 5 stored, 15 answered 429", async () => {
    const { t, owner } = await companyWith({ uploadsPerHour: 5, uploadsAtOnce: 2, uploadQueue: 20 });
    const replies = await uploadsAtOnce(t, owner, Array.from({ length: 20 }, () => pdf(1_000)));
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(15);
  });
});

describe("upload bodies read at once", () => {
  it("at most UPLOADS_AT_ONCE bodies are read at once; beyond UPLOAD_QUEUE waiting, 503 with Retry-After", async () => {
    const { t, owner } = await companyWith({ uploadsAtOnce: 2, uploadQueue: 3, companyStorageQuotaBytes: 400_000 });
    const replies = await uploadsAtOnce(t, owner, Array.from({ length: 8 }, () => pdf(40_000)));
    const statuses = replies.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(5);
    expect(statuses.filter((s) => s === 503)).toHaveLength(3);
    const busy = replies.find((r) => r.status === 503)!;
    expect(expectProblem(busy, 503).detail).toBe("Too many uploads are being received at once. Try again in 5 seconds.");
    expect(busy.headers.get("retry-after")).toBe("5");
    expect(t.deps.uploads.slots.peakRunning).toBe(2);
    // the refused uploads gave their reserved bytes back: 200,000 stored, 190,000 more fit
    expect((await upload(t, owner, pdf(190_000))).status).toBe(201);
  });
});

describe("memory of concurrent uploads", () => {
  /** Resident and peak resident memory of a process, in MB (Linux). */
  function memoryOf(pid: number) {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const mb = (field: string) => Math.round(Number(new RegExp(`^${field}:\\s+(\\d+) kB`, "m").exec(status)![1]) / 1024);
    return { rss: mb("VmRSS"), peak: mb("VmHWM") };
  }

  it("16 uploads of 20 MB at once over HTTP: all stored, the server's peak memory grows by less than 350 MB (it grew by 450–480 MB when every body was read at once)", async () => {
    const dataDir = tempDir("uploads-rss");
    const server = await startServer(dataDir);
    try {
      const owner = await seedCompany(server.url, dataDir, "Memoire", 0);
      const before = memoryOf(server.child.pid!);
      const file = pdf(20 * 1024 * 1024);
      const statuses = await Promise.all(
        Array.from({ length: 16 }, async () => {
          const form = new FormData();
          form.set("file", new File([file], "scan.pdf"));
          const res = await fetch(`${server.url}/api/v1/companies/${owner.companyId}/documents`, { method: "POST", headers: { authorization: `Bearer ${owner.token}`, "accept-language": "en" }, body: form });
          await res.text();
          return res.status;
        }),
      );
      const after = memoryOf(server.child.pid!);
      console.log(`16 × 20 MB uploads: resident ${before.rss} MB before, peak ${after.peak} MB during`);
      expect(statuses).toEqual(Array(16).fill(201));
      expect(after.peak - before.rss).toBeLessThan(350);
    } finally {
      await stopServer(server);
    }
  }, 180_000);
});
