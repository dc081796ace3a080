import type { ComponentChildren, InputHTMLAttributes, TargetedInputEvent, TargetedKeyboardEvent } from "preact";
import { Field } from "./Field";

interface Common {
  label: ComponentChildren;
  error?: string | undefined;
  hint?: ComponentChildren;
  ok?: boolean;
  class?: string;
  hiddenLabel?: boolean;
  disabled?: boolean;
  required?: boolean;
  name?: string;
}

export function TextInput(
  props: Common & {
    value: string;
    onInput: (value: string) => void;
    type?: "text" | "email" | "date" | "search";
    inputMode?: "decimal" | "numeric" | "text" | "email";
    autoComplete?: string;
    placeholder?: string;
    maxLength?: number;
    min?: string;
    max?: string;
    onKeyDown?: (event: TargetedKeyboardEvent<HTMLInputElement>) => void;
    inputId?: string;
    testId?: string;
  },
) {
  return (
    <Field label={props.label} error={props.error} hint={props.hint} ok={props.ok} class={props.class} hiddenLabel={props.hiddenLabel} controlId={props.inputId}>
      {(control) => (
        <input
          {...({
            ...control,
            name: props.name,
            // Preact types each input type separately; these share every attribute used here.
            type: props.type ?? "text",
            inputMode: props.inputMode,
            autoComplete: props.autoComplete ?? "off",
            placeholder: props.placeholder,
            maxLength: props.maxLength,
            min: props.min,
            max: props.max,
            required: props.required,
            disabled: props.disabled,
            value: props.value,
            "data-testid": props.testId,
            onInput: (e: TargetedInputEvent<HTMLInputElement>) => props.onInput(e.currentTarget.value),
            onKeyDown: props.onKeyDown,
          } as InputHTMLAttributes<HTMLInputElement>)}
        />
      )}
    </Field>
  );
}

export function SelectInput(
  props: Common & {
    value: string;
    onChange: (value: string) => void;
    children: ComponentChildren;
    onKeyDown?: (event: TargetedKeyboardEvent<HTMLSelectElement>) => void;
    inputId?: string;
  },
) {
  return (
    <Field label={props.label} error={props.error} hint={props.hint} class={props.class} hiddenLabel={props.hiddenLabel} controlId={props.inputId}>
      {(control) => (
        <select
          {...control}
          name={props.name}
          required={props.required}
          disabled={props.disabled}
          value={props.value}
          onChange={(e) => props.onChange(e.currentTarget.value)}
          onKeyDown={props.onKeyDown}
        >
          {props.children}
        </select>
      )}
    </Field>
  );
}

export function TextArea(props: Common & { value: string; onInput: (value: string) => void; rows?: number; maxLength?: number; inputId?: string }) {
  return (
    <Field label={props.label} error={props.error} hint={props.hint} class={props.class} hiddenLabel={props.hiddenLabel} controlId={props.inputId}>
      {(control) => (
        <textarea {...control} name={props.name} rows={props.rows ?? 2} maxLength={props.maxLength} disabled={props.disabled} value={props.value} onInput={(e) => props.onInput(e.currentTarget.value)} />
      )}
    </Field>
  );
}
