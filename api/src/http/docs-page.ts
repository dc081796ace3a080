/** A readable, self-contained API reference rendered from the OpenAPI document (no CDN, works offline). */
import { createHash } from "node:crypto";

const DOCS_STYLE = `body{font:15px/1.5 system-ui,sans-serif;max-width:980px;margin:2rem auto;padding:0 1rem;color:#1d2430}
h1{margin-bottom:.2rem}h2{border-bottom:2px solid #e4e7ec;padding-top:1rem}.op{border:1px solid #e4e7ec;border-radius:8px;padding:.4rem 1rem;margin:.8rem 0}
.op h3{font-size:1rem;margin:.4rem 0}.m{display:inline-block;min-width:4.2rem;text-align:center;border-radius:4px;color:#fff;font-size:.8rem;padding:.1rem .3rem}
.get{background:#2f6fdb}.post{background:#1f9254}.patch{background:#b7791f}.put{background:#8a5cf6}.delete{background:#c53030}
pre{background:#f6f8fa;padding:.6rem;overflow:auto;font-size:.8rem}.d{color:#4a5568}.r{font-size:.9rem;color:#4a5568}code{font-size:.9em}`;

/** No script, no frames, no third parties: only the page's own style, allowed by its hash. */
export const DOCS_PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash("sha256").update(DOCS_STYLE).digest("base64")}'`,
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

interface Operation {
  tags?: string[];
  summary?: string;
  description?: string;
  security?: unknown[];
  parameters?: { name: string; in: string; required?: boolean; schema?: unknown; description?: string }[];
  requestBody?: { content?: Record<string, { schema?: unknown }> };
  responses?: Record<string, { description?: string }>;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);
}

function schemaText(schema: unknown): string {
  return escapeHtml(JSON.stringify(schema, null, 2) ?? "");
}

export function renderDocsPage(doc: { info: { title: string; version: string; description?: string }; paths: Record<string, Record<string, Operation>> }): string {
  const byTag = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = op.tags?.[0] ?? "Other";
      const params = (op.parameters ?? [])
        .map((p) => `<li><code>${escapeHtml(p.name)}</code> <small>${p.in}${p.required ? ", required" : ""}</small></li>`)
        .join("");
      const body = Object.entries(op.requestBody?.content ?? {})
        .map(([type, c]) => `<details><summary>Body <code>${escapeHtml(type)}</code></summary><pre>${schemaText(c.schema)}</pre></details>`)
        .join("");
      const responses = Object.entries(op.responses ?? {})
        .map(([code, r]) => `<li><code>${code}</code> ${escapeHtml(r.description ?? "")}</li>`)
        .join("");
      const html = `<section class="op"><h3><span class="m ${method}">${method.toUpperCase()}</span> <code>${escapeHtml(path)}</code>${
        op.security?.length ? ' <small title="Authorization: Bearer">🔒</small>' : ""
      }</h3><p>${escapeHtml(op.summary ?? "")}</p>${op.description ? `<p class="d">${escapeHtml(op.description)}</p>` : ""}${
        params ? `<ul>${params}</ul>` : ""
      }${body}<ul class="r">${responses}</ul></section>`;
      byTag.set(tag, [...(byTag.get(tag) ?? []), html]);
    }
  }
  const nav = [...byTag.keys()].map((t) => `<a href="#${encodeURIComponent(t)}">${escapeHtml(t)}</a>`).join(" · ");
  const sections = [...byTag].map(([t, ops]) => `<h2 id="${encodeURIComponent(t)}">${escapeHtml(t)}</h2>${ops.join("")}`).join("");
  return `<!doctype html><html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(doc.info.title)} — API</title><style>${DOCS_STYLE}</style></head><body><h1>${escapeHtml(doc.info.title)} <small>v${escapeHtml(doc.info.version)}</small></h1>
<p>${escapeHtml(doc.info.description ?? "")}</p><p>Machine-readable: <a href="/openapi.json">/openapi.json</a></p><nav>${nav}</nav>${sections}</body></html>`;
}
