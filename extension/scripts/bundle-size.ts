/** What a page of the built extension loads: its scripts, measured gzipped as a user's browser would fetch them from disk. */
import fs from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

export interface PageWeight {
  files: { file: string; bytes: number; gzipBytes: number }[];
  bytes: number;
  gzipBytes: number;
}

/** Every script a page pulls in: its entry module and the chunks it imports, followed through static imports. */
export function pageScripts(outDir: string, page: string): string[] {
  const html = fs.readFileSync(path.join(outDir, page), "utf8");
  const queue = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*\brel="modulepreload"[^>]*\bhref)="([^"]+\.js)"/g)].map((m) => path.join(outDir, m[1]!));
  const seen = new Set<string>();
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const code = fs.readFileSync(file, "utf8");
    for (const m of code.matchAll(/(?:from|import)\s*["'](\.{1,2}\/[^"']+\.js)["']/g)) queue.push(path.resolve(path.dirname(file), m[1]!));
  }
  return [...seen];
}

export function pageWeight(outDir: string, page: string): PageWeight {
  const files = pageScripts(outDir, page).map((file) => {
    const content = fs.readFileSync(file);
    return { file: path.relative(outDir, file), bytes: content.byteLength, gzipBytes: gzipSync(content, { level: 9 }).byteLength };
  });
  return { files, bytes: files.reduce((s, f) => s + f.bytes, 0), gzipBytes: files.reduce((s, f) => s + f.gzipBytes, 0) };
}

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
