import { randomUUID } from "node:crypto";
import { invalid } from "../http/problem.js";

export function newId(): string {
  return randomUUID();
}

/** Opaque list cursors: the sort key of the last row served. */
export function encodeCursor(key: ReadonlyArray<string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString("base64url");
}

export function decodeCursor(cursor: string | undefined, arity: number): Array<string | number> | null {
  if (!cursor) return null;
  try {
    const key = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as unknown;
    if (Array.isArray(key) && key.length === arity && key.every((k) => typeof k === "string" || typeof k === "number")) {
      return key as Array<string | number>;
    }
  } catch {
    // reported below
  }
  throw invalid("cursor", "is not a cursor this API gave out");
}
