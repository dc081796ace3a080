/**
 * The proof that a PostgreSQL database holds the same books as the SQLite database it was copied
 * from (db/copy-to-postgres.ts), each engine read from one snapshot:
 *
 * 1. every table row for row, in key order, a page at a time (sessions left out, as the copy leaves
 *    them), naming the first row and column that differ;
 * 2. the integrity check (services/integrity.ts) of every company on both engines, each recomputing
 *    the chains from its own rows;
 * 3. the head of every company's record chain (position and hash), identical on both;
 * 4. the FEC of every company and fiscal year with entries, byte for byte (its SHA-256), as each
 *    engine writes it (exports/fec.ts).
 */
import { createHash } from "node:crypto";
import { addDays, fiscalYearOf } from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import { schemaVersionOf } from "../db/connection.js";
import { NOT_COPIED } from "../db/copy-to-postgres.js";
import { sqliteTables, tablePages, type TableShape } from "../db/tables.js";
import { checkBooks, describeCheck } from "../backups/check.js";
import { emptyStats, fecPieces, planFec } from "../exports/fec.js";

export interface CopyProof {
  ok: boolean;
  /** What was compared and found equal, one line each. */
  matched: string[];
  /** What differs, each naming the table, row, company or year. */
  differences: string[];
}

const PAGE = 1_000;

export function proveCopy(sqlite: Db, postgres: Db, options: { exportedOn?: string } = {}): CopyProof {
  const exportedOn = options.exportedOn ?? new Date().toISOString().slice(0, 10);
  const matched: string[] = [];
  const differences: string[] = [];
  sqlite.transaction(() => {
    postgres.transaction(() => {
      const versions = [schemaVersionOf(sqlite), schemaVersionOf(postgres)];
      if (versions[0] !== versions[1]) differences.push(`schema version: SQLite ${versions[0]}, PostgreSQL ${versions[1]}`);

      let rows = 0;
      const tables = sqliteTables(sqlite).filter((t) => !NOT_COPIED.has(t.name));
      for (const table of tables) {
        const compared = compareTable(sqlite, postgres, table);
        rows += compared.rows;
        if (compared.difference) differences.push(compared.difference);
      }
      if (differences.length === 0) matched.push(`rows: ${tables.length} tables, ${rows} rows identical`);

      const checks = { SQLite: checkBooks(sqlite, versions[0]!), PostgreSQL: checkBooks(postgres, versions[1]!) };
      for (const [engine, check] of Object.entries(checks)) {
        if (check.ok) matched.push(`integrity on ${engine}: ${check.companies.length} companies valid`);
        else differences.push(`integrity on ${engine} fails:\n  ${describeCheck(check, engine).join("\n  ")}`);
      }

      const companies = sqlite.prepare("SELECT id, name, fiscal_year_start FROM companies ORDER BY name, id").all() as { id: string; name: string; fiscal_year_start: string }[];
      for (const company of companies) {
        const heads = [chainHead(sqlite, company.id), chainHead(postgres, company.id)];
        if (heads[0] === heads[1]) matched.push(`${company.name}: chain head ${heads[0]}`);
        else differences.push(`${company.name}: chain head differs (SQLite ${heads[0]}, PostgreSQL ${heads[1]})`);

        for (const year of fiscalYears(sqlite, company.id, company.fiscal_year_start)) {
          const fec = [fecDigest(sqlite, company.id, year, exportedOn), fecDigest(postgres, company.id, year, exportedOn)];
          const label = `${company.name}: FEC ${year.from} to ${year.to}`;
          if (fec[0]!.sha256 === fec[1]!.sha256) matched.push(`${label}: ${fec[0]!.bytes} bytes, identical (sha256 ${fec[0]!.sha256.slice(0, 16)}…)`);
          else differences.push(`${label} differs: SQLite ${fec[0]!.bytes} bytes (sha256 ${fec[0]!.sha256.slice(0, 16)}…), PostgreSQL ${fec[1]!.bytes} bytes (sha256 ${fec[1]!.sha256.slice(0, 16)}…)`);
        }
      }
    })();
  })();
  return { ok: differences.length === 0, matched, differences };
}

/** Compares a table's rows on both engines in key order; the first difference found, named. */
function compareTable(sqlite: Db, postgres: Db, table: TableShape): { rows: number; difference: string | null } {
  const left = rowsOf(sqlite, table);
  const right = rowsOf(postgres, table);
  const keyOf = (row: unknown[]) => table.key.map((k) => `${k}=${show(row[table.columns.indexOf(k)])}`).join(", ");
  let rows = 0;
  for (;;) {
    const a = left.next();
    const b = right.next();
    if (a.done && b.done) return { rows, difference: null };
    if (a.done || b.done) {
      const [more, row] = a.done ? ["PostgreSQL", b.value as unknown[]] : ["SQLite", a.value as unknown[]];
      return { rows, difference: `${table.name}: row ${keyOf(row)} is only on ${more} (${rows} rows alike before it)` };
    }
    rows++;
    const differs = table.columns.findIndex((_, i) => !same(a.value[i], b.value[i]));
    if (differs >= 0) {
      const column = table.columns[differs]!;
      const keyDiffers = table.key.includes(column);
      return {
        rows,
        difference: keyDiffers
          ? `${table.name}: rows differ after ${rows - 1} alike (SQLite's next is ${keyOf(a.value)}, PostgreSQL's ${keyOf(b.value)})`
          : `${table.name}: row ${keyOf(a.value)} differs in ${column} (SQLite ${show(a.value[differs])}, PostgreSQL ${show(b.value[differs])})`,
      };
    }
  }
}

function* rowsOf(db: Db, table: TableShape): Generator<unknown[], void, void> {
  for (const page of tablePages(db, table, table.columns, PAGE)) yield* page;
}

function same(a: unknown, b: unknown): boolean {
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  return a === b;
}

function show(value: unknown): string {
  if (Buffer.isBuffer(value)) return `${value.length} bytes`;
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  return String(value);
}

function chainHead(db: Db, companyId: string): string {
  const head = db.prepare("SELECT position, hash FROM record_chain WHERE company_id = ? ORDER BY position DESC LIMIT 1").get(companyId) as { position: number; hash: string } | undefined;
  return head ? `#${head.position} ${head.hash}` : "(empty)";
}

/** The fiscal years from the company's first entry to its last (issued documents and payments). */
function fiscalYears(db: Db, companyId: string, start: string): { from: string; to: string }[] {
  const span = db
    .prepare(
      `SELECT MIN(d) AS first, MAX(d) AS last FROM (
         SELECT issue_date AS d FROM invoices WHERE company_id = ? AND number IS NOT NULL
         UNION ALL SELECT date AS d FROM payments WHERE company_id = ?) AS dates`,
    )
    .get(companyId, companyId) as { first: string | null; last: string | null };
  if (!span.first || !span.last) return [];
  const years: { from: string; to: string }[] = [];
  for (let year = fiscalYearOf(span.first, start); year.from <= span.last; year = fiscalYearOf(addDays(year.to, 1), start)) years.push(year);
  return years;
}

function fecDigest(db: Db, companyId: string, year: { from: string; to: string }, exportedOn: string): { sha256: string; bytes: number } {
  const plan = planFec(db, companyId, { from: year.from, to: year.to, separator: "tab" }, exportedOn, {});
  const hash = createHash("sha256");
  let bytes = 0;
  for (const piece of fecPieces(db, plan, emptyStats())) {
    const chunk = Buffer.from(piece, "utf8");
    hash.update(chunk);
    bytes += chunk.length;
  }
  return { sha256: hash.digest("hex"), bytes };
}
