/**
 * Reading the XML the API writes (CII, UBL, XMP), with nothing from outside the repository:
 * XPath 3.1 through SaxonJS (npm `xslt3`) and well-formedness through `xmllint`, whose parser is
 * strict where SaxonJS's accepts `<` in attributes and duplicate attributes.
 */
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);

interface SaxonApi {
  transform(options: Record<string, unknown>, mode: "sync"): { principalResult: string };
  XPath: { evaluate(expr: string, context: unknown, options?: Record<string, unknown>): unknown };
}
export const SaxonJS = require("saxon-js") as SaxonApi;

export const CII_NS = {
  rsm: "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
  ram: "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
  udt: "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
  qdt: "urn:un:unece:uncefact:data:standard:QualifiedDataType:100",
};
export const UBL_NS = {
  inv: "urn:oasis:names:specification:ubl:schema:xsd:Invoice-2",
  cn: "urn:oasis:names:specification:ubl:schema:xsd:CreditNote-2",
  cac: "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
  cbc: "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
};

/** XPath 3.1 over an XML string: every matching node's (or atomic value's) string value. */
export function xpath(xml: string, expr: string, namespaces: Record<string, string>): string[] {
  return xmlQuery(xml, namespaces)(expr);
}

/** The document parsed once, for many XPath expressions over it. */
export function xmlQuery(xml: string, namespaces: Record<string, string>): (expr: string) => string[] {
  const doc = SaxonJS.XPath.evaluate("parse-xml($xml)", null, { params: { xml } });
  return (expr) => (SaxonJS.XPath.evaluate(`for $n in (${expr}) return string($n)`, doc, { namespaceContext: namespaces, resultForm: "array" }) as unknown[]).map(String);
}

/** `xmllint --noout`: null when well-formed, else the parser's complaint. */
export function wellFormednessErrors(xml: string): string | null {
  try {
    execFileSync("xmllint", ["--noout", "-"], { input: xml, stdio: "pipe" });
    return null;
  } catch (e) {
    return String((e as { stderr?: Buffer }).stderr ?? e);
  }
}
