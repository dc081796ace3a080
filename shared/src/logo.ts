/**
 * What a company's logo may be: a PNG, a JPEG or an SVG of at most LOGO_MAX_BYTES, at most
 * LOGO_MAX_SIDE pixels a side. The type is read from the bytes, never from a name or a header, and
 * the image's own header is read to the end of its structure: a file that only looks like an image
 * is refused, naming what is wrong. An SVG is checked by svg-logo.ts.
 */
import { parseSvgLogo, svgLogoSize } from "./svg-logo.js";

export const LOGO_MAX_BYTES = 512 * 1024;
export const LOGO_MAX_SIDE = 4096;
/**
 * A PNG with transparency (an alpha channel or a transparent palette entry) or interlaced is
 * decoded pixel by pixel each time a document embeds it — about 0.9 s a render at 1024 × 1024 on a
 * busy machine, 6 s at 4096 × 4096 — so it may have at most this many pixels; others are embedded
 * as they are stored.
 */
export const LOGO_MAX_DECODED_PIXELS = 1024 * 1024;
export const LOGO_MEDIA_TYPES = ["image/png", "image/jpeg", "image/svg+xml"] as const;
export type LogoMediaType = (typeof LOGO_MEDIA_TYPES)[number];

export interface LogoFacts {
  mediaType: LogoMediaType;
  width: number;
  height: number;
  /** A PNG's compressed pixel data (its IDAT chunks, in order) and the size it must inflate to at most. */
  png?: { idat: Uint8Array[]; maxInflatedBytes: number };
}

export type LogoInspection = { ok: true; logo: LogoFacts } | { ok: false; message: string };

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The logo's type and size from its bytes, or why it is refused. */
export function inspectLogo(bytes: Uint8Array): LogoInspection {
  if (bytes.length === 0) return refused("is empty");
  if (bytes.length > LOGO_MAX_BYTES) return refused(`is ${bytes.length} bytes: a logo may be at most ${LOGO_MAX_BYTES} bytes (512 KB)`);
  const facts = PNG_SIGNATURE.every((b, i) => bytes[i] === b)
    ? pngFacts(bytes)
    : bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff
      ? jpegFacts(bytes)
      : looksLikeSvg(bytes)
        ? svgFacts(bytes)
        : "must be a PNG, a JPEG or an SVG image";
  if (typeof facts === "string") return refused(facts);
  if (facts.width > LOGO_MAX_SIDE || facts.height > LOGO_MAX_SIDE) {
    return refused(`is ${facts.width} × ${facts.height} pixels: a logo may be at most ${LOGO_MAX_SIDE} pixels a side`);
  }
  return { ok: true, logo: facts };
}

const refused = (message: string): LogoInspection => ({ ok: false, message });

const u32 = (b: Uint8Array, at: number) => ((b[at]! << 24) | (b[at + 1]! << 16) | (b[at + 2]! << 8) | b[at + 3]!) >>> 0;
const u16 = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;

let crcTable: Uint32Array | undefined;
function crc32(bytes: Uint8Array, from: number, to: number): number {
  crcTable ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let crc = 0xffffffff;
  for (let i = from; i < to; i++) crc = crcTable[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** Bit depths each PNG colour type allows, and its samples per pixel. */
const PNG_COLOUR_TYPES: Record<number, { depths: number[]; samples: number }> = {
  0: { depths: [1, 2, 4, 8, 16], samples: 1 },
  2: { depths: [8, 16], samples: 3 },
  3: { depths: [1, 2, 4, 8], samples: 1 },
  4: { depths: [8, 16], samples: 2 },
  6: { depths: [8, 16], samples: 4 },
};

/** Every chunk read and its CRC checked, from IHDR to IEND. */
function pngFacts(b: Uint8Array): LogoFacts | string {
  let at = 8;
  let header: { width: number; height: number; depth: number; colour: number; interlaced: boolean } | undefined;
  let palette = false;
  let transparentPalette = false;
  const idat: Uint8Array[] = [];
  for (;;) {
    if (at + 12 > b.length) return "is a PNG cut short: it has no IEND chunk";
    const length = u32(b, at);
    const type = String.fromCharCode(b[at + 4]!, b[at + 5]!, b[at + 6]!, b[at + 7]!);
    const end = at + 8 + length;
    if (length > b.length || end + 4 > b.length) return `is a PNG cut short in its ${type} chunk`;
    if (crc32(b, at + 4, end) !== u32(b, end)) return `is a damaged PNG: the ${type} chunk's checksum is wrong`;
    if (!header) {
      if (type !== "IHDR" || length !== 13) return "is a damaged PNG: it does not start with its IHDR header";
      const colour = b[at + 17]!;
      const depth = b[at + 16]!;
      const allowed = PNG_COLOUR_TYPES[colour];
      if (!allowed || !allowed.depths.includes(depth)) return `is a damaged PNG: colour type ${colour} with ${depth}-bit samples does not exist`;
      if (b[at + 18] !== 0 || b[at + 19] !== 0 || b[at + 20]! > 1) return "is a damaged PNG: unknown compression, filter or interlace method";
      header = { width: u32(b, at + 8), height: u32(b, at + 12), depth, colour, interlaced: b[at + 20] === 1 };
      if (header.width === 0 || header.height === 0) return "is a PNG of no pixels";
    } else if (type === "PLTE") palette = true;
    else if (type === "tRNS" && header.colour === 3) transparentPalette = true;
    else if (type === "IDAT") idat.push(b.subarray(at + 8, end));
    else if (type === "IEND") break;
    at = end + 4;
  }
  if (idat.length === 0) return "is a damaged PNG: it holds no image data (IDAT)";
  if (header.colour === 3 && !palette) return "is a damaged PNG: its colours refer to a palette (PLTE) it does not hold";
  const decoded = header.colour === 4 || header.colour === 6 || transparentPalette || header.interlaced;
  if (decoded && header.width * header.height > LOGO_MAX_DECODED_PIXELS && header.width <= LOGO_MAX_SIDE && header.height <= LOGO_MAX_SIDE) {
    const why = header.interlaced ? "interlaced" : "with transparency";
    return `is a PNG of ${header.width} × ${header.height} pixels ${why}: such a logo may have at most ${LOGO_MAX_DECODED_PIXELS} pixels (1024 × 1024), as every document decodes it again`;
  }
  const rowBytes = 1 + Math.ceil((header.width * PNG_COLOUR_TYPES[header.colour]!.samples * header.depth) / 8);
  // an interlaced image stores its seven passes' rows: never twice the plain size
  const maxInflatedBytes = header.height * rowBytes * (header.interlaced ? 2 : 1);
  return { mediaType: "image/png", width: header.width, height: header.height, png: { idat, maxInflatedBytes } };
}

/**
 * The markers up to the image data (SOS), the frame header (SOF) among them: baseline, extended or
 * progressive JPEGs, which every PDF reader draws; and the end of image (EOI) at the end.
 */
function jpegFacts(b: Uint8Array): LogoFacts | string {
  let at = 2;
  let frame: LogoFacts | undefined;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return "is a damaged JPEG: a marker was expected";
    while (b[at + 1] === 0xff) at++;
    const marker = b[at + 1]!;
    if (marker === 0xd9) return "is a JPEG with no image data (it ends before its scan)";
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2;
      continue;
    }
    const length = u16(b, at + 2);
    if (length < 2 || at + 2 + length > b.length) return "is a JPEG cut short";
    if (marker === 0xda) {
      if (!frame) return "is a damaged JPEG: its image data comes before its frame header";
      return b[b.length - 2] === 0xff && b[b.length - 1] === 0xd9 ? frame : "is a JPEG cut short: it does not end with its end-of-image marker";
    }
    if (marker === 0xc0 || marker === 0xc1 || marker === 0xc2) {
      if (length < 8) return "is a damaged JPEG: its frame header is too short";
      const height = u16(b, at + 5);
      const width = u16(b, at + 7);
      const components = b[at + 9]!;
      if (b[at + 4] !== 8) return "is a JPEG of 12-bit samples, which PDF documents cannot hold";
      if (width === 0 || height === 0) return "is a JPEG of no pixels";
      if (![1, 3, 4].includes(components)) return `is a JPEG of ${components} colour components: grey, RGB or CMYK only`;
      frame = { mediaType: "image/jpeg", width, height };
    } else if (marker >= 0xc3 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return "is a lossless, hierarchical or arithmetic-coded JPEG, which PDF readers do not all show: save it as a baseline JPEG";
    }
    at += 2 + length;
  }
  return "is a JPEG cut short";
}

function looksLikeSvg(b: Uint8Array): boolean {
  const head = new TextDecoder("utf-8", { fatal: false }).decode(b.subarray(0, 1024)).replace(/^\uFEFF/, "").trimStart();
  return /^(<\?xml[\s?]|<!--|<!DOCTYPE\s+svg|<svg[\s>])/i.test(head);
}

function svgFacts(b: Uint8Array): LogoFacts | string {
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(b);
  } catch {
    return "is an SVG that is not UTF-8 text";
  }
  const parsed = parseSvgLogo(text);
  if (!parsed.ok) return parsed.message;
  const size = svgLogoSize(parsed.root);
  if (typeof size === "string") return size;
  return { mediaType: "image/svg+xml", width: Math.max(1, Math.round(size.width)), height: Math.max(1, Math.round(size.height)) };
}
