/** The rewrites of SQLite's SQL into PostgreSQL's (src/db/postgres/dialect.ts), each one on its own. */
import { describe, expect, it } from "vitest";
import { toPostgres } from "../src/db/postgres/dialect.js";

const keys = new Map([["payments", "pk"]]);
const text = (sql: string) => toPostgres(sql, keys).text;

describe("the PostgreSQL dialect", () => {
  it("numbers every parameter in order, a named one at each place it stands", () => {
    expect(toPostgres("SELECT a FROM t WHERE b = ? AND (@from IS NULL OR c >= @from) AND d = ?")).toEqual({
      text: "SELECT a FROM t WHERE b = $1 AND ($2::text IS NULL OR c >= $3) AND d = $4",
      parameters: [{ index: 0 }, { name: "from" }, { name: "from" }, { index: 1 }],
      returnsKey: false,
    });
    expect(toPostgres("SELECT ?2, ?1, :x, $y").parameters).toEqual([{ index: 1 }, { index: 0 }, { name: "x" }, { name: "y" }]);
  });

  it("leaves literals, quoted names and comments as they are", () => {
    expect(text(`SELECT '? @a LIKE x', "LIKE" FROM t -- ? LIKE\nWHERE a LIKE ?`)).toBe(`SELECT '? @a LIKE x', "LIKE" FROM t -- ? LIKE\nWHERE a ILIKE $1`);
  });

  it("ignores ASCII case as SQLite does: LIKE and COLLATE NOCASE", () => {
    expect(text("SELECT 1 FROM c WHERE name LIKE @like ESCAPE '\\' AND code NOT LIKE ?")).toBe("SELECT 1 FROM c WHERE name ILIKE $1 ESCAPE '\\' AND code NOT ILIKE $2");
    expect(text("SELECT 1 FROM customers WHERE company_id = ? AND code = ? COLLATE NOCASE")).toBe("SELECT 1 FROM customers WHERE company_id = $1 AND lower(code) = lower($2)");
    expect(text("SELECT 1 FROM c WHERE (name COLLATE NOCASE, pk) > (@afterName, @afterPk) ORDER BY name COLLATE NOCASE, pk")).toBe(
      "SELECT 1 FROM c WHERE (lower(name), pk) > (lower($1), $2) ORDER BY lower(name), pk",
    );
  });

  it("reads JSON lists and members", () => {
    expect(text("SELECT id FROM i WHERE id IN (SELECT value FROM json_each(?))")).toBe("SELECT id FROM i WHERE id IN (SELECT value FROM json_array_elements_text($1::text::json))");
    expect(text("SELECT v.a FROM json_each(@ids) j JOIN v ON v.id = j.value")).toBe("SELECT v.a FROM json_array_elements_text($1::text::json) j JOIN v ON v.id = j.value");
    expect(text("SELECT json ->> '$.code' AS code, COALESCE(json_extract(fc.json, '$.name'), c.name) FROM f")).toBe(
      "SELECT json::text::jsonb ->> 'code' AS code, COALESCE((fc.json)::text::jsonb ->> 'name', c.name) FROM f",
    );
    expect(text("SELECT SUM(json_array_length(f.entry_json, '$.lines')) FROM f")).toBe("SELECT SUM(json_array_length((f.entry_json)::text::json -> 'lines')) FROM f");
    expect(text(`SELECT json_extract(@refreshed, '$."' || m.company_id || '"') AS at FROM m`)).toBe("SELECT (($1)::text::jsonb ->> m.company_id) AS at FROM m");
  });

  it("rewrites dates, casts, null-safe equality and SQLite's index hints", () => {
    expect(text("SELECT 1 WHERE a.at < date(@to, '+1 day')")).toBe("SELECT 1 WHERE a.at < (($1)::date + ('+1 day')::interval)::date::text");
    expect(text("SELECT CAST(x / 2 AS INTEGER), ifnull(a, 0) FROM t")).toBe("SELECT CAST(x / 2 AS bigint), coalesce(a, 0) FROM t");
    expect(text("SELECT 1 WHERE a IS ? AND b IS NOT @b AND c IS NULL AND d IS NOT NULL")).toBe("SELECT 1 WHERE a IS NOT DISTINCT FROM $1 AND b IS DISTINCT FROM $2 AND c IS NULL AND d IS NOT NULL");
    expect(text("SELECT 1 FROM i WHERE +i.issue_date >= ? AND (+i.customer_id = ?) AND a.x + b.y > 0")).toBe("SELECT 1 FROM i WHERE i.issue_date >= $1 AND (i.customer_id = $2) AND a.x + b.y > 0");
    expect(text("SELECT 1 FROM invoices i INDEXED BY invoices_by_date JOIN c NOT INDEXED ON c.id = i.c")).toBe("SELECT 1 FROM invoices i JOIN c ON c.id = i.c");
  });

  it("renames the functions PostgreSQL spells differently", () => {
    expect(text("SELECT MAX(a), max(COALESCE(b, ''), (SELECT MAX(c) FROM t), ''), min(x, y), json_group_array(json_object('a', a)) FROM t")).toBe(
      "SELECT MAX(a), greatest(COALESCE(b, ''), (SELECT MAX(c) FROM t), ''), least(x, y), coalesce(json_agg(json_build_object('a', a)), '[]'::json) FROM t",
    );
  });

  it("keeps the case of camelCase names, which PostgreSQL would fold", () => {
    expect(text("SELECT c.id AS companyId, m.role FROM c WHERE x = @companyId ORDER BY companyId, t.lastSeq")).toBe('SELECT c.id AS "companyId", m.role FROM c WHERE x = $1 ORDER BY "companyId", t."lastSeq"');
  });

  it("asks an INSERT for the key PostgreSQL gives, and ignores a conflict where SQLite did", () => {
    expect(toPostgres("INSERT INTO payments (a) VALUES (?)", keys)).toEqual({ text: "INSERT INTO payments (a) VALUES ($1) RETURNING pk", parameters: [{ index: 0 }], returnsKey: true });
    expect(toPostgres("INSERT INTO payments (a) VALUES (?) RETURNING id", keys).returnsKey).toBe(false);
    expect(text("INSERT OR IGNORE INTO deliveries (a) VALUES (?)")).toBe("INSERT INTO deliveries (a) VALUES ($1) ON CONFLICT DO NOTHING");
  });
});
