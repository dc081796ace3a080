import { useState } from "preact/hooks";
import { browser } from "wxt/browser";
import type { SessionView } from "../../../lib/protocol";
import { describeFailure, send } from "../../../lib/messaging";
import { t } from "../../../lib/i18n";
import { CompanySwitcher } from "../../../components/CompanySwitcher";
import { Notice } from "../../../components/Notice";
import { OpenInvoicing } from "../../../components/app/OpenInvoicing";

export function Header(props: { session: SessionView; onSession: (s: SessionView | null) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function run(work: () => Promise<SessionView | null>) {
    setBusy(true);
    setError(null);
    try {
      props.onSession(await work());
    } catch (e) {
      setError(describeFailure(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <header class="header">
      <div class="brand">
        <strong>Passerelle</strong>
        <CompanySwitcher
          companies={props.session.companies}
          companyId={props.session.companyId}
          disabled={busy}
          onSelect={(companyId) => run(() => send({ kind: "session.selectCompany", companyId }))}
        />
      </div>
      <div class="header-actions">
        <OpenInvoicing />
        <button type="button" class="button-link" title={t("settings")} onClick={() => void browser.runtime.openOptionsPage()}>
          {t("settings")}
        </button>
        <button type="button" class="button-link" disabled={busy} onClick={() => run(() => send({ kind: "session.signOut" }))}>
          {t("signOut")}
        </button>
      </div>
      {error ? <Notice kind="error">{error}</Notice> : null}
    </header>
  );
}
