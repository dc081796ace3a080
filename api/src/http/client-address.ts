import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";

/** The client's address, for rate limiting; app.request() in tests has no socket. */
export function clientAddress(c: Context): string {
  try {
    return getConnInfo(c).remote.address ?? "local";
  } catch {
    return "local";
  }
}
