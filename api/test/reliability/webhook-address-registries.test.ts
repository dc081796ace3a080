/**
 * Webhook targets against the IANA IPv4 and IPv6 Special-Purpose Address Registries: one row per
 * registry entry, an address inside it and a neighbour just outside (public, or the wider block it
 * sits in), plus the IPv6 forms that embed an IPv4 address.
 */
import { describe, expect, it } from "vitest";
import { internalAddress } from "../../src/http/internal-addresses.js";
import { createTestApp, ownerWithCompany } from "../helpers.js";

const IPV4: [address: string, rule: string | null][] = [
  // 0.0.0.0/8 "This network" and 0.0.0.0/32 "This host on this network"
  ["0.255.255.255", "this network (0.0.0.0/8)"],
  ["1.0.0.0", null],
  ["0.0.0.0", "this host on this network (0.0.0.0/32)"],
  ["0.0.0.1", "this network (0.0.0.0/8)"],
  // 10.0.0.0/8 Private-Use
  ["10.255.255.255", "private (10.0.0.0/8)"],
  ["11.0.0.0", null],
  // 100.64.0.0/10 Shared Address Space
  ["100.64.0.0", "carrier-grade NAT (100.64.0.0/10)"],
  ["100.63.255.255", null],
  ["100.128.0.0", null],
  // 127.0.0.0/8 Loopback
  ["127.0.0.1", "loopback (127.0.0.0/8)"],
  ["128.0.0.0", null],
  // 169.254.0.0/16 Link Local
  ["169.254.169.254", "link-local (169.254.0.0/16)"],
  ["169.255.0.0", null],
  // 172.16.0.0/12 Private-Use
  ["172.31.255.255", "private (172.16.0.0/12)"],
  ["172.32.0.0", null],
  // 192.0.0.0/24 IETF Protocol Assignments, and the entries inside it
  ["192.0.0.100", "IETF protocol assignments (192.0.0.0/24)"],
  ["192.0.1.0", null],
  ["192.0.0.7", "IPv4 service continuity (192.0.0.0/29)"],
  ["192.0.0.8", "IPv4 dummy address (192.0.0.8/32)"],
  ["192.0.0.9", "PCP anycast (192.0.0.9/32)"],
  ["192.0.0.10", "TURN anycast (192.0.0.10/32)"],
  ["192.0.0.11", "IETF protocol assignments (192.0.0.0/24)"],
  ["192.0.0.170", "NAT64/DNS64 discovery (192.0.0.170/32)"],
  ["192.0.0.171", "NAT64/DNS64 discovery (192.0.0.171/32)"],
  ["192.0.0.172", "IETF protocol assignments (192.0.0.0/24)"],
  // 192.0.2.0/24 Documentation (TEST-NET-1)
  ["192.0.2.1", "documentation (192.0.2.0/24)"],
  ["192.0.3.0", null],
  // 192.31.196.0/24 AS112-v4
  ["192.31.196.1", "AS112 (192.31.196.0/24)"],
  ["192.31.197.0", null],
  // 192.52.193.0/24 AMT
  ["192.52.193.1", "AMT (192.52.193.0/24)"],
  ["192.52.194.0", null],
  // 192.88.99.0/24 Deprecated (6to4 Relay Anycast)
  ["192.88.99.1", "6to4 relay anycast (192.88.99.0/24)"],
  ["192.88.100.0", null],
  // 192.168.0.0/16 Private-Use
  ["192.168.1.1", "private (192.168.0.0/16)"],
  ["192.169.0.0", null],
  // 192.175.48.0/24 Direct Delegation AS112 Service
  ["192.175.48.1", "AS112 direct delegation (192.175.48.0/24)"],
  ["192.175.49.0", null],
  // 198.18.0.0/15 Benchmarking
  ["198.18.0.1", "benchmarking (198.18.0.0/15)"],
  ["198.19.255.255", "benchmarking (198.18.0.0/15)"],
  ["198.17.255.255", null],
  ["198.20.0.0", null],
  // 198.51.100.0/24 Documentation (TEST-NET-2)
  ["198.51.100.1", "documentation (198.51.100.0/24)"],
  ["198.51.101.0", null],
  // 203.0.113.0/24 Documentation (TEST-NET-3)
  ["203.0.113.1", "documentation (203.0.113.0/24)"],
  ["203.0.114.0", null],
  // 224.0.0.0/4 multicast (its own registry)
  ["239.255.255.255", "multicast (224.0.0.0/4)"],
  ["223.255.255.255", null],
  // 240.0.0.0/4 Reserved and 255.255.255.255/32 Limited Broadcast
  ["240.0.0.1", "reserved (240.0.0.0/4)"],
  ["255.255.255.254", "reserved (240.0.0.0/4)"],
  ["255.255.255.255", "limited broadcast (255.255.255.255/32)"],
  ["93.184.215.14", null],
];

const IPV6: [address: string, rule: string | null][] = [
  // ::1/128 Loopback, ::/128 Unspecified, ::/96 IPv4-compatible (deprecated)
  ["::1", "loopback (::1)"],
  ["::", "unspecified (::)"],
  ["::2", "IPv4-compatible (::/96)"],
  ["::a00:1", "IPv4-compatible (::/96)"],
  ["::1:0:0", null],
  // ::ffff:0:0/96 IPv4-mapped, and ::ffff:0:0:0/96 IPv4-translated (RFC 6145)
  ["::ffff:8.8.8.8", "IPv4-mapped (::ffff:0:0/96)"],
  ["::ffff:0:808:808", "IPv4-translated (::ffff:0:0:0/96)"],
  ["::fffe:0:808:808", null],
  // 64:ff9b::/96 IPv4-IPv6 Translation: as internal as the IPv4 address it carries
  ["64:ff9b::a00:1", "NAT64 of private (10.0.0.0/8)"],
  ["64:ff9b::c612:1", "NAT64 of benchmarking (198.18.0.0/15)"],
  ["64:ff9b::808:808", null],
  // 64:ff9b:1::/48 local-use IPv4-IPv6 Translation
  ["64:ff9b:1::808:808", "local IPv4/IPv6 translation (64:ff9b:1::/48)"],
  ["64:ff9b:2::1", null],
  // 100::/64 Discard-Only, 100:0:0:1::/64 Dummy IPv6 Prefix
  ["100::1", "discard-only (100::/64)"],
  ["100:0:0:1::1", "dummy prefix (100:0:0:1::/64)"],
  ["100:0:0:2::1", null],
  // 2001::/23 IETF Protocol Assignments, and the entries inside it
  ["2001:1ff::1", "IETF protocol assignments (2001::/23)"],
  ["2001:200::1", null],
  ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo (2001::/32)"],
  ["2001:1::1", "PCP anycast (2001:1::1/128)"],
  ["2001:1::2", "TURN anycast (2001:1::2/128)"],
  ["2001:1::3", "DNS-SD service registration anycast (2001:1::3/128)"],
  ["2001:1::4", "IETF protocol assignments (2001::/23)"],
  ["2001:2::1", "benchmarking (2001:2::/48)"],
  ["2001:2:1::1", "IETF protocol assignments (2001::/23)"],
  ["2001:3::1", "AMT (2001:3::/32)"],
  ["2001:4:112::1", "AS112 (2001:4:112::/48)"],
  ["2001:4:113::1", "IETF protocol assignments (2001::/23)"],
  ["2001:1f::1", "deprecated ORCHID (2001:10::/28)"],
  ["2001:20::1", "ORCHIDv2 (2001:20::/28)"],
  ["2001:2f:ffff::1", "ORCHIDv2 (2001:20::/28)"],
  ["2001:30::1", "drone remote ID tags (2001:30::/28)"],
  // 2001:db8::/32 and 3fff::/20 Documentation
  ["2001:db8::1", "documentation (2001:db8::/32)"],
  ["2001:db9::1", null],
  ["3fff:fff::1", "documentation (3fff::/20)"],
  ["3fff:1000::1", null],
  // 2002::/16 6to4: as internal as the IPv4 address it carries
  ["2002:a00:1::", "6to4 of private (10.0.0.0/8)"],
  ["2002:c000:263::", "6to4 of documentation (192.0.2.0/24)"],
  ["2002:808:808::", null],
  // 2620:4f:8000::/48 Direct Delegation AS112 Service
  ["2620:4f:8000::1", "AS112 direct delegation (2620:4f:8000::/48)"],
  ["2620:4f:8001::1", null],
  // 5f00::/16 Segment Routing (SRv6) SIDs
  ["5f00::1", "SRv6 segment identifiers (5f00::/16)"],
  ["5f01::1", null],
  // fc00::/7 Unique-Local, fe80::/10 Link-Local Unicast, fec0::/10 site-local (deprecated), ff00::/8 multicast
  ["fdff::1", "unique local (fc00::/7)"],
  ["fbff::1", null],
  ["febf::1", "link-local (fe80::/10)"],
  ["fec0::1", "site-local (fec0::/10)"],
  ["ff02::1", "multicast (ff00::/8)"],
  ["2001:4860:4860::8888", null],
  ["2a00:1450:4007::1", null],
];

describe("webhook targets: the special-purpose address registries", () => {
  it("names the most specific IPv4 registry entry an address is in, and none just outside", () => {
    expect(IPV4.map(([ip]) => [ip, internalAddress(ip)])).toEqual(IPV4);
  });

  it("names the most specific IPv6 registry entry an address is in, and none just outside", () => {
    expect(IPV6.map(([ip]) => [ip, internalAddress(ip)])).toEqual(IPV6);
  });

  it("refuses the review's addresses at registration with 422 on url, naming the range", async () => {
    const t = createTestApp();
    const owner = await ownerWithCompany(t);
    const hosts = ["198.18.0.1", "192.0.0.1", "192.0.2.1", "[::ffff:0:a00:1]", "[64:ff9b:1::1]", "[2001::1]"];
    const answers = [];
    for (const host of hosts) {
      const res = await t.call("POST", `/companies/${owner.companyId}/webhooks`, {
        token: owner.token,
        body: { url: `https://${host}/hook`, events: ["invoice.issued"] },
      });
      answers.push([res.status, res.json.errors]);
    }
    const refused = (rule: string) => [422, [{ path: "url", message: `must not point to an internal address: ${rule}` }]];
    expect(answers).toEqual([
      refused("198.18.0.1 is benchmarking (198.18.0.0/15)"),
      refused("192.0.0.1 is IPv4 service continuity (192.0.0.0/29)"),
      refused("192.0.2.1 is documentation (192.0.2.0/24)"),
      refused("[::ffff:0:a00:1] is IPv4-translated (::ffff:0:0:0/96)"),
      refused("[64:ff9b:1::1] is local IPv4/IPv6 translation (64:ff9b:1::/48)"),
      refused("[2001::1] is Teredo (2001::/32)"),
    ]);
    expect((await t.call("GET", `/companies/${owner.companyId}/webhooks`, { token: owner.token })).json.items).toEqual([]);
  });
});
