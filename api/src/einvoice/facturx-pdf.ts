/**
 * Turns an invoice PDF into a Factur-X PDF: PDF/A-3b with the CII XML embedded as `factur-x.xml`.
 * Works on the bytes of the invoice PDF (pdfkit, PDF/A-3b with embedded fonts) through pdf-lib's
 * low-level objects:
 *  - an EmbeddedFile stream (Subtype text/xml, Params Size/CreationDate/ModDate/CheckSum) and its
 *    file specification (F and UF `factur-x.xml`, AFRelationship /Data), listed in the catalog's
 *    Names/EmbeddedFiles tree and in its AF array (PDF/A-3 associated files);
 *  - the XMP metadata rewritten: PDF/A-3 part and conformance B, Dublin Core / XMP / PDF properties
 *    equal to the document information dictionary (a PDF/A requirement), and the Factur-X
 *    extension schema with fx:DocumentType INVOICE, fx:DocumentFileName, fx:Version 1.0 and
 *    fx:ConformanceLevel;
 *  - an sRGB output intent when the PDF has none (the ICC profile pdfkit ships).
 * Every date written comes from the document, so the same invoice gives the same bytes.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import type * as PdfLib from "pdf-lib";
import { CONFORMANCE_LEVEL, escapeXmlText, type FacturXProfile } from "@passerelle/shared";

export const FACTURX_FILE_NAME = "factur-x.xml";
export const FACTURX_NAMESPACE = "urn:factur-x:pdfa:CrossIndustryDocument:invoice:1p0#";

export interface FacturXOptions {
  profile: FacturXProfile;
  /** When the document became final: the embedded file's dates and the XMP metadata date. */
  finalAt: Date;
}

const require = createRequire(import.meta.url);

type PDFDocument = PdfLib.PDFDocument;
type PDFDict = PdfLib.PDFDict;
type PDFRef = PdfLib.PDFRef;
type PDFObject = PdfLib.PDFObject;
let pdfLib: typeof PdfLib | undefined;
/** pdf-lib is loaded with the first Factur-X file: its 9 MB need not sit in a server that makes none. */
const lib = (): typeof PdfLib => (pdfLib ??= require("pdf-lib") as typeof PdfLib);

/** The sRGB IEC 61966-2.1 ICC profile bundled with pdfkit (the one its PDF/A output intent uses). */
export function srgbIccProfile(): Buffer {
  const dir = path.dirname(require.resolve("pdfkit"));
  return fs.readFileSync(path.join(dir, "data", "sRGB_IEC61966_2_1.icc"));
}

function xmpDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, "Z");
}

const x = (s: string) => escapeXmlText(s);

function fxProperty(name: string, description: string): string {
  return `            <rdf:li rdf:parseType="Resource">
              <pdfaProperty:name>${name}</pdfaProperty:name>
              <pdfaProperty:valueType>Text</pdfaProperty:valueType>
              <pdfaProperty:category>external</pdfaProperty:category>
              <pdfaProperty:description>${description}</pdfaProperty:description>
            </rdf:li>`;
}

/** The XMP packet of a Factur-X PDF, its properties mirroring the information dictionary. */
export function facturXXmp(info: {
  title?: string | undefined;
  author?: string | undefined;
  subject?: string | undefined;
  keywords?: string | undefined;
  creator?: string | undefined;
  producer?: string | undefined;
  created?: Date | undefined;
  modified?: Date | undefined;
  metadataDate: Date;
  profile: FacturXProfile;
}): string {
  const dc = [
    "      <dc:format>application/pdf</dc:format>",
    info.title !== undefined ? `      <dc:title><rdf:Alt><rdf:li xml:lang="x-default">${x(info.title)}</rdf:li></rdf:Alt></dc:title>` : null,
    info.author !== undefined ? `      <dc:creator><rdf:Seq><rdf:li>${x(info.author)}</rdf:li></rdf:Seq></dc:creator>` : null,
    info.subject !== undefined ? `      <dc:description><rdf:Alt><rdf:li xml:lang="x-default">${x(info.subject)}</rdf:li></rdf:Alt></dc:description>` : null,
  ];
  const xmp = [
    info.creator !== undefined ? `      <xmp:CreatorTool>${x(info.creator)}</xmp:CreatorTool>` : null,
    info.created ? `      <xmp:CreateDate>${xmpDate(info.created)}</xmp:CreateDate>` : null,
    info.modified ? `      <xmp:ModifyDate>${xmpDate(info.modified)}</xmp:ModifyDate>` : null,
    `      <xmp:MetadataDate>${xmpDate(info.metadataDate)}</xmp:MetadataDate>`,
  ];
  const pdf = [
    info.producer !== undefined ? `      <pdf:Producer>${x(info.producer)}</pdf:Producer>` : null,
    info.keywords !== undefined ? `      <pdf:Keywords>${x(info.keywords)}</pdf:Keywords>` : null,
  ];
  const lines = (l: (string | null)[]) => l.filter((s): s is string => s !== null).join("\n");
  return `<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
  <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
    <rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
      <pdfaid:part>3</pdfaid:part>
      <pdfaid:conformance>B</pdfaid:conformance>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
${lines(dc)}
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
${lines(xmp)}
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
${lines(pdf)}
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
      <pdfaExtension:schemas>
        <rdf:Bag>
          <rdf:li rdf:parseType="Resource">
            <pdfaSchema:schema>Factur-X PDFA Extension Schema</pdfaSchema:schema>
            <pdfaSchema:namespaceURI>${FACTURX_NAMESPACE}</pdfaSchema:namespaceURI>
            <pdfaSchema:prefix>fx</pdfaSchema:prefix>
            <pdfaSchema:property>
              <rdf:Seq>
${fxProperty("DocumentFileName", "The name of the embedded XML document")}
${fxProperty("DocumentType", "The type of the hybrid document in capital letters, e.g. INVOICE or ORDER")}
${fxProperty("Version", "The actual version of the standard applying to the embedded XML document")}
${fxProperty("ConformanceLevel", "The conformance level of the embedded XML document")}
              </rdf:Seq>
            </pdfaSchema:property>
          </rdf:li>
        </rdf:Bag>
      </pdfaExtension:schemas>
    </rdf:Description>
    <rdf:Description rdf:about="" xmlns:fx="${FACTURX_NAMESPACE}">
      <fx:DocumentType>INVOICE</fx:DocumentType>
      <fx:DocumentFileName>${FACTURX_FILE_NAME}</fx:DocumentFileName>
      <fx:Version>1.0</fx:Version>
      <fx:ConformanceLevel>${CONFORMANCE_LEVEL[info.profile]}</fx:ConformanceLevel>
    </rdf:Description>
  </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>`;
}

function catalogNames(doc: PDFDocument): PDFDict {
  const { PDFDict, PDFName } = lib();
  const existing = doc.catalog.lookupMaybe(PDFName.of("Names"), PDFDict);
  if (existing) return existing;
  const names = doc.context.obj({});
  doc.catalog.set(PDFName.of("Names"), doc.context.register(names));
  return names;
}

/** Adds `name` → `spec` to the catalog's EmbeddedFiles name tree (a flat tree, names kept sorted). */
function addToEmbeddedFiles(doc: PDFDocument, name: string, spec: PDFRef): void {
  const { PDFArray, PDFDict, PDFHexString, PDFName, PDFString } = lib();
  const names = catalogNames(doc);
  let tree = names.lookupMaybe(PDFName.of("EmbeddedFiles"), PDFDict);
  if (!tree) {
    tree = doc.context.obj({});
    names.set(PDFName.of("EmbeddedFiles"), doc.context.register(tree));
  }
  let entries = tree.lookupMaybe(PDFName.of("Names"), PDFArray);
  if (!entries) {
    entries = doc.context.obj([]);
    tree.set(PDFName.of("Names"), entries);
  }
  const pairs: [string, PDFObject][] = [];
  for (let i = 0; i + 1 < entries.size(); i += 2) {
    const key = entries.lookup(i);
    const keyText = key instanceof PDFString || key instanceof PDFHexString ? key.decodeText() : "";
    if (keyText !== name) pairs.push([keyText, entries.get(i + 1)]);
  }
  pairs.push([name, spec]);
  pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const sorted = doc.context.obj([]);
  for (const [k, v] of pairs) {
    sorted.push(PDFString.of(k));
    sorted.push(v);
  }
  tree.set(PDFName.of("Names"), sorted);
}

function ensureOutputIntent(doc: PDFDocument): void {
  const { PDFArray, PDFName, PDFString } = lib();
  const intents = doc.catalog.lookupMaybe(PDFName.of("OutputIntents"), PDFArray);
  if (intents && intents.size() > 0) return;
  const icc = srgbIccProfile();
  const profile = doc.context.flateStream(icc, { N: 3 });
  const intent = doc.context.obj({
    Type: "OutputIntent",
    S: "GTS_PDFA1",
    OutputConditionIdentifier: PDFString.of("sRGB IEC61966-2.1"),
    Info: PDFString.of("sRGB IEC61966-2.1"),
    DestOutputProfile: doc.context.register(profile),
  });
  doc.catalog.set(PDFName.of("OutputIntents"), doc.context.obj([doc.context.register(intent)]));
}

/** The Factur-X PDF: `invoicePdf` (PDF/A-3b) with `xml` embedded as factur-x.xml and the Factur-X XMP. */
export async function facturXPdf(invoicePdf: Uint8Array, xml: string, options: FacturXOptions): Promise<Uint8Array> {
  const { PDFArray, PDFDocument, PDFHexString, PDFName, PDFRef, PDFString } = lib();
  const doc = await PDFDocument.load(invoicePdf, { updateMetadata: false });
  const ctx = doc.context;
  const bytes = new TextEncoder().encode(xml);
  const date = PDFString.fromDate(options.finalAt);

  const file = ctx.flateStream(bytes, {
    Type: "EmbeddedFile",
    Subtype: "text/xml",
    Params: {
      Size: bytes.length,
      CreationDate: date,
      ModDate: date,
      CheckSum: PDFHexString.of(crypto.createHash("md5").update(bytes).digest("hex")),
    },
  });
  const fileRef = ctx.register(file);
  const spec = ctx.obj({
    Type: "Filespec",
    F: PDFString.of(FACTURX_FILE_NAME),
    UF: PDFHexString.fromText(FACTURX_FILE_NAME),
    Desc: PDFString.of(`Factur-X ${CONFORMANCE_LEVEL[options.profile]} invoice`),
    AFRelationship: "Data",
    EF: { F: fileRef, UF: fileRef },
  });
  const specRef = ctx.register(spec);
  addToEmbeddedFiles(doc, FACTURX_FILE_NAME, specRef);
  const af = doc.catalog.lookupMaybe(PDFName.of("AF"), PDFArray) ?? ctx.obj([]);
  af.push(specRef);
  doc.catalog.set(PDFName.of("AF"), af);
  // Viewers open the attachments pane, where the XML is.
  doc.catalog.set(PDFName.of("PageMode"), PDFName.of("UseAttachments"));

  const xmp = facturXXmp({
    title: doc.getTitle(),
    author: doc.getAuthor(),
    subject: doc.getSubject(),
    keywords: doc.getKeywords(),
    creator: doc.getCreator(),
    producer: doc.getProducer(),
    created: doc.getCreationDate(),
    modified: doc.getModificationDate(),
    metadataDate: options.finalAt,
    profile: options.profile,
  });
  const metadata = ctx.stream(new TextEncoder().encode(xmp), { Type: "Metadata", Subtype: "XML" });
  const previous = doc.catalog.get(PDFName.of("Metadata"));
  doc.catalog.set(PDFName.of("Metadata"), ctx.register(metadata));
  // The replaced packet must not linger in the file as an orphan object.
  if (previous instanceof PDFRef) ctx.delete(previous);
  ensureOutputIntent(doc);

  return doc.save({ useObjectStreams: false, addDefaultPage: false, updateFieldAppearances: false });
}
