/**
 * The demo: one French SARL with ~30 customers, ~20 products at 20 %, 10 %, 5,5 % and 2,1 %, and
 * ~500 invoices over the last 14 months with credit notes and partial payments — all created
 * through the same use-cases as the API, so numbering, totals and chains are real.
 */
import { AccountingSettingsInput, addDays, daysInMonth, frenchVatNumber, type ProductInput } from "@passerelle/shared";
import type { Deps, UseCaseContext } from "../context.js";
import { today } from "../clock.js";
import { createUser, findUserByEmail } from "../services/users.js";
import { createCompany } from "../services/companies.js";
import { createCustomer } from "../services/customers.js";
import { createProduct } from "../services/products.js";
import { createCreditNote, createDraft, issueInvoice } from "../services/invoices.js";
import { recordPayment } from "../services/payments.js";
import { recordActivity } from "../services/activity.js";
import { saveAccountingSettings } from "../services/accounting-settings.js";
import { lockPeriod, lockState } from "../services/locks.js";
import { inTransaction } from "../db/connection.js";
import { fixedClock } from "../clock.js";
import { emailDraft, recordSending } from "../services/invoice-sendings.js";
import { newClaim, recordAccepted } from "../services/invoice-sending-delivery.js";
import { seededRandom, sirenFrom } from "./random.js";

export const DEMO_OWNER = { email: "owner@demo.passerelle.fr", password: "demo-passerelle-2026", name: "Claire Martin" };
export const DEMO_COMPANY = { name: "Maison Lumière SARL", siren: "853904811" };
export const DEMO_ACCOUNTANT = { email: "comptable@demo.passerelle.fr", password: "comptable-passerelle-2026", name: "Julien Mercier (Cabinet Mercier & Associés)" };

export interface DemoInfo {
  owner: { email: string; password: string };
  accountant: { email: string; password: string };
  companyId: string;
  companyName: string;
  created: boolean;
}

const PRODUCTS: ProductInput[] = [
  { name: "Suspension laiton Ø40", unitPriceCents: 18900, vatRateBp: 2000, kind: "goods", category: "Luminaires" },
  { name: "Applique murale opaline", unitPriceCents: 8950, vatRateBp: 2000, kind: "goods", category: "Luminaires" },
  { name: "Lampe de bureau articulée", unitPriceCents: 12400, vatRateBp: 2000, kind: "goods", category: "Luminaires" },
  { name: "Lampadaire arc noir mat", unitPriceCents: 26500, vatRateBp: 2000, kind: "goods", category: "Luminaires" },
  { name: "Ampoule LED E27 filament 4 W", unitPriceCents: 790, vatRateBp: 2000, kind: "goods", category: "Fournitures" },
  { name: "Câble textile tressé (le mètre)", unitPriceCents: 465, vatRateBp: 2000, kind: "goods", category: "Fournitures" },
  { name: "Variateur rotatif LED", unitPriceCents: 3420, vatRateBp: 2000, kind: "goods", category: "Fournitures" },
  { name: "Douille laiton E27", unitPriceCents: 1150, vatRateBp: 2000, kind: "goods", category: "Fournitures" },
  { name: "Étude d'éclairage (heure)", unitPriceCents: 7500, vatRateBp: 2000, kind: "services", category: "Études" },
  { name: "Plan lumière boutique (forfait)", unitPriceCents: 95000, vatRateBp: 2000, kind: "services", category: "Études" },
  { name: "Déplacement Lyon et métropole", unitPriceCents: 4500, vatRateBp: 2000, kind: "services", category: "Interventions" },
  { name: "Pose de luminaire en logement (rénovation)", unitPriceCents: 6800, vatRateBp: 1000, kind: "services", category: "Interventions" },
  { name: "Rénovation électrique pièce (forfait)", unitPriceCents: 68000, vatRateBp: 1000, kind: "services", category: "Interventions" },
  { name: "Restauration de lustre ancien", unitPriceCents: 32000, vatRateBp: 1000, kind: "services", category: "Atelier" },
  { name: "Remplacement éclairage basse consommation (logement)", unitPriceCents: 14500, vatRateBp: 550, kind: "services", category: "Rénovation énergétique" },
  { name: "Détecteur de présence économie d'énergie (posé)", unitPriceCents: 9800, vatRateBp: 550, kind: "services", category: "Rénovation énergétique" },
  { name: "Livre « Éclairer la maison »", unitPriceCents: 2900, vatRateBp: 550, kind: "goods", category: "Librairie" },
  { name: "Revue Lumières (numéro)", unitPriceCents: 850, vatRateBp: 210, kind: "goods", category: "Librairie" },
  { name: "Contrat de maintenance annuel", unitPriceCents: 42000, vatRateBp: 2000, kind: "services", category: "Maintenance" },
  { name: "Réparation lampe (atelier)", unitPriceCents: 4800, vatRateBp: 2000, kind: "services", category: "Atelier" },
];

const CUSTOMER_NAMES = [
  "Boulangerie Dupont", "Hôtel des Célestins", "Cabinet Rousseau Architectes", "Café de la Place", "Mme Sophie Leroy",
  "Galerie Bellecour", "Restaurant L'Étape", "SCI Les Terrasses", "M. Julien Moreau", "Librairie du Vieux Lyon",
  "Pharmacie Saint-Jean", "Agence Immobilière Rhône", "Atelier Textile Croix-Rousse", "Mme Camille Petit", "Boutique Lina & Co",
  "Crèche Les Lucioles", "Cave à vins Gambetta", "Théâtre des Asphodèles", "M. Thomas Garnier", "Studio Photo Lumen",
  "Coiffure Élégance", "Bureau d'études Alpes Énergie", "Salle de sport Move", "Mme Élodie Fabre", "Épicerie fine Terroirs",
  "Clinique vétérinaire Confluence", "Fleuriste Pétales", "M. Antoine Lambert", "École de musique Do Ré Mi", "Syndic Rhône Habitat",
];
const STREETS = ["rue de la République", "quai Saint-Antoine", "cours Lafayette", "rue Mercière", "avenue Jean Jaurès", "rue Victor Hugo", "place des Terreaux", "rue Garibaldi"];
const CITIES: [string, string][] = [["69001", "Lyon"], ["69002", "Lyon"], ["69003", "Lyon"], ["69006", "Lyon"], ["69100", "Villeurbanne"], ["69300", "Caluire-et-Cuire"], ["69500", "Bron"]];
const METHODS = ["transfer", "transfer", "transfer", "card", "cheque"] as const;
const DELIVERY_SITES = [
  { line1: "Chantier Confluence — lot 4", line2: "Entrée par le quai Perrache", postalCode: "69002", city: "Lyon", country: "FR" },
  { line1: "Entrepôt Gerland", line2: "12 rue de Gerland", postalCode: "69007", city: "Lyon", country: "FR" },
  { line1: "Boutique Part-Dieu, centre commercial", postalCode: "69003", city: "Lyon", country: "FR" },
];

export async function seedDemo(deps: Deps, options: { invoices?: number; seed?: number } = {}): Promise<DemoInfo> {
  const rnd = seededRandom(options.seed ?? 2026);
  const owner = await createUser(deps, DEMO_OWNER);
  const ctx: UseCaseContext = { db: deps.db, clock: deps.clock, config: deps.config, actorId: owner.id };
  const company = createCompany(ctx, {
    name: DEMO_COMPANY.name,
    siren: DEMO_COMPANY.siren,
    vatNumber: frenchVatNumber(DEMO_COMPANY.siren),
    address: { line1: "14 rue des Tanneurs", postalCode: "69002", city: "Lyon", country: "FR" },
    legalForm: "SARL",
    capital: "10 000 €",
    rcsCity: "Lyon",
    fiscalYearStart: "01-01",
    email: "contact@maison-lumiere.fr",
    phone: "04 78 00 12 34",
    iban: "FR76 3000 4000 0312 3456 7890 143",
    paymentTermsDays: 30,
    latePenaltyRate: "3 fois le taux d'intérêt légal",
    earlyPaymentDiscount: "Pas d'escompte pour paiement anticipé",
  });
  const customers = CUSTOMER_NAMES.map((name, i) => {
    const isBusiness = !/^(M\.|Mme) /.test(name);
    const siren = isBusiness ? sirenFrom(String(31_000_000 + i * 2_345_671).slice(0, 8)) : undefined;
    const [postalCode, city] = rnd.pick(CITIES);
    return createCustomer(ctx, company.id, {
      name,
      ...(siren ? { siren, vatNumber: frenchVatNumber(siren) } : {}),
      email: `contact${i + 1}@exemple.fr`,
      address: { line1: `${rnd.int(1, 120)} ${rnd.pick(STREETS)}`, postalCode, city, country: "FR" },
      category: isBusiness ? (i % 3 === 0 ? "Professionnels CHR" : "Professionnels") : "Particuliers",
    });
  });
  const products = PRODUCTS.map((p) => createProduct(ctx, company.id, p));

  const end = today(deps.clock, deps.config.timeZone);
  const start = addDays(end, -425);
  const count = options.invoices ?? 500;
  const dates = Array.from({ length: count }, () => addDays(start, rnd.int(0, 424))).sort();
  let lastCreditDate = start;
  for (const [i, issueDate] of dates.entries()) {
    const customer = rnd.pick(customers);
    const lineCount = rnd.int(1, 4);
    const lines = Array.from({ length: lineCount }, () => {
      const product = rnd.pick(products);
      const quantity = product.unitPriceCents < 2000 ? String(rnd.int(2, 24)) : rnd.chance(0.15) ? `${rnd.int(1, 8)}.5` : String(rnd.int(1, 3));
      const discount = rnd.chance(0.1) ? Math.round(product.unitPriceCents * 0.1) : 0;
      return { productId: product.id, quantity, ...(discount ? { discountCents: discount } : {}) };
    });
    const draft = createDraft(ctx, company.id, {
      customerId: customer.id,
      lines,
      ...(i % 17 === 0 ? { notes: "Merci pour votre confiance." } : {}),
      // some sales are invoiced a few days after the delivery, some delivered to a site of the customer's
      ...(i % 11 === 3 ? { deliveryDate: addDays(issueDate, -(i % 5) - 2) } : {}),
      ...(i % 29 === 7 ? { deliveryAddress: DELIVERY_SITES[i % DELIVERY_SITES.length]! } : {}),
    });
    const invoice = issueInvoice(ctx, company.id, draft.id, { issueDate });
    if (i % 4 !== 1) sentByEmail(ctx, company.id, invoice.id, issueDate);
    const age = daysBetween(issueDate, end);
    if (rnd.chance(0.05) && age > 3) {
      // credit notes have their own chronological series: never date one before the previous one
      const creditDate = [addDays(issueDate, rnd.int(1, Math.min(age, 20))), lastCreditDate].sort().at(-1)!;
      lastCreditDate = creditDate;
      const lines = rnd.chance(0.5) ? undefined : [{ lineId: invoice.lines[0]!.id }];
      createCreditNote(ctx, company.id, invoice.id, { issueDate: creditDate, ...(lines ? { lines } : {}) });
    }
    const current = issueDate;
    const due = () => deps.db.prepare("SELECT ttc_cents - credited_cents - paid_cents FROM invoices WHERE id = ?").pluck().get(invoice.id) as number;
    if (age > 10 && due() > 0) {
      const roll = rnd.next();
      const payDate = addDays(current, Math.min(age, rnd.int(5, 45)));
      if (roll < 0.78) recordPayment(ctx, company.id, { invoiceId: invoice.id, amountCents: due(), date: payDate, method: rnd.pick(METHODS) });
      else if (roll < 0.9) {
        const part = Math.max(1, Math.floor(due() * 0.4));
        recordPayment(ctx, company.id, { invoiceId: invoice.id, amountCents: part, date: payDate, method: "transfer", reference: `Acompte ${invoice.number}` });
      }
    }
  }
  await ensureDemoAccountant(deps, company.id);
  return { owner: credentials(DEMO_OWNER), accountant: credentials(DEMO_ACCOUNTANT), companyId: company.id, companyName: company.name, created: true };
}

function credentials(who: { email: string; password: string }) {
  return { email: who.email, password: who.password };
}

/**
 * The demo company's accountant: a member of the company (as after accepting an invitation),
 * account codes for a few products and categories, and the first three months soft-locked.
 * Idempotent, so demo databases created before the accountant existed get one on the next start.
 */
export async function ensureDemoAccountant(deps: Deps, companyId: string): Promise<void> {
  const user = findUserByEmail(deps.db, DEMO_ACCOUNTANT.email) ?? (await createUser(deps, DEMO_ACCOUNTANT));
  const ctx: UseCaseContext = { db: deps.db, clock: deps.clock, config: deps.config, actorId: user.id };
  inTransaction(deps.db, () => {
    if (deps.db.prepare("SELECT 1 FROM memberships WHERE company_id = ? AND user_id = ?").get(companyId, user.id)) return;
    const owner = deps.db.prepare("SELECT user_id FROM memberships WHERE company_id = ? AND role = 'owner' LIMIT 1").pluck().get(companyId) as string;
    const now = deps.clock.now();
    deps.db
      .prepare("INSERT INTO memberships (company_id, user_id, role, invited_by, created_at) VALUES (?, ?, 'accountant', ?, ?)")
      .run(companyId, user.id, owner, now.toISOString());
    recordActivity(deps.db, now, {
      companyId,
      actorId: user.id,
      action: "accountant.joined",
      recordKind: "membership",
      recordId: user.id,
      after: { email: DEMO_ACCOUNTANT.email, demo: true },
    });
  });

  if (!deps.db.prepare("SELECT 1 FROM accounting_settings WHERE company_id = ?").get(companyId)) {
    const productId = (name: string) => deps.db.prepare("SELECT id FROM products WHERE company_id = ? AND name = ?").pluck().get(companyId, name) as string | undefined;
    const customerId = deps.db.prepare("SELECT id FROM customers WHERE company_id = ? AND name = ?").pluck().get(companyId, "Hôtel des Célestins") as string | undefined;
    const byProduct = [
      ["Contrat de maintenance annuel", "706300"],
      ["Étude d'éclairage (heure)", "706200"],
      ["Plan lumière boutique (forfait)", "706200"],
      ["Restauration de lustre ancien", "706400"],
    ].flatMap(([name, account]) => {
      const id = productId(name!);
      return id ? [{ productId: id, revenueAccount: account! }] : [];
    });
    saveAccountingSettings(
      ctx,
      companyId,
      AccountingSettingsInput.parse({
        byProduct,
        byCategory: [{ category: "Librairie", revenueAccount: "707100" }],
        byCustomer: customerId ? [{ customerId, auxAccount: "CELESTINS" }] : [],
        accountLabels: {
          "706200": "Études d'éclairage",
          "706300": "Contrats de maintenance",
          "706400": "Restauration et atelier",
          "707100": "Ventes de livres et revues",
        },
      }),
    );
  }

  if (!lockState(deps.db, companyId).lockedUntil) {
    // the first three months of the demo's history: from its oldest invoice to the end of its third month
    const first = deps.db.prepare("SELECT MIN(issue_date) FROM invoices WHERE company_id = ? AND number IS NOT NULL").pluck().get(companyId) as string | null;
    if (first) {
      const [y, m] = first.split("-").map(Number) as [number, number];
      const endYear = m + 2 > 12 ? y + 1 : y;
      const endMonth = ((m + 1) % 12) + 1;
      const until = `${endYear}-${String(endMonth).padStart(2, "0")}-${String(daysInMonth(endYear, endMonth)).padStart(2, "0")}`;
      if (until < today(deps.clock, deps.config.timeZone)) lockPeriod(ctx, companyId, { until, kind: "soft" });
    }
  }
}

/** The owner sent the invoice to the customer on its issue date (recorded as the mail server's acceptance; no message leaves). */
function sentByEmail(ctx: UseCaseContext, companyId: string, invoiceId: string, issueDate: string): void {
  const at = new Date(`${issueDate}T09:30:00Z`);
  const draft = emailDraft(ctx.db, companyId, invoiceId);
  const claim = newClaim();
  const id = recordSending({ ...ctx, clock: fixedClock(at.toISOString()) }, companyId, invoiceId, draft, claim, at);
  recordAccepted(ctx.db, id, claim, at);
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);
}

/** Loads the demo once; later starts find it and keep the data. */
export async function ensureDemo(deps: Deps): Promise<DemoInfo> {
  const owner = findUserByEmail(deps.db, DEMO_OWNER.email);
  if (owner) {
    const company = deps.db
      .prepare("SELECT c.id, c.name FROM companies c JOIN memberships m ON m.company_id = c.id WHERE m.user_id = ? AND c.siren = ?")
      .get(owner.id, DEMO_COMPANY.siren) as { id: string; name: string } | undefined;
    if (company) await ensureDemoAccountant(deps, company.id);
    return { owner: credentials(DEMO_OWNER), accountant: credentials(DEMO_ACCOUNTANT), companyId: company?.id ?? "", companyName: company?.name ?? "", created: false };
  }
  return seedDemo(deps);
}
