import { afterEach, describe, expect, it } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/preact";
import { App } from "../entrypoints/options/App";
import { serverUrlItem, sessionAuthItem } from "../lib/storage";
import { ownerWithCompany, PASSWORD } from "./api-harness";
import { popupWithBackground } from "./popup-harness";
import { fakePermissions } from "./permissions-fake";
import { send } from "../lib/messaging";

afterEach(() => cleanup());

const CABINET = "https://passerelle.cabinet.fr";

/** The options page, with the real background and the API also served at CABINET over https. */
async function optionsPage() {
  const permissions = fakePermissions();
  const h = await popupWithBackground({ httpsServer: CABINET });
  h.web.pages.set("https://autre-serveur.example/health", () => Response.json({ ok: true, version: "0.1.0" }));
  render(<App />);
  const field = await screen.findByLabelText("Adresse du serveur Passerelle");
  await waitFor(() => expect((field as HTMLInputElement).value).toBe("http://localhost:8787"));
  const type = (url: string) => fireEvent.input(field, { target: { value: url } });
  const save = (url: string) => {
    type(url);
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer" }));
  };
  const outcome = () => screen.getByTestId("options-outcome").textContent;
  return { ...h, permissions, field, type, save, outcome };
}

describe("options: the server address", () => {
  it("refuses plain http outside this machine, without asking the browser anything", async () => {
    const { save, permissions, field } = await optionsPage();
    save("http://passerelle.cabinet.fr");
    expect(await screen.findByText("Utilisez https:// : http:// n'est accepté que pour ce poste (localhost).")).toBeTruthy();
    expect(field.getAttribute("aria-invalid")).toBe("true");
    expect(permissions.prompts).toEqual([]);
    expect(await serverUrlItem.getValue()).toBe("http://localhost:8787");
  });

  it("says why it will ask for the https host before anything is asked", async () => {
    const { type, permissions } = await optionsPage();
    type(`${CABINET}/`);
    await waitFor(() =>
      expect(screen.getByTestId("server-permission").textContent).toBe(
        "Pour joindre passerelle.cabinet.fr, l'extension a besoin de votre autorisation : en enregistrant, votre navigateur vous la demandera. " +
          "Elle n'y enverra que ce que vous faites avec elle (connexion, factures, documents choisis) et n'aura accès à aucun autre site.",
      ),
    );
    expect(permissions.prompts).toEqual([]);
    // This machine's server needs no permission, so nothing is explained.
    type("http://localhost:9000");
    await waitFor(() => expect(screen.queryByTestId("server-permission")).toBeNull());
  });

  it("asks for the https host from the click itself, then uses it at once: the owner signs in there", async () => {
    const { save, permissions, outcome, api } = await optionsPage();
    let answer!: (yes: boolean) => void;
    permissions.answerWith(() => new Promise((resolve) => (answer = resolve)));
    save(`${CABINET}/`);
    // Firefox shows the prompt only when asked during the click's handler: asked before it returned.
    expect(permissions.prompts).toEqual([["https://passerelle.cabinet.fr/*"]]);
    await waitFor(() => expect(screen.getByTestId("server-permission").textContent).toBe("Répondez à la demande de votre navigateur pour autoriser l'accès à passerelle.cabinet.fr."));
    expect(await serverUrlItem.getValue()).toBe("http://localhost:8787");

    answer(true);
    await waitFor(() => expect(outcome()).toBe("Connexion réussie à https://passerelle.cabinet.fr (Passerelle 0.1.0)."));
    expect(screen.queryByTestId("server-permission")).toBeNull();
    expect(await serverUrlItem.getValue()).toBe(CABINET);
    const owner = await ownerWithCompany(api);
    const view = await send({ kind: "session.signIn", email: owner.email, password: PASSWORD, remember: false });
    expect(view.serverUrl).toBe(CABINET);
    // Signing out waits for the badge's refresh that signing in started, before the API closes.
    await send({ kind: "session.signOut" });
  });

  it("keeps the old address when the permission is refused", async () => {
    const { save, permissions, outcome } = await optionsPage();
    permissions.answerWith(() => Promise.resolve(false));
    save(CABINET);
    await waitFor(() => expect(outcome()).toBe("Autorisation refusée : l'extension ne pourra pas joindre https://passerelle.cabinet.fr. L'adresse n'a pas été changée."));
    expect(await serverUrlItem.getValue()).toBe("http://localhost:8787");
    expect(permissions.granted()).toEqual([]);
  });

  it("changing the server ends the session on the previous one, then gives back its permission and any other left granted", async () => {
    const { api, save, permissions, outcome } = await optionsPage();
    permissions.answerWith(() => Promise.resolve(true));
    save(CABINET);
    await waitFor(() => expect(outcome()).toContain("Connexion réussie"));
    const owner = await ownerWithCompany(api);
    await send({ kind: "session.signIn", email: owner.email, password: PASSWORD, remember: false });
    const token = (await sessionAuthItem.getValue())!.token;
    // Granted by a prompt answered after its options page was closed: never saved.
    permissions.grant("https://ancien-serveur.example/*");

    save("https://autre-serveur.example");
    await waitFor(() => expect(outcome()).toBe("Connexion réussie à https://autre-serveur.example (Passerelle 0.1.0)."));
    expect(await sessionAuthItem.getValue()).toBeNull();
    expect((await api.call("GET", "/api/v1/me", { token })).status).toBe(401);
    expect(permissions.granted()).toEqual(["https://autre-serveur.example/*"]);
  });

  it("forgets the server: back to this machine's, signed out, its permission given back", async () => {
    const { api, save, permissions, outcome } = await optionsPage();
    permissions.answerWith(() => Promise.resolve(true));
    save(CABINET);
    await waitFor(() => expect(outcome()).toContain("Connexion réussie"));
    const owner = await ownerWithCompany(api);
    await send({ kind: "session.signIn", email: owner.email, password: PASSWORD, remember: true });

    fireEvent.click(screen.getByRole("button", { name: "Oublier ce serveur" }));
    await waitFor(() =>
      expect(outcome()).toBe("https://passerelle.cabinet.fr est oublié : l'extension n'y a plus accès et utilise de nouveau http://localhost:8787."),
    );
    expect(await serverUrlItem.getValue()).toBe("http://localhost:8787");
    expect((screen.getByLabelText("Adresse du serveur Passerelle") as HTMLInputElement).value).toBe("http://localhost:8787");
    expect(await send({ kind: "session.get" })).toBeNull();
    expect(permissions.granted()).toEqual([]);
    expect(screen.queryByRole("button", { name: "Oublier ce serveur" })).toBeNull();
  });
});
