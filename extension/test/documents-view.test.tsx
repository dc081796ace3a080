import { createHash } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/preact";
import { fakeBrowser } from "wxt/testing/fake-browser";
import { DocumentsView } from "../entrypoints/popup/views/DocumentsView";
import { ownerWithCompany, PASSWORD, pdfBytes } from "./api-harness";
import { popupWithBackground } from "./popup-harness";
import { send } from "../lib/messaging";
import { uploadsItem } from "../lib/storage";

afterEach(() => cleanup());

/** The browser window the owner was looking at and its active tab (the fake browser has no focus). */
function lookingAt(tab: { id: number; url: string }) {
  vi.spyOn(fakeBrowser.windows, "getLastFocused").mockResolvedValue({ id: 7, focused: true, incognito: false, alwaysOnTop: false } as never);
  return vi.spyOn(fakeBrowser.tabs, "query").mockResolvedValue([{ ...tab, windowId: 7, active: true, index: 0, pinned: false, highlighted: true, incognito: false }] as never);
}

async function onSupplierPage() {
  const h = await popupWithBackground();
  const owner = await ownerWithCompany(h.api);
  await send({ kind: "session.signIn", email: owner.email, password: PASSWORD, remember: false });
  const tab = { id: 42, url: "https://fournisseur.example/espace-client" };
  lookingAt(tab);
  const links = [
    { url: "https://fournisseur.example/factures/FA-118.pdf", label: "Facture 118" },
    { url: "https://fournisseur.example/factures/FA-119.pdf", label: "Facture 119" },
  ];
  const executeScript = vi.spyOn(fakeBrowser.scripting, "executeScript").mockResolvedValue([
    { frameId: 0, documentId: "d", result: { title: "Espace client", documents: links } },
  ] as never);
  return { ...h, owner, tab, links, executeScript };
}

describe("popup: documents on this page", () => {
  it("lists the PDF links of the active tab and sends the selected one", async () => {
    const { api, owner, tab, links, web, executeScript } = await onSupplierPage();
    const query = vi.mocked(fakeBrowser.tabs.query);
    const bytes = pdfBytes("FA-119");
    web.pages.set(links[1]!.url, () => new Response(bytes, { headers: { "content-type": "application/pdf" } }));
    render(<DocumentsView />);

    const list = await screen.findByTestId("page-documents");
    expect(fakeBrowser.windows.getLastFocused).toHaveBeenCalledWith({ windowTypes: ["normal"] });
    expect(query).toHaveBeenCalledWith({ active: true, windowId: 7 });
    expect(executeScript).toHaveBeenCalledWith(expect.objectContaining({ target: { tabId: tab.id } }));
    expect(within(list).getAllByRole("checkbox")).toHaveLength(2);
    const send = screen.getByRole("button", { name: "Envoyer à mon comptable (0)" });
    expect(send).toHaveProperty("disabled", true);

    fireEvent.click(within(list).getByLabelText("Facture 119"));
    fireEvent.click(screen.getByRole("button", { name: "Envoyer à mon comptable (1)" }));

    const uploads = await screen.findByTestId("uploads");
    await waitFor(() => expect(uploads.textContent).toContain("Facture 119Envoyé ✓"));
    expect(within(list).getByText("Envoyé ✓")).toBeTruthy();
    const docs = await api.call("GET", `/companies/${owner.companyId}/documents`, { token: owner.token });
    expect(docs.json.items.map((d: { sourceUrl: string; sha256: string }) => [d.sourceUrl, d.sha256])).toEqual([
      [links[1]!.url, createHash("sha256").update(bytes).digest("hex")],
    ]);
  });

  it("shows a failure with its reason and retries it", async () => {
    const { links, web } = await onSupplierPage();
    web.pages.set(links[0]!.url, () => new Response("indisponible", { status: 502 }));
    render(<DocumentsView />);
    fireEvent.click(within(await screen.findByTestId("page-documents")).getByLabelText("Facture 118"));
    fireEvent.click(screen.getByRole("button", { name: "Envoyer à mon comptable (1)" }));

    const uploads = await screen.findByTestId("uploads");
    await waitFor(() => expect(uploads.textContent).toContain("Échec : le site a refusé de fournir le document (erreur 502)."));

    web.pages.set(links[0]!.url, () => new Response(pdfBytes("FA-118"), { headers: { "content-type": "application/pdf" } }));
    fireEvent.click(within(uploads).getByRole("button", { name: "Réessayer" }));
    await waitFor(() => expect(uploads.textContent).toContain("Facture 118Envoyé ✓"));

    fireEvent.click(screen.getByRole("button", { name: "Effacer les envois terminés" }));
    await waitFor(() => expect(screen.queryByTestId("uploads")).toBeNull());
    expect(await uploadsItem.getValue()).toEqual([]);
  });

  it("says a document was already sent, and when, then sends it anyway when asked", async () => {
    const { api, owner, links, web } = await onSupplierPage();
    const bytes = pdfBytes("FA-118");
    web.pages.set(links[0]!.url, () => new Response(bytes, { headers: { "content-type": "application/pdf" } }));
    // Sent on 20/11/2026 at 11:00, Paris time (the API's test clock).
    const form = new FormData();
    form.set("file", new File([bytes], "FA-118.pdf", { type: "application/pdf" }));
    await api.call("POST", `/companies/${owner.companyId}/documents`, { token: owner.token, body: form });
    render(<DocumentsView />);
    fireEvent.click(within(await screen.findByTestId("page-documents")).getByLabelText("Facture 118"));
    fireEvent.click(screen.getByRole("button", { name: "Envoyer à mon comptable (1)" }));

    const uploads = await screen.findByTestId("uploads");
    await waitFor(() => expect(uploads.textContent).toContain("Facture 118Déjà envoyé le 20/11/2026 à 11:00 : la société a déjà ce fichier, à l'identique."));
    expect(within(screen.getByTestId("page-documents")).getByText("Déjà envoyé")).toBeTruthy();
    expect((await api.call("GET", `/companies/${owner.companyId}/documents`, { token: owner.token })).json.items).toHaveLength(1);

    fireEvent.click(within(uploads).getByRole("button", { name: "Envoyer quand même" }));
    await waitFor(() => expect(uploads.textContent).toContain("Facture 118Envoyé ✓"));
    expect((await api.call("GET", `/companies/${owner.companyId}/documents`, { token: owner.token })).json.items).toHaveLength(2);
  });

  it("explains when the page cannot be read, and points to the context menu", async () => {
    const h = await popupWithBackground();
    lookingAt({ id: 5, url: "chrome://settings" });
    vi.spyOn(fakeBrowser.scripting, "executeScript").mockRejectedValue(new Error("Cannot access a chrome:// URL"));
    void h;
    render(<DocumentsView />);
    expect(await screen.findByText(/Passerelle ne peut pas lire cette page/)).toBeTruthy();
    expect(screen.getByText("Astuce : clic droit sur un lien, une image ou un PDF ouvert dans l'onglet → « Envoyer à mon comptable ».")).toBeTruthy();
  });

  it("shows progress of a document still downloading, kept in storage while the popup is closed", async () => {
    await uploadsItem.setValue([
      {
        id: "u1", url: "https://x.example/gros.pdf", label: "gros.pdf", tabId: null, companyId: "c", state: "fetching",
        receivedBytes: 450_000, totalBytes: 1_000_000, error: null, documentId: null, sha256: null, createdAt: 1, updatedAt: 1,
      },
    ]);
    vi.spyOn(fakeBrowser.scripting, "executeScript").mockResolvedValue([{ frameId: 0, documentId: "d", result: { title: "", documents: [] } }] as never);
    await popupWithBackground();
    lookingAt({ id: 6, url: "https://x.example/" });
    render(<DocumentsView />);
    const uploads = await screen.findByTestId("uploads");
    expect(uploads.textContent).toContain("Récupération du document… 45 %");
    expect(uploads.querySelector("progress")?.getAttribute("value")).toBe("45");
  });
});
