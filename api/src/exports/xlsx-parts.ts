/**
 * The fixed parts of an XLSX file (Office Open XML, ECMA-376 part 1) that our workbooks need:
 * package relationships, workbook, styles, properties, and the cells and tables of a sheet.
 * Pure functions from values to XML text; xlsx.ts streams them into the archive. Text is escaped
 * by the e-invoices' XML rules (shared): markup escaped, characters XML cannot carry dropped.
 */
import { escapeXmlAttribute, escapeXmlText } from "@passerelle/shared";

export type CellKind = "text" | "date" | "euro" | "rate" | "integer" | "quantity";

export const MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
const REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships";
const XML_HEADER = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** Number formats: built-in ids where Excel has one, custom ids from 164 otherwise. */
const NUM_FMTS: Record<CellKind, { id: number; code: string | null }> = {
  text: { id: 49, code: null }, // "@"
  date: { id: 164, code: "dd/mm/yyyy" },
  euro: { id: 165, code: '#,##0.00 "€";-#,##0.00 "€"' },
  rate: { id: 166, code: "0.0%" },
  integer: { id: 1, code: null }, // "0"
  quantity: { id: 167, code: "0.####" },
};
const KINDS = Object.keys(NUM_FMTS) as CellKind[];

/** Style index (cellXfs) of a cell of `kind`, bold for header and totals rows. */
export function styleOf(kind: CellKind, bold = false): number {
  return 1 + 2 * KINDS.indexOf(kind) + (bold ? 1 : 0);
}
/** Bold, general format: the header row. */
export const HEADER_STYLE = 1 + 2 * KINDS.length;

export function columnLetter(index: number): string {
  let n = index + 1;
  let s = "";
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

const EPOCH = Date.UTC(1899, 11, 30);
/** The serial number Excel stores for a YYYY-MM-DD day (1900 date system). */
export function dateSerial(iso: string): number {
  return (Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) - EPOCH) / 86_400_000;
}

/** Text Excel would change unless marked `xml:space="preserve"`: whitespace at either end or in runs, tabs, line breaks. */
const SPACE_TO_PRESERVE = /^\s|\s$|\s\s|[\t\n]/;

/**
 * One cell; null and "" give no cell at all. `ref` (like "B7") names its place; null: the column after
 * the previous cell of the row (ECMA-376 18.3.1.4, `r` optional) — a row's first cell, and any after
 * a skipped one, must name theirs. On a sheet of a million cells, what is not written is neither
 * built, compressed nor sent.
 */
export function cellXml(ref: string | null, style: number, value: string | number | null): string {
  if (value === null || value === "") return "";
  const at = ref === null ? "" : ` r="${ref}"`;
  if (typeof value === "number") return `<c${at} s="${style}"><v>${value}</v></c>`;
  const text = escapeXmlText(value);
  return `<c${at} s="${style}" t="inlineStr"><is><t${SPACE_TO_PRESERVE.test(text) ? ' xml:space="preserve"' : ""}>${text}</t></is></c>`;
}

export function formulaCellXml(ref: string, style: number, formula: string, result: number): string {
  return `<c r="${ref}" s="${style}"><f>${escapeXmlText(formula)}</f><v>${result}</v></c>`;
}

export interface SheetLayout {
  columns: { width: number; kind: CellKind }[];
  /** The first sheet is the one Excel opens on. */
  selected: boolean;
}

/** Everything of a sheet before its rows: frozen header row, column widths and formats. */
export function sheetStart(layout: SheetLayout): string {
  const cols = layout.columns
    .map((c, i) => `<col min="${i + 1}" max="${i + 1}" width="${c.width}" customWidth="1" style="${styleOf(c.kind)}"/>`)
    .join("");
  return (
    `${XML_HEADER}<worksheet xmlns="${MAIN_NS}" xmlns:r="${REL_NS}">` +
    `<sheetViews><sheetView workbookViewId="0"${layout.selected ? ' tabSelected="1"' : ""}>` +
    `<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/>` +
    `</sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>${cols}</cols><sheetData>`
  );
}

/** After the rows: the sheet's one table, relationship rId1 (sheetRels). */
export const SHEET_END = `</sheetData><tableParts count="1"><tablePart r:id="rId1"/></tableParts></worksheet>`;

export function sheetRels(tableNumber: number): string {
  return (
    `${XML_HEADER}<Relationships xmlns="${PKG_REL_NS}">` +
    `<Relationship Id="rId1" Type="${REL_NS}/table" Target="../tables/table${tableNumber}.xml"/></Relationships>`
  );
}

export interface TableLayout {
  number: number;
  name: string;
  headers: string[];
  /** Data rows (at least one: an empty table keeps one empty row). */
  dataRows: number;
  /** Column indexes summed in the totals row; none: no totals row. */
  totals: number[];
  totalsLabel: string;
}

export function tableXml(t: TableLayout): string {
  const hasTotals = t.totals.length > 0;
  const lastCol = columnLetter(t.headers.length - 1);
  const lastDataRow = 1 + t.dataRows;
  const columns = t.headers
    .map((header, i) => {
      const attrs = t.totals.includes(i) ? ' totalsRowFunction="sum"' : i === 0 && hasTotals ? ` totalsRowLabel="${escapeXmlAttribute(t.totalsLabel)}"` : "";
      return `<tableColumn id="${i + 1}" name="${escapeXmlAttribute(header)}"${attrs}/>`;
    })
    .join("");
  return (
    `${XML_HEADER}<table xmlns="${MAIN_NS}" id="${t.number}" name="${t.name}" displayName="${t.name}" ref="A1:${lastCol}${lastDataRow + (hasTotals ? 1 : 0)}" headerRowCount="1"${hasTotals ? ' totalsRowCount="1"' : ""}>` +
    `<autoFilter ref="A1:${lastCol}${lastDataRow}"/>` +
    `<tableColumns count="${t.headers.length}">${columns}</tableColumns>` +
    `<tableStyleInfo name="TableStyleMedium2" showFirstColumn="0" showLastColumn="0" showRowStripes="1" showColumnStripes="0"/>` +
    `</table>`
  );
}

export function stylesXml(): string {
  const custom = KINDS.map((k) => NUM_FMTS[k]).filter((f) => f.code !== null);
  const numFmts = custom.map((f) => `<numFmt numFmtId="${f.id}" formatCode="${escapeXmlAttribute(f.code!)}"/>`).join("");
  const xf = (numFmtId: number, bold: boolean) =>
    `<xf numFmtId="${numFmtId}" fontId="${bold ? 1 : 0}" fillId="0" borderId="0" xfId="0"${numFmtId ? ' applyNumberFormat="1"' : ""}${bold ? ' applyFont="1"' : ""}/>`;
  const xfs = [xf(0, false), ...KINDS.flatMap((k) => [xf(NUM_FMTS[k].id, false), xf(NUM_FMTS[k].id, true)]), xf(0, true)];
  return (
    `${XML_HEADER}<styleSheet xmlns="${MAIN_NS}">` +
    `<numFmts count="${custom.length}">${numFmts}</numFmts>` +
    `<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>` +
    `<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>` +
    `<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>` +
    `<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>` +
    `<cellXfs count="${xfs.length}">${xfs.join("")}</cellXfs>` +
    `<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>` +
    `</styleSheet>`
  );
}

export function workbookXml(sheetNames: string[]): string {
  const sheets = sheetNames.map((name, i) => `<sheet name="${escapeXmlAttribute(name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join("");
  return `${XML_HEADER}<workbook xmlns="${MAIN_NS}" xmlns:r="${REL_NS}"><bookViews><workbookView activeTab="0"/></bookViews><sheets>${sheets}</sheets></workbook>`;
}

export function workbookRels(sheets: number): string {
  const rels = Array.from({ length: sheets }, (_, i) => `<Relationship Id="rId${i + 1}" Type="${REL_NS}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`);
  rels.push(`<Relationship Id="rId${sheets + 1}" Type="${REL_NS}/styles" Target="styles.xml"/>`);
  return `${XML_HEADER}<Relationships xmlns="${PKG_REL_NS}">${rels.join("")}</Relationships>`;
}

export function rootRels(): string {
  return (
    `${XML_HEADER}<Relationships xmlns="${PKG_REL_NS}">` +
    `<Relationship Id="rId1" Type="${REL_NS}/officeDocument" Target="xl/workbook.xml"/>` +
    `<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>` +
    `<Relationship Id="rId3" Type="${REL_NS}/extended-properties" Target="docProps/app.xml"/>` +
    `</Relationships>`
  );
}

export function contentTypes(sheets: number): string {
  const sml = "application/vnd.openxmlformats-officedocument.spreadsheetml";
  const overrides = [
    `<Override PartName="/xl/workbook.xml" ContentType="${sml}.sheet.main+xml"/>`,
    `<Override PartName="/xl/styles.xml" ContentType="${sml}.styles+xml"/>`,
    ...Array.from({ length: sheets }, (_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="${sml}.worksheet+xml"/>`),
    ...Array.from({ length: sheets }, (_, i) => `<Override PartName="/xl/tables/table${i + 1}.xml" ContentType="${sml}.table+xml"/>`),
    `<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>`,
    `<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>`,
  ];
  return (
    `${XML_HEADER}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    `<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
    `<Default Extension="xml" ContentType="application/xml"/>${overrides.join("")}</Types>`
  );
}

export function coreProps(title: string, createdAt: Date): string {
  const at = `${createdAt.toISOString().slice(0, 19)}Z`;
  return (
    `${XML_HEADER}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
    `xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    `<dc:title>${escapeXmlText(title)}</dc:title><dc:creator>Passerelle</dc:creator><cp:lastModifiedBy>Passerelle</cp:lastModifiedBy>` +
    `<dcterms:created xsi:type="dcterms:W3CDTF">${at}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">${at}</dcterms:modified>` +
    `</cp:coreProperties>`
  );
}

export function appProps(): string {
  return `${XML_HEADER}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"><Application>Passerelle</Application></Properties>`;
}
