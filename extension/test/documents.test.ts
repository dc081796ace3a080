import { describe, expect, it } from "vitest";
import { collectDocumentLinks, labelled } from "../lib/background/page-documents";
import { fileNameFor, fileNameFromDisposition } from "../lib/background/fetch-document";
import { documentFromClick, SEND_MENU_ID } from "../lib/background/context-menu";
import { downloadPercent, labelFor, type Upload } from "../lib/uploads";

describe("collectDocumentLinks (runs in the page)", () => {
  it("finds PDF links, embedded PDFs and typed links, once each, absolute and without fragments", () => {
    document.title = "Espace client";
    document.body.innerHTML = `
      <a href="/factures/FA-118.pdf">Facture  118
      </a>
      <a href="/factures/FA-118.pdf#page=2">même facture</a>
      <a href="https://cdn.example/releve.PDF?v=3" title="Relevé"></a>
      <a href="/download?id=9" type="application/pdf">Avis</a>
      <a href="/contact">Contact</a>
      <a href="mailto:compta@example.fr">mail.pdf</a>
      <embed src="/viewer/contrat.pdf">`;
    const result = collectDocumentLinks(100);
    expect(result.title).toBe("Espace client");
    expect(result.documents).toEqual([
      { url: new URL("/factures/FA-118.pdf", location.href).href, label: "Facture 118" },
      { url: "https://cdn.example/releve.PDF?v=3", label: "Relevé" },
      { url: new URL("/download?id=9", location.href).href, label: "Avis" },
      { url: new URL("/viewer/contrat.pdf", location.href).href, label: "" },
    ]);
    expect(labelled(result.documents).at(-1)!.label).toBe("contrat.pdf");
  });

  it("stops at the limit it is given", () => {
    document.body.innerHTML = Array.from({ length: 30 }, (_, i) => `<a href="/d/${i}.pdf">${i}</a>`).join("");
    expect(collectDocumentLinks(10).documents).toHaveLength(10);
  });

  it("is self-contained, as scripting.executeScript requires", () => {
    // Serialised and run in the page: any reference to an outer binding would be undefined there.
    const rebuilt = new Function(`return (${collectDocumentLinks.toString()})`)() as typeof collectDocumentLinks;
    document.body.innerHTML = `<a href="/x.pdf">x</a>`;
    expect(rebuilt(5).documents).toHaveLength(1);
  });
});

describe("file names", () => {
  it("prefers the server's Content-Disposition, UTF-8 form first", () => {
    expect(fileNameFromDisposition(`attachment; filename="facture_n_1.pdf"; filename*=UTF-8''facture%20n%C2%B01.pdf`)).toBe("facture n°1.pdf");
    expect(fileNameFromDisposition(`inline; filename="releve.pdf"`)).toBe("releve.pdf");
    expect(fileNameFromDisposition("")).toBeNull();
  });

  it("falls back to the URL's last segment, then to the label", () => {
    expect(fileNameFor("https://x.example/a/Relev%C3%A9%20mars.pdf", "", "lien")).toBe("Relevé mars.pdf");
    expect(fileNameFor("https://x.example/", "", "Avis d'échéance")).toBe("Avis d'échéance");
  });

  it("labels a link by its text, else by its file name, else by its host", () => {
    expect(labelFor("https://x.example/a/b.pdf", "  Facture\n mars ")).toBe("Facture mars");
    expect(labelFor("https://x.example/a/b%20c.pdf")).toBe("b c.pdf");
    expect(labelFor("https://x.example/")).toBe("x.example");
  });
});

describe("context menu", () => {
  it("sends the link, else the image, else the page", () => {
    const base = { menuItemId: SEND_MENU_ID, pageUrl: "https://site.example/page" };
    expect(documentFromClick({ ...base, linkUrl: "https://site.example/a.pdf", srcUrl: "https://site.example/i.png", selectionText: "Facture" }, { id: 4 })).toEqual({
      url: "https://site.example/a.pdf",
      label: "Facture",
      tabId: 4,
    });
    expect(documentFromClick({ ...base, srcUrl: "https://site.example/i.png" }, { id: 4 })).toMatchObject({ url: "https://site.example/i.png" });
    expect(documentFromClick(base, { id: -1 })).toEqual({ url: "https://site.example/page", label: undefined, tabId: undefined });
  });
});

describe("progress", () => {
  const upload = (fields: Partial<Upload>): Upload => ({
    id: "u", url: "", label: "", tabId: null, companyId: "c", state: "fetching", receivedBytes: 0, totalBytes: null,
    error: null, documentId: null, sha256: null, createdAt: 0, updatedAt: 0, ...fields,
  });
  it("is a whole percentage of the bytes received while downloading, unknown otherwise", () => {
    expect(downloadPercent(upload({ receivedBytes: 333, totalBytes: 1000 }))).toBe(33);
    expect(downloadPercent(upload({ receivedBytes: 333, totalBytes: null }))).toBeNull();
    expect(downloadPercent(upload({ state: "uploading", receivedBytes: 1000, totalBytes: 1000 }))).toBeNull();
  });
});
