/** What the end-to-end run starts around the browser: the real API on a temporary database, and a supplier's web page. */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}

export interface ApiServer {
  url: string;
  dataDir: string;
  output: () => string;
  stop: (options?: { keepData?: boolean }) => Promise<void>;
}

/**
 * `tsx api/src/server.ts` as `npm start` runs it, demo data included, on a fresh data folder — or
 * on `dataDir` and `port` again, for a restart (`stop({ keepData: true })` keeps it), with `env` added.
 */
export async function startApi(repoRoot: string, options: { dataDir?: string; port?: number; env?: Record<string, string> } = {}): Promise<ApiServer> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-e2e-api-"));
  const port = options.port ?? (await freePort());
  const url = `http://127.0.0.1:${port}`;
  let output = "";
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", path.join(repoRoot, "api/src/server.ts")], {
    cwd: repoRoot,
    env: { ...process.env, NODE_ENV: "production", PASSERELLE_DATA: dataDir, PORT: String(port), HOST: "127.0.0.1", PUBLIC_URL: url, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  try {
    await waitFor(
      "the API's /health",
      async () => {
        if (child.exitCode !== null) throw new Error(`the API exited (${child.exitCode}):\n${output}`);
        const res = await fetch(`${url}/health`);
        return res.ok ? true : undefined;
      },
      180_000,
    );
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return {
    url,
    dataDir,
    output: () => output,
    stop: async (stopOptions = {}) => {
      if (child.exitCode === null) child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
      if (!stopOptions.keepData) fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A small but real PDF: the API reads the type from the first bytes. */
export function samplePdf(title: string): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n% ${title}\ntrailer << /Root 1 0 R >>\n%%EOF\n`,
  );
}

export interface SupplierSite {
  url: string;
  pdfs: { path: string; label: string; bytes: Buffer }[];
  stop: () => Promise<void>;
}

/** A supplier's customer area: one page with two invoices as PDF links, served on localhost. */
export async function startSupplierSite(): Promise<SupplierSite> {
  const pdfs = [
    { path: "/factures/FA-2026-118.pdf", label: "Facture FA-2026-118", bytes: samplePdf("Fournisseur — FA-2026-118") },
    { path: "/factures/FA-2026-119.pdf", label: "Facture FA-2026-119", bytes: samplePdf("Fournisseur — FA-2026-119") },
  ];
  const page = `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Espace client — Électricité Rhône</title></head>
<body><h1>Vos factures</h1><ul>${pdfs.map((p) => `<li><a href="${p.path}">${p.label}</a></li>`).join("")}</ul><p><a href="/contact">Contact</a></p></body></html>`;
  const server = http.createServer((req, res) => {
    const pdf = pdfs.find((p) => p.path === req.url);
    if (pdf) {
      res.writeHead(200, { "content-type": "application/pdf", "content-length": pdf.bytes.byteLength });
      res.end(pdf.bytes);
    } else if (req.url === "/") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(page);
    } else {
      res.writeHead(404).end();
    }
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "localhost", resolve));
  return { url: `http://localhost:${port}`, pdfs, stop: () => new Promise((resolve) => server.close(() => resolve())) };
}

export interface HttpsFront {
  /** `https://<hostname>:<port>`: the browser must resolve the name to 127.0.0.1 (`--host-resolver-rules`). */
  url: string;
  /** Base64 SHA-256 of the certificate's public key, for Chromium's `--ignore-certificate-errors-spki-list`. */
  spki: string;
  stop: () => Promise<void>;
}

/** A TLS front for a local server under a real-looking host name, with a certificate made for this run (openssl). */
export async function startHttpsFront(target: string, hostname: string): Promise<HttpsFront> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-e2e-tls-"));
  const [key, cert] = [path.join(dir, "key.pem"), path.join(dir, "cert.pem")];
  await promisify(execFile)("openssl", [
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-keyout", key, "-out", cert,
    "-subj", `/CN=${hostname}`, "-addext", `subjectAltName=DNS:${hostname}`,
  ]);
  const certificate = fs.readFileSync(cert);
  const spki = createHash("sha256").update(new X509Certificate(certificate).publicKey.export({ type: "spki", format: "der" })).digest("base64");
  const upstream = new URL(target);
  const server = https.createServer({ key: fs.readFileSync(key), cert: certificate }, (req, res) => {
    const forward = http.request(
      { host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: { ...req.headers, host: upstream.host } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on("error", () => res.writeHead(502).end());
    req.pipe(forward);
  });
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `https://${hostname}:${port}`,
    spki,
    stop: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => (fs.rmSync(dir, { recursive: true, force: true }), resolve()));
      }),
  };
}
