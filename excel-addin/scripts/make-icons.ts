/**
 * Draws the add-in's ribbon and store icons (16, 32, 64, 80 px): a bridge arch over a deck on
 * Passerelle blue, written as PNG with node:zlib. Run: npx tsx excel-addin/scripts/make-icons.ts
 */
import { deflateSync } from "node:zlib";
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const BLUE = [0x1f, 0x4e, 0x79];
const WHITE = [0xff, 0xff, 0xff];

function pixel(x: number, y: number, size: number): [number, number, number, number] {
  const u = (x + 0.5) / size;
  const v = (y + 0.5) / size;
  const r = 0.18; // corner radius
  const cx = Math.min(Math.max(u, r), 1 - r);
  const cy = Math.min(Math.max(v, r), 1 - r);
  if (Math.hypot(u - cx, v - cy) > r) return [0, 0, 0, 0];
  const arch = Math.hypot(u - 0.5, (v - 0.78) * 1.15);
  const thickness = Math.max(0.07, 1.5 / size);
  const onArch = v <= 0.78 && Math.abs(arch - 0.34) < thickness;
  const onDeck = Math.abs(v - 0.56) < thickness * 0.8 && u > 0.12 && u < 0.88;
  const onPost = v > 0.56 && v < 0.78 && [0.32, 0.5, 0.68].some((p) => Math.abs(u - p) < thickness * 0.5) && arch < 0.34;
  const [R, G, B] = onArch || onDeck || onPost ? WHITE : BLUE;
  return [R!, G!, B!, 255];
}

function png(size: number): Buffer {
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

for (const size of [16, 32, 64, 80]) {
  writeFileSync(fileURLToPath(new URL(`../public/assets/icon-${size}.png`, import.meta.url)), png(size));
}
