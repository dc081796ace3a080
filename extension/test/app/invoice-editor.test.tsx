import { afterEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/preact";
import { signedInApp, euros } from "./app-harness";

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe("invoice editor", () => {
  it("drafts an invoice with live totals and saves it", async () => {
    const { api, owner } = await signedInApp("#/invoices/new");
    const customer = await screen.findByLabelText("Client");
    await waitFor(() => expect(customer.querySelectorAll("option").length).toBeGreaterThan(1));
    fireEvent.change(customer, { target: { value: owner.customerId } });
    fireEvent.input(screen.getByLabelText("Désignation, ligne 1"), { target: { value: "Étude" } });
    fireEvent.input(screen.getByLabelText("Qté, ligne 1"), { target: { value: "3" } });
    fireEvent.input(screen.getByLabelText("Prix unitaire HT, ligne 1"), { target: { value: "10,01" } });
    const totals = screen.getByTestId("draft-totals");
    expect(totals.querySelector('[data-total="ttc"] td')!.textContent).toBe(euros("36,04 €"));
    fireEvent.click(screen.getByRole("button", { name: "Enregistrer le brouillon" }));
    await screen.findByText(/Brouillon enregistré/);
    const list = await api.call("GET", `/companies/${owner.companyId}/invoices`, { token: owner.token });
    expect(list.json.items.map((i: { totals: { ttcCents: number } }) => i.totals.ttcCents)).toEqual([3604]);
    void within;
  });
});
