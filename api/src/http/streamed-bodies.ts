/**
 * Streamed response bodies (exports, document downloads) after their headers
 * are sent. A body that fails ends its own response: one log line, and the connection is closed so
 * the client sees the file cut short (a status can no longer say it). A client that hangs up stops
 * the body and is counted. Nothing of either reaches the process.
 */
import type { MiddlewareHandler } from "hono";
import type { HttpBindings } from "@hono/node-server";
import type { AppEnv } from "../context.js";
import type { AbortedConnections } from "./aborted-connections.js";

const STREAMED = new WeakSet<ReadableStream>();
/**
 * Bodies marked and not yet guarded. While there are none, the guard does not look at the
 * response's body: asking the Node server's response for it turns it into a full Response.
 */
let waiting = 0;

/** Marks a response body as streamed, for `guardStreamedBodies`. */
export function streamed<T extends ReadableStream>(body: T): T {
  STREAMED.add(body);
  waiting++;
  return body;
}

/** An error as one log line: its name, message and the place it was thrown. */
export function oneLine(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const at = error.stack?.split("\n").find((line) => line.trimStart().startsWith("at "))?.trim();
  return `${error.name}: ${error.message.replace(/\s+/g, " ")}${at ? ` (${at})` : ""}`;
}

export function guardStreamedBodies(aborted: AbortedConnections): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (waiting === 0) return;
    const body = c.res.body;
    if (!body || !STREAMED.has(body)) return;
    STREAMED.delete(body);
    waiting--;
    const what = `${c.req.method} ${c.req.path}`;
    // the Node response (absent when the app is called in process, as tests do)
    const outgoing = (c.env as Partial<HttpBindings> | undefined)?.outgoing;
    const reader = body.getReader();
    let ended = false;
    const guarded = new ReadableStream<Uint8Array>(
      {
        async pull(controller) {
          try {
            const next = await reader.read();
            if (ended) return; // the client left while this chunk was being made
            if (!next.done) return controller.enqueue(next.value);
            ended = true;
            controller.close();
          } catch (error) {
            if (ended) return;
            ended = true;
            console.error(`${what} failed while streaming: ${oneLine(error)}`);
            if (!outgoing) return controller.error(error);
            // the server reads the first chunks before it writes the headers: let it write them, so
            // the client sees the response begin and then break off
            for (let i = 0; i < 100 && !outgoing.headersSent && !outgoing.destroyed; i++) await new Promise((resolve) => setTimeout(resolve, 10));
            outgoing.destroy();
            controller.close();
          }
        },
        async cancel(reason) {
          if (ended) return;
          ended = true;
          aborted.record(what);
          await reader.cancel(reason).catch((error: unknown) => console.error(`${what}: stopping after the client left failed: ${oneLine(error)}`));
        },
      },
      { highWaterMark: 0 },
    );
    c.res = new Response(guarded, { status: c.res.status, headers: c.res.headers });
  };
}
