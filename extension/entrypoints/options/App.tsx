import { useEffect, useState } from "preact/hooks";
import { browser } from "wxt/browser";
import { serverUrlItem } from "../../lib/storage";
import { checkServerUrl } from "../../lib/server-url";
import { DEFAULT_SERVER_URL } from "../../lib/config";
import { describeFailure, send } from "../../lib/messaging";
import { t } from "../../lib/i18n";
import { TextField } from "../../components/TextField";
import { Notice } from "../../components/Notice";

type Outcome = { kind: "success" | "error" | "info"; text: string } | null;

const hostOf = (url: string) => new URL(url).hostname;

/**
 * The server address. An https server is asked for as an optional host permission when saved (the
 * request must come straight from the click), after the page has said why; the background then
 * signs out of the previous server and gives its permission back.
 */
export function App() {
  const [saved, setSaved] = useState<string | null>(null);
  const [url, setUrl] = useState("");
  const [fieldError, setFieldError] = useState<string | undefined>(undefined);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [busy, setBusy] = useState(false);
  /** Whether the browser already lets the extension reach the typed server (null: nothing to ask for). */
  const [granted, setGranted] = useState<boolean | null>(null);
  const [prompting, setPrompting] = useState(false);

  useEffect(() => {
    void serverUrlItem.getValue().then((value) => (setSaved(value), setUrl(value)));
  }, []);

  const typed = checkServerUrl(url);
  const askFor = typed.ok && typed.needsPermission ? typed.originPattern : null;
  useEffect(() => {
    setGranted(null);
    if (!askFor) return;
    let current = true;
    browser.permissions.contains({ origins: [askFor] }).then(
      (yes) => current && setGranted(yes),
      () => current && setGranted(false),
    );
    return () => void (current = false);
  }, [askFor]);

  async function testConnection(target: string) {
    try {
      const { version } = await send({ kind: "server.check", url: target });
      setOutcome({ kind: "success", text: t("serverReachable", target, version) });
    } catch (e) {
      setOutcome({ kind: "error", text: describeFailure(e) });
    }
  }

  /** Stores the address; the background leaves the previous server (session and permission). */
  async function use(serverUrl: string | null) {
    await (serverUrl === null ? serverUrlItem.removeValue() : serverUrlItem.setValue(serverUrl));
    await send({ kind: "server.changed" });
    const now = serverUrl ?? DEFAULT_SERVER_URL;
    setSaved(now);
    setUrl(now);
  }

  function save(event: Event) {
    event.preventDefault();
    setOutcome(null);
    const check = checkServerUrl(url);
    if (!check.ok) {
      setFieldError(t(check.reason === "insecure" ? "serverInsecure" : "serverInvalid"));
      return;
    }
    setFieldError(undefined);
    // Asked before any await: browsers only show the prompt while handling the click.
    const allowed = check.needsPermission ? browser.permissions.request({ origins: [check.originPattern] }) : Promise.resolve(true);
    setPrompting(check.needsPermission);
    setBusy(true);
    void (async () => {
      try {
        const yes = await allowed.finally(() => setPrompting(false));
        if (!yes) {
          setOutcome({ kind: "error", text: t("serverPermissionDenied", check.url) });
          return;
        }
        if (check.needsPermission) setGranted(true);
        await use(check.url);
        setOutcome({ kind: "info", text: t("serverSaved", check.url) });
        await testConnection(check.url);
      } catch (e) {
        setOutcome({ kind: "error", text: describeFailure(e) });
      } finally {
        setBusy(false);
      }
    })();
  }

  async function forget() {
    if (!saved) return;
    setOutcome(null);
    setFieldError(undefined);
    setBusy(true);
    try {
      await use(null);
      setOutcome({ kind: "info", text: t("serverForgotten", saved, DEFAULT_SERVER_URL) });
    } catch (e) {
      setOutcome({ kind: "error", text: describeFailure(e) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="page options-page stack">
      <h1>{t("optionsTitle")}</h1>
      <form class="stack" onSubmit={save} noValidate aria-busy={busy}>
        <TextField
          label={t("serverUrl")}
          type="url"
          name="server-url"
          value={url}
          onInput={(v) => (setUrl(v), setFieldError(undefined))}
          error={fieldError}
          hint={t("serverUrlHint")}
        />
        {typed.ok && prompting ? (
          <Notice kind="info" testId="server-permission">
            {t("serverPermissionPrompt", hostOf(typed.url))}
          </Notice>
        ) : typed.ok && granted === false ? (
          <Notice kind="info" testId="server-permission">
            {t("serverPermissionWhy", hostOf(typed.url))}
          </Notice>
        ) : null}
        <div class="actions">
          <button type="submit" class="button primary" disabled={busy}>
            {t("save")}
          </button>
          <button type="button" class="button secondary" disabled={busy || !saved} onClick={() => saved && void testConnection(saved)}>
            {t("serverTest")}
          </button>
          {saved && saved !== DEFAULT_SERVER_URL ? (
            <button type="button" class="button secondary" disabled={busy} onClick={() => void forget()}>
              {t("serverForget")}
            </button>
          ) : null}
        </div>
      </form>
      {outcome ? (
        <Notice kind={outcome.kind} testId="options-outcome">
          {outcome.text}
        </Notice>
      ) : null}
      <p class="muted">{t("optionsPrivacy")}</p>
    </main>
  );
}
