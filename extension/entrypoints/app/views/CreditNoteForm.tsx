import { useMemo, useState } from "preact/hooks";
import type { Invoice } from "@passerelle/shared";
import type { CreditRequestLine } from "@passerelle/shared/credit";
import { formatVatRate } from "@passerelle/shared/vat";
import { formatQuantityFr } from "@passerelle/shared/format";
import { api } from "../../../lib/messaging";
import { useAppData } from "../../../lib/app/data";
import { usePersistentForm } from "../../../lib/app/form-store";
import { formProblem, withoutField, type FieldErrors } from "../../../lib/app/form-errors";
import { lockedDateProblem } from "../../../lib/app/locks";
import { creditableLines, leftToCreditCents, previewCreditNote, previewGesture, remainingQuantity } from "../../../lib/app/credit";
import { parseEuros, parseQuantityInput, quantityInput } from "../../../lib/app/amounts";
import { localRuleMessage } from "../../../lib/app/api-messages";
import { businessToday, formatDateFr, formatEuros } from "../../../lib/format";
import { t } from "../../../lib/i18n";
import { Notice } from "../../../components/Notice";
import { SelectInput, TextArea, TextInput } from "../../../components/app/inputs";
import { RestoredNotice } from "../../../components/app/RestoredNotice";
import { TotalsTable } from "../../../components/app/TotalsTable";

export interface CreditFormValue {
  mode: "all" | "lines" | "amount";
  /** An amount alone (a commercial gesture): as typed, before or with VAT, at one of the invoice's rates, and why. */
  gesture?: { amount: string; basis: "ht" | "ttc"; vatRateBp: number; reason: string };
  /** By line id of the invoice: ticked, and how much of it to credit. */
  lines: Record<string, { checked: boolean; quantity: string }>;
  issueDate: string;
  notes: string;
}

const lineKey = (lineId: string) => `line:${lineId}`;

/**
 * A credit note on an issued invoice: all that is left, or chosen lines and quantities. The
 * preview is the shared computation the API makes; issuing it is final, like an invoice.
 */
export function CreditNoteForm(props: { invoice: Invoice; creditNotes: Invoice[]; onDone: () => Promise<void>; onCancel: () => void }) {
  const { invoice, creditNotes } = props;
  const data = useAppData();
  const { companyId } = data;
  const today = businessToday();
  const creditable = useMemo(() => creditableLines(invoice, creditNotes), [invoice, creditNotes]);
  const base = useMemo<CreditFormValue>(
    () => ({
      mode: "all",
      lines: Object.fromEntries(creditable.map((l) => [l.id, { checked: false, quantity: quantityInput(remainingQuantity(l)) }])),
      issueDate: today,
      notes: "",
    }),
    [creditable],
  );
  const form = usePersistentForm<CreditFormValue>(`${companyId}:credit:${invoice.id}`, base);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const value = form.value;

  /** The request as the API takes it, and which line each of its entries is. */
  const request = useMemo(() => {
    if (!value || value.mode === "all") return { lines: undefined, ids: [] as string[], invalid: {} as FieldErrors };
    const lines: CreditRequestLine[] = [];
    const ids: string[] = [];
    const invalid: FieldErrors = {};
    for (const l of creditable) {
      const chosen = value.lines[l.id];
      if (!chosen?.checked) continue;
      const quantity = parseQuantityInput(chosen.quantity);
      if (quantity === null) invalid[lineKey(l.id)] = t("appQuantityInvalid");
      else {
        lines.push({ lineId: l.id, quantity });
        ids.push(l.id);
      }
    }
    return { lines, ids, invalid };
  }, [value, creditable]);

  const rates = useMemo(() => invoice.totals.byRate.map((r) => r.vatRateBp), [invoice]);
  const gesture = value?.gesture ?? { amount: "", basis: "ttc" as const, vatRateBp: rates[0] ?? 2000, reason: "" };
  /** The gesture as the API takes it; what is wrong with the amount as typed; the field the shared rule refuses. */
  const amountCents = gesture.amount.trim() ? parseEuros(gesture.amount) : null;
  const gestureCheck = useMemo(() => {
    if (value?.mode !== "amount" || amountCents === null || amountCents <= 0) return null;
    return previewGesture(invoice, creditNotes, { amountCents, basis: gesture.basis, vatRateBp: gesture.vatRateBp, reason: gesture.reason.trim() });
  }, [value?.mode, amountCents, gesture.basis, gesture.vatRateBp, gesture.reason, invoice, creditNotes]);

  const preview = useMemo(() => {
    if (!value) return null;
    if (value.mode === "amount") return gestureCheck?.ok ? { ok: true as const, lines: [], totals: gestureCheck.totals } : null;
    if (value.mode === "lines" && request.lines!.length === 0) return null;
    return previewCreditNote(invoice, creditNotes, request.lines);
  }, [invoice, creditNotes, request, value, gestureCheck]);

  if (!value) return <p class="muted">{t("loading")}</p>;

  const previewProblem: FieldErrors = {};
  if (preview && !preview.ok) {
    const m = /^lines\.(\d+)\./.exec(preview.path);
    const id = m ? request.ids[Number(m[1])] : undefined;
    if (id) previewProblem[lineKey(id)] = localRuleMessage(preview.message);
  }
  const dateProblem = lockedDateProblem(value.issueDate, data.company?.lockedUntil) ?? (value.issueDate > today ? t("appRuleNotFuture", formatDateFr(today)) : null);
  const leftBefore = leftToCreditCents(invoice);
  const amountProblem =
    value.mode !== "amount" || !gesture.amount.trim()
      ? undefined
      : amountCents === null || amountCents <= 0
        ? t("appAmountInvalid")
        : gestureCheck && !gestureCheck.ok && gestureCheck.path === "amount.amountCents"
          ? localRuleMessage(gestureCheck.message)
          : undefined;
  const gestureReady = value.mode !== "amount" || Boolean(gesture.reason.trim());
  const ready = preview?.ok === true && gestureReady && Object.keys(request.invalid).length === 0 && !dateProblem && Boolean(value.issueDate);
  const setGesture = (patch: Partial<typeof gesture>, field: string) => change((v) => ({ ...v, gesture: { ...gesture, ...patch } }), [field]);

  function change(next: (v: CreditFormValue) => CreditFormValue, clears: string[] = []) {
    form.set(next);
    setConfirming(false);
    if (clears.length) setErrors((e) => clears.reduce(withoutField, e));
  }

  async function issue() {
    if (!ready || busy || !value) return;
    setBusy(true);
    setProblem(null);
    try {
      const note = await api("createCreditNote", companyId, invoice.id, {
        issueDate: value.issueDate,
        ...(value.mode === "lines" && request.lines ? { lines: request.lines } : {}),
        ...(value.mode === "amount" && amountCents !== null
          ? { amount: { amountCents, basis: gesture.basis, vatRateBp: gesture.vatRateBp, reason: gesture.reason.trim() } }
          : {}),
        ...(value.notes.trim() ? { notes: value.notes.trim() } : {}),
      });
      await form.accept(base);
      await props.onDone();
      data.setFlash(t("appCreditNoteIssued", note.number ?? "", formatEuros(note.totals.ttcCents)));
    } catch (error) {
      const p = formProblem(error, (path) => {
        if (path === "date" || path === "issueDate") return "issueDate";
        if (path === "notes") return "notes";
        if (path.startsWith("amount.")) return path;
        const m = /^lines\.(\d+)\./.exec(path);
        const id = m ? request.ids[Number(m[1])] : undefined;
        return id ? lineKey(id) : null;
      });
      setErrors(p.fields);
      setProblem(p.message);
      setConfirming(false);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="panel stack" aria-labelledby="credit-title" data-testid="credit-form">
      <h2 id="credit-title">{t("appCreditNoteOn", invoice.number ?? "")}</h2>
      {form.restored ? <RestoredNotice saved={false} onDiscard={() => void form.discard().then(() => setErrors({}))} /> : null}
      {problem ? <Notice kind="error">{problem}</Notice> : null}
      <p data-testid="credit-left">{t("appLeftToCredit", formatEuros(leftBefore))}</p>
      <fieldset class="choice">
        <legend>{t("appCreditWhat")}</legend>
        <label class="check">
          <input type="radio" name="credit-mode" checked={value.mode === "all"} onChange={() => change((v) => ({ ...v, mode: "all" }))} />
          {t("appCreditAll")}
        </label>
        <label class="check">
          <input type="radio" name="credit-mode" checked={value.mode === "lines"} onChange={() => change((v) => ({ ...v, mode: "lines" }))} />
          {t("appCreditLines")}
        </label>
        <label class="check">
          <input type="radio" name="credit-mode" checked={value.mode === "amount"} onChange={() => change((v) => ({ ...v, mode: "amount" }))} />
          {t("appCreditAmount")}
        </label>
      </fieldset>
      {value.mode === "amount" ? (
        <div class="grid-2" data-testid="credit-amount">
          <TextInput
            label={t("appCreditAmountValue")}
            inputMode="decimal"
            value={gesture.amount}
            onInput={(v) => setGesture({ amount: v }, "amount.amountCents")}
            error={errors["amount.amountCents"] ?? amountProblem}
          />
          <SelectInput label={t("appCreditAmountBasis")} value={gesture.basis} onChange={(v) => setGesture({ basis: v === "ht" ? "ht" : "ttc" }, "amount.basis")} error={errors["amount.basis"]}>
            <option value="ttc">{t("appCreditAmountTtc")}</option>
            <option value="ht">{t("appCreditAmountHt")}</option>
          </SelectInput>
          <SelectInput label={t("appVatRate")} value={String(gesture.vatRateBp)} onChange={(v) => setGesture({ vatRateBp: Number(v) }, "amount.vatRateBp")} error={errors["amount.vatRateBp"]}>
            {rates.map((r) => (
              <option key={r} value={String(r)}>
                {formatVatRate(r)}
              </option>
            ))}
          </SelectInput>
          <TextInput
            label={t("appCreditReason")}
            maxLength={200}
            value={gesture.reason}
            onInput={(v) => setGesture({ reason: v }, "amount.reason")}
            error={errors["amount.reason"]}
            hint={t("appCreditReasonHint")}
          />
        </div>
      ) : null}
      {value.mode === "lines" ? (
        <table class="list credit-lines">
          <thead>
            <tr>
              <th scope="col">{t("appDescription")}</th>
              <th scope="col" class="num">
                {t("appVatRate")}
              </th>
              <th scope="col" class="num">
                {t("appLeftOfLine")}
              </th>
              <th scope="col" class="num">
                {t("appQuantityToCredit")}
              </th>
            </tr>
          </thead>
          <tbody>
            {creditable.map((l, i) => {
              const left = remainingQuantity(l);
              const chosen = value.lines[l.id] ?? { checked: false, quantity: quantityInput(left) };
              const done = left === "0";
              const error = errors[lineKey(l.id)] ?? request.invalid[lineKey(l.id)] ?? previewProblem[lineKey(l.id)];
              return (
                <tr key={l.id}>
                  <td>
                    <label class="check">
                      <input
                        type="checkbox"
                        checked={chosen.checked}
                        disabled={done}
                        onChange={(e) => {
                          const checked = e.currentTarget.checked;
                          change((v) => ({ ...v, lines: { ...v.lines, [l.id]: { ...chosen, checked } } }), [lineKey(l.id)]);
                        }}
                      />
                      {l.description}
                    </label>
                  </td>
                  <td class="num">{formatVatRate(l.vatRateBp)}</td>
                  <td class="num">{done ? t("appCreditedInFull") : t("appOf", formatQuantityFr(left), formatQuantityFr(l.quantity))}</td>
                  <td class="num">
                    <TextInput
                      hiddenLabel
                      label={t("appLineField", t("appQuantityToCredit"), i + 1)}
                      inputMode="decimal"
                      value={chosen.quantity}
                      disabled={done || !chosen.checked}
                      onInput={(q) => change((v) => ({ ...v, lines: { ...v.lines, [l.id]: { ...chosen, quantity: q } } }), [lineKey(l.id)])}
                      error={error}
                    />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      ) : null}
      <div class="grid-2">
        <TextInput
          label={t("appCreditDate")}
          type="date"
          value={value.issueDate}
          max={today}
          onInput={(d) => change((v) => ({ ...v, issueDate: d }), ["issueDate"])}
          error={errors.issueDate ?? dateProblem ?? undefined}
          required
        />
        <TextArea label={t("appNotes")} value={value.notes} onInput={(n) => change((v) => ({ ...v, notes: n }), ["notes"])} error={errors.notes} maxLength={2000} />
      </div>
      <div class="credit-preview">
        {preview?.ok ? (
          <>
            <TotalsTable totals={preview.totals} caption={t("appCreditPreview")} testId="credit-totals" />
            <p class="muted" data-testid="credit-left-after">
              {t("appLeftAfterCredit", formatEuros(Math.max(leftBefore - preview.totals.ttcCents, 0)))}
            </p>
          </>
        ) : (
          <p class="muted">
            {value.mode === "amount"
              ? t("appCreditAmountHint")
              : preview && !preview.ok && !previewProblem[lineKey(request.ids[0] ?? "")]
                ? localRuleMessage(preview.message)
                : t("appCreditChooseLines")}
          </p>
        )}
      </div>
      {confirming ? (
        <div class="issue-panel" role="alertdialog" aria-labelledby="credit-confirm-title" aria-describedby="credit-confirm-text">
          <h3 id="credit-confirm-title">{t("appCreditConfirmTitle")}</h3>
          <p id="credit-confirm-text" class="warning-text">
            {t("appCreditWarning", formatEuros(preview?.ok ? preview.totals.ttcCents : 0), invoice.number ?? "")}
          </p>
          <div class="actions">
            <button type="button" class="button danger" onClick={issue} disabled={busy}>
              {busy ? t("appIssuing") : t("appCreditConfirm")}
            </button>
            <button type="button" class="button secondary" onClick={() => setConfirming(false)} disabled={busy}>
              {t("cancel")}
            </button>
          </div>
        </div>
      ) : (
        <div class="actions">
          <button type="button" class="button primary" disabled={!ready || busy} onClick={() => setConfirming(true)}>
            {t("appIssueCreditNote")}
          </button>
          <button type="button" class="button secondary" onClick={() => void form.discard().then(props.onCancel)}>
            {t("cancel")}
          </button>
        </div>
      )}
    </section>
  );
}
