import { useState } from "preact/hooks";
import { describeFailure, RemoteError, send } from "../lib/messaging";
import { t } from "../lib/i18n";
import { TextField } from "./TextField";
import { Notice } from "./Notice";

/**
 * Asks the server for an account. The answer is the same whether or not the address already has
 * one: the mailbox gets the link that creates it (or says an account exists), then the owner signs in.
 */
export function SignUpForm(props: { onSignIn: (email: string) => void }) {
  const [name, setName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<RemoteError | Error | null>(null);
  const [sentTo, setSentTo] = useState<string | null>(null);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const asked = await send({ kind: "session.signUp", name: name.trim(), email: email.trim(), password });
      setPassword("");
      setSentTo(asked.email);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  }

  if (sentTo !== null) {
    return (
      <section class="stack sign-up" data-testid="sign-up-sent">
        <h1>{t("signUpSentTitle")}</h1>
        <Notice kind="success">{t("signUpSent", sentTo)}</Notice>
        <p class="muted">{t("signUpSentOther")}</p>
        <button type="button" class="button primary" onClick={() => props.onSignIn(sentTo)}>
          {t("signIn")}
        </button>
      </section>
    );
  }

  // a message shown on its own under its field starts with a capital: « Doit être une adresse e-mail »
  const field = (path: string) => {
    const message = error instanceof RemoteError ? error.fieldMessage(path) : undefined;
    return message === undefined ? undefined : message.charAt(0).toUpperCase() + message.slice(1);
  };
  const fieldErrors = ["name", "email", "password"].some((path) => field(path));
  return (
    <form class="stack sign-up" onSubmit={submit} aria-busy={busy}>
      <h1>{t("signUpTitle")}</h1>
      <TextField label={t("yourName")} name="name" autoComplete="name" value={name} onInput={setName} required error={field("name")} />
      <TextField label={t("email")} type="email" name="email" autoComplete="username" value={email} onInput={setEmail} required error={field("email")} />
      <TextField
        label={t("passwordNew")}
        type="password"
        name="password"
        autoComplete="new-password"
        value={password}
        onInput={setPassword}
        required
        error={field("password")}
      />
      {error && !fieldErrors ? <Notice kind="error">{describeFailure(error)}</Notice> : null}
      <button type="submit" class="button primary" disabled={busy || !name.trim() || !email || password.length < 10}>
        {busy ? t("signingUp") : t("signUp")}
      </button>
      <button type="button" class="button-link" onClick={() => props.onSignIn(email.trim())}>
        {t("signUpHaveAccount")}
      </button>
    </form>
  );
}
