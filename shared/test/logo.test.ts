import { describe, expect, it } from "vitest";
import { inspectLogo, parseSvgLogo, svgLogoSize, svgTransform, type SvgNode } from "../src/index.js";

const utf8 = (s: string) => new TextEncoder().encode(s);
const root = (svg: string): SvgNode => {
  const parsed = parseSvgLogo(svg);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.root;
};

describe("parseSvgLogo: what documents draw, or why not", () => {
  it("keeps shapes in groups, style declarations over attributes, entities decoded", () => {
    const svg = root(
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><g id="a" fill="red"><rect width="4" height="4" fill="blue" style="fill: #00ff00 ; stroke:none"/><title>A &amp; B</title></g></svg>',
    );
    expect(svg.children[0]!.children.map((c) => [c.name, c.attrs])).toEqual([
      ["rect", { width: "4", height: "4", fill: "#00ff00", stroke: "none" }],
      ["title", {}],
    ]);
  });

  it.each([
    ['<svg viewBox="0 0 1 1"><a href="javascript:alert(1)"/></svg>', "is an SVG that holds <a>, which documents do not draw: a logo's SVG may hold only svg, g, path, rect, circle, ellipse, line, polyline, polygon, title, desc"],
    ['<svg viewBox="0 0 1 1"><g href="#ok"/><g href=" data:x"/></svg>', 'is an SVG that links to " data:x" (href on <g>): only #fragments may be referred to'],
    ['<svg viewBox="0 0 1 1"><rect ONCLICK="x"/></svg>', "is an SVG that has an event handler (ONCLICK on <rect>)"],
    ['<svg viewBox="0 0 1 1"><rect fill="url(#grad)"/></svg>', "is an SVG that refers to a gradient, pattern, mask or clip (fill on <rect>), which documents do not draw"],
    ['<svg viewBox="0 0 1 1"><rect style="fill:url( \'https://x.example/a\' )"/></svg>', "is an SVG that refers to an external resource (fill on <rect>)"],
    ['<svg viewBox="0 0 1 1"><rect clip-path="none"/></svg>', "is an SVG that uses clip-path on <rect>, which documents do not draw"],
    ['<svg viewBox="0 0 1 1"><rect fill="&ext;"/></svg>', "is an SVG that uses an entity XML does not define (fill on <rect>)"],
    ['<svg viewBox="0 0 1 1"><![CDATA[x]]></svg>', "is an SVG that has a CDATA section (a style sheet or a script)"],
    ['<svg viewBox="0 0 1 1"><?php echo 1 ?></svg>', "is an SVG that has a processing instruction"],
    ['<svg viewBox="0 0 1 1"><g></svg>', "is an SVG that is not well-formed XML: </svg> closes <g>"],
    ['<svg viewBox="0 0 1 1"><g>', "is an SVG that is cut short: <g> is never closed"],
    ['<svg viewBox="0 0 1 1"/><svg viewBox="0 0 1 1"/>', "is an SVG that has more than one root element"],
    ['<svg viewBox="0 0 1 1"><path d="M0 0 L1 1 url(x)"/></svg>', "is an SVG that refers to an external resource (d on <path>)"],
    ['<svg viewBox="0 0 1 1"><path d="M0 0 X1 1"/></svg>', "is an SVG that has a path whose data (d) is not SVG path data"],
    ['<svg viewBox="0 0 1 1"><g transform="perspective(2)"/></svg>', 'is an SVG that has a transform that cannot be read ("perspective(2)" on <g>)'],
    ['<svg:svg xmlns:svg="http://www.w3.org/2000/svg"/>', "is an SVG that holds <svg:svg>, which documents do not draw: a logo's SVG may hold only svg, g, path, rect, circle, ellipse, line, polyline, polygon, title, desc"],
  ])("%s → refused", (svg, message) => {
    expect(parseSvgLogo(svg)).toEqual({ ok: false, message });
  });
});

describe("svgLogoSize: width, height and viewBox", () => {
  it.each([
    ['<svg viewBox="0 0 120 40"/>', { width: 120, height: 40, viewBox: [0, 0, 120, 40] }],
    ['<svg viewBox="10 5 120 40" width="240px"/>', { width: 240, height: 80, viewBox: [10, 5, 120, 40] }],
    ['<svg width="50" height="20"/>', { width: 50, height: 20, viewBox: [0, 0, 50, 20] }],
    ['<svg viewBox="0 0 120 40" width="100%" height="100%"/>', { width: 120, height: 40, viewBox: [0, 0, 120, 40] }],
    ['<svg width="5cm" height="2cm"/>', "is an SVG whose width or height is not in pixels"],
    ['<svg viewBox="0 0 0 40"/>', "is an SVG whose viewBox is not four numbers with a positive width and height"],
    ["<svg/>", "is an SVG without a size: give its <svg> a viewBox, or a width and a height"],
  ])("%s", (svg, size) => {
    expect(svgLogoSize(root(svg))).toEqual(size);
  });
});

describe("svgTransform: one matrix for a list", () => {
  it("composes left to right, as SVG does", () => {
    expect(svgTransform("translate(10 20) scale(2)")).toEqual([2, 0, 0, 2, 10, 20]);
    expect(svgTransform("matrix(1,0,0,1,5,6)")).toEqual([1, 0, 0, 1, 5, 6]);
    const r = svgTransform("rotate(90 10 10)")!.map((n) => Math.round(n * 1e9) / 1e9);
    expect(r).toEqual([0, 1, -1, 0, 20, 0]);
    expect(svgTransform("scale(2) bogus")).toBeNull();
  });
});

describe("inspectLogo: the type from the bytes", () => {
  it("recognises an SVG behind an XML declaration, a byte-order mark or a comment, with its size in whole pixels", () => {
    const svg = '\uFEFF<?xml version="1.0"?>\n<!-- logo --><svg viewBox="0 0 10.6 4.2"/>';
    expect(inspectLogo(utf8(svg))).toEqual({ ok: true, logo: { mediaType: "image/svg+xml", width: 11, height: 4 } });
  });

  it("refuses an SVG that is not UTF-8, and a GIF", () => {
    expect(inspectLogo(new Uint8Array([...utf8('<svg viewBox="0 0 1 1">'), 0xff, ...utf8("</svg>")]))).toEqual({ ok: false, message: "is an SVG that is not UTF-8 text" });
    expect(inspectLogo(utf8("GIF89a...."))).toEqual({ ok: false, message: "must be a PNG, a JPEG or an SVG image" });
  });
});
