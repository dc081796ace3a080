import { t } from "../../lib/i18n";

/** Says the form shows changes kept from before (a failed save, a reload), with a way to drop them. */
export function RestoredNotice(props: { onDiscard: () => void; saved: boolean }) {
  return (
    <div class="notice notice-info restored" role="status" data-testid="restored-notice">
      <span>{t("appRestored")}</span>
      <button type="button" class="button-link" onClick={props.onDiscard}>
        {props.saved ? t("appDiscardChanges") : t("appDiscardForm")}
      </button>
    </div>
  );
}
