import { randomFillSync } from "node:crypto";
import { invalid } from "../http/problem.js";

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));
const POOL_BYTES = 8 * 1024;

/**
 * A source of UUIDv7 (RFC 9562 §5.7): 48 bits of Unix time in milliseconds, then 12 bits of a
 * counter that keeps ids of the same millisecond in order (§6.2, method 1), then 62 random bits.
 * Ids made later sort after ids made earlier, so a new row's key lands at the end of its index
 * instead of at a random place in it: inserts append, pages fill up. The 62 random bits (from the
 * system's cryptographic source) keep ids unguessable enough for what they are — names of rows,
 * never the check of who may read them (every query checks membership).
 *
 * When a millisecond has used its 4,096 counter values, or the clock goes back, the id takes the
 * last millisecond + 1, so ids of one source never go backwards.
 */
export function uuidV7Source(): (ms?: number) => string {
  const pool = Buffer.allocUnsafe(POOL_BYTES);
  let used = POOL_BYTES;
  let lastMs = -1;
  let counter = 0;
  return (ms = Date.now()) => {
    if (ms > lastMs) {
      lastMs = ms;
      counter = 0;
    } else if (++counter > 0xfff) {
      lastMs++;
      counter = 0;
    }
    if (used === POOL_BYTES) {
      randomFillSync(pool);
      used = 0;
    }
    const r = used;
    used += 8;
    const t = lastMs;
    const high = Math.floor(t / 2 ** 16); // top 32 bits of the 48
    const low = t % 2 ** 16;
    return (
      HEX[(high >>> 24) & 0xff]! + HEX[(high >>> 16) & 0xff]! + HEX[(high >>> 8) & 0xff]! + HEX[high & 0xff]! +
      "-" + HEX[low >>> 8]! + HEX[low & 0xff]! +
      "-" + HEX[0x70 | (counter >>> 8)]! + HEX[counter & 0xff]! +
      "-" + HEX[0x80 | (pool[r]! & 0x3f)]! + HEX[pool[r + 1]!]! +
      "-" + HEX[pool[r + 2]!]! + HEX[pool[r + 3]!]! + HEX[pool[r + 4]!]! + HEX[pool[r + 5]!]! + HEX[pool[r + 6]!]! + HEX[pool[r + 7]!]!
    );
  };
}

const processIds = uuidV7Source();

/** A new row's id: a UUIDv7, later than every id this process made before. */
export function newId(): string {
  return processIds();
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
