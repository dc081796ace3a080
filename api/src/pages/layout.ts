/** The frame of the server-rendered pages: no script at all, one inline style allowed by its hash. */
import { createHash } from "node:crypto";
import { escapeHtml } from "../http/docs-page.js";

const STYLE = `body{font:16px/1.55 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1d2430;background:#f4f6f9;margin:0}
main{max-width:560px;margin:2.5rem auto;background:#fff;border:1px solid #e2e6ec;border-radius:10px;padding:1.6rem 2rem}
header{font-weight:700;color:#1f5fbf;letter-spacing:.02em;margin-bottom:1rem}h1{font-size:1.35rem;margin:.2rem 0 1rem}
.en{color:#4a5568}p.en,span.en{font-size:.95em}label{display:block;margin:.9rem 0 .2rem;font-weight:600}
input[type=text],input[type=password]{width:100%;box-sizing:border-box;padding:.55rem .6rem;border:1px solid #b8c1cc;border-radius:6px;font:inherit}
button{margin-top:1.3rem;background:#1f5fbf;color:#fff;border:0;border-radius:6px;padding:.7rem 1.2rem;font:inherit;font-weight:600;cursor:pointer}
.error{background:#fdecec;border:1px solid #f3b4b4;color:#8a1c1c;border-radius:6px;padding:.6rem .8rem;margin:.8rem 0}
.email{font-family:ui-monospace,monospace;background:#f0f3f7;padding:.1rem .35rem;border-radius:4px}
ol li{margin:.4rem 0}hr{border:0;border-top:1px solid #e2e6ec;margin:1.4rem 0}small{color:#5f6b7a}
h2{font-size:1.05rem;margin:1.4rem 0 .4rem}ul li{margin:.3rem 0}code{font-family:ui-monospace,monospace;font-size:.9em;overflow-wrap:anywhere}`;

const STYLE_HASH = createHash("sha256").update(STYLE).digest("base64");

/** No scripts, no frames, no third parties; forms post back here only. */
export const PAGE_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${STYLE_HASH}'`,
  "img-src 'self' data:",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

export const PAGE_HEADERS: Record<string, string> = {
  "content-type": "text/html; charset=utf-8",
  "content-security-policy": PAGE_CSP,
  "referrer-policy": "no-referrer",
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "cache-control": "no-store",
};

/** Tagged template that escapes every interpolated value unless it is already `Html`. */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    const piece = Array.isArray(v) ? v.map((x) => (x instanceof Html ? x.value : escapeHtml(String(x)))).join("") : v instanceof Html ? v.value : escapeHtml(String(v ?? ""));
    out += piece + strings[i + 1]!;
  });
  return new Html(out);
}

export function page(status: number, title: string, body: Html, extraHeaders: Record<string, string> = {}, lang: "fr" | "en" = "fr"): Response {
  const document = `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${escapeHtml(title)} — Passerelle</title><style>${STYLE}</style></head>
<body><main><header>Passerelle</header>${body.value}</main></body></html>`;
  return new Response(document, { status, headers: { ...PAGE_HEADERS, ...extraHeaders } });
}
