/** A date typed jj/mm/aaaa in every browser language; says when it is not a date. */
import { useEffect, useState } from "preact/hooks";
import { dateText, parseDateText } from "./date-text.js";
import type { Strings } from "./i18n.js";

export function DateField(props: {
  t: Strings;
  label: string;
  name: string;
  /** YYYY-MM-DD, or "" when empty or not a date. */
  value: string;
  onChange: (iso: string) => void;
  required?: boolean;
  /** A rule of the caller's (e.g. after the current lock), shown like a typing error. */
  error?: string | null;
}) {
  const { t } = props;
  const [text, setText] = useState(dateText(props.value));
  // a preset or a reset changes the date from outside: show it
  useEffect(() => {
    if ((parseDateText(text) ?? "") !== props.value) setText(dateText(props.value));
  }, [props.value]);
  const typed = text.trim() !== "";
  const invalid = typed && parseDateText(text) === null;
  const message = invalid ? t.dateFormat : typed ? (props.error ?? null) : null;
  const id = `date-${props.name}`;
  return (
    <label class="field">
      {props.label}
      <input
        type="text"
        name={props.name}
        inputMode="numeric"
        autoComplete="off"
        placeholder={t.datePlaceholder}
        maxLength={10}
        required={props.required}
        value={text}
        aria-invalid={message ? "true" : undefined}
        aria-describedby={message ? id : undefined}
        onInput={(e) => {
          const next = e.currentTarget.value;
          setText(next);
          props.onChange(parseDateText(next) ?? "");
        }}
        onBlur={() => {
          const iso = parseDateText(text);
          if (iso) setText(dateText(iso));
        }}
      />
      {message && <span class="field-error" id={id}>{message}</span>}
    </label>
  );
}
