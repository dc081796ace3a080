/**
 * Request text must be real text: a JSON body (or a multipart form's text fields and file names)
 * that is not valid UTF-8, or that escapes half of a surrogate pair, is refused with a 400 — decoding
 * would otherwise swap the bad bytes for U+FFFD and store a name or a note nobody typed.
 */
import type { MiddlewareHandler } from "hono";
import { ProblemError } from "./problem.js";

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });
const JSON_TYPE = /^application\/([\w.-]+\+)?json\s*(;|$)/i;
const MULTIPART_TYPE = /^multipart\/form-data\s*;.*boundary=(?:"([^"]+)"|([^\s;]+))/i;
// In a `u` regex a surrogate code unit only matches when it is unpaired.
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F][0-9a-fA-F]{2}/;

function notText(path: string, message: string): ProblemError {
  return new ProblemError(400, "Bad Request", `${path}: ${message}`, [{ path, message }]);
}

function decode(bytes: Uint8Array, path: string): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw notText(path, "is not valid UTF-8 text");
  }
}

/** The body's text, once checked (what `c.req.text()` gives for valid UTF-8). */
function assertJsonText(bytes: Uint8Array): string {
  const text = decode(bytes, "body");
  if (!SURROGATE_ESCAPE.test(text)) return text;
  let lone: string | null = null;
  try {
    JSON.parse(text, function (key, value) {
      if (lone === null && (LONE_SURROGATE.test(key) || (typeof value === "string" && LONE_SURROGATE.test(value)))) lone = key || "body";
      return value;
    });
  } catch {
    return text; // malformed JSON is reported by the body validator
  }
  if (lone !== null) throw notText(lone, "holds half of a UTF-16 surrogate pair (not valid Unicode text)");
  return text;
}

function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  return Buffer.from(haystack.buffer, haystack.byteOffset, haystack.byteLength).indexOf(needle, from);
}

/** Checks each part's headers, and the content of parts that are not files. Files are bytes and stay unchecked. */
function assertMultipartText(bytes: Uint8Array, boundary: string): void {
  const delimiter = new TextEncoder().encode(`--${boundary}`);
  const headerEnd = new TextEncoder().encode("\r\n\r\n");
  let at = indexOf(bytes, delimiter, 0);
  while (at !== -1) {
    const start = at + delimiter.length;
    const next = indexOf(bytes, delimiter, start);
    if (next === -1) break;
    const part = bytes.subarray(start, next);
    const split = indexOf(part, headerEnd, 0);
    if (split !== -1) {
      const headers = decode(part.subarray(0, split), "multipart headers");
      const name = /name="([^"]*)"/i.exec(headers)?.[1] ?? "form field";
      const isFile = /filename\*?=/i.test(headers);
      if (isFile && LONE_SURROGATE.test(headers)) throw notText(name, "file name is not valid Unicode text");
      if (!isFile) {
        const value = decode(part.subarray(split + headerEnd.length, Math.max(split + headerEnd.length, part.length - 2)), name);
        if (LONE_SURROGATE.test(value)) throw notText(name, "is not valid Unicode text");
      }
    }
    at = next;
  }
}

export function requireWellFormedText(): MiddlewareHandler {
  return async (c, next) => {
    const type = c.req.header("content-type") ?? "";
    if (c.req.method !== "GET" && c.req.method !== "HEAD") {
      if (JSON_TYPE.test(type)) {
        const text = assertJsonText(new Uint8Array(await c.req.arrayBuffer()));
        // the JSON validator reads this text, instead of decoding the bytes again through a new Response
        (c.req.bodyCache as Record<string, unknown>).text = Promise.resolve(text);
      }
      else {
        const multipart = MULTIPART_TYPE.exec(type);
        if (multipart) assertMultipartText(new Uint8Array(await c.req.arrayBuffer()), multipart[1] ?? multipart[2]!);
      }
    }
    await next();
  };
}
