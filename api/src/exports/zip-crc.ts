/**
 * yazl checksums every archive entry with buffer-crc32, a byte-at-a-time loop in JavaScript: on an
 * XLSX of a year's journal it took 12 % of the export. Node's zlib computes the same CRC-32
 * natively; imported for its effect, this module makes yazl's copy of buffer-crc32 use it
 * (`unsigned` is the only function yazl calls, looked up on each call). test/xlsx-writer.test.ts
 * checks both give the same checksums, chunk after chunk.
 */
import { createRequire } from "node:module";
import zlib from "node:zlib";

type Crc32 = (buffer: Buffer | string, previous?: number) => number;
interface Crc32Module {
  unsigned: Crc32;
  /** The module's own implementation, set aside when replaced (once per process, however often this module is loaded). */
  javascriptUnsigned?: Crc32;
}

const fromYazl = createRequire(createRequire(import.meta.url).resolve("yazl"));
/** The buffer-crc32 yazl loads (its own copy, under its folder). */
export const yazlCrc32 = fromYazl("buffer-crc32") as Crc32Module;

if (typeof zlib.crc32 === "function" && !yazlCrc32.javascriptUnsigned) {
  yazlCrc32.javascriptUnsigned = yazlCrc32.unsigned;
  yazlCrc32.unsigned = (buffer, previous = 0) => zlib.crc32(buffer, previous);
}
