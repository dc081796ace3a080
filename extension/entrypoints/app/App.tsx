import { useEffect, useState } from "preact/hooks";
import type { SessionView } from "../../lib/protocol";
import { describeFailure, send } from "../../lib/messaging";
import { profileItem } from "../../lib/storage";
import { t } from "../../lib/i18n";
import { AppContext, useCompanyData } from "../../lib/app/data";
import { useRoute } from "../../lib/app/route";
import { SignInForm } from "../../components/SignInForm";
import { Notice } from "../../components/Notice";
import { LockBanner } from "../../components/app/LockBanner";
import { AppHeader } from "./views/AppHeader";
import { AppNav } from "./views/AppNav";
import { Screen } from "./views/Screen";

/** The invoicing view: sign in, then the owner's customers, products and invoices for the chosen company. */
export function App() {
  const [session, setSession] = useState<SessionView | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    send({ kind: "session.get" })
      .then(setSession)
      .catch((e: unknown) => {
        setError(describeFailure(e));
        setSession(null);
      });
    return profileItem.watch((profile) => {
      if (!profile) setSession(null);
    });
  }, []);

  if (session === undefined) return <p class="loading" aria-busy="true">{t("loading")}</p>;
  if (session === null) {
    return (
      <main class="page app-sign-in">
        {error ? <Notice kind="error">{error}</Notice> : null}
        <SignInForm onSignedIn={(s) => (setError(null), setSession(s))} />
      </main>
    );
  }
  if (session.companyId === null) {
    return (
      <div class="app-shell">
        <AppHeader session={session} onSession={setSession} />
        <main class="app-main">
          <Notice kind="info">{t("noOwnedCompany")}</Notice>
        </main>
      </div>
    );
  }
  return <CompanyApp key={session.companyId} session={session} companyId={session.companyId} onSession={setSession} />;
}

function CompanyApp(props: { session: SessionView; companyId: string; onSession: (s: SessionView | null) => void }) {
  const data = useCompanyData(props.session, props.companyId);
  const route = useRoute();
  return (
    <AppContext.Provider value={data}>
      <div class="app-shell">
        <AppHeader session={props.session} onSession={props.onSession} />
        <AppNav route={route} />
        <main class="app-main" id="main">
          <LockBanner lock={data.lock} lockedUntil={data.company?.lockedUntil} />
          {data.loadError ? <Notice kind="error">{describeFailure(data.loadError)}</Notice> : null}
          <Screen route={route} />
        </main>
      </div>
    </AppContext.Provider>
  );
}
