/**
 * ZIP exports on yazl: entries are produced one after the other, only when the archive reaches
 * them (an invoice PDF is rendered when its turn comes), and the archive flows out as the client
 * reads it.
 */
import { Readable } from "node:stream";
import yazl from "yazl";
import "./zip-crc.js";
import type { ExportBody, ExportSummary } from "./stream.js";

export interface ZipWriter {
  /** Adds an entry whose bytes are produced when the archive reaches it. */
  addLazy(name: string, mtime: Date, produce: () => Promise<Uint8Array | Readable>): void;
  addBytes(name: string, mtime: Date, bytes: Uint8Array): void;
  /** True once the client has gone: stop adding work. */
  aborted(): boolean;
  /** Runs when the archive is done or abandoned (releases what `fill` opened). */
  onFinish(cleanup: () => void): void;
}

/** `fill` adds every entry (lazily) and resolves to the summary; the archive is then closed. */
export async function* zipBody(fill: (zip: ZipWriter) => Promise<ExportSummary> | ExportSummary): ExportBody {
  const zip = new yazl.ZipFile();
  const output = zip.outputStream as unknown as Readable;
  let gone = false;
  let failure: unknown;
  const cleanups: (() => void)[] = [];
  zip.on("error", (error: unknown) => {
    failure ??= error;
    output.destroy(error as Error);
  });
  const writer: ZipWriter = {
    aborted: () => gone,
    onFinish: (cleanup) => cleanups.push(cleanup),
    addBytes(name, mtime, bytes) {
      zip.addBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), name, { mtime, mode: 0o100644 });
    },
    addLazy(name, mtime, produce) {
      zip.addReadStreamLazy(name, { mtime, mode: 0o100644 }, (cb) => {
        if (gone) return cb(null, Readable.from([]));
        produce().then(
          (content) => cb(null, content instanceof Readable ? content : Readable.from([Buffer.from(content.buffer, content.byteOffset, content.byteLength)])),
          (error: unknown) => cb(error as Error, Readable.from([])),
        );
      });
    },
  };
  const summaryPromise = (async () => {
    const summary = await fill(writer);
    zip.end();
    return summary;
  })().catch((error: unknown) => {
    failure ??= error;
    output.destroy(error as Error);
    return { rows: 0 } as ExportSummary;
  });
  try {
    for await (const chunk of output) yield chunk as Uint8Array;
    const summary = await summaryPromise;
    if (failure) throw failure;
    return summary;
  } finally {
    gone = true;
    if (!output.destroyed) output.destroy();
    for (const cleanup of cleanups) cleanup();
  }
}
