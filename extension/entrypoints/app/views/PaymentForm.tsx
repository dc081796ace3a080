import { useMemo, useState } from "preact/hooks";
import type { Invoice, PaymentMethod } from "@passerelle/shared";
import { api } from "../../../lib/messaging";
import { useAppData } from "../../../lib/app/data";
import { usePersistentForm } from "../../../lib/app/form-store";
import { formProblem, withoutField, type FieldErrors } from "../../../lib/app/form-errors";
import { lockedDateProblem } from "../../../lib/app/locks";
import { eurosInput, parseEuros } from "../../../lib/app/amounts";
import { businessToday, formatEuros, paymentStateLabel } from "../../../lib/format";
import { paymentState } from "@passerelle/shared/payment-state";
import { t } from "../../../lib/i18n";
import { Notice } from "../../../components/Notice";
import { SelectInput, TextInput } from "../../../components/app/inputs";
import { RestoredNotice } from "../../../components/app/RestoredNotice";
import { METHOD_LABELS } from "../../../lib/app/labels";

export interface PaymentFormValue {
  amount: string;
  date: string;
  method: PaymentMethod;
  reference: string;
}

const METHODS: PaymentMethod[] = ["transfer", "card", "cheque", "cash", "other"];

/** A payment received on an invoice: what is due is prefilled; a smaller amount leaves it partly paid. */
export function PaymentForm(props: { invoice: Invoice; onDone: () => Promise<void>; onCancel: () => void }) {
  const { invoice } = props;
  const data = useAppData();
  const { companyId } = data;
  const today = businessToday();
  const base = useMemo<PaymentFormValue>(() => ({ amount: eurosInput(invoice.dueCents), date: today, method: "transfer", reference: "" }), [invoice.id, invoice.dueCents]);
  const form = usePersistentForm<PaymentFormValue>(`${companyId}:payment:${invoice.id}`, base);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const value = form.value;
  if (!value) return <p class="muted">{t("loading")}</p>;

  const set = <K extends keyof PaymentFormValue>(field: K, v: PaymentFormValue[K], errorKey: string = field) => {
    form.set((f) => ({ ...f, [field]: v }));
    setErrors((e) => withoutField(e, errorKey));
  };
  const cents = parseEuros(value.amount);
  const amountProblem = !value.amount.trim()
    ? null
    : cents === null
      ? t("appAmountInvalid")
      : cents < 1
        ? t("appRuleAtLeastOneCent")
        : cents > invoice.dueCents
          ? t("appRuleMoreThanDue", invoice.number ?? "", formatEuros(invoice.dueCents))
          : null;
  const dateProblem = lockedDateProblem(value.date, data.company?.lockedUntil);
  const after = cents !== null && amountProblem === null ? invoice.dueCents - cents : null;

  async function submit(event: Event) {
    event.preventDefault();
    if (!value || busy) return;
    const local: FieldErrors = {};
    if (!value.amount.trim()) local.amountCents = t("appRuleRequired");
    else if (amountProblem) local.amountCents = amountProblem;
    if (!value.date) local.date = t("appRuleRequired");
    else if (dateProblem) local.date = dateProblem;
    if (Object.keys(local).length > 0) {
      setErrors(local);
      setProblem(t("appFixFields", Object.keys(local).length));
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const payment = await api("recordPayment", companyId, {
        invoiceId: invoice.id,
        amountCents: cents!,
        date: value.date,
        method: value.method,
        ...(value.reference.trim() ? { reference: value.reference.trim() } : {}),
      });
      await form.accept(base);
      const updated = await api("getInvoice", companyId, invoice.id);
      await props.onDone();
      data.setFlash(t("appPaymentRecorded", formatEuros(payment.amountCents), paymentStateLabel(paymentState(updated, today))));
    } catch (error) {
      const p = formProblem(error, (path) => (["amountCents", "date", "method", "reference"].includes(path) ? path : path === "invoiceId" ? "amountCents" : null));
      setErrors(p.fields);
      setProblem(p.message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="panel stack" onSubmit={submit} aria-labelledby="payment-title" noValidate data-testid="payment-form">
      <h2 id="payment-title">{t("appRecordPaymentOn", invoice.number ?? "")}</h2>
      {form.restored ? <RestoredNotice saved={false} onDiscard={() => void form.discard().then(() => setErrors({}))} /> : null}
      {problem ? <Notice kind="error">{problem}</Notice> : null}
      <div class="grid-2">
        <TextInput
          label={t("appAmountReceived")}
          inputMode="decimal"
          value={value.amount}
          onInput={(v) => set("amount", v, "amountCents")}
          error={errors.amountCents ?? amountProblem ?? undefined}
          hint={after === null ? t("appDueNow", formatEuros(invoice.dueCents)) : after === 0 ? t("appPaysInFull") : t("appLeavesDue", formatEuros(after))}
          required
        />
        <TextInput label={t("appPaymentDate")} type="date" value={value.date} onInput={(v) => set("date", v)} error={errors.date ?? dateProblem ?? undefined} max={today} required />
        <SelectInput label={t("appPaymentMethod")} value={value.method} onChange={(v) => set("method", v as PaymentMethod)} error={errors.method}>
          {METHODS.map((m) => (
            <option key={m} value={m}>
              {t(METHOD_LABELS[m])}
            </option>
          ))}
        </SelectInput>
        <TextInput label={t("appPaymentReference")} value={value.reference} onInput={(v) => set("reference", v)} error={errors.reference} maxLength={140} hint={t("appPaymentReferenceHint")} />
      </div>
      <div class="actions">
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? t("appSaving") : t("appRecordThisPayment")}
        </button>
        <button type="button" class="button secondary" onClick={() => void form.discard().then(props.onCancel)} disabled={busy}>
          {t("cancel")}
        </button>
      </div>
    </form>
  );
}
