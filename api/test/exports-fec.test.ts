import { describe, expect, it } from "vitest";
import { fecRecordLine, fecRecords, type AccountingEntry } from "@passerelle/shared";
import { download, exportLog, sha256 } from "./export-support.js";
import { scenario } from "./export-scenario.js";
import { createTestApp, ownerWithCompany } from "./helpers.js";
import { accountantOf } from "./accounting-helpers.js";
import { checkFec, fecCents, type FecRow } from "./fec-check.js";

function groupEntries(rows: FecRow[]): FecRow[][] {
  const out: FecRow[][] = [];
  for (const r of rows) {
    const last = out.at(-1);
    if (last && last[0]!.EcritureNum === r.EcritureNum && last[0]!.JournalCode === r.JournalCode) last.push(r);
    else out.push([r]);
  }
  return out;
}

const sumOn = (rows: FecRow[], prefix: string, journal?: string) =>
  rows.filter((r) => r.CompteNum.startsWith(prefix) && (!journal || r.JournalCode === journal)).reduce((s, r) => s + fecCents(r.Credit) - fecCents(r.Debit), 0);

describe("FEC export (accounting.md §4)", () => {
  it("passes every rule of the layout on credit notes, four VAT rates, lettered and unlettered invoices and texts with tabs, pipes and line breaks", async () => {
    const { t, o, accountant, tricky } = await scenario();
    const res = await download(t, `/companies/${o.companyId}/exports/fec?from=2026-10-01&to=2026-11-30`, accountant.token);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(res.headers.get("content-disposition")).toContain('filename="853904811_VE-BQ_20261001_20261130.txt"');
    const fec = checkFec(res.bytes);
    expect(fec.entries).toBe(9); // 4 invoices, 2 credit notes, 3 payments
    const entries = groupEntries(fec.rows);
    expect(entries.map((e) => `${e[0]!.JournalCode} ${e[0]!.EcritureNum} ${e[0]!.EcritureDate} ${e[0]!.PieceRef}`)).toEqual([
      "VE VE000001 20261005 F2026-00001",
      "VE VE000002 20261012 F2026-00002",
      "BQ BQ000001 20261020 F2026-00001",
      "BQ BQ000002 20261025 F2026-00002",
      "VE VE000003 20261103 F2026-00003",
      "VE VE000004 20261105 AV2026-00001",
      "VE VE000005 20261110 F2026-00004",
      "VE VE000006 20261112 AV2026-00002",
      "BQ BQ000003 20261115 F2026-00004",
    ]);
    // texts: separators and line breaks became single spaces
    const trickyLine = fec.rows.find((r) => r.CompAuxNum === tricky.code)!;
    expect(trickyLine.CompAuxLib).toBe('Café "Le Zinc" Paris Nord Bis');
    expect(trickyLine.EcritureLib).toBe('Facture F2026-00002 Café "Le Zinc" Paris Nord Bis');
    expect(new Set(fec.rows.map((r) => r.JournalLib))).toEqual(new Set(["Ventes France", "Banque principale"]));
    expect(fec.rows.find((r) => r.CompteNum === "706000")!.CompteLib).toBe("Prestations de services FR");
    // the first invoice, line by line (3 × 10,01 at 20 % → 6,01; 2 × 23,50 at 5,5 % → 2,59)
    expect(entries[0]!.map((r) => [r.CompteNum, r.CompAuxNum, r.Debit, r.Credit, r.EcritureLet, r.DateLet, r.ValidDate])).toEqual([
      ["411000", "C0001", "85,63", "0,00", "AA", "20261020", "20261101"],
      ["706000", "", "0,00", "30,03", "", "", "20261101"],
      ["707000", "", "0,00", "47,00", "", "", "20261101"],
      ["4457120", "", "0,00", "6,01", "", "", "20261101"],
      ["4457105", "", "0,00", "2,59", "", "", "20261101"],
    ]);
    // lettering: settled invoices and what settled them share a code; the partly paid one has none
    const lettering = (e: FecRow[]) => e.filter((r) => r.CompteNum.startsWith("411")).map((r) => `${r.EcritureLet}/${r.DateLet}`);
    expect(entries.map(lettering)).toEqual([
      ["AA/20261020"],
      ["/"],
      ["AA/20261020"],
      ["/"],
      ["AB/20261105"],
      ["AB/20261105"],
      ["AC/20261115"],
      ["AC/20261115"],
      ["AC/20261115"],
    ]);
    // validation: October was locked on 1 November; November is open, dated the day of the export
    expect(entries.map((e) => e[0]!.ValidDate)).toEqual(["20261101", "20261101", "20261101", "20261101", "20261120", "20261120", "20261120", "20261120", "20261120"]);
  });

  it("reconciles with the sales journal to the cent", async () => {
    const { t, o, accountant } = await scenario();
    const fec = checkFec((await download(t, `/companies/${o.companyId}/exports/fec?from=2026-10-01&to=2026-11-30`, accountant.token)).bytes);
    const journal = await t.call("GET", `/companies/${o.companyId}/sales-journal?from=2026-10-01&to=2026-11-30`, { token: accountant.token });
    const totals = journal.json.totals;
    expect(sumOn(fec.rows, "70")).toBe(totals.htCents);
    expect(sumOn(fec.rows, "4457")).toBe(totals.vatCents);
    expect(-sumOn(fec.rows, "411", "VE")).toBe(totals.ttcCents);
    for (const r of totals.byRate as { vatRateBp: number; vatCents: number }[]) {
      const account = { 2000: "4457120", 1000: "4457110", 550: "4457105", 210: "4457102" }[r.vatRateBp]!;
      expect(sumOn(fec.rows, account)).toBe(r.vatCents);
    }
    const payments = await t.call("GET", `/companies/${o.companyId}/payments`, { token: accountant.token });
    const paid = (payments.json.items as { amountCents: number }[]).reduce((s, p) => s + p.amountCents, 0);
    expect(-sumOn(fec.rows, "512")).toBe(paid);
    expect(sumOn(fec.rows, "411", "BQ")).toBe(paid);
  });

  it("prints exactly the entries of GET /entries, line by line, lettering included", async () => {
    const { t, o, accountant } = await scenario();
    const fecBytes = (await download(t, `/companies/${o.companyId}/exports/fec?from=2026-10-01&to=2026-11-30`, accountant.token)).bytes;
    const entries = await t.call("GET", `/companies/${o.companyId}/entries?from=2026-10-01&to=2026-11-30&limit=1000`, { token: accountant.token });
    expect(entries.status).toBe(200);
    const expected = (entries.json.items as AccountingEntry[])
      .flatMap((e) => fecRecords(e, { unvalidatedDate: "2026-11-20" }))
      .map((r) => fecRecordLine(r, "tab"));
    const lines = fecBytes.toString("utf8").split("\r\n").slice(1, -1).map((l) => `${l}\r\n`);
    expect(lines).toEqual(expected);
  });

  it("writes the same file with `|` as separator", async () => {
    const { t, o, accountant } = await scenario();
    const tab = checkFec((await download(t, `/companies/${o.companyId}/exports/fec?from=2026-10-01&to=2026-11-30`, accountant.token)).bytes);
    const pipe = checkFec((await download(t, `/companies/${o.companyId}/exports/fec?from=2026-10-01&to=2026-11-30&separator=pipe`, accountant.token)).bytes, "|");
    expect(pipe.rows).toEqual(tab.rows);
  });

  it("names only a whole fiscal year with every journal `<SIREN>FEC<closing date>.txt`", async () => {
    const { t, o, accountant } = await scenario();
    const name = async (query: string) => (await download(t, `/companies/${o.companyId}/exports/fec?${query}`, accountant.token)).headers.get("content-disposition");
    expect(await name("from=2026-01-01&to=2026-12-31")).toContain('filename="853904811FEC20261231.txt"');
    expect(await name("from=2026-01-01&to=2026-12-31&journals=VE")).toContain('filename="853904811_VE_20260101_20261231.txt"');
    expect(await name("from=2026-01-01&to=2026-12-31&type=invoice")).toContain('filename="853904811_VE-BQ_20260101_20261231_filtre.txt"');
    expect(await name("from=2026-10-01&to=2026-10-31")).toContain('filename="853904811_VE-BQ_20261001_20261031.txt"');
    expect(await name("")).toContain('filename="853904811_VE-BQ_origine_20261120.txt"');
  });

  it("selects journals; the BQ numbers stay continuous; unknown journals are refused", async () => {
    const { t, o, accountant } = await scenario();
    const bq = checkFec((await download(t, `/companies/${o.companyId}/exports/fec?journals=BQ`, accountant.token)).bytes);
    expect([...new Set(bq.rows.map((r) => r.EcritureNum))]).toEqual(["BQ000001", "BQ000002", "BQ000003"]);
    const unknown = await download(t, `/companies/${o.companyId}/exports/fec?journals=VE,HA`, accountant.token);
    expect(unknown.status).toBe(422);
    expect(unknown.json.errors).toEqual([{ path: "journals", message: "HA is not a journal of this company (VE, BQ)" }]);
    const malformed = await download(t, `/companies/${o.companyId}/exports/fec?journals=ve;bq`, accountant.token);
    expect(malformed.status).toBe(422);
    expect(malformed.json.errors[0].path).toBe("journals");
    expect((await download(t, `/companies/${o.companyId}/exports/fec?separator=comma`, accountant.token)).status).toBe(422);
  });

  it("keeps the entries of one customer's documents (payments go with their invoice) and numbers them afresh per journal", async () => {
    const { t, o, accountant, tricky } = await scenario();
    const res = await download(t, `/companies/${o.companyId}/exports/fec?customerId=${tricky.id}`, accountant.token);
    const fec = checkFec(res.bytes);
    const entries = groupEntries(fec.rows);
    expect(entries.map((e) => `${e[0]!.EcritureNum} ${e[0]!.PieceRef}`)).toEqual([
      "VE000001 F2026-00002",
      "BQ000001 F2026-00002",
      "VE000002 F2026-00004",
      "VE000003 AV2026-00002",
      "BQ000002 F2026-00004",
    ]);
    expect(exportLog(t, o.companyId).at(-1)).toMatchObject({ kind: "fec", row_count: fec.rows.length, sha256: sha256(res.bytes) });
  });

  it("owner and accountant both export; the log keeps who, filters, lines and digest", async () => {
    const { t, o, accountant } = await scenario();
    const res = await download(t, `/companies/${o.companyId}/exports/fec?from=2026-10-01&to=2026-10-31&journals=VE`, o.token);
    expect(res.status).toBe(200);
    const log = await t.call("GET", `/companies/${o.companyId}/exports?kind=fec`, { token: accountant.token });
    expect(log.json.items).toEqual([
      expect.objectContaining({
        kind: "fec",
        fileName: "853904811_VE_20261001_20261031.txt",
        filters: { from: "2026-10-01", to: "2026-10-31", journals: "VE", separator: "tab", lock: "false" },
        rows: 10,
        bytes: res.bytes.length,
        sha256: sha256(res.bytes),
        lockedUntil: null,
        by: expect.objectContaining({ id: o.user.id }),
        detail: { legal: false, journals: ["VE"], separator: "tab", entries: 2, debitCents: 42463, creditCents: 42463, unvalidatedEntries: 0, renumbered: false },
      }),
    ]);
  });
});

describe("FEC export of a deposit and its balance invoice", () => {
  it("deposit on 4191, balance clearing it: every rule of the layout, and revenue, VAT and 411 reconcile with the sales journal to the cent", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const call = async (method: string, url: string, body: object, status: number) => {
      const res = await t.call(method, `/companies/${o.companyId}${url}`, { token: o.token, body });
      expect(res.status, res.text).toBe(status);
      return res.json;
    };
    const order = await call("POST", "/orders", {
      customerId: o.customerId,
      orderDate: "2026-11-02",
      lines: [
        { description: "Étude", quantity: "3", unitPriceCents: 1001, vatRateBp: 2000, kind: "services" },
        { description: "Livres", quantity: "2", unitPriceCents: 2350, vatRateBp: 550, kind: "goods" },
      ],
    }, 201);
    const deposit = await call("POST", `/orders/${order.id}/deposits`, { percentBp: 3000 }, 201);
    await call("POST", `/invoices/${deposit.id}/issue`, { issueDate: "2026-11-03" }, 200);
    await call("POST", "/payments", { invoiceId: deposit.id, amountCents: deposit.totals.ttcCents, date: "2026-11-04", method: "transfer" }, 201);
    const balance = await call("POST", `/orders/${order.id}/balance`, {}, 201);
    await call("POST", `/invoices/${balance.id}/issue`, { issueDate: "2026-11-16" }, 200);
    await call("POST", "/payments", { invoiceId: balance.id, amountCents: balance.totals.ttcCents, date: "2026-11-18", method: "transfer" }, 201);

    const accountant = await accountantOf(t, o.companyId);
    const fec = checkFec((await download(t, `/companies/${o.companyId}/exports/fec?from=2026-11-01&to=2026-11-30`, accountant.token)).bytes);
    const entries = groupEntries(fec.rows);
    // 30 % of 77,03 € = 23,11 €: 9,01 € at 20 % (VAT 1,80 €), 14,10 € at 5,5 % (VAT 0,78 €)
    expect(entries.map((e) => e.map((r) => [r.JournalCode, r.PieceRef, r.CompteNum, r.Debit, r.Credit, r.EcritureLet]))).toEqual([
      [
        ["VE", "F2026-00001", "411000", "25,69", "0,00", "AA"],
        ["VE", "F2026-00001", "419100", "0,00", "23,11", ""],
        ["VE", "F2026-00001", "4457120", "0,00", "1,80", ""],
        ["VE", "F2026-00001", "4457105", "0,00", "0,78", ""],
      ],
      [
        ["BQ", "F2026-00001", "512000", "25,69", "0,00", ""],
        ["BQ", "F2026-00001", "411000", "0,00", "25,69", "AA"],
      ],
      [
        ["VE", "F2026-00002", "411000", "59,94", "0,00", "AB"],
        ["VE", "F2026-00002", "419100", "23,11", "0,00", ""],
        ["VE", "F2026-00002", "706000", "0,00", "30,03", ""],
        ["VE", "F2026-00002", "707000", "0,00", "47,00", ""],
        ["VE", "F2026-00002", "4457120", "0,00", "4,21", ""],
        ["VE", "F2026-00002", "4457105", "0,00", "1,81", ""],
      ],
      [
        ["BQ", "F2026-00002", "512000", "59,94", "0,00", ""],
        ["BQ", "F2026-00002", "411000", "0,00", "59,94", "AB"],
      ],
    ]);
    expect(entries[0]![1]!.CompteLib).toBe("Clients - Avances et acomptes reçus sur commandes");
    expect(entries[0]![0]!.EcritureLib).toBe("Facture d'acompte F2026-00001 Boulangerie Dupont");
    expect(entries[2]![0]!.EcritureLib).toBe("Facture de solde F2026-00002 Boulangerie Dupont");
    expect(sumOn(fec.rows, "4191")).toBe(0);
    const journal = (await t.call("GET", `/companies/${o.companyId}/sales-journal?from=2026-11-01&to=2026-11-30`, { token: accountant.token })).json;
    expect(journal.totals).toMatchObject({ htCents: 7703, vatCents: 860, ttcCents: 8563 });
    expect(sumOn(fec.rows, "70")).toBe(journal.totals.htCents);
    expect(sumOn(fec.rows, "4457")).toBe(journal.totals.vatCents);
    expect(sumOn(fec.rows, "4457120")).toBe(601);
    expect(sumOn(fec.rows, "4457105")).toBe(259);
    expect(-sumOn(fec.rows, "411", "VE")).toBe(journal.totals.ttcCents);
  });
});

describe("export and lock (lock=true)", () => {
  it("locks the period and exports its now validated entries in one step; exporting again gives the same bytes", async () => {
    const { t, o, accountant } = await scenario();
    const res = await download(t, `/companies/${o.companyId}/exports/fec?from=2026-11-01&to=2026-11-19&lock=true`, accountant.token);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-export-sha256")).toBe(sha256(res.bytes));
    expect(res.headers.get("content-length")).toBe(String(res.bytes.length));
    const fec = checkFec(res.bytes);
    expect(new Set(fec.rows.map((r) => r.ValidDate))).toEqual(new Set(["20261120"]));
    expect(groupEntries(fec.rows)).toHaveLength(5);
    const locks = await t.call("GET", `/companies/${o.companyId}/locks`, { token: accountant.token });
    expect(locks.json.lockedUntil).toBe("2026-11-19");
    expect(exportLog(t, o.companyId)).toEqual([
      expect.objectContaining({ kind: "fec", locked_until: "2026-11-19", sha256: sha256(res.bytes), actor_id: accountant.user.id }),
    ]);
    const actions = t.deps.db.prepare("SELECT action FROM activity WHERE company_id = ? ORDER BY seq DESC LIMIT 2").pluck().all(o.companyId);
    expect(actions).toEqual(["export.made", "period.locked"]);
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM frozen_entries WHERE company_id = ?").pluck().get(o.companyId)).toBe(9);

    // the frozen entries never change: new account codes, same file
    await t.call("PUT", `/companies/${o.companyId}/accounting/settings`, { token: accountant.token, body: { accounts: { services: "706100" } } });
    const again = await download(t, `/companies/${o.companyId}/exports/fec?from=2026-11-01&to=2026-11-19`, accountant.token);
    expect(sha256(again.bytes)).toBe(sha256(res.bytes));
  });

  it("is for accountants, needs `to`, a past date and no document filter; a refused request locks nothing", async () => {
    const { t, o, accountant, tricky } = await scenario();
    const owner = await download(t, `/companies/${o.companyId}/exports/fec?to=2026-11-19&lock=true`, o.token);
    expect(owner.status).toBe(403);
    const noTo = await download(t, `/companies/${o.companyId}/exports/fec?lock=true`, accountant.token);
    expect(noTo.status).toBe(422);
    expect(noTo.json.errors[0].path).toBe("to");
    const future = await download(t, `/companies/${o.companyId}/exports/fec?to=2026-12-31&lock=true`, accountant.token);
    expect(future.status).toBe(422);
    expect(future.json.errors).toEqual([{ path: "to", message: "must not be in the future when locking (today is 2026-11-20)" }]);
    const filtered = await download(t, `/companies/${o.companyId}/exports/fec?to=2026-11-19&lock=true&customerId=${tricky.id}`, accountant.token);
    expect(filtered.status).toBe(422);
    expect(filtered.json.errors[0].path).toBe("lock");
    const backwards = await download(t, `/companies/${o.companyId}/exports/fec?to=2026-10-15&lock=true`, accountant.token);
    expect(backwards.status).toBe(409);
    const locks = await t.call("GET", `/companies/${o.companyId}/locks`, { token: accountant.token });
    expect(locks.json.lockedUntil).toBe("2026-10-31");
    expect(exportLog(t, o.companyId)).toEqual([]);
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM frozen_entries WHERE company_id = ?").pluck().get(o.companyId)).toBe(4);
  });
});

describe("the FEC checker used above", () => {
  it("refuses a file as soon as one rule of §4 is broken", async () => {
    const { t, o, accountant } = await scenario();
    const good = (await download(t, `/companies/${o.companyId}/exports/fec?from=2026-10-01&to=2026-11-30`, accountant.token)).bytes.toString("utf8");
    expect(() => checkFec(Buffer.from(good))).not.toThrow();
    const lines = good.split("\r\n");
    const edit = (i: number, f: (cells: string[]) => void) => {
      const copy = [...lines];
      const cells = copy[i]!.split("\t");
      f(cells);
      copy[i] = cells.join("\t");
      return Buffer.from(copy.join("\r\n"));
    };
    const broken: [string, Buffer][] = [
      ["UTF-8", Buffer.concat([Buffer.from(good.slice(0, 50)), Buffer.from([0xff]), Buffer.from(good.slice(50))])],
      ["CR LF", Buffer.from(good.replaceAll("\r\n", "\n"))],
      ["18 field names", Buffer.from(good.replace("Montantdevise", "MontantDevise"))],
      ["18 fields", edit(1, (c) => c.push("extra"))],
      ["mandatory", edit(1, (c) => (c[5] = ""))],
      ["filled together", edit(1, (c) => (c[7] = ""))],
      ["real date", edit(1, (c) => (c[3] = "20261305"))],
      ["decimal comma", edit(1, (c) => (c[11] = "85.63"))],
      ["3 digits", edit(1, (c) => (c[4] = "C0001"))],
      ["ValidDate", edit(1, (c) => (c[15] = "20261001"))],
      ["balances", edit(2, (c) => (c[12] = "30,04"))],
    ];
    // renumber the whole second entry (lines 6–10): a gap in the VE sequence
    const gap = lines.map((l, i) => (i >= 6 && i <= 10 ? l.replace("\tVE000002\t", "\tVE000005\t") : l)).join("\r\n");
    broken.push(["continuous", Buffer.from(gap)]);
    for (const [rule, bytes] of broken) expect(() => checkFec(bytes), rule).toThrow(new RegExp(rule));
    // chronological order: swap two entries of different dates
    const swapped = [lines[0]!, ...lines.slice(6, 11), ...lines.slice(1, 6), ...lines.slice(11)].join("\r\n");
    expect(() => checkFec(Buffer.from(swapped))).toThrow(/chronological|continuous/);
  });
});
