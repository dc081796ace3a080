import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { storedForm } from "../../lib/app/form-store";
import { issuedInvoice } from "../api-harness";
import { go, signedInApp } from "./app-harness";

afterEach(async () => {
  cleanup();
  await storedForm("none");
  vi.useRealTimers();
});

const cells = (row: HTMLElement) => [...row.querySelectorAll("td, th")].map((c) => c.textContent);

describe("overdue invoices", () => {
  it("are listed under the status 'En retard' with their days late, what is due and the last reminder, by due date or by amount", async () => {
    const { api, owner } = await signedInApp("#/invoices");
    // due 31/10 and 05/11: 20 and 15 days late on 20/11/2026
    const older = await issuedInvoice(api, owner, "2026-10-01");
    const newer = await issuedInvoice(api, owner, "2026-10-06");
    await api.call("POST", `/companies/${owner.companyId}/payments`, { token: owner.token, body: { invoiceId: older.id, amountCents: 1000, date: "2026-11-10", method: "transfer" } });
    fireEvent.change(await screen.findByLabelText("Statut"), { target: { value: "overdue" } });
    const table = await screen.findByTestId("overdue-table");
    await waitFor(() => expect(within(table).getAllByRole("row")).toHaveLength(4));
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows.map(cells)).toEqual([
      [older.number, "Boulangerie Dupont", "31/10/2026", "20 j", "26,04\u00a0€", "Aucune relance"],
      [newer.number, "Boulangerie Dupont", "05/11/2026", "15 j", "36,04\u00a0€", "Aucune relance"],
      ["Total en retard (2)", "62,08\u00a0€", ""],
    ]);
    expect(location.hash).toBe("#/invoices?status=overdue");

    fireEvent.change(screen.getByLabelText("Trier par"), { target: { value: "amountDue" } });
    await waitFor(() => expect(within(screen.getByTestId("overdue-table")).getAllByRole("row")[1]!.textContent).toContain(newer.number));
    expect(location.hash).toBe("#/invoices?status=overdue&sort=amountDue");
  }, 60_000);
});

describe("reminders and disputes on the invoice", () => {
  it("send the formal notice with its template, show it among the sendings, and mark the invoice disputed then lift it", async () => {
    const { api, owner } = await signedInApp("#/invoices");
    await api.call("PATCH", `/companies/${owner.companyId}/customers/${owner.customerId}`, { token: owner.token, body: { email: "compta@boulangerie-dupont.fr" } });
    const invoice = await issuedInvoice(api, owner, "2026-10-01");
    go(`#/invoices/${invoice.id}`);
    fireEvent.click(await screen.findByRole("button", { name: "Relancer" }));
    const level = (await screen.findByLabelText("Relance")) as HTMLSelectElement;
    expect(level.value).toBe("1");
    await waitFor(() => expect((screen.getByLabelText("Objet") as HTMLInputElement).value).toBe(`Rappel : facture ${invoice.number} — Atelier Test SARL`));
    fireEvent.change(level, { target: { value: "3" } });
    await waitFor(() => expect((screen.getByLabelText("Objet") as HTMLInputElement).value).toBe(`Mise en demeure de payer : facture ${invoice.number} — Atelier Test SARL`));
    const message = (screen.getByLabelText("Message") as HTMLTextAreaElement).value;
    expect(message).toContain("reste impayée depuis 20 jours");
    expect(message).toContain("pénalités de retard (trois fois le taux d'intérêt légal)");
    expect(message).toContain("l'indemnité forfaitaire pour frais de recouvrement de 40 €");
    fireEvent.click(screen.getByRole("button", { name: "Envoyer la relance" }));
    await waitFor(() => expect(screen.getByTestId("flash").textContent).toContain("E-mail envoyé à compta@boulangerie-dupont.fr."), { timeout: 30_000 });
    const row = within(screen.getByTestId("sending-list")).getByRole("row");
    expect(cells(row)).toEqual(["20/11/2026 à 11:00", "Relance 3", "compta@boulangerie-dupont.fr", "par Owner", "Envoyé"]);
    // a reminder is not the document's sending
    expect(screen.queryByTestId("sent-on")).toBeNull();

    fireEvent.click(screen.getByRole("button", { name: "Marquer en litige" }));
    fireEvent.input(within(await screen.findByTestId("dispute-form")).getByLabelText("Motif (facultatif)"), { target: { value: "Luminaire livré cassé" } });
    fireEvent.click(within(screen.getByTestId("dispute-form")).getByRole("button", { name: "Marquer en litige" }));
    await waitFor(() => expect(screen.getByTestId("disputed").textContent).toBe("Depuis le 20/11/2026, par Owner — Luminaire livré cassé"));
    const dispute = await api.call("GET", `/companies/${owner.companyId}/invoices/${invoice.id}/dispute`, { token: owner.token });
    expect(dispute.json).toMatchObject({ disputed: true, reason: "Luminaire livré cassé" });

    fireEvent.click(screen.getByRole("button", { name: "Lever le litige" }));
    await waitFor(() => expect(screen.queryByTestId("disputed")).toBeNull());
    expect((await api.call("GET", `/companies/${owner.companyId}/invoices/${invoice.id}/dispute`, { token: owner.token })).json.disputed).toBe(false);
  }, 60_000);
});

describe("the reminder settings", () => {
  it("turn automatic reminders on with their days, and name the level the API refuses", async () => {
    const { api, owner } = await signedInApp("#/company");
    const form = await screen.findByTestId("reminder-settings");
    fireEvent.click(within(form).getByLabelText("Envoyer les relances automatiquement"));
    const second = within(form).getByLabelText("Relance 2 — deuxième relance : jours après l'échéance") as HTMLInputElement;
    fireEvent.input(second, { target: { value: "5" } });
    fireEvent.click(within(form).getByRole("button", { name: "Enregistrer les relances" }));
    await waitFor(() => expect(document.getElementById(second.getAttribute("aria-describedby") ?? "")?.textContent).toBe("Doit venir après le jour du niveau précédent"));
    expect((await api.call("GET", `/companies/${owner.companyId}/reminder-settings`, { token: owner.token })).json.automatic).toBe(false);
    fireEvent.input(second, { target: { value: "30" } });
    fireEvent.click(within(form).getByRole("button", { name: "Enregistrer les relances" }));
    await waitFor(() => expect(within(form).getByText("Les relances partent au nom de Owner (les réponses lui arrivent).")).toBeTruthy());
    const saved = await api.call("GET", `/companies/${owner.companyId}/reminder-settings`, { token: owner.token });
    expect(saved.json).toMatchObject({ automatic: true, days: [7, 30, 45] });
  }, 60_000);
});
