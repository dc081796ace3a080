import { describe, expect, it } from "vitest";
import { accountCells, accountSheetNameFor, accountTableNameFor, rowInput, type AccountRow } from "../src/excel/account-sheet.js";

const ROWS: AccountRow[] = [
  { kind: "default", key: "services", label: "Prestations de services", account: "706000", origin: "default" },
  { kind: "journal", key: "bank", label: "Banque", account: "BQ", origin: "default" },
  { kind: "vatRate", key: "5,5 %", label: "TVA collectée 5,5 %", account: "4457105", origin: "default" },
  { kind: "customer", key: "C0007", label: "Hôtel des Célestins", account: "411000", auxAccount: "CELESTINS", origin: "override" },
  { kind: "product", key: "01a2-prd", label: "Pose", account: "706200", origin: "override" },
  { kind: "category", key: "Librairie", label: "Librairie", account: "", origin: "default" },
];
const SENT = [
  { kind: "default", key: "services", account: "706000" },
  { kind: "journal", key: "bank", account: "BQ" },
  { kind: "vatRate", key: "5,5 %", account: "4457105" },
  { kind: "customer", key: "C0007", account: "411000", auxAccount: "CELESTINS" },
  { kind: "product", key: "01a2-prd", account: "706200" },
  { kind: "category", key: "Librairie", account: "" },
];

describe("the Comptes sheet's cells", () => {
  it("shows kinds, defaults and journals in words, and reads them back as the API's keys, in French and in English", () => {
    const fr = accountCells(ROWS, "fr");
    expect(fr.slice(0, 4)).toEqual([
      ["Compte par défaut", "Services", "Prestations de services", "706000", "", "Par défaut", ""],
      ["Journal", "Banque", "Banque", "BQ", "", "Par défaut", ""],
      ["Taux de TVA", "5,5 %", "TVA collectée 5,5 %", "4457105", "", "Par défaut", ""],
      ["Client", "C0007", "Hôtel des Célestins", "411000", "CELESTINS", "Personnalisé", ""],
    ]);
    expect(fr.map(rowInput)).toEqual(SENT);
    expect(accountCells(ROWS, "en")[0]).toEqual(["Default account", "Services", "Prestations de services", "706000", "", "Default", ""]);
    expect(accountCells(ROWS, "en").map(rowInput)).toEqual(SENT);
  });

  it("reads what a person typed: numbers as text, any case, spaces trimmed; an unknown kind is sent as typed for the server to name", () => {
    expect(rowInput(["  client ", "C0007", "", 411100, " DUPONT ", "", ""])).toEqual({ kind: "customer", key: "C0007", account: "411100", auxAccount: "DUPONT" });
    expect(rowInput(["COMPTE PAR DÉFAUT", "marchandises", "", "707500", "", "", ""])).toEqual({ kind: "default", key: "goods", account: "707500" });
    expect(rowInput(["Fournisseur", "F001", "", "401000", "", "", ""])).toEqual({ kind: "Fournisseur", key: "F001", account: "401000" });
  });

  it("names the sheet and the table after the company", () => {
    expect(accountSheetNameFor("Maison Lumière SARL", "fr")).toBe("Maison Lumière SARL – Comptes");
    expect(accountSheetNameFor("Société des Établissements Réunis [Lyon]", "en")).toBe("Société des Établiss – Accounts") // 31 characters, Excel's longest sheet name;
    expect(accountTableNameFor("Maison Lumière SARL")).toBe("Comptes_Maison_Lumiere_SARL");
  });
});
