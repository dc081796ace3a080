/** Small real images made in code: a PNG of one colour and a baseline JPEG of one grey, both decodable by any reader. */
import { deflateSync } from "node:zlib";

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const out = Buffer.alloc(body.length + 8);
  out.writeUInt32BE(data.length, 0);
  body.copy(out, 4);
  out.writeUInt32BE(crc32(body), body.length + 4);
  return out;
}

/** An 8-bit RGB PNG of `width` × `height` pixels of one colour; RGBA when `alpha` is given. */
export function pngOf(width: number, height: number, [r, g, b]: [number, number, number] = [29, 78, 216], alpha?: number): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, alpha === undefined ? 2 : 6, 0, 0, 0], 8);
  const pixel = alpha === undefined ? [r, g, b] : [r, g, b, alpha];
  const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: width }, () => pixel).flat())]);
  const pixels = deflateSync(Buffer.concat(Array.from({ length: height }, () => row)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk("IHDR", header), chunk("IDAT", pixels), chunk("IEND", Buffer.alloc(0))]);
}

/**
 * A baseline JPEG, one grey component, `width` × `height` (multiples of 8): every block's DC
 * difference and its end of block are the one-bit code 0 of one-symbol Huffman tables — mid grey.
 */
export function jpegOf(width: number, height: number): Buffer {
  const segment = (marker: number, data: number[]) => [0xff, marker, (data.length + 2) >> 8, (data.length + 2) & 0xff, ...data];
  const blocks = (width / 8) * (height / 8);
  const bits = "00".repeat(blocks).padEnd(Math.ceil((2 * blocks) / 8) * 8, "1");
  const scan = bits.match(/.{8}/g)!.map((byte) => parseInt(byte, 2));
  const oneSymbol = (tableClass: number) => [tableClass, 1, ...new Array<number>(15).fill(0), 0];
  return Buffer.from([
    0xff, 0xd8,
    ...segment(0xdb, [0, ...new Array<number>(64).fill(1)]),
    ...segment(0xc0, [8, height >> 8, height & 0xff, width >> 8, width & 0xff, 1, 1, 0x11, 0]),
    ...segment(0xc4, oneSymbol(0x00)),
    ...segment(0xc4, oneSymbol(0x10)),
    ...segment(0xda, [1, 1, 0x00, 0, 63, 0]),
    ...scan,
    0xff, 0xd9,
  ]);
}
