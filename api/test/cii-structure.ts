/**
 * Our own structural check of the CII the API writes, needing nothing outside the repository (the
 * official XSD and schematrons run in the conformance suite, api/conformance/): the parts in the
 * order the CII schema sets, the business terms EN 16931 requires once, amounts with two decimals,
 * and the totals' arithmetic under the EN 16931 rule that states it.
 */
import { CII_NS, xmlQuery } from "./xml-query.js";

const ROOT = "/rsm:CrossIndustryInvoice";
const TRANSACTION = `${ROOT}/rsm:SupplyChainTradeTransaction`;
const LINE = `${TRANSACTION}/ram:IncludedSupplyChainTradeLineItem`;
const AGREEMENT = `${TRANSACTION}/ram:ApplicableHeaderTradeAgreement`;
const SETTLEMENT = `${TRANSACTION}/ram:ApplicableHeaderTradeSettlement`;
const BREAKDOWN = `${SETTLEMENT}/ram:ApplicableTradeTax`;
const SUMS = `${SETTLEMENT}/ram:SpecifiedTradeSettlementHeaderMonetarySummation`;

const TYPE_CODE = `${ROOT}/rsm:ExchangedDocument/ram:TypeCode`;
const ISSUE_DATE = `${ROOT}/rsm:ExchangedDocument/ram:IssueDateTime/udt:DateTimeString[@format='102']`;
const CURRENCY = `${SETTLEMENT}/ram:InvoiceCurrencyCode`;
const LINE_NET = "ram:SpecifiedLineTradeSettlement/ram:SpecifiedTradeSettlementLineMonetarySummation/ram:LineTotalAmount";

/** Business terms the document carries exactly once, not empty. */
const ONCE: [term: string, path: string][] = [
  ["BT-24", `${ROOT}/rsm:ExchangedDocumentContext/ram:GuidelineSpecifiedDocumentContextParameter/ram:ID`],
  ["BT-1", `${ROOT}/rsm:ExchangedDocument/ram:ID`],
  ["BT-3", TYPE_CODE],
  ["BT-2", ISSUE_DATE],
  ["BT-27", `${AGREEMENT}/ram:SellerTradeParty/ram:Name`],
  ["BT-40", `${AGREEMENT}/ram:SellerTradeParty/ram:PostalTradeAddress/ram:CountryID`],
  ["BT-44", `${AGREEMENT}/ram:BuyerTradeParty/ram:Name`],
  ["BT-55", `${AGREEMENT}/ram:BuyerTradeParty/ram:PostalTradeAddress/ram:CountryID`],
  ["BT-5", CURRENCY],
  ["BT-106", `${SUMS}/ram:LineTotalAmount`],
  ["BT-109", `${SUMS}/ram:TaxBasisTotalAmount`],
  ["BT-110", `${SUMS}/ram:TaxTotalAmount`],
  ["BT-112", `${SUMS}/ram:GrandTotalAmount`],
  ["BT-115", `${SUMS}/ram:DuePayableAmount`],
];

/** Business terms every line (BG-25) carries exactly once, relative to the line. */
const ON_EACH_LINE: [term: string, path: string][] = [
  ["BT-126", "ram:AssociatedDocumentLineDocument/ram:LineID"],
  ["BT-153", "ram:SpecifiedTradeProduct/ram:Name"],
  ["BT-146", "ram:SpecifiedLineTradeAgreement/ram:NetPriceProductTradePrice/ram:ChargeAmount"],
  ["BT-129", "ram:SpecifiedLineTradeDelivery/ram:BilledQuantity[@unitCode]"],
  ["BT-151", "ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax[ram:TypeCode='VAT']/ram:CategoryCode"],
  ["BT-131", LINE_NET],
];

/** Business terms every VAT breakdown (BG-23) carries exactly once, relative to the breakdown. */
const ON_EACH_BREAKDOWN: [term: string, path: string][] = [
  ["BT-116", "ram:BasisAmount"],
  ["BT-117", "ram:CalculatedAmount"],
  ["BT-118", "ram:CategoryCode"],
  ["BT-119", "ram:RateApplicablePercent"],
];

/** The monetary amounts EN 16931 allows two decimals at most; the API always writes two. */
const AMOUNTS = [`${SUMS}/*`, `${BREAKDOWN}/ram:BasisAmount`, `${BREAKDOWN}/ram:CalculatedAmount`, `${LINE}/${LINE_NET}`];

const cents = (amount: string) => Math.round(Number(amount) * 100);
const euros = (c: number) => (c / 100).toFixed(2);
const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
/** The element a path ends on, without prefix or predicate: `ram:BilledQuantity[@unitCode]` → `BilledQuantity`. */
const last = (path: string) => path.split("/").at(-1)!.replace(/^\w+:|\[.*$/g, "");

/** Every departure from the structure above, as "<rule or term>: <what is wrong>"; [] when there is none. */
export function ciiStructureErrors(xml: string): string[] {
  const q = xmlQuery(xml, CII_NS);
  const errors: string[] = [];

  const parts = q(`${ROOT}/*/local-name()`).join(", ");
  if (parts !== "ExchangedDocumentContext, ExchangedDocument, SupplyChainTradeTransaction") errors.push(`order: the document's parts are ${parts}`);
  const transaction = q(`${TRANSACTION}/*/local-name()`).join(", ");
  if (!/^(IncludedSupplyChainTradeLineItem, )+ApplicableHeaderTradeAgreement, ApplicableHeaderTradeDelivery, ApplicableHeaderTradeSettlement$/.test(transaction)) {
    errors.push(`order: the transaction's parts are ${transaction}`);
  }

  for (const [term, path] of ONCE) {
    const values = q(path);
    if (values.length !== 1) errors.push(`${term}: ${last(path)} appears ${values.length} times, once expected`);
    else if (values[0]!.trim() === "") errors.push(`${term}: ${last(path)} is empty`);
  }
  const [typeCode] = q(TYPE_CODE);
  if (typeCode !== undefined && typeCode !== "380" && typeCode !== "381" && typeCode !== "386") {
    errors.push(`BT-3: TypeCode ${typeCode} is none of 380 (invoice), 381 (credit note) and 386 (prepayment invoice)`);
  }
  const [issueDate] = q(ISSUE_DATE);
  if (issueDate !== undefined && !isCalendarDate(issueDate)) errors.push(`BT-2: ${issueDate} is not a date written YYYYMMDD`);
  const [currency] = q(CURRENCY);
  if (currency !== undefined && currency !== "EUR") errors.push(`BT-5: InvoiceCurrencyCode is ${currency}, EUR expected`);
  for (const id of q(`${SUMS}/ram:TaxTotalAmount/string(@currencyID)`)) {
    if (currency !== undefined && id !== currency) errors.push(`BT-110: TaxTotalAmount's currencyID is "${id}", not the invoice's currency`);
  }

  if (Number(q(`count(${LINE})`)[0]) === 0) errors.push("BG-25: the invoice has no line");
  for (const [term, path] of ON_EACH_LINE) {
    q(`${LINE}/count(${path})`).forEach((count, i) => {
      if (count !== "1") errors.push(`${term}: line ${i + 1} has ${count} ${last(path)}, one expected`);
    });
  }
  if (Number(q(`count(${BREAKDOWN})`)[0]) === 0) errors.push("BG-23: the invoice has no VAT breakdown");
  for (const [term, path] of ON_EACH_BREAKDOWN) {
    q(`${BREAKDOWN}/count(${path})`).forEach((count, i) => {
      if (count !== "1") errors.push(`${term}: VAT breakdown ${i + 1} has ${count} ${last(path)}, one expected`);
    });
  }
  for (const named of q(AMOUNTS.map((path) => `${path}/concat(local-name(), ' ', .)`).join(", "))) {
    const [name, amount] = named.split(" ") as [string, string];
    if (!/^-?\d+\.\d{2}$/.test(amount)) errors.push(`amounts: ${name} ${amount} is not written with two decimals`);
  }
  if (errors.length > 0) return errors; // the arithmetic below reads what was just checked

  const total = (name: string) => cents(q(`${SUMS}/ram:${name}`)[0] ?? "0");
  const check = (rule: string, what: string, actual: number, how: string, expected: number) => {
    if (actual !== expected) errors.push(`${rule}: ${what} is ${euros(actual)}, ${how} is ${euros(expected)}`);
  };
  const lineNets = q(`${LINE}/${LINE_NET}`).map(cents);
  const [lines, basis, vat, grand] = [total("LineTotalAmount"), total("TaxBasisTotalAmount"), total("TaxTotalAmount"), total("GrandTotalAmount")];
  check("BR-CO-10", "LineTotalAmount", lines, "the sum of the lines' net amounts", sum(lineNets));
  check("BR-CO-13", "TaxBasisTotalAmount", basis, "LineTotalAmount − allowances + charges", lines - total("AllowanceTotalAmount") + total("ChargeTotalAmount"));
  check("BR-CO-14", "TaxTotalAmount", vat, "the sum of the VAT breakdowns", sum(q(`${BREAKDOWN}/ram:CalculatedAmount`).map(cents)));
  check("BR-CO-15", "GrandTotalAmount", grand, "TaxBasisTotalAmount + TaxTotalAmount", basis + vat);
  check("BR-CO-16", "DuePayableAmount", total("DuePayableAmount"), "GrandTotalAmount − prepaid + rounding", grand - total("TotalPrepaidAmount") + total("RoundingAmount"));

  const lineRates = q(`${LINE}/ram:SpecifiedLineTradeSettlement/ram:ApplicableTradeTax/concat(ram:CategoryCode, ' ', ram:RateApplicablePercent)`);
  // document-level allowances (BG-20, the deposits a balance invoice deducts) and charges (BG-21), signed, with their rate
  const adjustments = q(`${SETTLEMENT}/ram:SpecifiedTradeAllowanceCharge/concat(ram:ChargeIndicator/udt:Indicator, ' ', ram:ActualAmount, ' ', ram:CategoryTradeTax/ram:CategoryCode, ' ', ram:CategoryTradeTax/ram:RateApplicablePercent)`).map((a) => {
    const [charge, amount, category, rate] = a.split(" ") as [string, string, string, string];
    return { key: `${category} ${rate}`, cents: (charge === "true" ? 1 : -1) * cents(amount) };
  });
  for (const breakdown of q(`${BREAKDOWN}/concat(ram:CategoryCode, ' ', ram:RateApplicablePercent, ' ', ram:BasisAmount, ' ', ram:CalculatedAmount)`)) {
    const [category, rate, base, calculated] = breakdown.split(" ") as [string, string, string, string];
    const family = `BR-${category === "K" ? "IC" : category}`; // EN 16931 names the intra-community rules BR-IC
    const linesBase = sum(lineNets.filter((_, i) => lineRates[i] === `${category} ${rate}`));
    const atRate = adjustments.filter((a) => a.key === `${category} ${rate}`);
    check(
      `${family}-08`,
      `the base of ${category} ${rate} %`,
      cents(base),
      atRate.length > 0 ? "the sum of its lines' net amounts − allowances + charges" : "the sum of its lines' net amounts",
      linesBase + sum(atRate.map((a) => a.cents)),
    );
    // only standard-rated VAT is charged; every exempt category's VAT is zero
    const vatOf = (c: number) => roundHalfAway((c * Math.round(Number(rate) * 100)) / 10_000);
    if (category === "S" && atRate.length > 0) {
      // a balance invoice: the VAT its lines bear less the VAT each deposit already bore, each rounded once (accounting.md)
      check(`${family}-09`, `the VAT of ${category} ${rate} %`, cents(calculated), "its lines' VAT less each allowance's", vatOf(linesBase) + sum(atRate.map((a) => Math.sign(a.cents) * vatOf(Math.abs(a.cents)))));
    } else {
      check(`${family}-09`, `the VAT of ${category} ${rate} %`, cents(calculated), "its base × rate", category === "S" ? vatOf(cents(base)) : 0);
    }
  }
  return errors;
}

function isCalendarDate(yyyymmdd: string): boolean {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(yyyymmdd);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.toISOString().slice(0, 10).replaceAll("-", "") === yyyymmdd;
}

function roundHalfAway(x: number): number {
  return Math.sign(x) * Math.round(Math.abs(x));
}
