/**
 * Follows companies' change feeds over ONE connection per signed-in pane: every table, live mode
 * and streamed function of the pane shares a single Server-Sent Events stream (`GET /events?companies=…`,
 * read with fetch so the token travels in the Authorization header). A browser keeps at most 6
 * HTTP/1.1 connections per server; one stream per company would take them all and leave every
 * other request waiting. When the set of companies changes the stream is reopened from each
 * company's last sequence, so nothing is missed. When the stream cannot be opened or breaks, the
 * feeds are polled (`/changes`, one company after the other) for a while, then the stream is tried again.
 * Listeners get the newest sequence; the end of the stream (signed out, access revoked) stops
 * following and is reported.
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

type Listener = (event: FeedEvent) => void;

interface Followed {
  /** The newest sequence known (null: not yet known, the stream starts from now). */
  seq: number | null;
  /** Each listener and the newest sequence it was told. */
  listeners: Map<Listener, number | null>;
}

/** Most companies one stream names (the API's limit, MAX_STREAM_COMPANIES); beyond, the stream follows all of the user's. */
export const STREAM_COMPANIES = 200;

/** How long the set of companies may keep changing before the stream is reopened (formulas resolve one by one). */
const REOPEN_DELAY_MS = 50;

/** The change feeds of one signed-in client, over one stream. */
export class ChangeHub {
  private readonly followed = new Map<string, Followed>();
  private connection: AbortController | null = null;
  private reopen: ReturnType<typeof setTimeout> | null = null;
  private mode: "sse" | "polling" = "sse";
  /** Streams opened, for the tests and the pane's diagnostics. */
  connections = 0;

  constructor(
    private readonly client: PasserelleClient,
    private readonly options: FeedOptions,
    private readonly onIdle: () => void,
  ) {}

  get companies(): number {
    return this.followed.size;
  }

  follow(companyId: string, since: number | null, listener: Listener): () => void {
    let f = this.followed.get(companyId);
    if (!f) {
      f = { seq: since, listeners: new Map() };
      this.followed.set(companyId, f);
      this.schedule();
    }
    const followed = f;
    followed.listeners.set(listener, since ?? followed.seq);
    // changes this listener has not seen yet (it started before the others)
    if (since !== null && followed.seq !== null && followed.seq > since) {
      const seq = followed.seq;
      queueMicrotask(() => this.tell(followed, listener, seq));
    }
    return () => {
      followed.listeners.delete(listener);
      if (followed.listeners.size === 0 && this.followed.get(companyId) === followed) {
        this.followed.delete(companyId);
        this.schedule();
      }
    };
  }

  private schedule(): void {
    if (this.reopen) return;
    this.reopen = setTimeout(() => {
      this.reopen = null;
      this.open();
    }, REOPEN_DELAY_MS);
  }

  private open(): void {
    this.connection?.abort();
    this.connection = null;
    if (this.followed.size === 0) {
      this.onIdle();
      return;
    }
    const abort = new AbortController();
    this.connection = abort;
    void this.run(abort.signal);
  }

  private async run(signal: AbortSignal): Promise<void> {
    const pollMs = this.options.pollMs ?? 5000;
    const retrySseMs = this.options.retrySseMs ?? 60_000;
    while (!signal.aborted) {
      let refused = false;
      try {
        this.connections++;
        const named = this.followed.size <= STREAM_COMPANIES ? new Map([...this.followed].map(([id, f]) => [id, f.seq])) : null;
        for await (const event of this.client.companiesEvents(named, { signal })) {
          this.mode = "sse";
          if ("ready" in event) {
            for (const [id, seq] of Object.entries(event.ready)) {
              const f = this.followed.get(id);
              if (f && f.seq === null) {
                f.seq = seq;
                for (const [listener, told] of f.listeners) if (told === null) f.listeners.set(listener, seq);
              }
            }
          } else if ("revoked" in event) this.stop(event.revoked, { type: "ended", reason: "revoked" });
          else if ("end" in event) {
            for (const id of [...this.followed.keys()]) this.stop(id, { type: "ended", reason: event.end });
            return;
          } else this.advance(event.companyId, event.seq, "sse");
        }
      } catch (error) {
        if (signal.aborted) return;
        if (error instanceof ApiError && (error.status === 401 || error.status === 403)) {
          for (const id of [...this.followed.keys()]) this.stop(id, { type: "error", error });
          return;
        }
        // 404: one company is no longer shared; the polling round below finds which, then the stream comes back at once
        refused = error instanceof ApiError && error.status === 404;
      }
      if (signal.aborted) return;
      // the stream failed or broke: poll for a while, then try it again
      this.mode = "polling";
      const until = Date.now() + (refused ? 0 : retrySseMs);
      do {
        await this.pollOnce(signal);
        if (this.followed.size === 0) return;
        if (Date.now() >= until) break;
        await sleep(pollMs, signal);
      } while (!signal.aborted);
    }
  }

  /** One /changes call per company, one after the other (one connection). */
  private async pollOnce(signal: AbortSignal): Promise<void> {
    for (const [companyId, f] of [...this.followed]) {
      if (signal.aborted) return;
      try {
        const changes = await changesSince(this.client, companyId, f.seq ?? Number.MAX_SAFE_INTEGER);
        if (f.seq === null) f.seq = changes.lastSeq;
        else this.advance(companyId, changes.lastSeq, "polling");
      } catch (error) {
        if (signal.aborted) return;
        for (const listener of f.listeners.keys()) listener({ type: "error", error });
        if (error instanceof ApiError && error.status !== 429 && error.status < 500) this.stop(companyId, null);
      }
    }
  }

  private advance(companyId: string, seq: number, mode: "sse" | "polling"): void {
    const f = this.followed.get(companyId);
    if (!f) return;
    if (f.seq === null || seq > f.seq) f.seq = seq;
    for (const listener of [...f.listeners.keys()]) this.tell(f, listener, seq, mode);
  }

  private tell(f: Followed, listener: Listener, seq: number, mode: "sse" | "polling" = this.mode): void {
    const told = f.listeners.get(listener);
    if (told === undefined || (told !== null && told >= seq)) return;
    f.listeners.set(listener, seq);
    listener({ type: "seq", seq, mode });
  }

  /** Stops following a company, telling its listeners why. */
  private stop(companyId: string, event: FeedEvent | null): void {
    const f = this.followed.get(companyId);
    if (!f) return;
    this.followed.delete(companyId);
    if (event) for (const listener of f.listeners.keys()) listener(event);
    if (this.followed.size === 0) {
      this.connection?.abort();
      this.connection = null;
      this.onIdle();
    }
  }
}

const hubs = new Map<string, ChangeHub>();

/** The hub of this signed-in client (same server, same token: same hub, same stream). */
export function changeHub(client: PasserelleClient, options: FeedOptions = {}): ChangeHub {
  const key = `${client.baseUrl}\n${client.token ?? ""}`;
  let hub = hubs.get(key);
  if (!hub) {
    const created: ChangeHub = new ChangeHub(client, options, () => {
      if (hubs.get(key) === created) hubs.delete(key);
    });
    hub = created;
    hubs.set(key, hub);
  }
  return hub;
}

/** Follows one company's feed from `since` (null: from now) over the client's shared stream; returns how to stop. */
export function followChanges(
  client: PasserelleClient,
  companyId: string,
  since: number | null,
  onEvent: (event: FeedEvent) => void,
  options: FeedOptions = {},
): () => void {
  return changeHub(client, options).follow(companyId, since, onEvent);
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
  });
}
