/**
 * The browser's access to Passerelle servers: only the server in the settings keeps its optional
 * host permission; any other one granted before (a previous server, a prompt answered from a page
 * closed before saving) is given back, so the extension reaches no host the owner has left.
 */
import { browser } from "wxt/browser";
import { checkServerUrl } from "../server-url";

/** The manifest's optional hosts are https ones (`optional_host_permissions: ["https://*\/*"]`); http hosts are required and stay. */
const isOptional = (origin: string) => origin.startsWith("https://");

export async function releaseOtherServers(serverUrl: string): Promise<string[]> {
  const check = checkServerUrl(serverUrl);
  const keep = check.ok && check.needsPermission ? check.originPattern : null;
  const { origins = [] } = await browser.permissions.getAll();
  const released = origins.filter((origin) => isOptional(origin) && origin !== keep);
  if (released.length > 0) await browser.permissions.remove({ origins: released });
  return released;
}
