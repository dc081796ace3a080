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
import { api, seedCompany, startServer, stopServer, tempDir, type ServerProcess } from "./support.js";

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
    const o = await seedCompany(server.url, "Pack", 1);
    const dotdot = await upload(server, o.token, o.companyId, "..");
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
      `documents/document-${dotdot.id}.pdf`,
      "documents/passwd",
      "documents/c.pdf",
      "documents/facture.pdf",
      "documents/gnp.exe.pdf",
      `documents/document-${Object.keys(stored)[4]}.pdf`,
      "documents/_CON.pdf",
      "documents/\u00e9t\u00e9.pdf",
      "documents/cache",
    ]);
    for (const name of documents) expect(files.get(name)).toEqual(PDF);
    await stillServing(server, o.token, o.companyId);
  });

  it("a client hanging up while the pack's journal is written leaves the server serving, and logs nothing", async () => {
    const o = await seedCompany(server.url, "Hang", 1);
    seedPaidInvoices(db, o.companyId, o.customerIds[0]!, 3000, 2025);
    const logged = server.output().length;
    for (let i = 0; i < 3; i++) await hangUpAfter(server, o.token, `/companies/${o.companyId}/exports/pack.zip?from=2025-01-01&to=2025-12-31`, 64 * 1024);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await stillServing(server, o.token, o.companyId);
    expect(server.output().slice(logged)).toBe("");
  });
});
