/**
 * The few formulas the fake workbook understands — enough to check that what a user builds on a
 * Passerelle table (SUM/SUBTOTAL/ROWS/COUNTA over structured references or A1 ranges, + − × ÷)
 * keeps computing after refreshes — and the reference adjustment Excel performs when whole rows
 * or columns are inserted or deleted.
 */
import { columnIndex, columnLetters, parseBox, splitSheet, type CellBox } from "../excel/a1.js";
import type { CellValue } from "../excel/host.js";

export interface FormulaScope {
  sheetName: string;
  values(sheet: string, box: CellBox): CellValue[][];
  /** A structured reference: `part` is a column name, "#Data", "#All", "#Headers" or null (the data body). */
  table(name: string, part: string | null): { sheet: string; box: CellBox } | null;
}

const ERRORS = new Set(["#REF!", "#NAME?", "#VALUE!", "#DIV/0!", "#N/A"]);
export const isErrorValue = (v: unknown): v is string => typeof v === "string" && ERRORS.has(v);

class FormulaError extends Error {
  constructor(readonly code: string) {
    super(code);
  }
}

type Value = CellValue | CellValue[][];

export function evaluate(formula: string, scope: FormulaScope): CellValue {
  try {
    const parser = new Parser(formula.replace(/^=/, ""), scope);
    const value = parser.expression();
    parser.end();
    if (Array.isArray(value)) return value[0]?.[0] ?? 0;
    return value;
  } catch (error) {
    if (error instanceof FormulaError) return error.code;
    throw error;
  }
}

class Parser {
  private pos = 0;
  constructor(
    private readonly src: string,
    private readonly scope: FormulaScope,
  ) {}

  end(): void {
    this.skip();
    if (this.pos < this.src.length) throw new FormulaError("#NAME?");
  }

  expression(): Value {
    let left = this.term();
    for (;;) {
      this.skip();
      const op = this.src[this.pos];
      if (op !== "+" && op !== "-") return left;
      this.pos++;
      const right = this.term();
      left = op === "+" ? num(left) + num(right) : num(left) - num(right);
    }
  }

  private term(): Value {
    let left = this.factor();
    for (;;) {
      this.skip();
      const op = this.src[this.pos];
      if (op !== "*" && op !== "/") return left;
      this.pos++;
      const right = num(this.factor());
      if (op === "/" && right === 0) throw new FormulaError("#DIV/0!");
      left = op === "*" ? num(left) * right : num(left) / right;
    }
  }

  private factor(): Value {
    this.skip();
    if (this.src[this.pos] === "-") {
      this.pos++;
      return -num(this.factor());
    }
    return this.primary();
  }

  private primary(): Value {
    this.skip();
    const rest = this.src.slice(this.pos);
    if (rest.startsWith("(")) {
      this.pos++;
      const v = this.expression();
      this.expect(")");
      return v;
    }
    if (rest.startsWith('"')) {
      const m = /^"((?:[^"]|"")*)"/.exec(rest);
      if (!m) throw new FormulaError("#NAME?");
      this.pos += m[0].length;
      return m[1]!.replaceAll('""', '"');
    }
    const number = /^\d+(\.\d+)?/.exec(rest);
    if (number) {
      this.pos += number[0].length;
      return Number(number[0]);
    }
    const error = /^#(REF!|NAME\?|VALUE!|DIV\/0!|N\/A)/.exec(rest);
    if (error) throw new FormulaError(error[0]);
    const call = /^([A-Za-z][A-Za-z0-9.]*)\(/.exec(rest);
    if (call) {
      this.pos += call[0].length;
      const args: Value[] = [];
      this.skip();
      if (this.src[this.pos] !== ")") {
        for (;;) {
          args.push(this.expression());
          this.skip();
          if (this.src[this.pos] !== ",") break;
          this.pos++;
        }
      }
      this.expect(")");
      return callFunction(call[1]!.toUpperCase(), args);
    }
    const structured = /^([A-Za-z_][A-Za-z0-9_.]*)(\[(?:\[[^\]]*\]|[^\]])*\])?/.exec(rest);
    const a1 = /^((?:'(?:[^']|'')+'|[A-Za-z_][A-Za-z0-9_.]*)!)?(\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?)/.exec(rest);
    if (a1 && (!structured || a1[0].length >= structured[0].length)) {
      this.pos += a1[0].length;
      const { sheet } = splitSheet(a1[1] ? `${a1[1]}A1` : "A1");
      const box = parseBox(a1[2]!);
      if (!box) throw new FormulaError("#REF!");
      return this.scope.values(sheet ?? this.scope.sheetName, box);
    }
    if (structured) {
      this.pos += structured[0].length;
      const part = structured[2] ? structured[2].slice(1, -1).replace(/^\[(.*)\]$/, "$1") : null;
      const target = this.scope.table(structured[1]!, part);
      if (!target) throw new FormulaError(structured[2] ? "#REF!" : "#NAME?");
      return this.scope.values(target.sheet, target.box);
    }
    throw new FormulaError("#NAME?");
  }

  private expect(ch: string): void {
    this.skip();
    if (this.src[this.pos] !== ch) throw new FormulaError("#NAME?");
    this.pos++;
  }

  private skip(): void {
    while (this.src[this.pos] === " ") this.pos++;
  }
}

function num(v: Value): number {
  if (Array.isArray(v)) {
    if (v.length === 1 && v[0]?.length === 1) return num(v[0][0]!);
    throw new FormulaError("#VALUE!");
  }
  if (isErrorValue(v)) throw new FormulaError(v);
  if (typeof v === "number") return v;
  if (typeof v === "boolean") return v ? 1 : 0;
  if (v === "") return 0;
  const n = Number(v);
  if (Number.isNaN(n)) throw new FormulaError("#VALUE!");
  return n;
}

function cells(args: Value[]): CellValue[] {
  return args.flatMap((a) => (Array.isArray(a) ? a.flat() : [a]));
}

function callFunction(name: string, args: Value[]): Value {
  for (const c of cells(args)) if (isErrorValue(c)) throw new FormulaError(c);
  switch (name) {
    case "SUM":
      return sum(args);
    case "COUNT":
      return cells(args).filter((c) => typeof c === "number").length;
    case "COUNTA":
      return cells(args).filter((c) => c !== "").length;
    case "ROWS": {
      const a = args[0];
      return Array.isArray(a) ? a.length : 1;
    }
    case "SUBTOTAL": {
      const fn = num(args[0] ?? 0) % 100;
      const rest = args.slice(1);
      if (fn === 9) return sum(rest);
      if (fn === 3) return cells(rest).filter((c) => c !== "").length;
      if (fn === 2) return cells(rest).filter((c) => typeof c === "number").length;
      throw new FormulaError("#VALUE!");
    }
    default:
      throw new FormulaError("#NAME?");
  }
}

function sum(args: Value[]): number {
  let total = 0;
  for (const a of args) {
    if (Array.isArray(a)) for (const c of a.flat()) total += typeof c === "number" ? c : 0;
    else total += num(a);
  }
  return total;
}

// ---- reference adjustment ----

export interface Shift {
  sheet: string;
  axis: "row" | "column";
  /** First row/column (zero-based) inserted or deleted. */
  at: number;
  /** +n for n inserted, −n for n deleted. */
  delta: number;
}

const REF =
  /(?<![\w.$])((?:'(?:[^']|'')+'|[A-Za-z_][A-Za-z0-9_.]*)!)?(\$?)([A-Za-z]{1,3})(\$?)(\d+)(?::(\$?)([A-Za-z]{1,3})(\$?)(\d+))?(?![\w(])/g;

/** Rewrites the A1 references of `formula` (written on `formulaSheet`) as Excel does after a shift. */
export function shiftFormula(formula: string, formulaSheet: string, shift: Shift): string {
  // leave string literals and structured references ([…]) untouched
  return formula.replace(/("(?:[^"]|"")*"|\[(?:\[[^\]]*\]|[^\]])*\])|([^"[]+)/g, (_m, literal: string | undefined, code: string | undefined) =>
    literal ?? code!.replace(REF, (match, prefix: string | undefined, ...g: string[]) => {
      const sheet = prefix ? splitSheet(`${prefix}A1`).sheet : formulaSheet;
      if (sheet !== shift.sheet) return match;
      const start = { row: Number(g[3]) - 1, col: columnIndex(g[1]!) };
      const end = g[7] ? { row: Number(g[7]) - 1, col: columnIndex(g[5]!) } : null;
      const moved = shiftSpan(shift, pick(shift, start), end ? pick(shift, end) : null);
      if (!moved) return `${prefix ?? ""}#REF!`;
      const write = (cell: { row: number; col: number }, value: number, d1: string, d2: string) => {
        const row = shift.axis === "row" ? value : cell.row;
        const col = shift.axis === "column" ? value : cell.col;
        return `${d1}${columnLetters(col)}${d2}${row + 1}`;
      };
      const first = write(start, moved[0], g[0]!, g[2]!);
      return `${prefix ?? ""}${first}${end ? `:${write(end, moved[1], g[4]!, g[6]!)}` : ""}`;
    }),
  );
}

function pick(shift: Shift, cell: { row: number; col: number }): number {
  return shift.axis === "row" ? cell.row : cell.col;
}

/** New [start, end] along the shifted axis, or null when the reference is deleted. */
function shiftSpan(shift: Shift, start: number, end: number | null): [number, number] | null {
  if (shift.delta > 0) {
    const move = (i: number) => (i >= shift.at ? i + shift.delta : i);
    return [move(start), move(end ?? start)];
  }
  const first = shift.at;
  const last = shift.at - shift.delta - 1;
  const inside = (i: number) => i >= first && i <= last;
  if (end === null) {
    if (inside(start)) return null;
    return start > last ? [start + shift.delta, start + shift.delta] : [start, start];
  }
  if (inside(start) && inside(end)) return null;
  const s = inside(start) ? first : start > last ? start + shift.delta : start;
  const e = inside(end) ? first - 1 : end > last ? end + shift.delta : end;
  return s <= e ? [s, e] : null;
}
