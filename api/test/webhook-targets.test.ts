import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { LookupAddress } from "node:dns";
import { createTestApp, issuedInvoice, ownerWithCompany, type TestApp } from "./helpers.js";
import { WebhookDispatcher } from "../src/services/webhook-dispatcher.js";
import { internalAddress, internalHostProblem } from "../src/http/internal-addresses.js";
import { postTo } from "../src/http/outbound.js";

/** A loopback receiver recording the Host header of each request. */
async function receiver() {
  const hosts: string[] = [];
  const server = http.createServer((req, res) => {
    hosts.push(String(req.headers.host));
    req.resume();
    req.on("end", () => res.writeHead(204).end());
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return { port, hosts, close: () => new Promise<void>((r) => server.close(() => r())) };
}

let closers: (() => Promise<void>)[] = [];
beforeEach(() => {
  vi.spyOn(console, "log").mockImplementation(() => {});
});
afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(closers.map((c) => c()));
  closers = [];
});

async function register(t: TestApp, token: string, companyId: string, url: string) {
  return t.call("POST", `/companies/${companyId}/webhooks`, { token, body: { url, events: ["invoice.issued"] } });
}

describe("internal addresses", () => {
  it("names the range of every internal IPv4 and IPv6 address, and none for public ones", () => {
    const cases: [string, string | null][] = [
      ["127.0.0.1", "loopback (127.0.0.0/8)"],
      ["127.255.255.254", "loopback (127.0.0.0/8)"],
      ["10.0.0.1", "private (10.0.0.0/8)"],
      ["172.16.0.1", "private (172.16.0.0/12)"],
      ["172.31.255.255", "private (172.16.0.0/12)"],
      ["172.32.0.1", null],
      ["192.168.1.1", "private (192.168.0.0/16)"],
      ["169.254.169.254", "link-local (169.254.0.0/16)"],
      ["100.64.0.1", "carrier-grade NAT (100.64.0.0/10)"],
      ["100.127.255.255", "carrier-grade NAT (100.64.0.0/10)"],
      ["100.128.0.1", null],
      ["0.0.0.0", "this host on this network (0.0.0.0/32)"],
      ["224.0.0.251", "multicast (224.0.0.0/4)"],
      ["255.255.255.255", "limited broadcast (255.255.255.255/32)"],
      ["93.184.215.14", null],
      ["::1", "loopback (::1)"],
      ["[::1]", "loopback (::1)"],
      ["::", "unspecified (::)"],
      ["::ffff:127.0.0.1", "IPv4-mapped (::ffff:0:0/96)"],
      ["::ffff:5db8:d70e", "IPv4-mapped (::ffff:0:0/96)"],
      ["fd12:3456::1", "unique local (fc00::/7)"],
      ["fc00::1", "unique local (fc00::/7)"],
      ["fe80::1%eth0", "link-local (fe80::/10)"],
      ["ff02::1", "multicast (ff00::/8)"],
      ["64:ff9b::a9fe:a9fe", "NAT64 of link-local (169.254.0.0/16)"],
      ["2002:7f00:1::", "6to4 of loopback (127.0.0.0/8)"],
      ["2001:4860:4860::8888", null],
      ["hooks.example.fr", null],
    ];
    expect(cases.map(([ip]) => [ip, internalAddress(ip)])).toEqual(cases);
  });

  it("reads the host as the URL parser normalises it: decimal, short and mapped forms are caught", () => {
    const problems = [
      "https://2130706433/x",
      "https://127.1/x",
      "https://0x7f.0.0.1/x",
      "https://[::ffff:169.254.169.254]/x",
      "https://LOCALHOST./x",
      "https://metadata.localhost/x",
      "https://hooks.example.fr/x",
    ].map((u) => internalHostProblem(new URL(u)));
    expect(problems).toEqual([
      "127.0.0.1 is loopback (127.0.0.0/8)",
      "127.0.0.1 is loopback (127.0.0.0/8)",
      "127.0.0.1 is loopback (127.0.0.0/8)",
      "[::ffff:a9fe:a9fe] is IPv4-mapped (::ffff:0:0/96)",
      "localhost. is this machine",
      "metadata.localhost is this machine",
      null,
    ]);
  });
});

describe("webhook targets", () => {
  it("refuses internal addresses at registration by default (422 on url, nothing recorded)", async () => {
    const t = createTestApp();
    const owner = await ownerWithCompany(t);
    const seqBefore = (await t.call("GET", `/companies/${owner.companyId}/changes?since=0`, { token: owner.token })).json.lastSeq;
    const refused: [string, string][] = [
      ["http://127.0.0.1:8080/hook", "127.0.0.1 is loopback (127.0.0.0/8)"],
      ["http://[::1]/hook", "[::1] is loopback (::1)"],
      ["https://169.254.169.254/latest/meta-data/", "169.254.169.254 is link-local (169.254.0.0/16)"],
      ["https://10.0.0.1/hook", "10.0.0.1 is private (10.0.0.0/8)"],
      ["http://localhost:9000/hook", "localhost is this machine"],
      ["https://admin.localhost/hook", "admin.localhost is this machine"],
      ["https://172.20.1.2/hook", "172.20.1.2 is private (172.16.0.0/12)"],
      ["https://192.168.0.10/hook", "192.168.0.10 is private (192.168.0.0/16)"],
      ["https://100.100.100.200/hook", "100.100.100.200 is carrier-grade NAT (100.64.0.0/10)"],
      ["https://0.0.0.0/hook", "0.0.0.0 is this host on this network (0.0.0.0/32)"],
      ["https://239.1.2.3/hook", "239.1.2.3 is multicast (224.0.0.0/4)"],
      ["https://[fd00::5]/hook", "[fd00::5] is unique local (fc00::/7)"],
      ["https://[fe80::1]/hook", "[fe80::1] is link-local (fe80::/10)"],
      ["https://[::ffff:10.0.0.1]/hook", "[::ffff:a00:1] is IPv4-mapped (::ffff:0:0/96)"],
    ];
    for (const [url, rule] of refused) {
      const res = await register(t, owner.token, owner.companyId, url);
      expect(res.status, url).toBe(422);
      expect(res.headers.get("content-type")).toBe("application/problem+json; charset=utf-8");
      expect(res.json.errors, url).toEqual([{ path: "url", message: `must not point to an internal address: ${rule}` }]);
    }
    expect((await t.call("GET", `/companies/${owner.companyId}/webhooks`, { token: owner.token })).json.items).toEqual([]);
    expect((await t.call("GET", `/companies/${owner.companyId}/changes?since=0`, { token: owner.token })).json.lastSeq).toBe(seqBefore);
    // public addresses and names pass
    for (const url of ["https://hooks.example.fr/x", "https://93.184.215.14/x", "https://172.32.0.1/x", "https://[2001:4860:4860::8888]/x"]) {
      expect((await register(t, owner.token, owner.companyId, url)).status, url).toBe(201);
    }
  });

  it("refuses to deliver to a host name that resolves to an internal address, once, with the reason", async () => {
    const t = createTestApp();
    const owner = await ownerWithCompany(t);
    const hook = await receiver();
    closers.push(hook.close);
    const asked: string[] = [];
    const answers: Record<string, LookupAddress[]> = {
      "loop.example.fr": [{ address: "127.0.0.1", family: 4 }],
      "mixed.example.fr": [
        { address: "93.184.215.14", family: 4 },
        { address: "::1", family: 6 },
      ],
    };
    const dispatcher = new WebhookDispatcher(t.deps, {
      timeoutMs: 2_000,
      resolve: async (hostname) => {
        asked.push(hostname);
        return answers[hostname] ?? [];
      },
    }).start();
    closers.push(() => dispatcher.stop());
    const loop = await register(t, owner.token, owner.companyId, `https://loop.example.fr:${hook.port}/hook`);
    const mixed = await register(t, owner.token, owner.companyId, `https://mixed.example.fr:${hook.port}/hook`);
    expect([loop.status, mixed.status]).toEqual([201, 201]);

    await issuedInvoice(t, owner);
    await dispatcher.idle();
    const log = async (id: string) =>
      (await t.call("GET", `/companies/${owner.companyId}/webhooks/${id}/deliveries`, { token: owner.token })).json.items[0];
    expect(await log(loop.json.id)).toMatchObject({
      status: "failed",
      attempts: 1,
      nextAttemptAt: null,
      lastStatusCode: null,
      lastError: "not sent: loop.example.fr resolves to 127.0.0.1, loopback (127.0.0.0/8); webhooks only go to public addresses",
    });
    expect(await log(mixed.json.id)).toMatchObject({
      status: "failed",
      attempts: 1,
      lastError: "not sent: mixed.example.fr resolves to ::1, loopback (::1); webhooks only go to public addresses",
    });
    // no retries: a day later nothing more was attempted
    t.clock.advance(25 * 3600_000);
    await dispatcher.run();
    expect(asked.sort()).toEqual(["loop.example.fr", "mixed.example.fr"]);
    expect(hook.hosts).toEqual([]);
    expect(t.deps.db.prepare("SELECT status, attempts FROM webhook_deliveries ORDER BY pk").all()).toEqual([
      { status: "failed", attempts: 1 },
      { status: "failed", attempts: 1 },
    ]);
  });

  it("re-checks literal addresses at delivery: a loopback webhook registered in development is not called once that is switched off", async () => {
    const t = createTestApp({ config: { webhooksAllowPrivateTargets: true } });
    const owner = await ownerWithCompany(t);
    const hook = await receiver();
    closers.push(hook.close);
    const registered = await register(t, owner.token, owner.companyId, `http://127.0.0.1:${hook.port}/hook`);
    expect(registered.status).toBe(201);
    t.deps.config.webhooksAllowPrivateTargets = false;
    const dispatcher = new WebhookDispatcher(t.deps, { timeoutMs: 2_000 }).start();
    closers.push(() => dispatcher.stop());
    await issuedInvoice(t, owner);
    await dispatcher.idle();
    expect(hook.hosts).toEqual([]);
    const row = t.deps.db.prepare("SELECT status, attempts, last_error FROM webhook_deliveries").get();
    expect(row).toEqual({ status: "failed", attempts: 1, last_error: "not sent: 127.0.0.1 is loopback (127.0.0.0/8); webhooks only go to public addresses" });
  });

  it("connects to the resolved address it checked, not to a second DNS answer", async () => {
    const hook = await receiver();
    closers.push(hook.close);
    // receiver.invalid resolves nowhere (RFC 6761): reaching the server proves the pinned address was used
    const status = await postTo(new URL(`http://receiver.invalid:${hook.port}/hook`), [{ address: "127.0.0.1", family: 4 }], {
      headers: { "content-type": "application/json" },
      body: "{}",
      timeoutMs: 2_000,
    });
    expect(status).toBe(204);
    expect(hook.hosts).toEqual([`receiver.invalid:${hook.port}`]);
  });

  it("delivers through the injected resolver's answer where internal targets are allowed", async () => {
    const t = createTestApp({ config: { webhooksAllowPrivateTargets: true } });
    const owner = await ownerWithCompany(t);
    const hook = await receiver();
    closers.push(hook.close);
    const asked: string[] = [];
    const dispatcher = new WebhookDispatcher(t.deps, {
      timeoutMs: 2_000,
      resolve: async (hostname) => {
        asked.push(hostname);
        return [{ address: "127.0.0.1", family: 4 }];
      },
    }).start();
    closers.push(() => dispatcher.stop());
    expect((await register(t, owner.token, owner.companyId, `http://localhost:${hook.port}/hook`)).status).toBe(201);
    await issuedInvoice(t, owner);
    await dispatcher.idle();
    expect(asked).toEqual(["localhost"]);
    expect(hook.hosts).toEqual([`localhost:${hook.port}`]);
    expect(t.deps.db.prepare("SELECT status, attempts, last_status_code FROM webhook_deliveries").get()).toEqual({
      status: "delivered",
      attempts: 1,
      last_status_code: 204,
    });
  });
});
