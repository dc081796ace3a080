/** Reading and rewriting the hosting base of manifest.xml (every URL in it lives under that base). */

/** The base the manifest points to now, from the task pane's URL. */
export function manifestBase(xml: string): string {
  const match = /<DefaultSettings>\s*<SourceLocation DefaultValue="([^"]+)taskpane\.html"\s*\/>/.exec(xml);
  if (!match) throw new Error("manifest.xml has no DefaultSettings/SourceLocation ending in taskpane.html");
  return match[1]!;
}

/** "https://passerelle.example.fr" → "https://passerelle.example.fr/addin/" (the API serves the add-in there). */
export function hostingBase(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`"${url}" is not a URL (expected e.g. https://passerelle.example.fr)`);
  }
  if (parsed.protocol !== "https:") throw new Error(`Office loads add-ins over HTTPS only: "${url}" must start with https://`);
  if (parsed.search || parsed.hash) throw new Error(`"${url}" must not carry a query or a fragment`);
  const path = parsed.pathname.replace(/\/+$/, "");
  return `${parsed.origin}${/\/addin$/.test(path) ? path : `${path}/addin`}/`;
}

export function rewriteManifest(xml: string, newBase: string): string {
  const oldBase = manifestBase(xml);
  return xml.split(`"${oldBase}`).join(`"${newBase}`);
}
