/** A stored document's bytes, read from disk only as fast as the client takes them. */
import fs from "node:fs/promises";
import type { DocumentMeta } from "@passerelle/shared";
import { ProblemError } from "../http/problem.js";
import { oneLine } from "../http/streamed-bodies.js";
import { documentPath } from "./documents.js";

/**
 * Opens the document's file before anything is answered (a missing file answers a problem); the
 * stream then fails, rather than ending quietly, if the file holds other than the bytes recorded.
 */
export async function documentFile(dataDir: string, companyId: string, doc: DocumentMeta): Promise<ReadableStream<Uint8Array>> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(documentPath(dataDir, companyId, doc.id), "r");
    if (!(await handle.stat()).isFile()) throw new Error("not a regular file");
  } catch (error) {
    await handle?.close();
    console.error(`document ${doc.id} of company ${companyId}: its file cannot be read: ${oneLine(error)}`);
    throw new ProblemError(500, "Document file unavailable", "The stored file of this document cannot be read on the server; the server log says why.");
  }
  // the read stream closes the file when it ends or is destroyed
  const chunks = handle.createReadStream()[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let sent = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = await chunks.next();
        if (!next.done) sent += next.value.byteLength;
        if (sent > doc.sizeBytes || (next.done && sent < doc.sizeBytes)) {
          await chunks.return?.();
          throw new Error(`document ${doc.id}: its file holds ${next.done ? sent : "more than"} of the ${doc.sizeBytes} bytes recorded`);
        }
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel() {
        await chunks.return?.();
      },
    },
    { highWaterMark: 0 },
  );
}
