import type { ComponentChildren } from "preact";

/** A message after an action: errors are announced at once, the rest politely. */
export function Notice(props: { kind: "error" | "success" | "info"; children: ComponentChildren; testId?: string }) {
  return (
    <p class={`notice notice-${props.kind}`} role={props.kind === "error" ? "alert" : "status"} data-testid={props.testId}>
      {props.children}
    </p>
  );
}
