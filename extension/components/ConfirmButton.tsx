import { useState } from "preact/hooks";
import { t } from "../lib/i18n";

/**
 * A button that asks before doing something that cannot be undone. `keepLabel` words the way back
 * when "Annuler" would read as the action itself (cancelling an invitation).
 */
export function ConfirmButton(props: { label: string; question: string; confirmLabel: string; keepLabel?: string; onConfirm: () => Promise<void> | void; disabled?: boolean }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  if (!asking) {
    return (
      <button type="button" class="button-link danger" disabled={props.disabled} onClick={() => setAsking(true)}>
        {props.label}
      </button>
    );
  }
  return (
    <div class="confirm" role="group" aria-label={props.question}>
      <p>{props.question}</p>
      <div class="actions">
        <button
          type="button"
          class="button danger"
          disabled={busy}
          onClick={async () => {
            setBusy(true);
            try {
              await props.onConfirm();
            } finally {
              setBusy(false);
              setAsking(false);
            }
          }}
        >
          {props.confirmLabel}
        </button>
        <button type="button" class="button secondary" disabled={busy} onClick={() => setAsking(false)}>
          {props.keepLabel ?? t("cancel")}
        </button>
      </div>
    </div>
  );
}
