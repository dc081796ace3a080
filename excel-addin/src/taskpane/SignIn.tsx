import { useState } from "preact/hooks";
import { ApiError, PasserelleClient } from "@passerelle/shared/client";
import { defaultBaseUrl, setSession } from "../api/session.js";
import { explain } from "./errors.js";
import type { Strings } from "./i18n.js";
import { displayLanguage } from "../language.js";

export function SignIn({ t, notice }: { t: Strings; notice?: string | null }) {
  const [mode, setMode] = useState<"password" | "key">("password");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [key, setKey] = useState("");
  const [server, setServer] = useState(defaultBaseUrl());
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const client = new PasserelleClient({ baseUrl: server, language: displayLanguage() });
    try {
      if (mode === "password") {
        const result = await client.login({ email, password });
        setSession({ baseUrl: server, token: result.token, label: result.user.email });
      } else {
        client.token = key.trim();
        const me = await client.me();
        setSession({ baseUrl: server, token: key.trim(), label: `${me.user.email} (${t.withKey})` });
      }
    } catch (e) {
      // at sign-in a 401 is a wrong password or key, not an expired session
      setError(e instanceof ApiError && e.status === 401 ? (mode === "password" ? t.errors.badCredentials : t.errors.badKey) : explain(e, t).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card" onSubmit={submit} aria-label={t.signIn}>
      <h2>{t.signIn}</h2>
      {notice && !error && <p class="error" role="alert">{notice}</p>}
      <div class="tabs" role="tablist">
        <button type="button" role="tab" aria-selected={mode === "password"} onClick={() => setMode("password")}>{t.withPassword}</button>
        <button type="button" role="tab" aria-selected={mode === "key"} onClick={() => setMode("key")}>{t.withKey}</button>
      </div>
      {mode === "password" ? (
        <>
          <label>{t.email}<input type="email" name="email" autocomplete="username" required value={email} onInput={(e) => setEmail(e.currentTarget.value)} /></label>
          <label>{t.password}<input type="password" name="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword(e.currentTarget.value)} /></label>
        </>
      ) : (
        <label>{t.apiKey}<input name="apiKey" required pattern="psk_.+" value={key} onInput={(e) => setKey(e.currentTarget.value)} /></label>
      )}
      <details>
        <summary>{t.server}</summary>
        <label>{t.server}<input name="server" type="url" value={server} onInput={(e) => setServer(e.currentTarget.value)} /></label>
      </details>
      {error && <p class="error" role="alert">{error}</p>}
      <button class="primary" type="submit" disabled={busy}>{t.signIn}</button>
    </form>
  );
}
