import { defineConfig } from "wxt";
import preact from "@preact/preset-vite";

/**
 * Permissions are the product's promise: `storage` (session and settings), `activeTab` +
 * `scripting` (read the PDF links of the tab the owner opened the popup on, no content script
 * everywhere), `contextMenus` ("Envoyer à mon comptable"), `alarms` (refresh the badge every
 * 30 minutes while signed in). Hosts: this machine's demo server; any other server is an
 * optional https permission asked for when the owner saves it. test/build.test.ts pins this list.
 *
 * The invoicing view (app.html) also opens in the browser's side panel, next to the page the
 * owner invoices from: Chrome needs `sidePanel` for that (it shows no install warning and
 * gives no access to pages); Firefox's sidebar needs no permission.
 */
const ICONS = { 16: "icons/icon-16.png", 32: "icons/icon-32.png", 48: "icons/icon-48.png", 128: "icons/icon-128.png" };

export default defineConfig({
  outDir: process.env.PASSERELLE_EXTENSION_OUT ?? "dist",
  manifestVersion: 3,
  imports: false,
  vite: () => ({ plugins: [preact()], build: { sourcemap: false } }),
  manifest: ({ browser }) => ({
    name: "__MSG_extName__",
    description: "__MSG_extDescription__",
    default_locale: "fr",
    permissions: ["storage", "activeTab", "scripting", "contextMenus", "alarms", ...(browser === "firefox" ? [] : ["sidePanel"])],
    host_permissions: ["http://localhost/*", "http://127.0.0.1/*"],
    optional_host_permissions: ["https://*/*"],
    icons: ICONS,
    action: { default_title: "Passerelle", default_icon: ICONS },
    ...(browser === "firefox"
      ? { sidebar_action: { default_panel: "app.html", default_title: "__MSG_appTitle__", default_icon: ICONS, open_at_install: false } }
      : { side_panel: { default_path: "app.html" } }),
    ...(browser === "firefox"
      ? {
          browser_specific_settings: {
            gecko: {
              id: "extension@passerelle.fr",
              strict_min_version: "140.0",
              // What the extension sends to the owner's own Passerelle server: sign-in, customers' and the accountant's
              // names and addresses, invoices, documents from pages (store/listing.*.md says the same).
              data_collection_permissions: { required: ["authenticationInfo", "personallyIdentifyingInfo", "financialAndPaymentInfo", "websiteContent"] },
            },
            gecko_android: { strict_min_version: "142.0" },
          },
        }
      : {}),
  }),
  zip: {
    artifactTemplate: "passerelle-{{version}}-{{browser}}.zip",
    sourcesTemplate: "passerelle-{{version}}-sources.zip",
    // The extension's sources include the shared domain package it is built with.
    sourcesRoot: "..",
    includeSources: [],
    // Store screenshots are not needed to build it.
    excludeSources: ["api/**", "excel-addin/**", "manifest.xml", ".ci/**", "data/**", "test-output/**", "**/dist/**", "**/.output/**", "*.db*", "extension/store/screenshots/**"],
  },
});
