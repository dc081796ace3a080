/**
 * What the embedded fonts of pdfkit documents share from one document to the next.
 *
 * pdfkit opens an embedded font anew for every document (`fontkit.create` on the file's bytes), so
 * each invoice decoded the font's tables again (metrics, cmap, the GSUB/GPOS kerning and ligature
 * lookups), shaped every word again and decoded each glyph it embeds again: for DejaVu Sans, most
 * of the time an invoice took. Each document still gets its own fontkit font — its own glyph
 * objects, layout engine and subset — and the fonts opened from the registered files (these very
 * buffers) share what is a function of the file's bytes alone:
 *  - the decoded tables: fontkit only reads them once decoded (lazy arrays fill in entries as they
 *    are first read);
 *  - the decoded glyph outlines the subset copies (`_decode`, read-only for the subset);
 *  - the shaping of a word of Latin text (see `replay`): the glyphs and positions fontkit computes
 *    for it, replayed onto the document's own glyph objects.
 *
 * A glyph object's `codePoints` (what the PDF's ToUnicode map says the glyph stands for) are those
 * of the first request for the glyph in its font: with shared glyph objects they would depend on
 * the documents made before. So they stay per document, and a word's shaping is replayed only after
 * checking that the document's font answers every glyph request the shaping made exactly as the
 * shaping font did; otherwise the word is shaped by the document's font itself. A document's bytes
 * therefore never depend on what was rendered before it in the process.
 */
import { createRequire } from "node:module";

interface Glyph {
  id: number;
  codePoints: number[];
}
interface GlyphPosition {
  xAdvance: number;
  yAdvance: number;
  xOffset: number;
  yOffset: number;
}
interface GlyphRun {
  glyphs: Glyph[];
  positions: object[];
  features: Record<string, boolean>;
  script: string;
  language: string | null;
  direction: string;
}
interface FontkitFont {
  stream: { buffer: Uint8Array };
  _tables: Record<string, unknown>;
  _getTable(table: unknown): unknown;
  getGlyph(id: number, codePoints?: number[]): Glyph;
  layout(text: unknown, ...options: unknown[]): GlyphRun;
}
interface FontkitGlyph {
  id: number;
  _font: FontkitFont & { _variationProcessor: unknown };
  _metrics?: object;
  _decode(): unknown;
  _getMetrics(): object;
}
interface Fontkit {
  create(buffer: Uint8Array): FontkitFont;
}

/** A request for a glyph made while shaping a word, and the code points of the glyph it got. */
interface GlyphRequest {
  id: number;
  codePoints: number[] | undefined;
  got: number[];
}
/** A word's shaping: the glyph requests in order (the first for each glyph), the run's glyphs and positions. */
interface Shaping {
  requests: GlyphRequest[];
  /** The run's glyphs, as indexes of the request that returned each. */
  glyphs: number[];
  /** xAdvance, yAdvance, xOffset, yOffset of each glyph, in font units. */
  positions: number[];
  features: Record<string, boolean>;
  script: string;
  language: string | null;
  direction: string;
}
interface FontFile {
  tables: Record<string, unknown>;
  outlines: Map<number, unknown>;
  metrics: Map<number, object>;
  /** Shapings by word; null when the word is always shaped by the document's font. */
  shapings: Map<string, Shaping | null>;
  /** The font the words are shaped with (its own glyph objects, only ever used for that). */
  shaper: FontkitFont;
}

/**
 * Words replayed: Latin letters, digits, punctuation, spaces, currency signs — what invoices are
 * written in, shaped by fontkit's default shaper. Not the default-ignorable characters (soft
 * hyphen, zero-width and bidi controls) nor combining marks, nor anything beyond the BMP.
 */
const REPLAYABLE = /^[\u0020-\u007e\u00a0-\u00ac\u00ae-\u024f\u2000-\u200a\u2010-\u2027\u202f-\u205f\u20a0-\u20c0]+$/;
/** Words kept per font file before the store starts afresh (a long archive has many amounts). */
const MAX_SHAPINGS = 20_000;

const STATE = Symbol.for("passerelle.pdf.sharedFontData");
type Patched = { [STATE]?: WeakMap<Uint8Array, FontFile> } & object;
const registered = new WeakSet<Uint8Array>();
const require = createRequire(import.meta.url);

/** The fonts pdfkit opens from `files` (by identity) share their decoded data from now on. */
export function shareFontData(files: Uint8Array[]): void {
  for (const file of files) {
    if (registered.has(file)) continue;
    registered.add(file);
    // the fontkit pdfkit itself requires (same resolution, same module instance)
    const fontkit = createRequire(require.resolve("pdfkit"))("fontkit") as Fontkit;
    const shaper = fontkit.create(file);
    const fontProto = Object.getPrototypeOf(shaper) as FontkitFont & Patched;
    const glyphProto = Object.getPrototypeOf(shaper.getGlyph(0)) as FontkitGlyph & Patched;
    // The patches are installed once per prototype, whichever copy of this module asks (tests
    // load it again per file); they act only on fonts opened from a registered file.
    const files = fontProto[STATE] ?? patchFont(fontProto);
    if (!glyphProto[STATE] && typeof glyphProto._decode === "function" && typeof glyphProto._getMetrics === "function") patchGlyph(glyphProto, files);
    if (!files.has(file)) files.set(file, { tables: {}, outlines: new Map(), metrics: new Map(), shapings: new Map(), shaper });
  }
}

function patchFont(proto: FontkitFont & Patched): WeakMap<Uint8Array, FontFile> {
  const files = new WeakMap<Uint8Array, FontFile>();
  Object.defineProperty(proto, STATE, { value: files });
  const getTable = proto._getTable;
  proto._getTable = function (this: FontkitFont, table: unknown) {
    const shared = files.get(this.stream.buffer);
    if (shared) this._tables = shared.tables;
    return getTable.call(this, table);
  };
  const layout = proto.layout;
  proto.layout = function (this: FontkitFont, text: unknown, ...options: unknown[]): GlyphRun {
    const shared = files.get(this.stream.buffer);
    if (!shared || typeof text !== "string" || options.some((o) => o !== undefined) || !REPLAYABLE.test(text)) return layout.call(this, text, ...options);
    let shaping = shared.shapings.get(text);
    if (shaping === undefined) {
      shaping = shape(shared.shaper, layout, text);
      if (shared.shapings.size >= MAX_SHAPINGS) shared.shapings.clear();
      shared.shapings.set(text, shaping);
    }
    return (shaping && replay(this, shaping)) ?? layout.call(this, text);
  };
  return files;
}

function patchGlyph(proto: FontkitGlyph & Patched, files: WeakMap<Uint8Array, FontFile>): void {
  Object.defineProperty(proto, STATE, { value: files });
  const decode = proto._decode;
  proto._decode = function (this: FontkitGlyph) {
    const shared = files.get(this._font.stream.buffer);
    if (!shared || this._font._variationProcessor) return decode.call(this);
    if (!shared.outlines.has(this.id)) shared.outlines.set(this.id, decode.call(this));
    return shared.outlines.get(this.id);
  };
  // advance width, bearings: from the font's metrics tables and the outline's box
  const getMetrics = proto._getMetrics;
  proto._getMetrics = function (this: FontkitGlyph) {
    if (this._metrics) return this._metrics;
    const shared = files.get(this._font.stream.buffer);
    if (!shared || this._font._variationProcessor) return getMetrics.call(this);
    let metrics = shared.metrics.get(this.id);
    if (!metrics) shared.metrics.set(this.id, (metrics = { ...getMetrics.call(this) }));
    return (this._metrics = { ...metrics });
  };
}

function sameCodePoints(a: number[], b: number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Shapes `text` with the shaping font, recording every glyph request the shaping makes. */
function shape(shaper: FontkitFont, layout: FontkitFont["layout"], text: string): Shaping | null {
  const requests: GlyphRequest[] = [];
  const byId = new Map<number, Glyph>();
  const getGlyph = shaper.getGlyph;
  shaper.getGlyph = function (this: FontkitFont, id: number, codePoints?: number[]) {
    const glyph = getGlyph.call(this, id, codePoints);
    // a glyph asked for again is the one the first request returned, whatever the code points
    if (!byId.has(id)) requests.push({ id, codePoints: codePoints && [...codePoints], got: [...glyph.codePoints] });
    byId.set(id, glyph);
    return glyph;
  };
  let run: GlyphRun;
  try {
    run = layout.call(shaper, text);
  } finally {
    delete (shaper as Partial<FontkitFont>).getGlyph;
  }
  // every glyph of the run must be one a request returned, for the replay to find it, and a
  // position must be fontkit's four numbers and nothing else
  if (!run.glyphs.every((g) => byId.get(g.id) === g)) return null;
  const requested = new Map(requests.map((r, i) => [r.id, i]));
  if (!run.positions.every((p) => Object.keys(p).join() === POSITION_KEYS)) return null;
  runClass ??= run.constructor as RunClass;
  positionClass ??= run.positions[0]!.constructor as PositionClass;
  return {
    requests,
    glyphs: run.glyphs.map((g) => requested.get(g.id)!),
    positions: (run.positions as GlyphPosition[]).flatMap((p) => [p.xAdvance, p.yAdvance, p.xOffset, p.yOffset]),
    features: { ...run.features },
    script: run.script,
    language: run.language,
    direction: run.direction,
  };
}

type RunClass = new (glyphs: Glyph[], features: string[], script: string, language: string | null, direction: string) => GlyphRun;
type PositionClass = new (xAdvance: number, yAdvance: number, xOffset: number, yOffset: number) => GlyphPosition;
const POSITION_KEYS = "xAdvance,yAdvance,xOffset,yOffset";
let runClass: RunClass | undefined;
let positionClass: PositionClass | undefined;

/**
 * The run fontkit would give `font` for the shaped word, or null to let fontkit shape it. The
 * shaping's glyph requests are made again, in order, of the document's font; each must get a glyph
 * with the code points the shaping font's glyph had. Then the shaping saw the same glyphs (ids and
 * code points: all shaping reads of them) and the document's font would make the very same
 * requests: its glyph objects end as fontkit would leave them, and the run is the same. At the
 * first glyph that differs the replay stops — the requests made so far are those fontkit makes
 * first, and making them again changes nothing — and fontkit shapes the word.
 */
function replay(font: FontkitFont, shaping: Shaping): GlyphRun | null {
  const { requests } = shaping;
  const got: Glyph[] = new Array(requests.length);
  for (let i = 0; i < requests.length; i++) {
    const request = requests[i]!;
    const glyph = font.getGlyph(request.id, request.codePoints && request.codePoints.slice());
    if (!sameCodePoints(glyph.codePoints, request.got)) return null;
    got[i] = glyph;
  }
  const glyphs = shaping.glyphs.map((i) => got[i]!);
  const run = new runClass!(glyphs, [], shaping.script, shaping.language, shaping.direction);
  run.features = { ...shaping.features };
  const p = shaping.positions;
  const positions: GlyphPosition[] = new Array(glyphs.length);
  for (let i = 0; i < glyphs.length; i++) positions[i] = new positionClass!(p[4 * i]!, p[4 * i + 1]!, p[4 * i + 2]!, p[4 * i + 3]!);
  run.positions = positions;
  return run;
}
