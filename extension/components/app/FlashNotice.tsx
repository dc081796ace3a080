import { useAppData } from "../../lib/app/data";
import { t } from "../../lib/i18n";
import { Notice } from "../Notice";

/** The outcome of what the owner just did on the previous screen, until dismissed or replaced. */
export function FlashNotice() {
  const { flash, setFlash } = useAppData();
  if (!flash) return null;
  return (
    <Notice kind="success" testId="flash">
      {flash}{" "}
      <button type="button" class="button-link dismiss" onClick={() => setFlash(null)} aria-label={t("appDismiss")}>
        ×
      </button>
    </Notice>
  );
}
