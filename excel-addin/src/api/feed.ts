/**
 * Follows a company's change feed: Server-Sent Events on /events (read with fetch, so the token
 * travels in the Authorization header), falling back to polling /changes when the stream cannot
 * be opened or breaks. Listeners get the newest sequence; the stream's `end` event (signed out,
 * access revoked) stops following and is reported.
 */
import type { PasserelleClient } from "@passerelle/shared/client";
import { ApiError } from "@passerelle/shared/client";
import { changesSince } from "./data.js";

export type FeedEvent = { type: "seq"; seq: number; mode: "sse" | "polling" } | { type: "ended"; reason: string } | { type: "error"; error: unknown };

export interface FeedOptions {
  pollMs?: number;
  /** How long to poll before trying the stream again. */
  retrySseMs?: number;
}

export function followChanges(
  client: PasserelleClient,
  companyId: string,
  since: number,
  onEvent: (event: FeedEvent) => void,
  options: FeedOptions = {},
): () => void {
  const stop = new AbortController();
  const pollMs = options.pollMs ?? 5000;
  const retrySseMs = options.retrySseMs ?? 60_000;
  let seq = since;
  const advance = (next: number, mode: "sse" | "polling") => {
    if (next > seq) {
      seq = next;
      onEvent({ type: "seq", seq, mode });
    }
  };

  void (async () => {
    while (!stop.signal.aborted) {
      const ended = await streamOnce(client, companyId, seq, stop.signal, (n) => advance(n, "sse")).catch((error: unknown) => {
        if (error instanceof ApiError && (error.status === 401 || error.status === 403 || error.status === 404)) {
          onEvent({ type: "error", error });
          stop.abort();
        }
        return null;
      });
      if (ended) {
        onEvent({ type: "ended", reason: ended });
        return;
      }
      // the stream failed or broke: poll for a while, then try it again
      const until = Date.now() + retrySseMs;
      while (!stop.signal.aborted && Date.now() < until) {
        try {
          const changes = await changesSince(client, companyId, seq, stop.signal);
          advance(changes.lastSeq, "polling");
        } catch (error) {
          if (stop.signal.aborted) return;
          onEvent({ type: "error", error });
          if (error instanceof ApiError && error.status !== 429 && error.status < 500) return;
        }
        await sleep(pollMs, stop.signal);
      }
    }
  })();
  return () => stop.abort();
}

/** Reads one SSE connection; resolves with the `end` reason, or null when the stream closes. */
async function streamOnce(client: PasserelleClient, companyId: string, since: number, signal: AbortSignal, onSeq: (seq: number) => void): Promise<string | null> {
  const response = await client.raw("GET", `/companies/${encodeURIComponent(companyId)}/events`, { query: { since }, signal });
  if (!response.body || !(response.headers.get("content-type") ?? "").includes("text/event-stream")) return null;
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return null;
      buffer += value;
      let split: number;
      while ((split = buffer.search(/\r?\n\r?\n/)) >= 0) {
        const block = buffer.slice(0, split);
        buffer = buffer.slice(split).replace(/^\r?\n\r?\n/, "");
        const event = parseEvent(block);
        if (event.event === "end") return (JSON.parse(event.data || "{}") as { reason?: string }).reason ?? "ended";
        if (event.id && /^\d+$/.test(event.id)) onSeq(Number(event.id));
      }
    }
  } finally {
    reader.releaseLock();
  }
}

export function parseEvent(block: string): { id?: string; event?: string; data: string } {
  const out: { id?: string; event?: string; data: string } = { data: "" };
  for (const line of block.split(/\r?\n/)) {
    if (line.startsWith(":")) continue;
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? "" : line.slice(colon + 1).replace(/^ /, "");
    if (field === "id") out.id = value;
    else if (field === "event") out.event = value;
    else if (field === "data") out.data = out.data ? `${out.data}\n${value}` : value;
  }
  return out;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}
