import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import type { TargetedKeyboardEvent } from "preact";
import type { Invoice, LineUnit, Quote, VatExemptionCode } from "@passerelle/shared";
import { UNIT_KEYS, UNITS } from "@passerelle/shared/units";
import { api } from "../../../lib/messaging";
import { useAppData } from "../../../lib/app/data";
import { navigate, routeHref } from "../../../lib/app/route";
import { usePersistentForm } from "../../../lib/app/form-store";
import { formProblem, withoutField, type FieldErrors } from "../../../lib/app/form-errors";
import { lockedDateProblem } from "../../../lib/app/locks";
import {
  DELIVERY_FIELDS,
  draftFieldFor,
  draftInput,
  draftPatch,
  emptyDelivery,
  emptyDraft,
  emptyLine,
  formFromInvoice,
  formFromQuote,
  isBlankLine,
  lineFieldKey,
  lineFromProduct,
  quoteInput,
  quotePatch,
  readDraft,
  withDelivery,
  type DeliveryForm,
  type DraftForm,
  type LineField,
  type LineForm,
} from "../../../lib/app/invoice-form";
import { businessToday, formatDateFr, formatEuros, formatTimestampDate } from "../../../lib/format";
import { t } from "../../../lib/i18n";
import { Notice } from "../../../components/Notice";
import { ConfirmButton } from "../../../components/ConfirmButton";
import { CustomerPicker } from "../../../components/app/CustomerPicker";
import { SelectInput, TextArea, TextInput } from "../../../components/app/inputs";
import { RestoredNotice } from "../../../components/app/RestoredNotice";
import { TotalsTable } from "../../../components/app/TotalsTable";
import { VatRateOptions } from "../../../components/app/VatRateOptions";
import { FlashNotice } from "../../../components/app/FlashNotice";
import { DeliverySection } from "./DeliverySection";

const EXEMPTIONS: { code: VatExemptionCode; label: Parameters<typeof t>[0] }[] = [
  { code: "franchise", label: "appExemptionFranchise" },
  { code: "reverse_charge", label: "appExemptionReverseCharge" },
  { code: "intra_eu", label: "appExemptionIntraEu" },
  { code: "export", label: "appExemptionExport" },
];

const lineInputId = (key: string, field: LineField) => `line-${key}-${field}`;

/** "Qté" where the card shows it, "Qté, ligne 2" for screen readers and wherever the column header says the rest. */
const lineLabel = (column: string, n: number) => (
  <>
    {column}
    <span class="visually-hidden">{t("appLineSuffix", n)}</span>
  </>
);

/** What a save answered: the invoice or the quote, and the form it reads back as. */
interface Saved {
  id: string;
  number: string | null;
  ttcCents: number;
  form: DraftForm;
  invoice?: Invoice;
  quote?: Quote;
}

const savedInvoice = (invoice: Invoice): Saved => ({ id: invoice.id, number: invoice.number, ttcCents: invoice.totals.ttcCents, form: formFromInvoice(invoice), invoice });
const savedQuote = (quote: Quote): Saved => ({ id: quote.id, number: quote.number, ttcCents: quote.totals.ttcCents, form: formFromQuote(quote), quote });

/**
 * A draft invoice, or a draft quote (`kind="quote"`): customer, dates and lines, with the totals the
 * shared rules give as the owner types. Saved as a draft, deleted, or issued after a confirmation
 * that it becomes final. A quote has a validity date where an invoice has its due date, and no
 * delivery part.
 */
export function InvoiceEditor(props: {
  invoiceId: string | null;
  invoice?: Invoice;
  onSaved?: (invoice: Invoice) => void;
  kind?: "invoice" | "quote";
  quote?: Quote;
  onQuoteSaved?: (quote: Quote) => void;
}) {
  const data = useAppData();
  const { companyId } = data;
  const isQuote = props.kind === "quote";
  const base = useMemo(() => (props.quote ? formFromQuote(props.quote) : props.invoice ? formFromInvoice(props.invoice) : emptyDraft()), [props.invoice, props.quote]);
  const form = usePersistentForm<DraftForm>(`${companyId}:${isQuote ? "quote" : "invoice"}:${props.invoiceId ?? "new"}`, base);
  const view = (id: string) => (isQuote ? ({ view: "quote", id } as const) : ({ view: "invoice", id } as const));
  const notifySaved = (saved: Saved) => (saved.quote ? props.onQuoteSaved?.(saved.quote) : saved.invoice ? props.onSaved?.(saved.invoice) : undefined);
  const carried = props.invoiceId && data.handoff?.recordId === props.invoiceId ? data.handoff : null;
  const [errors, setErrors] = useState<FieldErrors>(carried?.fields ?? {});
  const [problem, setProblem] = useState<string | null>(carried?.message ?? null);
  const [status, setStatus] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [depositPercent, setDepositPercent] = useState("30");
  const [depositReference, setDepositReference] = useState("");
  const [issuing, setIssuing] = useState(false);
  const [issueDate, setIssueDate] = useState("");
  const focusNext = useRef<string | null>(null);

  useEffect(() => {
    if (carried) data.setHandoff(null);
  }, []);

  /** Moves the cursor once the element asked for is on the page (a render may come before the one that adds it). */
  useEffect(() => {
    const id = focusNext.current;
    const target = id ? document.getElementById(id) : null;
    if (!target) return;
    target.focus();
    focusNext.current = null;
  });

  // A form kept from before the delivery part existed reads with an empty one.
  const value = useMemo(() => (form.value ? withDelivery(form.value) : undefined), [form.value]);
  const read = useMemo(() => (value ? readDraft(value) : null), [value]);
  const customers = useMemo(() => [...(data.customers ?? [])].sort((a, b) => a.name.localeCompare(b.name, "fr")), [data.customers]);
  const products = useMemo(() => [...(data.products ?? [])].sort((a, b) => a.name.localeCompare(b.name, "fr")), [data.products]);
  if (!value || !read) return <p class="muted">{t("loading")}</p>;

  const today = businessToday();
  // a quote is no accounting document: a locked period does not stop it
  const lockedUntil = isQuote ? null : (data.company?.lockedUntil ?? null);
  const terms = data.company?.paymentTermsDays;

  function change(next: (f: DraftForm) => DraftForm, clears: string[] = []) {
    form.set(next);
    setStatus(null);
    if (clears.length) setErrors((e) => clears.reduce(withoutField, e));
  }
  function setField<K extends keyof DraftForm>(field: K, v: DraftForm[K]) {
    change((f) => ({ ...f, [field]: v }), [field]);
  }
  function setDelivery(field: keyof DeliveryForm, v: string) {
    change((f) => ({ ...f, delivery: { ...(f.delivery ?? emptyDelivery()), [field]: v } }), [DELIVERY_FIELDS[field]]);
  }
  function setLine(key: string, patch: Partial<LineForm>, fields: LineField[]) {
    change(
      (f) => ({ ...f, lines: f.lines.map((l) => (l.key === key ? { ...l, ...patch } : l)) }),
      [...fields.map((field) => lineFieldKey(key, field)), "lines"],
    );
  }
  function chooseProduct(line: LineForm, productId: string) {
    const product = products.find((p) => p.id === productId);
    if (product) setLine(line.key, lineFromProduct(line, product), ["productId", "description", "unitPrice", "vatRateBp", "kind"]);
    else setLine(line.key, { productId: null }, ["productId"]);
  }
  /** Enter in a line adds the next one (unless this one was not started), and goes to it. */
  function addLineAfter(index: number) {
    const current = value!.lines[index]!;
    if (isBlankLine(current) && index === value!.lines.length - 1) {
      document.getElementById(lineInputId(current.key, "productId"))?.focus();
      return;
    }
    const line = emptyLine(current.vatRateBp);
    focusNext.current = lineInputId(line.key, "productId");
    change((f) => {
      const at = f.lines.findIndex((l) => l.key === current.key);
      const after = at === -1 ? f.lines.length : at + 1;
      return { ...f, lines: [...f.lines.slice(0, after), line, ...f.lines.slice(after)] };
    });
  }
  function removeLine(index: number) {
    const gone = value!.lines[index]!;
    const rest = value!.lines.filter((_, i) => i !== index);
    const lines = rest.length > 0 ? rest : [emptyLine()];
    focusNext.current = lineInputId(lines[Math.min(index, lines.length - 1)]!.key, "productId");
    change((f) => ({ ...f, lines }), (["productId", "description", "quantity", "unitPrice", "discount", "vatRateBp", "kind", "unit"] as LineField[]).map((fld) => lineFieldKey(gone.key, fld)));
  }
  const onLineKey = (index: number) => (event: TargetedKeyboardEvent<HTMLElement>) => {
    if (event.key !== "Enter" || event.shiftKey || event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    event.preventDefault();
    addLineAfter(index);
  };

  /** Sends the draft (created or updated); on refusal everything stays as typed, errors by their fields. */
  async function saveDraft(): Promise<Saved | null> {
    const checked = draftInput(value!, { quote: isQuote });
    if (!checked.ok) {
      setErrors(checked.fields);
      setProblem(t("appFixFields", Object.keys(checked.fields).length));
      return null;
    }
    try {
      const saved = isQuote
        ? savedQuote(
            props.invoiceId
              ? await api("updateQuote", companyId, props.invoiceId, quotePatch(quoteInput(checked.input)))
              : await api("createQuote", companyId, quoteInput(checked.input)),
          )
        : savedInvoice(
            props.invoiceId
              ? await api("updateDraft", companyId, props.invoiceId, draftPatch(checked.input))
              : await api("createDraft", companyId, checked.input),
          );
      setErrors({});
      setProblem(null);
      return saved;
    } catch (error) {
      const p = formProblem(error, (path) => draftFieldFor(path, checked.lineKeys));
      setErrors(p.fields);
      setProblem(p.message);
      return null;
    }
  }

  async function save(event?: Event) {
    event?.preventDefault();
    if (busy) return;
    setBusy(true);
    setStatus(null);
    try {
      const saved = await saveDraft();
      if (!saved) return;
      await form.accept(saved.form);
      if (props.invoiceId) {
        setStatus(t("appDraftSaved"));
        notifySaved(saved);
      } else {
        data.setFlash(t(isQuote ? "appQuoteDraftCreated" : "appDraftCreated", formatEuros(saved.ttcCents)), view(saved.id));
        navigate(view(saved.id), true);
      }
    } finally {
      setBusy(false);
    }
  }

  function openIssue() {
    const checked = draftInput(value!, { quote: isQuote });
    if (!checked.ok) {
      setErrors(checked.fields);
      setProblem(t("appFixFields", Object.keys(checked.fields).length));
      return;
    }
    setIssueDate(value!.issueDate || today);
    focusNext.current = "issue-date";
    setIssuing(true);
  }

  const issueDateProblem = issuing
    ? lockedDateProblem(issueDate, lockedUntil) ??
      (!issueDate ? t("appRuleRequired") : issueDate > today ? t("appRuleNotFuture", formatDateFr(today)) : value.dueDate && value.dueDate < issueDate ? t(isQuote ? "appRuleValidAfterIssue" : "appRuleDueAfterIssue") : null)
    : null;

  async function issue() {
    if (busy || issueDateProblem) return;
    setBusy(true);
    let draftId = props.invoiceId;
    try {
      if (!draftId || form.dirty) {
        const saved = await saveDraft();
        if (!saved) {
          setIssuing(false);
          return;
        }
        await form.accept(saved.form);
        draftId = saved.id;
      }
      try {
        const issued = isQuote ? savedQuote(await api("issueQuote", companyId, draftId, issueDate)) : savedInvoice(await api("issueInvoice", companyId, draftId, issueDate));
        data.setFlash(t(isQuote ? "appQuoteIssued" : "appInvoiceIssued", issued.number ?? "", formatEuros(issued.ttcCents)), view(issued.id));
        if (props.invoiceId) notifySaved(issued);
        else navigate(view(issued.id), true);
      } catch (error) {
        const p = formProblem(error, (path) => (path === "date" || path === "issueDate" ? "issueDate" : draftFieldFor(path, [])));
        if (props.invoiceId) {
          setErrors(p.fields);
          setProblem(p.message);
          setIssuing(false);
        } else {
          // The draft exists now: show the refusal on it, where the owner can correct and issue again.
          data.setHandoff({ recordId: draftId, message: p.message, fields: p.fields });
          navigate(view(draftId), true);
        }
      }
    } finally {
      setBusy(false);
    }
  }

  /** The saved draft becomes the customer's order, and a draft deposit invoice asks for part of it. */
  async function askDeposit() {
    const draft = props.invoice;
    if (!draft || busy) return;
    const percent = Number(depositPercent.replace(",", "."));
    if (!Number.isFinite(percent) || percent <= 0 || percent >= 100) {
      setErrors({ depositPercent: t("appRuleRequired") });
      return;
    }
    setBusy(true);
    try {
      const order = await api("createOrder", companyId, {
        customerId: draft.customer.id,
        ...(depositReference.trim() ? { reference: depositReference.trim() } : {}),
        lines: draft.lines.map((l) => ({
          ...(l.productId ? { productId: l.productId } : {}),
          description: l.description,
          quantity: l.quantity,
          unitPriceCents: l.unitPriceCents,
          vatRateBp: l.vatRateBp,
          discountCents: l.discountCents,
          kind: l.kind,
        })),
      });
      const deposit = await api("createDeposit", companyId, order.id, { percentBp: Math.round(percent * 100) });
      await api("deleteDraft", companyId, draft.id);
      await form.discard();
      data.setFlash(t("appDepositCreated", formatEuros(deposit.totals.ttcCents)), { view: "invoice", id: deposit.id });
      navigate({ view: "invoice", id: deposit.id }, true);
    } catch (error) {
      setProblem(formProblem(error).message);
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    if (!props.invoiceId) return;
    setBusy(true);
    try {
      await (isQuote ? api("deleteQuote", companyId, props.invoiceId) : api("deleteDraft", companyId, props.invoiceId));
      await form.discard();
      const list = isQuote ? ({ view: "quotes", filters: {} } as const) : ({ view: "invoices", filters: {} } as const);
      data.setFlash(t("appDraftDeleted"), list);
      navigate(list, true);
    } catch (error) {
      setProblem(formProblem(error).message);
    } finally {
      setBusy(false);
    }
  }

  const issueLockWarning = value.issueDate ? lockedDateProblem(value.issueDate, lockedUntil) : null;
  const dueHint = value.dueDate
    ? undefined
    : isQuote
      ? t("appValidUntilHint")
      : terms !== undefined
        ? t(data.company?.paymentTermsEndOfMonth ? "appDueHintEndOfMonth" : "appDueHint", terms)
        : undefined;
  const selectedCustomer = customers.find((c) => c.id === value.customerId);

  return (
    <form
      class="stack editor invoice-editor"
      onSubmit={save}
      aria-labelledby="invoice-title"
      noValidate
      onKeyDown={(e) => {
        if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "s") {
          e.preventDefault();
          void save();
        }
      }}
    >
      <div class="screen-head">
        <h1 id="invoice-title">{isQuote ? (props.invoiceId ? t("appQuoteDraftTitle") : t("appNewQuote")) : props.invoiceId ? t("appDraftTitle") : t("appNewInvoice")}</h1>
        <span class="pill pill-draft">{t("stateDraft")}</span>
      </div>
      <FlashNotice />
      {form.restored ? <RestoredNotice saved={props.invoiceId !== null} onDiscard={() => void form.discard().then(() => (setErrors({}), setProblem(null)))} /> : null}
      {problem ? (
        <Notice kind="error" testId="form-problem">
          {problem}
        </Notice>
      ) : null}

      <fieldset class="grid-3">
        <legend class="visually-hidden">{t("appInvoiceHeader")}</legend>
        <CustomerPicker customers={customers} loading={data.customers === null} value={value.customerId} onChange={(v) => setField("customerId", v)} error={errors.customerId} />
        <TextInput
          label={t("appIssueDate")}
          type="date"
          value={value.issueDate}
          onInput={(v) => setField("issueDate", v)}
          error={errors.issueDate ?? (issueLockWarning ? t("appIssueDateLockedDraft", issueLockWarning) : undefined)}
          hint={t("appIssueDateHint")}
          max={today}
        />
        <TextInput label={t(isQuote ? "appValidUntil" : "appDueDate")} type="date" value={value.dueDate} onInput={(v) => setField("dueDate", v)} error={errors.dueDate} hint={dueHint} />
      </fieldset>

      {isQuote ? null : <DeliverySection value={value.delivery} errors={errors} onChange={setDelivery} />}

      <div class="lines-and-totals">
        <div class="lines" role="group" aria-labelledby="lines-title">
          <h2 id="lines-title">{t("appLines")}</h2>
          <div class="line line-head" aria-hidden="true">
            <span>{t("appProductAndDescription")}</span>
            <span class="num">{t("appQuantity")}</span>
            <span class="num">{t("appUnitPriceShort")}</span>
            <span class="num">{t("appDiscount")}</span>
            <span>{t("appVatRate")}</span>
            <span class="num">{t("appLineNet")}</span>
            <span />
          </div>
          <ol class="line-list" data-testid="lines">
            {value.lines.map((line, index) => {
              const r = read.lines[index]!;
              const err = (field: LineField) => errors[lineFieldKey(line.key, field)] ?? r.errors[field];
              const n = index + 1;
              const onKeyDown = onLineKey(index);
              return (
                <li key={line.key} class="line" data-line={n}>
                  <SelectInput
                    class="c-product"
                    hiddenLabel
                    label={lineLabel(t("appProduct"), n)}
                    inputId={lineInputId(line.key, "productId")}
                    value={line.productId ?? ""}
                    onChange={(v) => chooseProduct(line, v)}
                    onKeyDown={onKeyDown}
                    error={err("productId")}
                  >
                    <option value="">{t("appFreeText")}</option>
                    {products.map((p) => (
                      <option key={p.id} value={p.id}>
                        {p.name}
                      </option>
                    ))}
                  </SelectInput>
                  {/* Several lines (Enter makes a new one there): the PDF and the Factur-X data keep them. */}
                  <TextArea
                    class="c-description"
                    hiddenLabel
                    label={lineLabel(t("appDescription"), n)}
                    inputId={lineInputId(line.key, "description")}
                    value={line.description}
                    onInput={(v) => setLine(line.key, { description: v }, ["description"])}
                    error={err("description")}
                    maxLength={2000}
                    rows={Math.min(6, Math.max(1, line.description.split("\n").length))}
                  />
                  <TextInput
                    class="c-quantity num"
                    hiddenLabel
                    label={lineLabel(t("appQuantity"), n)}
                    inputId={lineInputId(line.key, "quantity")}
                    inputMode="decimal"
                    value={line.quantity}
                    onInput={(v) => setLine(line.key, { quantity: v }, ["quantity"])}
                    onKeyDown={onKeyDown}
                    error={err("quantity")}
                  />
                  <TextInput
                    class="c-price num"
                    hiddenLabel
                    label={lineLabel(t("appUnitPriceHt"), n)}
                    inputId={lineInputId(line.key, "unitPrice")}
                    inputMode="decimal"
                    value={line.unitPrice}
                    onInput={(v) => setLine(line.key, { unitPrice: v }, ["unitPrice"])}
                    onKeyDown={onKeyDown}
                    error={err("unitPrice")}
                  />
                  <TextInput
                    class="c-discount num"
                    hiddenLabel
                    label={lineLabel(t("appDiscount"), n)}
                    inputId={lineInputId(line.key, "discount")}
                    inputMode="decimal"
                    value={line.discount}
                    onInput={(v) => setLine(line.key, { discount: v }, ["discount"])}
                    onKeyDown={onKeyDown}
                    error={err("discount")}
                  />
                  <SelectInput
                    class="c-unit"
                    label={lineLabel(t("appUnit"), n)}
                    inputId={lineInputId(line.key, "unit")}
                    value={line.unit ?? ""}
                    onChange={(v) => setLine(line.key, { unit: v as LineUnit | "" }, ["unit"])}
                    onKeyDown={onKeyDown}
                    error={err("unit")}
                  >
                    <option value="">{t("appUnitNone")}</option>
                    {UNIT_KEYS.map((u) => (
                      <option key={u} value={u}>
                        {UNITS[u].label}
                      </option>
                    ))}
                  </SelectInput>
                  {/* From the product; on a free-text line the owner says it (706 or 707, and the invoice's "Nature des opérations"). */}
                  <SelectInput
                    class="c-kind"
                    label={lineLabel(t("appKind"), n)}
                    inputId={lineInputId(line.key, "kind")}
                    value={line.kind}
                    onChange={(v) => setLine(line.key, { kind: v === "goods" ? "goods" : "services" }, ["kind"])}
                    onKeyDown={onKeyDown}
                    error={err("kind")}
                  >
                    <option value="services">{t("appKindServices")}</option>
                    <option value="goods">{t("appKindGoods")}</option>
                  </SelectInput>
                  <SelectInput
                    class="c-vat"
                    hiddenLabel
                    label={lineLabel(t("appVatRate"), n)}
                    inputId={lineInputId(line.key, "vatRateBp")}
                    value={String(line.vatRateBp)}
                    onChange={(v) => setLine(line.key, { vatRateBp: Number(v) }, ["vatRateBp"])}
                    onKeyDown={onKeyDown}
                    error={err("vatRateBp")}
                  >
                    <VatRateOptions />
                  </SelectInput>
                  <output class="c-net num" data-testid="line-net" aria-label={t("appLineField", t("appLineNet"), n)}>
                    {r.netCents === null ? "—" : formatEuros(r.netCents)}
                  </output>
                  <button type="button" class="button-link c-remove" onClick={() => removeLine(index)} aria-label={t("appRemoveLine", n)} title={t("appRemoveLine", n)}>
                    ×
                  </button>
                </li>
              );
            })}
          </ol>
          {errors.lines ? <p class="field-error">{errors.lines}</p> : null}
          <p class="actions">
            <button type="button" class="button secondary" onClick={() => addLineAfter(value.lines.length - 1)}>
              {t("appAddLine")}
            </button>
            <span class="muted">{t("appEnterAddsLine")}</span>
          </p>
        </div>

        <aside class="totals-box" aria-labelledby="totals-title">
          <h2 id="totals-title">{t("appTotals")}</h2>
          <TotalsTable totals={read.totals} testId="draft-totals" />
          <p class="totals-note muted" aria-live="polite">
            {read.incomplete > 0 ? t("appIncompleteLines", read.incomplete) : "\u00a0"}
          </p>
        </aside>
      </div>

      {read.hasZeroRate ? (
        <SelectInput label={t("appVatExemption")} value={value.vatExemption} onChange={(v) => setField("vatExemption", v as DraftForm["vatExemption"])} error={errors.vatExemption} hint={t("appVatExemptionHint")}>
          <option value="">{t("appChoose")}</option>
          {EXEMPTIONS.map((e) => (
            <option key={e.code} value={e.code}>
              {t(e.label)}
            </option>
          ))}
        </SelectInput>
      ) : null}
      <TextArea label={t("appNotes")} value={value.notes} onInput={(v) => setField("notes", v)} error={errors.notes} maxLength={2000} />

      {props.invoice && !form.dirty ? (
        <fieldset class="deposit-section" data-testid="deposit-section">
          <legend>{t("appDepositSection")}</legend>
          <p class="muted">{t("appDepositExplained")}</p>
          <div class="grid-3">
            <TextInput label={t("appDepositPercent")} value={depositPercent} onInput={setDepositPercent} error={errors.depositPercent} inputId="deposit-percent" />
            <TextInput label={t("appDepositReference")} value={depositReference} onInput={setDepositReference} maxLength={60} inputId="deposit-reference" />
          </div>
          <p class="actions">
            <button type="button" class="button secondary" disabled={busy} onClick={askDeposit} data-testid="create-deposit">
              {t("appDepositCreate")}
            </button>
          </p>
        </fieldset>
      ) : null}

      <div class="form-actions sticky-actions">
        <button type="submit" class="button secondary" disabled={busy}>
          {t("appSaveDraft")}
        </button>
        <button type="button" class="button primary" disabled={busy} onClick={openIssue}>
          {t(isQuote ? "appQuoteIssue" : "appIssue")}
        </button>
        {props.invoiceId ? (
          <ConfirmButton label={t("appDeleteDraft")} question={t("appDeleteDraftQuestion")} confirmLabel={t("appDeleteDraftConfirm")} onConfirm={remove} disabled={busy} />
        ) : null}
        <span class="save-state muted" role="status">
          {busy ? t("appSaving") : status ?? (form.dirty ? t("appUnsaved") : "")}
        </span>
      </div>

      {issuing ? (
        <section class="issue-panel" role="alertdialog" aria-labelledby="issue-title" aria-describedby="issue-warning" onKeyDown={(e) => e.key === "Escape" && setIssuing(false)}>
          <h2 id="issue-title">{t(isQuote ? "appQuoteIssueTitle" : "appIssueTitle")}</h2>
          <p id="issue-warning" class="warning-text">
            {t(isQuote ? "appQuoteIssueWarning" : "appIssueWarning")}
          </p>
          <p>
            {t("appIssueSummary", selectedCustomer?.name ?? "", formatEuros(read.totals.ttcCents))}
          </p>
          <TextInput label={t("appIssueDate")} type="date" value={issueDate} onInput={setIssueDate} error={issueDateProblem ?? errors.issueDate} max={today} inputId="issue-date" />
          <div class="actions">
            <button type="button" class="button danger" disabled={busy || issueDateProblem !== null} onClick={issue}>
              {busy ? t("appIssuing") : t("appIssueConfirm")}
            </button>
            <button type="button" class="button secondary" disabled={busy} onClick={() => setIssuing(false)}>
              {t("cancel")}
            </button>
          </div>
        </section>
      ) : null}
      <p class="muted">{props.invoice ?? props.quote ? t("appDraftCreatedOn", formatTimestampDate((props.invoice ?? props.quote)!.createdAt)) : ""}</p>
    </form>
  );
}
