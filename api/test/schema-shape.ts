/**
 * A schema's shape read from the database's own catalog, in the same terms for SQLite and for
 * PostgreSQL, so the two engines' schemas can be compared as values: tables with their columns in
 * order, keys, unique constraints, foreign keys, CHECK constraints, indexes and triggers.
 */
import type { Db } from "../src/db/connection.js";

/** What a column holds, as both engines can say it. */
export type ColumnKind = "integer" | "text" | "text, case-insensitive" | "bytes";

export interface ColumnShape {
  name: string;
  kind: ColumnKind;
  /**
   * Declared NOT NULL or part of the primary key. PostgreSQL makes key columns NOT NULL, as SQLite
   * does for rowid keys and WITHOUT ROWID tables; that a rowid table's TEXT key may hold NULL is a
   * SQLite quirk nothing relies on (every such key is given a value on insert).
   */
  notNull: boolean;
  default: string | null;
}

export interface ForeignKeyShape {
  columns: string[];
  references: string;
  referencedColumns: string[];
  onDelete: "NO ACTION" | "CASCADE" | "SET NULL" | "RESTRICT" | "SET DEFAULT";
}

export interface TableShape {
  columns: ColumnShape[];
  primaryKey: string[];
  /** Column lists of UNIQUE constraints (not of unique indexes made by CREATE UNIQUE INDEX), sorted. */
  unique: string[][];
  foreignKeys: ForeignKeyShape[];
  checks: number;
}

export interface IndexShape {
  table: string;
  /** Key columns in order, with " DESC" for descending ones. */
  columns: string[];
  unique: boolean;
  /** A partial index's predicate as a sorted list of its words (columns, literals, IS/NOT/NULL/AND/OR), null for a full index. */
  where: string[] | null;
}

export interface TriggerShape {
  table: string;
  /** "BEFORE UPDATE", "BEFORE DELETE", … */
  when: string;
  /** The message the trigger refuses the change with. */
  message: string;
}

export interface SchemaShape {
  tables: Record<string, TableShape>;
  indexes: Record<string, IndexShape>;
  triggers: Record<string, TriggerShape>;
}

export type Rows = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

const byText = (a: string[], b: string[]) => a.join(",").localeCompare(b.join(","));
const sortedRecord = <T>(entries: [string, T][]): Record<string, T> => Object.fromEntries(entries.sort(([a], [b]) => a.localeCompare(b)));

/** The words of an index predicate that say what it selects, whatever the engine's spelling (`IN (…)` or `= ANY (ARRAY[…])`, casts, parentheses). */
export function predicateWords(predicate: string, columns: string[]): string[] {
  const words = predicate
    .replace(/::[a-z_]+(\[\])?/gi, "")
    .replace(/[()[\],]/g, " ")
    .split(/\s+/)
    .filter((w) => w !== "");
  const kept = words.filter((w) => columns.includes(w) || /^'.*'$/.test(w) || /^\d+$/.test(w) || /^(is|not|null|and|or)$/i.test(w));
  return kept.map((w) => (/^[a-z]+$/i.test(w) && !columns.includes(w) ? w.toUpperCase() : w)).sort();
}

function sqliteKind(declared: string, nocase: boolean): ColumnKind {
  const type = declared.toUpperCase();
  if (type === "INTEGER") return "integer";
  if (type === "TEXT") return nocase ? "text, case-insensitive" : "text";
  if (type === "BLOB") return "bytes";
  throw new Error(`column type ${declared} has no counterpart`);
}

/** The shape of a SQLite schema, from sqlite_master and the table, index and foreign-key pragmas. */
export function sqliteShape(db: Db): SchemaShape {
  const master = db.prepare("SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name").all() as {
    type: string;
    name: string;
    tbl_name: string;
    sql: string | null;
  }[];
  const tables: [string, TableShape][] = [];
  const indexes: [string, IndexShape][] = [];
  const columnsOf = new Map<string, string[]>();
  for (const t of master.filter((m) => m.type === "table")) {
    const info = db.prepare(`SELECT * FROM pragma_table_info('${t.name}') ORDER BY cid`).all() as { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }[];
    columnsOf.set(t.name, info.map((c) => c.name));
    const nocase = (column: string) => new RegExp(`(^|[(,\\s])${column}\\s+TEXT\\b[^,]*COLLATE\\s+NOCASE`, "i").test(t.sql!);
    const fks = db.prepare(`SELECT * FROM pragma_foreign_key_list('${t.name}') ORDER BY id, seq`).all() as { id: number; table: string; from: string; to: string; on_delete: string }[];
    const foreignKeys = new Map<number, ForeignKeyShape>();
    for (const fk of fks) {
      const shape = foreignKeys.get(fk.id) ?? { columns: [], references: fk.table, referencedColumns: [], onDelete: fk.on_delete as ForeignKeyShape["onDelete"] };
      shape.columns.push(fk.from);
      shape.referencedColumns.push(fk.to);
      foreignKeys.set(fk.id, shape);
    }
    const list = db.prepare(`SELECT * FROM pragma_index_list('${t.name}')`).all() as { name: string; unique: number; origin: string; partial: number }[];
    const keyColumns = (index: string) =>
      (db.prepare(`SELECT * FROM pragma_index_xinfo('${index}') WHERE key = 1 ORDER BY seqno`).all() as { name: string; desc: number }[]).map((c) => c.name + (c.desc ? " DESC" : ""));
    tables.push([
      t.name,
      {
        columns: info.map((c) => ({ name: c.name, kind: sqliteKind(c.type, nocase(c.name)), notNull: c.notnull === 1 || c.pk > 0, default: c.dflt_value })),
        primaryKey: info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name),
        unique: list.filter((i) => i.origin === "u").map((i) => keyColumns(i.name)).sort(byText),
        foreignKeys: [...foreignKeys.values()].sort((a, b) => byText(a.columns, b.columns)),
        checks: (t.sql!.match(/\bCHECK\s*\(/gi) ?? []).length,
      },
    ]);
    for (const i of list.filter((i) => i.origin === "c")) {
      const sql = master.find((m) => m.type === "index" && m.name === i.name)!.sql!;
      const where = /\bWHERE\b([\s\S]*)$/i.exec(sql)?.[1] ?? null;
      indexes.push([i.name, { table: t.name, columns: keyColumns(i.name), unique: i.unique === 1, where: where === null ? null : predicateWords(where, columnsOf.get(t.name)!) }]);
    }
  }
  const triggers = master
    .filter((m) => m.type === "trigger")
    .map((m): [string, TriggerShape] => {
      const when = /\b(BEFORE|AFTER|INSTEAD OF)\s+(INSERT|UPDATE|DELETE)\b/i.exec(m.sql!)!;
      const message = /RAISE\s*\(\s*ABORT\s*,\s*'((?:[^']|'')*)'\s*\)/i.exec(m.sql!)![1]!.replaceAll("''", "'");
      return [m.name, { table: m.tbl_name, when: `${when[1]!.toUpperCase()} ${when[2]!.toUpperCase()}`, message }];
    });
  return { tables: sortedRecord(tables), indexes: sortedRecord(indexes), triggers: sortedRecord(triggers) };
}

const PG_KINDS: Record<string, ColumnKind> = { int2: "integer", int4: "integer", int8: "integer", text: "text", citext: "text, case-insensitive", bytea: "bytes" };
const PG_ON_DELETE: Record<string, ForeignKeyShape["onDelete"]> = { a: "NO ACTION", c: "CASCADE", n: "SET NULL", r: "RESTRICT", d: "SET DEFAULT" };
const PG_WHEN = (tgtype: number) => `${tgtype & 2 ? "BEFORE" : tgtype & 64 ? "INSTEAD OF" : "AFTER"} ${tgtype & 4 ? "INSERT" : tgtype & 8 ? "DELETE" : tgtype & 16 ? "UPDATE" : "TRUNCATE"}`;

/** The shape of the PostgreSQL schema `public`, from pg_catalog. */
export async function postgresShape(rows: Rows): Promise<SchemaShape> {
  const columns = await rows(
    `SELECT c.relname AS table, a.attname AS name, t.typname AS type, a.attnotnull AS not_null, pg_get_expr(d.adbin, d.adrelid) AS default
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
       JOIN pg_type t ON t.oid = a.atttypid
       LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
      WHERE n.nspname = 'public' AND c.relkind = 'r'
      ORDER BY c.relname, a.attnum`,
  );
  const constraints = await rows(
    `SELECT c.relname AS table, k.contype AS type, k.confdeltype AS on_delete, r.relname AS references,
            ARRAY(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY u(n, i) JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.n ORDER BY u.i) AS columns,
            ARRAY(SELECT a.attname FROM unnest(k.confkey) WITH ORDINALITY u(n, i) JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.n ORDER BY u.i) AS referenced_columns
       FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_class r ON r.oid = k.confrelid
      WHERE n.nspname = 'public' AND k.contype IN ('p', 'u', 'f', 'c')`,
  );
  const indexes = await rows(
    `SELECT i.relname AS name, c.relname AS table, x.indisunique AS unique, pg_get_expr(x.indpred, x.indrelid) AS predicate,
            ARRAY(SELECT pg_get_indexdef(x.indexrelid, k, true) || CASE WHEN x.indoption[k - 1] & 1 = 1 THEN ' DESC' ELSE '' END
                    FROM generate_series(1, x.indnkeyatts) k ORDER BY k) AS columns
       FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class c ON c.oid = x.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.contype IN ('p', 'u'))
      ORDER BY i.relname`,
  );
  const triggers = await rows(
    `SELECT t.tgname AS name, c.relname AS table, t.tgtype AS type, encode(t.tgargs, 'escape') AS args
       FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND NOT t.tgisinternal ORDER BY t.tgname`,
  );
  const tables = new Map<string, TableShape>();
  for (const c of columns) {
    const table = c.table as string;
    if (!tables.has(table)) tables.set(table, { columns: [], primaryKey: [], unique: [], foreignKeys: [], checks: 0 });
    const kind = PG_KINDS[c.type as string];
    if (kind === undefined) throw new Error(`column ${table}.${c.name} has type ${c.type}, which SQLite's schema has no counterpart for`);
    // An identity column's values come from its sequence, as a rowid's do: no default expression either side.
    tables.get(table)!.columns.push({ name: c.name as string, kind, notNull: c.not_null as boolean, default: (c.default as string | null) ?? null });
  }
  for (const k of constraints) {
    const table = tables.get(k.table as string)!;
    const cols = k.columns as string[];
    if (k.type === "p") table.primaryKey = cols;
    else if (k.type === "u") table.unique.push(cols);
    else if (k.type === "c") table.checks += 1;
    else table.foreignKeys.push({ columns: cols, references: k.references as string, referencedColumns: k.referenced_columns as string[], onDelete: PG_ON_DELETE[k.on_delete as string]! });
  }
  for (const t of tables.values()) {
    t.unique.sort(byText);
    t.foreignKeys.sort((a, b) => byText(a.columns, b.columns));
  }
  return {
    tables: sortedRecord([...tables.entries()]),
    indexes: sortedRecord(
      indexes.map((i): [string, IndexShape] => {
        const predicate = i.predicate as string | null;
        const table = i.table as string;
        const names = tables.get(table)!.columns.map((c) => c.name);
        return [i.name as string, { table, columns: i.columns as string[], unique: i.unique as boolean, where: predicate === null ? null : predicateWords(predicate, names) }];
      }),
    ),
    triggers: sortedRecord(
      triggers.map((t): [string, TriggerShape] => [t.name as string, { table: t.table as string, when: PG_WHEN(t.type as number), message: (t.args as string).replace(/\\000$/, "") }]),
    ),
  };
}
