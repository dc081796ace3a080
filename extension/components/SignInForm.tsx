import { useEffect, useState } from "preact/hooks";
import { browser } from "wxt/browser";
import type { SessionView } from "../lib/protocol";
import { describeFailure, RemoteError, send } from "../lib/messaging";
import { serverUrlItem } from "../lib/storage";
import { useStorageValue } from "../lib/hooks";
import { markUsable } from "../lib/perf";
import { t } from "../lib/i18n";
import { TextField } from "./TextField";
import { Notice } from "./Notice";

/** E-mail and password go to the background once; only the session token is kept. */
export function SignInForm(props: { onSignedIn: (session: SessionView) => void; onSignUp?: () => void; email?: string }) {
  const serverUrl = useStorageValue(serverUrlItem);
  const [email, setEmail] = useState(props.email ?? "");
  const [password, setPassword] = useState("");
  const [remember, setRemember] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<RemoteError | Error | null>(null);

  useEffect(() => markUsable("sign-in"), []);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const session = await send({ kind: "session.signIn", email: email.trim(), password, remember });
      setPassword("");
      props.onSignedIn(session);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  }

  const wrongCredentials = error instanceof RemoteError && error.failure.status === 401;
  return (
    <form class="stack sign-in" onSubmit={submit} aria-busy={busy}>
      <h1>{t("signInTitle")}</h1>
      <p class="muted">
        {t("signInServer")} <strong data-testid="server-url">{serverUrl ?? ""}</strong> ·{" "}
        <a href="#" onClick={(e) => (e.preventDefault(), void browser.runtime.openOptionsPage())}>
          {t("change")}
        </a>
      </p>
      <TextField label={t("email")} type="email" name="email" autoComplete="username" value={email} onInput={setEmail} required />
      <TextField label={t("password")} type="password" name="password" autoComplete="current-password" value={password} onInput={setPassword} required />
      <label class="check">
        <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.currentTarget.checked)} />
        {t("staySignedIn")}
      </label>
      {error ? <Notice kind="error">{wrongCredentials ? t("signInWrong") : describeFailure(error)}</Notice> : null}
      <button type="submit" class="button primary" disabled={busy || !email || !password}>
        {busy ? t("signingIn") : t("signIn")}
      </button>
      {props.onSignUp ? (
        <p class="muted">
          {t("signUpOffer")}{" "}
          <button type="button" class="button-link" onClick={props.onSignUp}>
            {t("signUpOpen")}
          </button>
        </p>
      ) : null}
    </form>
  );
}
