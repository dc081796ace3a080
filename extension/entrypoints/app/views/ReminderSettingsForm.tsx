import { useEffect, useState } from "preact/hooks";
import type { ReminderSettings } from "@passerelle/shared";
import { api, describeFailure, RemoteError } from "../../../lib/messaging";
import { useAppData } from "../../../lib/app/data";
import { capitalized } from "../../../lib/app/api-messages";
import { t } from "../../../lib/i18n";
import { Notice } from "../../../components/Notice";
import { TextInput } from "../../../components/app/inputs";

const LEVELS = ["appReminderLevel1", "appReminderLevel2", "appReminderLevel3"] as const;

/** Automatic reminders: on or off, and the days after the due date of the three levels. */
export function ReminderSettingsForm() {
  const { companyId, setFlash } = useAppData();
  const [saved, setSaved] = useState<ReminderSettings | null>(null);
  const [automatic, setAutomatic] = useState(false);
  const [days, setDays] = useState<string[]>([]);
  const [errors, setErrors] = useState<Record<number, string>>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void api("reminderSettings", companyId).then(
      (s) => {
        setSaved(s);
        setAutomatic(s.automatic);
        setDays(s.days.map(String));
      },
      (e) => setProblem(describeFailure(e)),
    );
  }, [companyId]);

  if (!saved) return problem ? <Notice kind="error">{problem}</Notice> : <p class="muted">{t("loading")}</p>;

  async function save(event: Event) {
    event.preventDefault();
    const numbers = days.map((d) => (/^\d{1,3}$/.test(d.trim()) ? Number(d.trim()) : NaN));
    const local: Record<number, string> = {};
    numbers.forEach((n, i) => {
      if (Number.isNaN(n)) local[i] = t("appRuleWholeDays");
    });
    if (Object.keys(local).length > 0) {
      setErrors(local);
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const s = await api("saveReminderSettings", companyId, { automatic, days: numbers });
      setSaved(s);
      setErrors({});
      setFlash(t("appReminderSettingsSaved"));
    } catch (error) {
      const fields: Record<number, string> = {};
      for (const e of error instanceof RemoteError ? (error.failure.errors ?? []) : []) {
        const m = /^days\.(\d)$/.exec(e.path);
        if (m) fields[Number(m[1])] = capitalized(e.message);
      }
      setErrors(fields);
      if (Object.keys(fields).length === 0) setProblem(describeFailure(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="stack editor" onSubmit={save} aria-labelledby="reminders-title" noValidate data-testid="reminder-settings">
      <h2 id="reminders-title">{t("appReminderSettings")}</h2>
      <p class="muted">{t("appReminderSettingsHint")}</p>
      {problem ? <Notice kind="error">{problem}</Notice> : null}
      <div class="field checkbox-field">
        <input type="checkbox" id="automatic-reminders" checked={automatic} onChange={(e) => setAutomatic(e.currentTarget.checked)} />
        <label for="automatic-reminders">{t("appAutomaticReminders")}</label>
      </div>
      {LEVELS.map((label, i) => (
        <TextInput
          key={label}
          label={t("appReminderDays", t(label))}
          inputMode="numeric"
          value={days[i] ?? ""}
          onInput={(v) => (setDays((d) => d.map((x, j) => (j === i ? v : x))), setErrors((e) => ({ ...e, [i]: "" })))}
          error={errors[i] || undefined}
        />
      ))}
      {saved.updatedBy ? <p class="muted">{t("appRemindersSentAs", saved.updatedBy.name)}</p> : null}
      <div class="form-actions">
        <button type="submit" class="button primary" disabled={busy}>
          {t("appSaveReminderSettings")}
        </button>
      </div>
    </form>
  );
}
