import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { App } from "../entrypoints/popup/App";
import { capabilitiesItem, companyIdItem, recentInvoicesItem, sessionAuthItem } from "../lib/storage";
import { COMPANY, invitedAccountant, issuedInvoice, lastMailTo, ownerWithCompany, PASSWORD, SERVER, signupLinkToken } from "./api-harness";
import { popupWithBackground } from "./popup-harness";

afterEach(() => cleanup());

const NNBSP = "\u202f";
const NBSP = "\u00a0";

async function signIn(email: string, password = PASSWORD) {
  fireEvent.input(await screen.findByLabelText("Adresse e-mail"), { target: { value: email } });
  fireEvent.input(screen.getByLabelText("Mot de passe"), { target: { value: password } });
  fireEvent.click(screen.getByRole("button", { name: "Se connecter" }));
}

async function signedInPopup() {
  const h = await popupWithBackground();
  const owner = await ownerWithCompany(h.api);
  render(<App />);
  await signIn(owner.email);
  await screen.findByText("Aucune facture pour l'instant.");
  return { ...h, owner };
}

describe("popup: sign in", () => {
  it("shows the server, signs in and lists the invoices with fr-FR amounts and their state", async () => {
    const h = await popupWithBackground();
    const owner = await ownerWithCompany(h.api);
    const overdue = await issuedInvoice(h.api, owner, "2026-09-01");
    const recent = await issuedInvoice(h.api, owner, "2026-11-12");
    render(<App />);

    await waitFor(() => expect(screen.getByTestId("server-url").textContent).toBe(SERVER));
    await signIn(owner.email);

    const list = await screen.findByTestId("invoice-list");
    const items = within(list).getAllByRole("listitem");
    expect(items.map((li) => li.querySelector(".invoice-number")?.textContent)).toEqual([recent.number, overdue.number]);
    // 3 × 10,01 € HT + 20 % VAT = 36,04 € TTC
    expect(items[0]!.querySelector(".amount")?.textContent).toBe(`36,04${NBSP}€`);
    expect(items[0]!.querySelector(".pill")?.textContent).toBe("Non payée");
    expect(items[1]!.querySelector(".pill")?.textContent).toBe("En retard");
    expect(items[1]!.textContent).toContain("échéance 01/10/2026");
    expect(await screen.findByTestId("overdue-summary")).toHaveProperty("textContent", `Factures en retard : 1 (36,04${NBSP}€ à encaisser)`);
    void NNBSP;
    // the summary opens the overdue list of the invoicing view
    const create = vi.spyOn(fakeBrowser.tabs, "create");
    vi.spyOn(window, "close").mockImplementation(() => undefined);
    fireEvent.click(screen.getByRole("link", { name: `Factures en retard : 1 (36,04${NBSP}€ à encaisser)` }));
    expect(create).toHaveBeenLastCalledWith({ url: "chrome-extension://test-extension-id/app.html#/invoices?status=overdue" });
  });

  it("says so when the password is wrong, and keeps nothing", async () => {
    const h = await popupWithBackground();
    const owner = await ownerWithCompany(h.api);
    render(<App />);
    await signIn(owner.email, "not the password");
    expect(await screen.findByRole("alert")).toHaveProperty("textContent", "Adresse e-mail ou mot de passe incorrect.");
    expect(await sessionAuthItem.getValue()).toBeNull();
  });

  it("opens on the cached list at once, then refreshes it", async () => {
    const h = await popupWithBackground();
    const owner = await ownerWithCompany(h.api);
    await issuedInvoice(h.api, owner, "2026-11-02");
    render(<App />);
    await signIn(owner.email);
    await screen.findByTestId("invoice-list");
    cleanup();
    const cached = await recentInvoicesItem.getValue();
    expect(cached?.rows).toHaveLength(1);

    delete document.documentElement.dataset.usableAt;
    delete document.documentElement.dataset.usableView;
    // The API holds its answer back: what shows now can only come from the cache.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const fetch = h.env.fetch;
    h.env.fetch = async (input, init) => {
      if (String(input).includes("/invoices")) await held;
      return fetch(input, init);
    };
    render(<App />);
    const list = await screen.findByTestId("invoice-list");
    expect(within(list).getAllByRole("listitem")).toHaveLength(1);
    await waitFor(() => expect(document.documentElement.dataset.usableView).toBe("invoices"));
    expect(list.closest("section")!.getAttribute("aria-busy")).toBe("true");
    release();
    await waitFor(() => expect(list.closest("section")!.getAttribute("aria-busy")).toBe("false"));
  });
});

describe("popup: sign up", () => {
  async function signUp(name: string, email: string, password = PASSWORD) {
    fireEvent.click(await screen.findByRole("button", { name: "Créer un compte" }));
    fireEvent.input(await screen.findByLabelText("Votre nom"), { target: { value: name } });
    fireEvent.input(screen.getByLabelText("Adresse e-mail"), { target: { value: email } });
    fireEvent.input(screen.getByLabelText("Mot de passe (10 caractères minimum)"), { target: { value: password } });
    fireEvent.click(screen.getByRole("button", { name: "Créer mon compte" }));
    return within(await screen.findByTestId("sign-up-sent"));
  }

  it("says to check the mailbox; once the link is confirmed, the owner signs in with the e-mail already filled in", async () => {
    const h = await popupWithBackground();
    render(<App />);
    const sent = await signUp("Nadia Lumière", "Nadia@Lumiere.fr");
    expect(sent.getByRole("heading").textContent).toBe("Vérifiez votre boîte mail");
    expect(sent.getByRole("status").textContent).toBe(
      "Un e-mail a été envoyé à nadia@lumiere.fr. Ouvrez le lien qu'il contient et saisissez votre mot de passe : votre compte sera créé. Connectez-vous ensuite ici.",
    );
    expect(await sessionAuthItem.getValue()).toBeNull();

    // the owner opens the link from the e-mail and confirms with the password, on the server's page
    const token = signupLinkToken(lastMailTo(h.api.dataDir, "nadia@lumiere.fr")!);
    const page = await h.api.app.request("/signup", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ token, password: PASSWORD }).toString(),
    });
    expect(page.status).toBe(200);

    fireEvent.click(sent.getByRole("button", { name: "Se connecter" }));
    expect(((await screen.findByLabelText("Adresse e-mail")) as HTMLInputElement).value).toBe("nadia@lumiere.fr");
    fireEvent.input(screen.getByLabelText("Mot de passe"), { target: { value: PASSWORD } });
    fireEvent.click(screen.getByRole("button", { name: "Se connecter" }));
    // a new owner has no company yet
    await screen.findByText("Ce compte ne dirige aucune entreprise. L'extension est faite pour les dirigeants ; les experts-comptables utilisent le complément Excel.");
    expect((await sessionAuthItem.getValue())?.user).toMatchObject({ email: "nadia@lumiere.fr", name: "Nadia Lumière" });
  });

  it("shows the same screen for an address that already has an account, whose mailbox gets the notice", async () => {
    const h = await popupWithBackground();
    const owner = await ownerWithCompany(h.api);
    render(<App />);
    const sent = await signUp("Quelqu'un", owner.email, "another password 1");
    expect(sent.getByRole("status").textContent).toBe(
      `Un e-mail a été envoyé à ${owner.email}. Ouvrez le lien qu'il contient et saisissez votre mot de passe : votre compte sera créé. Connectez-vous ensuite ici.`,
    );
    expect(lastMailTo(h.api.dataDir, owner.email)!.subject).toBe("Votre compte Passerelle existe déjà / Your Passerelle account already exists");
  });

  it("names the field the server refuses, and goes back to signing in", async () => {
    await popupWithBackground();
    render(<App />);
    fireEvent.click(await screen.findByRole("button", { name: "Créer un compte" }));
    fireEvent.input(await screen.findByLabelText("Votre nom"), { target: { value: "Nadia" } });
    fireEvent.input(screen.getByLabelText("Adresse e-mail"), { target: { value: "nadia@lumiere" } });
    fireEvent.input(screen.getByLabelText("Mot de passe (10 caractères minimum)"), { target: { value: PASSWORD } });
    fireEvent.click(screen.getByRole("button", { name: "Créer mon compte" }));
    // the API answers in the popup's language
    expect((await screen.findByText("Doit être une adresse e-mail")).className).toBe("field-error");
    fireEvent.click(screen.getByRole("button", { name: "J'ai déjà un compte" }));
    expect(((await screen.findByLabelText("Adresse e-mail")) as HTMLInputElement).value).toBe("nadia@lumiere");
  });
});

describe("popup: invoices", () => {
  it("searches by number or customer through the API", async () => {
    const { api, owner } = await signedInPopup();
    const first = await issuedInvoice(api, owner, "2026-11-02");
    const second = await issuedInvoice(api, owner, "2026-11-03");
    fireEvent.input(screen.getByRole("searchbox", { name: "Rechercher (numéro, client)" }), { target: { value: second.number } });
    await waitFor(() => {
      const numbers = [...document.querySelectorAll(".invoice-number")].map((n) => n.textContent);
      expect(numbers).toEqual([second.number]);
    });
    expect(first.number).not.toBe(second.number);
    fireEvent.input(screen.getByRole("searchbox"), { target: { value: "zzz-aucune" } });
    expect(await screen.findByText("Aucune facture ne correspond à « zzz-aucune ».")).toBeTruthy();
  });

  it("offers the PDF only when the server serves it, and opens it in the viewer page", async () => {
    const h = await popupWithBackground();
    const owner = await ownerWithCompany(h.api);
    const invoice = await issuedInvoice(h.api, owner, "2026-11-02");
    await capabilitiesItem.setValue({ serverUrl: SERVER, invoicePdf: false, checkedAt: h.api.clock.now().getTime() });
    render(<App />);
    await signIn(owner.email);
    await screen.findByTestId("invoice-list");
    // Sign-in re-reads the server's description; pin what this case needs.
    await capabilitiesItem.setValue({ serverUrl: SERVER, invoicePdf: false, checkedAt: h.api.clock.now().getTime() });
    cleanup();
    render(<App />);
    await screen.findByTestId("invoice-list");
    expect(screen.queryByRole("button", { name: `Ouvrir le PDF de la facture ${invoice.number}` })).toBeNull();

    cleanup();
    await capabilitiesItem.setValue({ serverUrl: SERVER, invoicePdf: true, checkedAt: h.api.clock.now().getTime() });
    render(<App />);
    const create = vi.spyOn(fakeBrowser.tabs, "create");
    fireEvent.click(await screen.findByRole("button", { name: `Ouvrir le PDF de la facture ${invoice.number}` }));
    expect(create).toHaveBeenCalledWith({
      url: `chrome-extension://test-extension-id/invoice-pdf.html?company=${owner.companyId}&invoice=${invoice.id}&number=${encodeURIComponent(invoice.number)}`,
    });
  });

  it("opens a row's document and a new invoice in the invoicing view, and shows a credit note as the view does, negative", async () => {
    const h = await popupWithBackground();
    const owner = await ownerWithCompany(h.api);
    const invoice = await issuedInvoice(h.api, owner, "2026-11-02");
    const note = await h.api.call("POST", `/companies/${owner.companyId}/invoices/${invoice.id}/credit-note`, { token: owner.token, body: { issueDate: "2026-11-10" } });
    render(<App />);
    await signIn(owner.email);
    const items = within(await screen.findByTestId("invoice-list")).getAllByRole("listitem");
    expect(items.map((li) => li.querySelector(".amount")?.textContent)).toEqual([`-36,04${NBSP}€`, `36,04${NBSP}€`]);

    const create = vi.spyOn(fakeBrowser.tabs, "create");
    const close = vi.spyOn(window, "close").mockImplementation(() => undefined);
    fireEvent.click(screen.getByRole("link", { name: `Ouvrir ${note.json.number} dans la facturation` }));
    expect(create).toHaveBeenLastCalledWith({ url: `chrome-extension://test-extension-id/app.html#/invoices/${note.json.id}` });
    fireEvent.click(screen.getByRole("button", { name: "Nouvelle facture" }));
    expect(create).toHaveBeenLastCalledWith({ url: "chrome-extension://test-extension-id/app.html#/invoices/new" });
    await waitFor(() => expect(close).toHaveBeenCalledTimes(2));
  });

  it("switches company from the header menu when the owner has several", async () => {
    const h = await popupWithBackground();
    const owner = await ownerWithCompany(h.api);
    const other = await h.api.call("POST", "/companies", { token: owner.token, body: { ...COMPANY, name: "Deuxième Atelier SAS", siren: "732829320", vatNumber: undefined } });
    const customer = await h.api.call("POST", `/companies/${other.json.id}/customers`, { token: owner.token, body: { name: "Café de la Place", address: "1 place Bellecour, 69002 Lyon" } });
    const theirs = await issuedInvoice(h.api, { token: owner.token, companyId: other.json.id, customerId: customer.json.id, email: owner.email, user: owner.user }, "2026-11-05");
    await issuedInvoice(h.api, owner, "2026-11-02");
    render(<App />);
    await signIn(owner.email);
    await screen.findByTestId("invoice-list");

    const menu = screen.getByRole("combobox", { name: "Entreprise" }) as HTMLSelectElement;
    expect([...menu.options].map((o) => o.textContent).sort()).toEqual(["Atelier Test SARL", "Deuxième Atelier SAS"]);
    fireEvent.change(menu, { target: { value: other.json.id } });
    await waitFor(() => expect([...document.querySelectorAll(".invoice-customer")].map((n) => n.textContent)).toEqual(["Café de la Place"]));
    expect(document.querySelector(".invoice-number")?.textContent).toBe(theirs.number);
    expect(await companyIdItem.getValue()).toBe(other.json.id);
  });

  it("signs out from the header and returns to the sign-in form", async () => {
    await signedInPopup();
    fireEvent.click(screen.getByRole("button", { name: "Se déconnecter" }));
    expect(await screen.findByRole("button", { name: "Se connecter" })).toBeTruthy();
    await waitFor(async () => expect(await fakeBrowser.storage.session.get(null)).toEqual({}));
  });
});

describe("popup: my accountant", () => {
  it("checks the e-mail before asking, invites, and shows the invitation with its expiry", async () => {
    const { api, owner } = await signedInPopup();
    fireEvent.click(screen.getByRole("tab", { name: "Mon comptable" }));
    expect(await screen.findByText("Aucune invitation en attente.")).toBeTruthy();

    const field = screen.getByLabelText("E-mail de votre comptable");
    fireEvent.input(field, { target: { value: "cabinet-durand.fr" } });
    fireEvent.click(screen.getByRole("button", { name: "Envoyer l'invitation" }));
    expect(await screen.findByText("Saisissez une adresse e-mail valide, par exemple cabinet@exemple.fr.")).toBeTruthy();
    expect(field.getAttribute("aria-invalid")).toBe("true");
    expect((await api.call("GET", `/companies/${owner.companyId}/invitations`, { token: owner.token })).json.items).toEqual([]);

    fireEvent.input(field, { target: { value: "compta@cabinet-durand.fr" } });
    fireEvent.click(screen.getByRole("button", { name: "Envoyer l'invitation" }));
    // Invitations are valid 7 days: 2026-11-20 → 27/11/2026.
    expect(await screen.findByTestId("access-outcome")).toHaveProperty("textContent", "Invitation envoyée à compta@cabinet-durand.fr, valable jusqu'au 27/11/2026.");
    const pending = await screen.findByTestId("invitation-list");
    expect(pending.textContent).toContain("compta@cabinet-durand.fr");
    expect(pending.textContent).toContain("valable jusqu'au 27/11/2026");
    const listed = await api.call("GET", `/companies/${owner.companyId}/invitations`, { token: owner.token });
    expect(listed.json.items.map((i: { email: string; status: string }) => [i.email, i.status])).toEqual([["compta@cabinet-durand.fr", "pending"]]);
  });

  it("resends and revokes an invitation, asking before revoking", async () => {
    const { api, owner } = await signedInPopup();
    await api.call("POST", `/companies/${owner.companyId}/invitations`, { token: owner.token, body: { email: "expert@cabinet.fr" } });
    fireEvent.click(screen.getByRole("tab", { name: "Mon comptable" }));
    const pending = await screen.findByTestId("invitation-list");

    fireEvent.click(within(pending).getByRole("button", { name: "Renvoyer" }));
    expect(await screen.findByTestId("access-outcome")).toHaveProperty("textContent", "Invitation renvoyée à expert@cabinet.fr, valable jusqu'au 27/11/2026. Le lien envoyé précédemment ne fonctionne plus.");

    fireEvent.click(within(await screen.findByTestId("invitation-list")).getByRole("button", { name: "Annuler l'invitation" }));
    expect(screen.getByText("Annuler l'invitation de expert@cabinet.fr ? Le lien reçu ne fonctionnera plus.")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Non, la garder" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Annuler" })).toBeNull();
    fireEvent.click(screen.getByRole("button", { name: "Oui, annuler l'invitation" }));
    await waitFor(() => expect(screen.getByTestId("access-outcome").textContent).toBe("Invitation de expert@cabinet.fr annulée."));
    expect(await screen.findByText("Aucune invitation en attente.")).toBeTruthy();
    const listed = await api.call("GET", `/companies/${owner.companyId}/invitations`, { token: owner.token });
    expect(listed.json.items.map((i: { status: string }) => i.status)).toEqual(["revoked"]);
  });

  it("lists accountants with access and removes one after confirmation", async () => {
    const { api, owner } = await signedInPopup();
    const accountant = await invitedAccountant(api, owner, "Sophie Expert");
    fireEvent.click(screen.getByRole("tab", { name: "Mon comptable" }));
    const list = await screen.findByTestId("accountant-list");
    expect(list.textContent).toContain("Sophie Expert");
    expect(list.textContent).toContain(accountant.email);
    expect(list.textContent).toContain("accès depuis le 20/11/2026");

    fireEvent.click(within(list).getByRole("button", { name: "Retirer l'accès" }));
    expect(screen.getByText("Retirer l'accès de Sophie Expert ? Cette personne ne verra plus vos factures ni votre journal des ventes.")).toBeTruthy();
    fireEvent.click(screen.getByRole("button", { name: "Oui, retirer" }));
    await waitFor(() => expect(screen.getByTestId("access-outcome").textContent).toBe("Sophie Expert n'a plus accès."));
    expect(await screen.findByText("Aucun comptable n'a encore accès.")).toBeTruthy();
    expect((await api.call("GET", `/companies/${owner.companyId}/accountants`, { token: owner.token })).json.items).toEqual([]);
    expect((await api.call("GET", `/companies/${owner.companyId}/invoices`, { token: accountant.token })).status).toBe(404);
  });
});
