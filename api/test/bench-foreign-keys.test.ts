/** The benchmark's foreign-key check on two threads finds what `PRAGMA foreign_key_check` finds, in the tables of either thread. */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../src/db/connection.js";
import { CHECKED_BY_WORKER, foreignKeyViolations } from "../bench/foreign-keys.js";

describe("the benchmark's foreign-key check", () => {
  it("reports every broken reference, whichever thread checks its table, as PRAGMA foreign_key_check does", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-fk-"));
    const file = path.join(dir, "fk.db");
    const db = openDatabase(file);
    try {
      expect(await foreignKeyViolations(db, file)).toEqual([]);
      db.pragma("foreign_keys = OFF");
      db.prepare("INSERT INTO invoice_vat (invoice_id, vat_rate_bp, base_cents, vat_cents) VALUES ('no-such-invoice', 2000, 100, 20)").run();
      db.prepare("INSERT INTO record_chain (company_id, position, record_kind, record_id, hash) VALUES ('no-such-company', 1, 'invoice', 'x', 'h')").run();
      expect(CHECKED_BY_WORKER.has("invoice_vat")).toBe(false);
      expect(CHECKED_BY_WORKER.has("record_chain")).toBe(true);
      const violations = await foreignKeyViolations(db, file);
      const byTable = (vs: { table: string }[]) => [...vs].sort((a, b) => a.table.localeCompare(b.table));
      const expected = db.prepare("PRAGMA foreign_key_check").all() as { table: string }[];
      expect(violations.map((v) => [v.table, v.parent]).sort()).toEqual([
        ["invoice_vat", "invoices"],
        ["record_chain", "companies"],
      ]);
      expect(byTable(violations)).toEqual(byTable(expected));
    } finally {
      db.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
