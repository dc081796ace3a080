/**
 * The exports read the same bytes from both engines: the same company, seeded through the API on
 * SQLite and on PostgreSQL (PGlite, or the server PASSERELLE_TEST_DATABASE names), exports the same
 * FEC, CSV journal, XLSX workbook (every part), PDF register (its text) and accountant pack (its
 * listing and text files). On PostgreSQL the exports read through server-side cursors on a reader
 * of their own (db/pages.ts): those are checked to be used, batch after batch, and closed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fecEntryText, type FecSeparator } from "@passerelle/shared";
import { scenario } from "./export-scenario.js";
import { download, unzip } from "./export-support.js";
import { pdfText } from "./pdf-text.js";
import { freshDatabase } from "../src/db/postgres/fresh.js";
import { isPostgres } from "../src/db/connection.js";
import { readsWithCursors } from "../src/db/pages.js";
import { openReader } from "../src/exports/stream.js";
import { planFec, planEntries } from "../src/exports/fec.js";

type Seeded = Awaited<ReturnType<typeof scenario>>;

const engine = process.env.PASSERELLE_TEST_DATABASE;
const postgresLocation = () => (!engine || engine === "pglite" ? "pglite:" : freshDatabase(engine));

let sqlite: Seeded;
let postgres: Seeded;

beforeAll(async () => {
  sqlite = await scenario({ databasePath: ":memory:" });
  postgres = await scenario({ databasePath: postgresLocation() });
}, 120_000);

afterAll(() => {
  sqlite?.t.deps.db.close();
  postgres?.t.deps.db.close();
});

/** The same export downloaded from both apps (each with its own company and accountant). */
async function both(path: string) {
  const get = (s: Seeded) => download(s.t, `/companies/${s.o.companyId}${path}`, s.accountant.token);
  const [a, b] = [await get(sqlite), await get(postgres)];
  expect(a.status, a.text.slice(0, 300)).toBe(200);
  expect(b.status, b.text.slice(0, 300)).toBe(200);
  return [a, b] as const;
}

describe("exports on SQLite and on PostgreSQL", () => {
  it("the engines hold the data they are said to", () => {
    expect(isPostgres(sqlite.t.deps.db)).toBe(false);
    expect(isPostgres(postgres.t.deps.db)).toBe(true);
  });

  it("FEC: the same bytes, open and locked months, whole year and filtered", async () => {
    for (const query of ["", "?from=2026-01-01&to=2026-12-31", "?from=2026-11-01&to=2026-11-30", "?journals=BQ", "?type=invoice", "?separator=pipe"]) {
      const [a, b] = await both(`/exports/fec${query}`);
      expect(b.bytes.length, query).toBeGreaterThan(400);
      expect(b.bytes.equals(a.bytes), query).toBe(true);
      expect(b.headers.get("content-disposition"), query).toBe(a.headers.get("content-disposition"));
    }
  });

  it("CSV journal: the same bytes, in both locales", async () => {
    for (const query of ["", "?locale=en", "?type=credit_note", "?from=2026-11-01&to=2026-11-30"]) {
      const [a, b] = await both(`/exports/sales-journal.csv${query}`);
      expect(b.bytes.toString("utf8").split("\r\n").length, query).toBeGreaterThan(2);
      expect(b.bytes.equals(a.bytes), query).toBe(true);
    }
  });

  it("XLSX workbook: every part the same", async () => {
    const [a, b] = await both("/exports/sales-journal.xlsx?from=2026-10-01&to=2026-11-30");
    const [pa, pb] = [await unzip(a.bytes), await unzip(b.bytes)];
    expect([...pb.keys()]).toEqual([...pa.keys()]);
    expect([...pb.keys()]).toContain("xl/worksheets/sheet3.xml");
    for (const [name, bytes] of pa) expect(pb.get(name)!.toString("utf8"), name).toBe(bytes.toString("utf8"));
  });

  it("PDF register: the same text on every page", async () => {
    const [a, b] = await both("/exports/sales-journal.pdf?from=2026-10-01&to=2026-11-30");
    const [ta, tb] = [await pdfText(a.bytes), await pdfText(b.bytes)];
    expect(tb.flat().join(" ")).toContain("Journal des ventes");
    expect(tb).toEqual(ta);
  });

  it("accountant pack: the same files, byte for byte (journal, FEC, descriptif, invoice PDFs, README)", async () => {
    const [a, b] = await both("/exports/pack.zip?from=2026-10-01&to=2026-11-30");
    const [pa, pb] = [await unzip(a.bytes), await unzip(b.bytes)];
    expect([...pb.keys()]).toEqual([...pa.keys()]);
    expect([...pb.keys()].filter((n) => n.startsWith("factures/"))).toHaveLength(6);
    for (const [name, bytes] of pa) expect(pb.get(name)!.equals(bytes), name).toBe(true);
    expect(pb.get("LISEZMOI.txt")!.toString("utf8")).toContain("SHA-256");
  });
});

describe("a PostgreSQL export reads through cursors", () => {
  // pg_cursors lists the protocol's portals too (the query's own): only the exports' cursors are counted
  const CURSORS = "SELECT COUNT(*) FROM pg_cursors WHERE name LIKE 'passerelle_cursor_%'";
  const openCursors = (s: Seeded) => s.t.deps.db.prepare(CURSORS).pluck().get() as number;

  it("batch after batch (pages of 2 entries), the same entries as SQLite's pages, and no cursor left behind", () => {
    const lines = (s: Seeded, separator: FecSeparator = "tab") => {
      const plan = planFec(s.t.deps.db, s.o.companyId, { separator, from: "2026-01-01", to: "2026-12-31" }, "2026-11-20", {});
      const reader = openReader(s.t.deps.db);
      try {
        const out: string[] = [];
        for (const entry of planEntries(reader.db, plan, 2)) {
          out.push(fecEntryText(entry, separator, { unvalidatedDate: plan.exportedOn }));
          if (out.length === 1 && s === postgres) {
            expect(readsWithCursors(reader.db)).toBe(true);
            // the frozen entries' cursor is open while October is read
            expect(reader.db.prepare(CURSORS).pluck().get()).toBe(1);
          }
        }
        return out;
      } finally {
        reader.close();
      }
    };
    const expected = lines(sqlite);
    expect(expected).toHaveLength(9);
    expect(lines(postgres)).toEqual(expected);
    expect(openCursors(postgres)).toBe(0);
  });

  it("an export stopped early closes its cursors", () => {
    const plan = planFec(postgres.t.deps.db, postgres.o.companyId, { separator: "tab", from: "2026-11-01", to: "2026-11-30" }, "2026-11-20", {});
    const reader = openReader(postgres.t.deps.db);
    const entries = planEntries(reader.db, plan, 1);
    expect(entries.next().done).toBe(false);
    // the sales and bank journals of the open month: one cursor each
    expect(reader.db.prepare(CURSORS).pluck().get()).toBe(2);
    entries.return();
    expect(reader.db.prepare(CURSORS).pluck().get()).toBe(0);
    reader.close();
    expect(openCursors(postgres)).toBe(0);
  });
});
