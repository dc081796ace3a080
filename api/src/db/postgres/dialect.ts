/**
 * The one place where SQLite's SQL becomes PostgreSQL's. The API's statements are written once, for
 * SQLite (better-sqlite3); on PostgreSQL each text is rewritten here once per connection and cached:
 *
 * - parameters: `?`, `?NNN`, `@name`, `:name`, `$name` become `$1…$n`, each occurrence its own
 *   number (PostgreSQL infers a parameter's type from where it stands, so one name used in two
 *   places must not be made one parameter); `$n IS [NOT] NULL` gets a `::text` cast, the only place
 *   where nothing around it says its type;
 * - `INSERT OR IGNORE` → `ON CONFLICT DO NOTHING`; an INSERT into a table numbered by PostgreSQL
 *   returns its key, so that `run()` gives `lastInsertRowid` as SQLite does;
 * - lists sent as JSON: `json_each(x)` → `json_array_elements_text(x::text::json)` (its column is
 *   `value` on both; `::text` first, or postgres.js, seeing a json parameter, would send the list's
 *   text as one JSON string);
 * - JSON reads: `x ->> '$.a'` and `json_extract(x, '$.a')` → `x::text::jsonb ->> 'a'`,
 *   `json_array_length(x, '$.a')` → `json_array_length(x::text::json -> 'a')`, and the one path built
 *   from a column (`'$."' || col || '"'`) → `->> col`;
 * - case: `LIKE` → `ILIKE` (SQLite's LIKE ignores ASCII case), `x COLLATE NOCASE` → `lower(x)`;
 * - names in camelCase (`AS companyId`), which PostgreSQL would fold to lower case, are quoted;
 * - functions: `max(a, b)`/`min(a, b)` (scalar: two or more arguments) → `greatest`/`least`,
 *   `json_object` → `json_build_object`, `json_group_array(x)` → `coalesce(json_agg(x), '[]')`;
 * - `date(x, m)` → `(x::date + m::interval)::date::text`; SQLite's hints to its planner go (`+t.col`,
 *   which keeps it off an index, → `t.col`; `INDEXED BY i`, `NOT INDEXED`); `CAST(… AS INTEGER)` → `bigint`; `ifnull` → `coalesce`; `IS ?` → `IS NOT
 *   DISTINCT FROM $n`.
 *
 * What the rewrites cannot see is read back by the connection (connection.ts in this folder):
 * `bigint` and `numeric` (SUM) as numbers, booleans as 0/1, `bytea` as Buffers, as SQLite gives them.
 */

/** Where a numbered parameter takes its value: the n-th positional argument, or a named one. */
export type ParameterSource = { index: number } | { name: string };

export interface PostgresText {
  text: string;
  parameters: ParameterSource[];
  /** An INSERT whose key this rewrite asked back (`RETURNING`), for `lastInsertRowid`. */
  returnsKey: boolean;
}

/** Tables whose key PostgreSQL numbers (`GENERATED … AS IDENTITY`): table → key column. */
export type KeyColumns = ReadonlyMap<string, string>;

const LITERAL = /'(?:[^']|'')*'|"(?:[^"]|"")*"|--[^\n]*|\/\*[\s\S]*?\*\//g;

export function toPostgres(sqlite: string, keys: KeyColumns = new Map()): PostgresText {
  // literals and comments are set aside, the rest rewritten, then the literals put back
  const literals: string[] = [];
  let sql = sqlite.replace(LITERAL, (literal) => `\u0000${literals.push(literal) - 1}\u0000`);
  const literal = (i: string) => literals[Number(i)]!;

  sql = jsonReads(sql, literal);
  sql = sql.replace(/\bjson_each\(\s*([^()]+?)\s*\)/gi, "json_array_elements_text($1::text::json)");
  sql = sql.replace(/(?<![@:$\w])LIKE\b/gi, "ILIKE");
  sql = noCase(sql);
  sql = sql.replace(/\bCAST\(([^()]+?)\s+AS\s+INTEGER\s*\)/gi, "CAST($1 AS bigint)");
  sql = sql.replace(/(?<![@:$\w])ifnull\(/gi, "coalesce(");
  sql = sql.replace(/\bdate\(\s*([^(),]+?)\s*,\s*([^(),]+?)\s*\)/gi, "(($1)::date + ($2)::interval)::date::text");
  sql = calls(sql);
  sql = sql.replace(/(?<![@:$\w"])([a-z_][a-z0-9_]*[A-Z]\w*)(?![\w"(])/g, '"$1"');
  sql = unaryPlus(sql);
  sql = sql.replace(/\s+(?:INDEXED\s+BY\s+\w+|NOT\s+INDEXED)\b/gi, "");
  sql = sql.replace(/\bIS\s+(?!NOT\b|NULL\b|TRUE\b|FALSE\b|DISTINCT\b)(?=[?@:$])/gi, "IS NOT DISTINCT FROM ");
  sql = sql.replace(/\bIS\s+NOT\s+(?!NULL\b|TRUE\b|FALSE\b|DISTINCT\b)(?=[?@:$])/gi, "IS DISTINCT FROM ");

  let returnsKey = false;
  const insert = /^\s*INSERT\s+(OR\s+IGNORE\s+)?INTO\s+([A-Za-z_]\w*)/i.exec(sql);
  if (insert) {
    if (insert[1]) sql = sql.replace(/INSERT\s+OR\s+IGNORE\s+INTO/i, "INSERT INTO");
    const returning = /\bRETURNING\b/i.exec(sql);
    const [head, tail] = returning ? [sql.slice(0, returning.index).trimEnd(), ` ${sql.slice(returning.index)}`] : [sql.trimEnd().replace(/;$/, ""), ""];
    const ignore = insert[1] ? " ON CONFLICT DO NOTHING" : "";
    const key = keys.get(insert[2]!.toLowerCase());
    if (!returning && key) returnsKey = true;
    sql = `${head}${ignore}${tail}${returnsKey ? ` RETURNING ${key}` : ""}`;
  }

  const parameters: ParameterSource[] = [];
  let positional = 0;
  sql = sql.replace(/(?<![\w:])(?:\?(\d+)?|[@:$]([A-Za-z_]\w*))/g, (_m, number: string | undefined, name: string | undefined) => {
    parameters.push(name !== undefined ? { name } : { index: number !== undefined ? Number(number) - 1 : positional++ });
    return `$${parameters.length}`;
  });
  sql = sql.replace(/(\$\d+)(\s+IS\s+(?:NOT\s+)?NULL\b)/gi, "$1::text$2");

  return { text: sql.replace(/\u0000(\d+)\u0000/g, (_m, i: string) => literal(i)), parameters, returnsKey };
}

/** `x ->> '$.a'`, `json_extract(x, '$.a')`, `json_array_length(x, '$.a')` and `json_extract(x, '$."' || col || '"')`. */
function jsonReads(sql: string, literal: (i: string) => string): string {
  const path = (i: string): string | null => {
    const m = /^'\$\.([A-Za-z_]\w*)'$/.exec(literal(i));
    return m ? `'${m[1]}'` : null;
  };
  sql = sql.replace(/([\w.]+)\s*->>\s*\u0000(\d+)\u0000/g, (whole, target: string, i: string) => {
    const key = path(i);
    return key ? `${target}::text::jsonb ->> ${key}` : whole;
  });
  sql = sql.replace(/\bjson_extract\(\s*([^(),]+?)\s*,\s*\u0000(\d+)\u0000\s*\)/gi, (whole, target: string, i: string) => {
    const key = path(i);
    return key ? `(${target})::text::jsonb ->> ${key}` : whole;
  });
  sql = sql.replace(/\bjson_array_length\(\s*([^(),]+?)\s*,\s*\u0000(\d+)\u0000\s*\)/gi, (whole, target: string, i: string) => {
    const key = path(i);
    return key ? `json_array_length((${target})::text::json -> ${key})` : whole;
  });
  // a key taken from a column: '$."' || col || '"'
  return sql.replace(/\bjson_extract\(\s*([^(),]+?)\s*,\s*\u0000(\d+)\u0000\s*\|\|\s*([\w.]+)\s*\|\|\s*\u0000(\d+)\u0000\s*\)/gi, (whole, target: string, open: string, column: string, close: string) =>
    literal(open) === `'$."'` && literal(close) === `'"'` ? `((${target})::text::jsonb ->> ${column})` : whole,
  );
}

/** Drops a unary `+` before a column (`+i.issue_date`); a binary one follows a value and stays. */
function unaryPlus(sql: string): string {
  return sql.replace(/\+(?=\s*[A-Za-z_]\w*\.[A-Za-z_])/g, (plus, offset: number) => {
    const before = sql.slice(0, offset).trimEnd();
    const last = before.at(-1) ?? "";
    const unary = last === "" || "(,=<>".includes(last) || /\b(?:AND|OR|ON|WHERE|BY|SELECT|WHEN|THEN|ELSE|NOT)$/i.test(before);
    return unary ? "" : plus;
  });
}

const OPERAND = String.raw`(?:[A-Za-z_][\w.]*|\?|[@:$][A-Za-z_]\w*)`;

/**
 * `COLLATE NOCASE` compares both sides without regard to ASCII case: `lower()` on both sides of a
 * comparison (`a = ? COLLATE NOCASE`, `(a COLLATE NOCASE, b) > (?, ?)`), on the column alone in ORDER BY.
 */
function noCase(sql: string): string {
  sql = sql.replace(new RegExp(String.raw`\((${OPERAND})\s+COLLATE\s+NOCASE\s*,\s*(${OPERAND})\s*\)\s*([<>]=?)\s*\(\s*(${OPERAND})\s*,\s*(${OPERAND})\s*\)`, "gi"), "(lower($1), $2) $3 (lower($4), $5)");
  sql = sql.replace(new RegExp(String.raw`(${OPERAND})\s*(=|<>|!=)\s*(${OPERAND})\s+COLLATE\s+NOCASE\b`, "gi"), "lower($1) $2 lower($3)");
  return sql.replace(new RegExp(String.raw`(${OPERAND})\s+COLLATE\s+NOCASE\b`, "gi"), "lower($1)");
}

/**
 * Renames the functions PostgreSQL spells differently; `max`/`min` only in their scalar form. An
 * aggregate of no rows is `[]` in SQLite's `json_group_array`, NULL in `json_agg`: coalesced.
 */
function calls(sql: string): string {
  const call = /\b(max|min|json_object|json_group_array)\(/gi;
  let out = "";
  let from = 0;
  for (let m = call.exec(sql); m; m = call.exec(sql)) {
    const name = m[1]!.toLowerCase();
    const open = m.index + m[0].length;
    out += sql.slice(from, m.index);
    from = open;
    if (name === "json_object") out += "json_build_object(";
    else if (name === "json_group_array") {
      const close = closing(sql, open);
      out += `coalesce(json_agg(${calls(sql.slice(open, close))}), '[]'::json)`;
      from = close + 1;
      call.lastIndex = from;
    } else out += topLevelCommas(sql, open) > 0 ? `${name === "max" ? "greatest" : "least"}(` : m[0];
  }
  return out + sql.slice(from);
}

/** The index of the ")" closing the parenthesis opened just before `from`. */
function closing(sql: string, from: number): number {
  let depth = 0;
  for (let i = from; i < sql.length; i++) {
    if (sql[i] === "(") depth++;
    else if (sql[i] === ")" && depth-- === 0) return i;
  }
  return sql.length;
}

/** How many commas separate the arguments of the call whose "(" ends just before `from`. */
function topLevelCommas(sql: string, from: number): number {
  let depth = 0;
  let commas = 0;
  for (let i = from; i < sql.length; i++) {
    const c = sql[i];
    if (c === "(") depth++;
    else if (c === ")") {
      if (depth === 0) return commas;
      depth--;
    } else if (c === "," && depth === 0) commas++;
  }
  return commas;
}
