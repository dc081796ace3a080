/**
 * PDF documents (invoices, the journal register) on pdfkit, with an embedded Unicode font so
 * French text, "€" and the narrow no-break spaces of fr-FR amounts print as written. Embedded
 * fonts also make the invoices valid PDF/A-3b, the container a Factur-X invoice needs.
 */
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import type PDFKitDocument from "pdfkit";
import { escapeXmlText } from "@passerelle/shared";
import { shareFontData } from "./pdf-fonts.js";

const require = createRequire(import.meta.url);
let pdfkit: typeof PDFKitDocument | undefined;
/** pdfkit is loaded with the first PDF: its 17 MB need not sit in a server that makes none. */
const PDFDocument = (): typeof PDFKitDocument => (pdfkit ??= require("pdfkit") as typeof PDFKitDocument);

/** DejaVu Sans from the `dejavu-fonts-ttf` package (so no system font is needed); `PASSERELLE_PDF_FONTS` may point elsewhere. */
const FONT_DIRS = [process.env.PASSERELLE_PDF_FONTS, packagedFontDir(), "/usr/share/fonts/truetype/dejavu"].filter((d): d is string => Boolean(d));

function packagedFontDir(): string | undefined {
  try {
    return path.join(path.dirname(require.resolve("dejavu-fonts-ttf/package.json")), "ttf");
  } catch {
    return undefined;
  }
}
const REGULAR = "DejaVuSans.ttf";
const BOLD = "DejaVuSans-Bold.ttf";

interface FontFiles {
  regular: Buffer;
  bold: Buffer;
}

let cachedFonts: FontFiles | null | undefined;

/** The embeddable font pair, or null when the machine has none (then the standard Helvetica is used). */
export function embeddableFonts(): FontFiles | null {
  if (cachedFonts !== undefined) return cachedFonts;
  cachedFonts = null;
  for (const dir of FONT_DIRS) {
    const regular = path.join(dir, REGULAR);
    const bold = path.join(dir, BOLD);
    if (fs.existsSync(regular) && fs.existsSync(bold)) {
      cachedFonts = { regular: fs.readFileSync(regular), bold: fs.readFileSync(bold) };
      break;
    }
  }
  return cachedFonts;
}

export type Pdf = PDFKit.PDFDocument;

export interface PdfHandle {
  doc: Pdf;
  /** Font names to pass to `doc.font()`. */
  regular: string;
  bold: string;
  /** Text as the chosen font can print it (the standard fonts only know WinAnsi). */
  t(text: string): string;
  /** True when fonts are embedded and the file is PDF/A-3b. */
  pdfA: boolean;
}

export interface PdfOptions {
  title: string;
  author: string;
  subject?: string;
  /** Fixed creation date: the same document renders to the same bytes. */
  createdAt: Date;
  bufferPages?: boolean;
  margins?: { top: number; bottom: number; left: number; right: number };
}

const WINANSI_EXTRA = new Set("€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ".split(""));

function toWinAnsi(text: string): string {
  return text.replace(/[\u202f\u2009\u2007]/g, "\u00a0").replace(/[^\u0000-\u00ff]/gu, (ch) => (WINANSI_EXTRA.has(ch) ? ch : "?"));
}

/** What the Info dictionary says of a document; its XMP packet must say the same (PDF/A). */
export interface PdfInfo {
  Title: string;
  Author: string;
  Subject: string;
  Creator: string;
  Producer: string;
  CreationDate: Date;
  ModDate: Date;
}

const xmpDate = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, "Z");

/** The Dublin Core, XMP and PDF properties of the XMP packet: text escaped, each equal to its Info entry. */
export function xmpProperties(info: PdfInfo): string {
  const x = escapeXmlText;
  return `    <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
      <dc:format>application/pdf</dc:format>
      <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${x(info.Title)}</rdf:li></rdf:Alt></dc:title>
      <dc:creator><rdf:Seq><rdf:li>${x(info.Author)}</rdf:li></rdf:Seq></dc:creator>
      <dc:description><rdf:Alt><rdf:li xml:lang="x-default">${x(info.Subject)}</rdf:li></rdf:Alt></dc:description>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
      <xmp:CreatorTool>${x(info.Creator)}</xmp:CreatorTool>
      <xmp:CreateDate>${xmpDate(info.CreationDate)}</xmp:CreateDate>
      <xmp:ModifyDate>${xmpDate(info.ModDate)}</xmp:ModifyDate>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
      <pdf:Producer>${x(info.Producer)}</pdf:Producer>
    </rdf:Description>`;
}

interface PdfkitMetadata {
  appendXML(xml: string): void;
  _addInfo(): void;
}

export function createPdf(options: PdfOptions): PdfHandle {
  const fonts = embeddableFonts();
  const info: PdfInfo = {
    Title: options.title,
    Author: options.author,
    Subject: options.subject ?? options.title,
    Creator: "Passerelle",
    Producer: "Passerelle (pdfkit)",
    CreationDate: options.createdAt,
    ModDate: options.createdAt,
  };
  const doc = new (PDFDocument())({
    size: "A4",
    margins: options.margins ?? { top: 50, bottom: 60, left: 50, right: 50 },
    bufferPages: options.bufferPages ?? false,
    autoFirstPage: true,
    lang: "fr-FR",
    displayTitle: true,
    // With embedded fonts, no Helvetica: pdfkit would read and parse its metrics file for every
    // document only for the font to go unused.
    ...(fonts ? { pdfVersion: "1.7" as const, subset: "PDF/A-3b" as const, font: null as unknown as string } : {}),
    info: { ...info },
  });
  if (fonts) {
    shareFontData([fonts.regular, fonts.bold]);
    // The resource name Helvetica took (F1) stays taken: the fonts keep theirs (F2, F3), and with
    // them their subset tags, so a document renders to the same bytes as before.
    (doc as unknown as { _fontCount: number })._fontCount = 1;
    // pdfkit's own XMP properties are not escaped (a company called "Dupont & Fils" breaks the
    // packet) and give the Creator as pdf:Producer: they are written here instead.
    const metadata = doc as unknown as PdfkitMetadata;
    metadata._addInfo = () => metadata.appendXML(xmpProperties(info));
    doc.registerFont("Body", fonts.regular);
    doc.registerFont("Body-Bold", fonts.bold);
    doc.font("Body");
    return { doc, regular: "Body", bold: "Body-Bold", t: (s) => s, pdfA: true };
  }
  doc.font("Helvetica");
  return { doc, regular: "Helvetica", bold: "Helvetica-Bold", t: toWinAnsi, pdfA: false };
}

/** Collects the whole document (small documents: invoices). */
export function pdfBytes(doc: Pdf): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(Buffer.concat(chunks)));
    doc.on("error", reject);
    doc.end();
  });
}

/** Words up to this length are measured whole when fitted on a line. */
const LONG_WORD = 64;
/** Longer runs of text without a space, hyphen, dash or slash (where lines also break), which may be wider than a line. */
const LONG_RUN = new RegExp(`[^ \\t\\r\\n/\\u2010-\\u2014-]{${LONG_WORD + 1},}`, "g");

/** Splits text into lines no wider than `width` at the current font and size; long words are cut. */
export function wrapText(doc: Pdf, text: string, width: number): string[] {
  const out: string[] = [];
  for (const paragraph of text.replace(/\r\n?/g, "\n").split("\n")) {
    const words = paragraph.split(/[ \t]+/).filter((w) => w.length > 0);
    if (words.length === 0) {
      out.push("");
      continue;
    }
    let line = "";
    let piece = 1;
    for (const word of words) {
      const candidate = line ? `${line} ${word}` : word;
      // A long word is first tried by its beginning: when that overflows, so does the whole word,
      // which is then never measured in full.
      const probe = Math.max(2 * piece, LONG_WORD);
      const overflows = word.length > probe && doc.widthOfString(candidate.slice(0, candidate.length - word.length + probe)) > width;
      if (!overflows && doc.widthOfString(candidate) <= width) {
        line = candidate;
        continue;
      }
      if (line) out.push(line);
      const pieces = wordPieces(doc, word, width, piece);
      if (pieces.length > 1) piece = pieces[0]!.length;
      line = pieces.pop()!;
      out.push(...pieces);
    }
    if (line) out.push(line);
  }
  return out;
}

/** `word` cut into pieces no wider than `width` (the last may be narrower), the first searched from `guess` characters. */
function wordPieces(doc: Pdf, word: string, width: number, guess: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  let piece = guess;
  for (let end = fittingEnd(doc, word, start, width, piece); end < word.length; end = fittingEnd(doc, word, start, width, piece)) {
    pieces.push(word.slice(start, end));
    piece = end - start;
    start = end;
  }
  pieces.push(word.slice(start));
  return pieces;
}

/**
 * Where the longest piece of `word` from `start` that fits `width` ends (at least one character).
 * The search starts from `guess` (the previous piece's length: a long word's pieces are much the
 * same) and moves by doubling steps then halves them, so a piece costs measurements of about its
 * own length, whatever the length of the word: cutting a long word is linear in it.
 */
function fittingEnd(doc: Pdf, word: string, start: number, width: number, guess: number): number {
  const remaining = word.length - start;
  const fits = (length: number) => doc.widthOfString(word.slice(start, start + length)) <= width;
  // `fitting` fits (or is the single character every piece takes), `tooLong` does not
  let fitting: number;
  let tooLong: number;
  const first = Math.min(Math.max(1, guess), remaining);
  if (fits(first)) {
    fitting = first;
    for (let step = 1; ; step *= 2) {
      if (fitting === remaining) return word.length;
      const next = Math.min(fitting + step, remaining);
      if (!fits(next)) {
        tooLong = next;
        break;
      }
      fitting = next;
    }
  } else {
    tooLong = first;
    fitting = 1;
    for (let step = 1; tooLong - step > 1; step *= 2) {
      if (fits(tooLong - step)) {
        fitting = tooLong - step;
        break;
      }
      tooLong -= step;
    }
  }
  while (tooLong - fitting > 1) {
    const middle = (fitting + tooLong) >>> 1;
    if (fits(middle)) fitting = middle;
    else tooLong = middle;
  }
  return start + fitting;
}

/** The text cut to fit `width` on one line at the current font and size, ending with "…" when cut. */
export function fitText(doc: Pdf, text: string, width: number): string {
  if (doc.widthOfString(text) <= width) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (doc.widthOfString(`${text.slice(0, mid)}…`) <= width) lo = mid;
    else hi = mid - 1;
  }
  return `${text.slice(0, lo).trimEnd()}…`;
}

/**
 * Writes flowing text (pdfkit breaks lines and pages) at the current position. Words wider than
 * `width` are cut beforehand, a piece per line: pdfkit measures again the whole rest of a word
 * after each piece it cuts, which is quadratic in the word.
 */
export function writeFlowing(doc: Pdf, text: string, width: number): void {
  const cut = text.replace(LONG_RUN, (word) => wordPieces(doc, word, width, 1).join("\n"));
  doc.text(cut, { width });
}

/** Writes text at an absolute position without letting pdfkit open a new page (footers). */
export function writeFixed(doc: Pdf, text: string, x: number, y: number, options: PDFKit.Mixins.TextOptions = {}): void {
  const bottom = doc.page.margins.bottom;
  doc.page.margins.bottom = 0;
  doc.text(text, x, y, { lineBreak: false, ...options });
  doc.page.margins.bottom = bottom;
}
