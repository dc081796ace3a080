import { describe, expect, it } from "vitest";
import { newId, uuidV7Source } from "../src/db/ids.js";

const V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("ids (UUIDv7)", () => {
  it("carries the millisecond it was made at in its first 48 bits, then version 7 and the RFC 9562 variant", () => {
    const id = uuidV7Source()(Date.UTC(2026, 10, 28, 9, 30, 15, 123));
    expect(id).toMatch(V7);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(Date.UTC(2026, 10, 28, 9, 30, 15, 123));
    expect(id.slice(14, 18)).toBe("7000");
  });

  it("keeps the ids of one millisecond in order with its counter, and moves on to the next millisecond after 4,096 of them", () => {
    const next = uuidV7Source();
    const ms = 1_800_000_000_000;
    const ids = Array.from({ length: 4097 }, () => next(ms));
    expect(ids[1]!.slice(14, 18)).toBe("7001");
    expect(ids[4095]!.slice(14, 18)).toBe("7fff");
    expect(parseInt(ids[4096]!.slice(0, 8) + ids[4096]!.slice(9, 13), 16)).toBe(ms + 1);
    expect(ids[4096]!.slice(14, 18)).toBe("7000");
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(4097);
  });

  it("never goes backwards when the clock does", () => {
    const next = uuidV7Source();
    const a = next(1_800_000_000_500);
    const b = next(1_800_000_000_100);
    expect(b > a).toBe(true);
    expect(b.slice(0, 13)).toBe(a.slice(0, 13));
    expect(b.slice(14, 18)).toBe("7001");
  });

  it("fills the last 62 bits from the random source: 100,000 ids of one millisecond's worth of counters differ there", () => {
    const next = uuidV7Source();
    const tails = new Set(Array.from({ length: 100_000 }, (_, i) => next(1_800_000_000_000 + Math.floor(i / 4096)).slice(19)));
    expect(tails.size).toBe(100_000);
  });

  it("gives the API's rows ids made now, each later than the one before", () => {
    const before = Date.now();
    const a = newId();
    const b = newId();
    expect(a).toMatch(V7);
    expect(b > a).toBe(true);
    expect(parseInt(a.slice(0, 8) + a.slice(9, 13), 16)).toBeGreaterThanOrEqual(before);
    expect(parseInt(a.slice(0, 8) + a.slice(9, 13), 16)).toBeLessThanOrEqual(Date.now());
  });
});
