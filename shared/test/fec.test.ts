import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  FEC_FIELDS,
  fecAmount,
  fecDescriptif,
  fecEntryText,
  fecFileName,
  fecHeader,
  fecRecordLine,
  fecRecords,
  fecText,
  fiscalYearOf,
  type FecDescription,
} from "../src/fec.js";
import type { AccountingEntry } from "../src/entries.js";

const ENTRY: AccountingEntry = {
  journal: "sales",
  journalCode: "VE",
  journalLabel: "Ventes",
  entryNumber: "VE000007",
  sequence: 7,
  date: "2026-11-02",
  pieceRef: "F2026-00001",
  pieceDate: "2026-11-02",
  label: "Facture F2026-00001 Boulangerie Dupont",
  source: { kind: "invoice", id: "i1", invoiceId: "i1" },
  validatedOn: null,
  lines: [
    { account: "411000", accountLabel: "Clients", auxAccount: "C0001", auxLabel: "Boulangerie\tDupont | Fils\r\n", label: "Facture F2026-00001", debitCents: 123456, creditCents: 0, lettering: "AA", letteringDate: "2026-11-10" },
    { account: "706000", accountLabel: "Prestations de services", label: "Facture F2026-00001", debitCents: 0, creditCents: 102880 },
    { account: "4457120", accountLabel: "", label: "", debitCents: 0, creditCents: 20576 },
  ],
};

describe("FEC fields", () => {
  it("amounts have a decimal comma, two decimals and no thousands separator", () => {
    expect(fecAmount(0)).toBe("0,00");
    expect(fecAmount(5)).toBe("0,05");
    expect(fecAmount(123456789)).toBe("1234567,89");
    expect(fecAmount(-1234)).toBe("-12,34");
    expect(() => fecAmount(1.5)).toThrow(RangeError);
  });

  it("texts lose tabs, pipes, CR, LF and control characters; runs of spaces shrink", () => {
    expect(fecText("Dupont\t|\r\nFils  & Cie ")).toBe("Dupont Fils & Cie");
    expect(fecText("a\u0000b\u2028c")).toBe("a b c");
    expect(fecText(null)).toBe("");
  });

  it("no text, whatever it holds, can carry a separator or a line break (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 60 }), (s) => {
        const out = fecText(s);
        expect(out).not.toMatch(/[\t|\r\n]/);
        expect(out).toBe(out.trim());
      }),
    );
  });

  it("texts that need no cleaning come back as they are, and every text is cleaned as the three rules say (property)", () => {
    const byTheRules = (s: string) => s.replace(/[\u0000-\u001f\u007f|\u2028\u2029]/g, " ").replace(/ {2,}/g, " ").trim();
    const texts = fc.oneof(
      fc.string({ unit: "binary", maxLength: 60 }),
      fc.string({ unit: fc.constantFrom("a", " ", "\t", "|", "\u00a0", "\ufeff", "\u2028", "\u3000", "é"), maxLength: 12 }),
    );
    fc.assert(
      fc.property(texts, (s) => {
        expect(fecText(s)).toBe(byTheRules(s));
      }),
      { numRuns: 2000 },
    );
    expect(fecText(" Dupont")).toBe("Dupont");
    expect(fecText("Dupont\u00a0")).toBe("Dupont");
    const clean = "Menuiserie Dupont & Fils";
    expect(fecText(clean)).toBe(clean);
  });

  it("amounts read back exactly (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: -99_999_999_999, max: 99_999_999_999 }), (cents) => {
        const m = /^(-?)(\d+),(\d{2})$/.exec(fecAmount(cents))!;
        expect((m[1] ? -1 : 1) * (Number(m[2]) * 100 + Number(m[3]))).toBe(cents);
      }),
    );
  });
});

describe("FEC records of an entry", () => {
  it("fills the 18 fields: dates YYYYMMDD, both amounts, pairs together, export date as ValidDate while not validated", () => {
    const [customer, revenue, vat] = fecRecords(ENTRY, { unvalidatedDate: "2026-11-20" });
    expect(customer).toEqual({
      JournalCode: "VE",
      JournalLib: "Ventes",
      EcritureNum: "VE000007",
      EcritureDate: "20261102",
      CompteNum: "411000",
      CompteLib: "Clients",
      CompAuxNum: "C0001",
      CompAuxLib: "Boulangerie Dupont Fils",
      PieceRef: "F2026-00001",
      PieceDate: "20261102",
      EcritureLib: "Facture F2026-00001",
      Debit: "1234,56",
      Credit: "0,00",
      EcritureLet: "AA",
      DateLet: "20261110",
      ValidDate: "20261120",
      Montantdevise: "",
      Idevise: "",
    });
    expect([revenue!.CompAuxNum, revenue!.CompAuxLib, revenue!.EcritureLet, revenue!.DateLet, revenue!.Debit, revenue!.Credit]).toEqual(["", "", "", "", "0,00", "1028,80"]);
    // mandatory texts never come out empty
    expect(vat!.CompteLib).toBe("Compte 4457120");
    expect(vat!.EcritureLib).toBe("Facture F2026-00001 Boulangerie Dupont");
  });

  it("takes the lock date as ValidDate once validated, and never a date before the entry", () => {
    expect(fecRecords({ ...ENTRY, validatedOn: "2026-11-05" }, { unvalidatedDate: "2026-11-20" })[0]!.ValidDate).toBe("20261105");
    expect(fecRecords(ENTRY, { unvalidatedDate: "2026-11-01" })[0]!.ValidDate).toBe("20261102");
  });

  it("drops a half pair: lettering without a date, an auxiliary label without an account", () => {
    const entry: AccountingEntry = {
      ...ENTRY,
      lines: [{ account: "411000", accountLabel: "Clients", auxLabel: "Orphan", label: "x", debitCents: 1, creditCents: 0, lettering: "AB" }],
    };
    const [r] = fecRecords(entry, { unvalidatedDate: "2026-11-20" });
    expect([r!.CompAuxNum, r!.CompAuxLib, r!.EcritureLet, r!.DateLet]).toEqual(["", "", "", ""]);
  });

  it("writes the header and records with the chosen separator and CR LF", () => {
    expect(fecHeader("tab")).toBe(FEC_FIELDS.join("\t") + "\r\n");
    const text = fecEntryText(ENTRY, "pipe", { unvalidatedDate: "2026-11-20", entryNumber: "VE000001" });
    const lines = text.split("\r\n");
    expect(lines).toHaveLength(4);
    expect(lines[0]).toBe("VE|Ventes|VE000001|20261102|411000|Clients|C0001|Boulangerie Dupont Fils|F2026-00001|20261102|Facture F2026-00001|1234,56|0,00|AA|20261110|20261120||");
    expect(lines.slice(0, 3).every((l) => l.split("|").length === 18)).toBe(true);
  });
});

describe("FEC text of an entry", () => {
  it("is the text of its records, line by line, whatever the fields hold (property)", () => {
    const text = fc.oneof(fc.constantFrom("", " ", "VE", "411000", "Clients", "F2026-00001"), fc.string({ unit: fc.constantFrom("a", "É", " ", "\t", "|", "\r", "\n", "\u2028", "-"), maxLength: 10 }));
    const day = fc.date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2030-12-31T00:00:00Z"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
    const cents = fc.integer({ min: -10_000_000, max: 10_000_000 });
    const line = fc.record(
      { account: text, accountLabel: text, auxAccount: text, auxLabel: text, label: text, debitCents: cents, creditCents: cents, lettering: text, letteringDate: day },
      { requiredKeys: ["account", "accountLabel", "label", "debitCents", "creditCents"] },
    );
    const entry = fc.record({
      journalCode: text,
      journalLabel: text,
      entryNumber: text,
      date: day,
      pieceRef: text,
      pieceDate: fc.oneof(day, fc.constant("")),
      label: text,
      validatedOn: fc.oneof(day, fc.constant(null)),
      lines: fc.array(line, { maxLength: 5 }),
    });
    const options = fc.record({ unvalidatedDate: day, entryNumber: text }, { requiredKeys: ["unvalidatedDate"] });
    fc.assert(
      fc.property(entry, options, fc.constantFrom("tab" as const, "pipe" as const), (e, o, separator) => {
        const full: AccountingEntry = { ...e, journal: "sales", sequence: 1, source: { kind: "invoice", id: "i1", invoiceId: "i1" } };
        expect(fecEntryText(full, separator, o)).toBe(fecRecords(full, o).map((r) => fecRecordLine(r, separator)).join(""));
      }),
      { numRuns: 3000 },
    );
  });
});

describe("FEC file names and fiscal years", () => {
  it("gives the legal name only to a whole fiscal year without filters", () => {
    const base = { siren: "853904811", journals: ["VE", "BQ"] };
    expect(fecFileName({ ...base, from: "2026-01-01", to: "2026-12-31", wholeFiscalYear: true, filtered: false })).toBe("853904811FEC20261231.txt");
    expect(fecFileName({ ...base, from: "2026-01-01", to: "2026-12-31", wholeFiscalYear: true, filtered: true })).toBe("853904811_VE-BQ_20260101_20261231_filtre.txt");
    expect(fecFileName({ ...base, from: "2026-10-01", to: "2026-10-31", wholeFiscalYear: false, filtered: false })).toBe("853904811_VE-BQ_20261001_20261031.txt");
    expect(fecFileName({ ...base, journals: ["VE"], from: null, to: "2026-10-31", wholeFiscalYear: false, filtered: false })).toBe("853904811_VE_origine_20261031.txt");
  });

  it("finds the fiscal year of a date, for calendar and offset years (leap days included)", () => {
    expect(fiscalYearOf("2026-11-20", "01-01")).toEqual({ from: "2026-01-01", to: "2026-12-31" });
    expect(fiscalYearOf("2026-03-15", "07-01")).toEqual({ from: "2025-07-01", to: "2026-06-30" });
    expect(fiscalYearOf("2026-07-01", "07-01")).toEqual({ from: "2026-07-01", to: "2027-06-30" });
    expect(fiscalYearOf("2027-12-01", "03-01")).toEqual({ from: "2027-03-01", to: "2028-02-29" });
  });
});

describe("the FEC descriptif", () => {
  const description: FecDescription = {
    companyName: "Atelier Test SARL",
    siren: "853904811",
    fileName: "853904811FEC20261231.txt",
    legal: true,
    from: "2026-01-01",
    to: "2026-12-31",
    exportedOn: "2027-01-15",
    separator: "tab",
    journals: [
      { code: "VE", label: "Ventes" },
      { code: "BQ", label: "Banque" },
    ],
    lockedUntil: "2026-11-30",
    renumbered: false,
    filters: {},
    entries: 12,
    lines: 40,
    debitCents: 123456,
    creditCents: 123456,
    unvalidatedEntries: 3,
    accounts: [
      { number: "411000", label: "Clients" },
      { number: "706000", label: "Prestations de services" },
    ],
    sha256: "ab".repeat(32),
  };

  it("states fields, codes, encoding, validation and control totals, in French", () => {
    const text = fecDescriptif(description);
    expect(text.endsWith("\r\n")).toBe(true);
    const lines = text.split("\r\n");
    expect(lines).toContain("Fichier : 853904811FEC20261231.txt");
    expect(lines).toContain("Nature : fichier des écritures comptables de l'exercice du 01/01/2026 au 31/12/2026 (article A47 A-1 du livre des procédures fiscales).");
    expect(lines).toContain("- Encodage UTF-8 sans BOM ; enregistrements séparés par CR LF ; première ligne : noms des 18 champs.");
    expect(lines).toContain("- Séparateur de champs : tabulation.");
    expect(lines).toContain("- VE : Ventes");
    expect(lines).toContain("- 706000 : Prestations de services");
    expect(lines).toContain("- Les écritures datées jusqu'au 30/11/2026 inclus sont validées : période verrouillée, ValidDate = date du verrouillage.");
    expect(lines).toContain("- 3 écriture(s) d'une période ouverte ne sont pas validées : elles peuvent encore changer ; leur ValidDate est la date d'export (15/01/2027).");
    expect(lines).toContain("- Total des débits : 1234,56 ; total des crédits : 1234,56.");
    expect(lines).toContain(`Empreinte SHA-256 du fichier : ${"ab".repeat(32)}`);
    for (const field of FEC_FIELDS) expect(text).toContain(`. ${field} : `);
  });

  it("says when a file is an extract, renumbered by filters", () => {
    const text = fecDescriptif({ ...description, legal: false, renumbered: true, filters: { customerId: "c1" }, unvalidatedEntries: 0, lockedUntil: null });
    expect(text).toContain("ce n'est pas le FEC légal d'un exercice");
    expect(text).toContain("(filtres : customerId=c1) : EcritureNum est renuméroté");
    expect(text).toContain("- Aucune période n'est verrouillée.");
    expect(text).toContain("- Toutes les écritures du fichier sont validées.");
  });
});
