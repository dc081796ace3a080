/** The popup's pages talking to a real background, itself talking to the real API in-process. */
import { fakeBrowser } from "wxt/testing/fake-browser";
import { createBackground } from "../lib/background/main";
import { harness, type HarnessOptions } from "./api-harness";

export const POPUP_SENDER = { id: "test-extension-id", url: "chrome-extension://test-extension-id/popup.html" };

export async function popupWithBackground(options: HarnessOptions = {}) {
  const h = await harness(options);
  const background = createBackground(h.env);
  // The fake browser delivers messages without a sender; the popup page is the sender here.
  fakeBrowser.runtime.onMessage.addListener((message: unknown) => background.router.handle(message, POPUP_SENDER));
  return { ...h, background };
}
