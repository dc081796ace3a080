/**
 * A small PDF text extractor for tests: walks each page's content streams with pdf-lib, follows the
 * fonts' ToUnicode maps (embedded fonts print glyph ids) or WinAnsi (standard fonts), and returns
 * one string per text object, page by page. Enough to read back what our own PDFs print.
 */
import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFName, PDFRawStream, PDFRef, PDFStream, type PDFObject } from "pdf-lib";

type Token = { kind: "op"; value: string } | { kind: "str"; bytes: number[] } | { kind: "num"; value: number } | { kind: "name"; value: string } | { kind: "open" } | { kind: "close" };

function tokenize(src: Uint8Array): Token[] {
  const out: Token[] = [];
  let i = 0;
  const isWhite = (c: number) => c === 32 || c === 10 || c === 13 || c === 9 || c === 12 || c === 0;
  const isDelim = (c: number) => "()<>[]{}/%".includes(String.fromCharCode(c));
  while (i < src.length) {
    const c = src[i]!;
    if (isWhite(c)) { i++; continue; }
    const ch = String.fromCharCode(c);
    if (ch === "%") { while (i < src.length && src[i] !== 10 && src[i] !== 13) i++; continue; }
    if (ch === "[") { out.push({ kind: "open" }); i++; continue; }
    if (ch === "]") { out.push({ kind: "close" }); i++; continue; }
    if (ch === "(") {
      const bytes: number[] = [];
      let depth = 1;
      i++;
      while (i < src.length && depth > 0) {
        const b = src[i]!;
        if (b === 92) {
          const n = src[i + 1]!;
          const map: Record<string, number> = { n: 10, r: 13, t: 9, b: 8, f: 12, "(": 40, ")": 41, "\\": 92 };
          const nc = String.fromCharCode(n);
          if (nc in map) { bytes.push(map[nc]!); i += 2; continue; }
          if (n >= 48 && n <= 55) {
            let oct = "";
            let j = i + 1;
            while (j < src.length && oct.length < 3 && src[j]! >= 48 && src[j]! <= 55) oct += String.fromCharCode(src[j++]!);
            bytes.push(parseInt(oct, 8));
            i = j;
            continue;
          }
          i += 2;
          continue;
        }
        if (b === 40) depth++;
        if (b === 41 && --depth === 0) { i++; break; }
        bytes.push(b);
        i++;
      }
      out.push({ kind: "str", bytes });
      continue;
    }
    if (ch === "<" && src[i + 1] === 60) { out.push({ kind: "op", value: "<<" }); i += 2; continue; }
    if (ch === ">" && src[i + 1] === 62) { out.push({ kind: "op", value: ">>" }); i += 2; continue; }
    if (ch === "<") {
      let hex = "";
      i++;
      while (i < src.length && src[i] !== 62) { if (!isWhite(src[i]!)) hex += String.fromCharCode(src[i]!); i++; }
      i++;
      if (hex.length % 2) hex += "0";
      const bytes: number[] = [];
      for (let k = 0; k < hex.length; k += 2) bytes.push(parseInt(hex.slice(k, k + 2), 16));
      out.push({ kind: "str", bytes });
      continue;
    }
    if (ch === "/") {
      let name = "";
      i++;
      while (i < src.length && !isWhite(src[i]!) && !isDelim(src[i]!)) name += String.fromCharCode(src[i++]!);
      out.push({ kind: "name", value: name });
      continue;
    }
    let word = "";
    while (i < src.length && !isWhite(src[i]!) && !isDelim(src[i]!)) word += String.fromCharCode(src[i++]!);
    if (word === "") { i++; continue; }
    const num = Number(word);
    out.push(Number.isNaN(num) ? { kind: "op", value: word } : { kind: "num", value: num });
  }
  return out;
}

const WINANSI: Record<number, string> = {
  0x80: "€", 0x82: "‚", 0x83: "ƒ", 0x84: "„", 0x85: "…", 0x86: "†", 0x87: "‡", 0x88: "ˆ", 0x89: "‰", 0x8a: "Š", 0x8b: "‹", 0x8c: "Œ",
  0x8e: "Ž", 0x91: "‘", 0x92: "’", 0x93: "“", 0x94: "”", 0x95: "•", 0x96: "–", 0x97: "—", 0x98: "˜", 0x99: "™", 0x9a: "š", 0x9b: "›",
  0x9c: "œ", 0x9e: "ž", 0x9f: "Ÿ",
};

interface FontDecoder {
  bytesPerCode: number;
  map: Map<number, string>;
}

function parseCMap(text: string): Map<number, string> {
  const map = new Map<number, string>();
  const hexToString = (hex: string) => {
    let s = "";
    for (let k = 0; k < hex.length; k += 4) s += String.fromCharCode(parseInt(hex.slice(k, k + 4), 16));
    return s;
  };
  for (const block of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g)) {
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F\s]+)>/g)) map.set(parseInt(m[1]!, 16), hexToString(m[2]!.replace(/\s+/g, "")));
  }
  for (const block of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of block[1]!.matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F\s]+>)/g)) {
      const lo = parseInt(m[1]!, 16);
      const hi = parseInt(m[2]!, 16);
      if (m[3]!.startsWith("[")) {
        const items = [...m[3]!.matchAll(/<([0-9a-fA-F\s]+)>/g)].map((x) => hexToString(x[1]!.replace(/\s+/g, "")));
        items.forEach((s, k) => map.set(lo + k, s));
      } else {
        const base = m[3]!.slice(1, -1);
        const start = parseInt(base, 16);
        for (let code = lo; code <= hi; code++) map.set(code, String.fromCharCode(start + (code - lo)));
      }
    }
  }
  return map;
}

function streamBytes(doc: PDFDocument, obj: PDFObject | undefined): Uint8Array {
  const resolved = obj instanceof PDFRef ? doc.context.lookup(obj) : obj;
  if (resolved instanceof PDFRawStream) return decodePDFRawStream(resolved).decode();
  if (resolved instanceof PDFStream) return resolved.getContents();
  return new Uint8Array();
}

function fontDecoders(doc: PDFDocument, resources: PDFDict | undefined): Map<string, FontDecoder> {
  const out = new Map<string, FontDecoder>();
  const fonts = resources?.lookupMaybe(PDFName.of("Font"), PDFDict);
  if (!fonts) return out;
  for (const [name, ref] of fonts.entries()) {
    const font = doc.context.lookup(ref, PDFDict);
    const subtype = font.lookupMaybe(PDFName.of("Subtype"), PDFName)?.asString();
    const toUnicode = font.get(PDFName.of("ToUnicode"));
    const map = toUnicode ? parseCMap(Buffer.from(streamBytes(doc, toUnicode)).toString("latin1")) : new Map<number, string>();
    out.set(name.asString().slice(1), { bytesPerCode: subtype === "/Type0" ? 2 : 1, map });
  }
  return out;
}

function decode(bytes: number[], font: FontDecoder | undefined): string {
  if (!font) return "";
  let s = "";
  for (let k = 0; k < bytes.length; k += font.bytesPerCode) {
    const code = font.bytesPerCode === 2 ? (bytes[k]! << 8) | (bytes[k + 1] ?? 0) : bytes[k]!;
    s += font.map.get(code) ?? (font.bytesPerCode === 1 ? (WINANSI[code] ?? String.fromCharCode(code)) : "");
  }
  return s;
}

/** The text of each page: one entry per text object (BT … ET), in drawing order. */
export async function pdfText(bytes: Uint8Array): Promise<string[][]> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  return doc.getPages().map((page) => {
    const decoders = fontDecoders(doc, page.node.Resources());
    const contents = page.node.Contents();
    const parts = contents instanceof PDFArray ? contents.asArray() : contents ? [contents] : [];
    const chunks = parts.map((p) => streamBytes(doc, p));
    const all = new Uint8Array(chunks.reduce((n, c) => n + c.length + 1, 0));
    let offset = 0;
    for (const c of chunks) (all.set(c, offset), (offset += c.length + 1), (all[offset - 1] = 10));
    const items: string[] = [];
    let current = "";
    let font: FontDecoder | undefined;
    const operands: Token[] = [];
    let array: Token[] | null = null;
    let inArray = false;
    for (const token of tokenize(all)) {
      if (token.kind === "open") { array = []; inArray = true; continue; }
      if (token.kind === "close") { inArray = false; continue; }
      if (inArray && token.kind !== "op") { array!.push(token); continue; }
      if (token.kind !== "op") { operands.push(token); continue; }
      switch (token.value) {
        case "BT": current = ""; break;
        case "ET": if (current.trim()) items.push(current.replace(/\s+/g, " ").trim()); current = ""; break;
        case "Tf": {
          const name = operands.find((o) => o.kind === "name");
          font = name && name.kind === "name" ? decoders.get(name.value) : undefined;
          break;
        }
        case "Tj": case "'": case '"': {
          const str = operands.filter((o) => o.kind === "str").at(-1);
          if (str && str.kind === "str") current += decode(str.bytes, font);
          break;
        }
        case "TJ":
          for (const el of array ?? []) {
            if (el.kind === "str") current += decode(el.bytes, font);
            else if (el.kind === "num" && el.value < -250) current += " ";
          }
          break;
        default:
          break;
      }
      operands.length = 0;
      array = null;
    }
    return items;
  });
}

/** All the text of a PDF as one string (pages separated by form feeds), for `toContain` checks. */
export async function pdfPlainText(bytes: Uint8Array): Promise<string> {
  return (await pdfText(bytes)).map((p) => p.join("\n")).join("\n\f\n");
}
