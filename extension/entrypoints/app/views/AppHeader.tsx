import { useEffect, useState } from "preact/hooks";
import { browser } from "wxt/browser";
import type { SessionView } from "../../../lib/protocol";
import { describeFailure, send } from "../../../lib/messaging";
import { t } from "../../../lib/i18n";
import { CompanySwitcher } from "../../../components/CompanySwitcher";
import { Notice } from "../../../components/Notice";

export function AppHeader(props: { session: SessionView; onSession: (s: SessionView | null) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  // In the side panel (no tab of its own) the view offers to open itself in a tab.
  const [inTab, setInTab] = useState(true);
  useEffect(() => {
    Promise.resolve()
      .then(() => browser.tabs.getCurrent())
      .then((tab) => setInTab(tab !== undefined))
      .catch(() => undefined);
  }, []);

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
    <header class="header app-header">
      <div class="brand">
        <strong>{t("appTitle")}</strong>
        <CompanySwitcher
          companies={props.session.companies}
          companyId={props.session.companyId}
          disabled={busy}
          onSelect={(companyId) => run(() => send({ kind: "session.selectCompany", companyId }))}
        />
      </div>
      <div class="header-actions">
        {inTab ? null : (
          <button type="button" class="button-link" onClick={() => void browser.tabs.create({ url: browser.runtime.getURL(`/app.html${location.hash}`) })}>
            {t("appOpenInTab")}
          </button>
        )}
        <button type="button" class="button-link" disabled={busy} onClick={() => run(() => send({ kind: "session.signOut" }))}>
          {t("signOut")}
        </button>
      </div>
      {error ? <Notice kind="error">{error}</Notice> : null}
    </header>
  );
}
