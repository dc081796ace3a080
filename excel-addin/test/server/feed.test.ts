import { describe, expect, it } from "vitest";
import { PasserelleClient } from "@passerelle/shared/client";
import { createTestApp, issuedInvoice, ownerWithCompany } from "../../../api/test/helpers.js";
import { followChanges, type FeedEvent } from "../../src/api/feed.js";
import { currentSeq } from "../../src/api/data.js";

async function setUp(options: { eventsDown?: boolean } = {}) {
  const t = createTestApp();
  const owner = await ownerWithCompany(t);
  const fetch = async (url: string | URL | Request, init?: RequestInit) =>
    options.eventsDown && String(url).includes("/events") ? new Response("", { status: 503 }) : t.app.request(String(url), init);
  const client = new PasserelleClient({ baseUrl: "http://passerelle.test", token: owner.token, fetch });
  return { t, owner, client, fetch };
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
});
