import { useState } from "preact/hooks";
import { t } from "../i18n";
import { formProblem, type FieldErrors } from "./form-errors";

type Checked = { ok: true } | { ok: false; fields: FieldErrors };

/**
 * The sending half of an editor: what the form's own check refuses shows by field before anything
 * is sent; one request at a time; the API's refusals land on the fields their paths name.
 */
export function useFormSubmit(fieldFor: (path: string) => string | null) {
  const [errors, setErrors] = useState<FieldErrors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit<C extends Checked>(checked: C, send: (valid: Extract<C, { ok: true }>) => Promise<void>): Promise<void> {
    if (busy) return;
    if (!checked.ok) {
      setErrors(checked.fields);
      setProblem(t("appFixFields", Object.keys(checked.fields).length));
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      await send(checked as Extract<C, { ok: true }>);
      setErrors({});
    } catch (error) {
      const p = formProblem(error, fieldFor);
      setErrors(p.fields);
      setProblem(p.message);
    } finally {
      setBusy(false);
    }
  }

  return { errors, setErrors, problem, busy, submit };
}
