import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { storedForm } from "../../lib/app/form-store";
import { send } from "../../lib/messaging";
import { sessionAuthItem } from "../../lib/storage";
import { PASSWORD } from "../api-harness";
import { signedInApp } from "./app-harness";

afterEach(async () => {
  cleanup();
  await storedForm("none");
  vi.useRealTimers();
});

describe("a session that ends under an open form", () => {
  it("is signed into again over the form, which keeps what was typed and then saves", async () => {
    const { api, owner } = await signedInApp("#/customers/new");
    fireEvent.input(await screen.findByLabelText("Nom"), { target: { value: "Bouquinerie des Canuts" } });
    fireEvent.input(screen.getByLabelText("Adresse (ligne 1)"), { target: { value: "12 rue Saint-Jean" } });
    // Revoked on the server (signed out elsewhere, or expired) while the owner types.
    await api.call("POST", "/auth/logout", { token: (await sessionAuthItem.getValue())!.token });
    fireEvent.click(screen.getByRole("button", { name: "Créer le client" }));

    const again = await screen.findByTestId("sign-in-again");
    expect(within(again).getByText("Votre session a pris fin. Reconnectez-vous : ce que vous avez saisi est toujours là.")).toBeTruthy();
    expect((within(again).getByLabelText("Adresse e-mail") as HTMLInputElement).value).toBe(owner.email);
    fireEvent.input(within(again).getByLabelText("Mot de passe"), { target: { value: PASSWORD } });
    fireEvent.click(within(again).getByRole("button", { name: "Se connecter" }));
    await waitFor(() => expect(screen.queryByTestId("sign-in-again")).toBeNull());

    expect((screen.getByLabelText("Nom") as HTMLInputElement).value).toBe("Bouquinerie des Canuts");
    expect((screen.getByLabelText("Adresse (ligne 1)") as HTMLInputElement).value).toBe("12 rue Saint-Jean");
    fireEvent.click(screen.getByRole("button", { name: "Créer le client" }));
    await screen.findByTestId("flash");
    const created = (await api.call("GET", `/companies/${owner.companyId}/customers?q=Bouquinerie`, { token: owner.token })).json.items;
    expect(created.map((c: { name: string; address: { line1: string } }) => [c.name, c.address.line1])).toEqual([["Bouquinerie des Canuts", "12 rue Saint-Jean"]]);
  });

  it("leaves its signed-out state when the owner signs in from the popup, without a reload", async () => {
    const { owner } = await signedInApp("#/invoices");
    fireEvent.click(screen.getByRole("button", { name: "Se déconnecter" }));
    await screen.findByRole("heading", { name: "Connexion à Passerelle" });

    await send({ kind: "session.signIn", email: owner.email, password: PASSWORD, remember: false });
    await screen.findByRole("navigation", { name: "Facturation" });
    expect(screen.queryByRole("heading", { name: "Connexion à Passerelle" })).toBeNull();
  });
});
