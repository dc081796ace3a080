/** The invoicing view signed in to a real background and the real API in-process, on the API's test day. */
import { render, screen } from "@testing-library/preact";
import { vi } from "vitest";
import { App } from "../../entrypoints/app/App";
import { send } from "../../lib/messaging";
import { ownerWithCompany, PASSWORD } from "../api-harness";
import { popupWithBackground } from "../popup-harness";

/** The API's test clock: 2026-11-20, a Friday. */
export const TEST_NOW = new Date("2026-11-20T10:00:00Z");

export const NBSP = "\u00a0";
export const NNBSP = "\u202f";
/** fr-FR euros as the view prints them: "1 234,56 €". */
export const euros = (text: string) => text.replace(/ (?=\d{3}\b)/g, NNBSP).replace(/ €$/, `${NBSP}€`);

export async function signedInApp(hash = "#/invoices") {
  // The page's "today" is the API's: dates prefilled in forms are then accepted by it.
  vi.useFakeTimers({ toFake: ["Date"], now: TEST_NOW });
  const h = await popupWithBackground();
  const owner = await ownerWithCompany(h.api);
  await send({ kind: "session.signIn", email: owner.email, password: PASSWORD, remember: false });
  location.hash = hash;
  const view = render(<App />);
  await screen.findByRole("navigation", { name: "Facturation" });
  return { ...h, owner, view };
}

/** Shows the view again as a reload would: unmounted, then mounted on the same address and storage. */
export async function reload(view: { unmount(): void }) {
  view.unmount();
  const again = render(<App />);
  await screen.findByRole("navigation", { name: "Facturation" });
  return again;
}

/** Goes to a screen of the view as a link or the address bar would. */
export function go(hash: string) {
  location.hash = hash;
  // happy-dom's own `hashchange` does not reach the page's window here; a browser's does.
  window.dispatchEvent(new HashChangeEvent("hashchange"));
}
