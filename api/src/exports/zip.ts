/**
 * ZIP exports on yazl: entries are produced one after the other, only when the archive reaches
 * them (an invoice PDF is rendered when its turn comes), and the archive flows out as the client
 * reads it. An entry that fails (a file gone from disk, a row that cannot be read) fails the archive
 * alone; the archive ends only once every entry it started has stopped, so what `fill` opened (a
 * read snapshot) is released after its last reader, never under it.
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
  /** Runs when the archive is done or abandoned, after every entry has stopped (releases what `fill` opened). */
  onFinish(cleanup: () => void): void;
}

const closed = (stream: Readable) => new Promise<void>((resolve) => (stream.closed ? resolve() : stream.once("close", () => resolve())));

/** `fill` adds every entry (lazily) and resolves to the summary; the archive is then closed. */
export async function* zipBody(fill: (zip: ZipWriter) => Promise<ExportSummary> | ExportSummary): ExportBody {
  const zip = new yazl.ZipFile();
  const output = zip.outputStream as unknown as Readable;
  let gone = false;
  let failure: unknown;
  const cleanups: (() => void)[] = [];
  // entries being produced, and the streams of those produced: each may still read what `fill` opened
  const producing = new Set<Promise<void>>();
  const streams = new Set<Readable>();
  const fail = (error: unknown) => {
    failure ??= error;
    output.destroy(error as Error);
  };
  zip.on("error", fail);
  const writer: ZipWriter = {
    aborted: () => gone,
    onFinish: (cleanup) => cleanups.push(cleanup),
    addBytes(name, mtime, bytes) {
      zip.addBuffer(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), name, { mtime, mode: 0o100644 });
    },
    addLazy(name, mtime, produce) {
      zip.addReadStreamLazy(name, { mtime, mode: 0o100644 }, (cb) => {
        if (gone) return cb(null, Readable.from([]));
        const task = produce().then((content) => {
          const stream = content instanceof Readable ? content : Readable.from([Buffer.from(content.buffer, content.byteOffset, content.byteLength)]);
          streams.add(stream);
          stream.once("close", () => streams.delete(stream));
          // yazl pipes the stream without listening for its errors
          stream.on("error", fail);
          if (gone) stream.destroy();
          else cb(null, stream);
        }, fail);
        producing.add(task);
        void task.finally(() => producing.delete(task));
      });
    },
  };
  const summaryPromise = (async () => {
    const summary = await fill(writer);
    zip.end();
    return summary;
  })().catch((error: unknown) => {
    fail(error);
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
    await summaryPromise;
    await Promise.all(producing);
    await Promise.all([...streams].map((stream) => (stream.destroy(), closed(stream))));
    for (const cleanup of cleanups) cleanup();
  }
}
