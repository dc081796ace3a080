/** The ribbon's icons: the sizes the manifest declares, and a bridge still legible at 16 px. */
import fs from "node:fs";
import { inflateSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { BLUE, ICON_SIZES, iconPath, png } from "../scripts/make-icons.js";

function decode(file: Buffer) {
  expect(file.subarray(0, 8).equals(Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]))).toBe(true);
  const width = file.readUInt32BE(16);
  const height = file.readUInt32BE(20);
  const idat: Buffer[] = [];
  for (let at = 8; at < file.length; ) {
    const length = file.readUInt32BE(at);
    if (file.toString("ascii", at + 4, at + 8) === "IDAT") idat.push(file.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4 + 1;
  for (let y = 0; y < height; y++) expect(raw[y * stride], "filter type of row").toBe(0);
  return { width, height, rgba: (x: number, y: number) => [...raw.subarray(y * stride + 1 + x * 4, y * stride + 5 + x * 4)] as [number, number, number, number] };
}

/** Each opaque pixel as glyph ("#", nearly white), edge ("+") or background ("."); transparent " ". */
function grid(size: number): string[] {
  const { rgba } = decode(fs.readFileSync(iconPath(size)));
  return Array.from({ length: size }, (_, y) =>
    Array.from({ length: size }, (_, x) => {
      const [r, , , a] = rgba(x, y);
      if (a < 128) return " ";
      const white = (r - BLUE[0]) / (255 - BLUE[0]);
      return white >= 0.9 ? "#" : white > 0.1 ? "+" : ".";
    }).join(""),
  );
}

/** Background pixels not reachable from the icon's edge without crossing the glyph: the opening under the arch. */
function enclosed(rows: string[]): number {
  const size = rows.length;
  const seen = new Set<number>();
  const stack: [number, number][] = [];
  for (let i = 0; i < size; i++) stack.push([i, 0], [i, size - 1], [0, i], [size - 1, i]);
  while (stack.length) {
    const [x, y] = stack.pop()!;
    if (x < 0 || y < 0 || x >= size || y >= size || seen.has(y * size + x) || "#+".includes(rows[y]![x]!)) continue;
    seen.add(y * size + x);
    stack.push([x + 1, y], [x - 1, y], [x, y + 1], [x, y - 1]);
  }
  return rows.join("").split("").filter((c, i) => c === "." && !seen.has(i)).length;
}

describe("the ribbon icons", () => {
  it("are PNGs of exactly 16, 32, 64 and 80 px, as make-icons.ts draws them", () => {
    for (const size of ICON_SIZES) {
      const file = fs.readFileSync(iconPath(size));
      const { width, height } = decode(file);
      expect([width, height], `icon-${size}.png`).toEqual([size, size]);
      expect(file.equals(png(size)), `icon-${size}.png is up to date (npx tsx excel-addin/scripts/make-icons.ts)`).toBe(true);
    }
  });

  it("keep the bridge legible at 16 px: a solid 2-pixel deck, an open arch, a glyph neither lost nor filling the square", () => {
    const rows = grid(16);
    console.log(`icon-16.png:\n${rows.join("\n")}`);
    const deck = rows.flatMap((r, y) => (/#{10,}/.test(r) ? [y] : []));
    expect(deck).toEqual([11, 12]);
    expect(enclosed(rows)).toBeGreaterThanOrEqual(16);
    for (const size of [16, 32, 80]) {
      const cells = grid(size).join("").replace(/ /g, "");
      const coverage = cells.replace(/[^#+]/g, "").length / cells.length;
      expect(coverage, `${size} px`).toBeGreaterThan(0.2);
      expect(coverage, `${size} px`).toBeLessThan(0.45);
      expect(enclosed(grid(size)) / cells.length, `${size} px`).toBeGreaterThan(0.08);
    }
  });
});
