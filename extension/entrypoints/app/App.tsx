import { useEffect, useState } from "preact/hooks";
import type { SessionView } from "../../lib/protocol";
import { describeFailure, send } from "../../lib/messaging";
import { keptForItem, profileItem } from "../../lib/storage";
import { t } from "../../lib/i18n";
import { AppContext, useCompanyData } from "../../lib/app/data";
import { useRoute } from "../../lib/app/route";
import { SignInForm } from "../../components/SignInForm";
import { Notice } from "../../components/Notice";
import { LockBanner } from "../../components/app/LockBanner";
import { AppHeader } from "./views/AppHeader";
import { AppNav } from "./views/AppNav";
import { Screen } from "./views/Screen";

/**
 * The invoicing view: sign in, then the owner's customers, products and invoices for the chosen
 * company. A session that ends under an open screen is signed into again over it, in place, so
 * nothing typed is lost; a sign-in elsewhere (the popup) reaches this tab at once.
 */
export function App() {
  const [session, setSession] = useState<SessionView | null | undefined>(undefined);
  const [expired, setExpired] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const load = () =>
      send({ kind: "session.get" })
        .then((s) => (setSession(s), setExpired(false), setError(null)))
        .catch((e: unknown) => {
          setError(describeFailure(e));
          setSession(null);
        });
    void load();
    return profileItem.watch((profile, previous) => {
      if (profile && !previous) void load();
      else if (!profile) {
        // The work of an expired session is kept for its owner; a sign-out leaves nothing to keep.
        void keptForItem.getValue().then((kept) => (kept ? setExpired(true) : (setExpired(false), setSession(null))));
      }
    });
  }, []);
  const signedInAgain = (s: SessionView) => (setError(null), setExpired(false), setSession(s));

  if (session === undefined) return <p class="loading" aria-busy="true">{t("loading")}</p>;
  if (session === null) {
    return (
      <main class="page app-sign-in">
        {error ? <Notice kind="error">{error}</Notice> : null}
        <SignInForm onSignedIn={signedInAgain} />
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
  return (
    <>
      <CompanyApp key={session.companyId} session={session} companyId={session.companyId} onSession={setSession} inert={expired} />
      {expired ? <SignInAgain email={session.user.email} onSignedIn={signedInAgain} /> : null}
    </>
  );
}

/** Over the screen left as it was: what is typed stays in its fields while the owner signs in. */
function SignInAgain(props: { email: string; onSignedIn: (s: SessionView) => void }) {
  return (
    <div class="sign-in-again" role="dialog" aria-modal="true" aria-labelledby="sign-in-again-title" data-testid="sign-in-again">
      <div class="app-sign-in">
        <p id="sign-in-again-title" class="notice notice-info">
          {t("appSessionEnded")}
        </p>
        <SignInForm email={props.email} onSignedIn={props.onSignedIn} />
      </div>
    </div>
  );
}

function CompanyApp(props: { session: SessionView; companyId: string; onSession: (s: SessionView | null) => void; inert: boolean }) {
  const data = useCompanyData(props.session, props.companyId);
  const route = useRoute();
  return (
    <AppContext.Provider value={data}>
      <div class="app-shell" inert={props.inert}>
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
