/**
 * The docs cannot rot: every `sh runnable` block of README.md and docs/ runs against a scratch
 * server, every other `sh` block is listed below with the reason it cannot, the JavaScript of the
 * API guide runs against the same server, and every relative link and anchor resolves.
 */
import { spawn } from "node:child_process";
import http from "node:http";
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { API_DIR, startServer, stopServer, tempDir, type ServerProcess } from "./reliability/support.js";

const ROOT = path.resolve(API_DIR, "..");
const DOC_FILES = ["README.md", ...fs.readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md")).sort().map((f) => `docs/${f}`)];
// The address the docs show; runnable blocks reach the scratch server instead.
const DOCUMENTED_URL = "http://localhost:8787";
// Working folder of a file's blocks when not a fresh empty one: the CLI runs from the repository.
const RUN_IN_REPOSITORY = new Set(["docs/operations.md"]);

/** The `sh` blocks that are deliberately not run here, by file and first line, and why. */
const NOT_RUN: { file: string; startsWith: string; why: string }[] = [
  { file: "README.md", startsWith: "npm install && npm start", why: "installs the dependencies and serves until stopped; this test starts its scratch server from the same sources" },
  { file: "README.md", startsWith: "npm test", why: "the suite this test is part of" },
  { file: "docs/accountants.md", startsWith: 'curl -sN "$B/companies/$C/events', why: "an event stream stays open until the client stops it" },
  { file: "docs/accountants.md", startsWith: "npm run addin:https", why: "serves until stopped and asks to trust a local CA (sudo, or an administrator prompt)" },
  { file: "docs/accountants.md", startsWith: "npm run addin:manifest", why: "rewrites the repository's own manifest.xml" },
  { file: "docs/operations.md", startsWith: "npx vitest run api/test/reliability/deployment.test.ts", why: "a test file of its own: part of npm test where Caddy is installed, always run by CI" },
  { file: "docs/operations.md", startsWith: "# Caddy, DejaVu fonts", why: "installs packages, a system account and services as root on a Debian server (apt-get, useradd, systemctl)" },
  { file: "docs/operations.md", startsWith: "systemctl status", why: "reads the services of a systemd host" },
  { file: "docs/operations.md", startsWith: "cd /opt/passerelle && git pull", why: "upgrades an installed server (git pull, systemctl restart)" },
  { file: "docs/operations.md", startsWith: "npm run cli -- seed-demo", why: "the commands' synopsis, with placeholders; verify and backup run below it, restore in reliability/restore.test.ts" },
  { file: "docs/postgresql.md", startsWith: "PASSERELLE_DATABASE_URL=postgres://", why: "starts the server on a PostgreSQL server; the API suite runs on PostgreSQL (the api-postgres project)" },
  { file: "docs/postgresql.md", startsWith: "PASSERELLE_TEST_POSTGRES_URL=", why: "the API suite on a PostgreSQL server: part of npm test (on PGlite), and on a server in CI" },
  { file: "docs/postgresql.md", startsWith: "cd api && node --import tsx bench/pg-driver.ts", why: "a benchmark against a PostgreSQL server and its database, made as the page says" },
  { file: "docs/postgresql.md", startsWith: "# the database made as above", why: "needs a PostgreSQL server; api/test/migrate-to-postgres.test.ts runs the command into PGlite, and into a server where PASSERELLE_TEST_POSTGRES_URL names one" },
  { file: "docs/postgresql.md", startsWith: "createdb --template=template0", why: "restores into a PostgreSQL server; api/test/migrate-to-postgres.test.ts does it where PASSERELLE_TEST_POSTGRES_URL names one" },
  { file: "docs/owners.md", startsWith: "npm run build -w extension", why: "builds both browsers' extensions; extension/test/build.test.ts runs that build" },
];

interface Block {
  file: string;
  line: number;
  info: string;
  code: string;
}

function fencedBlocks(file: string): Block[] {
  const lines = fs.readFileSync(path.join(ROOT, file), "utf8").split("\n");
  const blocks: Block[] = [];
  let open: Block | null = null;
  lines.forEach((text, index) => {
    if (open) {
      if (text.trim() === "```") (blocks.push(open), (open = null));
      else open.code += `${text}\n`;
    } else if (text.startsWith("```")) open = { file, line: index + 1, info: text.slice(3).trim(), code: "" };
  });
  return blocks;
}

const allBlocks = DOC_FILES.flatMap(fencedBlocks);
const shBlocks = allBlocks.filter((b) => b.info.split(/\s+/)[0] === "sh");
const jsBlocks = allBlocks.filter((b) => b.info === "js");
const isRunnable = (b: Block) => b.info.split(/\s+/).includes("runnable");
const firstLine = (b: Block) => b.code.split("\n").find((l) => l.trim() !== "")!.trim();
const exclusionOf = (b: Block) => NOT_RUN.find((n) => n.file === b.file && firstLine(b).startsWith(n.startsWith));

/** `# → text` lines: what the block prints, `…` standing for anything. */
function expectations(code: string): RegExp[] {
  return code
    .split("\n")
    .filter((l) => l.startsWith("# → "))
    .map((l) => new RegExp(l.slice(4).split("…").map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join(".*?")));
}

function run(program: string, args: string[], cwd: string, env: Record<string, string>): Promise<{ code: number | null; output: string; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(program, args, { cwd, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => ((output += d), (stdout += d)));
    child.stderr.on("data", (d) => ((output += d), (stderr += d)));
    child.once("exit", (code) => resolve({ code, output, stdout, stderr }));
  });
}

const runBash = (script: string, cwd: string, env: Record<string, string>) => run("bash", ["-c", script], cwd, env);

/** The one `js` block of the docs whose code contains `marker`. */
function jsBlock(marker: string): Block {
  const found = jsBlocks.filter((b) => b.code.includes(marker));
  expect(found.map((b) => `${b.file}:${b.line}`)).toHaveLength(1);
  return found[0]!;
}

describe("every sh block in the docs", () => {
  it("is runnable or listed as deliberately not run, and nothing listed is gone", () => {
    expect(shBlocks.filter((b) => !isRunnable(b) && !exclusionOf(b)).map((b) => `${b.file}:${b.line} ${firstLine(b)}`)).toEqual([]);
    expect(NOT_RUN.filter((n) => !shBlocks.some((b) => !isRunnable(b) && exclusionOf(b) === n)).map((n) => `${n.file}: ${n.startsWith}`)).toEqual([]);
  });
});

describe("runnable blocks against a scratch server", () => {
  let server: ServerProcess;
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = tempDir("docs");
    // private webhook targets: the signature check below receives a real delivery on this machine
    server = await startServer(dataDir, { PASSERELLE_DEMO: "1", WEBHOOKS_ALLOW_PRIVATE_TARGETS: "1" });
    const signIn = async (email: string, password: string) => {
      const res = await fetch(`${server.url}/api/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) });
      return ((await res.json()) as { token: string }).token;
    };
    const T = await signIn("owner@demo.passerelle.fr", "demo-passerelle-2026");
    const A = await signIn("comptable@demo.passerelle.fr", "comptable-passerelle-2026");
    const me = (await (await fetch(`${server.url}/api/v1/me`, { headers: { authorization: `Bearer ${T}` } })).json()) as { memberships: { companyId: string }[] };
    env = { B: `${server.url}/api/v1`, T, A, C: me.memberships[0]!.companyId, PASSERELLE_DATA: dataDir, SCRYPT_COST: "4096" };
  }, 120_000);

  afterAll(async () => {
    if (server) await stopServer(server);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const files = DOC_FILES.filter((file) => shBlocks.some((b) => b.file === file && isRunnable(b)));
  it("exist in the README and the guides they belong to", () => {
    expect(files).toEqual(["README.md", "docs/accountants.md", "docs/api.md", "docs/operations.md"]);
  });

  it.each(files)("%s: every block exits 0 and prints what it says", async (file) => {
    const blocks = shBlocks.filter((b) => b.file === file && isRunnable(b));
    const script = ["set -euo pipefail", ...blocks.map((b, i) => `printf '\\n::block %s\\n' ${i}\n${b.code.replaceAll(DOCUMENTED_URL, server.url)}`), "printf '\\n::end\\n'"].join("\n");
    const cwd = RUN_IN_REPOSITORY.has(file) ? ROOT : tempDir("docs-run");
    const { code, output } = await runBash(script, cwd, env);
    if (cwd !== ROOT) fs.rmSync(cwd, { recursive: true, force: true });
    const started = [...output.matchAll(/^::block (\d+)$/gm)].map((m) => Number(m[1]));
    const failed = blocks[started.at(-1) ?? 0]!;
    expect(code, `${file}:${failed.line} exited ${code}:\n${output.slice(-3000)}`).toBe(0);
    const outputs = output.split(/^::block \d+$/m).slice(1);
    blocks.forEach((b, i) => {
      for (const pattern of expectations(b.code)) expect(outputs[i], `${file}:${b.line}`).toMatch(pattern);
    });
  }, 300_000);
  it("docs/api.md: every js block is one of those run below", () => {
    expect(jsBlocks.map((b) => `${b.file} ${firstLine(b)}`)).toEqual([
      "docs/api.md // PASSERELLE_KEY=psk_… PASSERELLE_COMPANY=<id> node journal.mjs 2026 > journal-2026.csv",
      'docs/api.md import { createHmac, timingSafeEqual } from "node:crypto";',
    ]);
  });

  it("docs/api.md: journal.mjs, run as written with a read key, prints the year's journal as the API has it", async () => {
    const block = jsBlock("node journal.mjs");
    const key = await fetch(`${env.B}/api-keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${env.T}`, "content-type": "application/json" },
      body: JSON.stringify({ name: "journal.mjs", scope: "read", companyId: env.C }),
    }).then((r) => r.json() as Promise<{ secret: string }>);
    const year = "2026";
    const dir = tempDir("docs-js");
    fs.writeFileSync(path.join(dir, "journal.mjs"), block.code);
    const { code, stdout, stderr } = await run(process.execPath, ["journal.mjs", year], dir, { PASSERELLE_URL: server.url, PASSERELLE_KEY: key.secret, PASSERELLE_COMPANY: env.C! });
    fs.rmSync(dir, { recursive: true, force: true });
    expect(code, stderr).toBe(0);

    const journal = (await (await fetch(`${env.B}/companies/${env.C}/sales-journal?from=${year}-01-01&to=${year}-12-31&limit=1`, { headers: { authorization: `Bearer ${env.T}` } })).json()) as {
      totals: { count: number; htCents: number; vatCents: number; ttcCents: number };
    };
    const euros = (cents: number) => (cents / 100).toFixed(2).replace(".", ",");
    const { count, htCents, vatCents, ttcCents } = journal.totals;
    expect(count).toBeGreaterThan(100);
    const lines = stdout.trimEnd().split("\n");
    expect(lines[0]).toBe("Date;Numéro;Type;Client;HT;TVA;TTC");
    expect(lines.length - 1).toBe(count);
    // the CSV's own sums are the totals the API states, to the cent
    const cents = (column: number) => lines.slice(1).reduce((sum, l) => sum + Math.round(Number(l.split(";").at(column - 7)!.replace(",", ".")) * 100), 0);
    expect([cents(4), cents(5), cents(6)]).toEqual([htCents, vatCents, ttcCents]);
    expect(stderr).toBe(`${count} pièces — HT ${euros(htCents)} €, TVA ${euros(vatCents)} €, TTC ${euros(ttcCents)} €\n`);
  });

  it("docs/api.md: the signature check accepts a real delivery, and refuses it changed or replayed", async () => {
    const block = jsBlock("function fromPasserelle");
    const dir = tempDir("docs-js");
    fs.writeFileSync(path.join(dir, "check.mjs"), `${block.code}\nexport { fromPasserelle };\n`);
    const { fromPasserelle } = (await import(path.join(dir, "check.mjs"))) as { fromPasserelle: (body: string, headers: http.IncomingHttpHeaders, secret: string) => boolean };
    fs.rmSync(dir, { recursive: true, force: true });

    const deliveries: { body: string; headers: http.IncomingHttpHeaders }[] = [];
    const receiver = http.createServer((req, res) => {
      let body = "";
      req.on("data", (d) => (body += d));
      req.on("end", () => (deliveries.push({ body, headers: req.headers }), res.end()));
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    const { port } = receiver.address() as import("node:net").AddressInfo;
    try {
      const call = async (method: string, route: string, body?: unknown) =>
        (await fetch(`${env.B}${route}`, { method, headers: { authorization: `Bearer ${env.T}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) })).json() as Promise<any>;
      const webhook = await call("POST", `/companies/${env.C}/webhooks`, { url: `http://127.0.0.1:${port}/passerelle`, events: ["invoice.issued"] });
      const customers = await call("GET", `/companies/${env.C}/customers?limit=1`);
      const draft = await call("POST", `/companies/${env.C}/invoices`, { customerId: customers.items[0].id, lines: [{ description: "Signature", quantity: "1", unitPriceCents: 1000, vatRateBp: 2000 }] });
      await call("POST", `/companies/${env.C}/invoices/${draft.id}/issue`, {});
      const deadline = Date.now() + 15_000;
      while (!deliveries.some((d) => d.body.includes(draft.id)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const delivery = deliveries.find((d) => d.body.includes(draft.id));
      expect(delivery, "the invoice.issued delivery within 15 s").toBeDefined();
      expect(fromPasserelle(delivery!.body, delivery!.headers, webhook.secret)).toBe(true);
      expect(fromPasserelle(delivery!.body.replace(draft.id, "someone-else"), delivery!.headers, webhook.secret)).toBe(false);
      expect(fromPasserelle(delivery!.body, delivery!.headers, "not-the-secret")).toBe(false);
      const replayed = { ...delivery!.headers, "x-passerelle-timestamp": String(Math.floor(Date.now() / 1000) - 301) };
      expect(fromPasserelle(delivery!.body, replayed, webhook.secret)).toBe(false);
    } finally {
      receiver.close();
    }
  });
});

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchorsOf(file: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  let inFence = false;
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    if (line.startsWith("```")) inFence = !inFence;
    const heading = !inFence && /^#{1,6} (.+)$/.exec(line);
    if (!heading) continue;
    const slug = heading[1]!.replace(/`/g, "").toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replace(/ /g, "-");
    const count = seen.get(slug) ?? 0;
    seen.set(slug, count + 1);
    anchors.add(count === 0 ? slug : `${slug}-${count}`);
  }
  return anchors;
}

function relativeLinks(file: string): string[] {
  const text = fs
    .readFileSync(path.join(ROOT, file), "utf8")
    .replace(/^```[\s\S]*?^```$/gm, "")
    .replace(/`[^`\n]*`/g, "");
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((target) => !/^[a-z]+:/.test(target));
}

describe("links between the docs", () => {
  it.each(DOC_FILES)("%s: every relative link and anchor resolves", (file) => {
    const broken = relativeLinks(file).filter((target) => {
      const [name, anchor] = target.split("#");
      const resolved = name ? path.resolve(ROOT, path.dirname(file), name) : path.join(ROOT, file);
      if (!fs.existsSync(resolved)) return true;
      return anchor !== undefined && resolved.endsWith(".md") && !anchorsOf(resolved).has(anchor);
    });
    expect(broken).toEqual([]);
  });
});
