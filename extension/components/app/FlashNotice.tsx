import { useAppData } from "../../lib/app/data";
import { parseRoute, routeHref } from "../../lib/app/route";
import { t } from "../../lib/i18n";
import { Notice } from "../Notice";

/** The outcome of what the owner just did on the previous screen, until dismissed or replaced. */
export function FlashNotice() {
  const { flash, setFlash } = useAppData();
  if (!flash || flash.href !== routeHref(parseRoute(location.hash))) return null;
  return (
    <Notice kind="success" testId="flash">
      {flash.message}{" "}
      <button type="button" class="button-link dismiss" onClick={() => setFlash(null)} aria-label={t("appDismiss")}>
        ×
      </button>
    </Notice>
  );
}
