/**
 * Embedded fonts share their decoded data across documents (api/src/exports/pdf-fonts.ts): each
 * document keeps its own fontkit font and glyph objects, words are shaped exactly as fontkit shapes
 * them for that document's font, and a document's bytes never depend on what was rendered before.
 */
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { createPdf, embeddableFonts, pdfBytes } from "../src/exports/pdf-document.js";
import { pdfPlainText } from "./pdf-text.js";

interface Glyph {
  id: number;
  codePoints: number[];
}
interface FontkitFont {
  unitsPerEm: number;
  _tables: object;
  _glyphs: Record<number, Glyph>;
  layout(text: string): { glyphs: Glyph[]; positions: { xAdvance: number; yAdvance: number; xOffset: number; yOffset: number }[] };
}
const require = createRequire(import.meta.url);
const fontkit = createRequire(require.resolve("pdfkit"))("fontkit") as { create(buffer: Uint8Array): FontkitFont };
const fontkitFontOf = (doc: unknown) => (doc as { _font: { font: FontkitFont } })._font.font;

const fonts = embeddableFonts()!;
const LIGATURE_FI = "\ufb01"; // the "ﬁ" ligature as a character; "fi" in text is shaped to the same glyph
const WORDS = [
  "Facture ",
  "office ",
  `${LIGATURE_FI}n `,
  "fi ",
  "ı ",
  "i\u0301 ",
  "12\u202f345,67\u00a0€ ",
  "Désignation ",
  "Qté ",
  "œuvre ",
  "Ÿ",
  "— ",
  "…",
  "N° ",
];

/** What a font gives for each word, laid out in this order: glyph ids and code points, positions. */
function layouts(font: FontkitFont, words: string[]) {
  return words.map((word) => {
    const run = font.layout(word);
    return {
      word,
      glyphs: run.glyphs.map((g) => `${g.id}:${g.codePoints.join(",")}`),
      positions: run.positions.map((p) => [p.xAdvance, p.yAdvance, p.xOffset, p.yOffset]),
    };
  });
}

function render(lines: string[]): Promise<Buffer> {
  const pdf = createPdf({ title: "Essai", author: "Atelier", createdAt: new Date("2026-11-20T10:00:00Z") });
  for (const line of lines) pdf.doc.text(line, { width: 400 });
  pdf.doc.font(pdf.bold).text(lines.join(" "), { width: 400 });
  return pdfBytes(pdf.doc);
}

describe("embedded fonts across documents", () => {
  it("each document has its own fontkit font and glyphs; the decoded tables are shared", async () => {
    const a = createPdf({ title: "A", author: "X", createdAt: new Date("2026-11-20T10:00:00Z") });
    const b = createPdf({ title: "B", author: "X", createdAt: new Date("2026-11-20T10:00:00Z") });
    a.doc.text("Total TTC");
    b.doc.text("Total TTC");
    const [fa, fb] = [fontkitFontOf(a.doc), fontkitFontOf(b.doc)];
    expect(fa).not.toBe(fb);
    expect(fa._tables).toBe(fb._tables);
    const id = fa.layout("T").glyphs[0]!.id;
    expect(fa._glyphs[id]).toBeDefined();
    expect(fa._glyphs[id]).not.toBe(fb._glyphs[id]);
    await Promise.all([pdfBytes(a.doc), pdfBytes(b.doc)]);
  });

  it("shapes every word as fontkit does for a font of its own, in either order", () => {
    const registered = fontkitFontOf(createPdf({ title: "A", author: "X", createdAt: new Date("2026-11-20T10:00:00Z") }).doc);
    const probe = fontkit.create(fonts.regular);
    expect(probe.unitsPerEm).toBe(2048);
    expect(probe._tables).toBe(registered._tables);
    for (const words of [WORDS, [...WORDS].reverse(), ["fi ", `${LIGATURE_FI} `], [`${LIGATURE_FI} `, "fi "]]) {
      // a copy of the file's bytes is not a registered font file: fontkit alone
      const own = layouts(fontkit.create(Buffer.from(fonts.regular)), words);
      const shared = layouts(fontkit.create(fonts.regular), words);
      expect(shared).toEqual(own);
      // the shapings are stored now: the same again, replayed
      expect(layouts(fontkit.create(fonts.regular), words)).toEqual(own);
    }
    // the ligature glyph stands for what came first in the document, as fontkit has it
    const fiFirst = layouts(fontkit.create(fonts.regular), ["fi ", `${LIGATURE_FI} `]);
    const ligatureFirst = layouts(fontkit.create(fonts.regular), [`${LIGATURE_FI} `, "fi "]);
    expect(fiFirst[1]!.glyphs[0]).toMatch(/:102,105$/);
    expect(ligatureFirst[1]!.glyphs[0]).toMatch(/:64257$/);
  });

  it("a document renders to the same bytes and text whatever was rendered before it", async () => {
    const first = ["Facture finale", `${LIGATURE_FI}n de chantier`, "Montant : 12\u202f345,67\u00a0€"];
    const second = [`${LIGATURE_FI}nition`, "office du fisc", "Qté ı i\u0301"];
    const a1 = await render(first);
    const b1 = await render(second);
    const a2 = await render(first);
    const b2 = await render(second);
    expect(a2.equals(a1)).toBe(true);
    expect(b2.equals(b1)).toBe(true);
    // The ligature glyph stands for what it stood for first in its own document: "fi" in the first
    // (so its "ﬁ" reads "fi"), the character "ﬁ" in the second, rendered after the first.
    const textA = await pdfPlainText(a1);
    expect(textA).toContain("Facture finale\nfin de chantier\nMontant : 12 345,67 €"); // (the extractor writes every space as " ")
    const textB = await pdfPlainText(b1);
    expect(textB).toContain(`${LIGATURE_FI}nition\noffice du ${LIGATURE_FI}sc`);
  });
});
