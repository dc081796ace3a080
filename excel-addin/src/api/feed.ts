/**
 * Follows a company's change feed: Server-Sent Events on /events (the typed client reads them
 * with fetch, so the token travels in the Authorization header), falling back to polling /changes
 * when the stream cannot be opened or breaks. Listeners get the newest sequence; the stream's `end` event (signed out,
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
          const changes = await changesSince(client, companyId, seq);
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

/** Reads one event stream; resolves with the `end` reason, or null when the stream closes. */
async function streamOnce(client: PasserelleClient, companyId: string, since: number, signal: AbortSignal, onSeq: (seq: number) => void): Promise<string | null> {
  for await (const event of client.events(companyId, { since, signal })) {
    if ("end" in event) return event.end;
    onSeq(event.seq);
  }
  return null;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}
