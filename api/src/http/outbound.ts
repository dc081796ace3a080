/**
 * POSTs to a URL a customer chose (webhooks) without letting it reach internal addresses: the host
 * is resolved once, every address is checked, and the connection is made to those checked
 * addresses only (a lookup pinned to them), so a DNS answer cannot change between check and connect.
 */
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { internalAddress, isLocalhostName } from "./internal-addresses.js";

export type Resolver = (hostname: string) => Promise<dns.LookupAddress[]>;

export const systemResolver: Resolver = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/** The target is, or resolves to, an internal address: refused, and not worth retrying. */
export class InternalTargetError extends Error {}

/** A request that got no answer in time. */
export class OutboundTimeoutError extends Error {}

/** The addresses `url` may be reached at, all checked unless internal targets are allowed. */
export async function resolveTarget(url: URL, options: { resolve: Resolver; allowInternal: boolean }): Promise<dns.LookupAddress[]> {
  const host = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  const refuse = (why: string) => new InternalTargetError(`not sent: ${why}; webhooks only go to public addresses`);
  const family = isIP(host);
  if (family !== 0) {
    const what = internalAddress(host);
    if (what && !options.allowInternal) throw refuse(`${url.hostname} is ${what}`);
    return [{ address: host, family }];
  }
  if (isLocalhostName(host) && !options.allowInternal) throw refuse(`${host} is this machine`);
  const addresses = await options.resolve(host);
  if (addresses.length === 0) throw new Error(`${host} has no address`);
  if (!options.allowInternal) {
    for (const { address } of addresses) {
      const what = internalAddress(address);
      if (what) throw refuse(`${host} resolves to ${address}, ${what}`);
    }
  }
  return addresses;
}

/** A lookup that only ever answers the given addresses. */
function pinnedLookup(addresses: dns.LookupAddress[]): LookupFunction {
  return (hostname, options, callback) => {
    const wanted = options.family === 4 || options.family === "IPv4" ? 4 : options.family === 6 || options.family === "IPv6" ? 6 : 0;
    const usable = wanted ? addresses.filter((a) => a.family === wanted) : addresses;
    if (usable.length === 0) {
      callback(Object.assign(new Error(`${hostname} has no IPv${wanted} address`), { code: "ENOTFOUND" }), "", 0);
    } else if (options.all) {
      callback(null, usable);
    } else {
      callback(null, usable[0]!.address, usable[0]!.family);
    }
  };
}

/** POSTs `body` to `url`, connecting only to `addresses`; resolves with the answer's status code (the body is not read). */
export function postTo(
  url: URL,
  addresses: dns.LookupAddress[],
  init: { headers: Record<string, string>; body: string; timeoutMs: number },
): Promise<number> {
  return new Promise((resolve, reject) => {
    const client = url.protocol === "https:" ? https : http;
    const request = client.request(url, {
      method: "POST",
      headers: { ...init.headers, "content-length": String(Buffer.byteLength(init.body)) },
      lookup: pinnedLookup(addresses),
      // a fresh connection each time: no pooled socket outlives the check made for it
      agent: false,
    });
    const timer = setTimeout(() => request.destroy(new OutboundTimeoutError("no answer within the time limit")), init.timeoutMs);
    request.on("response", (response) => {
      clearTimeout(timer);
      resolve(response.statusCode ?? 0);
      response.destroy();
    });
    request.on("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    request.end(init.body);
  });
}
