/**
 * Draws the add-in's ribbon and store icons (16, 32, 64, 80 px): a white footbridge — a deck under
 * a bowstring arch — on a Fluent blue rounded square, written as PNG with node:zlib. Each size is
 * drawn at its own size, strokes at least 2 px and the deck on whole pixels, so the 16 px ribbon
 * icon stays legible. Run: npx tsx excel-addin/scripts/make-icons.ts
 */
import { deflateSync } from "node:zlib";
import { writeFileSync } from "node:fs";
import { fileURLToPath, pathToFileURL } from "node:url";

export const ICON_SIZES = [16, 32, 64, 80] as const;
export const BLUE = [0x0f, 0x6c, 0xbd] as const;
const WHITE = [0xff, 0xff, 0xff] as const;
/** Sub-samples per pixel side: edges are anti-aliased, straight strokes on the grid stay solid. */
const SUB = 4;

/** Coverage of the glyph (0…1) and of the rounded square at a point, in pixels. */
function shape(x: number, y: number, size: number): { square: boolean; glyph: boolean } {
  const radius = size * 0.2;
  const cx = Math.min(Math.max(x, radius), size - radius);
  const cy = Math.min(Math.max(y, radius), size - radius);
  const square = Math.hypot(x - cx, y - cy) <= radius;
  const stroke = Math.max(2, Math.round(size / 10));
  // the deck: a full-width bar whose edges fall on pixel boundaries
  const deckTop = Math.round(size * 0.66);
  const deck = y >= deckTop && y < deckTop + stroke && x >= size * 0.14 && x <= size * 0.86;
  // the arch: half an ellipse standing on the deck
  const ax = size * 0.3;
  const ay = size * 0.42;
  const ox = size / 2;
  const oy = deckTop;
  const dx = x - ox;
  const dy = y - oy;
  const f = (dx / ax) ** 2 + (dy / ay) ** 2 - 1;
  // distance to the ellipse, to first order: |f| / |∇f|
  const distance = Math.abs(f) / Math.hypot((2 * dx) / ax ** 2, (2 * dy) / ay ** 2);
  const arch = y <= oy && distance <= stroke / 2;
  // hangers from the arch to the deck where there is room for them (64 px and more)
  const hanger = Math.max(1, Math.round(stroke / 3));
  const hangers = size >= 64 && f < 0 && y < oy && [-0.5, 0, 0.5].some((h) => Math.abs(x - Math.round(ox + h * ax)) <= hanger / 2);
  return { square, glyph: square && (deck || arch || hangers) };
}

export function pixel(px: number, py: number, size: number): [number, number, number, number] {
  let square = 0;
  let glyph = 0;
  for (let i = 0; i < SUB; i++) {
    for (let j = 0; j < SUB; j++) {
      const s = shape(px + (i + 0.5) / SUB, py + (j + 0.5) / SUB, size);
      if (s.square) square++;
      if (s.glyph) glyph++;
    }
  }
  if (square === 0) return [0, 0, 0, 0];
  const w = glyph / square;
  const mix = (k: number) => Math.round(BLUE[k]! * (1 - w) + WHITE[k]! * w);
  return [mix(0), mix(1), mix(2), Math.round((255 * square) / (SUB * SUB))];
}

export function png(size: number): Buffer {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) raw.set(pixel(x, y, size), y * (size * 4 + 1) + 1 + x * 4);
  }
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk("IHDR", header), chunk("IDAT", deflateSync(raw)), chunk("IEND", Buffer.alloc(0))]);
}

function crc32(data: Buffer): number {
  let c = ~0;
  for (const byte of data) {
    c ^= byte;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

export function iconPath(size: number): string {
  return fileURLToPath(new URL(`../public/assets/icon-${size}.png`, import.meta.url));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const size of ICON_SIZES) writeFileSync(iconPath(size), png(size));
}
