/**
 * Addresses a customer-supplied URL must not make the server call: every block of the IANA IPv4
 * and IPv6 Special-Purpose Address Registries (RFC 6890 and its updates: this machine, private
 * networks, link-local with cloud metadata at 169.254.169.254, shared NAT space, documentation,
 * benchmarking, protocol anycasts…), multicast and reserved space, and the IPv6 forms that carry
 * an IPv4 address. The most specific block names the rule.
 */
import { isIP } from "node:net";

type Block = [base: string, bits: number, what: string];

// The IPv4 registry entry by entry, then multicast (its own registry) and the reserved class E.
const V4_BLOCKS: Block[] = [
  ["0.0.0.0", 8, "this network (0.0.0.0/8)"],
  ["0.0.0.0", 32, "this host on this network (0.0.0.0/32)"],
  ["10.0.0.0", 8, "private (10.0.0.0/8)"],
  ["100.64.0.0", 10, "carrier-grade NAT (100.64.0.0/10)"],
  ["127.0.0.0", 8, "loopback (127.0.0.0/8)"],
  ["169.254.0.0", 16, "link-local (169.254.0.0/16)"],
  ["172.16.0.0", 12, "private (172.16.0.0/12)"],
  ["192.0.0.0", 24, "IETF protocol assignments (192.0.0.0/24)"],
  ["192.0.0.0", 29, "IPv4 service continuity (192.0.0.0/29)"],
  ["192.0.0.8", 32, "IPv4 dummy address (192.0.0.8/32)"],
  ["192.0.0.9", 32, "PCP anycast (192.0.0.9/32)"],
  ["192.0.0.10", 32, "TURN anycast (192.0.0.10/32)"],
  ["192.0.0.170", 32, "NAT64/DNS64 discovery (192.0.0.170/32)"],
  ["192.0.0.171", 32, "NAT64/DNS64 discovery (192.0.0.171/32)"],
  ["192.0.2.0", 24, "documentation (192.0.2.0/24)"],
  ["192.31.196.0", 24, "AS112 (192.31.196.0/24)"],
  ["192.52.193.0", 24, "AMT (192.52.193.0/24)"],
  ["192.88.99.0", 24, "6to4 relay anycast (192.88.99.0/24)"],
  ["192.168.0.0", 16, "private (192.168.0.0/16)"],
  ["192.175.48.0", 24, "AS112 direct delegation (192.175.48.0/24)"],
  ["198.18.0.0", 15, "benchmarking (198.18.0.0/15)"],
  ["198.51.100.0", 24, "documentation (198.51.100.0/24)"],
  ["203.0.113.0", 24, "documentation (203.0.113.0/24)"],
  ["224.0.0.0", 4, "multicast (224.0.0.0/4)"],
  ["240.0.0.0", 4, "reserved (240.0.0.0/4)"],
  ["255.255.255.255", 32, "limited broadcast (255.255.255.255/32)"],
];

// The IPv6 registry entry by entry (64:ff9b::/96 and 2002::/16 are checked by the IPv4 address they
// carry, below), then the deprecated IPv4-compatible and site-local blocks, IPv4-translated
// addresses (RFC 6145) and multicast.
const V6_BLOCKS: Block[] = [
  ["::", 128, "unspecified (::)"],
  ["::1", 128, "loopback (::1)"],
  ["::", 96, "IPv4-compatible (::/96)"],
  ["::ffff:0:0", 96, "IPv4-mapped (::ffff:0:0/96)"],
  ["::ffff:0:0:0", 96, "IPv4-translated (::ffff:0:0:0/96)"],
  ["64:ff9b:1::", 48, "local IPv4/IPv6 translation (64:ff9b:1::/48)"],
  ["100::", 64, "discard-only (100::/64)"],
  ["100:0:0:1::", 64, "dummy prefix (100:0:0:1::/64)"],
  ["2001::", 23, "IETF protocol assignments (2001::/23)"],
  ["2001::", 32, "Teredo (2001::/32)"],
  ["2001:1::1", 128, "PCP anycast (2001:1::1/128)"],
  ["2001:1::2", 128, "TURN anycast (2001:1::2/128)"],
  ["2001:1::3", 128, "DNS-SD service registration anycast (2001:1::3/128)"],
  ["2001:2::", 48, "benchmarking (2001:2::/48)"],
  ["2001:3::", 32, "AMT (2001:3::/32)"],
  ["2001:4:112::", 48, "AS112 (2001:4:112::/48)"],
  ["2001:10::", 28, "deprecated ORCHID (2001:10::/28)"],
  ["2001:20::", 28, "ORCHIDv2 (2001:20::/28)"],
  ["2001:30::", 28, "drone remote ID tags (2001:30::/28)"],
  ["2001:db8::", 32, "documentation (2001:db8::/32)"],
  ["2620:4f:8000::", 48, "AS112 direct delegation (2620:4f:8000::/48)"],
  ["3fff::", 20, "documentation (3fff::/20)"],
  ["5f00::", 16, "SRv6 segment identifiers (5f00::/16)"],
  ["fc00::", 7, "unique local (fc00::/7)"],
  ["fe80::", 10, "link-local (fe80::/10)"],
  ["fec0::", 10, "site-local (fec0::/10)"],
  ["ff00::", 8, "multicast (ff00::/8)"],
];

function v4Number(ip: string): number {
  return ip.split(".").reduce((n, part) => n * 256 + Number(part), 0);
}

/** The eight 16-bit groups of an IPv6 address (`::` and a dotted IPv4 tail allowed). */
function v6Groups(ip: string): number[] {
  let text = ip.split("%")[0]!;
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const n = v4Number(tail[1]!);
    text = `${text.slice(0, tail.index)}${Math.floor(n / 65536).toString(16)}:${(n % 65536).toString(16)}`;
  }
  const [head, rest] = text.split("::") as [string, string | undefined];
  const parse = (s: string) => (s === "" ? [] : s.split(":").map((g) => parseInt(g, 16)));
  const left = parse(head);
  if (rest === undefined) return left;
  const right = parse(rest);
  return [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
}

/** An address as bits, most significant first: IPv4 as 32, IPv6 as 128. */
function v4Bits(n: number): string {
  return n.toString(2).padStart(32, "0");
}
function v6Bits(groups: number[]): string {
  return groups.map((g) => g.toString(2).padStart(16, "0")).join("");
}

function compile(blocks: Block[], bitsOf: (base: string) => string) {
  return blocks.map(([base, bits, what]) => ({ prefix: bitsOf(base).slice(0, bits), what }));
}
const V4 = compile(V4_BLOCKS, (base) => v4Bits(v4Number(base)));
const V6 = compile(V6_BLOCKS, (base) => v6Bits(v6Groups(base)));

function mostSpecific(bits: string, blocks: { prefix: string; what: string }[]): string | null {
  let found: { prefix: string; what: string } | null = null;
  for (const block of blocks) {
    if (bits.startsWith(block.prefix) && (!found || block.prefix.length > found.prefix.length)) found = block;
  }
  return found?.what ?? null;
}

function internalV4(n: number): string | null {
  return mostSpecific(v4Bits(n), V4);
}

function internalV6(g: number[]): string | null {
  const listed = mostSpecific(v6Bits(g), V6);
  if (listed) return listed;
  // translation prefixes reach the IPv4 address they embed
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  const v4At = (i: number) => g[i]! * 65536 + g[i + 1]!;
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) {
    const inner = internalV4(v4At(6));
    if (inner) return `NAT64 of ${inner}`;
  }
  if (g[0] === 0x2002) {
    const inner = internalV4(v4At(1));
    if (inner) return `6to4 of ${inner}`;
  }
  return null;
}

/** What kind of internal address `ip` is (e.g. "loopback (127.0.0.0/8)"), or null for a public one or a non-address. */
export function internalAddress(ip: string): string | null {
  const bare = ip.startsWith("[") && ip.endsWith("]") ? ip.slice(1, -1) : ip;
  const family = isIP(bare);
  if (family === 4) return internalV4(v4Number(bare));
  if (family === 6) return internalV6(v6Groups(bare));
  return null;
}

/** `localhost` and any `*.localhost` always mean this machine (RFC 6761), whatever DNS says. */
export function isLocalhostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.+$/, "");
  return name === "localhost" || name.endsWith(".localhost");
}

/** Why the host of `url` is internal (the rule it breaks), or null when it may be called. */
export function internalHostProblem(url: URL): string | null {
  const host = url.hostname;
  if (isLocalhostName(host)) return `${host} is this machine`;
  const what = internalAddress(host);
  return what ? `${host} is ${what}` : null;
}
