/**
 * Who is calling, as the rate limits and HSTS see it. Behind a reverse proxy every request comes
 * from the proxy, so X-Forwarded-For and X-Forwarded-Proto are read — but only when the peer is a
 * configured proxy (TRUSTED_PROXIES): anyone else could write them.
 */
import { BlockList, isIP } from "node:net";
import { getConnInfo } from "@hono/node-server/conninfo";
import type { Context } from "hono";

/** The proxies whose forwarding headers are believed: addresses and CIDR ranges, IPv4 or IPv6. */
export class TrustedProxies {
  private readonly ranges = new BlockList();

  /** Throws a one-line message naming the entry that is neither an address nor a range. */
  constructor(readonly entries: readonly string[]) {
    for (const entry of entries) {
      const [base, prefix, ...rest] = entry.split("/");
      const family = isIP(base ?? "");
      const bits = family === 4 ? 32 : 128;
      const length = prefix === undefined ? bits : /^\d{1,3}$/.test(prefix) ? Number(prefix) : -1;
      if (family === 0 || rest.length > 0 || length < 0 || length > bits) {
        throw new Error(`TRUSTED_PROXIES: "${entry}" is neither an IP address nor a CIDR range (e.g. 127.0.0.1, ::1, 10.0.0.0/8)`);
      }
      this.ranges.addSubnet(base!, length, family === 4 ? "ipv4" : "ipv6");
    }
  }

  /** `TRUSTED_PROXIES`: comma-separated; empty trusts no one. */
  static parse(text: string | undefined): TrustedProxies {
    return new TrustedProxies((text ?? "").split(",").map((s) => s.trim()).filter(Boolean));
  }

  has(address: string): boolean {
    const family = isIP(address);
    return family !== 0 && this.ranges.check(address, family === 4 ? "ipv4" : "ipv6");
  }
}

/** What one connection tells about its request: the peer's address (none in app.request() tests) and the headers it sent. */
export interface Hop {
  peer: string | undefined;
  tls: boolean;
  forwardedFor: string | undefined;
  forwardedProto: string | undefined;
}

export interface Client {
  /** The client's address ("local" when there is no socket). */
  address: string;
  /** Whether the client reached us over TLS, directly or through a trusted proxy. */
  overTls: boolean;
}

/**
 * The right-most address of the chain that is not a trusted proxy: each trusted hop vouches for the
 * address it received from, and everything left of the first untrusted one was written by the client.
 */
export function clientOf(hop: Hop, trusted: TrustedProxies): Client {
  if (hop.peer === undefined) return { address: "local", overTls: hop.tls };
  const peer = plainAddress(hop.peer);
  if (!trusted.has(peer)) return { address: peer, overTls: hop.tls };
  let address = peer;
  const chain = (hop.forwardedFor ?? "").split(",").filter((s) => s.trim() !== "");
  for (let i = chain.length - 1; i >= 0 && trusted.has(address); i--) {
    const previous = hopAddress(chain[i]!);
    if (previous === null) break; // an unreadable entry: the last proxy that wrote it is the furthest we know
    address = previous;
  }
  const proto = hop.forwardedProto?.split(",").at(-1)?.trim().toLowerCase();
  return { address, overTls: hop.tls || proto === "https" };
}

/** An entry of X-Forwarded-For: an address, possibly with a port (`203.0.113.7:4711`, `[2001:db8::1]:443`). */
function hopAddress(entry: string): string | null {
  const text = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(text)?.[1];
  const candidate = bracketed ?? (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(text) ? text.slice(0, text.lastIndexOf(":")) : text);
  return isIP(candidate) ? plainAddress(candidate) : null;
}

/** IPv4 peers of a dual-stack socket read `::ffff:a.b.c.d`: one client, one key. */
function plainAddress(address: string): string {
  return /^::ffff:\d{1,3}(\.\d{1,3}){3}$/i.test(address) ? address.slice(7) : address;
}

function hopOf(c: Context): Hop {
  // the socket, not the URL: a client may write an absolute https:// URL on a plain connection
  const socket = (c.env as { incoming?: { socket?: { encrypted?: boolean } } } | undefined)?.incoming?.socket;
  const env = c.env as { server?: { incoming?: unknown }; incoming?: unknown } | undefined;
  let peer: string | undefined;
  // app.request() (tests, in-process callers) has no socket: nothing to ask, and no exception thrown per request
  if ((env?.server ?? env)?.incoming) {
    try {
      peer = getConnInfo(c).remote.address;
    } catch {
      peer = undefined;
    }
  }
  return {
    peer,
    tls: socket?.encrypted === true,
    forwardedFor: c.req.header("x-forwarded-for"),
    forwardedProto: c.req.header("x-forwarded-proto"),
  };
}

/** The client's address, for rate limiting: the one function every limit keys on. */
export function clientAddress(c: Context, trusted: TrustedProxies): string {
  return clientOf(hopOf(c), trusted).address;
}

/** Whether the request came over TLS (HSTS is only meaningful then). */
export function cameOverTls(c: Context, trusted: TrustedProxies): boolean {
  return clientOf(hopOf(c), trusted).overTls;
}
