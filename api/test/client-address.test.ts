import { describe, expect, it } from "vitest";
import { clientOf, TrustedProxies, type Hop } from "../src/http/client-address.js";

const LOOPBACK = TrustedProxies.parse("127.0.0.1, ::1");
const NONE = TrustedProxies.parse(undefined);
const CHAIN = TrustedProxies.parse("127.0.0.1,10.0.0.0/8,2001:db8:1::/48");

const hop = (peer: string | undefined, forwardedFor?: string, forwardedProto?: string, tls = false): Hop => ({ peer, tls, forwardedFor, forwardedProto });

describe("the client address behind trusted proxies", () => {
  const cases: [string, Hop, TrustedProxies, { address: string; overTls: boolean }][] = [
    ["no socket (app.request)", hop(undefined, "203.0.113.7"), LOOPBACK, { address: "local", overTls: false }],
    ["a direct client", hop("203.0.113.7"), LOOPBACK, { address: "203.0.113.7", overTls: false }],
    ["a direct client's spoofed headers are ignored", hop("203.0.113.7", "198.51.100.1", "https"), LOOPBACK, { address: "203.0.113.7", overTls: false }],
    ["nothing is trusted by default, not even loopback", hop("127.0.0.1", "198.51.100.1", "https"), NONE, { address: "127.0.0.1", overTls: false }],
    ["the trusted proxy's client", hop("127.0.0.1", "203.0.113.7", "https"), LOOPBACK, { address: "203.0.113.7", overTls: true }],
    ["the trusted proxy over IPv6", hop("::1", "2001:db8::7", "http"), LOOPBACK, { address: "2001:db8::7", overTls: false }],
    ["an IPv4-mapped peer is the same IPv4 proxy", hop("::ffff:127.0.0.1", "::ffff:203.0.113.7"), LOOPBACK, { address: "203.0.113.7", overTls: false }],
    ["the right-most untrusted address, not what the client prepended", hop("127.0.0.1", "198.51.100.1, 203.0.113.7"), LOOPBACK, { address: "203.0.113.7", overTls: false }],
    ["through a chain of trusted proxies (CIDR)", hop("127.0.0.1", "198.51.100.1, 203.0.113.7, 10.2.3.4, 10.0.0.9"), CHAIN, { address: "203.0.113.7", overTls: false }],
    ["an IPv6 range", hop("2001:db8:1::2", "2001:db8:2::5"), CHAIN, { address: "2001:db8:2::5", overTls: false }],
    ["every hop trusted: the left-most", hop("127.0.0.1", "10.0.0.1, 10.0.0.2"), CHAIN, { address: "10.0.0.1", overTls: false }],
    ["ports and brackets", hop("127.0.0.1", "[2001:db8::9]:443, 203.0.113.7:4711"), LOOPBACK, { address: "203.0.113.7", overTls: false }],
    ["a bracketed IPv6 with a port", hop("127.0.0.1", "[2001:db8::9]:443"), LOOPBACK, { address: "2001:db8::9", overTls: false }],
    ["an unreadable entry stops at the proxy that wrote it", hop("127.0.0.1", "203.0.113.7, unknown"), LOOPBACK, { address: "127.0.0.1", overTls: false }],
    ["a trusted proxy without the header", hop("127.0.0.1"), LOOPBACK, { address: "127.0.0.1", overTls: false }],
    ["empty entries are skipped", hop("127.0.0.1", "203.0.113.7, ,"), LOOPBACK, { address: "203.0.113.7", overTls: false }],
    ["the nearest proxy's protocol counts", hop("127.0.0.1", "203.0.113.7", "http, HTTPS"), LOOPBACK, { address: "203.0.113.7", overTls: true }],
    ["TLS on the socket itself", hop("203.0.113.7", undefined, undefined, true), LOOPBACK, { address: "203.0.113.7", overTls: true }],
  ];
  it.each(cases)("%s", (_name, given, trusted, expected) => {
    expect(clientOf(given, trusted)).toEqual(expected);
  });
});

describe("TRUSTED_PROXIES", () => {
  it("takes addresses and CIDR ranges, IPv4 and IPv6", () => {
    const trusted = TrustedProxies.parse(" 127.0.0.1 , 10.0.0.0/8,fd00::/8,::1 ");
    expect(trusted.entries).toEqual(["127.0.0.1", "10.0.0.0/8", "fd00::/8", "::1"]);
    expect(["127.0.0.1", "10.255.0.1", "fd12::1", "::1", "::ffff:10.0.0.1"].map((a) => trusted.has(a))).toEqual([true, true, true, true, true]);
    expect(["127.0.0.2", "11.0.0.1", "fe80::1", "::2", "not an address"].map((a) => trusted.has(a))).toEqual([false, false, false, false, false]);
  });

  it.each([
    ["localhost", `TRUSTED_PROXIES: "localhost" is neither an IP address nor a CIDR range (e.g. 127.0.0.1, ::1, 10.0.0.0/8)`],
    ["10.0.0.0/33", `TRUSTED_PROXIES: "10.0.0.0/33" is neither an IP address nor a CIDR range (e.g. 127.0.0.1, ::1, 10.0.0.0/8)`],
    ["::1/129", `TRUSTED_PROXIES: "::1/129" is neither an IP address nor a CIDR range (e.g. 127.0.0.1, ::1, 10.0.0.0/8)`],
    ["10.0.0.0/8/8", `TRUSTED_PROXIES: "10.0.0.0/8/8" is neither an IP address nor a CIDR range (e.g. 127.0.0.1, ::1, 10.0.0.0/8)`],
    ["10.0.0.0/x", `TRUSTED_PROXIES: "10.0.0.0/x" is neither an IP address nor a CIDR range (e.g. 127.0.0.1, ::1, 10.0.0.0/8)`],
  ])("refuses %s with one line naming it", (entry, message) => {
    expect(() => TrustedProxies.parse(`127.0.0.1,${entry}`)).toThrow(message);
  });
});
