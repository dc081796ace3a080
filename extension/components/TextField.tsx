import type { InputHTMLAttributes, TargetedEvent } from "preact";
import { useId } from "preact/hooks";

export interface TextFieldProps {
  label: string;
  value: string;
  onInput: (value: string) => void;
  type?: "text" | "email" | "password" | "url" | "search";
  name?: string;
  autoComplete?: string;
  placeholder?: string;
  required?: boolean;
  error?: string | undefined;
  hint?: string | undefined;
  disabled?: boolean;
}

/** A labelled input whose error is tied to it for screen readers. */
export function TextField(props: TextFieldProps) {
  const id = useId();
  const describedBy = props.error ? `${id}-error` : props.hint ? `${id}-hint` : undefined;
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      <input
        {...({
          id,
          name: props.name,
          // Preact types each input type separately; these text-like types share every attribute used here.
          type: props.type ?? "text",
          value: props.value,
          onInput: (e: TargetedEvent<HTMLInputElement>) => props.onInput(e.currentTarget.value),
          autoComplete: props.autoComplete,
          placeholder: props.placeholder,
          required: props.required,
          disabled: props.disabled,
          "aria-invalid": props.error ? true : undefined,
          "aria-describedby": describedBy,
        } as InputHTMLAttributes<HTMLInputElement>)}
      />
      {props.error ? (
        <p class="field-error" id={`${id}-error`}>
          {props.error}
        </p>
      ) : props.hint ? (
        <p class="field-hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
    </div>
  );
}
