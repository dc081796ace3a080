/**
 * Bounded work per request: what a request makes the server compute grows linearly with what the
 * request sends. Measured in a deterministic unit (characters measured, comparisons made), never
 * in time, so the checks cannot flake: doubling the input at most doubles the work.
 */
import { createRequire } from "node:module";
import type PDFKitDocument from "pdfkit";
import { describe, expect, it } from "vitest";
import { createPdf, pdfBytes, wrapText, writeFlowing, type Pdf } from "../../src/exports/pdf-document.js";

const require = createRequire(import.meta.url);
const DESIGNATION_WIDTH = 196; // the designation column of an invoice, at 9 pt

/** A document whose width measurements are counted in characters measured. */
function countingDoc(font: "embedded" | "Helvetica") {
  let doc: Pdf;
  if (font === "embedded") {
    const pdf = createPdf({ title: "t", author: "a", createdAt: new Date(0) });
    doc = pdf.doc;
    doc.font(pdf.regular);
  } else {
    doc = new (require("pdfkit") as typeof PDFKitDocument)({ size: "A4" });
    doc.font("Helvetica");
  }
  doc.fontSize(9);
  const meter = { characters: 0 };
  const widthOfString = doc.widthOfString.bind(doc);
  doc.widthOfString = (text: string, options?: PDFKit.Mixins.TextOptions) => {
    meter.characters += text.length;
    return widthOfString(text, options);
  };
  return { doc, meter };
}

interface Measured {
  work: number;
  lines: number;
}

/**
 * Checks that doubling the input at most doubles the work, give or take one line: the last line of
 * a text is shorter than the others and costs less, so a linear cost a·n − b doubles to a little
 * over twice. Cutting a long word by measuring ever shorter prefixes (cubic) measured 7.6 times the
 * work per doubling; a quadratic cost would measure 4 times.
 */
function expectLinear(sizes: number[], wrap: (size: number) => Measured): number[] {
  const measured = sizes.map(wrap);
  measured.slice(1).forEach((doubled, i) => {
    const half = measured[i]!;
    expect(doubled.work, `${sizes[i + 1]} against ${sizes[i]}`).toBeLessThanOrEqual(2 * half.work + Math.ceil(half.work / half.lines));
  });
  return measured.map((m) => m.work);
}

const SAMPLES = [
  "Conseil",
  "Accompagnement à la mise en conformité RGPD — audit des traitements, registre et formation des équipes (2 jours)",
  "Réf. commande  BC-2026-0042\tlivraison Lyon 3e\nsuite : pose et réglage\r\nfin",
  "Abonnement https://www.exemple-de-fournisseur.fr/espace-client/factures/2026/novembre/F2026-00042?session=abcdef0123456789 mensuel",
  "Pièce détachée REF-AZERTYUIOPQSDFGHJKLMWXCVBNAZERTYUIOPQSDFGHJKLMWXCVBN-0123456789-ABCDEFGHIJ quantité 12",
  "  espaces   en tête et   au milieu  ",
  "",
  "Total 1\u202f234,56\u00a0€ HT — remise 10\u00a0%",
  "AVATAR Tôle WAVE Tyro Yo LT AV VA fi fl ffi",
  "x".repeat(150),
];

describe("invoice line wrapping", () => {
  it("wraps ordinary text as it always has (embedded DejaVu Sans, 9 pt, the designation column)", () => {
    const { doc } = countingDoc("embedded");
    expect(SAMPLES.map((s) => wrapText(doc, s, DESIGNATION_WIDTH))).toEqual([
      ["Conseil"],
      ["Accompagnement à la mise en conformité", "RGPD — audit des traitements, registre et", "formation des équipes (2 jours)"],
      ["Réf. commande BC-2026-0042 livraison", "Lyon 3e", "suite : pose et réglage", "fin"],
      ["Abonnement", "https://www.exemple-de-fournisseur.fr/esp", "ace-client/factures/2026/novembre/F2026-", "00042?session=abcdef0123456789", "mensuel"],
      ["Pièce détachée", "REF-AZERTYUIOPQSDFGHJKLMWXCVBNAZE", "RTYUIOPQSDFGHJKLMWXCVBN-012345678", "9-ABCDEFGHIJ quantité 12"],
      ["espaces en tête et au milieu"],
      [""],
      ["Total 1\u202f234,56\u00a0€ HT — remise 10\u00a0%"],
      ["AVATAR Tôle WAVE Tyro Yo LT AV VA fi fl ffi"],
      [...Array(4).fill("x".repeat(36)), "x".repeat(6)],
    ]);
  });

  it("wraps ordinary text as it always has (the standard Helvetica, when no font can be embedded)", () => {
    const { doc } = countingDoc("Helvetica");
    const winAnsi = SAMPLES.map((s) => s.replace(/\u202f/g, "\u00a0").replace("—", "-"));
    expect(winAnsi.map((s) => wrapText(doc, s, DESIGNATION_WIDTH))).toEqual([
      ["Conseil"],
      ["Accompagnement à la mise en conformité", "RGPD - audit des traitements, registre et", "formation des équipes (2 jours)"],
      ["Réf. commande BC-2026-0042 livraison Lyon 3e", "suite : pose et réglage", "fin"],
      ["Abonnement", "https://www.exemple-de-fournisseur.fr/espace-cli", "ent/factures/2026/novembre/F2026-00042?sessi", "on=abcdef0123456789 mensuel"],
      ["Pièce détachée", "REF-AZERTYUIOPQSDFGHJKLMWXCVBNAZ", "ERTYUIOPQSDFGHJKLMWXCVBN-012345678", "9-ABCDEFGHIJ quantité 12"],
      ["espaces en tête et au milieu"],
      [""],
      ["Total 1\u00a0234,56\u00a0€ HT - remise 10\u00a0%"],
      ["AVATAR Tôle WAVE Tyro Yo LT AV VA fi fl ffi"],
      [...Array(3).fill("x".repeat(43)), "x".repeat(21)],
    ]);
  });

  // One 2,000-character word took 7.4 s when a long word was cut by measuring ever shorter prefixes.
  it.each(["embedded", "Helvetica"] as const)("measures work linear in a long unbroken word (%s)", (font) => {
    const { doc, meter } = countingDoc(font);
    const sizes = [250, 500, 1000, 2000, 4000];
    const work = expectLinear(sizes, (size) => {
      meter.characters = 0;
      const lines = wrapText(doc, "W".repeat(size), DESIGNATION_WIDTH);
      expect(lines.join("")).toBe("W".repeat(size));
      return { work: meter.characters, lines: lines.length };
    });
    console.log(`wrapping ${sizes.join(", ")} unbroken characters (${font}): ${work.join(", ")} characters measured`);
  });

  it("measures work linear in a line of ordinary words", () => {
    const { doc, meter } = countingDoc("embedded");
    const sizes = [50, 100, 200, 400, 800];
    expectLinear(sizes, (words) => {
      meter.characters = 0;
      const lines = wrapText(doc, Array.from({ length: words }, (_, i) => `mot${i % 10}`).join(" "), DESIGNATION_WIDTH);
      return { work: meter.characters, lines: lines.length };
    });
  });
});

describe("flowing text (an invoice's notes)", () => {
  const WIDTH = 495.28; // the page between its margins

  it("prints ordinary notes as pdfkit lays them out", async () => {
    const notes = [
      "Livraison prévue la semaine 48 — merci de prévenir l'accueil.",
      "Conditions particulières : https://www.exemple-de-fournisseur.fr/conditions-generales-de-vente-2026.pdf (version du 1er janvier)",
      `Code : ${"il".repeat(40)}`,
      "Référence interne : ABCDEFGHIJKLMNOPQRSTUVWXYZ-abcdefghijklmnopqrstuvwxyz-0123456789-ABCDEFGHIJKLMNOPQRSTUVWXYZ-fin",
    ].join("\n");
    const render = async (write: (doc: Pdf) => void) => {
      const pdf = createPdf({ title: "t", author: "a", createdAt: new Date(0) });
      pdf.doc.font(pdf.regular).fontSize(8.5);
      pdf.doc.text("", 50, 50);
      write(pdf.doc);
      return Buffer.from(await pdfBytes(pdf.doc)).toString("latin1");
    };
    const flowing = await render((doc) => writeFlowing(doc, notes, WIDTH));
    expect(flowing).toBe(await render((doc) => doc.text(notes, { width: WIDTH })));
  });

  // pdfkit measures the whole rest of a word after each piece it cuts: 2,000 characters, 30,850 measured.
  it("measures work linear in a long unbroken word", () => {
    const { doc, meter } = countingDoc("embedded");
    doc.fontSize(8.5);
    const sizes = [500, 1000, 2000, 4000, 8000];
    const work = expectLinear(sizes, (size) => {
      meter.characters = 0;
      writeFlowing(doc, "N".repeat(size), WIDTH);
      const work = meter.characters;
      return { work, lines: wrapText(doc, "N".repeat(size), WIDTH).length };
    });
    console.log(`notes of ${sizes.join(", ")} unbroken characters: ${work.join(", ")} characters measured`);
  });
});
