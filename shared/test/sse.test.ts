import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { SseParser } from "../src/sse.js";

const STREAM = "retry: 3000\n: connected\n\nid: 7\nevent: change\ndata: {\"seq\":7}\n\n: heartbeat\n\nevent: end\r\ndata: a\r\ndata: b\r\n\r\n";

describe("SseParser", () => {
  it("reads events, ids and comments; multi-line data joins with \\n; CR LF works too", () => {
    const parser = new SseParser();
    expect(parser.push(STREAM)).toEqual([
      { type: "comment", text: "connected" },
      { type: "event", event: "change", data: '{"seq":7}', id: "7" },
      { type: "comment", text: "heartbeat" },
      { type: "event", event: "end", data: "a\nb", id: "7" },
    ]);
    expect(parser.lastEventId).toBe("7");
  });

  it("gives the same messages however the stream is cut into chunks", () => {
    const whole = new SseParser().push(STREAM);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: STREAM.length }), { maxLength: 12 }), (cuts) => {
        const points = [...new Set(cuts)].sort((a, b) => a - b);
        const parser = new SseParser();
        const out = [];
        let from = 0;
        for (const p of [...points, STREAM.length]) {
          out.push(...parser.push(STREAM.slice(from, p)));
          from = p;
        }
        expect(out).toEqual(whole);
      }),
    );
  });
});
