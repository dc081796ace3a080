/**
 * No request ends the process: against a real server, an accountant pack over stored documents with
 * hostile names is built under safe entry names, and an export that fails half-way (a corrupted row,
 * a document file gone from disk) ends that response alone — the client sees the body cut short, the
 * log gets one line, and the server goes on answering everyone.
 */
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Db } from "../../src/db/connection.js";
import { unzip } from "../export-support.js";
import { seedPaidInvoices } from "../export-volume.js";
import { api, expectOk, randomLines, rng, seedCompany, sleep, startServer, stopServer, tempDir, type ServerProcess } from "./support.js";

const PDF = Buffer.from("%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n");

async function upload(server: ServerProcess, token: string, companyId: string, name: string, bytes: Buffer = PDF) {
  const form = new FormData();
  form.append("file", new File([bytes], name));
  const res = await fetch(`${server.url}/api/v1/companies/${companyId}/documents`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: form });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; originalName: string };
}

/** Reads the first `bytes` of a download, then hangs up as a closed browser tab would. */
async function hangUpAfter(server: ServerProcess, token: string, route: string, bytes: number) {
  const controller = new AbortController();
  const res = await fetch(`${server.url}/api/v1${route}`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
  expect(res.status).toBe(200);
  const reader = res.body!.getReader();
  let received = 0;
  while (received < bytes) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`the download ended after ${received} bytes`);
    received += value.byteLength;
  }
  controller.abort();
  return received;
}

async function get(server: ServerProcess, token: string, route: string) {
  return fetch(`${server.url}/api/v1${route}`, { headers: { authorization: `Bearer ${token}` } });
}

/** What the server logged after `since` (a length of its output), once it has had time to log. */
async function loggedSince(server: ServerProcess, since: number): Promise<string[]> {
  await sleep(300);
  return server.output().slice(since).split("\n").filter(Boolean);
}

/** The server answers a health check and an authenticated read, both at once. */
async function stillServing(server: ServerProcess, token: string, companyId: string) {
  const health = await fetch(`${server.url}/health`);
  expect(health.status).toBe(200);
  const journal = await api(server.url, "GET", `/companies/${companyId}/sales-journal?limit=1`, { token });
  expect(journal.status).toBe(200);
  expect(server.child.exitCode).toBe(null);
}

describe("exports never end the process", () => {
  const dataDir = tempDir("export-failures");
  let server: ServerProcess;
  let db: Db;

  beforeAll(async () => {
    server = await startServer(dataDir);
    // a second connection to the server's file, as an operator's tool or a damaged disk would change it
    db = openDatabase(path.join(dataDir, "passerelle.db"));
  });
  afterAll(async () => {
    db.close();
    await stopServer(server);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("a document named `..` (or with path parts, control or bidirectional characters) is packed under a safe name", async () => {
    const o = await seedCompany(server.url, dataDir, "Pack", 1);
    await upload(server, o.token, o.companyId, "..");
    // names an earlier version may have stored as they came
    const stored: Record<string, string> = {};
    for (const name of ["../../etc/passwd", "a/b\\c.pdf", "facture\u0007\u0000.pdf", "\u202egnp.exe.pdf", "", "CON.pdf", "e\u0301te\u0301.pdf", ".cache"]) {
      const doc = await upload(server, o.token, o.companyId, "placeholder.pdf");
      db.prepare("UPDATE documents SET original_name = ? WHERE id = ?").run(name, doc.id);
      stored[doc.id] = name;
    }

    const res = await get(server, o.token, `/companies/${o.companyId}/exports/pack.zip`);
    expect(res.status).toBe(200);
    const files = await unzip(Buffer.from(await res.arrayBuffer()));
    const documents = [...files.keys()].filter((n) => n.startsWith("documents/"));
    expect(documents).toEqual([
      "documents/document.pdf", // stored as such since uploads keep a plain file name
      "documents/passwd.pdf", // served under the extension of its type, as downloads are
      "documents/c.pdf",
      "documents/facture .pdf",
      "documents/gnp.exe.pdf",
      "documents/document (2).pdf",
      "documents/_CON.pdf",
      "documents/\u00e9t\u00e9.pdf",
      "documents/cache.pdf",
    ]);
    for (const name of documents) expect(files.get(name)).toEqual(PDF);
    await stillServing(server, o.token, o.companyId);
  });

  it("a client hanging up while the pack's journal is written leaves the server serving, in one log line at most", async () => {
    const o = await seedCompany(server.url, dataDir, "Hang", 1);
    seedPaidInvoices(db, o.companyId, o.customerIds[0]!, 3000, 2025);
    const logged = server.output().length;
    for (let i = 0; i < 3; i++) await hangUpAfter(server, o.token, `/companies/${o.companyId}/exports/pack.zip?from=2025-01-01&to=2025-12-31`, 64 * 1024);
    await sleep(700);
    await stillServing(server, o.token, o.companyId);
    // hanging up is no failure: at most the first abort of the minute is logged, in one line
    const lines = await loggedSince(server, logged);
    expect(lines.length).toBeLessThanOrEqual(1);
    for (const line of lines) expect(line).toMatch(/^client connection aborted during GET \/api\/v1\/companies\/[^/]+\/exports\/pack\.zip /);
  });

  describe("an export failing half-way ends its own response, in one log line", () => {
    // a company whose journal needs more than one page: the last document's frozen customer is damaged
    let volume: Awaited<ReturnType<typeof seedCompany>>;
    // real invoices issued over HTTP, the last one damaged the same way
    let issued: Awaited<ReturnType<typeof seedCompany>> & { invoiceIds: string[] };
    // another tenant, served throughout
    let bystander: Awaited<ReturnType<typeof seedCompany>>;

    /** Points a document at a frozen identity whose JSON is cut short, as a damaged page would leave it. */
    function damageCustomerIdentity(companyId: string, invoiceId: string) {
      const identity = db.prepare("INSERT INTO frozen_identities (company_id, json) VALUES (?, ?) RETURNING id").pluck().get(companyId, '{"code":"C0001","na') as number;
      db.prepare("UPDATE invoices SET customer_identity_id = ? WHERE id = ?").run(identity, invoiceId);
    }

    beforeAll(async () => {
      bystander = await seedCompany(server.url, dataDir, "Bystander", 1);
      volume = await seedCompany(server.url, dataDir, "Volume", 1);
      seedPaidInvoices(db, volume.companyId, volume.customerIds[0]!, 1200, 2025);
      const last = db.prepare("SELECT id FROM invoices WHERE company_id = ? ORDER BY issue_date DESC, series_counter DESC LIMIT 1").pluck().get(volume.companyId) as string;
      damageCustomerIdentity(volume.companyId, last);

      const base = await seedCompany(server.url, dataDir, "Issued", 1);
      const r = rng(7);
      const invoiceIds: string[] = [];
      for (let i = 0; i < 3; i++) {
        const draft = await expectOk(api(server.url, "POST", `/companies/${base.companyId}/invoices`, { token: base.token, body: { customerId: base.customerIds[0], lines: randomLines(r) } }), "draft");
        const done = await expectOk(api(server.url, "POST", `/companies/${base.companyId}/invoices/${draft.id}/issue`, { token: base.token, body: {} }), "issue");
        invoiceIds.push(done.id);
      }
      damageCustomerIdentity(base.companyId, invoiceIds[2]!);
      issued = { ...base, invoiceIds };
    }, 120_000);

    /**
     * The download starts (200, first bytes) and is then cut short; the server logs one line. When
     * the failure comes right after the first bytes, the connection may close before the client has
     * read the headers: the fetch itself then fails — the response is cut short all the same.
     */
    async function cutShort(token: string, route: string, logged: RegExp) {
      const since = server.output().length;
      let failure: unknown = null;
      try {
        const res = await get(server, token, route);
        expect(res.status).toBe(200);
        const reader = res.body!.getReader();
        while (!(await reader.read()).done);
      } catch (error) {
        failure = error;
      }
      expect(failure).toBeInstanceOf(TypeError); // "terminated" or "fetch failed": the connection closed mid-body
      const lines = await loggedSince(server, since);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(logged);
      await stillServing(server, bystander.token, bystander.companyId);
    }

    /** The export cannot start: a problem answer, one log line. */
    async function refused(token: string, route: string, logged: RegExp) {
      const since = server.output().length;
      const res = await get(server, token, route);
      expect(res.status).toBe(500);
      expect(res.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
      const problem = (await res.json()) as { status: number; detail: string };
      expect(problem.status).toBe(500);
      expect(problem.detail).not.toMatch(/JSON|SyntaxError|ENOENT/); // nothing of the server's inside is told
      const lines = await loggedSince(server, since);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(logged);
      await stillServing(server, bystander.token, bystander.companyId);
    }

    const failedWhileStreaming = (route: string) => new RegExp(`^GET /api/v1/companies/[^/]+/${route} failed while streaming: (SyntaxError|SqliteError): .*JSON`);

    it("FEC", async () => {
      await cutShort(volume.token, `/companies/${volume.companyId}/exports/fec?from=2025-01-01&to=2025-12-31`, failedWhileStreaming("exports/fec"));
    });

    it("journal CSV", async () => {
      await cutShort(volume.token, `/companies/${volume.companyId}/exports/sales-journal.csv`, failedWhileStreaming("exports/sales-journal\\.csv"));
    });

    it("journal XLSX", async () => {
      await cutShort(volume.token, `/companies/${volume.companyId}/exports/sales-journal.xlsx`, failedWhileStreaming("exports/sales-journal\\.xlsx"));
    });

    it("journal PDF register", async () => {
      await cutShort(volume.token, `/companies/${volume.companyId}/exports/sales-journal.pdf`, failedWhileStreaming("exports/sales-journal\\.pdf"));
    });

    it("invoices.zip, plain and Factur-X", async () => {
      for (const format of ["pdf", "facturx"]) {
        await cutShort(issued.token, `/companies/${issued.companyId}/exports/invoices.zip?format=${format}`, failedWhileStreaming("exports/invoices\\.zip"));
      }
    });

    it("pack.zip with a document file gone from disk", async () => {
      const o = await seedCompany(server.url, dataDir, "Gone", 1);
      const kept = await upload(server, o.token, o.companyId, "releve.pdf");
      const gone = await upload(server, o.token, o.companyId, "facture-fournisseur.pdf");
      fs.rmSync(path.join(dataDir, "documents", o.companyId, gone.id));
      await cutShort(o.token, `/companies/${o.companyId}/exports/pack.zip`, new RegExp(`^GET /api/v1/companies/[^/]+/exports/pack\\.zip failed while streaming: Error: ENOENT: .*${gone.id}`));
      expect(kept.id).not.toBe(gone.id);
    });

    it("invoice PDF and Factur-X PDF of a damaged document: a problem answer before any byte", async () => {
      const id = issued.invoiceIds[2]!;
      await refused(issued.token, `/companies/${issued.companyId}/invoices/${id}/pdf`, /^GET \/api\/v1\/companies\/[^/]+\/invoices\/[^/]+\/pdf failed: SyntaxError: .*JSON/);
      await refused(issued.token, `/companies/${issued.companyId}/invoices/${id}/facturx.pdf`, /^GET \/api\/v1\/companies\/[^/]+\/invoices\/[^/]+\/facturx\.pdf failed: SyntaxError: .*JSON/);
    });

    it("document download: a file cut short on disk while it is sent, and a file missing", async () => {
      const o = await seedCompany(server.url, dataDir, "Download", 1);
      const big = Buffer.concat([PDF, Buffer.alloc(16 * 1024 * 1024, 0x20)]);
      const doc = await upload(server, o.token, o.companyId, "grand-livre.pdf", big);
      const file = path.join(dataDir, "documents", o.companyId, doc.id);
      const since = server.output().length;
      const res = await get(server, o.token, `/companies/${o.companyId}/documents/${doc.id}/content`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-length")).toBe(String(big.byteLength));
      const reader = res.body!.getReader();
      expect((await reader.read()).done).toBe(false);
      fs.truncateSync(file, 1000);
      let received = 0;
      let failure: unknown = null;
      try {
        for (;;) {
          const next = await reader.read();
          if (next.done) break;
          received += next.value.byteLength;
        }
      } catch (error) {
        failure = error;
      }
      expect(failure).toBeInstanceOf(TypeError);
      expect(received).toBeLessThan(big.byteLength);
      const lines = await loggedSince(server, since);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(`^GET /api/v1/companies/[^/]+/documents/${doc.id}/content failed while streaming: Error: document ${doc.id}: its file holds \\d+ of the ${big.byteLength} bytes recorded`));
      await stillServing(server, bystander.token, bystander.companyId);

      fs.rmSync(file);
      await refused(o.token, `/companies/${o.companyId}/documents/${doc.id}/content`, new RegExp(`^document ${doc.id} of company [^ ]+: its file cannot be read: Error: ENOENT`));
    });

    it("event stream: a damaged change ends that stream alone", async () => {
      const o = await seedCompany(server.url, dataDir, "Events", 1);
      // a sequence stored as text holding a line break, as a damaged page could leave it
      db.prepare("INSERT INTO activity (company_id, seq, at, action, record_kind, record_id, hash) VALUES (?, ?, ?, 'customer.created', 'customer', ?, 'x')").run(
        o.companyId,
        "9\nevent: forged",
        new Date().toISOString(),
        o.customerIds[0],
      );
      const since = server.output().length;
      const res = await get(server, o.token, `/companies/${o.companyId}/events?since=0`);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).not.toContain("forged");
      expect(text.startsWith("retry: 3000\n")).toBe(true);
      const lines = await loggedSince(server, since);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^event stream of company [^ ]+ failed after \d+: Error: id must not contain/);
      await stillServing(server, bystander.token, bystander.companyId);
    });
  });
});
