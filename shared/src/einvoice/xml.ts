/**
 * A tiny XML writer for the e-invoices: elements as data, text escaped, no empty elements.
 * EN 16931 forbids empty elements (PEPPOL-EN16931-R008), so an element without text and without
 * children is dropped instead of written as `<x/>`; callers never have to test for absent values.
 */

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  text: string | null;
}

export type XmlChild = XmlElement | null | undefined | false | XmlChild[];

/** Characters XML 1.0 cannot carry at all (C0 controls but tab/LF/CR, lone surrogates, U+FFFE/U+FFFF). */
const INVALID_XML_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** What escapeText may change: markup characters, CR, the invalid characters, any surrogate. */
const NEEDS_ESCAPING = /[&<>\r\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff\ud800-\udfff]/;

/**
 * Text as XML character data: `&`, `<`, `>` escaped, CR normalised, invalid characters removed.
 * Most texts need none of it and are returned after one test (XLSX exports escape every cell).
 */
export function escapeText(value: string): string {
  if (!NEEDS_ESCAPING.test(value)) return value;
  return value
    .replace(INVALID_XML_CHARS, "")
    .replace(/\r\n?/g, "\n")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;");
}

/** An attribute value: as text, plus quotes and the whitespace characters attribute normalisation would eat. */
export function escapeAttribute(value: string): string {
  return escapeText(value).replace(/"/g, "&quot;").replace(/\t/g, "&#9;").replace(/\n/g, "&#10;");
}

function flatten(children: XmlChild[]): XmlElement[] {
  const out: XmlElement[] = [];
  for (const child of children) {
    if (Array.isArray(child)) out.push(...flatten(child));
    else if (child) out.push(child);
  }
  return out;
}

/** An element with children; it disappears from the output when none of its children remain. */
export function el(name: string, attrs: Record<string, string | null | undefined> | null, ...children: XmlChild[]): XmlElement {
  return { name, attrs: cleanAttrs(attrs), children: flatten(children), text: null };
}

/** A leaf element with text; null/undefined/blank text gives no element at all. */
export function leaf(name: string, text: string | number | null | undefined, attrs?: Record<string, string | null | undefined>): XmlElement | null {
  if (text === null || text === undefined) return null;
  const value = String(text);
  if (value.trim() === "") return null;
  return { name, attrs: cleanAttrs(attrs ?? null), children: [], text: value };
}

function cleanAttrs(attrs: Record<string, string | null | undefined> | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(attrs ?? {})) if (v !== null && v !== undefined) out[k] = v;
  return out;
}

function isEmpty(e: XmlElement): boolean {
  return e.text === null && e.children.every(isEmpty);
}

function render(e: XmlElement, depth: number, out: string[]): void {
  if (isEmpty(e)) return;
  const pad = "  ".repeat(depth);
  const attrs = Object.entries(e.attrs)
    .map(([k, v]) => ` ${k}="${escapeAttribute(v)}"`)
    .join("");
  if (e.text !== null) {
    out.push(`${pad}<${e.name}${attrs}>${escapeText(e.text)}</${e.name}>`);
    return;
  }
  out.push(`${pad}<${e.name}${attrs}>`);
  for (const child of e.children) render(child, depth + 1, out);
  out.push(`${pad}</${e.name}>`);
}

/** The document: UTF-8 declaration, two-space indentation, LF line ends, a final newline. */
export function serializeXml(root: XmlElement): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  render(root, 0, out);
  return out.join("\n") + "\n";
}
