import { createRoute, z } from "@hono/zod-openapi";
import { DocumentListQuery, DocumentMeta, pageOf, plainText, plainTextCheck } from "@passerelle/shared";
import type { MiddlewareHandler } from "hono";
import type { AppEnv, Deps } from "../context.js";
import { access, bearerAuth, CompanyParam, createRouter, jsonResponse, problemResponses, useCase } from "../http/router.js";
import { getDocument, listDocuments, saveDocument } from "../services/documents.js";
import { DOCUMENT_TYPES, documentDownloadName } from "../services/document-names.js";
import { documentFile } from "../services/document-file.js";
import { streamed } from "../http/streamed-bodies.js";

const DocumentParam = CompanyParam.extend({ documentId: z.string().max(64) });

const UploadForm = z.strictObject({
  file: z
    .custom<File>((v) => v instanceof File, { message: "must be a file (multipart field `file`)" })
    .openapi({ type: "string", format: "binary" }),
  // checked before the URL parser, which would drop tabs and line breaks silently
  sourceUrl: z
    .string()
    .max(2000)
    .superRefine(plainTextCheck())
    .pipe(z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }))
    .openapi({ format: "uri" })
    .optional(),
  // a blank note is no note (stored as null, never "")
  note: plainText(2000, { multiline: true })
    .transform((v) => v || undefined)
    .optional(),
});

export function contentDisposition(kind: "attachment" | "inline", name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]/g, "_").replace(/["\\]/g, "_");
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

/**
 * Before an upload's body is read: the company's hourly rate and storage quota (its announced size
 * reserved), then a turn among the bodies the server reads at once.
 */
export function admitUpload(deps: Deps): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method !== "POST") return next();
    const companyId = c.req.param("companyId")!;
    access(c, deps, companyId, "owner", "write");
    const length = c.req.header("content-length");
    const admission = deps.uploads.admit(deps.db, companyId, length && /^\d{1,15}$/.test(length) ? Number(length) : null);
    c.set("upload", admission);
    try {
      await deps.uploads.slots.run(next, () => deps.uploads.busy());
    } finally {
      admission.release();
    }
  };
}

export function documentRoutes(deps: Deps) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/documents",
      tags: ["Documents"],
      summary: "Documents shared with the accountant, newest first",
      description: "With `sha256`, only the documents holding those very bytes: a client can tell the owner a file was already sent, and when.",
      security: bearerAuth,
      request: { params: CompanyParam, query: DocumentListQuery },
      responses: { 200: jsonResponse(pageOf(DocumentMeta), "A page of documents"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      access(c, deps, companyId, "owner", "read");
      const q = c.req.valid("query");
      return c.json(listDocuments(deps.db, companyId, { limit: q.limit ?? 100, cursor: q.cursor, sha256: q.sha256 }), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/companies/{companyId}/documents",
      tags: ["Documents"],
      summary: "Upload a PDF or image (multipart field `file`, with `sourceUrl` and `note`)",
      description: [
        `The type is read from the content, not from the client; at most ${deps.config.maxUploadBytes} bytes.`,
        `A company may start ${deps.config.uploadsPerHour} uploads per hour (then 429 with \`Retry-After\`) and store ${deps.config.companyStorageQuotaBytes} bytes of documents`,
        "(then 413 saying what is used): the announced size is checked before the body is read, the file's size before it is stored.",
        "When too many uploads are being received at once, 503 with `Retry-After`.",
      ].join(" "),
      security: bearerAuth,
      request: { params: CompanyParam, body: { required: true, content: { "multipart/form-data": { schema: UploadForm } } } },
      responses: {
        201: jsonResponse(DocumentMeta, "Stored; `sha256` is the digest of the bytes received"),
        413: { description: "Too large, or beyond the company's storage quota", content: problemResponses[422].content },
        415: { description: "Neither a PDF nor an image", content: problemResponses[422].content },
        429: { description: "Too many uploads this hour for this company; `Retry-After` says when to try again", content: problemResponses[422].content },
        503: { description: "Too many uploads being received at once; `Retry-After` says when to try again", content: problemResponses[422].content },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { companyId } = c.req.valid("param");
      const a = access(c, deps, companyId, "owner", "write");
      const form = c.req.valid("form");
      const bytes = new Uint8Array(await form.file.arrayBuffer());
      const admission = c.get("upload")!;
      admission.settle(bytes.byteLength);
      const saved = saveDocument(useCase(deps, a), companyId, { name: form.file.name, bytes }, { sourceUrl: form.sourceUrl, note: form.note });
      admission.release(); // now counted among the stored documents
      return c.json(saved, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/documents/{documentId}",
      tags: ["Documents"],
      summary: "A document's description",
      security: bearerAuth,
      request: { params: DocumentParam },
      responses: { 200: jsonResponse(DocumentMeta, "The document"), ...problemResponses },
    }),
    (c) => {
      const { companyId, documentId } = c.req.valid("param");
      access(c, deps, companyId, "owner", "read");
      return c.json(getDocument(deps.db, companyId, documentId), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/documents/{documentId}/content",
      tags: ["Documents"],
      summary: "Download a document's bytes",
      security: bearerAuth,
      request: { params: DocumentParam },
      responses: {
        200: {
          description: "The file, as the type read from its content when it was uploaded",
          content: Object.fromEntries(DOCUMENT_TYPES.map((type) => [type, { schema: z.string().openapi({ format: "binary" }) }])),
        },
        ...problemResponses,
      },
    }),
    async (c) => {
      const { companyId, documentId } = c.req.valid("param");
      access(c, deps, companyId, "owner", "read");
      const doc = getDocument(deps.db, companyId, documentId);
      const stream = streamed(await documentFile(deps.config.dataDir, companyId, doc));
      return new Response(stream, {
        status: 200,
        headers: {
          "content-type": doc.mimeType,
          "content-length": String(doc.sizeBytes),
          "content-disposition": contentDisposition("attachment", documentDownloadName(doc)),
          "x-content-type-options": "nosniff",
          "cache-control": "private, no-store",
        },
      });
    },
  );

  return app;
}
