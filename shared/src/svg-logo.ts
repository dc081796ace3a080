/**
 * A logo drawn as SVG, as far as documents can draw it: shapes and paths in groups, plain colours,
 * transforms. Anything else is refused, naming what was found, rather than stripped: scripts, event
 * handlers, links to anything but a #fragment, external references, foreignObject, DOCTYPEs (they
 * declare entities), and the elements documents do not draw (text, images, gradients, filters…).
 * What is accepted is exactly what the PDF renderer draws.
 */

export interface SvgNode {
  name: string;
  /** The element's attributes, its `style` declarations included (they win over attributes). */
  attrs: Record<string, string>;
  children: SvgNode[];
}

export type SvgParse = { ok: true; root: SvgNode } | { ok: false; message: string };

/** Elements drawn; `title` and `desc` are kept but not drawn. */
export const SVG_LOGO_ELEMENTS = ["svg", "g", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "title", "desc"];
const LISTED = SVG_LOGO_ELEMENTS.join(", ");
const MAX_ELEMENTS = 5000;
const MAX_DEPTH = 32;

/** Attributes that change what is drawn and are read; others (ids, classes, editors' own) change nothing. */
const STYLE_PROPERTIES = new Set([
  "fill",
  "stroke",
  "stroke-width",
  "fill-opacity",
  "stroke-opacity",
  "opacity",
  "fill-rule",
  "stroke-linecap",
  "stroke-linejoin",
  "stroke-miterlimit",
  "display",
  "visibility",
]);
/** Attributes that would draw something documents cannot (masks, clips, filters, markers): refused. */
const UNDRAWN_ATTRIBUTES = new Set(["clip-path", "mask", "filter", "marker-start", "marker-mid", "marker-end", "marker"]);

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

const refuse = (message: string): SvgParse => ({ ok: false, message: `is an SVG that ${message}` });

function decodeEntities(value: string): string | null {
  let bad = false;
  const out = value.replace(/&(#x[0-9a-fA-F]+|#\d+|[A-Za-z]+);|&/g, (all, name: string | undefined) => {
    if (!name) {
      bad = true;
      return all;
    }
    if (name.startsWith("#x")) return String.fromCodePoint(Math.min(parseInt(name.slice(2), 16), 0x10ffff));
    if (name.startsWith("#")) return String.fromCodePoint(Math.min(parseInt(name.slice(1), 10), 0x10ffff));
    if (name in ENTITIES) return ENTITIES[name]!;
    bad = true;
    return all;
  });
  return bad ? null : out;
}

/** Why an attribute is refused, or null when it may stay. */
function refusedAttribute(element: string, name: string, value: string): string | null {
  const local = name.includes(":") ? name.slice(name.indexOf(":") + 1) : name;
  if (/^on/i.test(local)) return `has an event handler (${name} on <${element}>)`;
  if (local === "href" && !value.trim().startsWith("#")) return `links to "${value.slice(0, 80)}" (${name} on <${element}>): only #fragments may be referred to`;
  if (/url\s*\(/i.test(value)) {
    return /url\s*\(\s*['"]?#/i.test(value)
      ? `refers to a gradient, pattern, mask or clip (${name} on <${element}>), which documents do not draw`
      : `refers to an external resource (${name} on <${element}>)`;
  }
  if (/javascript:|data:|expression\s*\(|@import/i.test(value)) return `holds script or an external reference (${name} on <${element}>)`;
  if (UNDRAWN_ATTRIBUTES.has(local)) return `uses ${local} on <${element}>, which documents do not draw`;
  return null;
}

const TAG = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>/y;
const ATTRIBUTE = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** The SVG's elements, or why the logo is refused. */
export function parseSvgLogo(source: string): SvgParse {
  const text = source.replace(/^\uFEFF/, "");
  const stack: SvgNode[] = [];
  let root: SvgNode | undefined;
  let count = 0;
  let at = 0;
  while (at < text.length) {
    const lt = text.indexOf("<", at);
    if (lt < 0) break;
    at = lt;
    if (text.startsWith("<!--", at)) {
      const end = text.indexOf("-->", at + 4);
      if (end < 0) return refuse("has a comment that never ends");
      at = end + 3;
      continue;
    }
    if (text.startsWith("<?xml", at) && root === undefined && stack.length === 0) {
      const end = text.indexOf("?>", at);
      if (end < 0) return refuse("has an XML declaration that never ends");
      at = end + 2;
      continue;
    }
    if (/^<!DOCTYPE/i.test(text.slice(at, at + 9))) return refuse("has a DOCTYPE, which can declare entities and external files");
    if (text.startsWith("<![CDATA[", at)) return refuse("has a CDATA section (a style sheet or a script)");
    if (text.startsWith("<?", at)) return refuse("has a processing instruction");
    TAG.lastIndex = at;
    const tag = TAG.exec(text);
    if (!tag) return refuse(`is not well-formed XML near "${text.slice(at, at + 40)}"`);
    at = TAG.lastIndex;
    const [, closing, name, attributes, selfClosing] = tag as unknown as [string, string, string, string, string];
    if (closing) {
      const open = stack.pop();
      if (!open || open.name !== name) return refuse(`is not well-formed XML: </${name}> closes ${open ? `<${open.name}>` : "nothing"}`);
      continue;
    }
    if (name === "script") return refuse("holds a <script>");
    if (name === "foreignObject") return refuse("holds a <foreignObject> (HTML inside the image)");
    if (!SVG_LOGO_ELEMENTS.includes(name)) return refuse(`holds <${name}>, which documents do not draw: a logo's SVG may hold only ${LISTED}`);
    if (++count > MAX_ELEMENTS) return refuse(`holds more than ${MAX_ELEMENTS} elements`);
    if (stack.length >= MAX_DEPTH) return refuse(`nests elements more than ${MAX_DEPTH} deep`);
    const node: SvgNode = { name, attrs: {}, children: [] };
    const style: Record<string, string> = {};
    for (const [, attr, double, single] of attributes.matchAll(ATTRIBUTE)) {
      const value = decodeEntities(double ?? single ?? "");
      if (value === null) return refuse(`uses an entity XML does not define (${attr} on <${name}>)`);
      // a style is checked declaration by declaration, each named
      const why = attr === "style" ? null : refusedAttribute(name, attr!, value);
      if (why) return refuse(why);
      if (attr === "style") {
        for (const declaration of value.split(";")) {
          const colon = declaration.indexOf(":");
          if (colon < 0) continue;
          const property = declaration.slice(0, colon).trim().toLowerCase();
          const propertyValue = declaration.slice(colon + 1).trim();
          const whyNot = refusedAttribute(name, property, propertyValue);
          if (whyNot) return refuse(whyNot);
          if (STYLE_PROPERTIES.has(property)) style[property] = propertyValue;
        }
      } else node.attrs[attr!] = value;
    }
    Object.assign(node.attrs, style);
    if (node.attrs.transform !== undefined && !svgTransform(node.attrs.transform)) return refuse(`has a transform that cannot be read ("${node.attrs.transform.slice(0, 80)}" on <${name}>)`);
    if (name === "path" && !/^[MmLlHhVvCcSsQqTtAaZz\d\s.,eE+-]*$/.test(node.attrs.d ?? "")) return refuse("has a path whose data (d) is not SVG path data");
    if (stack.length === 0) {
      if (root) return refuse("has more than one root element");
      if (name !== "svg") return refuse(`starts with <${name}>, not <svg>`);
      root = node;
    } else stack.at(-1)!.children.push(node);
    if (!selfClosing) stack.push(node);
  }
  if (!root) return refuse("has no <svg> element");
  if (stack.length > 0) return refuse(`is cut short: <${stack.at(-1)!.name}> is never closed`);
  return { ok: true, root };
}

const LENGTH = /^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?)\s*(px)?\s*$/i;

/** A length in user units, or null (units other than px, percentages). */
export function svgLength(value: string | undefined): number | null {
  const match = value === undefined ? null : LENGTH.exec(value);
  return match ? Number(match[1]) : null;
}

/** The numbers of a list ("0 0 120 40", "1,2 3,4"). */
export function svgNumbers(value: string | undefined): number[] {
  return (value ?? "").match(/[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?/gi)?.map(Number) ?? [];
}

export interface SvgLogoBox {
  width: number;
  height: number;
  /** The user space drawn: x, y, width, height. */
  viewBox: [number, number, number, number];
}

/** The logo's size and the part of its drawing it shows, from width, height and viewBox; or why it has none. */
export function svgLogoSize(root: SvgNode): SvgLogoBox | string {
  const vb = root.attrs.viewBox === undefined ? null : svgNumbers(root.attrs.viewBox);
  if (vb && (vb.length !== 4 || !(vb[2]! > 0) || !(vb[3]! > 0))) return "is an SVG whose viewBox is not four numbers with a positive width and height";
  const width = root.attrs.width === undefined || root.attrs.width.trim().endsWith("%") ? null : svgLength(root.attrs.width);
  const height = root.attrs.height === undefined || root.attrs.height.trim().endsWith("%") ? null : svgLength(root.attrs.height);
  if ((root.attrs.width !== undefined && !root.attrs.width.trim().endsWith("%") && width === null) || (root.attrs.height !== undefined && !root.attrs.height.trim().endsWith("%") && height === null)) {
    return "is an SVG whose width or height is not in pixels";
  }
  const box: [number, number, number, number] | null = vb ? [vb[0]!, vb[1]!, vb[2]!, vb[3]!] : null;
  const w = width ?? (height !== null && box ? (height * box[2]) / box[3] : box?.[2]);
  const h = height ?? (width !== null && box ? (width * box[3]) / box[2] : box?.[3]);
  if (w === undefined || h === undefined || !(w > 0) || !(h > 0)) return "is an SVG without a size: give its <svg> a viewBox, or a width and a height";
  return { width: w, height: h, viewBox: box ?? [0, 0, w, h] };
}

/** A transform attribute as one matrix [a, b, c, d, e, f], or null when it cannot be read. */
export function svgTransform(value: string): [number, number, number, number, number, number] | null {
  let m: [number, number, number, number, number, number] = [1, 0, 0, 1, 0, 0];
  const multiply = (n: [number, number, number, number, number, number]) => {
    m = [m[0] * n[0] + m[2] * n[1], m[1] * n[0] + m[3] * n[1], m[0] * n[2] + m[2] * n[3], m[1] * n[2] + m[3] * n[3], m[0] * n[4] + m[2] * n[5] + m[4], m[1] * n[4] + m[3] * n[5] + m[5]];
  };
  const rest = value.replace(/\s*([a-zA-Z]+)\s*\(([^)]*)\)\s*,?/g, (_, name: string, args: string) => {
    const a = svgNumbers(args);
    const rad = ((a[0] ?? 0) * Math.PI) / 180;
    if (name === "matrix" && a.length === 6) multiply(a as [number, number, number, number, number, number]);
    else if (name === "translate" && (a.length === 1 || a.length === 2)) multiply([1, 0, 0, 1, a[0]!, a[1] ?? 0]);
    else if (name === "scale" && (a.length === 1 || a.length === 2)) multiply([a[0]!, 0, 0, a[1] ?? a[0]!, 0, 0]);
    else if (name === "rotate" && (a.length === 1 || a.length === 3)) {
      const [cx, cy] = [a[1] ?? 0, a[2] ?? 0];
      multiply([1, 0, 0, 1, cx, cy]);
      multiply([Math.cos(rad), Math.sin(rad), -Math.sin(rad), Math.cos(rad), 0, 0]);
      multiply([1, 0, 0, 1, -cx, -cy]);
    } else if (name === "skewX" && a.length === 1) multiply([1, 0, Math.tan(rad), 1, 0, 0]);
    else if (name === "skewY" && a.length === 1) multiply([1, Math.tan(rad), 0, 1, 0, 0]);
    else return "?";
    return "";
  });
  return rest.trim() === "" && m.every(Number.isFinite) ? m : null;
}
