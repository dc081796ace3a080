import { useEffect, useState } from "preact/hooks";
import type { InvoiceEmailDraft, ReminderLevel } from "@passerelle/shared";
import type { Sending } from "./InvoiceSendings";
import { api, describeFailure, RemoteError } from "../../../lib/messaging";
import { useAppData } from "../../../lib/app/data";
import { usePersistentForm } from "../../../lib/app/form-store";
import { withoutField, type FieldErrors } from "../../../lib/app/form-errors";
import { capitalized } from "../../../lib/app/api-messages";
import { checkRecipients, recipientAt } from "../../../lib/app/recipients";
import { formatTimestampTime } from "../../../lib/format";
import { t } from "../../../lib/i18n";
import { Notice } from "../../../components/Notice";
import { TextArea, TextInput } from "../../../components/app/inputs";
import { RestoredNotice } from "../../../components/app/RestoredNotice";

export interface SendFormValue {
  to: string;
  subject: string;
  message: string;
}

const FIELDS = ["to", "subject", "message"] as const;

/** The API's refusals by field; a refused recipient is named by its address. */
function sendingErrors(error: RemoteError, sent: readonly string[]): FieldErrors {
  const fields: FieldErrors = {};
  for (const e of error.failure.errors ?? []) {
    const address = recipientAt(e.path, sent);
    const key = address !== null || e.path === "to" ? "to" : (FIELDS as readonly string[]).includes(e.path) ? e.path : null;
    if (key && !fields[key]) fields[key] = address !== null ? t("appRecipientProblem", address, e.message) : capitalized(e.message);
  }
  return fields;
}

/**
 * Sending an issued invoice or credit note (or, `quote`, an issued quote) to the customer, or a
 * reminder of an unpaid invoice at `reminderLevel`: the customer's address and the company's
 * template come prefilled; the Factur-X PDF (the quote's PDF) is attached under the name shown.
 */
export function SendInvoiceForm(props: {
  invoice: { id: string; number: string | null };
  quote?: boolean;
  reminderLevel?: ReminderLevel;
  onSent: (sending: Sending) => Promise<void>;
  onCancel: () => void;
}) {
  const { invoice, reminderLevel } = props;
  const { companyId } = useAppData();
  const [draft, setDraft] = useState<InvoiceEmailDraft | null>(null);
  const [base, setBase] = useState<SendFormValue | undefined>(undefined);
  const form = usePersistentForm<SendFormValue>(reminderLevel ? `${companyId}:reminder-${reminderLevel}:${invoice.id}` : `${companyId}:sending:${invoice.id}`, base);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    setDraft(null);
    void (props.quote ? api("quoteEmailDraft", companyId, invoice.id) : api("invoiceEmailDraft", companyId, invoice.id, reminderLevel)).then(
      (d) => {
        setDraft(d);
        setBase({ to: d.to.join(", "), subject: d.subject, message: d.message });
      },
      (e) => setProblem(describeFailure(e)),
    );
  }, [companyId, invoice.id, reminderLevel]);

  const value = form.value;
  if (!value || !draft) return problem ? <Notice kind="error">{problem}</Notice> : <p class="muted">{t("loading")}</p>;

  const set = (field: keyof SendFormValue, v: string) => {
    form.set((f) => ({ ...f, [field]: v }));
    setErrors((e) => withoutField(e, field));
  };

  async function submit(event: Event) {
    event.preventDefault();
    if (!value || busy) return;
    const recipients = checkRecipients(value.to);
    const local: FieldErrors = {};
    if (recipients.addresses.length === 0) local.to = t("appRuleOneRecipient");
    else if (recipients.problem) local.to = t(recipients.problem.reason === "invalid" ? "appRecipientInvalid" : "appRecipientRepeated", recipients.problem.address);
    if (!value.subject.trim()) local.subject = t("appRuleRequired");
    if (!value.message.trim()) local.message = t("appRuleRequired");
    if (Object.keys(local).length > 0) {
      setErrors(local);
      setProblem(t("appFixFields", Object.keys(local).length));
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const input = { to: recipients.addresses, subject: value.subject, message: value.message };
      const sending = props.quote ? await api("sendQuote", companyId, invoice.id, input) : await api("sendInvoice", companyId, invoice.id, { ...input, reminderLevel });
      await form.discard();
      await props.onSent(sending);
    } catch (error) {
      const fields = error instanceof RemoteError ? sendingErrors(error, recipients.addresses) : {};
      setErrors(fields);
      setProblem(Object.keys(fields).length > 0 ? t("appFixFields", Object.keys(fields).length) : describeFailure(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="panel stack" onSubmit={submit} aria-labelledby="send-title" noValidate data-testid="send-form">
      <h2 id="send-title">{reminderLevel ? t("appRemindTitle", invoice.number ?? "") : t("appSendTitle", invoice.number ?? "")}</h2>
      {form.restored ? <RestoredNotice saved={false} onDiscard={() => void form.discard().then(() => setErrors({}))} /> : null}
      {problem ? <Notice kind="error">{problem}</Notice> : null}
      <TextInput label={t("appRecipients")} type="text" inputMode="email" value={value.to} onInput={(v) => set("to", v)} error={errors.to} hint={t("appRecipientsHint")} required testId="send-to" />
      <TextInput label={t("appEmailSubject")} value={value.subject} onInput={(v) => set("subject", v)} error={errors.subject} maxLength={200} required testId="send-subject" />
      <TextArea label={t("appEmailMessage")} value={value.message} onInput={(v) => set("message", v)} error={errors.message} rows={10} maxLength={10_000} />
      <p class="muted" data-testid="send-attachment">
        {t("appEmailAttachment", draft.attachmentName)}
      </p>
      <div class="actions">
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? t("appSendingNow") : reminderLevel ? t("appSendReminder") : t("appSendNow")}
        </button>
        <button type="button" class="button secondary" onClick={() => void form.discard().then(props.onCancel)} disabled={busy}>
          {t("cancel")}
        </button>
      </div>
    </form>
  );
}

/** What the owner is told once the API has answered: sent, or retried later by the server. */
export function sendingOutcome(sending: Sending): string {
  return sending.status === "retrying"
    ? t("appEmailRetrying", sending.error ?? "", sending.nextAttemptAt ? formatTimestampTime(sending.nextAttemptAt) : "")
    : t("appEmailSent", sending.to.join(", "));
}
