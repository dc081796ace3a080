/**
 * The e-invoice matrix: companies, customers and the documents issued for them through the API.
 * `facturx.test.ts` checks each document's structure and values; the conformance suite
 * (api/conformance/) runs the same documents through the official XSD and schematrons.
 */
import { expect } from "vitest";
import { CUSTOMER, createTestApp, ownerWithCompany, type TestApp } from "./helpers.js";
import { frenchVatNumber, type InvoiceDraftInput } from "@passerelle/shared";

/** A SIREN with a valid Luhn key from 8 digits. */
function siren(prefix8: string): string {
  for (let d = 0; d <= 9; d++) {
    const s = prefix8 + d;
    let sum = 0;
    for (let i = 0; i < 9; i++) {
      let x = Number(s[8 - i]);
      if (i % 2 === 1) (x *= 2), x > 9 && (x -= 9);
      sum += x;
    }
    if (sum % 10 === 0) return s;
  }
  throw new Error("unreachable");
}

export const LONG_TEXT =
  "Conception & réalisation d'un éclairage <sur mesure> pour l'atelier « Crème brûlée » — " +
  "ligne 2 : suspensions en laiton brossé, câbles textile tressés, douilles E27 ; \"finition\" à l'ancienne.\n" +
  "Détail : ".padEnd(1500, "é&<>'\"ç ") +
  "\nFin.";
export const NOTES = "Livraison & pose <urgent> — « merci » d'avance !";
const SITE = { line1: "Chantier Part-Dieu", line2: "Bâtiment B", postalCode: "69003", city: "Lyon", country: "FR" };
const WAREHOUSE = { line1: "Lagerstraße 7", postalCode: "20095", city: "Hamburg", country: "DE" };

/** The main company (a SARL with IBAN and payment terms), a micro-entrepreneur under the 293 B franchise, a consultancy under the option for débits. */
export type Seller = "main" | "franchise" | "debits";
/** Only the main company has every kind of customer; the two others have `pro`. */
export type CustomerKind = "pro" | "noVat" | "de" | "ch" | "special" | "consumer" | "deNoVat";
type Lines = InvoiceDraftInput["lines"];

interface InvoiceCase {
  seller: Seller;
  customer: CustomerKind;
  lines: Lines;
  extra?: Partial<InvoiceDraftInput>;
}

const S = "services" as const;
const G = "goods" as const;
const rounding = { description: "Heure de conseil", quantity: "1", unitPriceCents: 1001, vatRateBp: 2000, kind: S };

export const INVOICES = {
  oneRate: { seller: "main", customer: "pro", lines: [{ description: "Étude d'éclairage", quantity: "1", unitPriceCents: 125000, vatRateBp: 2000, kind: S }] },
  severalRates: {
    seller: "main",
    customer: "pro",
    lines: [
      { description: "Suspension laiton", quantity: "2", unitPriceCents: 18900, vatRateBp: 2000, kind: G },
      { description: "Pose et raccordement", quantity: "1", unitPriceCents: 45000, vatRateBp: 1000, kind: S },
      { description: "Ampoule LED", quantity: "3", unitPriceCents: 1250, vatRateBp: 550, kind: G },
      { description: "Revue d'architecture", quantity: "1", unitPriceCents: 1990, vatRateBp: 210, kind: G },
    ],
  },
  discounts: {
    seller: "main",
    customer: "pro",
    lines: [
      { description: "Suspension laiton", quantity: "2.5", unitPriceCents: 18900, discountCents: 1250, vatRateBp: 2000, kind: G },
      { description: "Pose", quantity: "1.75", unitPriceCents: 6000, discountCents: 500, vatRateBp: 1000, kind: S },
    ],
  },
  rounding: { seller: "main", customer: "pro", lines: [rounding, rounding, rounding] },
  franchise: {
    seller: "franchise",
    customer: "pro",
    lines: [{ description: "Atelier d'initiation", quantity: "2", unitPriceCents: 8000, vatRateBp: 0, kind: S }],
    extra: { vatExemption: "franchise" },
  },
  reverseCharge: {
    seller: "main",
    customer: "pro",
    lines: [{ description: "Sous-traitance électricité", quantity: "1", unitPriceCents: 240000, vatRateBp: 0, kind: S }],
    extra: { vatExemption: "reverse_charge" },
  },
  intraEu: {
    seller: "main",
    customer: "de",
    lines: [{ description: "Suspension laiton", quantity: "10", unitPriceCents: 18900, vatRateBp: 0, kind: G }],
    extra: { vatExemption: "intra_eu" },
  },
  export: {
    seller: "main",
    customer: "ch",
    lines: [{ description: "Lampadaire « Opéra »", quantity: "4", unitPriceCents: 32500, vatRateBp: 0, kind: G }],
    extra: { vatExemption: "export" },
  },
  customerWithoutVatNumber: { seller: "main", customer: "noVat", lines: [{ description: "Audit énergétique", quantity: "1", unitPriceCents: 98000, vatRateBp: 2000, kind: S }] },
  longTexts: {
    seller: "main",
    customer: "special",
    lines: [{ description: LONG_TEXT, quantity: "1", unitPriceCents: 125050, vatRateBp: 2000, kind: S }],
    extra: { notes: NOTES },
  },
  basicProfile: {
    seller: "main",
    customer: "pro",
    lines: [
      { description: "Suspension laiton\nfinition brossée", quantity: "2", unitPriceCents: 18900, discountCents: 800, vatRateBp: 2000, kind: G },
      { description: "Pose", quantity: "1", unitPriceCents: 45000, vatRateBp: 1000, kind: S },
    ],
  },
  consumer: { seller: "main", customer: "consumer", lines: [{ description: "Lampe de chevet", quantity: "1", unitPriceCents: 8900, vatRateBp: 2000, kind: G }] },
  supplyUnderDebits: {
    seller: "debits",
    customer: "pro",
    lines: [
      { description: "Maintenance de l'éclairage", quantity: "1", unitPriceCents: 48000, vatRateBp: 2000, kind: S },
      { description: "Relamping", quantity: "2", unitPriceCents: 9500, vatRateBp: 1000, kind: S },
    ],
    extra: { deliveryDate: "2026-10-31", servicePeriod: { from: "2026-10-01", to: "2026-10-31" }, deliveryAddress: SITE },
  },
  periodAlone: {
    seller: "main",
    customer: "pro",
    lines: [{ description: "Abonnement maintenance", quantity: "1", unitPriceCents: 12000, vatRateBp: 2000, kind: S }],
    extra: { servicePeriod: { from: "2026-10-01", to: "2026-10-31" } },
  },
  intraEuDeliveredElsewhere: {
    seller: "main",
    customer: "de",
    lines: [{ description: "Suspension laiton", quantity: "10", unitPriceCents: 18900, vatRateBp: 0, kind: G }],
    extra: { vatExemption: "intra_eu", deliveryDate: "2026-10-29", deliveryAddress: WAREHOUSE },
  },
  exemptUnderDebits: {
    seller: "debits",
    customer: "pro",
    lines: [{ description: "Sous-traitance", quantity: "1", unitPriceCents: 240000, vatRateBp: 0, kind: S }],
    extra: { vatExemption: "reverse_charge" },
  },
  /** Quantities in hours, days, kilograms, square metres, a flat rate and pieces (BT-130 from UN/ECE Rec 20). */
  units: {
    seller: "main",
    customer: "pro",
    lines: [
      { description: "Pose\nmontage et raccordement", quantity: "3.5", unitPriceCents: 6500, vatRateBp: 2000, kind: S, unit: "hour" },
      { description: "Journée d'étude", quantity: "2", unitPriceCents: 60000, vatRateBp: 2000, kind: S, unit: "day" },
      { description: "Câble cuivre", quantity: "12.5", unitPriceCents: 480, vatRateBp: 2000, kind: G, unit: "kg" },
      { description: "Dalle lumineuse", quantity: "6.25", unitPriceCents: 9000, vatRateBp: 2000, kind: G, unit: "m2" },
      { description: "Mise en service", quantity: "1", unitPriceCents: 15000, vatRateBp: 2000, kind: S, unit: "flat_rate" },
      { description: "Suspension laiton", quantity: "2", unitPriceCents: 18900, vatRateBp: 2000, kind: G, unit: "piece" },
    ],
  },
} satisfies Record<string, InvoiceCase>;
export type InvoiceCaseName = keyof typeof INVOICES;

/** A credit note of a matrix invoice: some of its lines (by index, optionally a quantity) or all of it. */
interface CreditNoteCase {
  of: InvoiceCaseName;
  issueDate: string;
  lines?: { line: number; quantity?: string }[];
  /** Or an amount alone at one of the invoice's rates (a commercial gesture). */
  amount?: { amountCents: number; basis: "ht" | "ttc"; vatRateBp: number; reason: string };
}

export const CREDIT_NOTES = {
  partial: { of: "severalRates", issueDate: "2026-11-10", lines: [{ line: 0, quantity: "1" }, { line: 2 }] },
  underDebits: { of: "supplyUnderDebits", issueDate: "2026-11-10" },
  units: { of: "units", issueDate: "2026-11-10", lines: [{ line: 0, quantity: "1" }, { line: 3 }] },
  gesture: { of: "severalRates", issueDate: "2026-11-10", amount: { amountCents: 5000, basis: "ttc", vatRateBp: 1000, reason: "Geste commercial : pose reportée d'une semaine" } },
} satisfies Record<string, CreditNoteCase>;
export type CreditNoteCaseName = keyof typeof CREDIT_NOTES;

export type EInvoiceKind = "cii.xml" | "ubl.xml";

export interface FacturXMatrix {
  t: TestApp;
  token: string;
  sellers: Record<Seller, { companyId: string; customers: Partial<Record<CustomerKind, string>> }>;
  /** Drafts and issues (on 2026-11-02) an invoice of the seller for one of its customers. */
  issue(seller: Seller, customer: CustomerKind, lines: Lines, extra?: Partial<InvoiceDraftInput>): Promise<any>;
  issueCase(name: InvoiceCaseName): Promise<any>;
  /** Issues the credited invoice, then its credit note; both as the API returns them. */
  creditCase(name: CreditNoteCaseName): Promise<{ invoice: any; creditNote: any }>;
  /**
   * An order of the main seller at two rates, a 30 % deposit, a 20 % one credited in full, and the
   * balance invoice: the deposit (386), the credit note of a deposit (503) and the balance (B4/S4/M4).
   */
  depositCase(): Promise<{ deposit: any; credited: any; creditNote: any; balance: any }>;
  /** A document's e-invoice, checked to be served as XML. */
  xml(seller: Seller, documentId: string, kind: EInvoiceKind, query?: string): Promise<string>;
}

export async function openFacturXMatrix(): Promise<FacturXMatrix> {
  const t = createTestApp();
  const o = await ownerWithCompany(t);
  const token = o.token;
  const patch = await t.call("PATCH", `/companies/${o.companyId}`, {
    token,
    body: {
      iban: "FR76 3000 6000 0112 3456 7890 189",
      bic: "BNPAFRPPXXX",
      email: "compta@atelier-test.fr",
      phone: "04 78 12 34 56",
      latePenaltyRate: "10 % l'an & <au-delà> de 30 jours",
      earlyPaymentDiscount: "2 % pour paiement sous 8 jours",
    },
  });
  expect(patch.status, patch.text).toBe(200);
  const customer = async (companyId: string, body: Record<string, unknown>): Promise<string> => {
    const res = await t.call("POST", `/companies/${companyId}/customers`, { token, body });
    expect(res.status, res.text).toBe(201);
    return res.json.id;
  };
  const company = async (body: Record<string, unknown>) => {
    const res = await t.call("POST", "/companies", { token, body });
    expect(res.status, res.text).toBe(201);
    return { companyId: res.json.id as string, customers: { pro: await customer(res.json.id, CUSTOMER) } };
  };
  const dupont = siren("51234567");
  const sellers: FacturXMatrix["sellers"] = {
    main: {
      companyId: o.companyId,
      customers: {
        pro: o.customerId,
        noVat: await customer(o.companyId, {
          name: "Cabinet Martin et Associés",
          siren: siren("44306184"),
          address: { line1: "8 quai Saint-Vincent", postalCode: "69001", city: "Lyon", country: "FR" },
        }),
        de: await customer(o.companyId, {
          name: "Müller Lichttechnik GmbH",
          vatNumber: "DE123456789",
          email: "einkauf@mueller-licht.de",
          address: { line1: "Hauptstraße 5", postalCode: "10115", city: "Berlin", country: "DE" },
        }),
        ch: await customer(o.companyId, {
          name: "Lumière Genève SA",
          email: "achats@lumiere-geneve.ch",
          address: { line1: "Rue du Rhône 12", postalCode: "1204", city: "Genève", country: "CH" },
        }),
        special: await customer(o.companyId, {
          name: "Dupont & Fils <Éclairage> « L'Atelier »",
          siren: dupont,
          vatNumber: frenchVatNumber(dupont),
          email: "dupont+factures@exemple.fr",
          address: "12 rue de l'Église & du Marché\n75004 Paris",
        }),
        consumer: await customer(o.companyId, {
          name: "Mme Léa Durand",
          address: { line1: "5 impasse des Lilas", postalCode: "38000", city: "Grenoble", country: "FR" },
        }),
        deNoVat: await customer(o.companyId, {
          name: "Schmidt KG",
          email: "info@schmidt.de",
          address: { line1: "Ring 1", postalCode: "50667", city: "Köln", country: "DE" },
        }),
      },
    },
    // no VAT number: the 293 B franchise
    franchise: await company({
      name: "Léa Durand EI",
      siren: siren("81234567"),
      address: { line1: "5 impasse des Lilas", postalCode: "38000", city: "Grenoble", country: "FR" },
    }),
    // VAT on its services d'après les débits
    debits: await company({
      name: "Conseil Débits SAS",
      siren: siren("73282932"),
      address: { line1: "1 rue de la Paix", postalCode: "75002", city: "Paris", country: "FR" },
      vatOnDebits: true,
    }),
  };

  const issue: FacturXMatrix["issue"] = async (seller, customerKind, lines, extra = {}) => {
    const { companyId, customers } = sellers[seller];
    const customerId = customers[customerKind];
    if (!customerId) throw new Error(`the ${seller} company has no ${customerKind} customer`);
    const draft = await t.call("POST", `/companies/${companyId}/invoices`, { token, body: { customerId, lines, ...extra } });
    expect(draft.status, draft.text).toBe(201);
    const issued = await t.call("POST", `/companies/${companyId}/invoices/${draft.json.id}/issue`, { token, body: { issueDate: "2026-11-02" } });
    expect(issued.status, issued.text).toBe(200);
    return issued.json;
  };
  const issueCase: FacturXMatrix["issueCase"] = (name) => {
    const c: InvoiceCase = INVOICES[name];
    return issue(c.seller, c.customer, c.lines, c.extra);
  };

  return {
    t,
    token,
    sellers,
    issue,
    issueCase,
    async creditCase(name) {
      const c: CreditNoteCase = CREDIT_NOTES[name];
      const invoice = await issueCase(c.of);
      const lines = c.lines?.map(({ line, quantity }) => ({ lineId: invoice.lines[line].id, ...(quantity ? { quantity } : {}) }));
      const res = await t.call("POST", `/companies/${sellers[INVOICES[c.of].seller].companyId}/invoices/${invoice.id}/credit-note`, {
        token,
        body: { issueDate: c.issueDate, ...(lines ? { lines } : {}), ...(c.amount ? { amount: c.amount } : {}) },
      });
      expect(res.status, res.text).toBe(201);
      return { invoice, creditNote: res.json };
    },
    async depositCase() {
      const { companyId, customers } = sellers.main;
      const call = async (url: string, body: object, status: number) => {
        const res = await t.call("POST", `/companies/${companyId}${url}`, { token, body });
        expect(res.status, res.text).toBe(status);
        return res.json;
      };
      const order = await call("/orders", {
        customerId: customers.pro,
        orderDate: "2026-10-28",
        reference: "BC-2026-17",
        lines: [
          { description: "Étude d'éclairage", quantity: "3", unitPriceCents: 1001, vatRateBp: 2000, kind: "services" },
          { description: "Suspension laiton", quantity: "2", unitPriceCents: 18900, vatRateBp: 2000, kind: "goods" },
          { description: "Livre « Éclairer la maison »", quantity: "1", unitPriceCents: 10000, vatRateBp: 550, kind: "goods" },
        ],
      }, 201);
      const deposit = await call(`/invoices/${(await call(`/orders/${order.id}/deposits`, { percentBp: 3000 }, 201)).id}/issue`, { issueDate: "2026-11-20" }, 200);
      const credited = await call(`/invoices/${(await call(`/orders/${order.id}/deposits`, { percentBp: 2000 }, 201)).id}/issue`, { issueDate: "2026-11-20" }, 200);
      const creditNote = await call(`/invoices/${credited.id}/credit-note`, { issueDate: "2026-11-20" }, 201);
      const balance = await call(`/invoices/${(await call(`/orders/${order.id}/balance`, {}, 201)).id}/issue`, { issueDate: "2026-11-20" }, 200);
      return { deposit, credited, creditNote, balance };
    },
    async xml(seller, documentId, kind, query = "") {
      const res = await t.call("GET", `/companies/${sellers[seller].companyId}/invoices/${documentId}/${kind}${query}`, { token });
      expect(res.status, res.text).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/xml; charset=utf-8");
      return res.text;
    },
  };
}
