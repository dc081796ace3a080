/**
 * Names of shared documents. The name given at upload is stored as a plain file name: its last path
 * part only, in NFC, without control or bidirectional formatting characters, nor the characters
 * Windows refuses in a name (`:` would open an alternate data stream), nor leading or trailing dots
 * and spaces, at most 200 characters. A document is served — downloaded, or put in the accountant
 * pack — under that name with the extension of its verified type (`facture-2026.pdf.cmd` →
 * `facture-2026.pdf`), computed when served, so rows stored before these rules are served safely too.
 */
import { singleLineText } from "@passerelle/shared";

const MAX_NAME = 200;

/** The extensions each accepted type may be named with; the first is the one given. */
const EXTENSIONS: Record<string, string[]> = {
  "application/pdf": [".pdf"],
  "image/png": [".png"],
  "image/jpeg": [".jpg", ".jpeg"],
  "image/gif": [".gif"],
  "image/webp": [".webp"],
  "image/tiff": [".tif", ".tiff"],
  "image/heic": [".heic", ".heif"],
};
// a type stored without a known extension is never served under one that runs
const UNKNOWN_TYPE = [".bin"];

/** The types a stored document can have, and so be served as. */
export const DOCUMENT_TYPES = Object.keys(EXTENSIONS);

/** An extension as file managers read one: a dot and up to 10 letters or digits, at least one letter. */
const LAST_EXTENSION = /\.(?=[0-9]*[a-z])[a-z0-9]{1,10}$/i;

/** The name to store for a file uploaded as `name` (a default named by its type when nothing is left). */
export function storedFileName(name: string, mimeType: string): string {
  const lastPart = name.normalize("NFC").split(/[/\\]/).at(-1)!;
  const plain = singleLineText(lastPart).replace(/[<>:"|?*]/g, "_");
  const trimmed = Array.from(plain.replace(/^[.\s]+|[.\s]+$/g, "")).slice(0, MAX_NAME).join("").replace(/[.\s]+$/, "");
  return trimmed || `document${(EXTENSIONS[mimeType] ?? UNKNOWN_TYPE)[0]}`;
}

/** The name a stored document is served under: its stored name made safe, ending with its type's extension instead of whatever it was given. */
export function documentDownloadName(document: { originalName: string; mimeType: string }): string {
  const extensions = EXTENSIONS[document.mimeType] ?? UNKNOWN_TYPE;
  const ownExtension = (name: string) => extensions.some((ext) => name.toLowerCase().endsWith(ext));
  let name = storedFileName(document.originalName, document.mimeType);
  while (!ownExtension(name) && LAST_EXTENSION.test(name)) name = name.replace(LAST_EXTENSION, "").replace(/[.\s]+$/, "");
  return ownExtension(name) ? name : `${name}${extensions[0]}`;
}
