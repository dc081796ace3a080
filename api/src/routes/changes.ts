import { createRoute, z } from "@hono/zod-openapi";
import { streamSSE } from "hono/streaming";
import type { TypedResponse } from "hono";
import { Changes, ChangesQuery, EventsQuery, LatestChanges, MultiEventsQuery } from "@passerelle/shared";
import type { Deps, Principal } from "../context.js";
import { access, bearerAuth, CompanyParam, createRouter, jsonResponse, problemResponses } from "../http/router.js";
import { invalid } from "../http/problem.js";
import { changesSince, changesSinceJson, lastSeq, latestChanges } from "../services/audit-log.js";
import { membershipRole } from "../auth/access.js";
import { requirePrincipal } from "../auth/authenticate.js";
import { oneLine } from "../http/streamed-bodies.js";

/** How often an open stream looks for writes of other processes and re-checks the caller's access. */
const CHECK_INTERVAL_MS = 1000;
const BATCH = 500;

/** The credential behind a stream still works. */
function credentialState(deps: Deps, principal: Principal): "ok" | "signed_out" | "revoked" {
  const now = deps.clock.now().toISOString();
  if (principal.via === "session") {
    const live = deps.db.prepare("SELECT 1 FROM sessions WHERE token_hash = ? AND expires_at > ?").get(principal.credentialHash, now);
    if (!live) return "signed_out";
  } else {
    const live = deps.db.prepare("SELECT 1 FROM api_keys WHERE secret_hash = ? AND revoked_at IS NULL").get(principal.credentialHash);
    if (!live) return "revoked";
  }
  return "ok";
}

/** The credential behind a stream still works and its user still belongs to the company. */
function stillAllowed(deps: Deps, principal: Principal, companyId: string): "ok" | "signed_out" | "revoked" {
  const state = credentialState(deps, principal);
  if (state !== "ok") return state;
  return membershipRole(deps.db, principal.userId, companyId) ? "ok" : "revoked";
}

/** Of `companyIds`, those the user still belongs to (one statement, whatever their number). */
function stillMemberOf(deps: Deps, userId: string, companyIds: string[]): Set<string> {
  const rows = deps.db
    .prepare("SELECT company_id FROM memberships WHERE user_id = ? AND company_id IN (SELECT value FROM json_each(?))")
    .pluck()
    .all(userId, JSON.stringify(companyIds)) as string[];
  return new Set(rows);
}

/** The newest sequence of each of `companyIds`. */
function lastSeqs(deps: Deps, companyIds: string[]): Map<string, number> {
  const rows = deps.db.prepare("SELECT id, last_seq FROM companies WHERE id IN (SELECT value FROM json_each(?))").all(JSON.stringify(companyIds)) as {
    id: string;
    last_seq: number;
  }[];
  return new Map(rows.map((r) => [r.id, r.last_seq]));
}

export function changeRoutes(deps: Deps) {
  const app = createRouter();

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/changes",
      tags: ["Live"],
      summary: "What changed after sequence `since`: kind, id, action, time; and the last sequence",
      description:
        "Every write gets a per-company, strictly increasing sequence. Keep `lastSeq` (or the last item's `seq` when `hasMore`) and ask again with `since` to stay in step without downloading everything.",
      security: bearerAuth,
      request: { params: CompanyParam, query: ChangesQuery },
      responses: { 200: jsonResponse(Changes, "Changes, oldest first"), ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      access(c, deps, companyId, "accountant", "read");
      const q = c.req.valid("query");
      // the page's JSON as SQLite writes it (changesSinceJson): the same body as c.json(changesSince(…))
      const body = c.body(changesSinceJson(deps.db, companyId, q.since, q.limit ?? 1000), 200, { "content-type": "application/json" });
      return body as unknown as TypedResponse<z.infer<typeof Changes>, 200, "json">;
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/companies/{companyId}/events",
      tags: ["Live"],
      summary: "The change feed as Server-Sent Events (`id:` = sequence), resumable with `Last-Event-ID`",
      description:
        "Each change is an `event: change` whose data is `{ seq, kind, id, action, at }`. Comments (`: heartbeat`) keep the connection open. Starts after `Last-Event-ID` (or `since`), else with the next change. The stream ends with `event: end` (data `{ reason }`) when the session is signed out or the access is revoked.",
      security: bearerAuth,
      request: { params: CompanyParam, query: EventsQuery },
      responses: { 200: { description: "An event stream", content: { "text/event-stream": { schema: z.string() } } }, ...problemResponses },
    }),
    (c) => {
      const { companyId } = c.req.valid("param");
      const a = access(c, deps, companyId, "accountant", "read");
      const q = c.req.valid("query");
      const header = c.req.header("last-event-id");
      if (header !== undefined && !/^\d{1,15}$/.test(header.trim())) throw invalid("Last-Event-ID", "must be a sequence number this stream sent");
      const start = header !== undefined ? Number(header.trim()) : (q.since ?? lastSeq(deps.db, companyId));
      const heartbeatMs = q.heartbeat * 1000;

      return streamSSE(c, async (stream) => {
        let cursor = start;
        let wake: (() => void) | null = null;
        const unsubscribe = deps.changes.subscribe((id, seq) => {
          if (id === companyId && seq > cursor) wake?.();
        });
        stream.onAbort(() => wake?.());
        // a failure ends this stream alone, in one log line (the client reconnects with Last-Event-ID)
        try {
          await stream.write(`retry: 3000\n: connected to ${companyId} after ${cursor}\n\n`);
          let lastBeat = Date.now();
          while (!stream.aborted && !stream.closed) {
            for (;;) {
              const batch = changesSince(deps.db, companyId, cursor, BATCH);
              for (const item of batch.items) {
                await stream.writeSSE({ id: String(item.seq), event: "change", data: JSON.stringify(item) });
                cursor = item.seq;
              }
              if (!batch.hasMore) break;
            }
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, CHECK_INTERVAL_MS);
              wake = () => {
                clearTimeout(timer);
                resolve();
              };
            });
            wake = null;
            if (stream.aborted) break;
            const state = stillAllowed(deps, a.principal, companyId);
            if (state !== "ok") {
              await stream.writeSSE({ event: "end", data: JSON.stringify({ reason: state }) });
              break;
            }
            if (Date.now() - lastBeat >= heartbeatMs) {
              await stream.write(": heartbeat\n\n");
              lastBeat = Date.now();
            }
          }
        } catch (error) {
          console.error(`event stream of company ${companyId} failed after ${cursor}: ${oneLine(error)}`);
        } finally {
          unsubscribe();
        }
      });
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/changes",
      tags: ["Live"],
      summary: "The newest sequence and change time of each of your companies",
      description:
        "One call for a whole portfolio: for every company the caller belongs to (only its company for a key limited to one), the sequence of its newest change and when it was made. Compare with a sequence kept from before to see which companies changed since.",
      security: bearerAuth,
      responses: { 200: jsonResponse(LatestChanges, "Each company of the caller, by id"), ...problemResponses },
    }),
    (c) => {
      const principal = requirePrincipal(c.get("principal"));
      return c.json(latestChanges(deps.db, principal.userId, principal.companyId ?? null), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/events",
      tags: ["Live"],
      summary: "The change feeds of many companies in one Server-Sent Events stream",
      description:
        "One connection for every company a client follows (a browser opens at most 6 per server over HTTP/1.1). `companies` lists them, each `id` or `id:seq` to start after that sequence; without it, every company the caller belongs to. It opens with `event: ready` whose data `{ seqs: { companyId: seq } }` gives where each company starts; then each change is an `event: change` whose data is `{ companyId, seq, kind, id, action, at }`. Every company named must be one of the caller's (else 404, nothing streamed). When the caller loses access to one of them mid-stream, `event: revoked` (data `{ companyId }`) and nothing more of it; the stream ends with `event: end` (data `{ reason }`) when the session is signed out, the key revoked, or no company is left. Resume by reconnecting with each company's last `seq`.",
      security: bearerAuth,
      request: { query: MultiEventsQuery },
      responses: { 200: { description: "An event stream", content: { "text/event-stream": { schema: z.string() } } }, ...problemResponses },
    }),
    (c) => {
      const q = c.req.valid("query");
      const principal = requirePrincipal(c.get("principal"));
      let named: Map<string, number | null>;
      if (q.companies) {
        // every company is authorised now: one that is not the caller's refuses the whole stream
        for (const id of q.companies.keys()) access(c, deps, id, "accountant", "read");
        named = q.companies;
      } else {
        const ids = principal.companyId
          ? [principal.companyId]
          : (deps.db.prepare("SELECT company_id FROM memberships WHERE user_id = ? ORDER BY company_id").pluck().all(principal.userId) as string[]);
        named = new Map(ids.map((id) => [id, null]));
      }
      const latest = lastSeqs(deps, [...named.keys()]);
      const cursors = new Map([...named].map(([id, since]) => [id, since ?? latest.get(id) ?? 0]));
      const heartbeatMs = q.heartbeat * 1000;

      return streamSSE(c, async (stream) => {
        let wake: (() => void) | null = null;
        const unsubscribe = deps.changes.subscribe((id, seq) => {
          const cursor = cursors.get(id);
          if (cursor !== undefined && seq > cursor) wake?.();
        });
        stream.onAbort(() => wake?.());
        try {
          await stream.write(`retry: 3000\n: connected to ${cursors.size} companies\n\n`);
          await stream.writeSSE({ event: "ready", data: JSON.stringify({ seqs: Object.fromEntries(cursors) }) });
          let lastBeat = Date.now();
          while (!stream.aborted && !stream.closed) {
            const newest = lastSeqs(deps, [...cursors.keys()]);
            for (const [companyId, cursor] of cursors) {
              if ((newest.get(companyId) ?? 0) <= cursor) continue;
              for (;;) {
                const batch = changesSince(deps.db, companyId, cursors.get(companyId)!, BATCH);
                for (const item of batch.items) {
                  await stream.writeSSE({ event: "change", data: JSON.stringify({ companyId, ...item }) });
                  cursors.set(companyId, item.seq);
                }
                if (!batch.hasMore) break;
              }
            }
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, CHECK_INTERVAL_MS);
              wake = () => {
                clearTimeout(timer);
                resolve();
              };
            });
            wake = null;
            if (stream.aborted) break;
            const state = credentialState(deps, principal);
            if (state !== "ok") {
              await stream.writeSSE({ event: "end", data: JSON.stringify({ reason: state }) });
              break;
            }
            const members = stillMemberOf(deps, principal.userId, [...cursors.keys()]);
            for (const companyId of [...cursors.keys()]) {
              if (members.has(companyId)) continue;
              cursors.delete(companyId);
              await stream.writeSSE({ event: "revoked", data: JSON.stringify({ companyId }) });
            }
            if (cursors.size === 0) {
              await stream.writeSSE({ event: "end", data: JSON.stringify({ reason: "revoked" }) });
              break;
            }
            if (Date.now() - lastBeat >= heartbeatMs) {
              await stream.write(": heartbeat\n\n");
              lastBeat = Date.now();
            }
          }
        } catch (error) {
          console.error(`event stream of ${cursors.size} companies failed: ${oneLine(error)}`);
        } finally {
          unsubscribe();
        }
      });
    },
  );

  return app;
}
