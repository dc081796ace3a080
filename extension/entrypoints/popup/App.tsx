import { useEffect, useState } from "preact/hooks";
import type { SessionView } from "../../lib/protocol";
import { describeFailure, send } from "../../lib/messaging";
import { keptForItem, profileItem } from "../../lib/storage";
import { useStorageValue } from "../../lib/hooks";
import { t } from "../../lib/i18n";
import { SignInForm } from "../../components/SignInForm";
import { SignUpForm } from "../../components/SignUpForm";
import { Notice } from "../../components/Notice";
import { Header } from "./views/Header";
import { InvoicesView } from "./views/InvoicesView";
import { AccountantView } from "./views/AccountantView";
import { DocumentsView } from "./views/DocumentsView";
import { Tabs, type TabId } from "./views/Tabs";

/** The popup: sign in (or sign up), or the owner's three tabs for the chosen company. */
export function App() {
  const [session, setSession] = useState<SessionView | null | undefined>(undefined);
  // signed out: the sign-in form, with the e-mail just signed up with, or the sign-up form
  const [signedOut, setSignedOut] = useState<{ form: "signIn" | "signUp"; email?: string }>({ form: "signIn" });
  const [error, setError] = useState<string | null>(null);
  const [tab, setTab] = useState<TabId>("invoices");
  // After a session ended, whose work is kept: the sign-in form offers their e-mail.
  const kept = useStorageValue(keptForItem);

  useEffect(() => {
    send({ kind: "session.get" })
      .then(setSession)
      .catch((e: unknown) => {
        setError(describeFailure(e));
        setSession(null);
      });
    // Signed out elsewhere (options page, expired token): show the sign-in form.
    return profileItem.watch((profile) => {
      if (!profile) setSession(null);
    });
  }, []);

  if (session === undefined) return <p class="loading" aria-busy="true">{t("loading")}</p>;
  if (session === null) {
    return (
      <main class="page">
        {error ? <Notice kind="error">{error}</Notice> : null}
        {signedOut.form === "signUp" ? (
          <SignUpForm onSignIn={(email) => setSignedOut({ form: "signIn", email })} />
        ) : (
          <SignInForm
            key={signedOut.email ?? kept?.email}
            email={signedOut.email ?? kept?.email}
            onSignedIn={(s) => (setError(null), setSession(s))}
            onSignUp={() => setSignedOut({ form: "signUp" })}
          />
        )}
      </main>
    );
  }

  return (
    <div class="shell">
      <Header session={session} onSession={setSession} />
      {session.companyId === null ? (
        <main class="page">
          <Notice kind="info">{t("noOwnedCompany")}</Notice>
        </main>
      ) : (
        <>
          <Tabs current={tab} onSelect={setTab} />
          <main class="page">
            <div id={`panel-${tab}`} role="tabpanel" aria-labelledby={`tab-${tab}`}>
              {tab === "invoices" ? <InvoicesView key={session.companyId} session={session} companyId={session.companyId} /> : null}
              {tab === "accountant" ? <AccountantView key={session.companyId} companyId={session.companyId} /> : null}
              {tab === "documents" ? <DocumentsView key={session.companyId} /> : null}
            </div>
          </main>
        </>
      )}
    </div>
  );
}
