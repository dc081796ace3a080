import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, screen, waitFor } from "@testing-library/preact";
import { storedForm } from "../../lib/app/form-store";
import { reload, signedInApp } from "./app-harness";

afterEach(async () => {
  cleanup();
  await storedForm("none");
  vi.useRealTimers();
});

const UNREACHABLE = "Le serveur Passerelle ne répond pas. Vérifiez l'adresse dans les réglages et votre connexion.";

describe("the server not answering", () => {
  it("shows the red banner while it is down and takes it away once the server answers again", async () => {
    const { env, view } = await signedInApp("#/products");
    const answering = env.fetch;
    env.fetch = async () => {
      throw new TypeError("Failed to fetch");
    };
    await reload(view);
    const banner = await screen.findByText(UNREACHABLE);
    expect(banner.closest(".notice-error")).toBeTruthy();

    env.fetch = answering;
    await waitFor(() => expect(screen.queryByText(UNREACHABLE)).toBeNull());
    expect(await screen.findByText("Aucun produit ou service pour l'instant.")).toBeTruthy();
  });
});
