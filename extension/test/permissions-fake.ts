/**
 * `browser.permissions` as Chrome keeps it, in memory: the manifest's hosts granted and not removable,
 * optional ones granted only when the owner answers the prompt, which the test answers.
 */
import { fakeBrowser } from "wxt/testing/fake-browser";
import type { Browser, browser } from "wxt/browser";

type Permissions = Pick<Browser.permissions.Permissions, "origins">;

export const MANIFEST_ORIGINS = ["http://localhost/*", "http://127.0.0.1/*"];

export function fakePermissions() {
  const granted = new Set<string>();
  const prompts: string[][] = [];
  let answer: (origins: string[]) => Promise<boolean> = () => Promise.resolve(false);

  const api = {
    getAll: async (): Promise<Permissions> => ({ origins: [...MANIFEST_ORIGINS, ...granted] }),
    contains: async ({ origins = [] }: Permissions) => origins.every((o) => MANIFEST_ORIGINS.includes(o) || granted.has(o)),
    request: ({ origins = [] }: Permissions): Promise<boolean> => {
      if (origins.every((o) => MANIFEST_ORIGINS.includes(o) || granted.has(o))) return Promise.resolve(true);
      prompts.push(origins);
      return answer(origins).then((yes) => {
        if (yes) origins.forEach((o) => granted.add(o));
        return yes;
      });
    },
    remove: async ({ origins = [] }: Permissions) => {
      if (origins.some((o) => MANIFEST_ORIGINS.includes(o))) throw new Error("You cannot remove required permissions.");
      origins.forEach((o) => granted.delete(o));
      return true;
    },
  } satisfies Pick<typeof browser.permissions, "getAll" | "contains" | "request" | "remove">;
  Object.assign(fakeBrowser.permissions, api);

  return {
    /** Origins granted beyond the manifest's. */
    granted: () => [...granted],
    /** The origins of each prompt shown, in order. */
    prompts,
    /** How the owner answers the next prompts. */
    answerWith(next: (origins: string[]) => Promise<boolean>) {
      answer = next;
    },
    grant(origin: string) {
      granted.add(origin);
    },
  };
}
