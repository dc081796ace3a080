import type { InvoiceSending } from "@passerelle/shared";

/** A sending of an invoice, a credit note or a quote (only an invoice's may be a reminder). */
export type Sending = Omit<InvoiceSending, "invoiceId" | "reminderLevel" | "automatic"> & Partial<Pick<InvoiceSending, "reminderLevel" | "automatic">>;
import { formatTimestampDate, formatTimestampTime } from "../../../lib/format";
import { t } from "../../../lib/i18n";

export function statusText(s: Sending): string {
  if (s.status === "sent") return t("appSendingSent");
  if (s.status === "retrying") return `${t("appSendingRetrying", s.nextAttemptAt ? formatTimestampTime(s.nextAttemptAt) : "")} — ${s.error ?? ""}`;
  if (s.status === "failed") return `${t("appSendingFailed")} — ${s.error ?? ""}`;
  return t("appSendingInProgress");
}

export function atTime(iso: string): string {
  return t("appDateAtTime", formatTimestampDate(iso), formatTimestampTime(iso));
}

/** "Envoyée le 20/11/2026 à compta@client.fr": the latest sending the mail server accepted. */
export function lastSentText(sendings: readonly Sending[], isInvoice: boolean | "quote"): string | null {
  const sent = sendings.find((s) => s.status === "sent" && !s.reminderLevel);
  const key = isInvoice === "quote" ? "appQuoteSentOn" : isInvoice ? "appInvoiceSentOn" : "appCreditNoteSentOn";
  return sent ? t(key, formatTimestampDate(sent.sentAt!), sent.to.join(", ")) : null;
}

/** A document's e-mail sendings, newest first: when, to whom, by whom, and where delivery stands. */
export function InvoiceSendings(props: { sendings: Sending[] | null }) {
  const { sendings } = props;
  return (
    <section aria-labelledby="sendings-title">
      <h2 id="sendings-title">{t("appSendings")}</h2>
      {sendings === null ? (
        <p class="muted">{t("loading")}</p>
      ) : sendings.length === 0 ? (
        <p class="muted">{t("appNoSendings")}</p>
      ) : (
        <table class="list" data-testid="sending-list">
          <tbody>
            {sendings.map((s) => (
              <tr key={s.id} data-status={s.status}>
                <td>{atTime(s.sentAt ?? s.createdAt)}</td>
                <td data-testid="sending-kind">{s.reminderLevel ? t(s.automatic ? "appReminderSentAutomatic" : "appReminderSent", s.reminderLevel) : t("appDocumentSent")}</td>
                <td class="clip">{s.to.join(", ")}</td>
                <td class="muted">{t("appSentBy", s.sentBy.name)}</td>
                <td>{statusText(s)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
