/**
 * The company's logo on a document: `drawLogo` fits it in a box, keeping its proportions, top left.
 * PNG and JPEG are embedded as they are; an SVG (only what svg-logo.ts accepts) is drawn as vector
 * paths. Invoices, credit notes and quotes all print their logo through it.
 */
import { parseSvgLogo, svgLength, svgLogoSize, svgNumbers, svgTransform, type SvgNode } from "@passerelle/shared";
import { createPdf, pdfBytes, type PdfHandle } from "./pdf-document.js";
import type { LogoImage } from "../services/logos.js";

export interface LogoBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Where documents put the logo: top left, above the seller's name, clear of the title block on the right. */
export const DOCUMENT_LOGO_BOX: LogoBox = { x: 50, y: 50, width: 180, height: 60 };

/**
 * The logo at the top left of a document (invoice, credit note, quote), when it has one; answers
 * where the seller's name goes below it (`box.y` when there is no logo).
 */
export function drawDocumentLogo(pdf: PdfHandle, logo: LogoImage | null, box: LogoBox = DOCUMENT_LOGO_BOX): number {
  return logo ? box.y + drawLogo(pdf, logo, box).height + 10 : box.y;
}

/** Draws `logo` within `box` (never enlarged past its own size in points); answers the width and height drawn. */
export function drawLogo(pdf: PdfHandle, logo: LogoImage, box: LogoBox): { width: number; height: number } {
  const scale = Math.min(box.width / logo.width, box.height / logo.height, 1);
  const width = logo.width * scale;
  const height = logo.height * scale;
  const { doc } = pdf;
  if (logo.mediaType === "image/svg+xml") drawSvg(pdf, logo, { x: box.x, y: box.y, width, height });
  else doc.image(Buffer.from(logo.bytes.buffer, logo.bytes.byteOffset, logo.bytes.byteLength), box.x, box.y, { width, height });
  return { width, height };
}

/** A page holding the logo alone: a logo is kept only once a document could draw it. */
export async function renderLogoPdf(logo: LogoImage): Promise<Uint8Array> {
  const pdf = createPdf({ title: "Logo", author: "Passerelle", createdAt: new Date(0) });
  drawLogo(pdf, logo, { x: 50, y: 50, width: 495, height: 700 });
  return pdfBytes(pdf.doc);
}

interface Paint {
  fill: string;
  stroke: string;
  strokeWidth: number;
  fillOpacity: number;
  strokeOpacity: number;
  opacity: number;
  fillRule: "nonzero" | "evenodd";
  lineCap: string;
  lineJoin: string;
  miterLimit: number;
}

const INITIAL: Paint = {
  fill: "black",
  stroke: "none",
  strokeWidth: 1,
  fillOpacity: 1,
  strokeOpacity: 1,
  opacity: 1,
  fillRule: "nonzero",
  lineCap: "butt",
  lineJoin: "miter",
  miterLimit: 4,
};

function drawSvg(pdf: PdfHandle, logo: LogoImage, at: LogoBox): void {
  const parsed = parseSvgLogo(new TextDecoder().decode(logo.bytes));
  if (!parsed.ok) throw new Error(`The stored logo ${logo.sha256} cannot be read: ${parsed.message}`);
  const size = svgLogoSize(parsed.root);
  if (typeof size === "string") throw new Error(`The stored logo ${logo.sha256} has no size: ${size}`);
  const [vx, vy, vw, vh] = size.viewBox;
  const scale = Math.min(at.width / vw, at.height / vh);
  const { doc } = pdf;
  doc.save();
  doc.rect(at.x, at.y, at.width, at.height).clip();
  doc.translate(at.x + (at.width - vw * scale) / 2, at.y + (at.height - vh * scale) / 2);
  doc.scale(scale);
  doc.translate(-vx, -vy);
  for (const child of parsed.root.children) drawNode(pdf, child, paintOf(parsed.root, INITIAL));
  doc.restore();
}

const opacity = (value: string | undefined, inherited: number) => {
  const n = value === undefined ? NaN : Number(value.trim().replace(/%$/, "")) / (value.trim().endsWith("%") ? 100 : 1);
  return Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : inherited;
};

function paintOf(node: SvgNode, parent: Paint): Paint {
  const a = node.attrs;
  return {
    fill: a.fill?.trim() || parent.fill,
    stroke: a.stroke?.trim() || parent.stroke,
    strokeWidth: svgLength(a["stroke-width"]) ?? parent.strokeWidth,
    fillOpacity: opacity(a["fill-opacity"], parent.fillOpacity),
    strokeOpacity: opacity(a["stroke-opacity"], parent.strokeOpacity),
    // group opacity is approximated by multiplying it into what the group holds
    opacity: parent.opacity * opacity(a.opacity, 1),
    fillRule: a["fill-rule"] === "evenodd" ? "evenodd" : a["fill-rule"] === "nonzero" ? "nonzero" : parent.fillRule,
    lineCap: a["stroke-linecap"] ?? parent.lineCap,
    lineJoin: a["stroke-linejoin"] ?? parent.lineJoin,
    miterLimit: Number(a["stroke-miterlimit"]) || parent.miterLimit,
  };
}

/** A colour pdfkit knows (#rgb, #rrggbb, a CSS name, rgb()), or null for none. */
function colour(value: string): PDFKit.Mixins.ColorValue | null {
  const v = value.toLowerCase();
  if (v === "none" || v === "transparent") return null;
  const rgb = /^rgb\(\s*([\d.]+%?)\s*,?\s*([\d.]+%?)\s*,?\s*([\d.]+%?)\s*\)$/.exec(v);
  if (rgb) return rgb.slice(1, 4).map((c) => Math.min(255, c.endsWith("%") ? (Number(c.slice(0, -1)) * 255) / 100 : Number(c))) as [number, number, number];
  if (/^#[0-9a-f]{3}$/.test(v)) return `#${v[1]}${v[1]}${v[2]}${v[2]}${v[3]}${v[3]}`;
  if (/^#[0-9a-f]{6}$/.test(v) || /^[a-z]+$/.test(v)) return v;
  return "black";
}

function drawNode(pdf: PdfHandle, node: SvgNode, parent: Paint): void {
  const a = node.attrs;
  if (node.name === "title" || node.name === "desc" || a.display === "none") return;
  const paint = paintOf(node, parent);
  const { doc } = pdf;
  doc.save();
  if (a.transform) {
    const m = svgTransform(a.transform)!;
    doc.transform(m[0], m[1], m[2], m[3], m[4], m[5]);
  }
  if (node.name === "g" || node.name === "svg") {
    for (const child of node.children) drawNode(pdf, child, paint);
    doc.restore();
    return;
  }
  if (!shape(pdf, node) || a.visibility === "hidden") {
    doc.restore();
    return;
  }
  const fill = node.name === "line" ? null : colour(paint.fill);
  const stroke = paint.strokeWidth > 0 ? colour(paint.stroke) : null;
  if (fill) doc.fillColor(fill, paint.fillOpacity * paint.opacity);
  if (stroke) {
    doc.strokeColor(stroke, paint.strokeOpacity * paint.opacity).lineWidth(paint.strokeWidth);
    doc.lineCap(paint.lineCap as "butt").lineJoin(paint.lineJoin as "miter").miterLimit(paint.miterLimit);
  }
  if (fill && stroke) doc.fillAndStroke(fill, stroke, paint.fillRule === "evenodd" ? "even-odd" : "non-zero");
  else if (fill) doc.fill(fill, paint.fillRule === "evenodd" ? "even-odd" : "non-zero");
  else if (stroke) doc.stroke(stroke);
  doc.restore();
}

/** Adds the element's outline to the current path; false when it draws nothing. */
function shape(pdf: PdfHandle, node: SvgNode): boolean {
  const { doc } = pdf;
  const a = node.attrs;
  const n = (name: string) => svgLength(a[name]) ?? 0;
  switch (node.name) {
    case "path":
      if (!a.d?.trim()) return false;
      doc.path(a.d);
      return true;
    case "rect": {
      const [w, h] = [n("width"), n("height")];
      if (!(w > 0 && h > 0)) return false;
      const rx = Math.min(svgLength(a.rx) ?? svgLength(a.ry) ?? 0, w / 2);
      if (rx > 0) doc.roundedRect(n("x"), n("y"), w, h, rx);
      else doc.rect(n("x"), n("y"), w, h);
      return true;
    }
    case "circle":
      if (!(n("r") > 0)) return false;
      doc.circle(n("cx"), n("cy"), n("r"));
      return true;
    case "ellipse":
      if (!(n("rx") > 0 && n("ry") > 0)) return false;
      doc.ellipse(n("cx"), n("cy"), n("rx"), n("ry"));
      return true;
    case "line":
      doc.moveTo(n("x1"), n("y1")).lineTo(n("x2"), n("y2"));
      return true;
    case "polyline":
    case "polygon": {
      const p = svgNumbers(a.points);
      if (p.length < 4) return false;
      doc.moveTo(p[0]!, p[1]!);
      for (let i = 2; i + 1 < p.length; i += 2) doc.lineTo(p[i]!, p[i + 1]!);
      if (node.name === "polygon") doc.closePath();
      return true;
    }
    default:
      return false;
  }
}
