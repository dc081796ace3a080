/** Printed after `npm run build -w extension`: where to load the extension from, and what it weighs. */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { kb, pageWeight } from "./bundle-size";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.join(root, "dist");
const chrome = path.join(dist, "chrome-mv3");
const firefox = path.join(dist, "firefox-mv3");
const zips = fs.readdirSync(dist).filter((f) => f.endsWith(".zip")).sort();
const popup = pageWeight(chrome, "popup.html");

console.log(
  [
    "",
    "Passerelle browser extension built",
    `  Chrome, Edge, Brave (load unpacked)   ${chrome}`,
    `  Firefox (temporary add-on)            ${path.join(firefox, "manifest.json")}`,
    `  Zips                                  ${zips.map((z) => path.join(dist, z)).join("\n                                        ")}`,
    `  Popup JavaScript                      ${kb(popup.gzipBytes)} gzipped (${kb(popup.bytes)} raw, limit 60 KB gzipped)`,
    "",
  ].join("\n"),
);
