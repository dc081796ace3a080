/**
 * A FEC conformance checker covering every rule of accounting.md §4 (article A47 A-1 LPF), for the
 * tests: it parses a file and throws on the first rule broken, naming the rule and the line.
 */
export const FIELDS = [
  "JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib", "CompAuxNum", "CompAuxLib", "PieceRef",
  "PieceDate", "EcritureLib", "Debit", "Credit", "EcritureLet", "DateLet", "ValidDate", "Montantdevise", "Idevise",
] as const;
export type FecRow = Record<(typeof FIELDS)[number], string>;

const MANDATORY = ["JournalCode", "JournalLib", "EcritureNum", "EcritureDate", "CompteNum", "CompteLib", "PieceRef", "PieceDate", "EcritureLib", "Debit", "Credit", "ValidDate"] as const;
const PAIRS = [["CompAuxNum", "CompAuxLib"], ["EcritureLet", "DateLet"], ["Montantdevise", "Idevise"]] as const;
const TEXT = ["JournalLib", "CompteLib", "CompAuxLib", "PieceRef", "EcritureLib"] as const;

function realDate(v: string): boolean {
  if (!/^\d{8}$/.test(v)) return false;
  const d = new Date(Date.UTC(Number(v.slice(0, 4)), Number(v.slice(4, 6)) - 1, Number(v.slice(6, 8))));
  return d.toISOString().slice(0, 10).replaceAll("-", "") === v;
}

export function fecCents(v: string): number {
  const m = /^(-?)(\d+),(\d{2})$/.exec(v);
  if (!m) throw new Error(`not a FEC amount: ${v}`);
  return (m[1] ? -1 : 1) * (Number(m[2]) * 100 + Number(m[3]));
}

export interface FecCheck {
  separator: "\t" | "|";
  rows: FecRow[];
  entries: number;
}

/** Checks every rule; returns the parsed rows. */
export function checkFec(bytes: Uint8Array, separator: "\t" | "|" = "\t"): FecCheck {
  const fail = (rule: string, line?: number) => {
    throw new Error(`FEC rule broken: ${rule}${line !== undefined ? ` (line ${line + 1})` : ""}`);
  };
  // encoding: valid UTF-8, no BOM
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return fail("the file must be valid UTF-8");
  }
  if (text.startsWith("\ufeff")) fail("no byte-order mark before the header");
  // records separated by CR LF, the last one too; no lone CR or LF
  if (!text.endsWith("\r\n")) fail("the last record ends with CR LF");
  const lines = text.slice(0, -2).split("\r\n");
  lines.forEach((l, i) => /[\r\n]/.test(l) && fail("records are separated by CR LF only (no lone CR or LF)", i));
  // header: the 18 names in order
  if (lines[0] !== FIELDS.join(separator)) fail("the first line holds the 18 field names in order");
  const rows: FecRow[] = [];
  const other = separator === "\t" ? "|" : "\t";
  lines.slice(1).forEach((line, k) => {
    const i = k + 1;
    const cells = line.split(separator);
    if (cells.length !== 18) fail(`every record has exactly 18 fields (got ${cells.length})`, i);
    const row = Object.fromEntries(FIELDS.map((f, j) => [f, cells[j]!])) as FecRow;
    for (const f of FIELDS) if (row[f].includes(other) || row[f].includes("\t")) fail(`${f}: no separator or tab inside a field`, i);
    for (const f of MANDATORY) if (row[f].trim() === "") fail(`${f} is mandatory`, i);
    for (const [a, b] of PAIRS) if ((row[a] === "") !== (row[b] === "")) fail(`${a} and ${b} are filled together`, i);
    for (const f of ["EcritureDate", "PieceDate", "ValidDate"] as const) if (!realDate(row[f])) fail(`${f} is a real date YYYYMMDD`, i);
    if (row.DateLet && !realDate(row.DateLet)) fail("DateLet is a real date YYYYMMDD", i);
    for (const f of ["Debit", "Credit"] as const) if (!/^\d+,\d{2}$/.test(row[f])) fail(`${f}: decimal comma, two decimals, no thousands separator, never empty`, i);
    if (row.Montantdevise && !/^-?\d+,\d{2}$/.test(row.Montantdevise)) fail("Montantdevise: decimal comma", i);
    if (!/^\d{3}/.test(row.CompteNum)) fail("CompteNum starts with 3 digits of the PCG", i);
    if (row.ValidDate < row.EcritureDate) fail("ValidDate is on or after EcritureDate", i);
    for (const f of TEXT) if (row[f] !== row[f].trim()) fail(`${f}: no leading or trailing spaces`, i);
    rows.push(row);
  });
  // entries: contiguous lines, one date, balanced; chronological; numbers continuous per journal
  let entries = 0;
  const lastNumber = new Map<string, number>();
  const seen = new Set<string>();
  let previousDate = "";
  for (let i = 0; i < rows.length; ) {
    const r = rows[i]!;
    const key = `${r.JournalCode}|${r.EcritureNum}`;
    if (seen.has(key)) fail(`the lines of entry ${r.EcritureNum} are contiguous`, i + 1);
    seen.add(key);
    let debit = 0;
    let credit = 0;
    let j = i;
    for (; j < rows.length && rows[j]!.JournalCode === r.JournalCode && rows[j]!.EcritureNum === r.EcritureNum; j++) {
      if (rows[j]!.EcritureDate !== r.EcritureDate) fail(`entry ${r.EcritureNum} has one date`, j + 1);
      debit += fecCents(rows[j]!.Debit);
      credit += fecCents(rows[j]!.Credit);
    }
    if (debit !== credit) fail(`entry ${r.EcritureNum} balances (debit ${debit} ≠ credit ${credit})`, i + 1);
    if (r.EcritureDate < previousDate) fail("entries are in chronological order", i + 1);
    previousDate = r.EcritureDate;
    const n = Number(/(\d+)$/.exec(r.EcritureNum)?.[1]);
    if (!Number.isSafeInteger(n)) fail("EcritureNum ends with its sequence number", i + 1);
    const last = lastNumber.get(r.JournalCode);
    if (last !== undefined && n !== last + 1) fail(`EcritureNum is continuous per journal (${r.JournalCode}: ${last} then ${n})`, i + 1);
    lastNumber.set(r.JournalCode, n);
    entries++;
    i = j;
  }
  return { separator, rows, entries };
}
