/** Documents the owner shares with the accountant: stored on disk, described (SHA-256, origin) in the database. */
import fs from "node:fs";
import path from "node:path";
import { createHash } from "node:crypto";
import type { DocumentMeta, Page } from "@passerelle/shared";
import type { Db } from "../db/connection.js";
import type { UseCaseContext } from "../context.js";
import { inTransaction } from "../db/connection.js";
import { decodeCursor, encodeCursor, newId } from "../db/ids.js";
import { toDocument, type DocumentRow } from "../db/rows.js";
import { ProblemError, notFound } from "../http/problem.js";
import { recordActivity } from "./activity.js";
import { storedFileName } from "./document-names.js";

/** The type is read from the first bytes; what the client claims is ignored. */
export function sniffMimeType(bytes: Uint8Array): string | null {
  const starts = (...sig: number[]) => sig.every((b, i) => bytes[i] === b);
  const ascii = (offset: number, text: string) => [...text].every((ch, i) => bytes[offset + i] === ch.charCodeAt(0));
  if (ascii(0, "%PDF-")) return "application/pdf";
  if (starts(0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  if (starts(0xff, 0xd8, 0xff)) return "image/jpeg";
  if (ascii(0, "GIF87a") || ascii(0, "GIF89a")) return "image/gif";
  if (ascii(0, "RIFF") && ascii(8, "WEBP")) return "image/webp";
  if (starts(0x49, 0x49, 0x2a, 0x00) || starts(0x4d, 0x4d, 0x00, 0x2a)) return "image/tiff";
  if (ascii(4, "ftypheic") || ascii(4, "ftypheix") || ascii(4, "ftypmif1")) return "image/heic";
  return null;
}

export function documentPath(dataDir: string, companyId: string, documentId: string): string {
  return path.join(dataDir, "documents", companyId, documentId);
}

export function saveDocument(
  ctx: UseCaseContext,
  companyId: string,
  file: { name: string; bytes: Uint8Array },
  extra: { sourceUrl?: string | undefined; note?: string | undefined },
): DocumentMeta {
  if (file.bytes.byteLength > ctx.config.maxUploadBytes) {
    throw new ProblemError(413, "Payload Too Large", `file: ${file.bytes.byteLength} bytes; at most ${ctx.config.maxUploadBytes} bytes are accepted`, [
      { path: "file", message: `must be at most ${ctx.config.maxUploadBytes} bytes` },
    ]);
  }
  const mimeType = sniffMimeType(file.bytes);
  if (!mimeType) {
    throw new ProblemError(415, "Unsupported Media Type", "file: only PDF documents and images (PNG, JPEG, GIF, WebP, TIFF, HEIC) are accepted", [
      { path: "file", message: "is neither a PDF nor an image" },
    ]);
  }
  const id = newId();
  const name = storedFileName(file.name, mimeType);
  const sha256 = createHash("sha256").update(file.bytes).digest("hex");
  const target = documentPath(ctx.config.dataDir, companyId, id);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, file.bytes, { flag: "wx" });
  try {
    return inTransaction(ctx.db, () => {
      ctx.db
        .prepare(
          `INSERT INTO documents (id, company_id, original_name, mime_type, size_bytes, sha256, source_url, note, uploaded_by, uploaded_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(id, companyId, name, mimeType, file.bytes.byteLength, sha256, extra.sourceUrl ?? null, extra.note ?? null, ctx.actorId, ctx.clock.now().toISOString());
      recordActivity(ctx.db, ctx.clock.now(), {
        companyId,
        actorId: ctx.actorId,
        action: "document.uploaded",
        recordKind: "document",
        recordId: id,
        after: { name, sha256, sizeBytes: file.bytes.byteLength, sourceUrl: extra.sourceUrl ?? null },
      });
      return getDocument(ctx.db, companyId, id);
    });
  } catch (error) {
    fs.rmSync(target, { force: true });
    throw error;
  }
}

export function getDocument(db: Db, companyId: string, documentId: string): DocumentMeta {
  const row = db.prepare("SELECT * FROM documents WHERE company_id = ? AND id = ?").get(companyId, documentId) as DocumentRow | undefined;
  if (!row) throw notFound("document");
  return toDocument(row);
}

export function listDocuments(db: Db, companyId: string, opts: { limit: number; cursor?: string | undefined; sha256?: string | undefined }): Page<DocumentMeta> {
  const after = decodeCursor(opts.cursor, 1);
  const rows = db
    .prepare(
      `SELECT * FROM documents WHERE company_id = @companyId ${opts.sha256 ? "AND sha256 = @sha256" : ""} ${after ? "AND pk < @afterPk" : ""}
       ORDER BY pk DESC LIMIT @limit`,
    )
    .all({ companyId, sha256: opts.sha256, afterPk: after?.[0], limit: opts.limit + 1 }) as DocumentRow[];
  const page = rows.slice(0, opts.limit);
  return { items: page.map(toDocument), nextCursor: rows.length > opts.limit ? encodeCursor([page.at(-1)!.pk]) : null };
}
