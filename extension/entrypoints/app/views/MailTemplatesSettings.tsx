import { useEffect, useMemo, useState } from "preact/hooks";
import type { MailTemplate, MailTemplateKind } from "@passerelle/shared";
import { DEFAULT_MAIL_TEMPLATES, MAIL_PLACEHOLDERS, type MailLanguage } from "@passerelle/shared/mail-templates";
import { api, describeFailure } from "../../../lib/messaging";
import { useAppData } from "../../../lib/app/data";
import { usePersistentForm } from "../../../lib/app/form-store";
import { withoutField } from "../../../lib/app/form-errors";
import { useFormSubmit } from "../../../lib/app/form-submit";
import { t, type MessageKey } from "../../../lib/i18n";
import { Notice } from "../../../components/Notice";
import { TextArea, TextInput } from "../../../components/app/inputs";
import { RestoredNotice } from "../../../components/app/RestoredNotice";

type TemplatesForm = Record<MailTemplateKind, { subject: string; body: string }>;

const KINDS: { kind: MailTemplateKind; legend: MessageKey }[] = [
  { kind: "invoice", legend: "appMailTemplateInvoice" },
  { kind: "credit_note", legend: "appMailTemplateCreditNote" },
  { kind: "quote", legend: "appMailTemplateQuote" },
  { kind: "reminder_1", legend: "appReminderLevel1" },
  { kind: "reminder_2", legend: "appReminderLevel2" },
  { kind: "reminder_3", legend: "appReminderLevel3" },
];

/** "invoice.subject" → the field of that template; the API names the field of the one template it was sent. */
const fieldKey = (kind: MailTemplateKind, field: "subject" | "body") => `${kind}.${field}`;

/** The subject and message the company proposes when it sends an invoice or a credit note, from the French or English default. */
export function MailTemplatesSettings() {
  const { companyId, setFlash } = useAppData();
  const [saved, setSaved] = useState<MailTemplate[] | null>(null);
  const [loadProblem, setLoadProblem] = useState<string | null>(null);
  // the kind being saved, so that the API's `subject` / `body` land on its fields
  const [saving, setSaving] = useState<MailTemplateKind>("invoice");
  const base = useMemo<TemplatesForm | undefined>(
    () => (saved ? (Object.fromEntries(saved.map((s) => [s.kind, { subject: s.subject, body: s.body }])) as TemplatesForm) : undefined),
    [saved],
  );
  const form = usePersistentForm<TemplatesForm>(`${companyId}:mail-templates`, base);
  const { errors, setErrors, problem, busy, submit } = useFormSubmit((path) => (path === "subject" || path === "body" ? fieldKey(saving, path) : null));

  useEffect(() => {
    void api("mailTemplates", companyId).then(
      (r) => setSaved(r.items),
      (e) => setLoadProblem(describeFailure(e)),
    );
  }, [companyId]);

  const value = form.value;
  if (loadProblem) return <Notice kind="error">{loadProblem}</Notice>;
  if (!value || !saved) return <p class="muted">{t("loading")}</p>;

  function set(kind: MailTemplateKind, field: "subject" | "body", v: string) {
    form.set((f) => ({ ...f, [kind]: { ...f[kind], [field]: v } }));
    setErrors((e) => withoutField(e, fieldKey(kind, field)));
  }
  function useDefault(kind: MailTemplateKind, language: MailLanguage) {
    form.set((f) => ({ ...f, [kind]: { ...DEFAULT_MAIL_TEMPLATES[language][kind] } }));
    setErrors((e) => withoutField(withoutField(e, fieldKey(kind, "subject")), fieldKey(kind, "body")));
  }

  async function save(event: Event) {
    event.preventDefault();
    if (!value) return;
    await submit({ ok: true }, async () => {
      const updated: MailTemplate[] = [];
      for (const { kind } of KINDS) {
        const before = saved!.find((s) => s.kind === kind)!;
        if (before.custom && before.subject === value[kind].subject && before.body === value[kind].body) {
          updated.push(before);
          continue;
        }
        setSaving(kind);
        updated.push(await api("saveMailTemplate", companyId, kind, value[kind]));
      }
      setSaved(updated);
      await form.accept(Object.fromEntries(updated.map((s) => [s.kind, { subject: s.subject, body: s.body }])) as TemplatesForm);
      setFlash(t("appMailTemplatesSaved"));
    });
  }

  return (
    <form class="stack editor" onSubmit={save} aria-labelledby="mail-templates-title" noValidate data-testid="mail-templates">
      <h2 id="mail-templates-title">{t("appMailTemplates")}</h2>
      <p class="muted">{t("appMailTemplatesHint", MAIL_PLACEHOLDERS.map((p) => `{${p}}`).join(", "))}</p>
      {form.restored ? <RestoredNotice saved onDiscard={() => void form.discard().then(() => setErrors({}))} /> : null}
      {problem ? <Notice kind="error">{problem}</Notice> : null}
      {KINDS.map(({ kind, legend }) => (
        <fieldset class="stack" key={kind} data-kind={kind}>
          <legend>{t(legend)}</legend>
          <TextInput label={t("appEmailSubject")} value={value[kind].subject} onInput={(v) => set(kind, "subject", v)} error={errors[fieldKey(kind, "subject")]} maxLength={200} />
          <TextArea label={t("appEmailMessage")} value={value[kind].body} onInput={(v) => set(kind, "body", v)} error={errors[fieldKey(kind, "body")]} rows={8} maxLength={5000} />
          <div class="actions">
            <button type="button" class="button-link" onClick={() => useDefault(kind, "fr")}>
              {t("appUseFrenchTemplate")}
            </button>
            <button type="button" class="button-link" onClick={() => useDefault(kind, "en")}>
              {t("appUseEnglishTemplate")}
            </button>
          </div>
        </fieldset>
      ))}
      <div class="form-actions">
        <button type="submit" class="button primary" disabled={busy}>
          {busy ? t("appSaving") : t("appSaveMailTemplates")}
        </button>
        <span class="save-state muted" role="status">
          {form.dirty ? t("appUnsaved") : ""}
        </span>
      </div>
    </form>
  );
}
