/**
 * The tables of a SQLite database as a copy to another engine needs them: their columns, the key
 * their rows are read in order of, the tables they refer to; and the rows of a table read a page at
 * a time in key order, by one SQL text that both engines run (keyset pages: `(k1, k2) > (?, ?)`
 * compares text byte by byte on both, SQLite's BINARY and the C collation PostgreSQL's databases are
 * made with).
 */
import type { Db } from "./connection.js";

export interface TableShape {
  name: string;
  columns: string[];
  /** The primary key's columns, in the key's order (every table here has one). */
  key: string[];
  /** Tables this one's foreign keys point to, itself left out. */
  refersTo: string[];
  /** Columns referring to the table's own rows (a credit note to its invoice, a line to the line it credits). */
  selfReferences: string[];
}

export const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;

/** Every table of a SQLite database but `schema_version`, each after the tables it refers to. */
export function sqliteTables(db: Db): TableShape[] {
  const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name != 'schema_version' ORDER BY name").pluck().all() as string[];
  const shapes = names.map((name): TableShape => {
    const columns = db.prepare(`SELECT name, pk FROM pragma_table_info(?) ORDER BY cid`).all(name) as { name: string; pk: number }[];
    const foreign = db.prepare("SELECT \"table\" AS target, \"from\" AS source FROM pragma_foreign_key_list(?)").all(name) as { target: string; source: string }[];
    const key = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
    if (key.length === 0) throw new Error(`table ${name} has no primary key: its rows have no order to be copied and compared in`);
    return {
      name,
      columns: columns.map((c) => c.name),
      key,
      refersTo: [...new Set(foreign.filter((f) => f.target !== name).map((f) => f.target))],
      selfReferences: foreign.filter((f) => f.target === name).map((f) => f.source),
    };
  });
  return inDependencyOrder(shapes);
}

function inDependencyOrder(shapes: TableShape[]): TableShape[] {
  const byName = new Map(shapes.map((s) => [s.name, s]));
  const placed = new Set<string>();
  const visiting = new Set<string>();
  const order: TableShape[] = [];
  const visit = (shape: TableShape, path: string[]) => {
    if (placed.has(shape.name)) return;
    if (visiting.has(shape.name)) throw new Error(`tables refer to each other in a cycle (${[...path, shape.name].join(" → ")}): no order copies them`);
    visiting.add(shape.name);
    for (const target of shape.refersTo) {
      const referred = byName.get(target);
      if (referred) visit(referred, [...path, shape.name]);
    }
    visiting.delete(shape.name);
    placed.add(shape.name);
    order.push(shape);
  };
  for (const shape of shapes) visit(shape, []);
  return order;
}

/**
 * The rows of `table` in key order, as arrays of `columns` values, `pageSize` rows per query: memory
 * holds one page, whatever the table's size. The same texts run on SQLite and PostgreSQL.
 */
export function* tablePages(db: Db, table: TableShape, columns: string[], pageSize: number, where = ""): Generator<unknown[][], void, void> {
  const keyList = table.key.map(quoted).join(", ");
  const select = `SELECT ${columns.map(quoted).join(", ")} FROM ${quoted(table.name)}`;
  const filter = where ? ` AND (${where})` : "";
  const first = db.prepare(`${select} WHERE 1 = 1${filter} ORDER BY ${keyList} LIMIT ?`).raw();
  const after =
    table.key.length === 1
      ? `${select} WHERE ${keyList} > ?${filter} ORDER BY ${keyList} LIMIT ?`
      : `${select} WHERE (${keyList}) > (${table.key.map(() => "?").join(", ")})${filter} ORDER BY ${keyList} LIMIT ?`;
  const next = db.prepare(after).raw();
  const keyAt = table.key.map((k) => columns.indexOf(k));
  if (keyAt.includes(-1)) throw new Error(`the columns read from ${table.name} must hold its key (${table.key.join(", ")})`);
  let page = first.all(pageSize) as unknown[][];
  while (page.length > 0) {
    yield page;
    if (page.length < pageSize) return;
    const last = page[page.length - 1]!;
    page = next.all(...keyAt.map((i) => last[i]), pageSize) as unknown[][];
  }
}
