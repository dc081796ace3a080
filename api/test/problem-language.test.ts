/** Problems are answered in the request's language: French unless English is preferred. */
import { describe, expect, it } from "vitest";
import { languageOf, localizeProblem } from "@passerelle/shared/problem-i18n";
import { createTestApp, draftBody, ownerWithCompany, signupOwner } from "./helpers.js";

describe("the language of problems", () => {
  it("picks French by default and English only when preferred to French", () => {
    expect(languageOf(undefined)).toBe("fr");
    expect(languageOf("")).toBe("fr");
    expect(languageOf("de-DE,de;q=0.9")).toBe("fr");
    expect(languageOf("fr-FR,fr;q=0.9,en;q=0.8")).toBe("fr");
    expect(languageOf("en")).toBe("en");
    expect(languageOf("en-GB,en;q=0.9")).toBe("en");
    expect(languageOf("fr;q=0.5, en;q=0.8")).toBe("en");
    expect(languageOf("en;q=0.4, fr")).toBe("fr");
    expect(languageOf("en;q=0, fr;q=0.1")).toBe("fr");
    expect(languageOf("de, en;q=0.7")).toBe("en");
    expect(languageOf("en;q=0.8, fr;q=0.8")).toBe("fr");
  });

  it("a validation problem without Accept-Language reads in French, with its fields named in the users' words", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const lines = [{ description: "Conseil", quantity: "1.123456", unitPriceCents: 1000, vatRateBp: 2000 }];
    const body = { ...draftBody(o.customerId), lines } as unknown;
    const asked = (headers: Record<string, string>) => t.call("POST", `/companies/${o.companyId}/invoices`, { token: o.token, body, headers });

    const french = await asked({ "accept-language": "" });
    expect(french.status).toBe(422);
    expect(french.headers.get("content-language")).toBe("fr");
    expect(french.json).toEqual({
      type: "https://passerelle.dev/problems/validation",
      title: "Saisie invalide",
      status: 422,
      detail: "ligne 1, quantité : doit être un nombre positif à 4 décimales au plus, par exemple 1,5",
      errors: [{ path: "lines.0.quantity", message: "doit être un nombre positif à 4 décimales au plus, par exemple 1,5" }],
    });
    expect((await asked({ "accept-language": "fr-FR,fr;q=0.9,en;q=0.8" })).json).toEqual(french.json);

    const english = await asked({ "accept-language": "en-US,en;q=0.9,fr;q=0.5" });
    expect(english.headers.get("content-language")).toBe("en");
    expect(english.json).toEqual({
      type: "https://passerelle.dev/problems/validation",
      title: "Invalid json",
      status: 422,
      detail: 'lines.0.quantity: must be a positive decimal with at most 4 decimals, e.g. "1.5"',
      errors: [{ path: "lines.0.quantity", message: 'must be a positive decimal with at most 4 decimals, e.g. "1.5"' }],
    });
    expect(t.deps.db.prepare("SELECT COUNT(*) FROM invoices WHERE company_id = ?").pluck().get(o.companyId)).toBe(0);
  });

  it("a rule with values reads them in French: dates, amounts", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const draft = await t.call("POST", `/companies/${o.companyId}/invoices`, { token: o.token, body: draftBody(o.customerId) });
    const future = await t.call("POST", `/companies/${o.companyId}/invoices/${draft.json.id}/issue`, { token: o.token, body: { issueDate: "2026-12-01" }, headers: { "accept-language": "fr" } });
    expect(future.status).toBe(422);
    expect(future.json).toEqual({
      type: "https://passerelle.dev/problems/validation",
      title: "Demande invalide",
      status: 422,
      detail: "date d'émission : ne doit pas être dans le futur (nous sommes le 20/11/2026)",
      errors: [{ path: "issueDate", message: "ne doit pas être dans le futur (nous sommes le 20/11/2026)" }],
    });
  });

  it("a conflict, a 404, a 401 and a 403 read in French", async () => {
    const t = createTestApp();
    const o = await ownerWithCompany(t);
    const stranger = await signupOwner(t, "Stranger");
    const fr = { "accept-language": "fr" };
    const missing = await t.call("GET", `/companies/${o.companyId}`, { token: stranger.token, headers: fr });
    expect(missing.json).toEqual({ type: "about:blank", title: "Introuvable", status: 404, detail: "Cette entreprise n'existe pas ou ne vous est pas visible." });
    const anonymous = await t.call("GET", `/companies/${o.companyId}`, { headers: fr });
    expect(anonymous.json).toEqual({ type: "about:blank", title: "Connexion requise", status: 401, detail: "Connectez-vous d'abord." });
    const draft = await t.call("POST", `/companies/${o.companyId}/invoices`, { token: o.token, body: draftBody(o.customerId) });
    await t.call("POST", `/companies/${o.companyId}/invoices/${draft.json.id}/issue`, { token: o.token, body: { issueDate: "2026-11-02" } });
    const issued = await t.call("DELETE", `/companies/${o.companyId}/invoices/${draft.json.id}`, { token: o.token, headers: fr });
    expect(issued.status).toBe(409);
    expect(issued.json.title).toBe("Conflit");
    expect(issued.json.detail).toBe("La facture F2026-00001 est émise : on ne peut plus la supprimer, un document émis est définitif. Corrigez-la par un avoir.");
  });

  it("the translator reports what it does not know, and leaves it as it was", () => {
    const { problem, misses } = localizeProblem(
      { title: "Invalid body", status: 422, detail: "frobnicator: must wobble", errors: [{ path: "frobnicator", message: "must wobble" }] },
      "fr",
    );
    expect(misses).toEqual(["rule: must wobble", "field: frobnicator"]);
    expect(problem).toEqual({ title: "Saisie invalide", status: 422, detail: "frobnicator : must wobble", errors: [{ path: "frobnicator", message: "must wobble" }] });
    expect(localizeProblem({ title: "Invalid body", status: 422 }, "en")).toEqual({ problem: { title: "Invalid body", status: 422 }, misses: [] });
  });
});
