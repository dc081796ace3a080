/**
 * "Tout actualiser" goes on past a table that fails — deleted, widened by the user, refused by
 * Excel — and says why in French, for each table, over a fake workbook.
 */
import { describe, expect, it } from "vitest";
import { FakeWorkbook } from "../src/fake-excel/index.js";
import { insertTable, refreshTable, TableWidenedError, type SheetTableSpec } from "../src/excel/writer.js";
import type { CellValue } from "../src/excel/host.js";
import type { SavedTable } from "../src/excel/saved-tables.js";
import { refreshEach } from "../src/taskpane/refresh-all.js";
import { explain } from "../src/taskpane/errors.js";
import { strings } from "../src/taskpane/i18n.js";

const fr = strings("fr");
const en = strings("en");

function spec(company: string, rows: CellValue[][]): SheetTableSpec {
  return {
    sheetName: `${company} – Ventes`,
    tableName: `Ventes_${company}`,
    title: "Passerelle — Journal des ventes",
    lines: [{ label: "Société", value: company, kind: "text" }],
    totalLabel: "Total",
    columns: [
      { header: "N° pièce", kind: "text" },
      { header: "TTC", kind: "money", total: true },
    ],
    rows,
  };
}

const COMPANIES = ["Alpha", "Bravo", "Charlie", "Delta"];

/** Four tables of one row each; refreshing one writes two rows. */
async function workbook(): Promise<{ wb: FakeWorkbook; saved: SavedTable[] }> {
  const wb = new FakeWorkbook();
  const saved: SavedTable[] = [];
  for (const company of COMPANIES) {
    const written = await insertTable(wb.run, spec(company, [["F1", 120]]));
    saved.push({ tableName: written.tableName, sheetName: written.sheetName, rows: 1 } as SavedTable);
  }
  return { wb, saved };
}

const refreshOne = (wb: FakeWorkbook) => async (table: SavedTable) => {
  const company = table.tableName.replace("Ventes_", "");
  const written = await refreshTable(wb.run, spec(company, [["F1", 120], ["F2", 240]]));
  return { ...table, sheetName: written.sheetName, rows: written.rows };
};

describe("Tout actualiser", () => {
  it("refreshes every table it can, and says in French why each other one failed", async () => {
    const { wb, saved } = await workbook();
    wb.convertTableToRange("Ventes_Alpha"); // the user converted it to a plain range
    wb.type("'Bravo – Ventes'!C4", "Commentaire"); // the user typed a header next to it: the table grew
    expect(wb.table("Ventes_Bravo").headers).toEqual(["N° pièce", "TTC", "Commentaire"]);
    // Alpha's lookup takes one request, Bravo's two: Charlie's first request, the fourth, is refused
    wb.failSync(4);
    const outcomes = await refreshEach(saved, refreshOne(wb));
    expect(outcomes.map((o) => [o.tableName, o.ok, o.ok ? o.rows : explain(o.error, fr).message])).toEqual([
      ["Ventes_Alpha", false, "La table Ventes_Alpha a été supprimée du classeur."],
      [
        "Ventes_Bravo",
        false,
        "La table Ventes_Bravo compte 3 colonnes, Passerelle n'en écrit que 2 : retirez les colonnes ajoutées à sa droite, ou insérez-la à nouveau dans une nouvelle feuille.",
      ],
      ["Ventes_Charlie", false, "Excel n'a pas pu enregistrer la mise à jour (GeneralException) : relancez l'actualisation."],
      ["Ventes_Delta", true, 2],
    ]);
    expect(wb.table("Ventes_Delta").rows).toEqual([["F1", 120], ["F2", 240]]);
    expect(wb.table("Ventes_Charlie").rows).toEqual([["F1", 120]]);
    expect(wb.table("Ventes_Bravo").rows).toEqual([["F1", 120, ""]]);
    // the same messages in English for an English Office
    const charlie = outcomes[2]!;
    expect(charlie.ok ? null : explain(charlie.error, en).message).toBe("Excel could not save the update (GeneralException): refresh again.");
    // once Excel answers again, Charlie refreshes
    expect(await refreshEach([saved[2]!], refreshOne(wb))).toEqual([{ tableName: "Ventes_Charlie", sheetName: "Charlie – Ventes", ok: true, rows: 2 }]);
  });

  it("a refusal in the middle of a table's refresh leaves the others going, and a refresh after it puts the table right", async () => {
    const { wb, saved } = await workbook();
    // Alpha: two requests to find the table, one to make room, one for the body, then the one that
    // resizes it and writes its header block — that fifth one is refused
    wb.failSync(5, "RequestAborted");
    const outcomes = await refreshEach(saved, refreshOne(wb));
    expect(outcomes.map((o) => (o.ok ? o.rows : explain(o.error, fr).message))).toEqual([
      "Excel n'a pas pu enregistrer la mise à jour (RequestAborted) : relancez l'actualisation.",
      2,
      2,
      2,
    ]);
    // the refused resize was not applied: the table still ends where it did, its second row below it
    expect(wb.table("Ventes_Alpha").rows).toEqual([["F1", 120]]);
    expect(wb.values("'Alpha – Ventes'!A6:B6")).toEqual([["F2", 240]]);
    const [again] = await refreshEach([saved[0]!], refreshOne(wb));
    expect(again).toEqual({ tableName: "Ventes_Alpha", sheetName: "Alpha – Ventes", ok: true, rows: 2 });
    expect(wb.table("Ventes_Alpha").rows).toEqual([["F1", 120], ["F2", 240]]);
  });

  it("a table the user widened is not refreshed over the user's column when new columns come (a new VAT rate)", async () => {
    const wb = new FakeWorkbook();
    await insertTable(wb.run, spec("Alpha", [["F1", 120]]));
    wb.type("'Alpha – Ventes'!C4", "Commentaire");
    wb.type("'Alpha – Ventes'!C5", "relancer le client");
    const wider = spec("Alpha", [["F1", 120, 100, 20], ["F2", 240, 200, 40]]);
    wider.columns.push({ header: "Base HT 20 %", kind: "money", total: true }, { header: "TVA 20 %", kind: "money", total: true });
    const refused = await refreshTable(wb.run, wider, { knownColumns: 2 }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(TableWidenedError);
    expect(explain(refused, fr).message).toBe(
      "La table Ventes_Alpha compte 3 colonnes, Passerelle n'en écrit que 2 : retirez les colonnes ajoutées à sa droite, ou insérez-la à nouveau dans une nouvelle feuille.",
    );
    expect(wb.table("Ventes_Alpha").headers).toEqual(["N° pièce", "TTC", "Commentaire"]);
    expect(wb.table("Ventes_Alpha").rows).toEqual([["F1", 120, "relancer le client"]]);
  });

  it("stops at once when the accountant cancels", async () => {
    const { wb, saved } = await workbook();
    let calls = 0;
    const cancelled = await refreshEach(saved, async (table) => {
      calls++;
      if (calls === 2) throw new DOMException("Chargement annulé", "AbortError");
      return refreshOne(wb)(table);
    }).catch((e: unknown) => (e as DOMException).name);
    expect(cancelled).toBe("AbortError");
    expect(calls).toBe(2);
    expect(explain(new DOMException("x", "AbortError"), fr).message).toBe("Chargement annulé : le classeur n'a pas été modifié.");
  });

  it("stops at once, with one sentence, when the server cannot be reached: every table would fail alike", async () => {
    const { wb, saved } = await workbook();
    let calls = 0;
    const offline = await refreshEach(saved, async (table) => {
      calls++;
      if (calls === 2) throw new TypeError("Failed to fetch");
      return refreshOne(wb)(table);
    }).catch((e: unknown) => explain(e, fr).message);
    expect(offline).toBe("Serveur injoignable : vérifiez votre connexion ou l'adresse du serveur.");
    expect(calls).toBe(2);
    expect(wb.table("Ventes_Alpha").rows).toEqual([["F1", 120], ["F2", 240]]);
    expect(wb.table("Ventes_Bravo").rows).toEqual([["F1", 120]]);
  });

  it("an insert whose sheet name and its 19 numbered variants are all taken says so in French", async () => {
    const wb = new FakeWorkbook();
    for (let i = 0; i < 20; i++) await insertTable(wb.run, spec("Alpha", [["F1", 120]]));
    expect(wb.sheetNames().at(-1)).toBe("Alpha – Ventes (20)");
    const refused = await insertTable(wb.run, spec("Alpha", [["F1", 120]])).catch((e: unknown) => explain(e, fr).message);
    expect(refused).toBe("« Alpha – Ventes » et ses variantes numérotées sont déjà prises dans ce classeur : renommez ou supprimez l'une d'elles.");
    expect(wb.sheetNames()).toHaveLength(21);
  });

  it("a cell being edited, and an unexpected error, read as French sentences too", () => {
    const cellEdit = Object.assign(new Error("The request cannot run while a cell is being edited."), { name: "RichApi.Error", code: "InvalidOperationInCellEditMode" });
    expect(explain(cellEdit, fr).message).toBe("Une cellule est en cours de saisie dans Excel : validez-la, puis relancez l'actualisation.");
    const original = console.error;
    console.error = () => undefined;
    try {
      expect(explain(new Error("Row 3 has 4 cells; the table has 5 columns."), fr).message).toBe(
        "Erreur inattendue dans le complément : relancez l'action ; si elle se reproduit, signalez-la.",
      );
    } finally {
      console.error = original;
    }
  });
});
