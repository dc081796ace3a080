/**
 * The journal's first page, whose totals are computed for its filter (the service keeps them for the
 * pages after it, per filter and change): the filters on dates alone (a month, a quarter, a year,
 * any dates, with or without a document type) read the sums per day; the filters on a customer or
 * a category sum the documents they select. Before each measured request a write (a customer's
 * e-mail changed through the API, not timed) makes the company's kept totals stale, as any write
 * does, so every measured request computes its totals.
 *
 * Period filters: the first page against the same page once its totals are kept (its floor: the
 * page without totals), and the totals alone from the sums per day against the same totals summed
 * over the documents (as every filter was read before the sums). Customer and category filters:
 * the first page against the engine's command-line tool (sqlite3, psql) running the same statements.
 */
import { addDays } from "@passerelle/shared";
import type { createApp } from "../src/app.js";
import type { Db } from "../src/db/connection.js";
import { periodTotals } from "../src/db/journal-aggregates.js";
import { scannedTotals } from "../src/services/journal.js";
import type { Generated } from "./generate.js";
import type { Engine } from "./engines.js";
import { captureStatements, ms, ratio, stats, type Captured } from "./support.js";
import { since, threadTimes } from "./thread-times.js";

export interface JournalTotalsRow {
  id: string;
  benchmark: string;
  passerelle: string;
  reference: string;
  ratio: string;
  notes: string;
}

interface Setup {
  app: ReturnType<typeof createApp>;
  db: Db;
  token: string;
  g: Generated;
  samples: number;
  /** The engine the app runs on: its floor (its command-line tool running the same statements). */
  engine: Pick<Engine, "tool" | "timedGroups">;
  report: (row: JournalTotalsRow, detail: unknown) => void;
}

type Period = { from?: string; to?: string; type?: "invoice" | "credit_note" };

/** A deterministic sequence of numbers in [0, 1). */
function random(seed: number) {
  let s = seed;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31), s / 2 ** 31);
}

const lastDayOfMonth = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);

/** Filters of each kind over the data set's three years, different from sample to sample. */
function periods(g: Generated, n: number): Record<string, Period[]> {
  const next = random(20_261_207);
  const years = [2023, 2024, 2025];
  const pick = <T>(xs: T[]) => xs[Math.floor(next() * xs.length)]!;
  const span = Math.round((Date.parse(g.lastDate) - Date.parse(g.firstDate)) / 86_400_000);
  return {
    month: Array.from({ length: n }, () => {
      const year = pick(years);
      const month = 1 + Math.floor(next() * 12);
      return { from: `${year}-${String(month).padStart(2, "0")}-01`, to: lastDayOfMonth(year, month) };
    }),
    quarter: Array.from({ length: n }, () => {
      const year = pick(years);
      const q = Math.floor(next() * 4);
      return { from: `${year}-${String(3 * q + 1).padStart(2, "0")}-01`, to: lastDayOfMonth(year, 3 * q + 3) };
    }),
    "fiscal year": Array.from({ length: n }, () => {
      const year = pick(years);
      return { from: `${year}-01-01`, to: `${year}-12-31` };
    }),
    "any dates and type": Array.from({ length: n }, () => {
      const a = Math.floor(next() * span);
      const b = Math.floor(next() * span);
      const type = pick([undefined, "invoice", "credit_note"] as const);
      return { from: addDays(g.firstDate, Math.min(a, b)), to: addDays(g.firstDate, Math.max(a, b)), ...(type ? { type } : {}) };
    }),
  };
}

function query(filter: Record<string, string | undefined>): string {
  return new URLSearchParams(Object.entries(filter).filter((e): e is [string, string] => e[1] !== undefined)).toString();
}

export async function journalTotalsBench(s: Setup): Promise<void> {
  const { app, db, token, g } = s;
  const headers = { authorization: `Bearer ${token}` };
  const customers = db.prepare("SELECT id FROM customers WHERE company_id = ? ORDER BY code").pluck().all(g.companyId) as string[];
  const touched = customers.at(-1)!;
  let writes = 0;
  /** A write through the API: the company's change sequence moves, its kept totals no longer serve. */
  const write = async () => {
    const res = await app.request(`/api/v1/companies/${g.companyId}/customers/${touched}`, {
      method: "PATCH",
      headers: { ...headers, "content-type": "application/json" },
      body: JSON.stringify({ email: `compta${++writes % 2}@example.fr` }),
    });
    if (res.status !== 200) throw new Error(`write between samples: ${res.status} ${await res.text()}`);
  };
  const page = async (filter: Record<string, string | undefined>) => {
    const url = `/api/v1/companies/${g.companyId}/sales-journal?${query({ limit: "1000", ...filter })}`;
    const cpu = threadTimes();
    const started = performance.now();
    const res = await app.request(url, { headers });
    const body: any = await res.json();
    const elapsed = performance.now() - started;
    const used = since(cpu);
    if (res.status !== 200) throw new Error(`${url}: ${res.status} ${JSON.stringify(body)}`);
    return { elapsed, cpu: used ? used.cpuSeconds * 1000 : Number.NaN, rows: body.items.length as number, count: body.totals.count as number };
  };
  await page({ type: "credit_note" }); // warm-up: the first request compiles the statements

  // 1. period filters
  for (const [kind, filters] of Object.entries(periods(g, s.samples))) {
    const first: number[] = [];
    const firstCpu: number[] = [];
    const kept: number[] = [];
    const fromSums: number[] = [];
    const scanned: number[] = [];
    let rows = 0;
    let documents = 0;
    for (const [i, filter] of filters.entries()) {
      await write();
      const cold = await page(filter);
      first.push(cold.elapsed);
      firstCpu.push(cold.cpu);
      kept.push((await page(filter)).elapsed);
      rows += cold.rows;
      documents += cold.count;
      let at = performance.now();
      const sums = periodTotals(db, g.companyId, filter);
      fromSums.push(performance.now() - at);
      // summing the documents costs up to seconds a filter: a quarter of the samples
      if (i % 4 === 0) {
        at = performance.now();
        const total = scannedTotals(db, g.companyId, filter);
        scanned.push(performance.now() - at);
        if (JSON.stringify(total) !== JSON.stringify(sums)) throw new Error(`${kind} ${JSON.stringify(filter)}: the sums per day differ from the documents'`);
      }
    }
    const f = stats(first);
    const fc = stats(firstCpu);
    const k = stats(kept);
    const a = stats(fromSums);
    const sc = stats(scanned);
    s.report(
      {
        id: `journal-totals-${kind.split(" ")[0]}`,
        benchmark: `2. Journal's first page with its totals, ${kind} (sums per day)`,
        passerelle: `first page p50 ${ms(f.p50)} / p99 ${ms(f.p99)} (CPU p50 ${ms(fc.p50)} / p99 ${ms(fc.p99)}); its totals alone p50 ${ms(a.p50)} / p99 ${ms(a.p99)}`,
        reference: `same page, totals kept: p50 ${ms(k.p50)} / p99 ${ms(k.p99)}; totals summed over the documents: p50 ${ms(sc.p50)} / p99 ${ms(sc.p99)}`,
        ratio: `${ratio(f.p50, k.p50)} the page / ${ratio(sc.p50, a.p50)} faster totals`,
        notes:
          `${f.n} filters, each after a write; target ≤ 50 ms p99 for the first page: ${f.p99 <= 50 ? "met" : "not met"} (its CPU time ${fc.p99 <= 50 ? "within" : "over"} it); ` +
          `${Math.round(documents / f.n).toLocaleString("en")} documents and ${Math.round(rows / f.n)} rows a page on average; documents summed for ${sc.n} of them`,
      },
      { first: f, firstCpu: fc, kept: k, fromSums: a, scanned: sc },
    );
  }

  // 2. customer and category filters, against the engine's command-line tool running the same statements
  const next = random(42);
  const categories = ["Particuliers", "Professionnels", "Collectivités", "Export", "Mobilier", "Agencement", "Pose", "Conseil"];
  const filtered: [string, string, () => Record<string, string>][] = [
    ["customer", "one customer", () => ({ customerId: customers[Math.floor(next() * customers.length)]! })],
    ["category", "one category (the customer's or a product's)", () => ({ category: categories[Math.floor(next() * categories.length)]! })],
  ];
  for (const [id, label, filterOf] of filtered) {
    // a category's totals read every document: fewer samples
    const n = id === "category" ? Math.max(3, Math.round(s.samples / 8)) : s.samples;
    const times: number[] = [];
    const groups: Captured[][] = [];
    for (let i = 0; i < n; i++) {
      const filter = filterOf();
      await write();
      times.push((await page(filter)).elapsed);
      // the same request again after another write, its statements captured (compiled afresh: not timed)
      await write();
      const { statements } = await captureStatements(db, () => page(filter));
      groups.push(statements);
    }
    const cli = s.engine.timedGroups(groups);
    const a = stats(times);
    const c = stats(cli);
    s.report(
      {
        id: `journal-totals-${id}`,
        benchmark: `2. Journal's first page with its totals, ${label} (documents summed)`,
        passerelle: `app.request p50 ${ms(a.p50)} / p99 ${ms(a.p99)}`,
        reference: `${s.engine.tool}, same ${groups[0]!.length} statements: p50 ${ms(c.p50)} / p99 ${ms(c.p99)}`,
        ratio: ratio(a.p50, c.p50),
        notes: `${a.n} filters, each after a write; target ≤ 3× the floor: ${a.p50 <= 3 * c.p50 ? "met" : "not met"} (p99 ${ratio(a.p99, c.p99)})`,
      },
      { app: a, cli: c, statements: groups[0]!.map((c) => c.sql) },
    );
  }
}
