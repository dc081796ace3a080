import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { storedForm } from "../../lib/app/form-store";
import { issuedInvoice } from "../api-harness";
import { go, reload, signedInApp } from "./app-harness";

afterEach(async () => {
  cleanup();
  await storedForm("none");
  vi.useRealTimers();
});

const messageOf = (field: HTMLElement) => document.getElementById(field.getAttribute("aria-describedby") ?? "")?.textContent;

describe("sending an invoice by e-mail", () => {
  it("keeps the e-mail being typed across a reload, shows an address the API refuses by its name, then sends", async () => {
    const { api, owner, requests } = await signedInApp("#/invoices");
    await api.call("PATCH", `/companies/${owner.companyId}/customers/${owner.customerId}`, { token: owner.token, body: { email: "compta@boulangerie-dupont.fr" } });
    const invoice = await issuedInvoice(api, owner, "2026-11-02");
    go(`#/invoices/${invoice.id}`);
    fireEvent.click(await screen.findByRole("button", { name: "Envoyer par e-mail" }));
    const to = (await screen.findByLabelText("Destinataires")) as HTMLInputElement;
    await waitFor(() => expect(to.value).toBe("compta@boulangerie-dupont.fr"));
    expect((screen.getByLabelText("Objet") as HTMLInputElement).value).toBe(`Facture ${invoice.number} — Atelier Test SARL`);
    expect(screen.getByTestId("send-attachment").textContent).toBe(`Pièce jointe : ${invoice.number}.pdf (Factur-X, tel que téléchargé)`);

    // plausible to the form's first check, refused by the API's rule (two dots in a row)
    fireEvent.input(to, { target: { value: "compta@boulangerie-dupont.fr, jean..dupont@boulangerie-dupont.fr" } });
    fireEvent.input(screen.getByLabelText("Message"), { target: { value: "Bonjour,\n\nVoici la facture." } });
    cleanup();
    await reload({ unmount: () => undefined });
    const restored = (await screen.findByLabelText("Destinataires")) as HTMLInputElement;
    expect(restored.value).toBe("compta@boulangerie-dupont.fr, jean..dupont@boulangerie-dupont.fr");
    expect((screen.getByLabelText("Message") as HTMLTextAreaElement).value).toBe("Bonjour,\n\nVoici la facture.");

    fireEvent.click(screen.getByRole("button", { name: "Envoyer l'e-mail" }));
    await waitFor(() => expect(messageOf(restored)).toBe("« jean..dupont@boulangerie-dupont.fr » : doit être une adresse e-mail"));
    expect(requests.filter((r) => r.startsWith("POST") && r.includes("/sendings"))).toHaveLength(1);

    fireEvent.input(restored, { target: { value: "compta@boulangerie-dupont.fr; jean.dupont@boulangerie-dupont.fr" } });
    fireEvent.click(screen.getByRole("button", { name: "Envoyer l'e-mail" }));
    await waitFor(() => expect(screen.getByTestId("flash").textContent).toContain("E-mail envoyé à compta@boulangerie-dupont.fr, jean.dupont@boulangerie-dupont.fr."), {
      // the Factur-X PDF is rendered for the e-mail
      timeout: 30_000,
    });
    expect(screen.getByTestId("sent-on").textContent).toBe("Envoyée le 20/11/2026 à compta@boulangerie-dupont.fr, jean.dupont@boulangerie-dupont.fr");
    const rows = within(screen.getByTestId("sending-list")).getAllByRole("row");
    expect(rows.map((r) => [...r.querySelectorAll("td")].map((td) => td.textContent))).toEqual([
      ["20/11/2026 à 11:00", "Envoi du document", "compta@boulangerie-dupont.fr, jean.dupont@boulangerie-dupont.fr", "par Owner", "Envoyé"],
    ]);
    expect(await storedForm(`${owner.companyId}:sending:${invoice.id}`)).toBeUndefined();
  }, 60_000);

  it("says when the mail server did not accept the e-mail and when the server tries again", async () => {
    const { api, owner } = await signedInApp("#/invoices");
    const invoice = await issuedInvoice(api, owner, "2026-11-02");
    // the mail server is down: what nodemailer reports when nothing listens
    api.deps.mailer = { kind: "smtp", send: () => Promise.reject(new Error("connect ECONNREFUSED 127.0.0.1:2525")) };
    go(`#/invoices/${invoice.id}`);
    fireEvent.click(await screen.findByRole("button", { name: "Envoyer par e-mail" }));
    const to = (await screen.findByLabelText("Destinataires")) as HTMLInputElement;
    fireEvent.input(to, { target: { value: "compta@boulangerie-dupont.fr" } });
    fireEvent.click(screen.getByRole("button", { name: "Envoyer l'e-mail" }));
    await waitFor(
      () =>
        expect(screen.getByTestId("send-retrying").textContent).toBe(
          "Le serveur de messagerie n'a pas accepté l'e-mail (connect ECONNREFUSED 127.0.0.1:2525). Passerelle réessaiera seul à 11:01, sans jamais l'envoyer deux fois.",
        ),
      { timeout: 30_000 },
    );
    expect(screen.queryByTestId("sent-on")).toBeNull();
    const cells = [...within(screen.getByTestId("sending-list")).getByRole("row").querySelectorAll("td")].map((td) => td.textContent);
    expect(cells).toEqual(["20/11/2026 à 11:00", "Envoi du document", "compta@boulangerie-dupont.fr", "par Owner", "Nouvel essai à 11:01 — connect ECONNREFUSED 127.0.0.1:2525"]);
  }, 60_000);
});
