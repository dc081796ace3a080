/**
 * Addresses a customer-supplied URL must not make the server call: this machine, private networks,
 * link-local (cloud metadata at 169.254.169.254), carrier-grade NAT, multicast and the IPv6
 * equivalents, including IPv6 forms that carry an IPv4 address.
 */
import { isIP } from "node:net";

const V4_RANGES: [base: string, bits: number, what: string][] = [
  ["0.0.0.0", 8, "this network (0.0.0.0/8)"],
  ["10.0.0.0", 8, "private (10.0.0.0/8)"],
  ["100.64.0.0", 10, "carrier-grade NAT (100.64.0.0/10)"],
  ["127.0.0.0", 8, "loopback (127.0.0.0/8)"],
  ["169.254.0.0", 16, "link-local (169.254.0.0/16)"],
  ["172.16.0.0", 12, "private (172.16.0.0/12)"],
  ["192.168.0.0", 16, "private (192.168.0.0/16)"],
  ["224.0.0.0", 4, "multicast (224.0.0.0/4)"],
  ["240.0.0.0", 4, "reserved (240.0.0.0/4)"],
];

function v4Number(ip: string): number {
  return ip.split(".").reduce((n, part) => n * 256 + Number(part), 0);
}

function internalV4(n: number): string | null {
  for (const [base, bits, what] of V4_RANGES) {
    const size = 2 ** (32 - bits);
    if (Math.floor(n / size) === Math.floor(v4Number(base) / size)) return what;
  }
  return null;
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

function internalV6(g: number[]): string | null {
  const zeros = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  const v4At = (i: number) => g[i]! * 65536 + g[i + 1]!;
  if (zeros(0, 8)) return "unspecified (::)";
  if (zeros(0, 7) && g[7] === 1) return "loopback (::1)";
  if (zeros(0, 5) && g[5] === 0xffff) return "IPv4-mapped (::ffff:0:0/96)";
  if (zeros(0, 6)) return "IPv4-compatible (::/96)";
  if ((g[0]! & 0xfe00) === 0xfc00) return "unique local (fc00::/7)";
  if ((g[0]! & 0xffc0) === 0xfe80) return "link-local (fe80::/10)";
  if ((g[0]! & 0xffc0) === 0xfec0) return "site-local (fec0::/10)";
  if ((g[0]! & 0xff00) === 0xff00) return "multicast (ff00::/8)";
  // translation prefixes reach the IPv4 address they embed
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
