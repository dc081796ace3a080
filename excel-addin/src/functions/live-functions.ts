/**
 * The engine behind =PASSERELLE.TOTAL and =PASSERELLE.JOURNAL: every formula cell is a live
 * subscription. Cells evaluated together are answered by one journal request per company (the
 * union of their periods), and re-evaluated when the company's change feed moves. Signed out,
 * every cell shows #N/A with a message.
 */
import type { PasserelleClient } from "@passerelle/shared/client";
import { ApiError } from "@passerelle/shared/client";
import type { Company, JournalRow } from "@passerelle/shared";
import { loadCompanies, loadSalesJournal } from "../api/data.js";
import { followChanges, type FeedEvent } from "../api/feed.js";
import { dateSerial, serialToIso } from "../excel/cells.js";
import type { Language } from "../language.js";

export type Measure = "ht" | "vat" | "ttc";
export type Matrix = (string | number)[][];

/** What a cell shows when it cannot compute: an Excel error code and a message. */
export class CellError extends Error {
  constructor(
    readonly code: "#N/A" | "#VALUE!",
    message: string,
  ) {
    super(message);
  }
}

interface Subscription {
  company: string;
  /** Known once resolved: the feed to follow. */
  companyId?: string;
  from: string;
  to: string;
  answer: (rows: JournalRow[]) => void;
  fail: (error: CellError) => void;
}

export interface LiveFunctionsOptions {
  client: () => PasserelleClient | null;
  lang: () => Language;
  /** How long to gather cells before asking the API (a recalculation evaluates many at once). */
  batchMs?: number;
  follow?: typeof followChanges;
}

const FR_STATUSES: Record<string, readonly [invoice: string, creditNote: string]> = {
  draft: ["Brouillon", "Brouillon"],
  issued: ["Émise", "Émis"],
  partially_paid: ["Partiellement payée", "Partiellement soldé"],
  paid: ["Payée", "Soldé"],
};
const EN_STATUSES: Record<string, string> = { draft: "Draft", issued: "Issued", partially_paid: "Partially paid", paid: "Paid" };

const MESSAGES = {
  fr: {
    signedOut: "Connectez-vous dans le volet Passerelle.",
    unknownCompany: (c: string) => `Société inconnue ou non partagée avec vous : ${c}`,
    badDate: (v: string) => `Date invalide : ${v}`,
    badMeasure: (v: string) => `Mesure inconnue : ${v} (HT, TVA ou TTC)`,
    badRate: (v: string) => `Taux de TVA invalide : ${v}`,
    unreachable: "Serveur Passerelle injoignable.",
    expired: "Session expirée : reconnectez-vous dans le volet Passerelle.",
    header: ["Date", "N° pièce", "Type", "Code client", "Client", "HT", "TVA", "TTC", "Statut"],
    invoice: "Facture",
    credit_note: "Avoir",
    /** A row's status, said of an invoice (feminine) or a credit note. */
    status: (status: string, type: string) => (FR_STATUSES[status]?.[type === "credit_note" ? 1 : 0] ?? status),
  },
  en: {
    signedOut: "Sign in from the Passerelle pane.",
    unknownCompany: (c: string) => `Unknown company, or not shared with you: ${c}`,
    badDate: (v: string) => `Invalid date: ${v}`,
    badMeasure: (v: string) => `Unknown measure: ${v} (HT, TVA or TTC)`,
    badRate: (v: string) => `Invalid VAT rate: ${v}`,
    unreachable: "The Passerelle server cannot be reached.",
    expired: "Session expired: sign in again from the Passerelle pane.",
    header: ["Date", "Number", "Type", "Customer code", "Customer", "Excl. VAT", "VAT", "Incl. VAT", "Status"],
    invoice: "Invoice",
    credit_note: "Credit note",
    status: (status: string, _type: string) => EN_STATUSES[status] ?? status,
  },
};

/** Journals read at once (a browser keeps 6 connections per server over HTTP/1.1). */
const JOURNAL_READS = 3;

export class LiveFunctions {
  private readonly subs = new Set<Subscription>();
  private pending = new Set<Subscription>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private companies: Promise<Company[]> | null = null;
  private readonly feeds = new Map<string, () => void>();
  /** Journal requests sent, for the tests and the pane's diagnostics. */
  requests = 0;

  constructor(private readonly options: LiveFunctionsOptions) {}

  private get t() {
    return MESSAGES[this.options.lang()];
  }

  /** =PASSERELLE.TOTAL(company; from; to; [measure]; [vatRate]) */
  total(company: unknown, from: unknown, to: unknown, measure: unknown, vatRate: unknown, sink: Sink<number>): () => void {
    let m: Measure;
    let rate: number | null;
    try {
      m = parseMeasure(measure, this.t);
      rate = parseRate(vatRate, this.t);
    } catch (error) {
      sink.error(error as CellError);
      return () => {};
    }
    return this.subscribe(company, from, to, sink, (rows) => totalOf(rows, m, rate) / 100);
  }

  /** =PASSERELLE.JOURNAL(company; from; to) */
  journal(company: unknown, from: unknown, to: unknown, sink: Sink<Matrix>): () => void {
    return this.subscribe(company, from, to, sink, (rows) => {
      const t = this.t;
      return [
        [...t.header],
        ...rows.map((r) => [dateSerial(r.date), r.number, t[r.type], r.customerCode, r.customerName, r.htCents / 100, r.vatCents / 100, r.ttcCents / 100, t.status(r.status, r.type)]),
      ];
    });
  }

  private subscribe<T>(company: unknown, from: unknown, to: unknown, sink: Sink<T>, compute: (rows: JournalRow[]) => T): () => void {
    let sub: Subscription;
    try {
      sub = {
        company: String(company ?? "").trim(),
        from: parseDate(from, this.t),
        to: parseDate(to, this.t),
        answer: (rows) => sink.result(compute(rows.filter((r) => r.date >= sub.from && r.date <= sub.to))),
        fail: (error) => sink.error(error),
      };
    } catch (error) {
      sink.error(error as CellError);
      return () => {};
    }
    this.subs.add(sub);
    this.schedule([sub]);
    return () => {
      this.subs.delete(sub);
      this.pending.delete(sub);
      this.dropIdleFeeds();
    };
  }

  /** Signed in or out: forget what was known and answer every cell again. */
  sessionChanged(): void {
    this.companies = null;
    for (const stop of this.feeds.values()) stop();
    this.feeds.clear();
    this.schedule([...this.subs]);
  }

  private schedule(subs: Subscription[]): void {
    for (const s of subs) this.pending.add(s);
    this.timer ??= setTimeout(() => void this.flush(), this.options.batchMs ?? 25);
  }

  private async flush(): Promise<void> {
    this.timer = null;
    const batch = [...this.pending];
    this.pending.clear();
    const client = this.options.client();
    if (!client) {
      for (const s of batch) s.fail(new CellError("#N/A", this.t.signedOut));
      return;
    }
    let companies: Company[];
    try {
      this.companies ??= loadCompanies(client);
      companies = await this.companies;
    } catch (error) {
      this.companies = null;
      for (const s of batch) s.fail(this.explain(error));
      return;
    }
    const byCompany = new Map<string, { company: Company; subs: Subscription[] }>();
    for (const s of batch) {
      const company = findCompany(companies, s.company);
      if (!company) {
        s.fail(new CellError("#N/A", this.t.unknownCompany(s.company)));
        continue;
      }
      s.companyId = company.id;
      const group = byCompany.get(company.id) ?? { company, subs: [] };
      group.subs.push(s);
      byCompany.set(company.id, group);
    }
    // a few journals at a time: the pane's own requests (sign-in, lists, inserts) keep free connections
    const groups = [...byCompany.values()];
    // followed before reading, so a change made during the read is not missed; all at once, so the stream reopens once
    for (const { company } of groups) this.follow(client, company.id);
    const worker = async () => {
      for (let group = groups.shift(); group; group = groups.shift()) {
        const { company, subs } = group;
        const from = subs.reduce((m, s) => (s.from < m ? s.from : m), subs[0]!.from);
        const to = subs.reduce((m, s) => (s.to > m ? s.to : m), subs[0]!.to);
        try {
          this.requests++;
          const { rows } = await loadSalesJournal(client, company.id, { from, to });
          for (const s of subs) if (this.subs.has(s)) s.answer(rows);
        } catch (error) {
          for (const s of subs) s.fail(this.explain(error));
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(JOURNAL_READS, groups.length) }, worker));
  }

  private follow(client: PasserelleClient, companyId: string): void {
    if (this.feeds.has(companyId)) return;
    const follow = this.options.follow ?? followChanges;
    const stop = follow(client, companyId, null, (event: FeedEvent) => {
      if (event.type === "seq") this.schedule([...this.subs].filter((s) => s.companyId === companyId));
    });
    this.feeds.set(companyId, stop);
  }

  private dropIdleFeeds(): void {
    if (this.subs.size > 0) return;
    for (const stop of this.feeds.values()) stop();
    this.feeds.clear();
  }

  private explain(error: unknown): CellError {
    if (error instanceof ApiError) {
      if (error.status === 401) return new CellError("#N/A", this.t.expired);
      return new CellError("#N/A", error.message);
    }
    return new CellError("#N/A", this.t.unreachable);
  }
}

export interface Sink<T> {
  result(value: T): void;
  error(error: CellError): void;
}

function normalize(s: string): string {
  return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/\s+/g, " ").trim().toLowerCase();
}

function matches(c: Company, key: string): boolean {
  const k = normalize(key);
  return c.id === key || c.siren === key.replace(/\s+/g, "") || normalize(c.name) === k;
}

function findCompany(companies: Company[], key: string): Company | undefined {
  return companies.find((c) => matches(c, key));
}

/** A date cell (Excel day number), "2026-01-31" or "31/01/2026". */
export function parseDate(value: unknown, t: { badDate: (v: string) => string }): string {
  if (typeof value === "number" && Number.isFinite(value) && value > 60) return serialToIso(value);
  const s = String(value ?? "").trim();
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  const fr = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(s);
  const parts = iso ? [iso[1], iso[2], iso[3]] : fr ? [fr[3], fr[2]!.padStart(2, "0"), fr[1]!.padStart(2, "0")] : null;
  if (parts) {
    const candidate = parts.join("-");
    const [y, m, d] = parts.map(Number) as [number, number, number];
    const date = new Date(Date.UTC(y, m - 1, d));
    if (date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d) return candidate;
  }
  throw new CellError("#VALUE!", t.badDate(s));
}

function parseMeasure(value: unknown, t: { badMeasure: (v: string) => string }): Measure {
  if (value === null || value === undefined || value === "") return "ht";
  const v = String(value).trim().toUpperCase();
  if (["HT", "NET", "EXCL"].includes(v)) return "ht";
  if (["TVA", "VAT"].includes(v)) return "vat";
  if (["TTC", "GROSS", "INCL"].includes(v)) return "ttc";
  throw new CellError("#VALUE!", t.badMeasure(String(value)));
}

/** 20 or 0.2 (a cell formatted as %) → 2000 basis points; 5.5 or 0.055 → 550. */
function parseRate(value: unknown, t: { badRate: (v: string) => string }): number | null {
  if (value === null || value === undefined || value === "") return null;
  const n = typeof value === "number" ? value : Number(String(value).replace(",", ".").replace("%", "").trim());
  if (!Number.isFinite(n) || n < 0 || n > 100) throw new CellError("#VALUE!", t.badRate(String(value)));
  return Math.round(n < 1 && n > 0 ? n * 10_000 : n * 100);
}

/** In cents. With a rate: that rate's base (HT), VAT, or both (TTC). */
export function totalOf(rows: JournalRow[], measure: Measure, rateBp: number | null): number {
  let total = 0;
  for (const row of rows) {
    if (rateBp === null) total += measure === "ht" ? row.htCents : measure === "vat" ? row.vatCents : row.ttcCents;
    else {
      const r = row.byRate.find((x) => x.vatRateBp === rateBp);
      if (r) total += measure === "ht" ? r.baseCents : measure === "vat" ? r.vatCents : r.baseCents + r.vatCents;
    }
  }
  return total;
}
