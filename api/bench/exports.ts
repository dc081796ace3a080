/**
 * Benchmarks of the exports (`--only fec,xlsx`): the FEC of a locked and of an open fiscal year
 * against the sqlite3 command-line tool writing the same lines (its floor), and the journal workbook
 * against the CSV journal of the same rows and the FEC of the same period (the text exports of every
 * row the workbook holds). Each export is downloaded from its own freshly started server, so the
 * server's peak RSS is that export's.
 */
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { createHash } from "node:crypto";
import type { Engine } from "./engines.js";
import type { Generated } from "./generate.js";
import { login, mb, memoryOf, ratio, stopServer, timedProcess, type ServerProcess } from "./support.js";

export interface ExportsBench {
  /** Where files are written. */
  work: string;
  report: (row: { id: string; benchmark: string; passerelle: string; reference: string; ratio: string; notes: string }, detail: unknown) => void;
  /** Starts a server on the data set (stopped by the caller). */
  server: (file: string) => Promise<ServerProcess>;
  /** The engine the servers run on (SQLite when absent). */
  engine?: Engine;
}

/** Memory every export must stay within (server RSS). */
const MEMORY_BUDGET = 200 * 1024 * 1024;

interface Download {
  seconds: number;
  bytes: Buffer;
  peak: number;
  idle: number;
}

/**
 * One export downloaded from a fresh server: its time, bytes and the server's peak RSS. The peak is
 * also sampled while it runs, so a server that dies still tells how far it got.
 */
async function download(ctx: ExportsBench, g: Generated, label: string, route: string, token?: (server: ServerProcess) => Promise<string>): Promise<Download> {
  const server = await ctx.server(g.file);
  try {
    const t = token ? await token(server) : await login(server.url, g.ownerEmail, g.password);
    const idle = memoryOf(server.child.pid!).peak;
    const started = performance.now();
    let lastPeak = idle;
    const sampler = setInterval(() => {
      try {
        lastPeak = memoryOf(server.child.pid!).peak;
      } catch {
        // gone
      }
    }, 1000);
    let bytes: Buffer;
    try {
      const res = await fetch(`${server.url}/api/v1/companies/${g.companyId}/${route}`, { headers: { authorization: `Bearer ${t}` } });
      if (res.status !== 200) throw new Error(`${label}: ${res.status} ${await res.text()}`);
      bytes = Buffer.from(await res.arrayBuffer());
    } catch (error) {
      const exit = await Promise.race([server.exited, new Promise<null>((r) => setTimeout(() => r(null), 5000))]);
      const fatal = /FATAL ERROR: [^\n]*/.exec(server.output())?.[0];
      throw new Error(
        `${label}: ${fatal ? `the server died after ${((performance.now() - started) / 1000).toFixed(0)} s (${fatal}) at ${mb(lastPeak)} RSS` : (error as Error).message}${exit ? ` (exit ${exit.code ?? exit.signal})` : ""}`,
      );
    } finally {
      clearInterval(sampler);
    }
    const seconds = (performance.now() - started) / 1000;
    return { seconds, bytes, peak: memoryOf(server.child.pid!).peak, idle };
  } finally {
    await stopServer(server, "SIGKILL");
  }
}

const lines = (bytes: Buffer) => bytes.toString("utf8").split("\r\n").filter(Boolean).length - 1;
const memoryNote = (peak: number) => (peak <= MEMORY_BUDGET ? "memory met" : "memory missed");

// ---------------------------------------------------------------- accountant and locks (for the FEC)

export async function accountantToken(base: string, ownerToken: string, g: Generated): Promise<string> {
  const email = "comptable@bench.example";
  const password = "benchmark comptable 2026";
  const existing = await fetch(`${base}/api/v1/auth/login`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ email, password }) });
  if (existing.status === 200) return ((await existing.json()) as any).token;
  const invite = await fetch(`${base}/api/v1/companies/${g.companyId}/invitations`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${ownerToken}` },
    body: JSON.stringify({ email }),
  });
  if (invite.status !== 201) throw new Error(`invitation: ${invite.status} ${await invite.text()}`);
  const outbox = path.join(`${g.file}.data`, "outbox");
  let token: string | undefined;
  for (let i = 0; i < 100 && !token; i++) {
    if (fs.existsSync(outbox)) {
      for (const f of fs.readdirSync(outbox)) {
        const text = fs.readFileSync(path.join(outbox, f), "utf8").replace(/=\r?\n/g, "");
        if (text.includes(email)) token = /\/invite\/([A-Za-z0-9_-]{20,})/.exec(text)?.[1];
      }
    }
    if (!token) await new Promise((r) => setTimeout(r, 100));
  }
  if (!token) throw new Error("no invitation e-mail in the outbox");
  const accept = await fetch(`${base}/api/v1/invitations/accept`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ token, name: "Cabinet Banc d'Essai", password }),
  });
  if (accept.status >= 300) throw new Error(`accept: ${accept.status} ${await accept.text()}`);
  return ((await accept.json()) as any).token;
}

// ---------------------------------------------------------------- 3. FEC

/**
 * The FEC lines of a year written by SQL alone: customer, revenue (by kind) and VAT lines of each
 * document, bank and customer lines of each payment. The same text for both engines but for what
 * PostgreSQL spells otherwise: the amount's format, the tab, a name for the subquery, and the
 * revenue lines grouped by the keys the columns they show depend on.
 */
export function fecFloorSql(companyId: string, from: string, to: string, engine: "sqlite" | "postgres" = "sqlite"): string {
  const pg = engine === "postgres";
  const amount = (x: string) => (pg ? `((${x}) / 100)::text || ',' || lpad(((${x}) % 100)::text, 2, '0')` : `printf('%d,%02d', (${x}) / 100, (${x}) % 100)`);
  const char = (code: number) => (pg ? `chr(${code})` : `char(${code})`);
  const d = (x: string) => `replace(${x}, '-', '')`;
  const doc = `FROM invoices i JOIN customers c ON c.id = i.customer_id WHERE i.company_id = '${companyId}' AND i.status != 'draft' AND i.issue_date BETWEEN '${from}' AND '${to}'`;
  const lines = (account: string, label: string, debit: string, credit: string, extra = "") =>
    `SELECT i.issue_date AS d, 0 AS j, i.series_key AS k, i.series_counter AS n, ${extra ? "2" : "1"} AS o, 'VE' || ${char(9)} || 'Ventes' || ${char(9)} || i.number || ${char(9)} || ${d("i.issue_date")} || ${char(9)} ||
       ${account} || ${char(9)} || ${label} || ${char(9)} || ${extra ? "''" : "c.code"} || ${char(9)} || ${extra ? "''" : "c.name"} || ${char(9)} || i.number || ${char(9)} || ${d("i.issue_date")} || ${char(9)} ||
       c.name || ${char(9)} || ${amount(debit)} || ${char(9)} || ${amount(credit)} || ${char(9)} || '' || ${char(9)} || '' || ${char(9)} || ${d("i.issue_date")} || ${char(9)} || '' || ${char(9)} || '' AS line`;
  const sign = "CASE i.type WHEN 'credit_note' THEN 1 ELSE 0 END";
  return `SELECT line FROM (
    ${lines("'411000'", "'Clients'", `CASE WHEN ${sign} = 0 THEN i.ttc_cents ELSE 0 END`, `CASE WHEN ${sign} = 1 THEN i.ttc_cents ELSE 0 END`)} ${doc}
    UNION ALL
    ${lines("CASE l.kind WHEN 'goods' THEN '707000' ELSE '706000' END", "CASE l.kind WHEN 'goods' THEN 'Ventes de marchandises' ELSE 'Prestations de services' END", `CASE WHEN ${sign} = 1 THEN SUM(l.net_cents) ELSE 0 END`, `CASE WHEN ${sign} = 0 THEN SUM(l.net_cents) ELSE 0 END`, "x")}
      FROM invoices i JOIN customers c ON c.id = i.customer_id JOIN invoice_lines l ON l.invoice_id = i.id
      WHERE i.company_id = '${companyId}' AND i.status != 'draft' AND i.issue_date BETWEEN '${from}' AND '${to}' GROUP BY ${pg ? "i.pk, c.pk" : "i.id"}, l.kind
    UNION ALL
    ${lines("'44571' || v.vat_rate_bp", "'TVA collectée'", `CASE WHEN ${sign} = 1 THEN v.vat_cents ELSE 0 END`, `CASE WHEN ${sign} = 0 THEN v.vat_cents ELSE 0 END`, "x")}
      FROM invoices i JOIN customers c ON c.id = i.customer_id JOIN invoice_vat v ON v.invoice_id = i.id
      WHERE i.company_id = '${companyId}' AND i.status != 'draft' AND i.issue_date BETWEEN '${from}' AND '${to}' AND v.vat_cents != 0
    UNION ALL
    SELECT p.date, 1, '', p.pk, o, 'BQ' || ${char(9)} || 'Banque' || ${char(9)} || 'BQ' || p.pk || ${char(9)} || ${d("p.date")} || ${char(9)} || acc || ${char(9)} || lib || ${char(9)} ||
       aux || ${char(9)} || auxlib || ${char(9)} || i.number || ${char(9)} || ${d("p.date")} || ${char(9)} || 'Règlement ' || i.number || ${char(9)} || ${amount("deb")} || ${char(9)} || ${amount("cre")} || ${char(9)} ||
       '' || ${char(9)} || '' || ${char(9)} || ${d("p.date")} || ${char(9)} || '' || ${char(9)} || ''
    FROM (SELECT p.*, 1 AS o, '512000' AS acc, 'Banque' AS lib, '' AS aux, '' AS auxlib, p.amount_cents AS deb, 0 AS cre FROM payments p
          UNION ALL SELECT p.*, 2, '411000', 'Clients', c.code, c.name, 0, p.amount_cents FROM payments p JOIN invoices i2 ON i2.id = p.invoice_id JOIN customers c ON c.id = i2.customer_id) p
      JOIN invoices i ON i.id = p.invoice_id
    WHERE p.company_id = '${companyId}' AND p.date BETWEEN '${from}' AND '${to}'
  )${pg ? " AS f" : ""} ORDER BY d, j, k, n, o`;
}

/** Each FEC's sha256 by period and engine, so that the second engine's file is compared with the first's. */
const fecDigests = new Map<string, string>();

/**
 * The floor of a FEC: the engine's command-line tool writing the same lines (fecFloorSql) to a file,
 * `sqlite3 -separator` or `psql`'s `\copy (…) TO file` (as CSV with a delimiter and a quote that
 * never occur, so each line is written as it is).
 */
async function fecFloor(ctx: ExportsBench, g: Generated, period: { from: string; to: string }, file: string) {
  if (ctx.engine?.id !== "postgres") {
    const sql = fecFloorSql(g.companyId, period.from, period.to);
    return { tool: "sqlite3 -separator dump", ...(await timedProcess("sqlite3", ["-readonly", "-noheader", "-separator", "\t", g.file, sql], file)) };
  }
  const sql = fecFloorSql(g.companyId, period.from, period.to, "postgres").replace(/\s+/g, " ");
  const copy = `\\copy (${sql}) TO '${file}' WITH (FORMAT csv, DELIMITER E'\\x02', QUOTE E'\\x01')`;
  const run = await timedProcess("psql", ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", ctx.engine.location, "-c", copy], `${file}.out`);
  return { tool: "psql \\copy (…) TO file", ...run, bytes: fs.statSync(file).size };
}

export async function fecBench(ctx: ExportsBench, g: Generated) {
  const engine = ctx.engine?.id ?? "sqlite";
  const year = { from: "2025-01-01", to: "2025-12-31" };
  const locked = { from: "2024-01-01", to: "2024-12-31" };
  // an accountant locks 2023–2024 (entries frozen), as after two year-end closings
  const server = await ctx.server(g.file);
  let lockSeconds: number | null = null;
  let lockPeak: number;
  try {
    const ownerToken = await login(server.url, g.ownerEmail, g.password);
    const token = await accountantToken(server.url, ownerToken, g);
    const current = (await (await fetch(`${server.url}/api/v1/companies/${g.companyId}/locks`, { headers: { authorization: `Bearer ${token}` } })).json()) as any;
    if (current.lockedUntil !== locked.to) {
      const started = performance.now();
      // one year-end closing after the other, as an accountant does them
      for (const until of ["2023-12-31", locked.to].filter((d) => !current.lockedUntil || d > current.lockedUntil)) {
        const res = await fetch(`${server.url}/api/v1/companies/${g.companyId}/locks`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          body: JSON.stringify({ until, kind: "soft" }),
        });
        if (res.status >= 300) throw new Error(`lock: ${res.status} ${await res.text()}`);
      }
      lockSeconds = (performance.now() - started) / 1000;
    }
    lockPeak = memoryOf(server.child.pid!).peak;
  } finally {
    await stopServer(server);
  }

  for (const [label, period] of [
    ["2024, locked (frozen entries)", locked],
    ["2025, open (entries computed)", year],
  ] as const) {
    const fec = await download(ctx, g, `FEC ${label}`, `exports/fec?from=${period.from}&to=${period.to}`);
    const suffix = engine === "sqlite" ? "" : `-${engine}`;
    fs.writeFileSync(path.join(ctx.work, `fec-${period.from.slice(0, 4)}${suffix}.txt`), fec.bytes);
    const lineCount = lines(fec.bytes);
    const floorFile = path.join(ctx.work, `fec-floor-${period.from.slice(0, 4)}${suffix}.txt`);
    const floor = await fecFloor(ctx, g, period, floorFile);
    const floorLines = fs.readFileSync(floorFile, "utf8").split("\n").filter(Boolean).length;
    const { seconds, peak, idle } = fec;
    // the same FEC from the other engine, earlier in this run: the files must be the same bytes
    const digest = createHash("sha256").update(fec.bytes).digest("hex");
    const other = [...fecDigests.entries()].find(([key]) => key.startsWith(`${period.from}|`) && key !== `${period.from}|${engine}`);
    fecDigests.set(`${period.from}|${engine}`, digest);
    const identical = other ? `; ${other[1] === digest ? "byte-identical to" : "DIFFERENT FROM"} ${other[0].split("|")[1] === "sqlite" ? "SQLite" : "PostgreSQL"}'s (sha256 ${digest.slice(0, 12)}…)` : "";
    ctx.report(
      {
        id: `fec-${period.from.slice(0, 4)}`,
        benchmark: `3. FEC export, fiscal year ${label}`,
        passerelle: `${seconds.toFixed(1)} s, ${(fec.bytes.length / 1024 / 1024 / seconds).toFixed(1)} MB/s, ${lineCount.toLocaleString("en")} lines, server peak RSS ${mb(peak)} (idle ${mb(idle)})`,
        reference: `${floor.tool}: ${floor.seconds.toFixed(1)} s, ${(floor.bytes / 1024 / 1024 / floor.seconds).toFixed(1)} MB/s, ${floorLines.toLocaleString("en")} lines, peak RSS ${mb(floor.peak)}`,
        ratio: ratio(seconds, floor.seconds),
        notes: `target ≤ 1.5× the floor (≤ 2× on either engine) and ≤ 200 MB: ${seconds <= 1.5 * floor.seconds ? "time met" : seconds <= 2 * floor.seconds ? "1.5× missed, 2× met" : "time missed"}, ${memoryNote(peak)}${identical}${lockSeconds !== null && label.startsWith("2024") ? `; locking 2023 then 2024 took ${lockSeconds.toFixed(1)} s (peak ${mb(lockPeak)})` : ""}`,
      },
      { seconds, bytes: fec.bytes.length, lines: lineCount, peak, idle, floor: { ...floor, lines: floorLines }, lockSeconds, lockPeak },
    );
  }
}

// ---------------------------------------------------------------- 4. XLSX (and the CSV of the same rows)

/**
 * The journal workbook of the first 100,000 journal rows (the period up to the day they reach),
 * the CSV journal of the same filter (the same rows), and the FEC of the same period (the entry
 * lines of the workbook's Écritures sheet): each timed on its own server.
 */
export async function xlsxBench(ctx: ExportsBench, g: Generated) {
  const db = new Database(g.file, { readonly: true });
  const target = 100_000;
  const total = db.prepare("SELECT COUNT(*) FROM invoices WHERE company_id = ? AND status != 'draft'").pluck().get(g.companyId) as number;
  const rowsWanted = Math.min(target, total);
  const to = db
    .prepare("SELECT issue_date FROM invoices WHERE company_id = ? AND status != 'draft' ORDER BY issue_date, series_key, series_counter LIMIT 1 OFFSET ?")
    .pluck()
    .get(g.companyId, rowsWanted - 1) as string;
  const count = db.prepare("SELECT COUNT(*) FROM invoices WHERE company_id = ? AND status != 'draft' AND issue_date <= ?").pluck().get(g.companyId, to) as number;
  db.close();
  const filter = `from=${g.firstDate}&to=${to}`;
  const csv = await download(ctx, g, "CSV", `exports/sales-journal.csv?${filter}`);
  const csvLines = csv.bytes.toString("utf8").split("\r\n").filter(Boolean).length - 1;
  // the workbook also holds every entry line of those documents, within the default cap (XLSX_MAX_ROWS)
  const xlsx = await download(ctx, g, "XLSX", `exports/sales-journal.xlsx?${filter}`);
  const fec = await download(ctx, g, "FEC of the same period", `exports/fec?${filter}`);
  const entryLines = lines(fec.bytes);
  const textSeconds = csv.seconds + fec.seconds;
  ctx.report(
    {
      id: "csv",
      benchmark: `4. CSV export of the sales journal, ${count.toLocaleString("en")} rows`,
      passerelle: `${csv.seconds.toFixed(1)} s, ${mb(csv.bytes.length)}, ${csvLines.toLocaleString("en")} rows, server peak RSS ${mb(csv.peak)} (idle ${mb(csv.idle)})`,
      reference: "—",
      ratio: "—",
      notes: `${Math.round(count / csv.seconds).toLocaleString("en")} journal rows/s; the reference of the XLSX row below; ${memoryNote(csv.peak)} (≤ 200 MB)`,
    },
    { rows: csvLines, seconds: csv.seconds, bytes: csv.bytes.length, peak: csv.peak, idle: csv.idle },
  );
  ctx.report(
    {
      id: "xlsx",
      benchmark: `4. XLSX export of the sales journal, ${count.toLocaleString("en")} rows and their ${entryLines.toLocaleString("en")} entry lines`,
      passerelle: `${xlsx.seconds.toFixed(1)} s, ${mb(xlsx.bytes.length)}, server peak RSS ${mb(xlsx.peak)} (idle ${mb(xlsx.idle)})`,
      reference: `CSV journal of the same rows: ${csv.seconds.toFixed(1)} s; with the FEC of the same period (its ${entryLines.toLocaleString("en")} entry lines, ${fec.seconds.toFixed(1)} s, peak RSS ${mb(fec.peak)}): ${textSeconds.toFixed(1)} s`,
      ratio: `${ratio(xlsx.seconds, csv.seconds)} the CSV; ${ratio(xlsx.seconds, textSeconds)} CSV + FEC`,
      notes: `target ≤ 2× the CSV and ≤ 200 MB: ${xlsx.seconds <= 2 * csv.seconds ? "time met" : "time missed"} against the CSV alone (which holds no entry lines), ${xlsx.seconds <= 2 * textSeconds ? "met" : "missed"} against CSV + FEC (every row the workbook holds), ${memoryNote(xlsx.peak)}; ${Math.round(count / xlsx.seconds).toLocaleString("en")} journal rows/s`,
    },
    { rows: count, entryLines, seconds: xlsx.seconds, bytes: xlsx.bytes.length, peak: xlsx.peak, idle: xlsx.idle, csv: { seconds: csv.seconds, peak: csv.peak }, fec: { seconds: fec.seconds, peak: fec.peak } },
  );
}
