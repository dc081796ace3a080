import { describe, expect, it } from "vitest";
import { PasserelleClient } from "@passerelle/shared/client";
import { MAX_STREAM_COMPANIES } from "@passerelle/shared";
import { createTestApp, issuedInvoice, ownerWithCompany } from "../../../api/test/helpers.js";
import { ACCOUNTANT_PASSWORD, invite, invitedAccountant } from "../../../api/test/access-helpers.js";
import { changeHub, followChanges, STREAM_COMPANIES, type FeedEvent } from "../../src/api/feed.js";
import { currentSeq } from "../../src/api/data.js";

async function setUp(options: { eventsDown?: boolean } = {}) {
  const t = createTestApp();
  const owner = await ownerWithCompany(t);
  const fetch = async (url: string | URL | Request, init?: RequestInit) =>
    options.eventsDown && String(url).includes("/events") ? new Response("", { status: 503 }) : t.app.request(String(url), init);
  const client = new PasserelleClient({ baseUrl: "http://passerelle.test", token: owner.token, fetch });
  return { t, owner, client, fetch };
}

/** An accountant of three companies, whose client counts the event streams it opens. */
async function accountantOfThree() {
  const t = createTestApp();
  const owners = [await ownerWithCompany(t), await ownerWithCompany(t), await ownerWithCompany(t)];
  const accountant = await invitedAccountant(t, owners[0]!);
  for (const owner of owners.slice(1)) {
    const { token } = await invite(t, owner, accountant.email);
    expect((await t.call("POST", "/invitations/accept", { body: { token, password: ACCOUNTANT_PASSWORD } })).status).toBe(200);
  }
  const opened: string[] = [];
  const fetch = async (url: string | URL | Request, init?: RequestInit) => {
    if (String(url).includes("/events")) opened.push(String(url));
    return t.app.request(String(url), init);
  };
  const client = new PasserelleClient({ baseUrl: "http://passerelle.test", token: accountant.token, fetch });
  return { t, owners, accountant, client, opened };
}

function collect() {
  const events: FeedEvent[] = [];
  return { events, on: (e: FeedEvent) => events.push(e) };
}

describe("following the change feed", () => {
  it("streams new sequences over Server-Sent Events", async () => {
    const { t, owner, client } = await setUp();
    const since = await currentSeq(client, owner.companyId);
    const { events, on } = collect();
    const stop = followChanges(client, owner.companyId, since, on);
    await new Promise((r) => setTimeout(r, 100));
    await issuedInvoice(t, owner, "2026-11-02");
    const after = await currentSeq(client, owner.companyId);
    await expect.poll(() => events.at(-1), { timeout: 5000 }).toEqual({ type: "seq", seq: after, mode: "sse" });
    stop();
  });

  it("falls back to polling /changes when the stream cannot be opened", async () => {
    const { t, owner, client } = await setUp({ eventsDown: true });
    const since = await currentSeq(client, owner.companyId);
    const { events, on } = collect();
    const stop = followChanges(client, owner.companyId, since, on, { pollMs: 50 });
    await issuedInvoice(t, owner, "2026-11-02");
    const after = await currentSeq(client, owner.companyId);
    await expect.poll(() => events.at(-1), { timeout: 5000 }).toEqual({ type: "seq", seq: after, mode: "polling" });
    stop();
  });

  it("reports the end of the stream when the session is signed out", async () => {
    const { owner, client, fetch } = await setUp();
    const since = await currentSeq(client, owner.companyId);
    const { events, on } = collect();
    followChanges(client, owner.companyId, since, on);
    await new Promise((r) => setTimeout(r, 100));
    await new PasserelleClient({ baseUrl: client.baseUrl, token: owner.token, fetch }).logout();
    await expect.poll(() => events.at(-1), { timeout: 5000 }).toEqual({ type: "ended", reason: "signed_out" });
  });

  it("follows every company over one stream, shared by every listener of the same session", async () => {
    const { t, owners, client, opened } = await accountantOfThree();
    const seen = owners.map(() => collect());
    // three listeners on the first company (a table, live mode, a formula), one on each other
    const stops = [
      ...owners.map((o, i) => followChanges(client, o.companyId, null, seen[i]!.on)),
      followChanges(new PasserelleClient({ baseUrl: client.baseUrl, token: client.token }), owners[0]!.companyId, null, () => undefined),
    ];
    const second = collect();
    stops.push(followChanges(client, owners[0]!.companyId, null, second.on));
    await expect.poll(() => opened.length).toBe(1);
    await new Promise((r) => setTimeout(r, 150));
    for (const [i, owner] of owners.entries()) {
      await issuedInvoice(t, owner, "2026-11-02");
      const seq = await currentSeq(client, owner.companyId);
      await expect.poll(() => seen[i]!.events.at(-1), { timeout: 3000 }).toEqual({ type: "seq", seq, mode: "sse" });
    }
    expect(second.events.at(-1)).toEqual(seen[0]!.events.at(-1));
    expect(opened).toHaveLength(1);
    expect(decodeURIComponent(new URL(opened[0]!).searchParams.get("companies")!).split(",").map((x) => x.split(":")[0]).sort()).toEqual(owners.map((o) => o.companyId).sort());
    expect(changeHub(client).companies).toBe(3);
    stops.forEach((stop) => stop());
    await expect.poll(() => changeHub(client).companies).toBe(0);
  });

  it("a company whose access is revoked ends for its listeners only; the others keep streaming", async () => {
    const { t, owners, accountant, client } = await accountantOfThree();
    const seen = owners.map(() => collect());
    const stops = owners.map((o, i) => followChanges(client, o.companyId, null, seen[i]!.on));
    await new Promise((r) => setTimeout(r, 200));
    expect((await t.call("DELETE", `/companies/${owners[1]!.companyId}/accountants/${accountant.user.id}`, { token: owners[1]!.token })).status).toBe(204);
    await expect.poll(() => seen[1]!.events.at(-1), { timeout: 3000 }).toEqual({ type: "ended", reason: "revoked" });
    await issuedInvoice(t, owners[2]!, "2026-11-02");
    const seq = await currentSeq(client, owners[2]!.companyId);
    await expect.poll(() => seen[2]!.events.at(-1), { timeout: 3000 }).toEqual({ type: "seq", seq, mode: "sse" });
    expect(seen[0]!.events).toEqual([]);
    expect(seen[1]!.events).toEqual([{ type: "ended", reason: "revoked" }]);
    stops.forEach((stop) => stop());
  });

  it("past the API's 200 companies a stream may name, follows all of the user's companies over one stream", async () => {
    const { t, owners, client, opened } = await accountantOfThree();
    const seen = collect();
    const others = Array.from({ length: STREAM_COMPANIES }, (_, i) => `autre-${i}`);
    const stops = [followChanges(client, owners[0]!.companyId, null, seen.on), ...others.map((id) => followChanges(client, id, null, () => undefined))];
    await expect.poll(() => opened.length).toBe(1);
    expect(new URL(opened[0]!).searchParams.has("companies")).toBe(false);
    await new Promise((r) => setTimeout(r, 150));
    await issuedInvoice(t, owners[0]!, "2026-11-02");
    const seq = await currentSeq(client, owners[0]!.companyId);
    await expect.poll(() => seen.events.at(-1), { timeout: 3000 }).toEqual({ type: "seq", seq, mode: "sse" });
    expect(opened).toHaveLength(1);
    stops.forEach((stop) => stop());
  });

  it("names at most as many companies as the API accepts in one stream", () => {
    expect(STREAM_COMPANIES).toBe(MAX_STREAM_COMPANIES);
  });
});
