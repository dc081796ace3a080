/**
 * A saved journal query read as a feed: the French CSV of the journal export (UTF-8 with BOM, `;`,
 * decimal comma, dates dd/mm/yyyy) or a JSON list of flat records that Power Query turns into a
 * table. Streamed page after page like the exports, but not an export: a spreadsheet refreshing
 * every few minutes reads it as it would read the journal, without filling the export log.
 */
import type { JournalFeedRow, JournalRow } from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import { ProblemError } from "../http/problem.js";
import { oneLine, streamed } from "../http/streamed-bodies.js";
import { contentDisposition } from "../routes/documents.js";
import { openJournal } from "./journal.js";
import type { InvoiceFilter } from "./invoices-zip.js";
import { openReader, TextChunks, yieldToEventLoop, type ExportBody } from "./stream.js";

/** Cents as a JSON number of euros: 123456 → 1234.56 (the shortest decimal that reads back as those cents). */
const euros = (cents: number) => cents / 100;

export function feedRow(r: JournalRow): JournalFeedRow {
  return {
    date: r.date,
    number: r.number,
    type: r.type,
    customerCode: r.customerCode,
    customerName: r.customerName,
    netEuros: euros(r.htCents),
    vatEuros: euros(r.vatCents),
    grossEuros: euros(r.ttcCents),
    paidEuros: euros(r.paidCents),
    status: r.status,
    dueDate: r.dueDate ?? null,
    correctedInvoice: r.creditedInvoiceNumber ?? null,
  };
}

/** The journal as one JSON array of `JournalFeedRow`, written as the rows come. */
export async function* journalJson(db: Db, companyId: string, filters: InvoiceFilter): ExportBody {
  const reader = openReader(db);
  try {
    const journal = openJournal(reader.db, companyId, filters);
    const chunks = new TextChunks();
    chunks.push("[");
    let count = 0;
    for (const r of journal.rows) {
      if (chunks.push((count ? "," : "") + JSON.stringify(feedRow(r)))) yield chunks.take();
      count++;
      if (count % 5000 === 0) await yieldToEventLoop();
    }
    chunks.push("]");
    yield chunks.take();
    return { rows: count };
  } finally {
    reader.close();
  }
}

/** Streams a feed; the first chunk is made before answering, so a feed that cannot start answers a problem. */
export async function feedResponse(body: ExportBody, contentType: string, fileName: string): Promise<Response> {
  let first: IteratorResult<Uint8Array> | null;
  try {
    first = await body.next();
  } catch (error) {
    console.error(`feed ${fileName} failed before its first byte: ${oneLine(error)}`);
    throw new ProblemError(500, "Feed failed", "The feed could not be produced. The server log says why.");
  }
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const next = first ?? (await body.next());
        first = null;
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel() {
        await body.return({ rows: 0 });
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(streamed(stream), {
    status: 200,
    headers: {
      "content-type": contentType,
      "content-disposition": contentDisposition("inline", fileName),
      "cache-control": "private, no-store",
      "x-content-type-options": "nosniff",
    },
  });
}
