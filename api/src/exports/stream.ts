/**
 * Export responses. A body is an async generator of byte chunks whose return value sums it up; it is
 * pulled by the HTTP response only as fast as the client reads (backpressure), stopped when the
 * client goes away (the generator's `finally` blocks release what they hold), and hashed on the way
 * out. When the last byte has been handed over, the export log gets its entry — never before, so an
 * interrupted download logs nothing.
 */
import { createHash } from "node:crypto";
import Database from "better-sqlite3";
import type { ExportKind } from "@passerelle/shared";
import type { Deps } from "../context.js";
import type { CompanyAccess } from "../auth/access.js";
import type { Db } from "../db/connection.js";
import { cacheStatements, inTransaction, isPostgres } from "../db/connection.js";
import type { PostgresDatabase } from "../db/postgres/database.js";
import { newId } from "../db/ids.js";
import { contentDisposition } from "../routes/documents.js";
import { insertExport } from "./log.js";
import { ProblemError } from "../http/problem.js";
import { oneLine, streamed } from "../http/streamed-bodies.js";

export interface ExportSummary {
  rows: number;
  detail?: unknown;
}

export type ExportBody = AsyncGenerator<Uint8Array, ExportSummary, void>;

export interface ExportDescriptor {
  kind: ExportKind;
  fileName: string;
  contentType: string;
  filters: Record<string, string>;
  /** `inline` lets a browser show the file (a single invoice PDF); exports default to `attachment`. */
  disposition?: "attachment" | "inline";
}

function fileHeaders(d: ExportDescriptor, exportId: string): Record<string, string> {
  return {
    "content-type": d.contentType,
    "content-disposition": contentDisposition(d.disposition ?? "attachment", d.fileName),
    "cache-control": "private, no-store",
    "x-content-type-options": "nosniff",
    "x-export-id": exportId,
  };
}

/**
 * Streams `body` to the client and logs the export once every byte has been handed over. The first
 * chunk is made before answering, so an export that cannot start answers a problem; one that fails
 * later ends its response (http/streamed-bodies.ts).
 */
export async function streamExport(deps: Deps, access: CompanyAccess, d: ExportDescriptor, body: ExportBody): Promise<Response> {
  const id = newId();
  const startedAt = deps.clock.now();
  const hash = createHash("sha256");
  let bytes = 0;
  let cancelled = false;
  let first: IteratorResult<Uint8Array, ExportSummary> | null;
  try {
    first = await body.next();
  } catch (error) {
    console.error(`export ${d.kind} failed before its first byte: ${oneLine(error)}`);
    throw new ProblemError(500, "Export failed", "The export could not be produced; nothing was sent or recorded. The server log says why.");
  }
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        for (;;) {
          const next = first ?? (await body.next());
          first = null;
          if (cancelled) return;
          if (next.done) {
            const sha256 = hash.digest("hex");
            const seq = inTransaction(deps.db, () =>
              insertExport(deps.db, deps.clock.now(), {
                id,
                companyId: access.companyId,
                kind: d.kind,
                fileName: d.fileName,
                contentType: d.contentType,
                filters: d.filters,
                rows: next.value.rows,
                bytes,
                sha256,
                detail: next.value.detail,
                principal: access.principal,
                startedAt,
              }),
            );
            deps.changes.publish(access.companyId, seq);
            controller.close();
            return;
          }
          if (next.value.byteLength === 0) continue;
          hash.update(next.value);
          bytes += next.value.byteLength;
          controller.enqueue(next.value);
          return;
        }
      } catch (error) {
        if (cancelled) return;
        controller.error(error);
        await body.return({ rows: 0 }).catch(() => undefined);
      }
    },
    async cancel() {
      cancelled = true;
      await body.return({ rows: 0 });
    },
  }, { highWaterMark: 0 });
  return new Response(streamed(stream), { status: 200, headers: fileHeaders(d, id) });
}

/** A file built before answering (exports that lock the period): logged by the caller, sent as is. */
export function bytesResponse(d: ExportDescriptor, exportId: string, bytes: Uint8Array, sha256: string): Response {
  return new Response(bytes, {
    status: 200,
    headers: { ...fileHeaders(d, exportId), "content-length": String(bytes.byteLength), "x-export-sha256": sha256 },
  });
}

/** Accumulates text and hands it out in ~64 KiB UTF-8 chunks. */
export class TextChunks {
  private parts: string[] = [];
  private size = 0;
  constructor(private readonly limit = 64 * 1024) {}

  /** Adds text; true when a chunk is ready to `take()`. */
  push(text: string): boolean {
    this.parts.push(text);
    this.size += text.length;
    return this.size >= this.limit;
  }

  take(): Uint8Array {
    const chunk = Buffer.from(this.parts.join(""), "utf8");
    this.parts = [];
    this.size = 0;
    return chunk;
  }

  get pending(): boolean {
    return this.size > 0;
  }
}

/**
 * A connection for one long read. On a database file it is a separate read-only connection in a
 * read transaction: the export sees one consistent snapshot (WAL) and never holds the main
 * connection busy, so writes go on while a big file streams. An in-memory database (tests, the
 * one-shot CLI) can only be read through its own connection. On PostgreSQL the reader is a
 * connection of its own in a read-only REPEATABLE READ snapshot whose long queries are read through
 * server-side cursors (PGlite: the database's one connection, WITH HOLD cursors).
 */
export function openReader(db: Db): { db: Db; close(): void } {
  // a reader already (a pack shares one snapshot between its files)
  if (db.readonly) return { db, close: () => undefined };
  // PostgreSQL: a snapshot on a connection of its own, read through cursors (db/postgres/database.ts)
  if (isPostgres(db)) return (db as unknown as PostgresDatabase).openReader() as unknown as { db: Db; close(): void };
  // an in-memory database
  if (db.memory) return { db, close: () => undefined };
  // its own compiled statements: a long export prepares the same few queries page after page
  const reader = cacheStatements(new Database(db.name, { readonly: true, fileMustExist: true }));
  reader.pragma("busy_timeout = 5000");
  reader.exec("BEGIN");
  let closed = false;
  return {
    db: reader,
    close: () => {
      if (closed) return;
      closed = true;
      try {
        if (reader.inTransaction) reader.exec("COMMIT");
        reader.close();
      } catch (error) {
        // a statement of an abandoned export is still open: the connection goes when it is collected
        console.warn("export reader left open:", (error as Error).message);
      }
    },
  };
}

/** Lets other work (other requests, the socket) run between batches of a long export. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** The filters as given, for the log and file headers (empty values left out). */
export function filterRecord(filters: object): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(filters)) {
    if (v === undefined || v === null || v === "") continue;
    out[k] = Array.isArray(v) ? v.join(",") : String(v);
  }
  return out;
}
