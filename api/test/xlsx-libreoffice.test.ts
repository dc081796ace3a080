/**
 * A spreadsheet application that is not our own reader opens the journal workbook: LibreOffice Calc
 * (Debian's libreoffice-calc-nogui, installed by .ci/run) converts every sheet to CSV as its cells
 * show, so the values, the number and date formats and the totals rows are checked as a user sees them.
 */
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createTestApp, issuedInvoice, ownerWithCompany } from "./helpers.js";
import { download } from "./export-support.js";

function sheetsAsShown(xlsx: Buffer): Record<string, string> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-lo-"));
  try {
    fs.writeFileSync(path.join(dir, "journal.xlsx"), xlsx);
    // comma-separated, UTF-8, every sheet (-1), cells as shown; a profile of its own so nothing else interferes
    const filter = 'csv:Text - txt - csv (StarCalc):44,34,76,1,,1033,false,true,true,false,false,-1';
    execFileSync("soffice", [`-env:UserInstallation=file://${dir}/profile`, "--headless", "--convert-to", filter, "--outdir", dir, path.join(dir, "journal.xlsx")], {
      stdio: "pipe",
      timeout: 120_000,
    });
    const sheets: Record<string, string> = {};
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".csv"))) {
      sheets[file.slice("journal-".length, -".csv".length)] = fs.readFileSync(path.join(dir, file), "utf8");
    }
    return sheets;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("the journal workbook in LibreOffice Calc", () => {
  it("opens with its three sheets, typed cells shown in their formats, and totals rows that add up", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const a = await issuedInvoice(t, o, "2026-11-02", [
      { description: "Étude", quantity: "3", unitPriceCents: 1001, vatRateBp: 2000, kind: "services" },
      { description: "Livre", quantity: "2", unitPriceCents: 2900, vatRateBp: 550, kind: "goods" },
    ]);
    await issuedInvoice(t, o, "2026-11-03", [{ description: "Conseil", quantity: "1.5", unitPriceCents: 80000, vatRateBp: 2000, kind: "services" }]);
    const credit = await t.call("POST", `/companies/${o.companyId}/invoices/${a.id}/credit-note`, {
      token: o.token,
      body: { issueDate: "2026-11-04", lines: [{ lineId: a.lines[1].id }] },
    });
    expect(credit.status).toBe(201);
    const paid = await t.call("POST", `/companies/${o.companyId}/payments`, { token: o.token, body: { invoiceId: a.id, amountCents: 3604, date: "2026-11-05", method: "card" } });
    expect(paid.status).toBe(201);

    const res = await download(t, `/companies/${o.companyId}/exports/sales-journal.xlsx?from=2026-11-01&to=2026-11-30`, o.token);
    expect(res.status).toBe(200);
    const sheets = sheetsAsShown(res.bytes);
    expect(Object.keys(sheets).sort()).toEqual(["Journal des ventes", "TVA par taux", "Écritures"]);
    expect(sheets["Journal des ventes"]!.split("\n")).toEqual([
      "Date,Numéro,Type,Code client,Client,Total HT,TVA,Total TTC,Réglé,Statut,Échéance,Facture d'origine",
      "02/11/2026,F2026-00001,Facture,C0001,Boulangerie Dupont,88.03 €,9.20 €,97.23 €,36.04 €,Réglée,02/12/2026,", // the credit note and the payment settle it
      '03/11/2026,F2026-00002,Facture,C0001,Boulangerie Dupont,"1,200.00 €",240.00 €,"1,440.00 €",0.00 €,Émise,03/12/2026,',
      "04/11/2026,AV2026-00001,Avoir,C0001,Boulangerie Dupont,-58.00 €,-3.19 €,-61.19 €,0.00 €,Émise,04/11/2026,F2026-00001",
      'Total,,,,,"1,230.03 €",246.01 €,"1,476.04 €",36.04 €,,,',
      "",
    ]);
    expect(sheets["TVA par taux"]!.split("\n")).toEqual([
      "Taux de TVA,Base HT,TVA,Total TTC",
      '20.0%,"1,230.03 €",246.01 €,"1,476.04 €"',
      "5.5%,0.00 €,0.00 €,0.00 €",
      'Total,"1,230.03 €",246.01 €,"1,476.04 €"',
      "",
    ]);
    expect(sheets["Écritures"]!.split("\n")).toEqual([
      "Journal,N° écriture,Date,Pièce,Compte,Libellé du compte,Compte auxiliaire,Libellé auxiliaire,Libellé,Débit,Crédit,Lettrage,Date de lettrage,Validée le",
      "VE,VE000001,02/11/2026,F2026-00001,411000,Clients,C0001,Boulangerie Dupont,Facture F2026-00001 Boulangerie Dupont,97.23 €,0.00 €,AA,05/11/2026,",
      "VE,VE000001,02/11/2026,F2026-00001,706000,Prestations de services,,,Facture F2026-00001 Boulangerie Dupont,0.00 €,30.03 €,,,",
      "VE,VE000001,02/11/2026,F2026-00001,707000,Ventes de marchandises,,,Facture F2026-00001 Boulangerie Dupont,0.00 €,58.00 €,,,",
      "VE,VE000001,02/11/2026,F2026-00001,4457120,TVA collectée 20 %,,,Facture F2026-00001 Boulangerie Dupont,0.00 €,6.01 €,,,",
      'VE,VE000001,02/11/2026,F2026-00001,4457105,"TVA collectée 5,5 %",,,Facture F2026-00001 Boulangerie Dupont,0.00 €,3.19 €,,,',
      'VE,VE000002,03/11/2026,F2026-00002,411000,Clients,C0001,Boulangerie Dupont,Facture F2026-00002 Boulangerie Dupont,"1,440.00 €",0.00 €,,,',
      'VE,VE000002,03/11/2026,F2026-00002,706000,Prestations de services,,,Facture F2026-00002 Boulangerie Dupont,0.00 €,"1,200.00 €",,,',
      "VE,VE000002,03/11/2026,F2026-00002,4457120,TVA collectée 20 %,,,Facture F2026-00002 Boulangerie Dupont,0.00 €,240.00 €,,,",
      "VE,VE000003,04/11/2026,AV2026-00001,707000,Ventes de marchandises,,,Avoir AV2026-00001 Boulangerie Dupont,58.00 €,0.00 €,,,",
      'VE,VE000003,04/11/2026,AV2026-00001,4457105,"TVA collectée 5,5 %",,,Avoir AV2026-00001 Boulangerie Dupont,3.19 €,0.00 €,,,',
      "VE,VE000003,04/11/2026,AV2026-00001,411000,Clients,C0001,Boulangerie Dupont,Avoir AV2026-00001 Boulangerie Dupont,0.00 €,61.19 €,AA,05/11/2026,",
      "BQ,BQ000001,05/11/2026,F2026-00001,512000,Banque,,,Règlement F2026-00001 Boulangerie Dupont,36.04 €,0.00 €,,,",
      "BQ,BQ000001,05/11/2026,F2026-00001,411000,Clients,C0001,Boulangerie Dupont,Règlement F2026-00001 Boulangerie Dupont,0.00 €,36.04 €,AA,05/11/2026,",
      'Total,,,,,,,,,"1,634.46 €","1,634.46 €",,,',
      "",
    ]);
  }, 180_000);
});
