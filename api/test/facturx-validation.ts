/**
 * Offline validation of the e-invoices against the published Factur-X artefacts in
 * ../shared/facturx (README there): the EN16931 XSD through `xmllint`, and the EN 16931 and
 * French CTC schematron XSLTs through SaxonJS (npm `xslt3`). Each XSLT is compiled once to a SEF
 * file, cached in the OS temp folder under the XSLT's SHA-256, and loaded once per test run.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFile, execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const require = createRequire(import.meta.url);

interface SaxonApi {
  transform(options: Record<string, unknown>, mode: "sync"): { principalResult: string };
  XPath: { evaluate(expr: string, context: unknown, options?: Record<string, unknown>): unknown };
}
export const SaxonJS = require("saxon-js") as SaxonApi;

const here = path.dirname(fileURLToPath(import.meta.url));
export const FACTURX_DIR = process.env.PASSERELLE_FACTURX_DIR ?? path.resolve(here, "../../../shared/facturx");
export const XSD = path.join(FACTURX_DIR, "en16931/Factur-X_EN16931.xsd");
const EN16931_XSL = path.join(FACTURX_DIR, "en16931/Factur-X_1.09_EN16931.xsl");
const CODEDB = path.join(FACTURX_DIR, "en16931/FACTUR-X_EN16931_codedb.xml");
const FR_CTC_XSL = path.join(FACTURX_DIR, "fr-ctc/BR-FR-Flux2-Schematron-CII.xslt");
const CACHE = path.join(os.tmpdir(), "passerelle-facturx-sef");

/** Fails loudly (never skips) when the machine lacks what the validation needs. */
export function assertValidationTools(): void {
  for (const f of [XSD, EN16931_XSL, CODEDB, FR_CTC_XSL]) {
    if (!fs.existsSync(f)) throw new Error(`Factur-X validation file missing: ${f} (set PASSERELLE_FACTURX_DIR)`);
  }
  try {
    execFileSync("xmllint", ["--version"], { stdio: "pipe" });
  } catch {
    throw new Error("xmllint is not installed: apt-get install libxml2-utils");
  }
}

function sha256(file: string): string {
  return crypto.createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

/** Compiles an XSLT to SEF unless the cache already holds it; `beside` are files the XSLT opens next to itself. */
async function compiled(xsl: string, beside: string[] = []): Promise<string> {
  const dir = path.join(CACHE, sha256(xsl).slice(0, 32));
  const sef = path.join(dir, `${path.basename(xsl)}.sef.json`);
  fs.mkdirSync(dir, { recursive: true });
  for (const f of beside) fs.copyFileSync(f, path.join(dir, path.basename(f)));
  if (!fs.existsSync(sef)) {
    const tmp = `${sef}.${process.pid}.tmp`;
    const xslt3 = require.resolve("xslt3/xslt3.js");
    await promisify(execFile)(process.execPath, [xslt3, `-xsl:${xsl}`, `-export:${tmp}`, "-nogo", "-relocate:on"], { maxBuffer: 64 << 20 });
    fs.renameSync(tmp, sef);
  }
  return sef;
}

export interface FailedAssert {
  /** The rule: `BR-CO-15`, `BR-FR-12_BT-49`… (the `[BR-…]` tag of the EN 16931 text, else the assert's id). */
  rule: string;
  id: string;
  location: string;
  text: string;
}

export interface Schematron {
  check(xml: string): FailedAssert[];
}

function schematron(sefFile: string): Schematron {
  const sef = JSON.parse(fs.readFileSync(sefFile, "utf8")) as unknown;
  const baseURI = `file://${sefFile}`;
  return {
    check(xml: string) {
      const svrl = SaxonJS.transform(
        { stylesheetInternal: sef, stylesheetBaseURI: baseURI, sourceText: xml, destination: "serialized" },
        "sync",
      ).principalResult;
      return [...svrl.matchAll(/<svrl:failed-assert\b([^>]*)>([\s\S]*?)<\/svrl:failed-assert>/g)].map((m) => {
        const attrs = m[1]!;
        const text = m[2]!.replace(/<[^>]+>/g, "").replace(/\s+/g, " ").trim();
        const id = /\bid="([^"]*)"/.exec(attrs)?.[1] ?? "";
        return { id, rule: /^\[([A-Z0-9-]+)\]/.exec(text)?.[1] ?? id, location: /\blocation="([^"]*)"/.exec(attrs)?.[1] ?? "", text };
      });
    },
  };
}

export interface Validators {
  en16931: Schematron;
  frCtc: Schematron;
}

/** Both schematrons, compiled in parallel the first time (~20 s), then from the cache. */
export async function loadValidators(): Promise<Validators> {
  assertValidationTools();
  const [en, fr] = await Promise.all([compiled(EN16931_XSL, [CODEDB]), compiled(FR_CTC_XSL)]);
  return { en16931: schematron(en), frCtc: schematron(fr) };
}

/** `xmllint --schema`: null when valid, else xmllint's complaint. */
export function xsdErrors(xml: string, schema = XSD): string | null {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-xsd-"));
  const file = path.join(dir, "invoice.xml");
  fs.writeFileSync(file, xml);
  try {
    execFileSync("xmllint", ["--noout", "--schema", schema, file], { stdio: "pipe" });
    return null;
  } catch (e) {
    return String((e as { stderr?: Buffer }).stderr ?? e);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
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

/** XPath 3.1 over an XML string: every matching node's string value. */
export function xpath(xml: string, expr: string, namespaces: Record<string, string>): string[] {
  const result = SaxonJS.XPath.evaluate(`for $n in parse-xml($xml)/(${expr}) return string($n)`, null, {
    params: { xml },
    namespaceContext: namespaces,
    resultForm: "array",
  }) as string[];
  return result.map(String);
}
