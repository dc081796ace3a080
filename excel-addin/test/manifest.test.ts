import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { all, child, parseXml, type XmlElement } from "./xml.js";
import { buildAddin } from "./build.js";
import { FUNCTIONS, FUNCTIONS_NAMESPACE, functionsIn, functionsJson } from "../src/functions/metadata.js";
import { hostingBase, manifestBase, rewriteManifest } from "../scripts/manifest-urls.js";

const MANIFEST = fs.readFileSync(fileURLToPath(new URL("../../manifest.xml", import.meta.url)), "utf8");
const OFFICE = "http://schemas.microsoft.com/office/appforoffice/1.1";
const OVERRIDES = "http://schemas.microsoft.com/office/taskpaneappversionoverrides";

/** OfficeApp's children in the order the schema's sequence requires (TaskPaneApp). */
const OFFICE_APP_ORDER = [
  "Id", "AlternateId", "Version", "ProviderName", "DefaultLocale", "DisplayName", "Description", "IconUrl", "HighResolutionIconUrl",
  "SupportUrl", "AppDomains", "Hosts", "Requirements", "DefaultSettings", "Permissions", "AllowSnapshot", "VersionOverrides",
];
const REQUIRED = ["Id", "Version", "ProviderName", "DefaultLocale", "DisplayName", "Description", "Hosts", "DefaultSettings", "Permissions", "VersionOverrides"];

let root: XmlElement;
let dist: string;

beforeAll(async () => {
  root = parseXml(MANIFEST);
  dist = await buildAddin();
});

function resources(kind: "Images" | "Urls" | "ShortStrings" | "LongStrings"): Map<string, XmlElement> {
  const container = child(child(child(root, "VersionOverrides"), "Resources"), kind);
  return new Map(container.children.map((e) => [e.attributes.id!, e]));
}

describe("manifest.xml", () => {
  it("is a well-formed task pane add-in for Excel with its elements in schema order", () => {
    expect(() => parseXml(MANIFEST.replace("</Hosts>", ""))).toThrow();
    expect(root.local).toBe("OfficeApp");
    expect(root.uri).toBe(OFFICE);
    expect(root.attributes["xsi:type"]).toBe("TaskPaneApp");
    const names = root.children.map((c) => c.local);
    for (const required of REQUIRED) expect(names).toContain(required);
    const positions = names.map((n) => OFFICE_APP_ORDER.indexOf(n));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(child(root, "Id").text).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(child(root, "Version").text).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(child(child(root, "Hosts"), "Host").attributes.Name).toBe("Workbook");
    expect(child(root, "Permissions").text).toBe("ReadWriteDocument");
  });

  it("speaks French first and English second, within Office's length limits", () => {
    expect(child(root, "DefaultLocale").text).toBe("fr-FR");
    for (const name of ["DisplayName", "Description"]) {
      const element = child(root, name);
      expect(element.children.map((o) => o.attributes.Locale)).toEqual(["en-US"]);
      expect(element.attributes.DefaultValue!.length).toBeLessThanOrEqual(name === "DisplayName" ? 125 : 250);
    }
    for (const [kind, max] of [["ShortStrings", 125], ["LongStrings", 250]] as const) {
      for (const [id, s] of resources(kind)) {
        expect(s.attributes.DefaultValue!.length, id).toBeLessThanOrEqual(max);
        for (const o of s.children) expect(o.attributes.Value!.length, id).toBeLessThanOrEqual(max);
        if (id !== "Functions.Namespace") expect(s.children.map((o) => o.attributes.Locale), id).toEqual(["en-US"]);
      }
    }
  });

  it("runs the task pane, the ribbon command and the custom functions in one long-lived shared runtime", () => {
    const sets = all(child(root, "Requirements"), "Set").map((s) => [s.attributes.Name, s.attributes.MinVersion]);
    expect(sets).toContainEqual(["SharedRuntime", "1.1"]);
    expect(sets).toContainEqual(["ExcelApi", "1.13"]); // Table.resize
    const overrides = child(root, "VersionOverrides");
    expect(overrides.uri).toBe(OVERRIDES);
    expect(overrides.attributes["xsi:type"]).toBe("VersionOverridesV1_0");
    const host = child(child(overrides, "Hosts"), "Host");
    expect(host.attributes["xsi:type"]).toBe("Workbook");
    expect(host.children.map((c) => c.local)).toEqual(["Runtimes", "AllFormFactors", "DesktopFormFactor"]);
    const runtime = child(child(host, "Runtimes"), "Runtime");
    expect(runtime.attributes).toMatchObject({ resid: "Taskpane.Url", lifetime: "long" });

    const functions = child(child(host, "AllFormFactors"), "ExtensionPoint");
    expect(functions.attributes["xsi:type"]).toBe("CustomFunctions");
    expect(functions.children.map((c) => c.local)).toEqual(["Script", "Page", "Metadata", "Namespace"]);
    expect(child(child(functions, "Page"), "SourceLocation").attributes.resid).toBe("Taskpane.Url");

    const desktop = child(host, "DesktopFormFactor");
    expect(desktop.children.map((c) => c.local)).toEqual(["GetStarted", "FunctionFile", "ExtensionPoint"]);
    expect(child(desktop, "FunctionFile").attributes.resid).toBe("Taskpane.Url");
    const action = all(desktop, "Action")[0]!;
    expect(action.attributes["xsi:type"]).toBe("ShowTaskpane");
    expect(child(action, "SourceLocation").attributes.resid).toBe("Taskpane.Url");
    expect(all(desktop, "Control")[0]!.attributes["xsi:type"]).toBe("Button");
    const iconSizes = all(desktop, "Image").map((i) => i.attributes.size);
    expect(new Set(iconSizes)).toEqual(new Set(["16", "32", "80"]));
  });

  it("resolves every resid to a resource of the right kind", () => {
    const urls = resources("Urls");
    const images = resources("Images");
    const short = resources("ShortStrings");
    const long = resources("LongStrings");
    const overrides = child(root, "VersionOverrides");
    const referencing = (el: XmlElement): XmlElement[] => [el, ...el.children.flatMap(referencing)].filter((e) => e.attributes.resid);
    const refs = referencing(child(overrides, "Hosts"));
    expect(refs.length).toBeGreaterThan(10);
    for (const el of refs) {
      const id = el.attributes.resid!;
      const pool =
        el.local === "Image" ? images : ["SourceLocation", "FunctionFile", "Runtime", "LearnMoreUrl"].includes(el.local) ? urls : ["Description"].includes(el.local) ? long : short;
      expect(pool.has(id), `${el.name} resid="${id}"`).toBe(true);
    }
  });

  it("points every URL under one HTTPS hosting base, at files the build produces", () => {
    const base = manifestBase(MANIFEST);
    expect(base).toBe("https://localhost:3000/addin/");
    const urls = [...MANIFEST.matchAll(/(?:DefaultValue|Value)="(https?:\/\/[^"]+)"/g)].map((m) => m[1]!);
    expect(urls.length).toBe(12);
    for (const url of urls) {
      expect(url.startsWith(base), url).toBe(true);
      const file = path.join(dist, url.slice(base.length));
      expect(fs.existsSync(file), `${url} → ${file}`).toBe(true);
    }
    for (const [size, image] of resources("Images")) expect(image.attributes.DefaultValue, size).toMatch(/icon-(16|32|80)\.png$/);
    expect(fs.readFileSync(path.join(dist, "assets/icon-64.png")).subarray(1, 4).toString()).toBe("PNG");
  });

  it("is rewritten for a deployment by npm run addin:manifest", () => {
    expect(hostingBase("https://passerelle.example.fr")).toBe("https://passerelle.example.fr/addin/");
    expect(hostingBase("https://cabinet.fr/passerelle/")).toBe("https://cabinet.fr/passerelle/addin/");
    expect(() => hostingBase("http://passerelle.example.fr")).toThrow(/HTTPS/);
    const rewritten = rewriteManifest(MANIFEST, "https://passerelle.example.fr/addin/");
    expect(manifestBase(rewritten)).toBe("https://passerelle.example.fr/addin/");
    expect(rewritten).not.toContain('"https://localhost:3000');
    expect(rewritten.match(/https:\/\/passerelle\.example\.fr\/addin\//g)).toHaveLength(12);
    expect(() => parseXml(rewritten)).not.toThrow();
  });

  it("declares the custom functions the code registers, with matching parameters", async () => {
    expect(resources("ShortStrings").get("Functions.Namespace")!.attributes.DefaultValue).toBe(FUNCTIONS_NAMESPACE);
    expect(fs.readFileSync(path.join(dist, "functions.json"), "utf8")).toBe(functionsJson());

    const associated = new Map<string, (...args: never[]) => unknown>();
    Object.assign(globalThis, {
      CustomFunctions: { associate: (id: string, fn: (...args: never[]) => unknown) => associated.set(id, fn), Error: class {}, ErrorCode: {} },
    });
    await import("../src/functions/register.js");
    expect([...associated.keys()].sort()).toEqual(FUNCTIONS.map((f) => f.id).sort());
    for (const f of FUNCTIONS) {
      // streaming functions take the invocation after their declared parameters
      expect(associated.get(f.id)!.length, f.id).toBe(f.parameters.length + 1);
      expect(f.options.stream).toBe(true);
      const optional = f.parameters.map((p) => p.optional === true);
      expect(optional.indexOf(true) === -1 || optional.slice(optional.indexOf(true)).every(Boolean), f.id).toBe(true);
    }
    expect(FUNCTIONS.find((f) => f.id === "JOURNAL")!.result.dimensionality).toBe("matrix");
    const script = fs.readFileSync(path.join(dist, "functions.js"), "utf8");
    expect(script).toContain("CustomFunctions.associate");
  });

  it("describes the functions in Office's language: French by default, English through the manifest's en-US override", () => {
    const url = resources("Urls").get("Functions.Metadata.Url")!;
    expect(url.attributes.DefaultValue).toBe("https://localhost:3000/addin/functions.json");
    expect(url.children.map((o) => [o.local, o.attributes.Locale, o.attributes.Value])).toEqual([["Override", "en-US", "https://localhost:3000/addin/functions.en-US.json"]]);
    expect(fs.readFileSync(path.join(dist, "functions.en-US.json"), "utf8")).toBe(functionsJson("en"));
    const [fr, en] = [functionsIn("fr"), functionsIn("en")];
    expect(fr.find((f) => f.id === "TOTAL")!.description).toBe("Total des ventes d'une société sur une période (HT, TVA ou TTC), mis à jour en direct.");
    expect(en.find((f) => f.id === "TOTAL")!.description).toBe("Sales total of a company over a period (excl. VAT, VAT or incl. VAT), live.");
    expect(fr.find((f) => f.id === "TOTAL")!.parameters.map((x) => x.name)).toEqual(["societe", "du", "au", "mesure", "tauxTVA"]);
    expect(en.find((f) => f.id === "TOTAL")!.parameters.map((x) => x.name)).toEqual(["company", "from", "to", "measure", "vatRate"]);
    // one language a file: no "français / English" text left
    for (const text of [...fr, ...en].flatMap((f) => [f.description, ...f.parameters.map((x) => x.description)])) expect(text).not.toMatch(/ \/ /);
    // the same functions, parameters, types and results in both
    const shape = (list: typeof fr) => list.map((f) => [f.id, f.name, f.result, f.parameters.map((x) => [x.type, x.optional ?? false])]);
    expect(shape(en)).toEqual(shape(fr));
  });
});

