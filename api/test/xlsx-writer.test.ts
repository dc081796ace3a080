import { describe, expect, it } from "vitest";
import fc from "fast-check";
import ExcelJS from "exceljs";
import type { ExportBody, ExportSummary } from "../src/exports/stream.js";
import { writeTableSheet, xlsxBody, type TableColumn } from "../src/exports/xlsx.js";
import { dateSerial } from "../src/exports/xlsx-parts.js";
import { yazlCrc32 } from "../src/exports/zip-crc.js";

const CREATED = new Date("2026-11-20T10:00:00Z");

async function collect(body: ExportBody): Promise<{ bytes: Buffer; summary: ExportSummary }> {
  const chunks: Uint8Array[] = [];
  for (;;) {
    const next = await body.next();
    if (next.done) return { bytes: Buffer.concat(chunks), summary: next.value };
    chunks.push(next.value);
  }
}

interface Row {
  text: string;
  date: string | null;
  cents: number;
  rateBp: number;
  count: number;
  quantity: string;
}
const COLUMNS: TableColumn<Row>[] = [
  { header: "Libellé", width: 30, kind: "text", value: (r) => r.text },
  { header: "Date", width: 11, kind: "date", value: (r) => r.date },
  { header: "Montant", width: 14, kind: "euro", value: (r) => r.cents, total: true },
  { header: "Taux", width: 8, kind: "rate", value: (r) => r.rateBp },
  { header: "Nombre", width: 8, kind: "integer", value: (r) => r.count },
  { header: "Quantité", width: 10, kind: "quantity", value: (r) => r.quantity },
];

/** The compressed bytes of one entry of a ZIP archive, found through its central directory. */
function sheetEntry(zip: Buffer, name: string): Buffer {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let at = zip.readUInt32LE(end + 16);
  for (let i = 0; i < zip.readUInt16LE(end + 10); i++) {
    const nameLength = zip.readUInt16LE(at + 28);
    const size = zip.readUInt32LE(at + 20);
    const local = zip.readUInt32LE(at + 42);
    const entryName = zip.toString("utf8", at + 46, at + 46 + nameLength);
    if (entryName === name) {
      const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
      return zip.subarray(start, start + size);
    }
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  throw new Error(`${name} is not in the archive`);
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the XLSX writer", () => {
  it("writes typed cells Excel reads back: text as text (never a formula), dates, euros, rates, numbers; a table with its totals row", async () => {
    const rows: Row[] = [
      { text: 'Café <b>&"crème"', date: "2026-10-05", cents: -3471, rateBp: 550, count: 42, quantity: "1.2345" },
      { text: '=HYPERLINK("http://x")\u0001\u0008 tab\tligne\r\nfin\ufffe\ud800', date: null, cents: 10, rateBp: 2000, count: 0, quantity: "0.5" },
    ];
    const { bytes, summary } = await collect(
      xlsxBody(async (x) => ({ rows: await writeTableSheet(x, { sheetName: "Feuille <1>", tableName: "Essai", columns: COLUMNS, rows }) }), { title: "Essai & co", createdAt: CREATED }),
    );
    expect(summary).toEqual({ rows: 2 });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    expect(wb.title).toBe("Essai & co");
    expect(wb.creator).toBe("Passerelle");
    expect(wb.created).toEqual(CREATED);
    const ws = wb.getWorksheet("Feuille <1>")!;
    expect(ws.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    expect(ws.getRow(1).values).toEqual([undefined, "Libellé", "Date", "Montant", "Taux", "Nombre", "Quantité"]);
    expect(ws.getRow(1).getCell(1).font).toMatchObject({ bold: true });
    expect(ws.getRow(2).values).toEqual([undefined, 'Café <b>&"crème"', new Date("2026-10-05T00:00:00Z"), -34.71, 0.055, 42, 1.2345]);
    expect(ws.getRow(3).values).toEqual([undefined, '=HYPERLINK("http://x") tab\tligne\nfin', undefined, 0.1, 0.2, 0, 0.5]);
    expect(ws.getRow(3).getCell(1).type).toBe(ExcelJS.ValueType.String);
    expect([1, 2, 3, 4, 5, 6].map((c) => ws.getRow(2).getCell(c).numFmt)).toEqual(["@", "dd/mm/yyyy", '#,##0.00 "€";-#,##0.00 "€"', "0.0%", "0", "0.####"]);
    expect(ws.getRow(4).getCell(1).value).toBe("Total");
    expect(ws.getRow(4).getCell(3).value).toEqual({ formula: "SUBTOTAL(109,Essai[Montant])", result: -34.61 });
    expect(ws.getRow(4).getCell(3).font).toMatchObject({ bold: true });
    const table = (ws.getTable("Essai") as unknown as { table: { tableRef: string; totalsRow: boolean; headerRow: boolean } }).table;
    expect(table).toMatchObject({ tableRef: "A1:F4", totalsRow: true, headerRow: true });
    expect(ws.columns.map((c) => c.width)).toEqual([30, 11, 14, 8, 8, 10]);
  });

  it("places cells after skipped ones in their columns, keeps text spaces, and names only the cells that do not follow the previous one", async () => {
    interface Gaps {
      a: string | null;
      b: string | null;
      c: number | null;
      d: string | null;
    }
    const columns: TableColumn<Gaps>[] = [
      { header: "A", width: 10, kind: "text", value: (r) => r.a },
      { header: "B", width: 10, kind: "text", value: (r) => r.b },
      { header: "C", width: 10, kind: "euro", value: (r) => r.c, total: true },
      { header: "D", width: 10, kind: "text", value: (r) => r.d },
    ];
    const rows: Gaps[] = [
      { a: null, b: "  deux espaces devant", c: 100, d: "fin " },
      { a: "a  b", b: null, c: null, d: "\tx" },
      { a: "ligne\nsuite", b: "", c: 5, d: null },
      { a: "simple", b: "texte", c: 1, d: "d" },
    ];
    const { bytes } = await collect(xlsxBody(async (x) => ({ rows: await writeTableSheet(x, { sheetName: "Trous", tableName: "Trous", columns, rows }) }), { title: "Trous", createdAt: CREATED }));
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(bytes as unknown as ArrayBuffer);
    const ws = wb.getWorksheet("Trous")!;
    expect(ws.getRow(2).values).toEqual([undefined, undefined, "  deux espaces devant", 1, "fin "]);
    expect(ws.getRow(3).values).toEqual([undefined, "a  b", undefined, undefined, "\tx"]);
    expect(ws.getRow(4).values).toEqual([undefined, "ligne\nsuite", undefined, 0.05]);
    expect(ws.getRow(5).values).toEqual([undefined, "simple", "texte", 0.01, "d"]);
    expect(ws.getRow(6).getCell(3).value).toEqual({ formula: "SUBTOTAL(109,Trous[C])", result: 1.06 });
    const xml = (await import("node:zlib")).inflateRawSync(sheetEntry(bytes, "xl/worksheets/sheet1.xml")).toString("utf8");
    const row = (n: number) => new RegExp(`<row r="${n}">(.*?)</row>`).exec(xml)![1];
    // a row's first cell and a cell after a skipped one name their place; the others follow
    expect(row(2)).toBe('<c r="B2" s="1" t="inlineStr"><is><t xml:space="preserve">  deux espaces devant</t></is></c><c s="5"><v>1</v></c><c s="1" t="inlineStr"><is><t xml:space="preserve">fin </t></is></c>');
    expect(row(3)).toBe('<c r="A3" s="1" t="inlineStr"><is><t xml:space="preserve">a  b</t></is></c><c r="D3" s="1" t="inlineStr"><is><t xml:space="preserve">\tx</t></is></c>');
    expect(row(5)).toBe('<c r="A5" s="1" t="inlineStr"><is><t>simple</t></is></c><c s="1" t="inlineStr"><is><t>texte</t></is></c><c s="5"><v>0.01</v></c><c s="1" t="inlineStr"><is><t>d</t></is></c>');
  });

  it("streams: the first bytes leave at once, a client that stops reading holds the writer, one that goes away stops it", async () => {
    let produced = 0;
    function* rows(): Generator<Row> {
      for (let i = 0; i < 2_000_000; i++) {
        produced++;
        yield { text: `Ligne ${i}`, date: "2026-10-05", cents: i, rateBp: 2000, count: i, quantity: "1" };
      }
    }
    const body = xlsxBody(async (x) => ({ rows: await writeTableSheet(x, { sheetName: "S", tableName: "T", columns: COLUMNS, rows: rows() }) }), {
      title: "T",
      createdAt: CREATED,
    });
    const first = await body.next();
    expect(first.done).toBe(false);
    expect(produced).toBeLessThan(1_000);
    // the count once it has not moved for 200 ms (a writer starved of CPU on a busy machine can
    // pause for tens of milliseconds while still filling)
    const settled = async () => {
      let last = -1;
      for (let still = 0, i = 0; still < 10 && i < 500; i++) {
        still = produced === last ? still + 1 : 0;
        last = produced;
        await wait(20);
      }
      return last;
    };
    // the client reads nothing more: the writer fills what lies between and waits
    const held = await settled();
    expect(held).toBeLessThan(20_000); // measured: 3,408 rows
    await wait(100);
    expect(produced).toBe(held);
    // the client goes away: the writer stops within one pause (500 rows)
    await body.return({ rows: 0 });
    const stopped = await settled();
    expect(stopped - held).toBeLessThanOrEqual(500);
    await wait(100);
    expect(produced).toBe(stopped);
  });

  it("dates are Excel's day serials", () => {
    expect(["1900-03-01", "1970-01-01", "2026-10-05", "2099-12-31"].map(dateSerial)).toEqual([61, 25569, 46300, 73050]);
  });

  it("archives are checksummed with Node's native CRC-32, equal to yazl's own JavaScript one chunk after chunk", () => {
    expect(yazlCrc32.javascriptUnsigned).toBeTypeOf("function");
    expect(yazlCrc32.unsigned).not.toBe(yazlCrc32.javascriptUnsigned);
    expect(yazlCrc32.unsigned(Buffer.from("hello world"))).toBe(222957957);
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 400 }), { maxLength: 6 }), (chunks) => {
        let native = 0;
        let javascript = 0;
        for (const chunk of chunks) {
          native = yazlCrc32.unsigned(Buffer.from(chunk), native);
          javascript = yazlCrc32.javascriptUnsigned!(Buffer.from(chunk), javascript);
        }
        expect(native).toBe(javascript);
      }),
    );
  });
});
