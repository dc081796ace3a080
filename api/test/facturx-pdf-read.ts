/**
 * Reading a Factur-X PDF back with pdf-lib's low-level objects: the embedded file, its file
 * specification, the catalog's /AF, the XMP metadata and the output intent, as the bytes hold them.
 */
import { decodePDFRawStream, PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRawStream, PDFRef, PDFStream, PDFString, type PDFObject } from "pdf-lib";

export const nameText = (o: PDFObject | undefined) => (o instanceof PDFName ? o.decodeText() : undefined);
const text = (o: PDFObject | undefined) => (o instanceof PDFString || o instanceof PDFHexString ? o.decodeText() : undefined);

function streamBytes(s: PDFObject | undefined): Uint8Array {
  if (!(s instanceof PDFRawStream)) throw new Error("not a stream");
  return decodePDFRawStream(s).decode();
}

/** The Factur-X structure as read back from the bytes. */
export async function readFacturX(bytes: Uint8Array) {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const catalog = doc.catalog;
  const names = catalog.lookup(PDFName.of("Names"), PDFDict);
  const tree = names.lookup(PDFName.of("EmbeddedFiles"), PDFDict).lookup(PDFName.of("Names"), PDFArray);
  const treeNames: string[] = [];
  for (let i = 0; i < tree.size(); i += 2) treeNames.push(text(tree.lookup(i))!);
  const specRef = tree.get(1) as PDFRef;
  const spec = doc.context.lookup(specRef, PDFDict);
  const ef = spec.lookup(PDFName.of("EF"), PDFDict);
  const file = ef.lookup(PDFName.of("F")) as PDFRawStream;
  const params = file.dict.lookup(PDFName.of("Params"), PDFDict);
  const af = catalog.lookup(PDFName.of("AF"), PDFArray);
  const metadata = catalog.lookup(PDFName.of("Metadata")) as PDFRawStream;
  const intents = catalog.lookup(PDFName.of("OutputIntents"), PDFArray);
  const intent = intents.lookup(0, PDFDict);
  return {
    doc,
    treeNames,
    specRef,
    spec: {
      type: nameText(spec.get(PDFName.of("Type"))),
      f: text(spec.get(PDFName.of("F"))),
      uf: text(spec.get(PDFName.of("UF"))),
      relationship: nameText(spec.get(PDFName.of("AFRelationship"))),
      efUfIsSameFile: ef.get(PDFName.of("UF")) === ef.get(PDFName.of("F")),
    },
    file: {
      type: nameText(file.dict.get(PDFName.of("Type"))),
      subtype: nameText(file.dict.get(PDFName.of("Subtype"))),
      size: (params.get(PDFName.of("Size")) as PDFNumber).asNumber(),
      modDate: text(params.get(PDFName.of("ModDate"))),
      creationDate: text(params.get(PDFName.of("CreationDate"))),
      bytes: streamBytes(file),
    },
    afRefs: af.asArray(),
    xmp: {
      subtype: nameText(metadata.dict.get(PDFName.of("Subtype"))),
      filter: metadata.dict.get(PDFName.of("Filter")),
      text: Buffer.from(metadata.getContents()).toString("utf8"),
    },
    intent: {
      s: nameText(intent.get(PDFName.of("S"))),
      id: text(intent.get(PDFName.of("OutputConditionIdentifier"))),
      profile: intent.lookup(PDFName.of("DestOutputProfile")) as PDFStream,
    },
  };
}

/** The embedded factur-x.xml of a PDF, or null when it has none. */
export async function embeddedXml(bytes: Uint8Array): Promise<string | null> {
  const doc = await PDFDocument.load(bytes, { updateMetadata: false });
  const names = doc.catalog.lookupMaybe(PDFName.of("Names"), PDFDict);
  const tree = names?.lookupMaybe(PDFName.of("EmbeddedFiles"), PDFDict);
  if (!tree) return null;
  const fx = await readFacturX(bytes);
  return Buffer.from(fx.file.bytes).toString("utf8");
}
