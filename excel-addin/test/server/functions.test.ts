import { beforeAll, describe, expect, it } from "vitest";
import { PasserelleClient } from "@passerelle/shared/client";
import { createTestApp, issuedInvoice, ownerWithCompany, COMPANY } from "../../../api/test/helpers.js";
import { LiveFunctions, type CellError, type Matrix, type Sink } from "../../src/functions/live-functions.js";
import type { FeedEvent } from "../../src/api/feed.js";

let t: ReturnType<typeof createTestApp>;
let owner: Awaited<ReturnType<typeof ownerWithCompany>>;
let client: PasserelleClient;

/** A cell: what Excel would show after each update. */
function cell<T>() {
  const shown: (T | string)[] = [];
  const sink: Sink<T> = { result: (v) => shown.push(v), error: (e: CellError) => shown.push(`${e.code} ${e.message}`) };
  return { sink, shown, last: () => shown.at(-1) };
}

const settle = (ms = 60) => new Promise((r) => setTimeout(r, ms));

beforeAll(async () => {
  t = createTestApp();
  owner = await ownerWithCompany(t);
  client = new PasserelleClient({ baseUrl: "http://passerelle.test", token: owner.token, fetch: async (url, init) => t.app.request(String(url), init) });
  // 3 × 10,01 € at 20 %: VAT 6,01 € (rounded once per rate)
  await issuedInvoice(t, owner, "2026-10-05");
  await issuedInvoice(t, owner, "2026-11-02", [
    { description: "Pose", quantity: "2", unitPriceCents: 6800, vatRateBp: 1000, kind: "services" },
    { description: "Livre", quantity: "1", unitPriceCents: 2900, vatRateBp: 550, kind: "goods" },
  ]);
});

describe("PASSERELLE.TOTAL and PASSERELLE.JOURNAL", () => {
  it("answer many cells with one journal request, then follow the change feed", async () => {
    const listeners: ((e: FeedEvent) => void)[] = [];
    const engine = new LiveFunctions({
      client: () => client,
      lang: () => "fr",
      batchMs: 5,
      follow: (_c, _id, _since, onEvent) => (listeners.push(onEvent), () => undefined),
    });
    const ht = cell<number>();
    const vat = cell<number>();
    const ttc = cell<number>();
    const at20 = cell<number>();
    const vatAt55 = cell<number>();
    const october = cell<number>();
    const journal = cell<Matrix>();
    engine.total(COMPANY.name, "2026-01-01", "2026-12-31", null, null, ht.sink);
    engine.total("853 904 811", 46023, "31/12/2026", "TVA", null, vat.sink); // SIREN, a date cell, a French date
    engine.total(COMPANY.name.toUpperCase(), "2026-01-01", "2026-12-31", "TTC", null, ttc.sink);
    engine.total(COMPANY.name, "2026-01-01", "2026-12-31", "HT", 20, at20.sink);
    engine.total(COMPANY.name, "2026-01-01", "2026-12-31", "TVA", 0.055, vatAt55.sink);
    engine.total(COMPANY.name, "2026-10-01", "2026-10-31", "HT", null, october.sink);
    engine.journal(COMPANY.name, "2026-01-01", "2026-12-31", journal.sink);
    await settle();

    expect(engine.requests).toBe(1);
    expect(ht.last()).toBe(30.03 + 136 + 29);
    expect(vat.last()).toBeCloseTo(6.01 + 13.6 + 1.6, 10);
    expect(ttc.last()).toBeCloseTo(36.04 + 149.6 + 30.6, 10);
    expect(at20.last()).toBe(30.03);
    expect(vatAt55.last()).toBe(1.6);
    expect(october.last()).toBe(30.03);
    const matrix = journal.last() as Matrix;
    expect(matrix[0]).toEqual(["Date", "N° pièce", "Type", "Code client", "Client", "HT", "TVA", "TTC", "Statut"]);
    expect(matrix).toHaveLength(3);
    // a real date (Excel's day number), the status in the accountant's language
    expect(matrix[1]).toEqual([46300, matrix[1]![1], "Facture", "C0001", "Boulangerie Dupont", 30.03, 6.01, 36.04, "Émise"]);
    expect(matrix[1]![1]).toMatch(/^F/);

    await issuedInvoice(t, owner, "2026-11-15");
    expect(listeners).toHaveLength(1);
    listeners[0]!({ type: "seq", seq: 99, mode: "sse" });
    await settle();
    expect(engine.requests).toBe(2);
    expect(ht.last()).toBeCloseTo(30.03 * 2 + 136 + 29, 10);
    expect(october.last()).toBe(30.03);
    expect(journal.last()).toHaveLength(4);
  });

  it("PASSERELLE.JOURNAL speaks the accountant's language: English headers and statuses in English, real dates in both", async () => {
    const engine = new LiveFunctions({ client: () => client, lang: () => "en", batchMs: 5, follow: () => () => undefined });
    const journal = cell<Matrix>();
    engine.journal(COMPANY.name, "2026-10-01", "2026-10-31", journal.sink);
    await settle();
    const matrix = journal.last() as Matrix;
    expect(matrix[0]).toEqual(["Date", "Number", "Type", "Customer code", "Customer", "Excl. VAT", "VAT", "Incl. VAT", "Status"]);
    expect(matrix[1]).toEqual([46300, matrix[1]![1], "Invoice", "C0001", "Boulangerie Dupont", 30.03, 6.01, 36.04, "Issued"]);
  });

  it("show #N/A with a message when signed out, for an unknown company, and #VALUE! for a bad date", async () => {
    let signedIn = false;
    const engine = new LiveFunctions({ client: () => (signedIn ? client : null), lang: () => "fr", batchMs: 5, follow: () => () => undefined });
    const total = cell<number>();
    engine.total(COMPANY.name, "2026-01-01", "2026-12-31", null, null, total.sink);
    await settle();
    expect(total.last()).toBe("#N/A Connectez-vous dans le volet Passerelle.");

    signedIn = true;
    engine.sessionChanged();
    await settle();
    expect(total.last()).toBe(30.03 * 2 + 136 + 29);

    const unknown = cell<number>();
    engine.total("Société Inconnue", "2026-01-01", "2026-12-31", null, null, unknown.sink);
    const badDate = cell<number>();
    engine.total(COMPANY.name, "31/02/2026", "2026-12-31", null, null, badDate.sink);
    const badMeasure = cell<number>();
    engine.total(COMPANY.name, "2026-01-01", "2026-12-31", "marge", null, badMeasure.sink);
    await settle();
    expect(unknown.last()).toBe("#N/A Société inconnue ou non partagée avec vous : Société Inconnue");
    expect(badDate.last()).toBe("#VALUE! Date invalide : 31/02/2026");
    expect(badMeasure.last()).toBe("#VALUE! Mesure inconnue : marge (HT, TVA ou TTC)");
  });
});
