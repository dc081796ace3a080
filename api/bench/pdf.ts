/**
 * `npx tsx api/bench/pdf.ts [--renders 150] [--zip 300] [--json out.json]`
 *
 * Invoice PDF rendering, in one process on an in-memory demo company built through the use-cases
 * (the demo seed, plus a 3-line and a 40-line invoice): milliseconds per document (p50/p99 over
 * `--renders` renders, after a warm-up) as a plain PDF and as a Factur-X PDF, the first PDF of the
 * process (loading pdfkit and the fonts), then `invoices.zip` of `--zip` invoices in both formats, in
 * invoices per second, its PDFs made by the render pool as the server makes them. CPU time is reported beside wall time: it is what a loaded machine distorts
 * least. The SHA-256 of each output is printed so that two builds can be compared byte for byte.
 * Not part of `npm test`.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { createHash } from "node:crypto";
import type { InvoiceArchiveFormat } from "@passerelle/shared";
import { createDeps } from "../src/deps.js";
import { testConfig } from "../src/config.js";
import { fixedClock } from "../src/clock.js";
import type { UseCaseContext } from "../src/context.js";
import { seedDemo, DEMO_OWNER } from "../src/demo/seed.js";
import { findUserByEmail } from "../src/services/users.js";
import { createDraft, issueInvoice } from "../src/services/invoices.js";
import { renderInvoicePdf } from "../src/exports/invoice-pdf.js";
import { invoicePdfModel } from "../src/exports/invoice-pdf-model.js";
import { renderJob } from "../src/exports/render-jobs.js";
import { facturXOrPdfJob } from "../src/einvoice/facturx-export.js";
import { invoicesZip } from "../src/exports/invoices-zip.js";

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}
const RENDERS = Number(arg("renders", "150"));
const ZIP = Number(arg("zip", "300"));
const JSON_OUT = arg("json", "");

const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const sha = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex").slice(0, 16);
const round = (n: number, digits = 1) => Math.round(n * 10 ** digits) / 10 ** digits;
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

// ---- data: the demo company (ZIP_COUNT+ issued documents), and two invoices of known size ----
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-bench-pdf-"));
const deps = createDeps(testConfig({ dataDir }), { clock: fixedClock("2026-11-20T10:00:00Z") });
const loadBefore = os.loadavg();
const demo = await seedDemo(deps, { invoices: ZIP });
const companyId = demo.companyId;
const owner = findUserByEmail(deps.db, DEMO_OWNER.email)!;
const ctx: UseCaseContext = { db: deps.db, clock: deps.clock, config: deps.config, actorId: owner.id };
const customerId = deps.db.prepare("SELECT id FROM customers WHERE company_id = ? AND siren IS NOT NULL ORDER BY name LIMIT 1").pluck().get(companyId) as string;

const WORDS = ["Pose", "d'une", "suspension", "laiton", "brossé", "avec", "câblage", "textile", "tressé", "et", "rosace", "plafond", "—", "chantier", "Confluence", "lot", "n°", "4", "finition", "satinée", "référence", "SL-2040"];
function description(i: number): string {
  // 2 to 30 words: most fit one line of the designation column, some wrap over two to four
  const n = 2 + ((i * 7) % 29);
  return Array.from({ length: n }, (_, k) => WORDS[(i * 3 + k * 5) % WORDS.length]).join(" ");
}
function invoiceWith(lineCount: number): string {
  const rates = [2000, 1000, 550, 2000];
  const draft = createDraft(ctx, companyId, {
    customerId,
    lines: Array.from({ length: lineCount }, (_, i) => ({
      description: description(i),
      quantity: i % 5 === 0 ? "2.5" : String(1 + (i % 4)),
      unitPriceCents: 1_250 + i * 3_317,
      vatRateBp: rates[i % rates.length]!,
      kind: i % 3 === 0 ? ("goods" as const) : ("services" as const),
      ...(i % 6 === 1 ? { discountCents: 500 } : {}),
    })),
    notes: "Merci pour votre confiance. Les luminaires restent la propriété du vendeur jusqu'au paiement complet.",
  });
  return issueInvoice(ctx, companyId, draft.id, { issueDate: "2026-11-20" }).id;
}
const small = invoiceWith(3);
const large = invoiceWith(40);

// ---- single documents ----
type Row = { what: string; p50: number; p99: number; mean: number; cpu: number; pages?: number; bytes: number; sha256: string };
const rows: Row[] = [];

const plain = async (id: string) => renderInvoicePdf(invoicePdfModel(deps.db, companyId, id));
const facturX = async (id: string) => {
  const { job, facturX } = facturXOrPdfJob(deps.db, companyId, id);
  if (!facturX) throw new Error("expected a Factur-X PDF");
  return renderJob(job);
};

const coldStart = performance.now();
const first = await plain(small);
const cold = performance.now() - coldStart;

async function measure(what: string, render: () => Promise<Uint8Array>): Promise<void> {
  let bytes = await render();
  for (let i = 0; i < 10; i++) await render(); // warm-up
  const times: number[] = [];
  const cpu0 = cpuMs();
  for (let i = 0; i < RENDERS; i++) {
    const t0 = performance.now();
    const out = await render();
    times.push(performance.now() - t0);
    if (sha(out) !== sha(bytes)) throw new Error(`${what}: not reproducible`);
    bytes = out;
  }
  const cpu = (cpuMs() - cpu0) / RENDERS;
  times.sort((a, b) => a - b);
  const pages = (Buffer.from(bytes).toString("latin1").match(/\/Type \/Page\b/g) ?? []).length;
  rows.push({ what, p50: percentile(times, 50), p99: percentile(times, 99), mean: times.reduce((a, b) => a + b, 0) / times.length, cpu, pages, bytes: bytes.length, sha256: sha(bytes) });
}

await measure("invoice PDF, 3 lines", () => plain(small));
await measure("invoice PDF, 40 lines", () => plain(large));
await measure("Factur-X PDF, 3 lines", () => facturX(small));
await measure("Factur-X PDF, 40 lines", () => facturX(large));

// ---- invoices.zip ----
type ZipRow = { format: InvoiceArchiveFormat; invoices: number; seconds: number; cpuSeconds: number; perSecond: number; bytes: number; sha256: string };
const zips: ZipRow[] = [];
for (const format of ["pdf", "facturx"] as const) {
  const t0 = performance.now();
  const cpu0 = cpuMs();
  const body = invoicesZip(deps.db, deps.renders, companyId, {}, format);
  const hash = createHash("sha256");
  let bytes = 0;
  let next = await body.next();
  while (!next.done) {
    hash.update(next.value);
    bytes += next.value.byteLength;
    next = await body.next();
  }
  const seconds = (performance.now() - t0) / 1000;
  const invoices = next.value.rows;
  zips.push({ format, invoices, seconds, cpuSeconds: (cpuMs() - cpu0) / 1000, perSecond: invoices / seconds, bytes, sha256: hash.digest("hex").slice(0, 16) });
}
const loadAfter = os.loadavg();

// ---- report ----
const pad = (s: string | number, n: number) => String(s).padStart(n);
console.log(`node ${process.version}, ${os.cpus().length} CPUs, load average before ${loadBefore.map((l) => l.toFixed(2)).join(" ")}, after ${loadAfter.map((l) => l.toFixed(2)).join(" ")}`);
console.log(`first PDF of the process (loads pdfkit and the fonts): ${round(cold)} ms (${first.length} bytes)`);
console.log(`\n| document | p50 ms | p99 ms | mean ms | CPU ms | pages | bytes | sha256 |\n|---|--:|--:|--:|--:|--:|--:|---|`);
for (const r of rows) console.log(`| ${r.what} | ${round(r.p50)} | ${round(r.p99)} | ${round(r.mean)} | ${round(r.cpu)} | ${r.pages} | ${r.bytes} | ${r.sha256} |`);
console.log(`\n| invoices.zip | invoices | seconds | CPU s | invoices/s | bytes | sha256 |\n|---|--:|--:|--:|--:|--:|---|`);
for (const z of zips) console.log(`| format=${z.format} | ${z.invoices} | ${round(z.seconds, 2)} | ${round(z.cpuSeconds, 2)} | ${pad(round(z.perSecond), 0)} | ${z.bytes} | ${z.sha256} |`);
if (JSON_OUT) fs.writeFileSync(JSON_OUT, JSON.stringify({ node: process.version, loadBefore, loadAfter, renders: RENDERS, coldMs: cold, rows, zips }, null, 2));
await deps.renders.close();
deps.db.close();
fs.rmSync(dataDir, { recursive: true, force: true });
