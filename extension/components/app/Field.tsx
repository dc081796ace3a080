import type { ComponentChildren, VNode } from "preact";
import { useId } from "preact/hooks";

export interface ControlProps {
  id: string;
  "aria-invalid"?: true;
  "aria-describedby"?: string;
}

/**
 * A label, a control and what is said about it (an error, else a hint), tied together for
 * screen readers. The message line keeps its height so the form does not move as messages come.
 */
export function Field(props: {
  label: ComponentChildren;
  error?: string | undefined;
  hint?: ComponentChildren;
  ok?: boolean;
  class?: string;
  /** Label hidden on wide screens, where a column header says what the field is (invoice lines). */
  hiddenLabel?: boolean;
  /** The control's id when something else must find it (focus moves); generated otherwise. */
  controlId?: string | undefined;
  children: (control: ControlProps) => VNode;
}) {
  const generated = useId();
  const id = props.controlId ?? generated;
  const messageId = `${id}-message`;
  const hasMessage = Boolean(props.error || props.hint);
  return (
    <div class={`field ${props.class ?? ""}`}>
      <label for={id} class={props.hiddenLabel ? "column-label" : undefined}>
        {props.label}
      </label>
      {props.children({ id, ...(props.error ? { "aria-invalid": true as const } : {}), ...(hasMessage ? { "aria-describedby": messageId } : {}) })}
      {props.error ? (
        <p class="field-error" id={messageId}>
          {props.error}
        </p>
      ) : props.hint ? (
        <p class={props.ok ? "field-ok" : "field-hint"} id={messageId}>
          {props.hint}
        </p>
      ) : null}
    </div>
  );
}
