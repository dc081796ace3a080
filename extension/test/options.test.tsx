import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { App } from "../entrypoints/options/App";
import { serverUrlItem, sessionAuthItem } from "../lib/storage";
import { ownerWithCompany, PASSWORD } from "./api-harness";
import { popupWithBackground } from "./popup-harness";
import { send } from "../lib/messaging";

afterEach(() => cleanup());

async function optionsPage() {
  const h = await popupWithBackground();
  h.web.pages.set("https://passerelle.cabinet.fr/health", () => Response.json({ ok: true, version: "0.1.0" }));
  const request = vi.spyOn(fakeBrowser.permissions, "request");
  const remove = vi.spyOn(fakeBrowser.permissions, "remove").mockResolvedValue(true);
  render(<App />);
  const field = await screen.findByLabelText("Adresse du serveur Passerelle");
  await waitFor(() => expect((field as HTMLInputElement).value).toBe("http://localhost:8787"));
  const save = (url: string) => {
    fireEvent.input(field, { target: { value: url } });
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer" }));
  };
  return { ...h, field, save, request, remove };
}

describe("options: the server address", () => {
  it("refuses plain http outside this machine, without asking the browser anything", async () => {
    const { save, request, field } = await optionsPage();
    save("http://passerelle.cabinet.fr");
    expect(await screen.findByText("Utilisez https:// : http:// n'est accepté que pour ce poste (localhost).")).toBeTruthy();
    expect(field.getAttribute("aria-invalid")).toBe("true");
    expect(request).not.toHaveBeenCalled();
    expect(await serverUrlItem.getValue()).toBe("http://localhost:8787");
  });

  it("asks for the https host as it is saved, then checks it answers as Passerelle", async () => {
    const { save, request } = await optionsPage();
    request.mockResolvedValue(true);
    save("https://passerelle.cabinet.fr/");
    await waitFor(() => expect(screen.getByTestId("options-outcome").textContent).toBe("Connexion réussie à https://passerelle.cabinet.fr (Passerelle 0.1.0)."));
    expect(request).toHaveBeenCalledWith({ origins: ["https://passerelle.cabinet.fr/*"] });
    expect(await serverUrlItem.getValue()).toBe("https://passerelle.cabinet.fr");
  });

  it("keeps the old address when the permission is refused", async () => {
    const { save, request } = await optionsPage();
    request.mockResolvedValue(false);
    save("https://passerelle.cabinet.fr");
    await waitFor(() =>
      expect(screen.getByTestId("options-outcome").textContent).toBe(
        "Autorisation refusée : l'extension ne pourra pas joindre https://passerelle.cabinet.fr. L'adresse n'a pas été changée.",
      ),
    );
    expect(await serverUrlItem.getValue()).toBe("http://localhost:8787");
  });

  it("signs out of the previous server and gives back its permission when the address changes", async () => {
    const { api, save, request, remove } = await optionsPage();
    const owner = await ownerWithCompany(api);
    await send({ kind: "session.signIn", email: owner.email, password: PASSWORD, remember: false });
    request.mockResolvedValue(true);
    save("https://passerelle.cabinet.fr");
    await waitFor(() => expect(screen.getByTestId("options-outcome").textContent).toContain("Connexion réussie"));
    expect(await sessionAuthItem.getValue()).toBeNull();

    save("https://autre-serveur.example");
    await waitFor(() => expect(remove).toHaveBeenCalledWith({ origins: ["https://passerelle.cabinet.fr/*"] }));
  });
});
