/**
 * The official Factur-X artefacts, which are not ours to commit, read from PASSERELLE_FACTURX_DIR
 * (relative to the repository; by default ../shared/facturx): the EN16931 XSD through `xmllint`, and
 * the EN 16931 and French CTC schematron XSLTs through SaxonJS (npm `xslt3`). Each XSLT is compiled
 * once to a SEF file, cached in the OS temp folder under the XSLT's SHA-256, and loaded once per run.
 */
import crypto from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { execFile, execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { SaxonJS } from "../test/xml-query.js";

const require = createRequire(import.meta.url);

const REPOSITORY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const FACTURX_DIR = path.resolve(REPOSITORY, process.env.PASSERELLE_FACTURX_DIR ?? "../shared/facturx");
const XSD = path.join(FACTURX_DIR, "en16931/Factur-X_EN16931.xsd");
const EN16931_XSL = path.join(FACTURX_DIR, "en16931/Factur-X_1.09_EN16931.xsl");
const CODEDB = path.join(FACTURX_DIR, "en16931/FACTUR-X_EN16931_codedb.xml");
const FR_CTC_XSL = path.join(FACTURX_DIR, "fr-ctc/BR-FR-Flux2-Schematron-CII.xslt");
const CACHE = path.join(os.tmpdir(), "passerelle-facturx-sef");

/** Fails loudly (never skips) when the machine lacks what the validation needs, saying where to get it. */
export function assertValidationTools(): void {
  const missing = [XSD, EN16931_XSL, CODEDB, FR_CTC_XSL].filter((f) => !fs.existsSync(f));
  if (missing.length > 0) {
    throw new Error(
      `Factur-X conformance files missing: ${missing.join(", ")}. Set PASSERELLE_FACTURX_DIR to the folder holding en16931/ ` +
        "(the Factur-X 1.09 EN16931 XSD and schematron, https://fnfe-mpe.org/factur-x/) and fr-ctc/ " +
        "(the French CTC rules, https://github.com/fnfempe/France_RFE); README, section Tests",
    );
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
export function xsdErrors(xml: string): string | null {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "passerelle-xsd-"));
  const file = path.join(dir, "invoice.xml");
  fs.writeFileSync(file, xml);
  try {
    execFileSync("xmllint", ["--noout", "--schema", XSD, file], { stdio: "pipe" });
    return null;
  } catch (e) {
    return String((e as { stderr?: Buffer }).stderr ?? e);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
